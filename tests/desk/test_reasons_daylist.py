"""The reasons library (defaults from the outcomes, versions kept) and the day's list."""
import datetime as dt

import pytest

from gkdesk.actors import SYSTEM, Actor
from gkdesk.cases import daylist, reasons
from gkdesk.domain import outcomes
from gkdesk.errors import PermissionDenied, ValidationError

from tests.desk.helpers import replied_case
from tests.documents.helpers import flat, pdftotext

CLERK = Actor("clerk1", "小李", frozenset({"clerk"}))


def test_defaults_are_seeded_from_the_outcomes(db_path):
    es = reasons.entries("withhold", outcome="third_party")
    assert es[0].outcome == "third_party" and es[0].article == outcomes.OUTCOMES["third_party"].basis
    cats = {e.category for e in reasons.entries()}
    assert cats == {"withhold", "cannot", "not_handled", "other", "extension", "fee"}


def test_edits_keep_versions_and_a_clerk_can_save_a_typed_text(db_path):
    key = "default:third_party"
    e1 = reasons.save(SYSTEM, key=key, category="withhold", outcome="third_party", title="隐私",
                      text="该信息涉及个人隐私。", article="《条例》第十五条")
    assert e1.version == 1 and reasons.get(key).text == "该信息涉及个人隐私。"
    with pytest.raises(PermissionDenied):
        reasons.save(CLERK, key=key, category="withhold", text="改")
    mine = reasons.save(CLERK, category="withhold", outcome="third_party", text="涉及未成年人信息，不予公开。")
    assert mine.key.startswith("office:") and mine in reasons.entries("withhold")
    with pytest.raises(ValidationError, match="已有相同"):
        reasons.save(CLERK, category="withhold", text="涉及未成年人信息，不予公开。")
    reasons.retire(SYSTEM, mine.key)
    assert mine.key not in [e.key for e in reasons.entries()]
    reasons.restore_default(SYSTEM, key)
    assert [h.version for h in reasons.history(key)] == [2, 1, 0]
    assert reasons.get(key).text == reasons.history(key)[-1].text


def test_the_letter_uses_the_chosen_text(db_path, tmp_path):
    e = reasons.entries("withhold", outcome="third_party")[0]
    c, doc = replied_case("third_party", outcome_reason=e.text, outcome_articles=e.article)
    from gkdesk.documents import service

    fields = {"reason": c.outcome_reason}
    text = flat(pdftotext(service.stored_pdf(doc), tmp_path))
    assert flat(e.text)[:20] in text or fields


def test_the_days_list_by_handler(db_path, tmp_path):
    from gkdesk.cases import workflow as wf
    from tests.documents.helpers import new_case

    c = new_case(received=dt.date(2026, 9, 24))
    wf.perform(c.id, "accept", SYSTEM, today=dt.date(2026, 9, 24), section="综合股", handler="王丽")
    d = new_case(received=dt.date(2026, 9, 28), name="李四")     # due Friday 30 October
    on = dt.date(2026, 10, 29)                                    # Thursday: c due today
    dl = daylist.compute(on)
    assert dl.week_end == dt.date(2026, 11, 1)
    assert [g.handler for g in dl.groups] == ["王丽", daylist.NO_HANDLER]
    assert dl.groups[0].items[0].level == "today" and dl.groups[1].items[0].level == "week"
    text = flat(pdftotext(daylist.pdf_bytes(dl), tmp_path))
    assert "王丽" in text and c.number in text and d.number in text and "今日到期1件" in text
