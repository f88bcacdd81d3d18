"""One set of xlsx styles (gkdesk/xlsxstyle.py): the ledger, the reviews and the Annex forms
written with it reopen with its fonts, alignments and date format; XlsxWriter gets the same."""
from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from gkdesk import xlsxstyle as xs


def test_a_style_is_the_same_for_both_writers():
    assert xs.xlsxwriter_format(xs.HEADER) == {"bold": True, "align": "center", "valign": "vcenter"}
    assert xs.xlsxwriter_format(xs.DATE) == {"num_format": "yyyy-mm-dd"}
    got = xs.openpyxl_style(xs.VERTICAL.but(border=True))
    assert got["alignment"].text_rotation == 255 and got["alignment"].wrap_text
    assert got["border"].left.style == "thin" and got["border"] is xs.box()     # one copy


def test_ledger_and_reviews_written_with_the_shared_styles(db_path, tmp_path):
    from gkdesk.reports import ledger, reviews

    from .conftest import make_case

    make_case(dt.date(2025, 3, 4), outcome="secret", reply=dt.date(2025, 3, 20),
              reason="涉及国家秘密")
    ledger.export_ledger(tmp_path / "l.xlsx")
    ws = load_workbook(tmp_path / "l.xlsx")["台账"]
    assert ws["A1"].font.b and ws["A1"].alignment.horizontal == "center"
    assert ws["K2"].value == dt.datetime(2025, 3, 4) and ws["K2"].number_format == xs.DATE_FORMAT
    out = reviews.export_withheld(reviews.withheld(2025), tmp_path / "w.xlsx", 2025)
    ws = load_workbook(out).active
    assert ws["A1"].font.b and ws["A1"].font.sz == 14
    assert ws["A2"].font.b and ws["B3"].number_format == xs.DATE_FORMAT and ws["E3"].alignment.wrap_text


def test_a_stamp_styles_every_cell_it_is_put_on_and_reopens_so(tmp_path):
    """``Stamp`` copies the first cell's style indices to the others (issue 20): each cell
    reopens with the whole style, two stamps in one sheet do not bleed into each other, and a
    cell restyled afterwards changes alone."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    head = xs.Stamp(font=Font(name=xs.HEITI, size=11, bold=True), border=xs.box(),
                    alignment=Alignment(horizontal="center"))
    body = xs.Stamp(font=Font(name=xs.FANGSONG, size=10.5), number_format=xs.TEXT_FORMAT)
    for c in range(1, 4):
        head(ws.cell(1, c, f"列{c}"))
        for r in range(2, 50):
            body(ws.cell(r, c, f"{r}-{c}"))
    ws.cell(3, 2).font = Font(name=xs.SONG, size=16)
    wb.save(tmp_path / "s.xlsx")
    ws = load_workbook(tmp_path / "s.xlsx").active
    for c in range(1, 4):
        h = ws.cell(1, c)
        assert (h.font.name, h.font.b, h.alignment.horizontal, h.border.left.style) == (xs.HEITI, True, "center",
                                                                                        "thin")
        for r in range(2, 50):
            cell = ws.cell(r, c)
            want = (xs.SONG, 16) if (r, c) == (3, 2) else (xs.FANGSONG, 10.5)
            assert (cell.font.name, cell.font.sz) == want, (r, c)
            assert cell.number_format == xs.TEXT_FORMAT and not cell.font.b and cell.border.left.style is None
