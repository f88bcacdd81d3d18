"""Schema versions: a database of the first release opens with the current code."""
import sqlite3
from pathlib import Path

import pytest

from gkdesk.db import close_database, open_database
from gkdesk.db import migrations
from gkdesk.errors import DatabaseError

FIXTURE = Path(__file__).parent.parent / "fixtures" / "schema_v1.sql"


def _make_v1(path: Path) -> None:
    con = sqlite3.connect(path)
    con.executescript(FIXTURE.read_text(encoding="utf-8"))
    con.close()


def _columns(path: Path) -> dict:
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                                        "AND name NOT LIKE 'case_search_%'")]
    out = {t: sorted(r[1] for r in con.execute(f'PRAGMA table_info("{t}")')) for t in tables}
    con.close()
    return out


def test_v1_database_is_copied_then_migrated_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.sqlite3"
    _make_v1(path)
    opened = open_database(path)
    try:
        assert opened.migrated_from == 1
        assert opened.backup_before_migration is not None and opened.backup_before_migration.exists()
        assert migrations.schema_version() == migrations.LATEST
        from gkdesk.cases.query import CaseFilter, list_cases

        numbers = [r["number"] for r in list_cases(CaseFilter(text="拆迁补偿"))]  # FTS built by step 2
        assert numbers == ["依申〔2026〕1号"]
        assert len(list_cases(CaseFilter())) == 2
    finally:
        close_database()
    # the copy taken before migrating is still a version-1 database
    con = sqlite3.connect(opened.backup_before_migration)
    assert con.execute("SELECT version FROM schema_version").fetchone()[0] == 1
    con.close()


def test_migrated_schema_equals_a_fresh_one(tmp_path):
    old, fresh = tmp_path / "old.sqlite3", tmp_path / "fresh.sqlite3"
    _make_v1(old)
    open_database(old)
    close_database()
    open_database(fresh)
    close_database()
    assert _columns(old) == _columns(fresh)


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "new.sqlite3"
    open_database(path)
    from gkdesk.db.models import SchemaVersion

    SchemaVersion.update(version=migrations.LATEST + 5).execute()
    close_database()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="更新版本的 gkdesk"):
        open_database(path)
    assert path.read_bytes() == before


def test_not_a_gkdesk_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="不是 gkdesk 数据库"):
        open_database(path)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(DatabaseError, match="不是 gkdesk 数据库"):
        open_database(text)
    assert text.read_text() == "hello"


def test_collection_rounds_become_annex_tasks_with_their_returns(tmp_path):
    """Migration 6: a v1 database's rounds and returns are kept as tasks and submissions."""
    path = tmp_path / "old.sqlite3"
    _make_v1(path)
    con = sqlite3.connect(path)
    con.execute("INSERT INTO unit (id, name, kind, contact, email, active, created_at, version) "
                "VALUES (1, '民政局', 'department', '', '', 1, '2026-01-01T00:00:00+00:00', 1), "
                "(2, '信访局', 'department', '', '', 1, '2026-01-01T00:00:00+00:00', 1)")
    con.execute("INSERT INTO collection_round VALUES (7, '2026年第一次', '2026-08-28', 'a@b.cn', '22355669', '', "
                "'2026-08-01T00:00:00+00:00', 0)")
    con.execute("INSERT INTO round_return VALUES (1, 7, 1, '2026-08-27T02:00:00+00:00', 'returned', '', "
                "'/in/民政局.xlsx'), (2, 7, 2, '2026-08-29T02:00:00+00:00', 'problems', 'D5：号码不对', '/in/信访局.xlsx')")
    con.commit()
    con.close()
    open_database(path)
    try:
        import datetime as dt

        from gkdesk.forms import rounds

        r = rounds.get_round(7)
        assert (r.name, r.deadline, r.return_email, r.return_fax) == ("2026年第一次", dt.date(2026, 8, 28),
                                                                       "a@b.cn", "22355669")
        st = {s.unit_name: s for s in rounds.round_status(r, today=dt.date(2026, 9, 1))}
        assert st["民政局"].status == "returned" and st["民政局"].source_file == "/in/民政局.xlsx"
        assert st["信访局"].status == "problems" and st["信访局"].problems == "D5：号码不对"
        assert "collection_round" not in __import__("gkdesk.db", fromlist=["db"]).db.get_tables()
    finally:
        close_database()


def test_every_database_gets_an_identity_fixed_at_creation_or_migration(tmp_path):
    """Step 9: a database of an earlier schema gets its identity, recorded in the audit
    event of the migration (the chain stays intact); a fresh one has it in its first
    event. Reopening never changes it; two databases never share one."""
    from gkdesk import audit
    from gkdesk.db.models import CaseEvent

    old, fresh = tmp_path / "old.sqlite3", tmp_path / "fresh.sqlite3"
    _make_v1(old)
    con = sqlite3.connect(old)
    events_before = con.execute("SELECT count(*) FROM case_event").fetchone()[0]
    con.close()
    ids = {}
    for path in (old, fresh, old, fresh):
        open_database(path)
        try:
            ident = audit.database_id()
            assert len(ident) == 36 and ids.setdefault(path, ident) == ident
            marks = list(CaseEvent.select().where(CaseEvent.action == audit.IDENTITY_ACTION))
            assert [e.details for e in marks] == [{"database_id": ident}]
            first = CaseEvent.select().order_by(CaseEvent.id).first()
            if path == fresh:
                assert first.id == marks[0].id
            else:
                assert CaseEvent.select().count() == events_before + 1
            assert audit.verify_chain() == [] and audit.verify_identity() == []
        finally:
            close_database()
    assert ids[old] != ids[fresh]


def test_a_database_at_9_gets_retired_fields_and_the_regulation_register(tmp_path):
    """Step 10 on a database whose catalogue_field has no ``retired`` (made at 9), keeping
    the office's own fields; the register table is created."""
    path = tmp_path / "at9.sqlite3"
    open_database(path)
    close_database()
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE catalogue_field DROP COLUMN retired")
    con.execute("INSERT INTO catalogue_field(code, label, position, created_at) VALUES ('custom_1', '河长制', 1, '2026-01-01T00:00:00+00:00')")
    con.execute("DROP TABLE regulation")
    con.execute("UPDATE schema_version SET version = 9")
    con.commit()
    con.close()
    opened = open_database(path)
    try:
        assert opened.migrated_from == 9
        from gkdesk.db.catalogue_models import CatalogueField
        from gkdesk.db.register_models import Regulation

        f = CatalogueField.get()
        assert (f.label, f.retired) == ("河长制", False)
        assert Regulation.select().count() == 0
    finally:
        close_database()
    fresh = tmp_path / "fresh.sqlite3"
    open_database(fresh)
    close_database()
    assert _columns(path) == _columns(fresh)
