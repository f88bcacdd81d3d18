"""Opening the database: SQLite file by default (WAL, foreign keys, full sync), or a
PostgreSQL server (``postgresql://user:password@host:port/dbname``).

``open_database(target)`` binds the models' proxy once and migrates the schema; everything
else uses ``gkdesk.db.models.db``.

Before SQLite's pragmas touch the file (``journal_mode=wal`` rewrites the header of a
rollback-journal database), the file is probed through a separate *read-only* connection:
not a SQLite file, not a gkdesk database, written by a newer gkdesk, corrupt, locked by
another program or not writable — each is refused with a Chinese message naming the way
out (open read-only, restore a backup, upgrade gkdesk), and the file is never modified.
``open_database(path, read_only=True)`` opens a database for reading only (SQLite
``mode=ro`` + ``query_only``; PostgreSQL read-only transactions).

Errors SQLite reports later (a page found damaged, the write lock not obtained within the
busy timeout, a file that became read-only) are translated into the same ``DatabaseError``
subclasses, so the CLI and the GUI show a message instead of a traceback.
"""
from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import peewee as pw

from gkdesk.db.models import db
from gkdesk.errors import DatabaseError

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "full",   # a committed write survives a crash of the app or the machine
    "busy_timeout": 10000,   # another gkdesk writing: wait, don't fail with "locked"
    "cache_size": -32000,
}
READ_ONLY_PRAGMAS = {
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "cache_size": -32000,
    "query_only": 1,
}
# How long the opening probe waits for a lock. Readers are never blocked by gkdesk writers
# under WAL; only a program holding an exclusive lock blocks them, so a short wait will do.
PROBE_TIMEOUT = 3.0
# Any fixed number: the PostgreSQL advisory lock that serialises gkdesk's write transactions
# (numbering and the audit hash chain read-then-write, like SQLite's BEGIN IMMEDIATE).
PG_WRITE_LOCK_KEY = 0x676B6465  # "gkde"

SQLITE_HEADER = b"SQLite format 3\x00"


# ------------------------------------------------------------------ errors with a way out

class DatabaseCorrupt(DatabaseError):
    """The file is a damaged SQLite database. Way out: restore a backup."""


class DatabaseLocked(DatabaseError):
    """Another program holds an exclusive lock. Way out: close it and retry."""


class DatabaseReadOnly(DatabaseError):
    """The file or its folder is not writable. Way out: open read-only, or copy it."""


class DatabaseTooNew(DatabaseError):
    """Written by a newer gkdesk. Way out: upgrade gkdesk."""


class NotAGkdeskDatabase(DatabaseError):
    """Not a gkdesk database at all (another program's file, or a wrong path)."""


class DatabaseUnavailable(DatabaseError):
    """The PostgreSQL server cannot be reached or refuses the login."""


RESTORE_HINT = ("请从备份恢复：命令行运行 gkdesk backups 查看备份、gkdesk restore 备份文件 恢复，"
                "或在图形界面的“备份与恢复”中选择备份")
READ_ONLY_HINT = "可以只读方式打开查看（命令行加 --read-only，图形界面选择“只读打开”）"


def corrupt_error(display: str, detail: str = "") -> DatabaseCorrupt:
    why = f"（{detail}）" if detail else ""
    return DatabaseCorrupt(f"数据库文件“{display}”已损坏{why}，为保护数据未做任何修改。{RESTORE_HINT}。")


def locked_error(display: str) -> DatabaseLocked:
    return DatabaseLocked(
        f"数据库“{display}”正被其他程序独占锁定（例如另一个数据库工具打开着它，或正在复制该文件），"
        "暂时无法使用，未做任何修改。请关闭那个程序后重试。")


def read_only_error(display: str, why: str = "没有写入权限") -> DatabaseReadOnly:
    return DatabaseReadOnly(
        f"数据库文件“{display}”是只读的（{why}），未做任何修改。{READ_ONLY_HINT}；"
        "如需登记和修改，请把文件复制到可写的文件夹，或请管理员授予写入权限。")


def too_new_error(display: str, version: int, latest: int) -> DatabaseTooNew:
    from gkdesk import __version__

    return DatabaseTooNew(
        f"数据库“{display}”由更新版本的 gkdesk 创建（数据库版本 {version}，本程序 {__version__} "
        f"只支持到版本 {latest}），为避免损坏数据未做任何修改。请升级 gkdesk 后再打开。")


def not_gkdesk_error(display: str, why: str) -> NotAGkdeskDatabase:
    return NotAGkdeskDatabase(
        f"“{display}”不是 gkdesk 数据库（{why}），未做任何修改。请检查路径是否选错；"
        f"如果这原本是 gkdesk 数据库而文件已损坏，{RESTORE_HINT}。")


def translate_sqlite_error(exc: BaseException, display: str) -> DatabaseError | None:
    """The ``DatabaseError`` a clerk should see for a low-level SQLite error, or None."""
    text = str(exc).lower()
    if "malformed" in text or "not a database" in text or "disk i/o error" in text \
            or "database corrupt" in text:
        return corrupt_error(display, str(exc))
    if "database is locked" in text or "database table is locked" in text:
        return DatabaseLocked(
            f"数据库“{display}”正忙：另一个程序或另一台电脑上的 gkdesk 长时间占用着写入锁，"
            "刚才的操作没有保存。请稍后重试；如一直如此，请关闭其他正在使用该数据库的程序。")
    if "readonly database" in text or "read-only" in text or "query_only" in text \
            or "attempt to write a readonly" in text:
        return read_only_error(display, "当前以只读方式打开，或文件没有写入权限")
    return None


class _Translating:
    """Low-level database errors become ``DatabaseError`` messages (mixin)."""

    display = ""

    def _translate(self, exc):
        raise NotImplementedError

    def _execute_cursor(self, sql, params, **cursor_options):
        try:
            return super()._execute_cursor(sql, params, **cursor_options)
        except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
            err = self._translate(exc)
            if err is None:
                raise
            raise err from exc

    def begin(self, lock_type=None):
        try:
            return super().begin(lock_type)
        except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
            err = self._translate(exc)
            if err is None:
                raise
            raise err from exc

    def commit(self):
        try:
            return super().commit()
        except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
            err = self._translate(exc)
            if err is None:
                raise
            raise err from exc


class GkSqliteDatabase(_Translating, pw.SqliteDatabase):
    """``SqliteDatabase`` whose low-level errors become ``DatabaseError`` messages."""

    def _translate(self, exc):
        if isinstance(exc, (pw.IntegrityError, pw.InterfaceError)):
            return None
        return translate_sqlite_error(exc, self.display or str(self.database))


class GkPostgresqlDatabase(_Translating, pw.PostgresqlDatabase):
    """``PostgresqlDatabase`` whose connection and read-only errors become messages."""

    def _translate(self, exc):
        if isinstance(exc, pw.IntegrityError):
            return None
        low = str(exc).lower()
        if "read-only transaction" in low:
            return read_only_error(self.display, "以只读方式连接")
        if "server closed the connection" in low or "could not connect" in low \
                or "connection already closed" in low or "terminating connection" in low:
            return DatabaseUnavailable(
                f"与 PostgreSQL 服务器“{self.display}”的连接中断，刚才的操作没有保存。"
                "请检查网络和服务器后重试。")
        return None


# ------------------------------------------------------------------ the opened database

@dataclass
class OpenedDatabase:
    target: str           # the path or URL as opened
    path: Path | None     # the SQLite file, None for a server database
    files_dir: Path       # where attachments and issued documents are stored
    backend: str          # "sqlite" or "postgresql"
    migrated_from: int | None = None
    backup_before_migration: Path | None = None
    read_only: bool = False
    # The full page check was left for later (a large file): run quick_check_deferred()
    # off the UI thread once the window is up, and `gkdesk check` checks everything.
    integrity_deferred: bool = False

    @property
    def display(self) -> str:
        return str(self.path) if self.path else redact_url(self.target)


_current: OpenedDatabase | None = None


def current() -> OpenedDatabase:
    if _current is None:
        raise DatabaseError("数据库尚未打开")
    return _current


def is_postgres_url(target) -> bool:
    return str(target).startswith(("postgresql://", "postgres://", "postgresql+", "postgres+"))


def missing_database(target) -> Path | None:
    """The absolute path of the SQLite file ``target`` names when no such file exists yet
    (opening it would create a new, empty database); None when it exists or is a server URL."""
    if target is None or is_postgres_url(target):
        return None
    path = Path(str(target)).expanduser().absolute()
    return None if path.exists() else path


def redact_url(url: str) -> str:
    """``postgresql://user:***@host/db`` — never show a password in messages or titles."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def sqlite_uri(path: Path, mode: str = "ro", immutable: bool = False) -> str:
    uri = f"file:{quote(str(path))}?mode={mode}"
    if immutable:
        uri += "&immutable=1"
    return uri


# A full page check at open reads every page of the file: about 0.5 s for 100,000 cases.
# Up to this size it runs before anything touches the file; above it, header, schema and
# version are still checked at open and the page check runs in the background afterwards.
FULL_CHECK_AT_OPEN_BYTES = 64 * 1024 * 1024


def quick_check_deferred() -> list[str]:
    """The page check left out at open (run it off the UI thread); [] when the file is sound."""
    res = [r[0] for r in db.execute_sql("PRAGMA quick_check").fetchall()]
    return [] if res == ["ok"] else res


def _probe_sqlite_file(path: Path, display: str, read_only: bool) -> bool:
    """Refuse a file that is not a sound gkdesk database; True when the page check was
    deferred because the file is large. Runs before anything writes to the file."""
    from gkdesk.db.migrations import LATEST

    if not path.exists():
        if read_only:
            raise DatabaseError(f"找不到数据库文件“{display}”，无法以只读方式打开。请检查路径。")
        if path.parent.exists() and not os.access(path.parent, os.W_OK):
            raise DatabaseReadOnly(f"文件夹“{path.parent}”没有写入权限，无法在此新建数据库。"
                                   "请选择可写的文件夹。")
        return
    if path.is_dir():
        raise DatabaseError(f"“{display}”是一个文件夹，不是数据库文件。请指定数据库文件的路径。")
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except PermissionError:
        raise DatabaseError(f"没有权限读取数据库文件“{display}”。请请管理员授予读取权限。") from None
    if not head:
        if read_only:
            raise not_gkdesk_error(display, "文件是空的")
        return  # an empty file: SQLite makes a new database in it; nothing to lose
    if not head.startswith(SQLITE_HEADER):
        if len(head) >= 16 and head[:16].strip(b"\x00") == b"":
            raise corrupt_error(display, "文件头全为零")
        raise not_gkdesk_error(display, "不是 SQLite 数据库文件")
    if len(head) < 100:
        raise corrupt_error(display, "文件被截断")

    def connect(immutable=False):
        return sqlite3.connect(sqlite_uri(path, "ro", immutable), uri=True, timeout=PROBE_TIMEOUT,
                               isolation_level=None)

    deferred = False
    try:
        conn = connect()
        try:
            tables = _probe_tables(conn)
        except sqlite3.OperationalError as exc:
            low = str(exc).lower()
            if "unable to open" not in low and "readonly" not in low:
                raise
            conn.close()
            # WAL database in a folder we cannot write (no -shm): read it as immutable.
            conn = connect(immutable=True)
            tables = _probe_tables(conn)
        try:
            if tables and "schema_version" not in tables:
                raise not_gkdesk_error(display, "其中没有 gkdesk 的数据表，可能是其他软件的数据库")
            if "schema_version" in tables:
                row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
                version = row[0] if row else None
                if version is None:
                    raise not_gkdesk_error(display, "缺少数据库版本信息")
                if version > LATEST:
                    raise too_new_error(display, int(version), LATEST)
                if path.stat().st_size > FULL_CHECK_AT_OPEN_BYTES:
                    deferred = True
                else:
                    res = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
                    if res != ["ok"]:
                        raise corrupt_error(display, "；".join(res[:3]))
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise locked_error(display) from exc
        if "unable to open" in text:
            raise read_only_error(display, "无法读取，文件夹可能没有权限") from exc
        err = translate_sqlite_error(exc, display)
        raise (err or corrupt_error(display, str(exc))) from exc
    except sqlite3.DatabaseError as exc:
        raise corrupt_error(display, str(exc)) from exc
    if not read_only:
        if not os.access(path, os.W_OK):
            raise read_only_error(display, "没有写入权限")
        sidecars_ok = all(Path(f"{path}{s}").exists() and os.access(f"{path}{s}", os.W_OK)
                          for s in ("-wal", "-shm"))
        if not os.access(path.parent, os.W_OK) and not sidecars_ok:
            raise read_only_error(display, "所在文件夹没有写入权限")
    return deferred


def _probe_tables(conn) -> set[str]:
    return {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").fetchall()}


def open_database(target: str | os.PathLike | None = None, *, migrate: bool = True,
                  read_only: bool = False) -> OpenedDatabase:
    """Open (creating if needed) the database at ``target`` and bring its schema up to date.

    ``read_only=True`` opens an existing database for reading only: nothing is migrated or
    written (a way to look at a database on a read-only disk or one that another program
    must not see changed)."""
    global _current
    from gkdesk import paths
    from gkdesk.db import migrations

    close_database()
    if target is None:
        target = paths.default_database_path()
    target_s = str(target)
    if is_postgres_url(target_s):
        database, opened = _postgres(target_s, read_only)
    else:
        path = Path(target_s).expanduser().absolute()
        display = str(path)
        deferred = _probe_sqlite_file(path, display, read_only)
        if read_only:
            immutable = not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists()
            database = GkSqliteDatabase(sqlite_uri(path, "ro", immutable), uri=True,
                                        pragmas=READ_ONLY_PRAGMAS, timeout=10)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            database = GkSqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=10)
        database.display = display
        # the character-level search index is kept by triggers that call this function
        from gkdesk.db.search_index import search_body

        database.register_function(search_body, "gk_search_body", 3, deterministic=True)
        files_dir = path.parent / f"{path.stem}-files"
        opened = OpenedDatabase(target_s, path, files_dir, "sqlite", read_only=read_only,
                                integrity_deferred=deferred)
    db.initialize(database)
    try:
        db.connect(reuse_if_open=True)
        if opened.backend == "sqlite":
            # Fail early and clearly on a damaged file rather than half-way through work.
            db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        if read_only:
            version = migrations.schema_version()
            if version is None:
                raise not_gkdesk_error(opened.display, "缺少数据库版本信息")
            if version > migrations.LATEST:
                raise too_new_error(opened.display, version, migrations.LATEST)
            opened.migrated_from = version
        elif migrate:
            if opened.backend == "postgresql":
                _pg_check_foreign_or_new(opened)
            opened.migrated_from, opened.backup_before_migration = migrations.migrate(opened)
    except DatabaseError:
        _close_quietly()
        raise
    except sqlite3.DatabaseError as exc:
        _close_quietly()
        raise (translate_sqlite_error(exc, opened.display) or corrupt_error(opened.display, str(exc))) from exc
    except pw.OperationalError as exc:
        _close_quietly()
        if opened.backend == "postgresql":
            raise _pg_error(opened.display, exc) from exc
        err = translate_sqlite_error(exc, opened.display)
        if err is not None:
            raise err from exc
        raise DatabaseError(f"无法打开数据库“{opened.display}”：{exc}") from exc
    except pw.DatabaseError as exc:
        _close_quietly()
        if opened.backend == "postgresql":
            raise _pg_error(opened.display, exc) from exc
        raise (translate_sqlite_error(exc, opened.display) or corrupt_error(opened.display, str(exc))) from exc
    from gkdesk.db import read_cache

    read_cache.watch(opened.path, sqlite_uri(opened.path, "ro") if opened.path is not None else None)
    _current = opened
    return opened


def _close_quietly() -> None:
    try:
        if db.obj is not None and not db.is_closed():
            db.close()
    except Exception:  # pragma: no cover - closing a broken connection
        pass


def close_database() -> None:
    global _current
    from gkdesk.db import read_cache

    read_cache.watch(None)
    if db.obj is not None and not db.is_closed():
        db.close()
    _current = None


@contextlib.contextmanager
def _pg_write_transaction():
    with db.atomic() as txn:
        # Serialise writers like SQLite's BEGIN IMMEDIATE: numbering and the audit chain
        # read the last value and write the next one. Released at commit/rollback.
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (PG_WRITE_LOCK_KEY,))
        yield txn


def _raw_write_transaction():
    if is_sqlite():
        return db.atomic("IMMEDIATE")
    if is_postgres():
        return _pg_write_transaction()
    return db.atomic()


@contextlib.contextmanager
def write_transaction():
    """A write transaction that takes the write lock at once (SQLite ``BEGIN IMMEDIATE``;
    a transaction-scoped advisory lock on PostgreSQL), so read-then-write sequences such
    as numbering and the audit chain cannot interleave between processes.

    What the write notes (``gkdesk.changes.note*``; ``audit.record`` notes its case) is
    published to the change feed once the outermost transaction has committed."""
    from gkdesk import changes

    with changes.collecting():
        with _raw_write_transaction() as txn:
            yield txn


# ------------------------------------------------------------------ PostgreSQL

def _postgres(target_s: str, read_only: bool):
    from gkdesk import paths
    from playhouse.db_url import parse

    try:
        import psycopg2  # noqa: F401
    except ModuleNotFoundError:
        raise DatabaseUnavailable(
            "连接 PostgreSQL 需要 psycopg2 组件，当前未安装。请安装：pip install 'gkdesk[postgresql]'"
            "（或 pip install psycopg2-binary）。") from None
    url = target_s
    for prefix in ("postgres://", "postgresql+psycopg2://", "postgres+psycopg2://"):
        if url.startswith(prefix):
            url = "postgresql://" + url[len(prefix):]
    try:
        params = parse(url)
        if not params.get("database"):
            raise ValueError("缺少数据库名")
    except Exception as exc:  # a malformed URL
        raise DatabaseError(f"PostgreSQL 地址“{redact_url(target_s)}”格式不对：{exc}。"
                            "应为 postgresql://用户名:密码@服务器:端口/数据库名") from None
    params.setdefault("connect_timeout", 10)
    if read_only:
        params.setdefault("options", "-c default_transaction_read_only=on")
    database = GkPostgresqlDatabase(**params)
    database.display = redact_url(target_s)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{database.connect_params.get('host', 'localhost')}"
                  f"-{database.connect_params.get('port', 5432)}-{database.database}")
    files_dir = paths.data_dir() / "files" / name
    return database, OpenedDatabase(target_s, None, files_dir, "postgresql", read_only=read_only)


def _pg_error(display: str, exc: BaseException) -> DatabaseError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    low = text.lower()
    if "password authentication failed" in low or "authentication failed" in low:
        return DatabaseUnavailable(f"PostgreSQL 服务器拒绝登录“{display}”：用户名或密码不正确。"
                                   "请核对地址中的用户名和密码。")
    if "does not exist" in low and "database" in low:
        return DatabaseUnavailable(f"PostgreSQL 服务器上没有数据库“{display}”。请先由管理员创建"
                                   "（createdb），再用 gkdesk 打开。")
    if "could not connect" in low or "connection refused" in low or "could not translate" in low \
            or "timeout" in low or "no such file" in low:
        return DatabaseUnavailable(f"无法连接 PostgreSQL 服务器“{display}”（{text}）。"
                                   "请检查服务器是否已启动、地址和端口是否正确、网络是否连通。")
    if "read-only" in low or "read only" in low:
        return read_only_error(display, "以只读方式连接")
    return DatabaseError(f"PostgreSQL 数据库“{display}”出错：{text}")


def _pg_check_foreign_or_new(opened: OpenedDatabase) -> None:
    """Refuse a PostgreSQL database that holds another program's tables or a newer schema."""
    from gkdesk.db.migrations import LATEST

    tables = set(db.get_tables())
    if not tables:
        return
    if "schema_version" not in tables:
        raise not_gkdesk_error(opened.display, "其中没有 gkdesk 的数据表，可能是其他软件的数据库")
    row = db.execute_sql("SELECT max(version) FROM schema_version").fetchone()
    if row and row[0] is not None and row[0] > LATEST:
        raise too_new_error(opened.display, int(row[0]), LATEST)


# The DDL the migrations run (audit triggers, PostgreSQL search indexes) lives in
# gkdesk/db/ddl.py, apart from the connection; the names stay importable from here.
from gkdesk.db.ddl import AUDIT_APPEND_ONLY_SQL, create_postgres_search_index, install_audit_append_only  # noqa: E402,F401
from gkdesk.db.ddl import is_postgres, is_sqlite  # noqa: E402,F401  (the backend in use, for callers)
