"""Helpers for report tests: cases registered through the real registry, then the fields a
finished workflow would have set written directly on the model (test setup only)."""
from __future__ import annotations

import datetime as dt

import pytest

D = dt.date

KINDS = ("natural", "commercial", "research", "public_welfare", "legal_service", "other_org")


def make_case(received: dt.date, kind: str = "natural", *, outcome: str | None = None,
              reply: dt.date | None = None, name: str | None = None, content: str = "某路段改造工程的批复文件",
              corrected: dt.date | None = None, correction_notice: dt.date | None = None,
              section: str = "", handler: str = "", reason: str = "", delivery: dt.date | None = None,
              archive: dt.date | None = None, user: str = "tester"):
    from gkdesk.cases.registry import ApplicationInput, register
    from gkdesk.db.models import Case, Correction

    app = ApplicationInput(applicant_kind=kind, applicant_name=name or ("张三" if kind == "natural" else "某某有限公司"),
                           id_type="none", phone="13800138000", content=content,
                           channel="in_person", received_date=received,
                           contact_person="" if kind == "natural" else "李四")
    case = register(app, user, today=max(received, dt.date.today()))
    if correction_notice or corrected:
        Correction.create(case=case, notice_date=correction_notice or received, what_to_add="请明确信息名称",
                          period_end=(correction_notice or received) + dt.timedelta(days=15),
                          received_date=corrected)
        if corrected:
            case.clock_start = corrected
    case.outcome = outcome
    case.reply_date = reply
    case.outcome_reason = reason
    case.section = section
    case.handler = handler
    case.delivery_date = delivery
    if delivery:
        case.delivery_method = "direct"
    case.archive_date = archive
    if archive:
        case.stage = "archived"
    elif delivery:
        case.stage = "delivered"
    elif reply:
        case.stage = "replied"
    elif handler:
        case.stage = "handling"
    case.save()
    return Case.get_by_id(case.id)


def add_proceeding(case, kind: str, filed: dt.date, result: str | None = None, result_date: dt.date | None = None):
    from gkdesk.db.models import Proceeding

    return Proceeding.create(case=case, kind=kind, filed_date=filed, body="某某区人民政府",
                             result=result, result_date=result_date)


@pytest.fixture
def case_factory(db_path):
    return make_case
