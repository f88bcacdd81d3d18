"""Post: the address block lands in a DL envelope's window; the postal list; tracking numbers."""
import datetime as dt

import pytest

from gkdesk import settings
from gkdesk.actors import SYSTEM
from gkdesk.cases import batch, post
from gkdesk.db.models import Case, CaseEvent
from gkdesk.documents import envelope
from gkdesk.errors import ValidationError

from tests.desk.helpers import replied_case
from tests.documents.helpers import MM, bbox_pages, flat, pdftotext


def test_address_block_lands_in_the_window_of_a_dl_envelope(db_path, tmp_path):
    c, _ = replied_case("not_held", name="张三")
    Case.update(address="福建省泉州市泉港区某某街道某某路88号某某小区3幢1201室", postcode="362801").where(
        Case.id == c.id).execute()
    out = tmp_path / "env.pdf"
    post.envelopes(batch.Selection(ids=(c.id,)), out, SYSTEM, size="DL")
    page = bbox_pages(out.read_bytes(), tmp_path)[0]
    assert abs(page["width"] - 220 * MM) < 1 and abs(page["height"] - 110 * MM) < 1
    left, top, right, bottom = envelope.SIZES["DL"].window
    address = "福建省泉州市泉港区某某街道某某路88号某某小区3幢1201室"
    block = [ln for ln in page["lines"] if ln.y0 > 25 * MM       # below the postcode boxes
             and ("张三" in ln.text or (flat(ln.text) and flat(ln.text) in address))]
    assert "".join(flat(ln.text) for ln in block if "张三" not in ln.text) == address
    assert any("张三" in ln.text for ln in block)
    tol = 2 * MM
    for ln in block:
        assert ln.x0 >= left * MM - tol and ln.x1 <= right * MM + tol, ln
        assert ln.y0 >= top * MM - tol and ln.y1 <= bottom * MM + tol, ln
    # the postcode digits sit in the six boxes (20 mm from the left, 10 mm from the top)
    digits = sorted((ln for ln in page["lines"] if ln.text.strip() in "362801" and len(ln.text.strip()) == 1
                     and ln.y1 < 25 * MM), key=lambda ln: ln.x0)
    text = flat(pdftotext(out.read_bytes(), tmp_path))
    assert "362801" in text.replace("贴邮票处", "") or len(digits) >= 5
    # the return address from 设置
    assert settings.get("office.address") in text


def test_c5_envelope_and_a_case_without_address(db_path, tmp_path):
    a, _ = replied_case("not_held", name="甲")
    b, _ = replied_case("not_held", name="乙")
    Case.update(address="").where(Case.id == b.id).execute()
    out = tmp_path / "c5.pdf"
    res = post.envelopes(batch.Selection(ids=(a.id, b.id)), out, SYSTEM, size="C5")
    assert [o.case_id for o in res.refused] == [b.id] and "地址" in res.refused[0].message
    page = bbox_pages(out.read_bytes(), tmp_path)
    assert len(page) == 1 and abs(page[0]["height"] - 162 * MM) < 1


def test_postal_list_and_tracking_numbers_from_a_pasted_list(db_path, tmp_path):
    a, _ = replied_case("not_held", name="甲某")
    b, _ = replied_case("not_held", name="乙某")
    day = dt.date(2026, 3, 21)
    out = tmp_path / "list.pdf"
    post.post_list(batch.Selection(ids=(a.id, b.id)), out, SYSTEM, posted_on=day)
    text = flat(pdftotext(out.read_bytes(), tmp_path))
    assert "邮件交寄清单" in text and "甲某" in text and "乙某" in text and "共2件" in text
    # a bad line refuses the whole paste, naming the line
    with pytest.raises(ValidationError) as e:
        post.record_tracking(f"{a.number} XA123456789CN\n{b.number} 12AB", SYSTEM)
    assert "第2行" in str(e.value)
    assert Case.get_by_id(a.id).tracking_number == ""
    post.record_tracking(f"{a.number}\tXA123456789CN\n\n{b.number}, 1234567890123\n", SYSTEM)
    assert Case.get_by_id(a.id).tracking_number == "XA123456789CN"
    assert Case.get_by_id(b.id).tracking_number == "1234567890123"
    assert CaseEvent.select().where(CaseEvent.action == "post.tracking").count() == 2
    rows = post.post_rows(day)
    assert [r.tracking_number for r in rows] == ["XA123456789CN", "1234567890123"]
    post.post_list(batch.Selection(ids=(a.id,)), out, SYSTEM, posted_on=day)
    text = flat(pdftotext(out.read_bytes(), tmp_path))
    assert "XA123456789CN" in text and "1234567890123" in text and "共2件" in text
