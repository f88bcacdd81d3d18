"""Documents and the workflow together: the reply letter numbers the case and completes the file."""
import datetime as dt

from gkdesk.actors import SYSTEM
from gkdesk.cases import workflow as wf
from gkdesk.db.models import Case
from gkdesk.documents import service

from tests.cases.helpers import new_case

D = dt.date


def test_issued_reply_letter_gives_the_reply_number_and_lets_the_case_be_archived(db_path):
    c = new_case(received=D(2026, 9, 24))
    c = wf.perform(c.id, "accept", SYSTEM, today=D(2026, 9, 25), section="综合股", handler="王丽")
    c = wf.perform(c.id, "reply", SYSTEM, today=D(2026, 10, 20), outcome="not_held", reply_date=D(2026, 10, 20))
    doc = service.issue(c, "reply", {}, SYSTEM, date=D(2026, 10, 20))
    c = Case.get_by_id(c.id)
    assert c.reply_number == doc.number and "〔2026〕1号" in doc.number
    c = wf.perform(c.id, "deliver", SYSTEM, today=D(2026, 10, 26), method="post", delivery_date=D(2026, 10, 26),
                   tracking_number="EA123456789CN")
    assert wf.missing_for_archive(c) == []
    c = wf.perform(c.id, "archive", SYSTEM, today=D(2026, 11, 2), archive_date=D(2026, 11, 2))
    assert c.stage == "archived"
