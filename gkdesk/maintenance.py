"""Subcommands that keep the data safe: ``check``, ``backup``, ``backups``, ``restore``,
``users``."""
from __future__ import annotations

import sys

from gkdesk.errors import DatabaseError, ValidationError


def register(sub, common) -> None:
    p = sub.add_parser("check", parents=[common],
                       help="检查数据库完整性、存储文件的 SHA-256 和审计记录链，有问题时退出码非0")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("backup", parents=[common], help="立即备份数据库及附件、已出具文书")
    p.add_argument("-o", "--output", metavar="DIR", help="备份文件夹（默认：设置中的备份文件夹）")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("backups", parents=[common], help="列出备份（时间、案件数）")
    p.add_argument("--dir", metavar="DIR", help="备份文件夹（默认：设置中的备份文件夹）")
    # the backup folder setting of the database, when it opens; none needed with --dir
    p.set_defaults(func=cmd_backups, database=lambda args: "none" if args.dir else "try")

    p = sub.add_parser("restore", parents=[common],
                       help="从备份恢复数据库（先自动备份当前状态）")
    p.add_argument("backup", metavar="BACKUP", help="备份文件（.zip）")
    p.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    p.set_defaults(func=cmd_restore, database="opener")

    p = sub.add_parser("users", parents=[common], help="用户：添加、列出、重设密码、解锁")
    usub = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    a = usub.add_parser("add", parents=[common], help="添加用户")
    a.add_argument("username", metavar="NAME")
    a.add_argument("--roles", required=True,
                   help="角色代码，逗号分隔：clerk 登记员, reviewer 审核人, leader 分管领导, admin 管理员")
    a.add_argument("--name", dest="display_name", default="", help="姓名（默认同用户名）")
    a.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
    a.set_defaults(func=cmd_users_add)
    ls = usub.add_parser("list", parents=[common], help="列出用户")
    ls.set_defaults(func=cmd_users_list)
    pw = usub.add_parser("passwd", parents=[common], help="重设用户密码")
    pw.add_argument("username", metavar="NAME")
    pw.add_argument("--password-stdin", action="store_true", help="从标准输入读取新密码（一行）")
    pw.set_defaults(func=cmd_users_passwd)
    ul = usub.add_parser("unlock", parents=[common], help="解除因密码错误造成的锁定")
    ul.add_argument("username", metavar="NAME")
    ul.set_defaults(func=cmd_users_unlock)


# ------------------------------------------------------------------ check

def cmd_check(args, opened) -> int:
    from gkdesk.integrity import run_check

    report = run_check()
    print(f"数据库：{opened.display}")
    for p in report.problems:
        print(f"问题：{p}")
    print(report.summary())
    return 0 if report.ok else 5


# ------------------------------------------------------------------ backups

def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def cmd_backup(args, opened) -> int:
    from gkdesk import backup

    info = backup.create_backup(args.output, kind="manual")
    print(f"已备份：{info.path}")
    print(f"案件 {info.case_count} 件，{len(info.manifest['members']) - 1} 个存储文件，{_size(info.size)}")
    return 0


def cmd_backups(args, opened) -> int:
    from gkdesk import backup

    # the backup folder setting of the database, when it opens (the CLI tried: ``opened``)
    directory = backup.backup_dir(args.dir)
    infos = backup.list_backups(directory)
    print(f"备份文件夹：{directory}")
    for b in infos:
        print(f"{b.local_time:%Y-%m-%d %H:%M:%S}\t{b.kind_label}\t案件 {b.case_count} 件\t{_size(b.size)}\t{b.path.name}")
    print(f"共 {len(infos)} 个备份", file=sys.stderr)
    return 0


def cmd_restore(args, opened) -> int:
    from pathlib import Path

    from gkdesk import backup, paths
    from gkdesk.db import close_database
    from gkdesk.db.connection import is_postgres_url

    target = getattr(args, "db", None) or paths.default_database_path()
    if is_postgres_url(str(target)):
        raise DatabaseError("PostgreSQL 数据库请由服务器管理员用 pg_restore 恢复。")
    info = backup.load_backup(args.backup)
    if not args.yes:
        if not sys.stdin.isatty():
            raise ValidationError("恢复会用备份替换当前数据库：请加 --yes 确认（当前状态会先自动备份）", "--yes")
        answer = input(f"用 {info.local_time:%Y-%m-%d %H:%M} 的备份（{info.case_count} 件案件）替换"
                       f"“{target}”？当前状态会先自动备份。输入 yes 确认：")
        if answer.strip().lower() not in ("yes", "y", "是"):
            print("已取消，未做任何修改", file=sys.stderr)
            return 1
    # The backup folder of the current database (for the safety copy), if it still opens.
    # (``opened`` is the CLI's opener: restore opens nothing before it is confirmed)
    safety_dir = None
    try:
        opened()
        safety_dir = backup.backup_dir()
    except DatabaseError:
        pass
    close_database()
    result = backup.restore(info, Path(target), safety_dir=safety_dir)
    opened(create=True)     # the restored file; migrates a backup from an older gkdesk
    try:
        backup.record_restore(result)
    finally:
        close_database()
    if result.safety_backup:
        print(f"恢复前的状态已备份：{result.safety_backup}")
    if result.damaged_copy:
        print(f"损坏的数据库文件已移到：{result.damaged_copy}")
    print(f"已从备份恢复：{info.path.name}（{info.local_time:%Y-%m-%d %H:%M}，案件 {info.case_count} 件，"
          f"恢复存储文件 {result.files_restored} 个）")
    return 0


# ------------------------------------------------------------------ users

def _read_password(from_stdin: bool, prompt: str = "密码：") -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValidationError("密码：请在终端输入，或加 --password-stdin 从标准输入读取", "密码")
    import getpass

    first = getpass.getpass(prompt)
    again = getpass.getpass("再输入一次：")
    if first != again:
        raise ValidationError("密码：两次输入不一致", "密码")
    return first


def cmd_users_add(args, opened) -> int:
    from gkdesk import auth
    from gkdesk.actors import SYSTEM

    password = _read_password(args.password_stdin)
    user = auth.create_user(SYSTEM, args.username, args.display_name, args.roles, password)
    print(f"已添加用户：{user.username}（{user.display_name}），角色：{_roles(user)}")
    return 0


def _roles(user) -> str:
    from gkdesk.domain import terms

    return "、".join(terms.ROLES[r].label for r in terms.ROLES if r in user.role_set)


def cmd_users_list(args, opened) -> int:
    from gkdesk import auth
    from gkdesk.db.models import utcnow

    now = utcnow()
    users = auth.list_users()
    for u in users:
        state = "启用" if u.active else "停用"
        locked = auth._aware(u.locked_until)
        if locked and locked > now:
            state += f"，锁定至 {locked.astimezone():%H:%M}"
        print(f"{u.username}\t{u.display_name}\t{_roles(u)}\t{state}")
    print(f"共 {len(users)} 个用户", file=sys.stderr)
    return 0


def cmd_users_passwd(args, opened) -> int:
    from gkdesk import auth
    from gkdesk.actors import SYSTEM

    password = _read_password(args.password_stdin, "新密码：")
    auth.set_password(SYSTEM, args.username, password)
    print(f"已重设用户 {args.username} 的密码")
    return 0


def cmd_users_unlock(args, opened) -> int:
    from gkdesk import auth
    from gkdesk.actors import SYSTEM

    auth.unlock_user(SYSTEM, args.username)
    print(f"已解锁用户 {args.username}")
    return 0
