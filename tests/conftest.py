"""Test setup: Qt offscreen (set before Qt is imported), a private data folder for the
session (under pytest's own temporary folder, removed when the session ends), and a fresh
SQLite database file on disk per test."""
import os
import shutil
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Until the session fixture below sets it: a folder that is never created, so nothing run
# while collecting can touch the user's real data folder.
_GIVEN_DATA_DIR = os.environ.get("GKDESK_DATA_DIR")
os.environ.setdefault("GKDESK_DATA_DIR", os.path.join(os.sep, "nonexistent", "gkdesk-test-data"))

import pytest  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="session", autouse=True)
def _session_data_dir(tmp_path_factory):
    """The data folder of the whole session (unless GKDESK_DATA_DIR was given): made in
    pytest's temporary folder and removed when the session ends, so test runs leave no
    gkdesk-test-data-* folders behind in /tmp."""
    if _GIVEN_DATA_DIR:
        yield _GIVEN_DATA_DIR
        return
    folder = tmp_path_factory.mktemp("gkdesk-test-data")
    os.environ["GKDESK_DATA_DIR"] = str(folder)
    yield str(folder)
    shutil.rmtree(folder, ignore_errors=True)


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
