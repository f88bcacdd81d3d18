"""Builders for the clerk's-day tests: cases carried to a reply with an issued letter."""
import datetime as dt

from gkdesk.actors import SYSTEM
from gkdesk.cases import workflow as wf
from gkdesk.documents import service

from tests.documents.helpers import CLERK, new_case

D = dt.date
RECEIVED = D(2026, 3, 2)
REPLY_DAY = D(2026, 3, 20)

OUTCOME_INPUTS = {
    "disclosed": {"provided_description": "某某路拓宽工程征收补偿方案一份"},
    "not_held": {},
    "third_party": {"outcome_reason": "该信息涉及第三方个人隐私，公开会损害其合法权益"},
    "petition": {},
    "other_agency": {"responsible_agency": "某某市自然资源局，电话0595-22000000"},
}


def replied_case(outcome="not_held", *, issue=True, name="张三", content="某某路拓宽工程征收补偿方案", **inputs):
    c = new_case(name=name, content=content)
    c = wf.perform(c.id, "accept", SYSTEM, today=D(2026, 3, 3), section="综合股", handler="王丽")
    v = dict(OUTCOME_INPUTS.get(outcome, {}))
    v.update(inputs)
    c = wf.perform(c.id, "reply", SYSTEM, today=REPLY_DAY, outcome=outcome, reply_date=REPLY_DAY, **v)
    doc = service.issue(c, "reply", dict(CLERK), SYSTEM, date=REPLY_DAY) if issue else None
    return c, doc


def delivered_case(outcome="not_held", method="post", **kw):
    c, doc = replied_case(outcome, **kw)
    extra = {"tracking_number": "EA123456789CN"} if method == "post" else {}
    c = wf.perform(c.id, "deliver", SYSTEM, today=D(2026, 3, 25), method=method, delivery_date=D(2026, 3, 25),
                   **extra)
    return c, doc
