"""Property-based tests: random sequences of actions driven through the workflow service."""
import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

from gkdesk.actors import SYSTEM
from gkdesk.cases import workflow as wf
from gkdesk.cases.workdays import WorkCalendar
from gkdesk.db.models import Case
from gkdesk.errors import GkError

D = dt.date
CAL = WorkCalendar()
ISSUED: list[str] = []
EXAMPLES: list[int] = []  # documents actually issued across examples (checked by hand when changing the test)


@settings(max_examples=300, deadline=None)
@given(start=st.dates(D(2024, 1, 1), D(2027, 6, 30)),
       a=st.integers(0, 60), length=st.integers(0, 30), extend=st.integers(0, 20))
def test_adding_a_pause_never_moves_the_due_date_earlier(start, a, length, extend):
    base = CAL.add_working_days(start, 20 + extend)
    p0 = start + dt.timedelta(days=a)
    paused = CAL.add_working_days(start, 20 + extend, [(p0, p0 + dt.timedelta(days=length))])
    assert paused.date >= base.date
    # and it moves by at most the working days inside the pause
    inside = CAL.working_days_between(p0 - dt.timedelta(days=1), p0 + dt.timedelta(days=length))
    assert CAL.working_days_between(base.date, paused.date) <= inside


INPUTS = {
    "accept": lambda d: dict(section="综合股", handler="王丽"),
    "assign": lambda d: dict(section="规划股", handler="陈志强"),
    "correction_notice": lambda d: dict(what_to_add="请明确", notice_date=d, period_end=d + dt.timedelta(days=10)),
    "correction_received": lambda d: dict(received_date=d),
    "correction_abandon": lambda d: dict(reply_date=d),
    "not_request": lambda d: dict(outcome="petition", reply_date=d),
    "excessive": lambda d: dict(custom_due_date=d + dt.timedelta(days=90), reason="大量申请"),
    "consult": lambda d: dict(kind="third_party", party="某公司", information="合同", sent_date=d),
    "consult_answer": lambda d: dict(answer_date=d, answer="同意"),
    "fee_notice": lambda d: dict(method="per_volume", quantity=120, notice_date=d),
    "fee_paid": lambda d: dict(paid_date=d),
    "fee_abandon": lambda d: dict(reply_date=d),
    "extend": lambda d: dict(working_days=10, reason="检索", notice_date=d),
    "reply": lambda d: dict(outcome="not_held", reply_date=d),
    "reply_on_spot": lambda d: dict(outcome="disclosed", reply_date=d, provided_description="当场提供"),
    "withdraw": lambda d: dict(reply_date=d),
    "deliver": lambda d: dict(method="electronic", delivery_date=d),
    "archive": lambda d: dict(archive_date=d),
    "reopen": lambda d: dict(reason="补充材料"),
    "proceeding_add": lambda d: dict(kind="reconsideration", filed_date=d, body="某某区人民政府"),
    "proceeding_result": lambda d: dict(result="upheld", result_date=d),
    # documents issued along the way (not workflow actions): their numbers must stay gap-free
    "doc:receipt": lambda d: {},
    "doc:reply": lambda d: {},
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.integers(0, 3), st.sampled_from(sorted(INPUTS)), st.integers(0, 6)),
                      min_size=5, max_size=60))
def test_random_action_sequences_keep_the_invariants(db_path, steps):
    from gkdesk.cases.registry import ApplicationInput, register
    from gkdesk.db.models import Attachment

    today = D(2026, 3, 2)
    # a fresh database file per example (audit events are append-only: nothing can be deleted)
    from gkdesk.db import open_database

    EXAMPLES.append(1)
    open_database(db_path.with_name(f"example-{len(EXAMPLES)}.sqlite3"))
    ids = [register(ApplicationInput(applicant_name=f"申请人{i}", id_type="none", phone="13800138000",
                                     content=f"申请公开第{i}号文件", received_date=today), "t", today=today).id
           for i in range(4)]
    for which, code, advance in steps:
        today = CAL.add_working_days(today, advance).date if advance else today
        case = Case.get_by_id(ids[which])
        inputs = INPUTS[code](today)
        if code == "consult_answer":
            open_c = [c for c in case.consultations if c.answer_date is None]
            inputs["consultation_id"] = open_c[0].id if open_c else -1
        if code == "proceeding_result":
            open_p = [p for p in case.proceedings if p.result is None]
            inputs["proceeding_id"] = open_p[0].id if open_p else -1
        if code == "archive" and case.stage == "delivered":
            Attachment.get_or_create(case=case, kind="reply_letter", defaults=dict(
                filename="r.pdf", stored_path="x", sha256="0" * 64, size=1))
        before = (case.stage, case.version)
        try:
            if code.startswith("doc:"):
                from gkdesk.documents import service

                service.issue(case, code[4:], {}, SYSTEM, date=max(today, case.received_date))
                ISSUED.append(code)
                continue
            wf.perform(case.id, code, SYSTEM, today=today, **inputs)
        except GkError:
            after = Case.get_by_id(case.id)
            assert (after.stage, after.version) == before  # a refusal changes nothing
            continue
    for case in Case.select():
        if case.stage == "archived":
            assert case.reply_date and case.outcome and case.delivery_date and case.archive_number
        if case.stage in ("replied", "delivered", "archived"):
            assert case.outcome and case.reply_date
        if case.stage in ("delivered", "archived"):
            assert case.delivery_date >= case.reply_date
        assert len(list(case.extensions)) <= 1
        assert len(list(case.corrections)) <= 1
    serials = sorted(c.serial for c in Case.select())
    assert serials == list(range(1, len(serials) + 1))
    from gkdesk.db.models import Document

    for kind in ("receipt", "reply"):
        for year in {d.year for d in Document.select(Document.year).where(Document.kind == kind)}:
            doc_serials = sorted(d.serial for d in Document.select().where(Document.kind == kind, Document.year == year))
            assert doc_serials == list(range(1, len(doc_serials) + 1))
    numbers = [d.number for d in Document.select()]
    assert len(numbers) == len(set(numbers))
    archive_numbers = [c.archive_number for c in Case.select() if c.archive_number]
    assert len(archive_numbers) == len(set(archive_numbers))
    from gkdesk.audit import verify_chain

    assert verify_chain() == []
