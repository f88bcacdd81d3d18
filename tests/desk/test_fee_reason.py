"""The fee notice takes its reason from the library (or as typed) and its letter says it."""
import datetime as dt

from gkdesk.actors import SYSTEM
from gkdesk.api import reasons as api_reasons
from gkdesk.cases import workflow as wf
from gkdesk.documents import service
from tests.cases.helpers import new_case
from tests.documents.helpers import CLERK, flat, pdftotext

D = dt.date


def _handling():
    c = new_case(received=D(2026, 9, 24))
    return wf.perform(c.id, "accept", SYSTEM, today=D(2026, 10, 9), section="综合股", handler="王丽")


def test_the_library_offers_fee_texts_to_the_fee_notice_and_the_letter_uses_the_chosen_one(db_path, tmp_path):
    entries = api_reasons.for_action("fee_notice")
    assert entries and all(e.category == "fee" for e in entries)
    chosen = entries[0].text
    c = wf.perform(_handling().id, "fee_notice", SYSTEM, today=D(2026, 10, 9), method="per_volume",
                   quantity=2219, notice_date=D(2026, 10, 9), reason=chosen)
    assert c.fees[0].reason == chosen
    text = flat(pdftotext(service.render_pdf(c, "fee", CLERK), tmp_path))
    assert flat(chosen) + "根据" in text, text[:300]
    assert text.count("明显超过合理范围") == 1, "the chosen text replaces the default clause, once"


def test_a_typed_reason_is_kept_and_no_reason_keeps_the_default_clause(db_path, tmp_path):
    typed = "因您在一个月内就同一事项提出申请二十余件，"
    c = wf.perform(_handling().id, "fee_notice", SYSTEM, today=D(2026, 10, 9), method="per_volume",
                   quantity=120, notice_date=D(2026, 10, 9), reason=typed)
    text = flat(pdftotext(service.render_pdf(c, "fee", CLERK), tmp_path))
    assert flat(typed) + "根据" in text and "明显超过合理范围" not in text
    d = wf.perform(_handling().id, "fee_notice", SYSTEM, today=D(2026, 10, 9), method="per_volume",
                   quantity=120, notice_date=D(2026, 10, 9))
    assert d.fees[0].reason == ""
    text = flat(pdftotext(service.render_pdf(d, "fee", CLERK), tmp_path))
    assert "申请公开政府信息的数量、频次明显超过合理范围，根据" in text
