"""Dashboard alerts: counts in SQL, ids on demand, each case in the right card."""
import datetime as dt

from gkdesk.actors import SYSTEM
from gkdesk.cases import alerts
from gkdesk.cases import workflow as wf

from .helpers import new_case

D = dt.date


def test_alert_cards(db_path):
    on = D(2026, 11, 20)
    overdue = new_case(received=D(2026, 10, 8), today=on)     # due 2026-11-05 (Sat 10 Oct worked)
    due_today = new_case(received=D(2026, 10, 22), today=on)
    replied = new_case(received=D(2026, 11, 2), today=on)
    wf.perform(replied.id, "reply_on_spot", SYSTEM, today=on, outcome="not_held", reply_date=on)
    cards = {a.code: a for a in alerts.compute(SYSTEM, on=on)}
    assert overdue.id in cards["overdue"].case_ids
    assert cards["not_delivered"].case_ids == [replied.id] and cards["not_delivered"].count == 1
    assert cards["overdue"].count == len(cards["overdue"].case_ids)
    assert replied.id not in cards["my_review"].case_ids and overdue.id in cards["my_review"].case_ids
    # exactly one of the open ones is due on its due date
    c = type(due_today).get_by_id(due_today.id)
    cards = {a.code: a for a in alerts.compute(SYSTEM, on=c.due_date)}
    assert due_today.id in cards["due_today"].case_ids
