"""Collection rounds (征集轮次): the office asks every unit for Annex 1 and Annex 2 by a
deadline, sends the forms out, records what comes back.

A round is one kind of task (``gkdesk.tasks``: a ``Task`` of kind ``annex``; every active
unit owes ``terms.ANNEX_DELIVERABLE`` by the deadline, one ``Request`` each). A file
imported without problems is a ``Submission`` accepted at once (the import saved it); a
file with problems is a submission sent back, the problems its reason.

Status of a unit in a round:
- ``returned``  已交回 — a return was imported on or before the deadline;
- ``late``      逾期交回 — imported after the deadline day;
- ``problems``  有问题 — a file came back but could not be accepted (the problems are kept);
- ``missing``   未交回 — nothing yet (``overdue`` says whether the deadline has passed).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from gkdesk import audit, changes
from gkdesk.actors import Actor, require
from gkdesk.db import write_transaction
from gkdesk.db.models import Unit, utcnow
from gkdesk.db.tasks_models import Request, Submission, Task
from gkdesk.domain import terms
from gkdesk.errors import NotFound, ValidationError
from gkdesk.forms.records import clean_line, clean_multiline

STATUS_LABELS = {
    "returned": "已交回",
    "late": "逾期交回",
    "problems": "有问题",
    "missing": "未交回",
}
KIND = "annex"


@dataclass(frozen=True)
class Round:
    id: int                  # the task's id (printed into the forms sent out)
    name: str
    deadline: dt.date
    return_email: str
    return_fax: str
    note: str
    closed: bool
    created_at: dt.datetime | None = None


def _round(t: Task) -> Round:
    o = t.options or {}
    return Round(t.id, t.title, dt.date.fromisoformat(o["deadline"]), o.get("return_email", ""),
                 o.get("return_fax", ""), o.get("note", ""), bool(t.closed), t.created_at)


def _local_date(ts: dt.datetime) -> dt.date:
    return ts.astimezone().date()


def _rounds():
    return Task.select().where(Task.kind == KIND)


def create_round(name: str, deadline: dt.date, actor: Actor, email: str = "", fax: str = "",
                 note: str = "") -> Round:
    from gkdesk.forms.records import check_contact
    from gkdesk.validation import check_email

    require(actor, ("clerk", "admin"), "发起征集")
    problems = []
    name = clean_line(name)
    if not name:
        problems.append("轮次名称：必须填写")
    if not isinstance(deadline, dt.date):
        problems.append("截止日期：必须填写")
    email = clean_line(email)
    if email:
        try:
            email = check_email(email, "回收邮箱")
        except ValidationError as exc:
            problems.append(exc.message)
    fax = clean_line(fax)
    if fax:
        try:
            fax, _ = check_contact(fax, "传真号码")
        except ValidationError as exc:
            problems.append(exc.message)
    if problems:
        raise ValidationError(problems[0], None, problems)
    with write_transaction():
        if _rounds().where(Task.title == name).exists():
            raise ValidationError(f"轮次名称：已有名为“{name}”的征集轮次，请换一个名称", "轮次名称")
        t = Task.create(kind=KIND, year=deadline.year, title=name, deadline_text=deadline.isoformat(),
                        options={"deadline": deadline.isoformat(), "return_email": email, "return_fax": fax,
                                 "note": clean_multiline(note)}, created_by=actor.username)
        units = [u for (u,) in Unit.select(Unit.id).where(Unit.active == True).tuples()]  # noqa: E712
        for uid in units:
            Request.create(task=t, unit=uid, what=terms.ANNEX_DELIVERABLE, due_text=deadline.isoformat(),
                           due_date=deadline, asked_on=dt.date.today(), created_by=actor.username)
        changes.note("rounds", "tasks")
        audit.record("round.create", user=actor.username, summary=f"发起征集“{name}”，截止{deadline.isoformat()}",
                     details={"round_id": t.id, "deadline": deadline.isoformat(), "email": email, "fax": fax,
                              "units": len(units)})
    return _round(t)


def close_round(rnd, actor: Actor) -> Round:
    require(actor, ("clerk", "admin"), "结束征集")
    with write_transaction():
        rnd = get_round(rnd)
        Task.update(closed=True).where(Task.id == rnd.id).execute()
        changes.note("rounds", "tasks")
        audit.record("round.close", user=actor.username, summary=f"结束征集“{rnd.name}”",
                     details={"round_id": rnd.id})
    return get_round(rnd.id)


def list_rounds() -> list[Round]:
    return [_round(t) for t in _rounds().order_by(Task.id.desc())]


def round_by_id(round_id) -> Round | None:
    t = _rounds().where(Task.id == int(round_id)).first() if round_id is not None else None
    return _round(t) if t is not None else None


def get_round(ref=None) -> Round:
    """A round by id, name or object; None → the latest round."""
    if isinstance(ref, Round):
        ref = ref.id
    if ref is None or ref == "":
        t = _rounds().order_by(Task.id.desc()).first()
        if t is None:
            raise NotFound("还没有征集轮次，请先发起征集（gkdesk forms round new）")
        return _round(t)
    t = _rounds().where(Task.title == str(ref)).first()
    if t is None and (isinstance(ref, int) or str(ref).isdigit()):
        t = _rounds().where(Task.id == int(ref)).first()
    if t is None:
        raise NotFound(f"找不到征集轮次“{ref}”")
    return _round(t)


def open_round() -> Round | None:
    """The latest round not yet closed (imports are counted as its returns), or None."""
    t = _rounds().where(Task.closed == False).order_by(Task.id.desc()).first()  # noqa: E712
    return _round(t) if t is not None else None


def note_text(rnd) -> str:
    """The 注 line of the forms, e.g. 注：请于 8 月 28 日下午下班前将电子版发至
    lcxinxike@163.com，纸质版加盖公章传真至 22355669。"""
    if rnd is None:
        return "注：请核对、填写后将电子版发回，纸质版加盖公章后报送。"
    if rnd.note:
        note = rnd.note.replace("\n", "")
        return note if note.startswith("注") else f"注：{note}"
    d = rnd.deadline
    parts = [f"请于 {d.month} 月 {d.day} 日下午下班前将电子版"]
    parts.append(f"发至 {rnd.return_email}" if rnd.return_email else "发回")
    text = "".join(parts)
    if rnd.return_fax:
        text += f"，纸质版加盖公章传真至 {rnd.return_fax}"
    else:
        text += "，纸质版加盖公章后报送"
    return f"注：{text}。"


def _latest(request_id: int):
    return (Submission.select().where(Submission.request == request_id)
            .order_by(Submission.received_at.desc(), Submission.id.desc()).first())


def record_return(rnd, unit, actor: Actor, *, ok: bool, problems: list[str] | None = None,
                  source_file: str = "", returned_at: dt.datetime | None = None):
    """Record that ``unit`` sent its forms back in ``rnd``. Call inside a write transaction
    (the importer's); an accepted return replaces an earlier one with problems."""
    rnd = get_round(rnd)
    unit_id = unit.id if isinstance(unit, Unit) else int(unit)
    at = returned_at or utcnow()
    req = Request.get_or_none((Request.task == rnd.id) & (Request.unit == unit_id))
    if req is None:   # a unit added after the round began
        req = Request.create(task=rnd.id, unit=unit_id, what=terms.ANNEX_DELIVERABLE,
                             due_text=rnd.deadline.isoformat(), due_date=rnd.deadline, asked_on=_local_date(at),
                             created_by=actor.username)
    last = _latest(req.id)
    if not ok and last is not None and last.status == "accepted":
        return last  # a good return stands; a later bad file does not undo it
    status = "accepted" if ok else "returned"
    source = str(source_file)[:500]
    s = Submission.create(request=req.id, received_on=_local_date(at), received_at=at, recorded_by=actor.username,
                          filename=Path(source).name[:300] if source else "", note=source,
                          status=status, reason="" if ok else "\n".join(problems or []), decided_at=at,
                          decided_by=actor.username)
    changes.note("rounds", "tasks")
    audit.record("round.return", user=actor.username,
                 summary=f"征集“{rnd.name}”：单位#{unit_id}{'交回' if ok else '交回的表格有问题'}",
                 details={"round_id": rnd.id, "unit_id": unit_id, "status": "returned" if ok else "problems",
                          "source": source})
    return s


def return_count(rnd=None) -> int:
    """How many returns (good or with problems) were recorded, in ``rnd`` or in any round."""
    q = Submission.select().join(Request).join(Task).where(Task.kind == KIND)
    if rnd is not None:
        q = q.where(Task.id == get_round(rnd).id)
    return q.count()


@dataclass
class UnitStatus:
    unit_id: int
    unit_name: str
    status: str             # returned / late / problems / missing
    returned_at: dt.datetime | None
    problems: str
    source_file: str
    overdue: bool           # deadline passed without an accepted return

    @property
    def label(self) -> str:
        base = STATUS_LABELS[self.status]
        if self.status in ("missing", "problems") and self.overdue:
            return base + "（已逾期）"
        return base


def round_status(rnd=None, today: dt.date | None = None) -> list[UnitStatus]:
    """Every active unit (and any retired unit that returned) with its status in ``rnd``."""
    rnd = get_round(rnd)
    today = today or dt.date.today()
    past = today > rnd.deadline
    latest: dict[int, Submission] = {}
    for s in (Submission.select(Submission, Request.unit).join(Request)
              .where(Request.task == rnd.id).order_by(Submission.received_at, Submission.id)):
        uid = s.request.unit_id
        prev = latest.get(uid)
        if prev is not None and prev.status == "accepted" and s.status != "accepted":
            continue   # a good return stands
        latest[uid] = s
    units = list(Unit.select().where((Unit.active == True) | (Unit.id.in_(list(latest) or [0]))))  # noqa: E712
    out = []
    for u in units:
        s = latest.get(u.id)
        if s is None:
            out.append(UnitStatus(u.id, u.name, "missing", None, "", "", past))
            continue
        if s.status == "accepted":
            status = "late" if _local_date(s.received_at) > rnd.deadline else "returned"
            out.append(UnitStatus(u.id, u.name, status, s.received_at, "", s.note, False))
        else:
            out.append(UnitStatus(u.id, u.name, "problems", s.received_at, s.reason, s.note, past))
    from gkdesk.forms.units import name_key

    order = {"problems": 0, "missing": 1, "late": 2, "returned": 3}
    out.sort(key=lambda s: (order[s.status], name_key(s.unit_name)))
    return out


def status_counts(statuses: list[UnitStatus]) -> dict[str, int]:
    counts = {k: 0 for k in STATUS_LABELS}
    for s in statuses:
        counts[s.status] += 1
    return counts


def export_round(rnd, folder, *, blank: bool = False, progress=None, cancelled=None) -> list[Path]:
    """Every active unit's forms for ``rnd`` into ``folder`` (one workbook per unit)."""
    from gkdesk.forms.xlsx_export import export_all

    rnd = get_round(rnd)
    return export_all(folder, rnd=rnd, blank=blank, progress=progress, cancelled=cancelled)
