"""The one place a subcommand's database is opened: ``gkdesk.cli.main`` calls
``database_for(args)`` and hands the result to the subcommand (``func(args, opened)``).
No subcommand opens the database itself or imports this module.

A subcommand says what it needs with ``set_defaults(database=...)`` (default ``"open"``),
a word or a function of the parsed arguments answering one:

``"open"``    the opened database (``OpenedDatabase``);
``"given"``   the opened database when ``--db`` is given, else None (``due``: the office's
              holidays with a database, the built-in calendar without);
``"try"``     the opened database, or None when it does not open (``backups``: the
              backup folder setting when there is one);
``"none"``    None: the command needs no database;
``"opener"``  a function that opens it with these same rules (``opener(create=…,
              read_only=…)``), for a command that must not touch the file before it is
              confirmed (``restore``).
"""
from __future__ import annotations

from gkdesk.errors import DatabaseError

# Subcommands that make the database they are given: they never refuse a new --db path.
CREATING_COMMANDS = ("demo", "init")
POLICIES = ("open", "given", "try", "none", "opener")


def missing_database_error(path) -> DatabaseError:
    return DatabaseError(
        f"数据库文件“{path}”不存在，未新建。若路径写错了，请改正 --db 后重试；"
        f"确要新建一个空数据库，请运行：gkdesk --db {path} init（或在命令中加 --create）")


def open_db(args, *, create: bool | None = None, read_only: bool | None = None):
    """Open the database named by ``--db`` (or the default) for a subcommand.

    A ``--db`` file that does not exist is refused (a mistyped path must not quietly make
    a new, empty database and its folders) unless ``--create`` is given or the subcommand
    makes databases (``CREATING_COMMANDS``). The default database is created as always."""
    from gkdesk.db import open_database
    from gkdesk.db.connection import missing_database

    target = getattr(args, "db", None)
    missing = missing_database(target)
    if create is None:
        create = getattr(args, "create", False) or getattr(args, "command", None) in CREATING_COMMANDS
    if missing is not None and not create:
        raise missing_database_error(missing)
    if read_only is None:
        read_only = getattr(args, "read_only", False)
    return open_database(target, read_only=read_only)


def database_for(args):
    """What the subcommand of ``args`` is handed for its database (see the module docstring)."""
    policy = getattr(args, "database", "open")
    if callable(policy):
        policy = policy(args)
    assert policy in POLICIES, f"unknown database policy {policy!r}"
    if policy == "none" or (policy == "given" and not getattr(args, "db", None)):
        return None
    if policy == "opener":
        return lambda **kw: open_db(args, **kw)
    if policy == "try":
        try:
            return open_db(args)
        except DatabaseError:
            return None
    return open_db(args)
