"""gkdesk's speed-ups for reportlab's font subsetting (gkdesk.documents.rlpatch): on with
the reportlab gkdesk is built with, the PDF unchanged by them (embedded subsets, text that
pdftotext reads, the same bytes as without), and reportlab left alone when it no longer
has what they replace."""
import re

import pytest
from reportlab.pdfbase import ttfonts

from gkdesk.documents import fonts, rlpatch, service

from tests.documents.helpers import CLERK, flat, pdffonts, pdftotext, ready_case


def _faces():
    return [f.face for f in fonts.fontset().all_fonts]


def _without_dates(data: bytes) -> bytes:
    data = re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)", b"", data)
    return re.sub(rb"/ID\s*\[<[0-9a-f]+><[0-9a-f]+>\]", b"", data)


@pytest.fixture
def reinstall():
    """Put gkdesk's speed-ups back as the rest of the tests expect them."""
    yield
    rlpatch.uninstall()
    rlpatch.install(_faces())


def test_speedups_are_on_and_letters_stay_valid_pdfs(db_path, tmp_path):
    faces = _faces()
    assert faces
    assert rlpatch.state == {"glyf_no_copy": True, "subset_memo": True}, (
        "reportlab changed: gkdesk's subsetting speed-ups fell back (PDFs are right, only slower)")
    case = ready_case("reply.disclose")
    first = service.render_pdf(case, "reply", CLERK)
    again = service.render_pdf(case, "reply", CLERK)       # the title font's subset from the memo
    for data in (first, again):
        rows = pdffonts(data, tmp_path)
        assert len(rows) >= 2                               # body and title fonts
        assert all(r["emb"] == "yes" and r["sub"] == "yes" and r["uni"] == "yes" for r in rows), rows
        text = flat(pdftotext(data, tmp_path))
        assert "政府信息公开申请答复书" in text and case.number in text and "草稿" in text
    assert _without_dates(first) == _without_dates(again)


def test_same_pdf_with_and_without_the_speedups(db_path, reinstall):
    case = ready_case("reply.disclose", content="关于某某路拓宽工程（QG-2025-017）的征收补偿方案")
    with_them = service.render_pdf(case, "reply", CLERK)
    rlpatch.uninstall()
    assert ttfonts.TTFontFile.get_table.__module__ == "reportlab.pdfbase.ttfonts"
    without = service.render_pdf(case, "reply", CLERK)
    assert _without_dates(with_them) == _without_dates(without)


def test_reportlab_left_alone_when_it_changed(db_path, tmp_path, reinstall):
    rlpatch.uninstall()
    make = ttfonts.TTFontFile.makeSubset
    try:
        # a reportlab whose subsetting needs the glyph table as bytes: no glyf speed-up
        def wants_bytes(self, subset):
            if not isinstance(self.get_table("glyf"), bytes):
                raise TypeError("glyf is not bytes")
            return make(self, subset)

        ttfonts.TTFontFile.makeSubset = wants_bytes
        assert rlpatch.install(_faces()) == {"glyf_no_copy": False, "subset_memo": True}
        assert ttfonts.TTFontFile.get_table.__module__ == "reportlab.pdfbase.ttfonts"
        rlpatch.uninstall()
        assert ttfonts.TTFontFile.makeSubset is wants_bytes

        # a reportlab whose subsets the patched code does not reproduce: nothing installed
        calls = []

        def changing(self, subset):
            calls.append(1)
            return make(self, subset) + bytes([len(calls) % 251])

        ttfonts.TTFontFile.makeSubset = changing
        assert rlpatch.install(_faces()) == {"glyf_no_copy": False, "subset_memo": False}
        assert ttfonts.TTFontFile.makeSubset is changing
        assert ttfonts.TTFontFile.get_table.__module__ == "reportlab.pdfbase.ttfonts"
    finally:
        ttfonts.TTFontFile.makeSubset = make
    rlpatch.uninstall()
    case = ready_case("reply.disclose")
    data = service.render_pdf(case, "reply", CLERK)         # plain reportlab
    assert all(r["emb"] == "yes" and r["sub"] == "yes" for r in pdffonts(data, tmp_path))
    assert "政府信息公开申请答复书" in flat(pdftotext(data, tmp_path))
