"""``gkdesk check``: names every problem and exits non-zero; tampering with the audit trail
(edit, delete in the middle, delete the newest events, re-compute the whole chain) is found."""
from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from tests.reliability.helpers import application


@pytest.fixture
def populated(tmp_path, monkeypatch):
    """A closed database with 6 cases (two with a scan), its backup folder in tmp."""
    from gkdesk.cases.registry import register
    from gkdesk.db import close_database, open_database

    monkeypatch.setenv("GKDESK_DATA_DIR", str(tmp_path / "data"))
    scan = tmp_path / "申请书扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"scan of an application form\n" * 200)
    scan2 = tmp_path / "身份证复印件.jpg"
    scan2.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 40)
    path = tmp_path / "office.sqlite3"
    open_database(path)
    for i in range(6):
        files = [str(scan)] if i == 1 else [str(scan2)] if i == 4 else []
        register(application(i, attachments=files), "clerk1")
    close_database()
    return path


def _cli(run_cli, path, tmp_path):
    return run_cli("check", "--db", path, env={"GKDESK_DATA_DIR": str(tmp_path / "data")})


def test_clean_database_passes(populated, run_cli, tmp_path):
    r = _cli(run_cli, populated, tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "检查通过" in r.stdout and "案件 6 件" in r.stdout and "存储文件 2 个" in r.stdout


def _attachment_path(db_path, filename):
    conn = sqlite3.connect(db_path)
    stored, = conn.execute("SELECT stored_path FROM attachment WHERE filename = ?", (filename,)).fetchone()
    conn.close()
    return db_path.parent / f"{db_path.stem}-files" / stored


def test_altered_and_missing_files_are_named(populated, run_cli, tmp_path):
    p = _attachment_path(populated, "申请书扫描件.pdf")
    p.write_bytes(p.read_bytes().replace(b"scan", b"SCAN", 1))
    _attachment_path(populated, "身份证复印件.jpg").unlink()
    r = _cli(run_cli, populated, tmp_path)
    assert r.returncode != 0
    assert "附件“申请书扫描件.pdf”（案件 依申〔2026〕2号）的文件内容已被改动（SHA-256 不符）" in r.stdout
    assert "附件“身份证复印件.jpg”（案件 依申〔2026〕5号）的文件不见了" in r.stdout
    assert "发现 2 个问题" in r.stdout


def _open_for_tampering(path):
    """A raw connection as a tamperer would use, dropping the append-only triggers first
    (should the schema have them)."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER IF EXISTS case_event_no_update")
    conn.execute("DROP TRIGGER IF EXISTS case_event_no_delete")
    return conn


def _events(path):
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT id, summary FROM case_event ORDER BY id").fetchall()
    conn.close()
    return rows


def test_edited_event_detected(populated, run_cli, tmp_path):
    conn = _open_for_tampering(populated)
    conn.execute("UPDATE case_event SET summary = '登记申请 依申〔2026〕99号' WHERE id = 3")
    conn.commit()
    conn.close()
    r = _cli(run_cli, populated, tmp_path)
    assert r.returncode != 0
    assert "审计记录 #3 的内容被改动（哈希不符）" in r.stdout


def test_deleted_event_in_the_middle_detected(populated, run_cli, tmp_path):
    conn = _open_for_tampering(populated)
    conn.execute("DELETE FROM case_event WHERE id = 2")
    conn.commit()
    conn.close()
    r = _cli(run_cli, populated, tmp_path)
    assert r.returncode != 0
    assert "审计记录 #3 之前的记录被删除或改动（链接断开）" in r.stdout


def _recompute_chain(path):
    """What a careful forger does: re-compute every hash after editing."""
    from gkdesk.audit import _digest

    conn = _open_for_tampering(path)
    prev = ""
    for (id_, case_id, at, user, action, fs, ts, summary, details) in conn.execute(
            "SELECT id, case_id, at, user, action, from_stage, to_stage, summary, details FROM case_event "
            "ORDER BY id").fetchall():
        d = json.loads(details) if details is not None else None
        h = _digest(prev, case_id, at, user, action, fs, ts, summary, d)
        conn.execute("UPDATE case_event SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, id_))
        prev = h
    conn.commit()
    conn.close()


def test_deleting_newest_events_and_forging_the_chain_is_caught_by_backup_anchors(populated, run_cli, tmp_path):
    # A backup is taken (as the GUI does every day) ...
    r = run_cli("backup", "--db", populated, env={"GKDESK_DATA_DIR": str(tmp_path / "data")})
    assert r.returncode == 0, r.stderr
    # ... then someone removes the newest event and re-computes the chain: the chain
    # alone is consistent again, the anchor in the backup's manifest is not.
    conn = _open_for_tampering(populated)
    conn.execute("DELETE FROM case_event WHERE id = (SELECT max(id) FROM case_event)")
    conn.commit()
    conn.close()
    r = _cli(run_cli, populated, tmp_path)
    assert r.returncode != 0
    assert "审计记录 #7 在" in r.stdout and "现已被删除" in r.stdout   # #1 is the identity, #2–#7 the cases

    conn = _open_for_tampering(populated)
    conn.execute("UPDATE case_event SET summary = '篡改' WHERE id = 2")
    conn.commit()
    conn.close()
    _recompute_chain(populated)
    r = _cli(run_cli, populated, tmp_path)
    assert r.returncode != 0
    assert "链接断开" not in r.stdout and "哈希不符" not in r.stdout  # the forged chain is self-consistent
    assert "现已被删除" in r.stdout


def test_forged_chain_after_edit_caught_by_anchor(populated, run_cli, tmp_path):
    r = run_cli("backup", "--db", populated, env={"GKDESK_DATA_DIR": str(tmp_path / "data")})
    assert r.returncode == 0
    conn = _open_for_tampering(populated)
    conn.execute("UPDATE case_event SET user = 'someone' WHERE id = 1")
    conn.commit()
    conn.close()
    _recompute_chain(populated)
    r = _cli(run_cli, populated, tmp_path)
    assert r.returncode != 0
    assert "审计记录的首条记录与" in r.stdout and "不一致" in r.stdout


def test_dangling_reference_named(populated, run_cli, tmp_path):
    conn = sqlite3.connect(populated)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("INSERT INTO correction (case_id, notice_date, what_to_add, period_end, abandoned) "
                 "VALUES (999, '2026-03-03', '补充', '2026-03-18', 0)")
    conn.commit()
    conn.close()
    r = _cli(run_cli, populated, tmp_path)
    assert r.returncode != 0
    assert "数据表 correction" in r.stdout and "case 中不存在的记录" in r.stdout


def test_damaged_index_named(populated, run_cli, tmp_path):
    """integrity_check finds an index whose entries no longer match the table."""
    conn = sqlite3.connect(populated)
    conn.execute("PRAGMA writable_schema=ON")
    # Point the applicant_initials index at the wrong column: the b-tree stays readable
    # but its entries disagree with the rows — the kind of damage only integrity_check sees.
    sql, = conn.execute("SELECT sql FROM sqlite_master WHERE type='index' AND name LIKE 'case_applicant_initials%'"
                        ).fetchone()
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE type='index' AND name LIKE 'case_applicant_initials%'",
                 (sql.replace('"applicant_initials"', '"applicant_name"'),))
    conn.commit()
    conn.close()
    r = _cli(run_cli, populated, tmp_path)
    assert r.returncode != 0
    assert "问题：数据库文件结构损坏：row 1 missing from index case_applicant_initials" in r.stdout
    assert "gkdesk restore" in r.stdout
    assert "Traceback" not in r.stderr


def test_check_api_reports_counts(populated):
    from gkdesk.db import close_database, open_database
    from gkdesk.integrity import run_check

    open_database(populated)
    try:
        seen = []
        report = run_check(progress=lambda d, t: seen.append((d, t)))
        assert report.ok, report.problems
        assert report.counts == {"cases": 6, "events": 7, "files": 2}   # 6 registrations + the identity
        assert seen[-1] == (2, 2)
    finally:
        close_database()


def test_sha256_of_store_matches_hashlib(populated):
    p = _attachment_path(populated, "申请书扫描件.pdf")
    assert p.name.startswith(hashlib.sha256(p.read_bytes()).hexdigest())


def test_forged_middle_event_caught_by_anchor(populated, run_cli, tmp_path):
    r = run_cli("backup", "--db", populated, env={"GKDESK_DATA_DIR": str(tmp_path / "data")})
    assert r.returncode == 0
    conn = _open_for_tampering(populated)
    conn.execute("UPDATE case_event SET summary = '登记申请（已改）' WHERE id = 3")
    conn.commit()
    conn.close()
    _recompute_chain(populated)
    r = _cli(run_cli, populated, tmp_path)
    assert r.returncode != 0
    assert "审计记录 #7 与" in r.stdout and "不一致（被改动）" in r.stdout   # #1 is the identity


def test_two_demo_databases_with_one_seed_share_a_backup_folder(tmp_path, monkeypatch):
    """Two databases made alike (demo, same seed) used to share their first audit hash, so
    one's backup anchors were compared with the other's events: 「审计记录 #N … 不一致（被改
    动）」 for tampering that never happened. Each database has its own identity, in its
    first audit event and every backup's manifest; only its own backups are compared."""
    from gkdesk import audit, backup
    from gkdesk.cases.registry import register
    from gkdesk.db import close_database, open_database
    from gkdesk.demo import generate
    from gkdesk.integrity import run_check

    monkeypatch.setenv("GKDESK_DATA_DIR", str(tmp_path / "data"))
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    ids = {}
    for path, extra in ((a, 2), (b, 0)):
        open_database(path)
        import datetime as dt

        generate(15, seed=7, units=0, today=dt.date(2026, 11, 20))
        backup.create_backup(kind="manual")
        for i in range(extra):                     # a goes on working: its events differ from b's
            register(application(20 + i), "clerk1")
        backup.create_backup(kind="manual")
        ids[path] = audit.database_id()
        first = audit.CaseEvent.select().order_by(audit.CaseEvent.id).first()
        assert first.action == audit.IDENTITY_ACTION and first.details == {"database_id": ids[path]}
        close_database()
    assert ids[a] and ids[b] and ids[a] != ids[b]
    infos = backup.list_backups()
    assert len(infos) == 4 and {i.database_id for i in infos} == {ids[a], ids[b]}
    for path in (a, b):
        open_database(path)
        try:
            report = run_check()
            assert report.ok, (path.name, report.problems)
            assert len(backup.backups_of_current()) == 2
        finally:
            close_database()
    # real tampering in b is still found by b's own backup anchors
    conn = _open_for_tampering(b)
    conn.execute("DELETE FROM case_event WHERE id = (SELECT max(id) FROM case_event)")
    conn.commit()
    conn.close()
    _recompute_chain(b)
    open_database(b)
    try:
        problems = run_check().problems
    finally:
        close_database()
    assert any("现已被删除" in p for p in problems), problems
    # and the identity itself cannot be swapped unnoticed
    conn = _open_for_tampering(a)
    conn.execute("UPDATE setting SET value = ? WHERE key = 'database.id'", (json.dumps(ids[b]),))
    conn.commit()
    conn.close()
    open_database(a)
    try:
        problems = run_check().problems
    finally:
        close_database()
    assert any("数据库标识" in p and "不一致" in p for p in problems), problems
