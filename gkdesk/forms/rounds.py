"""Collection rounds (征集轮次): the office asks every unit for Annex 1 and Annex 2 by a
deadline, sends the forms out, records what comes back.

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

from gkdesk import audit
from gkdesk.actors import Actor, require
from gkdesk.db import write_transaction
from gkdesk.db.models import CollectionRound, RoundReturn, Unit, utcnow
from gkdesk.errors import NotFound, ValidationError
from gkdesk.forms.records import clean_line, clean_multiline

STATUS_LABELS = {
    "returned": "已交回",
    "late": "逾期交回",
    "problems": "有问题",
    "missing": "未交回",
}


def _local_date(ts: dt.datetime) -> dt.date:
    return ts.astimezone().date()


def create_round(name: str, deadline: dt.date, actor: Actor, email: str = "", fax: str = "",
                 note: str = "") -> CollectionRound:
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
        if CollectionRound.select().where(CollectionRound.name == name).exists():
            raise ValidationError(f"轮次名称：已有名为“{name}”的征集轮次，请换一个名称", "轮次名称")
        r = CollectionRound.create(name=name, deadline=deadline, return_email=email, return_fax=fax,
                                   note=clean_multiline(note))
        audit.record("round.create", user=actor.username, summary=f"发起征集“{name}”，截止{deadline.isoformat()}",
                     details={"round_id": r.id, "deadline": deadline.isoformat(), "email": email, "fax": fax})
    return r


def close_round(rnd, actor: Actor) -> CollectionRound:
    require(actor, ("clerk", "admin"), "结束征集")
    with write_transaction():
        rnd = get_round(rnd)
        CollectionRound.update(closed=True).where(CollectionRound.id == rnd.id).execute()
        rnd.closed = True
        audit.record("round.close", user=actor.username, summary=f"结束征集“{rnd.name}”",
                     details={"round_id": rnd.id})
    return rnd


def list_rounds() -> list[CollectionRound]:
    return list(CollectionRound.select().order_by(CollectionRound.id.desc()))


def get_round(ref=None) -> CollectionRound:
    """A round by id, name or object; None → the latest round."""
    if isinstance(ref, CollectionRound):
        return ref
    if ref is None or ref == "":
        r = CollectionRound.select().order_by(CollectionRound.id.desc()).first()
        if r is None:
            raise NotFound("还没有征集轮次，请先发起征集（gkdesk forms round new）")
        return r
    r = CollectionRound.get_or_none(CollectionRound.name == str(ref))
    if r is None and str(ref).isdigit():
        r = CollectionRound.get_or_none(CollectionRound.id == int(ref))
    if r is None:
        raise NotFound(f"找不到征集轮次“{ref}”")
    return r


def open_round() -> CollectionRound | None:
    """The latest round not yet closed (imports are counted as its returns), or None."""
    return (CollectionRound.select().where(CollectionRound.closed == False)  # noqa: E712
            .order_by(CollectionRound.id.desc()).first())


def note_text(rnd: CollectionRound | None) -> str:
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


def record_return(rnd, unit, actor: Actor, *, ok: bool, problems: list[str] | None = None,
                  source_file: str = "", returned_at: dt.datetime | None = None) -> RoundReturn:
    """Record that ``unit`` sent its forms back in ``rnd``. Call inside a write transaction
    (the importer's); an accepted return replaces an earlier one with problems."""
    rnd = get_round(rnd)
    unit_id = unit.id if isinstance(unit, Unit) else int(unit)
    at = returned_at or utcnow()
    existing = RoundReturn.get_or_none((RoundReturn.round == rnd.id) & (RoundReturn.unit == unit_id))
    if not ok and existing is not None and existing.status == "returned":
        return existing  # a good return stands; a later bad file does not undo it
    status = "returned" if ok else "problems"
    values = dict(returned_at=at, status=status, problems="\n".join(problems or []),
                  source_file=str(source_file)[:500])
    if existing is None:
        rr = RoundReturn.create(round=rnd.id, unit=unit_id, **values)
    else:
        RoundReturn.update(**values).where(RoundReturn.id == existing.id).execute()
        rr = RoundReturn.get_by_id(existing.id)
    audit.record("round.return", user=actor.username,
                 summary=f"征集“{rnd.name}”：单位#{unit_id}{'交回' if ok else '交回的表格有问题'}",
                 details={"round_id": rnd.id, "unit_id": unit_id, "status": status, "source": str(source_file)})
    return rr


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
    returns = {r.unit_id: r for r in RoundReturn.select().where(RoundReturn.round == rnd.id)}
    units = list(Unit.select().where((Unit.active == True) | (Unit.id.in_(list(returns) or [0]))))  # noqa: E712
    out = []
    for u in units:
        r = returns.get(u.id)
        if r is None or r.returned_at is None:
            out.append(UnitStatus(u.id, u.name, "missing", None, "", "", past))
            continue
        if r.status == "returned":
            status = "late" if _local_date(r.returned_at) > rnd.deadline else "returned"
            out.append(UnitStatus(u.id, u.name, status, r.returned_at, "", r.source_file, False))
        else:
            out.append(UnitStatus(u.id, u.name, "problems", r.returned_at, r.problems, r.source_file, past))
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
