"""Test setup: Qt offscreen (set before Qt is imported), a private data folder, and a fresh
SQLite database file on disk per test."""
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GKDESK_DATA_DIR", tempfile.mkdtemp(prefix="gkdesk-test-data-"))

import pytest  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def db_path(tmp_path):
    """A fresh, migrated gkdesk database in a real file; closed after the test."""
    from gkdesk.db import close_database, open_database

    path = tmp_path / "gkdesk.sqlite3"
    open_database(path)
    yield path
    close_database()


@pytest.fixture
def run_cli(tmp_path):
    """Run ``python -m gkdesk ARGS`` in a child process; returns CompletedProcess."""
    import subprocess

    def run(*args, check=False, input=None, env=None):
        e = dict(os.environ)
        e["PYTHONPATH"] = ROOT
        e.update(env or {})
        return subprocess.run([sys.executable, "-m", "gkdesk", *map(str, args)], capture_output=True,
                              text=True, check=check, input=input, env=e, cwd=str(tmp_path), timeout=300)

    return run
