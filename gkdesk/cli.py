"""The command line. ``gkdesk`` alone opens the GUI; subcommands do headless work.

Each area of gkdesk adds its own subcommands from its own module (``register(sub, common)``
in the modules of ``COMMAND_MODULES``), so this file stays small. ``--db PATH`` works
before or after the subcommand. The database is opened here, in one place
(``gkdesk.cli_open.database_for``: ``--db``, ``--read-only``, ``--create``), and handed to
the subcommand: ``func(args, opened)``. Errors go to stderr with a non-zero exit.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from gkdesk import __version__
from gkdesk.errors import GkError

COMMAND_MODULES = (
    "gkdesk.cases.cli",
    "gkdesk.documents.cli",
    "gkdesk.forms.cli",
    "gkdesk.reports.cli",
    "gkdesk.tasks.cli",
    "gkdesk.catalogue.cli",
    "gkdesk.maintenance",
)


def _common_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="数据库文件路径或 postgresql:// 地址（默认：用户数据文件夹中的 gkdesk.sqlite3）")
    common.add_argument("--read-only", action="store_true", default=argparse.SUPPRESS,
                        help="以只读方式打开数据库（只查看，不做任何修改）")
    common.add_argument("--create", action="store_true", default=argparse.SUPPRESS,
                        help="--db 指定的文件不存在时新建一个空数据库（不加此项则报错，以免路径写错时误建新库）")
    return common


from gkdesk.cli_open import CREATING_COMMANDS, database_for, missing_database_error  # noqa: E402,F401


def cmd_init(args, opened) -> int:
    """Create the database ``--db`` names (or open and migrate it when it exists)."""
    if opened.migrated_from is None:        # made just now (an existing one has its version)
        print(f"已新建空数据库：{opened.display}")
    else:
        from gkdesk.db.models import Case

        print(f"数据库已存在，未改动其数据：{opened.display}（案件 {Case.select().count()} 件）")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = _common_parser()
    parser = argparse.ArgumentParser(
        prog="gkdesk", parents=[common],
        description="政府信息公开办公桌。不带子命令时打开图形界面。")
    parser.add_argument("--version", action="version", version=f"gkdesk {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="在临时数据库上登记、出文、导出一遍，成功则退出码为0")
    parser.add_argument("--screenshot", metavar="PNG",
                        help="与 --self-test 一起用：把自检打开的主窗口截图保存为 PNG")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
                continue  # that area is not installed (or not built yet)
            raise
        module.register(sub, common)
    init = sub.add_parser("init", parents=[common], help="新建一个空数据库（--db 指定路径；已存在则只打开并升级）")
    init.set_defaults(func=cmd_init)
    return parser


def _plain_gui_start(argv: list[str]):
    """The database to open when ``argv`` asks for nothing but the GUI (``[]`` or
    ``--db PATH``); False when anything else is asked, so argparse handles it."""
    if not argv:
        return None
    if len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"):
        return argv[1]
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > 5:
        return argv[0][5:]
    return False


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from gkdesk import selftest as _selftest

    if argv[:1] == [_selftest.HOLD_FLAG]:  # the self-test's second process (not for users)
        return _selftest.hold_main(argv[1:])
    gui_db = _plain_gui_start(argv)
    if gui_db is not False:
        # No subcommand: open the window without building every area's parser (start-up time).
        from gkdesk.ui.app import run_gui

        try:
            return run_gui(gui_db)
        except GkError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return exc.exit_code
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "self_test", False):
            from gkdesk.selftest import run_self_test

            return run_self_test(screenshot=getattr(args, "screenshot", None))
        if not getattr(args, "command", None):
            from gkdesk.ui.app import run_gui  # imported lazily: the CLI never needs Qt

            return run_gui(getattr(args, "db", None), read_only=getattr(args, "read_only", False),
                           create=getattr(args, "create", False))
        return int(args.func(args, database_for(args)) or 0)
    except GkError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        for p in getattr(exc, "problems", [])[1:] if len(getattr(exc, "problems", [])) > 1 else []:
            print(f"  {p}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
