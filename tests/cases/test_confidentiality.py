"""保密审查 before a disclosing reply: recorded on the case, required when the office says so."""
import datetime as dt

import pytest

from gkdesk import settings
from gkdesk.actors import SYSTEM, Actor
from gkdesk.cases import confidentiality
from gkdesk.cases import workflow as wf
from gkdesk.db.models import Case, CaseEvent
from gkdesk.errors import ValidationError, WorkflowError

from .helpers import TODAY, new_case

D = dt.date
CLERK = Actor("clerk1", "王丽", frozenset({"clerk"}))


def _handling():
    c = new_case()
    return wf.perform(c.id, "accept", SYSTEM, today=TODAY, section="综合股", handler="王丽")


def _reply(c, outcome="disclosed"):
    return wf.perform(c.id, "reply", SYSTEM, today=TODAY, outcome=outcome, reply_date=D(2026, 10, 20),
                      provided_description="提供补偿方案复印件一份", outcome_reason="涉及个人隐私")


def test_with_the_setting_on_a_disclosing_reply_needs_a_review(db_path):
    settings.save({confidentiality.SETTING: True})
    c = _handling()
    with pytest.raises(WorkflowError) as exc:
        _reply(c)
    msg = exc.value.message
    assert "保密审查" in msg and c.number in msg and "审查人" in msg
    assert Case.get_by_id(c.id).stage == "handling"          # nothing saved
    with pytest.raises(WorkflowError, match="保密审查"):
        _reply(c, "partial")
    # a reply that discloses nothing is not held up
    c2 = _handling()
    assert wf.perform(c2.id, "reply", SYSTEM, today=TODAY, outcome="not_held",
                      reply_date=D(2026, 10, 20)).stage == "replied"

    confidentiality.record(c.id, CLERK, reviewer="陈保密", review_date="2026-10-19", conclusion="redacted",
                           deidentified=True, today=TODAY)
    assert _reply(c).stage == "replied"
    ev = CaseEvent.select().where(CaseEvent.case == c.id, CaseEvent.action == "confidentiality_review").get()
    assert "陈保密" in ev.summary and "已去标识化" in ev.summary


def test_a_review_that_refuses_blocks_the_reply_and_bad_input_is_named(db_path):
    settings.save({confidentiality.SETTING: True})
    c = _handling()
    confidentiality.record(c.id, CLERK, reviewer="陈保密", review_date=D(2026, 10, 19), conclusion="refused",
                           deidentified=False, today=TODAY)
    with pytest.raises(WorkflowError, match="涉密，不得公开"):
        _reply(c)
    with pytest.raises(ValidationError) as e:
        confidentiality.record(c.id, CLERK, reviewer="", review_date=D(2026, 10, 19), conclusion="clear",
                               deidentified=True, today=TODAY)
    assert e.value.field == "审查人"
    with pytest.raises(ValidationError, match="审查结论"):
        confidentiality.record(c.id, CLERK, reviewer="甲", review_date=D(2026, 10, 19), conclusion="ok",
                               deidentified=True, today=TODAY)
    with pytest.raises(ValidationError, match="晚于今天"):
        confidentiality.record(c.id, CLERK, reviewer="甲", review_date=D(2026, 12, 19), conclusion="clear",
                               deidentified=True, today=TODAY)
    assert len(confidentiality.reviews(c.id)) == 1


def test_setting_off_by_default_replies_as_before(db_path):
    assert confidentiality.required() is False
    assert _reply(_handling()).stage == "replied"
