"""What the office must be warned of (process.md, "Warnings the office wants"), for the
dashboard: each alert is a count and the case ids behind it, so a click opens the list."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gkdesk.actors import Actor
from gkdesk.cases import deadlines
from gkdesk.db.models import Case, Consultation, Correction, Fee
from gkdesk.domain import rules, terms


@dataclass
class Alert:
    """A dashboard card. ``count`` is one SQL COUNT; the ids are read only when the card is
    opened (at 100,000 cases the closed-but-not-archived lists run to thousands)."""

    code: str
    label: str
    level: str                       # red / amber / info
    query: object = None             # a peewee query selecting Case.id
    _count: int | None = field(default=None, repr=False)

    @property
    def count(self) -> int:
        if self._count is None:
            self._count = self.query.count() if self.query is not None else 0
        return self._count

    @property
    def case_ids(self) -> list[int]:
        return [r[0] for r in self.query.tuples()] if self.query is not None else []


def _ids(q):
    return q.select(Case.id)


def compute(actor: Actor | None = None, on: dt.date | None = None) -> list[Alert]:
    on = on or deadlines.today()
    cal = deadlines.calendar()
    open_q = Case.select().where(Case.stage.in_(terms.OPEN_STAGES), Case.paused == False)  # noqa: E712
    # the date that is AMBER working days from today
    amber_until = cal.add_working_days(on, rules.AMBER_WORKING_DAYS).date
    alerts = [
        Alert("overdue", "已超期", "red", _ids(open_q.where(Case.due_date < on))),
        Alert("due_today", "今日到期", "red", _ids(open_q.where(Case.due_date == on))),
        Alert("due_soon", f"{rules.AMBER_WORKING_DAYS}个工作日内到期", "amber",
              _ids(open_q.where(Case.due_date > on, Case.due_date <= amber_until))),
    ]
    # correction notice not yet sent 5 working days after receipt (limit is 7)
    # received on or before the cutoff: at least that many working days in (received, on]
    nth_back = cal.working_days_before(on + dt.timedelta(days=1), rules.CORRECTION_REMINDER_WORKING_DAYS).date
    reminder_cutoff = nth_back - dt.timedelta(days=1)
    no_corr = Case.select(Case.id).where(
        Case.stage == "registered", Case.received_date <= reminder_cutoff,
        ~Case.id.in_(Correction.select(Correction.case)))
    alerts.append(Alert("review_pending_long", "收到已满5个工作日仍待审核（补正告知期限7个工作日）", "amber",
                        no_corr))
    soon = cal.add_working_days(on, 3).date
    cons = Consultation.select(Consultation.case).where(Consultation.answer_date.is_null(),
                                                        Consultation.answer_due <= soon)
    alerts.append(Alert("consultation_ending", "征求意见期限即将届满", "amber",
                        Case.select(Case.id).where(Case.id.in_(cons))))
    fee = Fee.select(Fee.case).where(Fee.paid_date.is_null(), Fee.abandoned == False,  # noqa: E712
                                     Fee.pay_by <= soon)
    alerts.append(Alert("fee_ending", "缴费期限即将届满", "amber", Case.select(Case.id).where(Case.id.in_(fee))))
    from gkdesk.db.desk_models import Handoff

    late = Handoff.select(Handoff.case).where(Handoff.status == "sent", Handoff.internal_due < on)
    alerts.append(Alert("handoff_overdue", "交办逾期未答复", "red", Case.select(Case.id).where(Case.id.in_(late))))
    alerts.append(Alert("not_delivered", "已答复未送达", "info", _ids(Case.select().where(Case.stage == "replied"))))
    alerts.append(Alert("not_archived", "已送达未归档", "info", _ids(Case.select().where(Case.stage == "delivered"))))
    if actor is not None and actor.has("reviewer"):
        alerts.append(Alert("my_review", "待我审核", "info",
                            _ids(Case.select().where(Case.stage == "registered"))))
    if actor is not None and actor.has("clerk"):
        alerts.append(Alert("my_handling", "我承办的在办案件", "info",
                            _ids(Case.select().where(Case.stage == "handling",
                                                     Case.handler.in_([actor.username, actor.display_name])))))
    return alerts
