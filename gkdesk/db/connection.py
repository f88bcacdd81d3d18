"""Opening the database: SQLite file by default (WAL, foreign keys, full sync).

``open_database(target)`` binds the models' proxy once and migrates the schema; everything
else uses ``gkdesk.db.models.db``.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

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


@dataclass
class OpenedDatabase:
    target: str           # the path or URL as opened
    path: Path | None     # the SQLite file, None for a server database
    files_dir: Path       # where attachments and issued documents are stored
    backend: str          # "sqlite" or "postgresql"
    migrated_from: int | None = None
    backup_before_migration: Path | None = None

    @property
    def display(self) -> str:
        return str(self.path) if self.path else self.target


_current: OpenedDatabase | None = None


def current() -> OpenedDatabase:
    if _current is None:
        raise DatabaseError("数据库尚未打开")
    return _current


def _check_sqlite_file(path: Path) -> None:
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseError(f"“{path}”是一个文件夹，不是数据库文件。请指定数据库文件的路径。")
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head and head != b"SQLite format 3\x00":
        raise DatabaseError(
            f"“{path}”不是 gkdesk 数据库（SQLite）文件，未做任何修改。请检查路径，或从备份恢复。")


def open_database(target: str | os.PathLike | None = None, *, migrate: bool = True) -> OpenedDatabase:
    """Open (creating if needed) the database at ``target`` and bring its schema up to date."""
    global _current
    from gkdesk import settings
    from gkdesk.db import migrations

    close_database()
    if target is None:
        target = settings.default_database_path()
    target_s = str(target)
    if target_s.startswith(("postgresql://", "postgres://")):
        from playhouse.db_url import connect

        database = connect(target_s.replace("postgres://", "postgresql://", 1))
        files_dir = settings.data_dir() / "files"
        opened = OpenedDatabase(target_s, None, files_dir, "postgresql")
    else:
        path = Path(target_s).expanduser().absolute()
        _check_sqlite_file(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        database = pw.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=10)
        files_dir = path.parent / f"{path.stem}-files"
        opened = OpenedDatabase(target_s, path, files_dir, "sqlite")
    db.initialize(database)
    try:
        db.connect(reuse_if_open=True)
        if opened.backend == "sqlite":
            # Fail early and clearly on a damaged file rather than half-way through work.
            db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        if migrate:
            opened.migrated_from, opened.backup_before_migration = migrations.migrate(opened)
    except sqlite3.DatabaseError as exc:  # pragma: no cover - message depends on damage
        db.close()
        raise DatabaseError(f"无法打开数据库“{opened.display}”：{exc}。文件可能已损坏，请从备份恢复。") from exc
    except pw.OperationalError as exc:
        db.close()
        if "locked" in str(exc):
            raise DatabaseError(f"数据库“{opened.display}”被其他程序锁定，请稍后再试。") from exc
        raise DatabaseError(f"无法打开数据库“{opened.display}”：{exc}") from exc
    except pw.DatabaseError as exc:
        db.close()
        raise DatabaseError(f"无法打开数据库“{opened.display}”：{exc}。文件可能已损坏，请从备份恢复。") from exc
    _current = opened
    return opened


def close_database() -> None:
    global _current
    if db.obj is not None and not db.is_closed():
        db.close()
    _current = None


def is_sqlite() -> bool:
    return isinstance(db.obj, pw.SqliteDatabase)


def write_transaction():
    """A write transaction that takes the write lock at once (SQLite ``BEGIN IMMEDIATE``),
    so read-then-write sequences such as numbering cannot interleave between processes."""
    if is_sqlite():
        return db.atomic("IMMEDIATE")
    return db.atomic()


def bulk_insert(model, rows: list[dict]) -> None:
    """Insert many rows fast (executemany), converting values through the model's fields.
    For generated and imported data; call inside a transaction. peewee's insert_many
    spends most of its time building SQL text for large batches."""
    import datetime as _dt

    if not rows:
        return
    fields = model._meta.fields
    given = set().union(*(r.keys() for r in rows))
    names = [n for n, f in fields.items() if n in given or f.default is not None]
    cols = [fields[n] for n in names]
    defaults = {n: fields[n].default for n in names}
    placeholder = "%s" if not is_sqlite() else "?"
    sql = (f'INSERT INTO "{model._meta.table_name}" ('
           + ", ".join(f'"{c.column_name}"' for c in cols) + ") VALUES ("
           + ", ".join([placeholder] * len(cols)) + ")")

    def conv(field, value):
        if value is None:
            return None
        v = field.db_value(value)
        if isinstance(v, (_dt.date, _dt.datetime)):
            return v.isoformat()
        return v

    def value(row, name):
        if name in row:
            return row[name]
        d = defaults[name]
        return d() if callable(d) else d

    data = [tuple(conv(c, value(r, n)) for n, c in zip(names, cols)) for r in rows]
    cursor = db.cursor()
    cursor.executemany(sql, data)
