"""Opening a bad database: a clear Chinese message and the way out, never an overwrite and
never a traceback. Driven through the real command line (``gkdesk cases list --db BAD``)."""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from tests.reliability.helpers import ROOT, application, child_env


def _digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.fixture
def good_db(tmp_path):
    """A gkdesk database with a few cases, closed, checkpointed (no -wal)."""
    from gkdesk.cases.registry import register
    from gkdesk.db import close_database, open_database

    path = tmp_path / "good.sqlite3"
    open_database(path)
    for i in range(40):
        register(application(i), "clerk1")
    close_database()
    assert not os.path.exists(f"{path}-wal") or os.path.getsize(f"{path}-wal") == 0
    return path


def _assert_refused(result, path, before: str, *phrases: str):
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("错误："), result.stderr
    for p in phrases:
        assert p in result.stderr, result.stderr
    assert _digest(path) == before, "the bad file was modified"
    assert "未做任何修改" in result.stderr


def test_corrupt_pages(good_db, run_cli):
    data = bytearray(good_db.read_bytes())
    assert len(data) > 6 * 4096
    # Garbage over the b-tree pages behind the schema page (the case table among them).
    for i in range(4096 * 2, len(data) - 4096):
        data[i] = (i * 131 + 17) % 256
    good_db.write_bytes(bytes(data))
    before = _digest(good_db)
    r = run_cli("cases", "list", "--db", good_db)
    _assert_refused(r, good_db, before, "已损坏", "gkdesk restore", "备份")


def test_zeroed_header(good_db, run_cli):
    data = bytearray(good_db.read_bytes())
    data[:100] = bytes(100)
    good_db.write_bytes(bytes(data))
    before = _digest(good_db)
    r = run_cli("cases", "list", "--db", good_db)
    _assert_refused(r, good_db, before, "已损坏", "备份")


def test_truncated_file(good_db, run_cli):
    data = good_db.read_bytes()
    good_db.write_bytes(data[: len(data) // 3])
    before = _digest(good_db)
    r = run_cli("cases", "list", "--db", good_db)
    _assert_refused(r, good_db, before, "已损坏", "备份")


def test_not_sqlite_at_all(tmp_path, run_cli):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(3000))
    before = _digest(path)
    r = run_cli("cases", "list", "--db", path)
    _assert_refused(r, path, before, "不是 gkdesk 数据库", "检查路径")


def test_other_programs_sqlite_file(tmp_path, run_cli):
    """A rollback-journal SQLite file of another program: not even switched to WAL."""
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('张三', '13800138000')")
    conn.commit()
    conn.close()
    before = _digest(path)
    r = run_cli("cases", "list", "--db", path)
    _assert_refused(r, path, before, "不是 gkdesk 数据库", "其他软件")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_newer_schema(good_db, run_cli):
    from gkdesk.db.migrations import LATEST

    conn = sqlite3.connect(good_db)
    conn.execute("UPDATE schema_version SET version = ?", (LATEST + 1,))
    conn.commit()
    conn.close()
    before = _digest(good_db)
    r = run_cli("cases", "list", "--db", good_db)
    _assert_refused(r, good_db, before, "更新版本", "请升级 gkdesk", f"版本 {LATEST + 1}")


def test_locked_by_another_program(good_db, run_cli):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys\n"
         f"c = sqlite3.connect({str(good_db)!r}, isolation_level=None)\n"
         "c.execute('PRAGMA locking_mode=EXCLUSIVE')\n"
         "c.execute('BEGIN EXCLUSIVE')\n"
         "print('locked', flush=True)\n"
         "sys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        before = _digest(good_db)
        r = run_cli("cases", "list", "--db", good_db)
        _assert_refused(r, good_db, before, "锁定", "关闭那个程序后重试")
    finally:
        holder.stdin.close()
        holder.wait(10)
    # Once the other program lets go, the same command works.
    r = run_cli("cases", "list", "--db", good_db)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.strip().splitlines()) == 40


def _unprivileged(cmd: list[str]) -> list[str]:
    """Run ``cmd`` so that file permissions bind (root ignores them otherwise)."""
    if os.geteuid() != 0:
        return cmd
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("running as root and util-linux 'setpriv' is absent: cannot make a file read-only for root")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", *cmd]


def test_read_only_file_and_the_way_out(good_db, tmp_path):
    os.chmod(good_db, 0o444)
    os.chmod(good_db.parent, 0o555)
    try:
        before = _digest(good_db)
        env = child_env(GKDESK_DATA_DIR=str(tmp_path / "data-ro"))
        r = subprocess.run(_unprivileged([sys.executable, "-m", "gkdesk", "cases", "list", "--db", str(good_db)]),
                           capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
        _assert_refused(r, good_db, before, "只读", "只读方式打开", "--read-only")
        # The way out on the command line ...
        r = subprocess.run(_unprivileged([sys.executable, "-m", "gkdesk", "cases", "list", "--read-only",
                                          "--db", str(good_db)]),
                           capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
        assert r.returncode == 0, r.stderr
        assert len(r.stdout.strip().splitlines()) == 40
        # ... and in the API: open it read-only, read the cases, writes are refused.
        code = ("from gkdesk.db import open_database\n"
                "from gkdesk.cases.query import CaseFilter, count_cases\n"
                f"o = open_database({str(good_db)!r}, read_only=True)\n"
                "print(o.read_only, count_cases(CaseFilter()))\n"
                "from gkdesk.db.models import Setting\n"
                "from gkdesk.errors import DatabaseError\n"
                "try:\n"
                "    Setting.replace(key='office.name', value='x').execute()\n"
                "except DatabaseError as e:\n"
                "    print('refused:', e)\n")
        r = subprocess.run(_unprivileged([sys.executable, "-c", code]), capture_output=True, text=True,
                           env=env, cwd=ROOT, timeout=120)
        assert r.returncode == 0, r.stderr
        lines = r.stdout.splitlines()
        assert lines[0] == "True 40"
        assert lines[1].startswith("refused:") and "只读" in lines[1]
        assert _digest(good_db) == before
    finally:
        os.chmod(good_db.parent, 0o755)
        os.chmod(good_db, 0o644)


def test_read_only_mode_refuses_writes_in_process(good_db):
    from gkdesk import settings
    from gkdesk.db import close_database, open_database
    from gkdesk.errors import DatabaseError

    before = _digest(good_db)
    opened = open_database(good_db, read_only=True)
    try:
        assert opened.read_only
        assert settings.get("office.name")
        with pytest.raises(DatabaseError, match="只读"):
            settings.save({"office.name": "某某县人民政府办公室"}, user="clerk1")
    finally:
        close_database()
    assert _digest(good_db) == before


def test_damage_found_after_opening_is_a_message_not_a_traceback(good_db, run_cli):
    """Corruption deep in a table that the opening check does not reach is still reported
    as a message when a query runs into it (the SQLite error is translated)."""
    from gkdesk.db import close_database, open_database
    from gkdesk.db.connection import DatabaseCorrupt
    from gkdesk.db.models import Case

    open_database(good_db)
    try:
        conn = sqlite3.connect(good_db)
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='case'").fetchone()[0]
        conn.close()
        with open(good_db, "r+b") as fh:
            fh.seek((root - 1) * 4096)
            fh.write(b"\xff" * 4096)
        from gkdesk.db.models import db

        db.execute_sql("PRAGMA cache_size=0")
        with pytest.raises(DatabaseCorrupt, match="已损坏"):
            db.close()
            db.connect()
            list(Case.select().where(Case.serial > 0).dicts())
    finally:
        close_database()
