"""Hand-offs (gkdesk.cases.handoffs) for the GUI: frozen ``HandoffView`` records."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gkdesk.actors import Actor
from gkdesk.cases import handoffs as core


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


def _view(h) -> HandoffView:
    return HandoffView(h.id, h.case_id, h.case.number, h.number, h.unit_name, h.instructions, h.sent_date,
                       h.legal_due, h.internal_due, h.status, core.STATUSES[h.status], h.answer, h.return_reason)


def of_case(case_id: int) -> tuple[HandoffView, ...]:
    return tuple(_view(h) for h in core.of_case(case_id))


def overdue(on: dt.date | None = None) -> tuple[HandoffView, ...]:
    return tuple(_view(h) for h in core.overdue_query(on))


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
