"""Fixtures of the reliability tests: a throwaway PostgreSQL server and ``any_db``, which runs
a test once on a SQLite file and once on a fresh PostgreSQL database.

The server: Debian's ``postgresql`` package (``/usr/lib/postgresql/*/bin/initdb`` and
``pg_ctl``) starts a private cluster in a temporary folder, listening on a free localhost
port with its socket in ``/tmp``. As root (CI) the cluster runs as the ``postgres`` OS
user (``runuser``), since PostgreSQL refuses to run as root. ``GKDESK_TEST_PG_URL``
(``postgresql://user:pw@host:port/postgres``) uses an existing server instead. When no
server can be started the PostgreSQL variants are skipped, naming the reason.

Durability settings of the throwaway cluster (fsync off) only make it faster: no test
kills the PostgreSQL server.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass

import pytest


@dataclass
class PgServer:
    host: str
    port: int
    user: str
    password: str = ""

    def url(self, dbname: str) -> str:
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"postgresql://{auth}@{self.host}:{self.port}/{dbname}"

    def admin_connect(self):
        import psycopg2

        conn = psycopg2.connect(host=self.host, port=self.port, user=self.user, password=self.password or None,
                                dbname="postgres")
        conn.autocommit = True
        return conn

    def create_database(self) -> str:
        name = "gk_" + uuid.uuid4().hex[:12]
        conn = self.admin_connect()
        try:
            conn.cursor().execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
        finally:
            conn.close()
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        conn = self.admin_connect()
        try:
            conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            conn.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_cluster(durable: bool = False) -> tuple[PgServer | None, str, callable]:
    """(server, reason it could not start, cleanup). ``durable``: PostgreSQL's own defaults
    (fsync on), as an office's server runs — for benchmarks/load.py."""
    try:
        import psycopg2  # noqa: F401
    except ModuleNotFoundError:
        return None, "psycopg2 is not installed (pip install psycopg2-binary)", lambda: None
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                  key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    initdb = bins[-1] if bins else shutil.which("initdb")
    if not initdb:
        return None, "no PostgreSQL server installed (Debian package 'postgresql': initdb not found)", lambda: None
    pg_ctl = os.path.join(os.path.dirname(initdb), "pg_ctl")
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    if as_root:
        import pwd

        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            return None, "running as root and there is no 'postgres' OS user to run the server", lambda: None
        runuser = shutil.which("runuser")
        if not runuser:
            return None, "running as root and 'runuser' is absent", lambda: None
        prefix = [runuser, "-u", "postgres", "--"]
    base = tempfile.mkdtemp(prefix="gkdesk-pg-")
    sock = tempfile.mkdtemp(prefix="gkpg-", dir="/tmp")
    data = os.path.join(base, "data")
    log = os.path.join(base, "server.log")
    if as_root:
        for d in (base, sock):
            os.chown(d, pw.pw_uid, pw.pw_gid)
            os.chmod(d, 0o700)
    port = _free_port()

    def cleanup():
        subprocess.run([*prefix, pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)
        shutil.rmtree(sock, ignore_errors=True)

    r = subprocess.run([*prefix, initdb, "-D", data, "-A", "trust", "-U", "gkdesk", "-E", "UTF8",
                        "--no-locale"], capture_output=True, text=True, timeout=180)
    if r.returncode != 0:
        cleanup()
        return None, f"initdb failed: {(r.stderr or r.stdout).strip()[-300:]}", lambda: None
    opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c max_connections=60"
    if not durable:
        opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    r = subprocess.run([*prefix, pg_ctl, "-D", data, "-l", log, "-o", opts, "-w", "-t", "60", "start"],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        tail = ""
        if os.path.exists(log):
            tail = open(log, encoding="utf-8", errors="replace").read()[-300:]
        cleanup()
        return None, f"pg_ctl start failed: {(r.stderr or r.stdout).strip()[-200:]} {tail}", lambda: None
    server = PgServer("127.0.0.1", port, "gkdesk")
    for _ in range(50):
        try:
            server.admin_connect().close()
            break
        except Exception as exc:  # noqa: BLE001
            last = exc
            time.sleep(0.2)
    else:
        cleanup()
        return None, f"server started but refuses connections: {last}", lambda: None
    return server, "", cleanup


@pytest.fixture(scope="session")
def pg_server():
    url = os.environ.get("GKDESK_TEST_PG_URL")
    if url:
        from urllib.parse import urlparse

        u = urlparse(url)
        yield PgServer(u.hostname or "localhost", u.port or 5432, u.username or "postgres", u.password or "")
        return
    server, reason, cleanup = _start_cluster()
    if server is None:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    try:
        yield server
    finally:
        cleanup()


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty PostgreSQL database (dropped afterwards)."""
    url = pg_server.create_database()
    yield url
    from gkdesk.db import close_database

    close_database()
    pg_server.drop_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db(request, tmp_path):
    """The target (file path or URL) of a fresh gkdesk database, opened; once per backend."""
    from gkdesk.db import close_database, open_database

    if request.param == "sqlite":
        target = str(tmp_path / "gkdesk.sqlite3")
    else:
        target = request.getfixturevalue("pg_url")
    open_database(target)
    yield target
    close_database()
