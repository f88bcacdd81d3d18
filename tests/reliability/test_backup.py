"""Backups: consistent while another process writes, self-checking, rotated; restore
checks first, backs up the current state, and brings back database and files."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
import time
import zipfile

import pytest

from tests.reliability.helpers import PYTHON, application, child_env


@pytest.fixture
def office(tmp_path, monkeypatch):
    """An open database with 5 cases, one attachment; backups go to tmp/data/backups."""
    from gkdesk.cases.registry import register
    from gkdesk.db import close_database, open_database

    monkeypatch.setenv("GKDESK_DATA_DIR", str(tmp_path / "data"))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"x" * 5000)
    path = tmp_path / "office.sqlite3"
    opened = open_database(path)
    for i in range(5):
        register(application(i, attachments=[str(scan)] if i == 0 else []), "clerk1")
    yield opened
    close_database()


def _cases(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = conn.execute('SELECT year, serial, number FROM "case" ORDER BY year, serial').fetchall()
    conn.close()
    return rows


def test_backup_archive_contents(office, tmp_path):
    from gkdesk import __version__, backup
    from gkdesk.db.migrations import LATEST
    from gkdesk.fileio import sha256_file

    info = backup.create_backup(kind="manual")
    assert info.path.parent == tmp_path / "data" / "backups"
    assert info.path.name.startswith("gkdesk-backup-") and info.path.name.endswith("-manual.zip")
    assert info.case_count == 5
    m = info.manifest
    assert m["gkdesk_version"] == __version__ and m["schema_version"] == LATEST
    assert m["audit"]["count"] == 6 and m["audit"]["last_id"] == 6   # the identity + 5 registrations
    from gkdesk import audit

    assert m["database_id"] == audit.database_id() and len(m["database_id"]) == 36
    with zipfile.ZipFile(info.path) as zf:
        names = set(zf.namelist())
        assert {"manifest.json", "database.sqlite3"} <= names
        stored = [n for n in names if n.startswith("files/attachments/")]
        assert len(stored) == 1
        data = zf.read(stored[0])
    assert data.startswith(b"%PDF-1.4")
    assert sha256_file(office.files_dir / stored[0][len("files/"):]) == m["members"][stored[0]]["sha256"]
    assert backup.verify_backup(info.path) == []
    # no temporaries left behind
    assert [p.name for p in info.path.parent.iterdir()] == [info.path.name]


def test_backup_folder_setting(office, tmp_path):
    from gkdesk import backup, settings

    second_disk = tmp_path / "second-disk" / "gkdesk"
    settings.save({"backup.dir": str(second_disk)}, user="admin")
    info = backup.create_backup()
    assert info.path.parent == second_disk
    assert [b.path for b in backup.list_backups()] == [info.path]


def test_backup_consistent_while_another_process_writes(office, tmp_path):
    """The snapshot is a consistent state: numbering gap-free and events matching cases,
    while a second process keeps registering cases."""
    from gkdesk import backup

    code = (
        "import sys\n"
        "from tests.reliability.helpers import application\n"
        "from gkdesk.db import open_database\n"
        "from gkdesk.cases.registry import register\n"
        f"open_database({str(office.path)!r})\n"
        "print('ready', flush=True)\n"
        "for i in range(100, 400):\n"
        "    register(application(i), 'clerk2')\n"
        "print('done', flush=True)\n")
    child = subprocess.Popen([PYTHON, "-c", code], stdout=subprocess.PIPE, text=True, env=child_env())
    try:
        assert child.stdout.readline().strip() == "ready"
        infos = []
        while child.poll() is None and len(infos) < 40:
            infos.append(backup.create_backup(kind="manual"))
            time.sleep(0.05)
        child.wait(120)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0
    counts = []
    for info in infos:
        snap = tmp_path / "snap.sqlite3"
        assert backup.verify_backup(info.path, extract_db_to=snap) == []
        rows = _cases(snap)
        assert [r[1] for r in rows] == list(range(1, len(rows) + 1))
        assert len(rows) == info.case_count
        conn = sqlite3.connect(snap)
        assert conn.execute("SELECT count(*) FROM case_event WHERE action='register'").fetchone()[0] == len(rows)
        conn.close()
        snap.unlink()
        counts.append(len(rows))
    assert counts == sorted(counts)
    assert counts[-1] > counts[0], "the writer never committed while backups were taken"
    print(f"{len(infos)} backups taken while writing; case counts {counts[0]}…{counts[-1]}")


def test_restore_round_trip_with_safety_backup(office, tmp_path):
    from gkdesk import backup
    from gkdesk.cases.registry import register
    from gkdesk.db import close_database, open_database
    from gkdesk.db.models import Case, CaseEvent
    from gkdesk.integrity import run_check

    first = backup.create_backup(kind="manual")
    for i in range(5, 9):
        register(application(i), "clerk1")
    assert Case.select().count() == 9
    # The attachment file gets damaged and lost after the backup.
    att = next(office.files_dir.rglob("*.pdf"))
    att.unlink()
    close_database()

    result = backup.restore(first.path, office.path)
    assert result.safety_backup is not None and result.damaged_copy is None
    safety = backup.load_backup(result.safety_backup)
    assert safety.kind == "pre-restore" and safety.case_count == 9
    assert result.files_restored == 1 and att.is_file()
    open_database(office.path)
    backup.record_restore(result)
    assert Case.select().count() == 5
    ev = CaseEvent.select().order_by(CaseEvent.id.desc()).first()
    assert ev.action == "restore" and first.path.name in json.dumps(ev.details, ensure_ascii=False)
    report = run_check()
    assert report.ok, report.problems  # the replaced history's anchors are not held against it
    # ... and the state before the restore can itself be restored.
    close_database()
    result2 = backup.restore(result.safety_backup, office.path)
    open_database(office.path)
    backup.record_restore(result2)
    assert Case.select().count() == 9
    assert run_check().ok


def test_restore_refuses_a_damaged_archive_and_changes_nothing(office, tmp_path):
    from gkdesk import backup
    from gkdesk.db import close_database
    from gkdesk.errors import DatabaseError

    info = backup.create_backup(kind="manual")
    # Rewrite the archive with one byte of the snapshot changed (manifest unchanged).
    bad = tmp_path / "data" / "backups" / "gkdesk-backup-20260101-000000-manual.zip"
    with zipfile.ZipFile(info.path) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "database.sqlite3":
                data = data[:5000] + bytes([data[5000] ^ 0xFF]) + data[5001:]
            dst.writestr(item, data)
    assert any("已损坏" in p for p in backup.verify_backup(bad))
    close_database()
    before = office.path.read_bytes()
    with pytest.raises(DatabaseError, match="不能用于恢复"):
        backup.restore(bad, office.path)
    assert office.path.read_bytes() == before
    assert not any(p.name.endswith(".tmp") for p in office.path.parent.iterdir())
    # A truncated archive is refused too.
    cut = tmp_path / "cut.zip"
    cut.write_bytes(info.path.read_bytes()[:3000])
    with pytest.raises(DatabaseError, match="不是完整的 gkdesk 备份"):
        backup.restore(cut, office.path)


def test_restore_over_a_corrupt_file_keeps_it_aside(office, tmp_path):
    from gkdesk import backup
    from gkdesk.db import close_database, open_database
    from gkdesk.db.models import Case

    info = backup.create_backup(kind="manual")
    close_database()
    data = bytearray(office.path.read_bytes())
    data[:100] = bytes(100)
    office.path.write_bytes(bytes(data))
    result = backup.restore(info.path, office.path)
    assert result.safety_backup is None
    assert result.damaged_copy.read_bytes() == bytes(data)   # never thrown away
    open_database(office.path)
    assert Case.select().count() == 5


def test_restore_needs_admin(office):
    from gkdesk import backup
    from gkdesk.actors import Actor
    from gkdesk.errors import PermissionDenied

    info = backup.create_backup()
    with pytest.raises(PermissionDenied, match="管理员"):
        backup.restore(info.path, actor=Actor("clerk1", "小王", frozenset({"clerk"})))


def test_rotation_keeps_14_daily_and_12_monthly(office, tmp_path):
    from gkdesk import backup

    start = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.timezone.utc)
    made = []
    for day in range(0, 430, 6):           # every sixth day for ~14 months, two per day
        for hour in (0, 8):
            made.append(backup.create_backup(kind="auto", now=start + dt.timedelta(days=day, hours=hour)))
    manual = backup.create_backup(kind="manual", now=start)
    removed = backup.rotate()
    left = backup.list_backups()
    auto = [b for b in left if b.kind == "auto"]
    days = {b.local_time.date() for b in auto}
    months = {(b.local_time.year, b.local_time.month) for b in auto}
    assert len(removed) == len(made) - len(auto)
    assert manual.path in [b.path for b in left]
    # one per day at most, the newest of the day
    assert len(days) == len(auto)
    newest_day = max(days)
    last14 = sorted({b.local_time.date() for b in made}, reverse=True)[:14]
    assert set(last14) <= days
    assert len(months) == 12 or len(months) == len(auto)
    assert len(auto) <= 14 + 12
    for d in last14:
        kept = [b for b in auto if b.local_time.date() == d]
        assert len(kept) == 1
        assert kept[0].created_at == max(m.created_at for m in made if m.local_time.date() == d)
    assert newest_day == max(b.local_time.date() for b in made)


def test_maybe_daily_backup(office, tmp_path):
    from gkdesk import backup, settings

    now = dt.datetime.now(dt.timezone.utc)
    first = backup.maybe_daily_backup("start", now=now)
    assert first is not None and first.kind == "auto"
    assert backup.maybe_daily_backup("start", now=now) is None          # already one today
    assert backup.maybe_daily_backup("exit", now=now) is None           # nothing changed
    settings.save({"office.name": "某某县人民政府办公室"}, user="admin")
    after = backup.maybe_daily_backup("exit", now=now + dt.timedelta(seconds=2))
    assert after is not None
    assert backup.maybe_daily_backup("start", now=now + dt.timedelta(days=1)) is not None


def test_cli_backup_backups_restore(tmp_path, run_cli):
    env = {"GKDESK_DATA_DIR": str(tmp_path / "data")}
    db = tmp_path / "cli.sqlite3"
    code = ("from tests.reliability.helpers import application\n"
            "from gkdesk.db import open_database\n"
            "from gkdesk.cases.registry import register\n"
            f"open_database({str(db)!r})\n"
            "for i in range(3): register(application(i), 'clerk')\n")
    subprocess.run([sys.executable, "-c", code], check=True, env=child_env(**env))
    out = tmp_path / "usb"
    r = run_cli("backup", "-o", out, "--db", db, env=env)
    assert r.returncode == 0, r.stderr
    assert "案件 3 件" in r.stdout
    archive = next(out.glob("gkdesk-backup-*.zip"))
    r = run_cli("backups", "--dir", out, env=env)
    assert r.returncode == 0 and "案件 3 件" in r.stdout and archive.name in r.stdout
    subprocess.run([sys.executable, "-c", code.replace("range(3)", "range(3, 7)")], check=True,
                   env=child_env(**env))
    r = run_cli("restore", archive, "--db", db, env=env)          # no --yes, no terminal
    assert r.returncode != 0 and "--yes" in r.stderr
    assert len(_cases(db)) == 7
    r = run_cli("restore", archive, "--db", db, "--yes", env=env)
    assert r.returncode == 0, r.stderr
    assert "恢复前的状态已备份" in r.stdout
    assert len(_cases(db)) == 3
    r = run_cli("check", "--db", db, env=env)
    assert r.returncode == 0, r.stdout
