"""``gkdesk check``: is everything still as it was written?

- the database file (SQLite ``PRAGMA integrity_check`` and ``foreign_key_check``);
- every stored file (attachments, issued documents) exists in the file store and matches
  the SHA-256 recorded when it was stored;
- the audit trail's hash chain (``gkdesk.audit.verify_chain``), and the anchors kept in
  the backups' manifests: an event a backup saw must still be there with the same hash,
  so deleting the newest events or re-computing the whole chain is noticed too. Only
  backups of this database (the same identity, ``gkdesk.audit.database_id``) are compared:
  a backup folder shared by several databases — even two made alike, e.g. by ``demo``
  with the same seed — is no sign of tampering.

``run_check()`` returns a ``CheckReport`` listing every problem in Chinese; nothing is
changed. Works on SQLite and PostgreSQL (the SQLite pragmas are skipped on PostgreSQL).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from gkdesk.fileio import sha256_file


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def structural(self) -> bool:
        return any(p.startswith("数据库文件结构损坏") for p in self.problems)

    def summary(self) -> str:
        c = self.counts
        head = "检查通过" if self.ok else f"发现 {len(self.problems)} 个问题"
        if self.structural:
            return (f"{head}。数据库文件已损坏，未继续检查其余内容。请用 gkdesk backups 找到最近的备份，"
                    "用 gkdesk restore 恢复（当前状态会先自动备份），或在图形界面的“备份与恢复”中操作。")
        parts = [f"案件 {c.get('cases', 0)} 件", f"存储文件 {c.get('files', 0)} 个",
                 f"审计记录 {c.get('events', 0)} 条"]
        return f"{head}：" + "，".join(parts)


def check_database_file() -> list[str]:
    """SQLite's own checks of the b-trees and foreign keys (empty on PostgreSQL)."""
    from gkdesk.db.connection import is_sqlite
    from gkdesk.db.models import db

    if not is_sqlite():
        return []
    problems = []
    rows = [r[0] for r in db.execute_sql("PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        problems += [f"数据库文件结构损坏：{r}" for r in rows[:20]]
        if len(rows) > 20:
            problems.append(f"数据库文件结构另有 {len(rows) - 20} 处损坏")
    fk = db.execute_sql("PRAGMA foreign_key_check").fetchall()
    for table, rowid, parent, _fkid in fk[:20]:
        problems.append(f"数据表 {table} 的第 {rowid} 行引用了 {parent} 中不存在的记录")
    if len(fk) > 20:
        problems.append(f"另有 {len(fk) - 20} 处引用了不存在的记录")
    return problems


def stored_files() -> list[tuple[str, str, str, str]]:
    """(what, owner, stored_path, sha256) of every file the database says it keeps."""
    from gkdesk.db.models import Attachment, Case, Document, Unit

    out = []
    q = (Attachment.select(Attachment.id, Attachment.filename, Attachment.stored_path, Attachment.sha256,
                           Case.number).join(Case).order_by(Attachment.id).tuples())
    for att_id, filename, stored, digest, number in q.iterator():
        out.append((f"附件“{filename}”", f"案件 {number}", stored, digest))
    q = (Document.select(Document.id, Document.kind, Document.number, Document.stored_path, Document.sha256)
         .where(Document.stored_path != "").order_by(Document.id).tuples())
    for doc_id, kind, number, stored, digest in q.iterator():
        out.append((f"文书 {number or '#' + str(doc_id)}", kind, stored, digest))
    from gkdesk.db.tasks_models import Request, Submission

    q = (Submission.select(Submission.filename, Submission.stored_path, Submission.sha256, Unit.name)
         .join(Request).join(Unit).where(Submission.stored_path != "").order_by(Submission.id).tuples())
    for filename, stored, digest, unit_name in q.iterator():
        out.append((f"报送材料“{filename}”", unit_name, stored, digest))
    return out


def check_files(files_dir: Path, progress: Callable[[int, int], None] | None = None) -> tuple[list[str], int]:
    problems = []
    files = stored_files()
    for i, (what, owner, stored, digest) in enumerate(files, 1):
        path = Path(files_dir) / stored
        if not path.is_file():
            problems.append(f"{what}（{owner}）的文件不见了：{path}")
        elif digest and sha256_file(path) != digest:
            problems.append(f"{what}（{owner}）的文件内容已被改动（SHA-256 不符）：{path}")
        if progress and (i % 50 == 0 or i == len(files)):
            progress(i, len(files))
    return problems, len(files)


def check_audit_anchors() -> list[str]:
    """Compare the audit trail with the anchors recorded in this database's backups."""
    from gkdesk import backup
    from gkdesk.db.models import CaseEvent

    first = CaseEvent.select(CaseEvent.hash).order_by(CaseEvent.id).first()
    genesis = first.hash if first else ""
    if not genesis:
        return []
    problems = []
    seen = set()
    try:
        infos = backup.list_backups()
    except Exception:  # noqa: BLE001 - an unreadable backup folder is not a database problem
        return []
    # A restore rolls the trail back to an older backup: the anchors of backups made
    # between that backup and the restore describe a history that was replaced.
    replaced = []
    for ev in CaseEvent.select(CaseEvent.at, CaseEvent.details).where(CaseEvent.action == "restore"):
        start = (ev.details or {}).get("backup_created_at")
        if start:
            replaced.append((dt.datetime.fromisoformat(start), ev.at))
    from gkdesk import audit
    from gkdesk.db import current

    ident = audit.database_id()
    here = str(current().path) if current().path else None
    for info in infos:
        anchor = info.manifest.get("audit") or {}
        if not anchor.get("last_id"):
            continue
        same_chain = anchor.get("first_hash") == genesis
        if info.database_id:
            mine = info.database_id == ident
        else:   # a backup from before databases had an identity
            mine = same_chain or (here is not None and info.manifest.get("source") == here)
        if not mine:
            continue  # another database's backup in the same folder
        if any(a < info.created_at <= b for a, b in replaced):
            continue
        when = info.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if not same_chain:
            if any(info.created_at <= b for _a, b in replaced):
                continue  # the file was replaced by a restore since
            key = ("first", anchor.get("first_hash"))
            if key not in seen:
                seen.add(key)
                problems.append(f"审计记录的首条记录与 {when} 的备份中记载的不一致"
                                "（被改动或删除，或整个数据库文件被替换）")
            continue
        key = (anchor["last_id"], anchor.get("last_hash"))
        if key in seen:
            continue
        seen.add(key)
        ev = CaseEvent.get_or_none(CaseEvent.id == anchor["last_id"])
        if ev is None:
            problems.append(f"审计记录 #{anchor['last_id']} 在 {when} 的备份中存在，现已被删除")
        elif ev.hash != anchor.get("last_hash"):
            problems.append(f"审计记录 #{anchor['last_id']} 与 {when} 的备份中记载的不一致（被改动）")
        count = CaseEvent.select().where(CaseEvent.id <= anchor["last_id"]).count()
        if anchor.get("count") is not None and count < anchor["count"]:
            problems.append(f"{when} 的备份时共有审计记录 {anchor['count']} 条，现在同一范围内只剩 {count} 条（有记录被删除）")
    return problems


def run_check(progress: Callable[[int, int], None] | None = None) -> CheckReport:
    """Check the open database; never changes anything."""
    from gkdesk import audit
    from gkdesk.db import current
    from gkdesk.db.models import Case, CaseEvent

    report = CheckReport()
    report.problems += check_database_file()
    if report.structural:
        # Reading on through a damaged b-tree can report nonsense; stop at the real cause.
        return report
    report.counts["cases"] = Case.select().count()
    report.counts["events"] = CaseEvent.select().count()
    file_problems, n = check_files(current().files_dir, progress)
    report.problems += file_problems
    report.counts["files"] = n
    report.problems += audit.verify_chain()
    report.problems += audit.verify_identity()
    report.problems += check_audit_anchors()
    return report
