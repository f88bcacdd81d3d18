"""Hand-offs (gkdesk.cases.handoffs) for the GUI: frozen ``HandoffView`` records, the
units to pick from and the proposed internal due date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gkdesk.actors import Actor
from gkdesk.cases import deadlines
from gkdesk.cases import handoffs as core
from gkdesk.cases.handoffs import DEFAULT_DAYS_BEFORE, STATUSES, Proposal

__all__ = ["HandoffView", "UnitChoice", "Proposal", "DEFAULT_DAYS_BEFORE", "STATUSES", "of_case", "overdue",
           "overdue_count", "today", "send_refusal", "units", "propose", "send", "answer", "return_", "sheet_pdf"]


@dataclass(frozen=True)
class HandoffView:
    id: int
    case_id: int
    case_number: str
    number: str
    unit_name: str
    instructions: str
    sent_date: dt.date
    legal_due: dt.date | None
    internal_due: dt.date
    status: str
    status_label: str
    answer: str
    return_reason: str
    applicant: str = ""
    answer_date: dt.date | None = None
    returned_date: dt.date | None = None
    days_before: int = 0
    created_by: str = ""
    late_days: int = 0            # working days past the internal due date (open hand-offs)

    @property
    def is_open(self) -> bool:
        return self.status == "sent"

    def overdue_on(self, on: dt.date) -> bool:
        """Still waiting for the unit after its internal due date."""
        return self.is_open and self.internal_due < on


@dataclass(frozen=True)
class UnitChoice:
    id: int
    name: str


def _view(h, today: dt.date | None = None) -> HandoffView:
    late = 0
    if h.status == "sent":
        today = today or deadlines.today()
        if h.internal_due < today:
            late = deadlines.calendar().working_days_between(h.internal_due, today)
    return HandoffView(h.id, h.case_id, h.case.number, h.number, h.unit_name, h.instructions, h.sent_date,
                       h.legal_due, h.internal_due, h.status, core.STATUSES[h.status], h.answer, h.return_reason,
                       h.case.applicant_name, h.answer_date, h.returned_date, h.working_days_before, h.created_by,
                       late)


def today() -> dt.date:
    """The office's today (what the core's date checks compare with)."""
    return deadlines.today()


def send_refusal(case_id: int) -> str:
    """Why the case cannot be handed off now ("" when it can)."""
    return core.send_refusal(case_id)


def units() -> tuple[UnitChoice, ...]:
    """The units in use, in pinyin order (the unit picker)."""
    from gkdesk.forms.units import list_units, name_key

    return tuple(UnitChoice(u.id, u.name) for u in sorted(list_units(active=True), key=lambda u: name_key(u.name)))


def propose(case_id: int, days_before: int = DEFAULT_DAYS_BEFORE, sent_date: dt.date | None = None) -> Proposal:
    return core.propose(case_id, days_before, sent_date)


def of_case(case_id: int, today: dt.date | None = None) -> tuple[HandoffView, ...]:
    return tuple(_view(h, today) for h in core.of_case(case_id))


def overdue(on: dt.date | None = None) -> tuple[HandoffView, ...]:
    """Open hand-offs past their internal due date, the longest overdue first."""
    on = on or deadlines.today()
    return tuple(_view(h, on) for h in core.overdue_query(on))


def overdue_count(on: dt.date | None = None) -> int:
    return core.overdue_query(on).count()


def send(case_id: int, actor: Actor, **kw) -> HandoffView:
    return _view(core.send(case_id, actor, **kw))


def answer(handoff_id: int, actor: Actor, **kw) -> HandoffView:
    return _view(core.answer(handoff_id, actor, **kw))


def return_(handoff_id: int, actor: Actor, **kw) -> HandoffView:
    return _view(core.return_(handoff_id, actor, **kw))


def sheet_pdf(handoff_id: int, actor: Actor) -> bytes:
    return core.sheet_pdf(handoff_id, actor)


def save_sheet_pdf(handoff_id: int, actor: Actor, path) -> str:
    """The 交办单 PDF written (atomically) to ``path``; returns the path."""
    from gkdesk.fileio import atomic_write

    atomic_write(path, core.sheet_pdf(handoff_id, actor))
    return str(path)
