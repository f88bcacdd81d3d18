"""Registering an application (登记): validation, numbering, the first due date, the event."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from gkdesk import audit, validation
from gkdesk.cases import deadlines, numbering
from gkdesk.db import current, write_transaction
from gkdesk.db.models import Attachment, Case, utcnow
from gkdesk.domain import terms
from gkdesk.errors import ValidationError

# Who may register an application and keep files with a case (the service checks it).
REGISTER_ROLES = ("clerk", "reviewer", "admin")
ATTACH_ROLES = ("clerk", "reviewer", "leader", "admin")

# Field labels as the registration form shows them; errors name fields by these.
FIELD_LABELS = {
    "applicant_kind": "申请人类型",
    "applicant_name": "申请人姓名/名称",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "contact_person": "联系人",
    "phone": "联系电话",
    "address": "通讯地址",
    "postcode": "邮政编码",
    "email": "电子邮箱",
    "content": "申请内容",
    "purpose": "用途说明",
    "form_wanted": "获取信息的载体形式",
    "receive_method": "获取信息的方式",
    "channel": "申请渠道",
    "received_date": "收到申请日期",
    "oral": "口头申请",
    "note": "备注",
}


@dataclass
class ApplicationInput:
    applicant_kind: str = "natural"
    applicant_name: str = ""
    id_type: str = "resident_id"
    id_number: str = ""
    contact_person: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    email: str = ""
    content: str = ""
    purpose: str = ""
    form_wanted: str = "paper"
    receive_method: str = "post"
    channel: str = "in_person"
    received_date: dt.date | None = None
    oral: bool = False
    note: str = ""
    attachments: list[str] = field(default_factory=list)  # paths of scans to keep


def initials(name: str) -> str:
    """Pinyin initials of a name, lower case (张三 → zs); other characters kept as typed."""
    from pypinyin import Style, lazy_pinyin

    return "".join(p[:1] for p in lazy_pinyin(name or "", style=Style.FIRST_LETTER,
                                              errors=lambda s: list(s))).lower()


def validate(app: ApplicationInput, today: dt.date | None = None) -> dict:
    """Every problem at once (ValidationError.problems), else the clean values."""
    L = FIELD_LABELS
    problems: list[str] = []
    fields: list[str] = []
    clean: dict = {}

    def attempt(key, fn, *a):
        try:
            clean[key] = fn(*a)
        except ValidationError as exc:
            problems.append(exc.message)
            fields.append(key)

    if app.applicant_kind not in terms.APPLICANT_KINDS:
        problems.append(f"{L['applicant_kind']}：请选择自然人或一种法人或其他组织")
        fields.append("applicant_kind")
    clean["applicant_kind"] = app.applicant_kind
    attempt("applicant_name", validation.check_required, app.applicant_name, L["applicant_name"])
    attempt("content", validation.check_required, app.content, L["content"])
    if app.id_type not in terms.ID_TYPES:
        problems.append(f"{L['id_type']}：未知的证件类型")
        fields.append("id_type")
    else:
        attempt("id_number", validation.check_id_number, app.id_type, app.id_number, L["id_number"])
    clean["id_type"] = app.id_type
    if app.id_type == "resident_id" and app.applicant_kind != "natural":
        problems.append(f"{L['id_type']}：法人或其他组织应填写统一社会信用代码或其他证件")
        fields.append("id_type")
    for key, fn in (("phone", validation.check_phone), ("postcode", validation.check_postcode),
                    ("email", validation.check_email)):
        value = getattr(app, key)
        if validation.normalise(value):
            attempt(key, fn, value, L[key])
        else:
            clean[key] = ""
    if not (clean.get("phone") or clean.get("email") or validation.normalise(app.address)):
        problems.append(f"{L['phone']}：请至少留一种联系方式（电话、地址或电子邮箱）")
        fields.append("phone")
    if app.channel not in terms.CHANNELS:
        problems.append(f"{L['channel']}：请选择申请渠道")
        fields.append("channel")
    if app.form_wanted not in terms.FORMS_WANTED:
        problems.append(f"{L['form_wanted']}：请选择")
        fields.append("form_wanted")
    if app.receive_method not in terms.RECEIVE_METHODS:
        problems.append(f"{L['receive_method']}：请选择")
        fields.append("receive_method")
    today = today or deadlines.today()
    if app.received_date is None:
        problems.append(f"{L['received_date']}：必须填写")
        fields.append("received_date")
    elif app.received_date > today:
        problems.append(f"{L['received_date']}：不能晚于今天（{today.isoformat()}）")
        fields.append("received_date")
    for p in app.attachments:
        if not Path(p).is_file():
            problems.append(f"附件：找不到文件“{p}”")
            fields.append("attachments")
    if problems:
        err = ValidationError("；".join(problems), FIELD_LABELS.get(fields[0], fields[0]), problems)
        err.fields = fields
        raise err
    for key in ("contact_person", "address", "purpose", "note"):
        clean[key] = validation.normalise(getattr(app, key))
    for key in ("channel", "form_wanted", "receive_method", "received_date", "oral"):
        clean[key] = getattr(app, key)
    return clean


def store_file(src: str | os.PathLike, subdir: str = "attachments") -> tuple[Path, str, int]:
    """Copy a file into the database's file store, named by its SHA-256; atomic.
    Returns (path relative to the file store, SHA-256, size)."""
    src = Path(src)
    h = hashlib.sha256()
    with open(src, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    root = current().files_dir / subdir / digest[:2]
    root.mkdir(parents=True, exist_ok=True)
    dest = root / f"{digest}{src.suffix.lower()}"
    if not dest.exists():
        fd, tmp = tempfile.mkstemp(dir=root, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
                shutil.copyfileobj(inp, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return dest.relative_to(current().files_dir), digest, src.stat().st_size


def stored_file_path(stored_path: str) -> Path:
    """The absolute path of a file kept in the database's file store."""
    return current().files_dir / stored_path


def _acting(user, roles: tuple[str, ...], action: str):
    from gkdesk.actors import require
    from gkdesk.auth import actor_of

    actor = actor_of(user)
    require(actor, roles, action)
    return actor


def register(app: ApplicationInput, user=None, *, today: dt.date | None = None) -> Case:
    """Record a new application and give it the next case number of its year. ``user`` is
    the acting ``Actor`` (or a user name); a clerk, reviewer or administrator may register."""
    user = _acting(user, REGISTER_ROLES, "登记申请").username
    clean = validate(app, today)
    stored = [(Path(p).name, *store_file(p)) for p in app.attachments]
    received: dt.date = clean["received_date"]
    due = deadlines.derive(deadlines.CaseFacts("registered", received))
    with write_transaction():
        year = received.year
        serial = numbering.next_serial("case", year)
        case = Case.create(
            number=numbering.case_number(year, serial), year=year, serial=serial,
            applicant_initials=initials(clean["applicant_name"]),
            clock_start=received, stage="registered", registered_by=user,
            due_date=due.due_date, due_provisional=due.due_provisional, paused=due.paused,
            **clean)
        for name, dest, digest, size in stored:
            Attachment.create(case=case, filename=name, stored_path=str(dest), sha256=digest,
                              size=size, added_by=user)
        audit.record("register", case=case, user=user, to_stage="registered",
                     summary=f"登记申请 {case.number}",
                     details={k: v for k, v in asdict(app).items() if k not in ("id_number", "phone")})
    return case


def add_attachment(case: Case, path: str, user=None, kind: str = "scan") -> Attachment:
    """Keep a file with the case. Refused on an archived (read-only) case and for a user
    without a role in the process."""
    from gkdesk.errors import WorkflowError

    user = _acting(user, ATTACH_ROLES, "添加附件").username
    if kind not in terms.ATTACHMENT_KINDS:
        raise ValidationError(f"材料类别：未知的类别“{kind}”", "材料类别")
    if not Path(path).is_file():
        raise ValidationError(f"附件：找不到文件“{path}”", "附件")
    name = Path(path).name
    dest, digest, size = store_file(path)
    with write_transaction():
        stage = Case.select(Case.stage).where(Case.id == case.id).scalar()
        if stage == "archived":
            raise WorkflowError(f"案件 {case.number} 已归档，只读；如需补充材料，请由管理员重新打开")
        att = Attachment.create(case=case, filename=name, stored_path=str(dest), sha256=digest,
                                size=size, kind=kind, added_by=user, added_at=utcnow())
        audit.record("attach", case=case, user=user,
                     summary=f"添加{terms.label_of(terms.ATTACHMENT_KINDS, kind)} {name}")
    return att
