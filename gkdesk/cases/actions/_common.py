"""Helpers the actions share: field kinds and choices, date checks, closing a case."""
from __future__ import annotations

import datetime as dt

from gkdesk.cases import deadlines
from gkdesk.cases.actions.spec import FieldSpec
from gkdesk.db.models import Consultation, Fee
from gkdesk.domain import outcomes as oc
from gkdesk.errors import ValidationError

DATE = "date"
TODAY = "today"


def choices(table) -> tuple:
    return tuple((t.code, t.label) for t in table.values())


def outcome_choices(codes=None) -> tuple:
    codes = codes or [c for c in oc.OUTCOMES if c not in oc.TERMINATION_OUTCOMES]
    return tuple((c, f"{oc.OUTCOMES[c].group_label[3:]}：{oc.OUTCOMES[c].description}") for c in codes)


def cal():
    return deadlines.calendar()


def open_consultations(case) -> list[Consultation]:
    return [c for c in case.consultations if c.answer_date is None]


def open_fees(case) -> list[Fee]:
    return [f for f in case.fees if f.paid_date is None and not f.abandoned]


def not_future(value: dt.date, label: str, today: dt.date) -> None:
    if value > today:
        raise ValidationError(f"{label}：不能晚于今天（{today.isoformat()}）", label)


def not_before(value: dt.date, floor: dt.date, label: str, floor_label: str) -> None:
    if value < floor:
        raise ValidationError(f"{label}：不能早于{floor_label}（{floor.isoformat()}）", label)


def close(case, outcome_code: str, reply_date: dt.date, today: dt.date, reason: str = "") -> None:
    """Every way a case ends sets an outcome and a reply date (the annual report counts it once)."""
    not_future(reply_date, "答复日期", today)
    not_before(reply_date, case.received_date, "答复日期", "收到申请日期")
    o = oc.outcome(outcome_code)
    case.outcome = o.code
    case.reply_date = reply_date
    case.outcome_articles = case.outcome_articles or o.basis
    if reason:
        case.outcome_reason = reason
    case.stage = "replied"


REPLY_FIELDS = (
    FieldSpec("outcome", "办理结果", "choice", choices=outcome_choices()),
    FieldSpec("reply_date", "答复日期", DATE, default=TODAY),
    FieldSpec("provided_description", "提供的信息或获取方式", "multiline", required=False,
              help="予以公开、部分公开时必填：提供的信息，或获取的方式、途径和时间"),
    FieldSpec("outcome_reason", "理由", "multiline", required=False,
              help="不予公开、部分公开时必填：不予公开的理由"),
    FieldSpec("outcome_articles", "法律依据（条款）", "text", required=False,
              help="默认按办理结果引用条例条款，可补充"),
    FieldSpec("responsible_agency", "负责公开的机关及联系方式", "multiline", required=False,
              help="不属于本机关负责公开时必填"),
)

