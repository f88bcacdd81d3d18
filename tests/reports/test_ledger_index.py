"""The ledger import writes its cases by one statement per batch (issue 20: row by row, the
FTS5 search index flushed at every row): the search still finds every imported case by one
or two characters, the rows and the index are those of a row-by-row insert, and a failed
or cancelled import leaves the schema, the triggers and the index as they were."""
from __future__ import annotations

import datetime as dt

import peewee as pw
import pytest

from gkdesk.actors import SYSTEM
from gkdesk.reports import Cancelled, ledger

from .conftest import make_case
from .test_ledger import LEDGER_HEADERS, _counts, _fresh_db, _write

D = dt.date


def _db():
    from gkdesk.db.models import db

    return db


def _hits(text: str) -> list[int]:
    """The case ids the search index gives for ``text`` (the phrase the case search asks)."""
    from gkdesk.cases.search_text import match_phrase

    return sorted(r[0] for r in _db().execute_sql("SELECT rowid FROM case_chars WHERE case_chars MATCH ?",
                                                  (match_phrase(text),)))


def _ids(where: str, *params) -> list[int]:
    return sorted(r[0] for r in _db().execute_sql(f'SELECT id FROM "case" WHERE {where}', params))


def _schema():
    return (_db().execute_sql("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall(),
            _db().execute_sql("SELECT name FROM sqlite_temp_master").fetchall())


def _index():
    return [_db().execute_sql(f"SELECT rowid, body FROM {t} ORDER BY rowid").fetchall()
            for t in ("case_chars", "reply_chars")]


def _ledger(tmp_path, n=30, name="l.xlsx"):
    rows = []
    for i in range(n):
        rows.append([f"旧台账-{i:03d}", "自然人" if i % 3 else "商业企业",
                     f"鼋{'鼍' if i % 2 else '龟'}{i}" if i % 3 else "某某有限公司",
                     None, None, f"00{i}" if i % 4 == 0 else None, "1e5" if i == 1 else None, None,
                     f"关于{'鼋鼍' if i < 10 else '某路段'}改造工程的批复 {i}", "当面", D(2025, 3, 1) + dt.timedelta(days=i % 20)])
    return _write(tmp_path / name, LEDGER_HEADERS[:11], rows)


def test_imported_cases_are_found_by_one_and_two_characters(db_path, tmp_path):
    from gkdesk.db.search_index import search_body

    before = make_case(D(2025, 2, 3), content="鼋鼍之前登记的申请")
    res = ledger.import_ledger(_ledger(tmp_path), SYSTEM)
    assert res.created == 30
    assert _hits("鼋") == _ids("applicant_name LIKE '%鼋%' OR content LIKE '%鼋%'")
    assert _hits("鼋鼍") == _ids("applicant_name LIKE '%鼋鼍%' OR content LIKE '%鼋鼍%'")
    assert before.id in _hits("鼋鼍") and len(_hits("鼋鼍")) == 1 + 10 + 7   # before; contents; names
    assert _hits("鼍7") == _ids("applicant_name = '鼋鼍7'")
    assert _hits("台账") == _ids("number LIKE '旧台账-%'")
    # every case's entry is the indexed text of its number, applicant and content
    cases = _db().execute_sql('SELECT id, number, applicant_name, content FROM "case" ORDER BY id').fetchall()
    assert _index()[0] == [(cid, search_body(num, name, content)) for cid, num, name, content in cases]
    _db().execute_sql("INSERT INTO case_chars(case_chars) VALUES ('integrity-check')")


def test_one_statement_gives_the_rows_and_index_of_row_by_row(db_path, tmp_path, monkeypatch):
    """The same file into two fresh databases, the cases by one INSERT … SELECT and by
    executemany: every column (and its SQLite type), every index entry, the side records
    and the events agree, but for the times of writing."""
    f = _ledger(tmp_path)

    def content():
        db = _db()
        cols = [r[1] for r in db.execute_sql('PRAGMA table_info("case")') if r[1] not in ("created_at", "updated_at")]
        case = db.execute_sql(f'SELECT {", ".join(cols)}, {", ".join(f"typeof({c})" for c in cols)} '
                              'FROM "case" ORDER BY id').fetchall()
        events = db.execute_sql("SELECT case_id, user, action, from_stage, to_stage, summary, details "
                                "FROM case_event WHERE case_id IS NOT NULL ORDER BY id").fetchall()
        side = [db.execute_sql(f"SELECT * FROM {t} ORDER BY id").fetchall()
                for t in ("correction", "consultation", "extension", "number_sequence")]
        return cols, case, _index(), events, side

    seen = []
    for one in (True, False):
        _fresh_db(tmp_path, f"fresh-{one}.sqlite3")
        real = ledger.bulk_insert

        def bulk(model, rows, *, one_statement=False, _one=one, _real=real):
            return _real(model, rows, one_statement=one_statement and _one)

        monkeypatch.setattr(ledger, "bulk_insert", bulk)
        ledger.import_ledger(f, SYSTEM)
        monkeypatch.setattr(ledger, "bulk_insert", real)
        seen.append(content())
    assert seen[0] == seen[1]
    cols, case, index = seen[0][:3]
    assert len(case) == 30 and len(index[0]) == 30
    phone, address = cols.index("phone"), cols.index("address")
    assert "000" in {r[phone] for r in case} and "1e5" in {r[address] for r in case}   # text stays text
    assert {r[len(cols) + phone] for r in case} == {"text"}


def _assert_as_before(snap, schema, index):
    from gkdesk import audit

    assert _counts() == snap
    assert _schema() == schema                       # triggers, indexes, no staging table left
    assert _index() == index
    assert audit.verify_chain() == []
    # a case registered afterwards is indexed by the triggers as ever
    later = make_case(D(2025, 4, 1), name="龟鼋", content="之后登记的鼍龙申请")
    assert _hits("鼍龙") == [later.id]
    assert later.id in _hits("龟鼋")


def test_a_failure_while_writing_leaves_triggers_and_index_as_they_were(db_path, tmp_path, monkeypatch):
    make_case(D(2025, 2, 3), content="之前登记的申请")
    snap, schema, index = _counts(), _schema(), _index()
    written = []

    def fail(events):
        written.append(_db().execute_sql("SELECT count(*) FROM case_chars").fetchone()[0])
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(ledger.audit, "record_many", fail)
    with pytest.raises(RuntimeError):
        ledger.import_ledger(_ledger(tmp_path), SYSTEM)
    assert written == [len(index[0]) + 30]           # the cases and their entries were in, then undone
    monkeypatch.undo()
    _assert_as_before(snap, schema, index)


def test_a_cancel_while_writing_leaves_triggers_and_index_as_they_were(db_path, tmp_path):
    make_case(D(2025, 2, 3), content="之前登记的申请")
    rows = [[f"X-{i}", "自然人", "张三", "", "", "", "", "", f"某文件{i}", "", D(2025, 3, 4)] for i in range(12_000)]
    f = _write(tmp_path / "big.xlsx", LEDGER_HEADERS[:11], rows)
    snap, schema, index = _counts(), _schema(), _index()
    state = {"writing": False, "indexed": 0}

    def progress(done, total):
        # the writing part: rows built (≤ total/4), then each batch of cases written
        if total == 12_000 and done > 12_000 // 4 and not state["writing"]:
            state["writing"] = True
            state["indexed"] = _db().execute_sql("SELECT count(*) FROM case_chars").fetchone()[0]

    with pytest.raises(Cancelled):
        ledger.import_ledger(f, SYSTEM, progress=progress, cancelled=lambda: state["writing"])
    assert state["indexed"] == len(index[0]) + 5000   # one batch of cases was in the index, then undone
    _assert_as_before(snap, schema, index)


def test_a_bad_row_fails_the_one_statement_and_leaves_no_staging_table(db_path):
    from gkdesk.db import write_transaction
    from gkdesk.db.bulk import bulk_insert
    from gkdesk.db.models import Case

    existing = make_case(D(2025, 2, 3))
    schema, index = _schema(), _index()
    base = {k: v for k, v in Case.select().where(Case.id == existing.id).dicts().get().items()
            if k not in ("id", "number", "serial")}
    rows = [dict(base, number=f"B-{i}", serial=900 + i) for i in range(3)] + [dict(base, number=existing.number,
                                                                                     serial=999)]
    with pytest.raises(pw.IntegrityError):
        with write_transaction():
            bulk_insert(Case, rows, one_statement=True)
    assert Case.select().count() == 1
    assert _schema() == schema and _index() == index
