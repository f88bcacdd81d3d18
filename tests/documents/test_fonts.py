"""Fonts: rare name characters print and come back out (docs/pitfalls.md #5), a character no font
has is refused naming the field, no font at all gives the way to install one."""
import pytest

from gkdesk.documents import fonts, service
from gkdesk.errors import TemplateError

from tests.documents.helpers import flat, pdffonts, pdftotext, ready_case

RARE = "赟喆堃昇垚旻彧珺〇"


def test_rare_name_characters_print(db_path, tmp_path):
    case = ready_case("application_form", name="王赟喆", address=f"某某区{RARE}路8号")
    data = service.render_pdf(case, "application_form", {})
    text = flat(pdftotext(data, tmp_path))
    assert "王赟喆" in text
    assert f"某某区{RARE}路8号" in text
    assert all(r["emb"] == "yes" for r in pdffonts(data, tmp_path))


def _absent_char():
    fs = fonts.fontset()
    for cp in list(range(0x30000, 0x30100)) + list(range(0xE000, 0xE100)):
        ch = chr(cp)
        if not fs.covers(ch):
            return ch
    pytest.skip("every candidate character is in some installed font")


def test_character_no_font_has_is_refused_naming_the_field(db_path):
    ch = _absent_char()
    case = ready_case("receipt", name=f"张{ch}")
    with pytest.raises(TemplateError) as err:
        service.render_pdf(case, "receipt", {})
    assert "申请人姓名/名称" in str(err.value)
    assert f"U+{ord(ch):04X}" in str(err.value)
    assert err.value.field == "申请人姓名/名称"


def test_clerk_field_with_missing_character_names_the_field(db_path):
    ch = _absent_char()
    case = ready_case("not-request")
    with pytest.raises(TemplateError) as err:
        service.render_pdf(case, "not-request", {"reason": f"属于信访事项{ch}"})
    assert "理由" in str(err.value)


def test_no_usable_font_tells_how_to_install(db_path, tmp_path, monkeypatch):
    """Only a damaged installation (gkdesk's own font gone too) has no font at all."""
    empty = tmp_path / "nofonts"
    empty.mkdir()
    monkeypatch.setenv("GKDESK_FONT_DIRS", str(empty))
    monkeypatch.setenv("GKDESK_BUNDLED_FONT", "0")
    case = ready_case("receipt")
    with pytest.raises(fonts.FontMissing) as err:
        service.render_pdf(case, "receipt", {})
    msg = str(err.value)
    assert "重新安装 gkdesk" in msg and fonts.BUNDLED_FONT in msg
    assert "fonts-arphic-uming" in msg and "simfang.ttf" in msg
    # the .docx embeds no font: it is still made (Word/WPS use the office's fonts)
    data = service.render_docx(case, "receipt", {})
    assert data[:2] == b"PK"
    monkeypatch.delenv("GKDESK_FONT_DIRS")
    monkeypatch.delenv("GKDESK_BUNDLED_FONT")
    assert fonts.fontset().usable


def test_bundled_font_alone_prints_every_rare_character(db_path, tmp_path, monkeypatch):
    """No office or system font visible: gkdesk's own font prints the letter, embedded."""
    empty = tmp_path / "nofonts"
    empty.mkdir()
    monkeypatch.setenv("GKDESK_FONT_DIRS", str(empty))
    fs = fonts.fontset()
    assert [f.path.name for f in fs.all_fonts] == [fonts.BUNDLED_FONT]
    assert all(fs.roles[r] for r in fonts.ROLES)          # every role has it as its fallback
    case = ready_case("application_form", name="王赟喆", address=f"某某区{RARE}路8号")
    data = service.render_pdf(case, "application_form", {})
    text = flat(pdftotext(data, tmp_path))
    assert "王赟喆" in text and f"某某区{RARE}路8号" in text
    rows = pdffonts(data, tmp_path)
    assert rows and all(r["emb"] == "yes" for r in rows)
    assert all("LXGW" in r["name"] for r in rows), rows


def test_one_message_for_a_missing_character():
    msg = fonts.missing_message("申请人姓名/名称", "\U00030000")
    assert msg.startswith("“申请人姓名/名称”中的字") and "U+30000" in msg and "霞鹜文楷" in msg


def test_per_character_fallback_between_fonts(tmp_path, monkeypatch):
    """A body font without a character borrows it from another font, per character."""
    fs = fonts.fontset()
    body, _ = fs.primary("body")
    for ch in RARE + "中文，。":
        got = fs.font_for(ch, "body")
        assert got is not None and got[0].has(ch)
    # the chosen font for a character the body font lacks is another font that has it
    ranges = list(range(0x4E00, 0x9FA6)) + list(range(0x3400, 0x4DC0)) + list(range(0x20000, 0x2A6E0))
    lacking = next((chr(c) for c in ranges if not body.has(chr(c)) and fs.covers(chr(c))), None)
    if lacking is None:
        pytest.skip("the body font covers every CJK unified ideograph here")
    f, _ = fs.font_for(lacking, "body")
    assert f is not body and f.has(lacking)


def test_roles_are_described():
    fs = fonts.fontset()
    desc = fs.describe()
    assert set(desc) == {"仿宋", "小标宋", "黑体", "楷体", "宋体"}
    assert fs.docx_name("body")


def test_every_pdf_producer_gives_the_one_message_and_no_file(db_path, tmp_path, monkeypatch):
    """Issue 21: letters, the Annex PDF and the annual-report PDF looked for fonts, and
    reported their absence, in three ways. Now one lookup, one message — and no half file."""
    from gkdesk.forms import pdf as forms_pdf
    from gkdesk.reports import annual_xlsx

    case = ready_case("receipt")
    empty = tmp_path / "nofonts"
    empty.mkdir()
    monkeypatch.setenv("GKDESK_FONT_DIRS", str(empty))
    monkeypatch.setenv("GKDESK_BUNDLED_FONT", "0")
    messages = []
    for make in (lambda: service.render_pdf(case, "receipt", {}),
                 lambda: forms_pdf.build_pdf("某某县人民政府办公室", None, None, "", blank=True),
                 lambda: annual_xlsx.export_pdf(2026, tmp_path / "年报.pdf")):
        with pytest.raises(fonts.FontMissing) as err:
            make()
        messages.append(str(err.value))
    assert messages == [fonts.no_font_message()] * 3, messages
    assert not (tmp_path / "年报.pdf").exists()
