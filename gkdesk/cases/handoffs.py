"""Hand-offs inside the government (交办): a case sent to a unit for its information,
with an internal due date a few working days before the legal one, so the office has
time to write the reply. The unit's answer is recorded, or the hand-off is returned
(退回) with a reason; an open hand-off past its internal due date is overdue (dashboard).

The internal due date is counted on the office's calendar (gkdesk.cases.workdays):
``working_days_before(legal due, N)``, never before the day of the hand-off.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gkdesk import audit, changes
from gkdesk.actors import Actor, require
from gkdesk.cases import deadlines, numbering
from gkdesk.db import write_transaction
from gkdesk.db.desk_models import Handoff
from gkdesk.db.models import Case, Unit
from gkdesk.domain import terms
from gkdesk.errors import NotFound, ValidationError, WorkflowError

ROLES = ("clerk", "reviewer", "leader", "admin")
DEFAULT_DAYS_BEFORE = 3
STATUSES = {"sent": "已交办", "answered": "已答复", "returned": "已退回"}


def internal_due(legal_due: dt.date, days_before: int, sent: dt.date, cal=None) -> dt.date:
    """``days_before`` working days before ``legal_due`` on the office calendar, and not
    before the day it is sent."""
    cal = cal or deadlines.calendar()
    return max(cal.working_days_before(legal_due, days_before).date, sent)


def _handoff(hid: int) -> Handoff:
    h = Handoff.get_or_none(Handoff.id == hid)
    if h is None:
        raise NotFound(f"找不到交办记录（{hid}）", field="交办")
    return h


SEND_STAGES = ("registered", "handling")


def _refusal(case: Case) -> str:
    if case.stage not in SEND_STAGES:
        return (f"案件 {case.number} 当前为{terms.label_of(terms.STAGES, case.stage)}，"
                "只有待审核或办理中的案件可以交办")
    return ""


def send_refusal(case_id: int) -> str:
    """Why ``case_id`` cannot be handed off now ("" when it can)."""
    case = Case.get_or_none(Case.id == case_id)
    return _refusal(case) if case is not None else f"找不到案件（编号 {case_id}）"


def legal_due_of(case: Case) -> dt.date | None:
    return case.custom_due_date or case.due_date


@dataclass(frozen=True)
class Proposal:
    """What the send form proposes: the legal due date and the internal one N working days
    before it (never before the day of sending)."""
    legal_due: dt.date | None
    internal_due: dt.date | None
    days_before: int
    sent_date: dt.date


def propose(case_id: int, days_before: int = DEFAULT_DAYS_BEFORE, sent_date: dt.date | None = None) -> Proposal:
    case = Case.get_or_none(Case.id == case_id)
    if case is None:
        raise NotFound(f"找不到案件（编号 {case_id}）", field="案件")
    sent_date = sent_date or deadlines.today()
    legal = legal_due_of(case)
    return Proposal(legal, internal_due(legal, days_before, sent_date) if legal else None, days_before, sent_date)


def _check_chosen_due(chosen: dt.date, sent_date: dt.date, legal: dt.date, cal) -> int:
    """An internal due date the clerk typed: a working day from the day of sending up to the
    legal due date. Returns how many working days before the legal one it is."""
    if chosen < sent_date:
        raise ValidationError(f"内部办理期限：不能早于交办日期（{sent_date.isoformat()}）", "内部办理期限")
    if chosen > legal:
        raise ValidationError(f"内部办理期限：不能晚于法定答复期限（{legal.isoformat()}），"
                              "否则本机关来不及答复", "内部办理期限")
    if not cal.is_workday(chosen):
        raise ValidationError(f"内部办理期限：{chosen.isoformat()}不是工作日，请选一个工作日", "内部办理期限")
    return cal.working_days_between(chosen, legal)


def send(case_id: int, actor: Actor, *, unit_id: int | None = None, unit_name: str = "", instructions: str = "",
         days_before: int = DEFAULT_DAYS_BEFORE, sent_date: dt.date | None = None,
         internal_due_date: dt.date | None = None, today: dt.date | None = None) -> Handoff:
    """Send ``case_id`` to a unit. The internal due date is ``days_before`` working days
    before the legal one, or ``internal_due_date`` when the clerk changed it (checked)."""
    require(actor, ROLES, "交办")
    today = today or deadlines.today()
    sent_date = sent_date or today
    if sent_date > today:
        raise ValidationError(f"交办日期：不能晚于今天（{today.isoformat()}）", "交办日期")
    try:
        days_before = int(days_before)
    except (TypeError, ValueError):
        raise ValidationError("提前工作日数：请填写整数", "提前工作日数") from None
    if not 0 <= days_before <= 15:
        raise ValidationError("提前工作日数：应为0至15个工作日", "提前工作日数")
    with write_transaction():
        case = Case.get_or_none(Case.id == case_id)
        if case is None:
            raise NotFound(f"找不到案件（编号 {case_id}）", field="案件")
        why = _refusal(case)
        if why:
            raise WorkflowError(why)
        unit = None
        if unit_id is not None:
            unit = Unit.get_or_none(Unit.id == unit_id)
            if unit is None or not unit.active:
                raise ValidationError("承办单位：请选择一个在用的单位", "承办单位")
            unit_name = unit.name
        unit_name = " ".join((unit_name or "").split())
        if not unit_name:
            raise ValidationError("承办单位：必须填写", "承办单位")
        if sent_date < case.received_date:
            raise ValidationError(f"交办日期：不能早于收到申请日期（{case.received_date.isoformat()}）", "交办日期")
        legal = legal_due_of(case)
        if legal is None:
            raise WorkflowError(f"案件 {case.number} 没有答复期限，无法确定内部办理期限")
        if internal_due_date is not None:
            due = internal_due_date
            days_before = _check_chosen_due(due, sent_date, legal, deadlines.calendar())
        else:
            due = internal_due(legal, days_before, sent_date)
        serial = numbering.next_serial("handoff", sent_date.year)
        h = Handoff.create(case=case, number=numbering.format_number("交办", sent_date.year, serial), unit=unit,
                           unit_name=unit_name, instructions=(instructions or "").strip(), sent_date=sent_date,
                           legal_due=legal, working_days_before=days_before, internal_due=due,
                           created_by=actor.username)
        changes.note("handoffs")
        audit.record("handoff.send", case=case, user=actor.username,
                     summary=f"交办{unit_name}（{h.number}），内部期限{due.isoformat()}"
                             f"（法定期限{legal.isoformat()}前{days_before}个工作日）",
                     details={"handoff": h.id, "unit": unit_name, "internal_due": due, "legal_due": legal})
    return h


def _open(hid: int) -> Handoff:
    h = _handoff(hid)
    if h.status != "sent":
        raise WorkflowError(f"交办 {h.number} 已{STATUSES[h.status]}，不能再登记")
    return h


def answer(handoff_id: int, actor: Actor, *, answer: str, answer_date: dt.date | None = None,
           today: dt.date | None = None) -> Handoff:
    """The unit's answer (the information found, or that it holds none)."""
    require(actor, ROLES, "登记交办答复")
    today = today or deadlines.today()
    answer_date = answer_date or today
    text = (answer or "").strip()
    if not text:
        raise ValidationError("承办单位答复：必须填写（单位提供的信息或意见）", "承办单位答复")
    with write_transaction():
        h = _open(handoff_id)
        if not h.sent_date <= answer_date <= today:
            raise ValidationError(f"答复日期：应在交办日期（{h.sent_date.isoformat()}）至今天之间", "答复日期")
        Handoff.update(status="answered", answer=text, answer_date=answer_date).where(Handoff.id == h.id).execute()
        changes.note("handoffs")
        late = "（逾期）" if answer_date > h.internal_due else ""
        audit.record("handoff.answer", case=h.case, user=actor.username,
                     summary=f"{h.unit_name}答复交办 {h.number}{late}", details={"handoff": h.id, "answer": text})
    return _handoff(handoff_id)


def return_(handoff_id: int, actor: Actor, *, reason: str, returned_date: dt.date | None = None,
            today: dt.date | None = None) -> Handoff:
    """退回: the unit sends the case back (not its information, …) with a reason."""
    require(actor, ROLES, "登记交办退回")
    today = today or deadlines.today()
    returned_date = returned_date or today
    text = (reason or "").strip()
    if not text:
        raise ValidationError("退回理由：必须填写", "退回理由")
    with write_transaction():
        h = _open(handoff_id)
        if not h.sent_date <= returned_date <= today:
            raise ValidationError(f"退回日期：应在交办日期（{h.sent_date.isoformat()}）至今天之间", "退回日期")
        Handoff.update(status="returned", return_reason=text, returned_date=returned_date).where(
            Handoff.id == h.id).execute()
        changes.note("handoffs")
        audit.record("handoff.return", case=h.case, user=actor.username,
                     summary=f"{h.unit_name}退回交办 {h.number}：{text}", details={"handoff": h.id, "reason": text})
    return _handoff(handoff_id)


def of_case(case_id: int) -> list[Handoff]:
    return list(Handoff.select().where(Handoff.case == case_id).order_by(Handoff.id))


def overdue_query(on: dt.date | None = None):
    on = on or deadlines.today()
    return (Handoff.select().where(Handoff.status == "sent", Handoff.internal_due < on)
            .order_by(Handoff.internal_due, Handoff.id))


def due_between(start: dt.date, end: dt.date):
    return Handoff.select().where(Handoff.status == "sent", Handoff.internal_due >= start, Handoff.internal_due <= end)


@dataclass(frozen=True)
class HandoffSheet:
    number: str
    pdf: bytes


def sheet_pdf(handoff_id: int, actor: Actor) -> bytes:
    """The 交办单, from its template (设置 → 文书模板), numbered with the hand-off's number."""
    from gkdesk.documents import pdf, service

    require(actor, ROLES, "打印交办单")
    h = _handoff(handoff_id)
    p = service.prepare(h.case, "handoff", {}, number=h.number, date=h.sent_date)
    return pdf.write(p.laid, pdf.PdfMeta(title=p.title, author=p.settings["office.name"], subject=h.number))
