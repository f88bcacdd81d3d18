"""Hand-offs: the internal due date counts working days on the office's calendar."""
import datetime as dt

import pytest

from gkdesk.actors import SYSTEM
from gkdesk.cases import handoffs, workflow as wf
from gkdesk.db.models import CalendarDay, Case, CaseEvent
from gkdesk.errors import WorkflowError

from tests.documents.helpers import flat, new_case, pdftotext

D = dt.date


def _handling(received=D(2026, 9, 24)):
    c = new_case(received=received)
    return wf.perform(c.id, "accept", SYSTEM, today=received, section="综合股", handler="王丽")


def test_internal_due_counts_working_days_on_the_office_calendar(db_path):
    # received Thursday 24 September 2026 → due Thursday 29 October 2026 (process.md);
    c = _handling()
    assert c.due_date == D(2026, 10, 29)
    # 3 working days before Thu 29 Oct: Wed 28, Tue 27, Mon 26 → Monday 26 October
    h = handoffs.send(c.id, SYSTEM, unit_name="某某街道办事处", days_before=3, sent_date=D(2026, 9, 25),
                      today=D(2026, 9, 25))
    assert h.internal_due == D(2026, 10, 26) and h.legal_due == D(2026, 10, 29)
    # the office declares Tuesday 27 October a day off: the count skips it → Friday 23 October
    CalendarDay.create(day=D(2026, 10, 27), is_workday=False, name="本地假日")
    from gkdesk.cases import deadlines

    deadlines.invalidate_calendar()
    assert handoffs.internal_due(D(2026, 10, 29), 3, D(2026, 9, 25)) == D(2026, 10, 23)
    # back from Monday 12 October: Sat 10 (make-up workday), Fri 9, Thu 8, then over the
    # National Day holiday (1–7 October) to Wed 30 and Tue 29 September
    assert handoffs.internal_due(D(2026, 10, 12), 3, D(2026, 9, 25)) == D(2026, 10, 8)
    assert handoffs.internal_due(D(2026, 10, 12), 5, D(2026, 9, 25)) == D(2026, 9, 29)
    # never before the day it is sent
    assert handoffs.internal_due(D(2026, 10, 12), 5, D(2026, 10, 9)) == D(2026, 10, 9)


def test_answer_return_and_overdue(db_path):
    c = _handling()
    h = handoffs.send(c.id, SYSTEM, unit_name="某某局", sent_date=D(2026, 9, 25), today=D(2026, 9, 25))
    assert [x.id for x in handoffs.overdue_query(D(2026, 10, 27))] == [h.id]
    assert list(handoffs.overdue_query(D(2026, 10, 26))) == []
    h = handoffs.return_(h.id, SYSTEM, reason="该信息不属于本单位职责", today=D(2026, 9, 28))
    assert h.status == "returned" and list(handoffs.overdue_query(D(2026, 10, 27))) == []
    with pytest.raises(WorkflowError, match="已退回"):
        handoffs.answer(h.id, SYSTEM, answer="x", today=D(2026, 9, 28))
    h2 = handoffs.send(c.id, SYSTEM, unit_name="某某街道", sent_date=D(2026, 9, 28), today=D(2026, 9, 28))
    h2 = handoffs.answer(h2.id, SYSTEM, answer="已检索，提供补偿方案一份", today=D(2026, 10, 9))
    assert h2.status == "answered"
    assert CaseEvent.select().where(CaseEvent.action.startswith("handoff.")).count() == 4


def test_handoff_sheet_from_its_template(db_path, tmp_path):
    c = _handling()
    h = handoffs.send(c.id, SYSTEM, unit_name="某某街道办事处", instructions="请检索2025年征收补偿台账",
                      sent_date=D(2026, 9, 25), today=D(2026, 9, 25))
    text = flat(pdftotext(handoffs.sheet_pdf(h.id, SYSTEM), tmp_path))
    assert "交办单" in text and "某某街道办事处" in text and h.number in text
    assert "2026年10月26日" in text and "请检索2025年征收补偿台账" in text


def test_a_closed_case_cannot_be_handed_off(db_path):
    c = _handling()
    c = wf.perform(c.id, "reply", SYSTEM, today=D(2026, 10, 9), outcome="not_held", reply_date=D(2026, 10, 9))
    with pytest.raises(WorkflowError, match="办理中"):
        handoffs.send(c.id, SYSTEM, unit_name="某某局", today=D(2026, 10, 9))
    assert Case.get_by_id(c.id).stage == "replied"
