"""One owner of a case's derived facts (due date, provisional, paused): the ledger import,
the workflow and the screens agree, and a running pause moves the shown date day by day."""
from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from gkdesk.actors import SYSTEM
from gkdesk.cases import deadlines
from gkdesk.cases import workflow as wf
from gkdesk.cases.workdays import WorkCalendar

from .helpers import new_case

CAL = WorkCalendar()               # the package's schedule (2004–2026), as a fresh database has
TODAY = dt.date(2026, 9, 30)       # a fixed clock after every generated date; running pauses count up to it
HEADERS = ["受理编号", "申请人类型", "申请人", "申请内容", "收到申请日期", "征求意见开始日期", "征求意见结束日期",
           "延期告知日期", "承办人"]
_serial = itertools.count(1)


def _ledger(path, number, received, cons_start, cons_end, ext_notice):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append([number, "自然人", "张三", "某文件", received, cons_start, cons_end, ext_notice, "王五"])
    wb.save(path)
    return path


@st.composite
def facts(draw):
    received = dt.date(2025, 1, 2) + dt.timedelta(days=draw(st.integers(0, 520)))
    consult = draw(st.booleans())
    cons_start = cons_end = None
    if consult:
        cons_start = CAL.add_working_days(received, draw(st.integers(2, 12))).date
        if draw(st.booleans()):
            cons_end = CAL.add_working_days(cons_start, draw(st.integers(0, 20))).date
    ext_notice = CAL.add_working_days(received, 1).date if draw(st.booleans()) else None
    return received, cons_start, cons_end, ext_notice


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts())
def test_ledger_import_due_date_equals_the_workflows(db_path, tmp_path, f):
    """The same facts entered through the workflow's actions and imported from a ledger row
    give the same due date, provisional flag and paused state."""
    from gkdesk.db.models import Case
    from gkdesk.reports import ledger

    received, cons_start, cons_end, ext_notice = f
    # through the workflow
    case = new_case(received=received, today=TODAY)
    wf.perform(case.id, "accept", SYSTEM, today=TODAY, section="办公室", handler="王五")
    if ext_notice:
        wf.perform(case.id, "extend", SYSTEM, today=TODAY, working_days=20, reason="需要调取档案",
                   notice_date=ext_notice)
    if cons_start:
        wf.perform(case.id, "consult", SYSTEM, today=TODAY, kind="third_party", party="某公司",
                   information="合同", sent_date=cons_start)
        if cons_end:
            cons = wf.get_case(case.id).consultations[0]
            wf.perform(case.id, "consult_answer", SYSTEM, today=TODAY, consultation_id=cons.id,
                       answer_date=cons_end, answer="无异议")
    by_workflow = Case.get_by_id(case.id)
    # from the ledger
    number = f"台账-{next(_serial)}"
    path = _ledger(tmp_path / f"{number}.xlsx", number, received, cons_start, cons_end, ext_notice)
    ledger.import_ledger(path, SYSTEM, today=TODAY)
    imported = Case.get(Case.number == number)
    assert imported.stage == by_workflow.stage == "handling"
    assert (imported.due_date, imported.due_provisional, imported.paused) == (
        by_workflow.due_date, by_workflow.due_provisional, by_workflow.paused)
    # and recomputing the imported case from its stored rows changes nothing
    assert not deadlines.refresh(imported, on=TODAY)


def test_a_paused_case_shows_a_date_that_moves_with_the_calendar(db_path, monkeypatch):
    from gkdesk.api import cases as api_cases
    from gkdesk.cases import query

    day1 = dt.date(2026, 3, 2)                     # a Monday
    day2 = CAL.add_working_days(day1, 2).date      # two working days on: Wednesday
    case = new_case(received=dt.date(2026, 2, 24), today=day1)
    wf.perform(case.id, "accept", SYSTEM, today=day1, section="办公室", handler="王五")
    wf.perform(case.id, "consult", SYSTEM, today=day1, kind="third_party", party="某公司",
               information="合同", sent_date=day1)
    stored = wf.get_case(case.id)
    assert stored.paused
    monkeypatch.setattr(deadlines, "today", lambda: day1)
    first = wf.due_status(wf.get_case(case.id))
    first_row = query.list_cases(query.CaseFilter())[0]
    monkeypatch.setattr(deadlines, "today", lambda: day2)
    second = wf.due_status(wf.get_case(case.id))
    second_row = query.list_cases(query.CaseFilter())[0]
    view = api_cases.case_view(case.id, SYSTEM)
    # nothing was written between the two days: the stored date stayed where the last action left it
    assert wf.get_case(case.id).due_date == stored.due_date
    assert first.level == second.level == "paused"
    assert second.due == CAL.add_working_days(first.due, 2).date
    assert (first_row["due_date"], second_row["due_date"]) == (first.due, second.due)
    assert view.due.due == second.due
    # when the answer comes the clock runs again from the day after, and the stored date is the live one
    cons = wf.get_case(case.id).consultations[0]
    done = wf.perform(case.id, "consult_answer", SYSTEM, today=day2, consultation_id=cons.id, answer_date=day2)
    assert not done.paused and done.due_date == second.due
