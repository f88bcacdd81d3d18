"""Opening the database for a subcommand (``open_db``), shared by ``gkdesk.cli`` and each
area's ``cli`` module. Kept apart from ``gkdesk.cli`` (the entry point, which also starts
the GUI on request) so that the areas' command modules import nothing above them.
"""
from __future__ import annotations

from gkdesk.errors import DatabaseError

# Subcommands that make the database they are given: they never refuse a new --db path.
CREATING_COMMANDS = ("demo", "init")


def missing_database_error(path) -> DatabaseError:
    return DatabaseError(
        f"数据库文件“{path}”不存在，未新建。若路径写错了，请改正 --db 后重试；"
        f"确要新建一个空数据库，请运行：gkdesk --db {path} init（或在命令中加 --create）")


def open_db(args):
    """Open the database named by ``--db`` (or the default) for a subcommand.

    A ``--db`` file that does not exist is refused (a mistyped path must not quietly make
    a new, empty database and its folders) unless ``--create`` is given or the subcommand
    makes databases (``CREATING_COMMANDS``). The default database is created as always."""
    from gkdesk.db import open_database
    from gkdesk.db.connection import missing_database

    target = getattr(args, "db", None)
    missing = missing_database(target)
    if (missing is not None and not getattr(args, "create", False)
            and getattr(args, "command", None) not in CREATING_COMMANDS):
        raise missing_database_error(missing)
    return open_database(target, read_only=getattr(args, "read_only", False))
