"""The same document as an editable .docx (offices finish letters in WPS or Word).

A4 with the GB/T 9704 margins (top 37 mm, left 28 mm, type area 156 × 225 mm), a
document grid of 22 lines × 28 characters, fonts named as Word/WPS know them (仿宋,
黑体, 楷体, 方正小标宋简体 or bold 宋体), the signature block four characters in from the
right with the office name centred over the date, and page numbers — 1 — (odd pages
right, even pages left). The seal is pressed after printing, so none is placed here.
"""
from __future__ import annotations

import io
import math

from gkdesk.documents import fonts, layout
from gkdesk.documents.markup import BREAK, Block

LINE_PITCH_TWIPS = 579             # 225 mm / 22 lines ≈ 28.95 pt
CHAR_PITCH_PT = layout.CELL        # 156 mm / 28 characters
BODY_SPACING_TWIPS = -5            # 16 pt − 0.25 pt = 15.75 pt a character: 28 fit in 156 mm


def _cells(text: str) -> float:
    """Width of ``text`` in character cells (ASCII counts half)."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def build(blocks: list[Block], *, title: str = "", author: str = "", sealed: bool = True,
          seal_mm: float = layout.DEFAULT_SEAL_MM) -> bytes:
    from docx import Document
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    fs = fonts.fontset()
    names = {role: fs.docx_name(role) for role in fonts.ROLES}
    title_bold = names["title"] in ("宋体", "SimSun")

    doc = Document()
    from gkdesk import creator

    doc.core_properties.comments = f"由 {creator()} 生成"
    props = doc.core_properties
    props.title = title
    props.author = author
    from gkdesk import __version__

    props.comments = f"gkdesk {__version__}"
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.left_margin = Mm(37), Mm(28)
    sec.right_margin, sec.bottom_margin = Mm(26), Mm(35)
    sec.header_distance = Mm(15)
    sec.footer_distance = Mm(23)       # page number 7 mm below the type area
    sectPr = sec._sectPr
    grid = sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectPr.append(grid)
    # A line grid (22 lines); 28 characters a line come from a slight negative character
    # spacing on 16 pt text, which Word, WPS and LibreOffice all honour the same way
    # (a character grid's charSpace is read differently by each).
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))

    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    normal.font.name = names["body"]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), names["body"])
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PITCH_TWIPS / 20)
    pf.space_before = pf.space_after = Pt(0)

    def set_font(run, role: str, size: float, bold: bool = False):
        name = names[role]
        run.font.name = name
        run.font.size = Pt(size)
        run.bold = bold or None
        rpr = run._element.get_or_add_rPr()
        rfonts = rpr.get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), name)
        if size == 16:
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), str(BODY_SPACING_TWIPS))
            rpr.append(spacing)

    def indent_chars(par, first: int = 0, right: float = 0.0):
        ppr = par._p.get_or_add_pPr()
        ind = ppr.find(qn("w:ind"))
        if ind is None:
            ind = OxmlElement("w:ind")
            ppr.append(ind)
        if first:
            ind.set(qn("w:firstLineChars"), str(first * 100))
            ind.set(qn("w:firstLine"), str(round(first * CHAR_PITCH_PT * 20)))
        if right:
            ind.set(qn("w:rightChars"), str(round(right * 100)))
            ind.set(qn("w:right"), str(round(right * CHAR_PITCH_PT * 20)))

    def para(text: str, role: str = "body", size: float = 16, align=None, first: int = 0,
             right: float = 0.0, bold: bool = False):
        for seg in text.split(BREAK):
            p = doc.add_paragraph()
            if align is not None:
                p.alignment = align
            if first or right:
                indent_chars(p, first, right)
            if seg:
                set_font(p.add_run(seg), role, size, bold)
        return p

    def add_grid(grid) -> None:
        """A whole table (tables.Grid) as a Word table: merged cells for the spans, the
        grid's size, single line spacing inside the cells, header rows repeated."""
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
        from docx.shared import Mm as _Mm

        from gkdesk.documents.tables import place

        if grid is None:
            return
        t = doc.add_table(rows=len(grid.rows), cols=grid.ncols)
        t.style = "Table Grid"
        t.autofit = False
        total = sum(grid.widths)
        widths = [156 * w / total for w in grid.widths]
        for col, w in zip(t.columns, widths):
            col.width = _Mm(w)
        for r in range(min(grid.header_rows, len(grid.rows))):
            trpr = t.rows[r]._tr.get_or_add_trPr()
            el = OxmlElement("w:tblHeader")
            el.set(qn("w:val"), "true")
            trpr.append(el)
        for row in t.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = _Mm(w)
        for p in place(grid):
            cell = t.cell(p.row, p.col)
            if p.cell.rowspan > 1 or p.cell.colspan > 1:
                cell = cell.merge(t.cell(p.row + p.cell.rowspan - 1, p.col + p.cell.colspan - 1))
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            for li, seg in enumerate(p.cell.text.split(BREAK)):
                par = cell.paragraphs[0] if li == 0 else cell.add_paragraph()
                par.alignment = (WD_ALIGN_PARAGRAPH.CENTER if p.cell.align == "center"
                                 else WD_ALIGN_PARAGRAPH.LEFT)
                pf_ = par.paragraph_format
                pf_.line_spacing_rule = WD_LINE_SPACING.SINGLE
                pf_.first_line_indent = Pt(0)
                snap = OxmlElement("w:snapToGrid")          # not on the 22-line page grid
                snap.set(qn("w:val"), "0")
                par._p.get_or_add_pPr().append(snap)
                if seg:
                    set_font(par.add_run(seg), "heading1" if p.cell.head else "body", grid.size)
        doc.add_paragraph()

    table = None
    cols: list[int] | None = None
    first_block = True
    for b in blocks:
        if b.kind != "row":
            table = None
        k = b.kind
        if k == "title":
            para(b.text, "title", 22, WD_ALIGN_PARAGRAPH.CENTER, bold=title_bold)
        elif k == "number":
            para(b.text, "body", 16, WD_ALIGN_PARAGRAPH.CENTER)
        elif k in ("to", "noindent"):
            para(b.text, "body", 16, WD_ALIGN_PARAGRAPH.JUSTIFY)
        elif k in ("p", "note"):
            para(b.text, "body", 16, WD_ALIGN_PARAGRAPH.JUSTIFY, first=2)
        elif k == "h1":
            para(b.text, "heading1", 16, WD_ALIGN_PARAGRAPH.JUSTIFY, first=2)
        elif k == "h2":
            para(b.text, "heading2", 16, WD_ALIGN_PARAGRAPH.JUSTIFY, first=2)
        elif k == "center":
            para(b.text, "body", 16, WD_ALIGN_PARAGRAPH.CENTER)
        elif k == "right":
            para(b.text, "body", 16, WD_ALIGN_PARAGRAPH.RIGHT)
        elif k == "blank":
            for _ in range(b.count):
                doc.add_paragraph()
        elif k == "pagebreak":
            if not first_block:
                doc.add_page_break()
        elif k == "cols":
            cols = list(b.widths)
        elif k == "row":
            n = len(b.cells)
            widths = cols if cols and len(cols) == n else (
                [7, 21] if n == 2 else [5, 9, 5, 9] if n == 4 else [28 // n] * n)
            if table is None or len(table.columns) != n:
                table = doc.add_table(rows=0, cols=n)
                table.style = "Table Grid"
                table.autofit = False
                for col, wc in zip(table.columns, widths):
                    col.width = Mm(wc * 156 / 28)
            row = table.add_row()
            row.height = Mm(b.count * 225 / 22)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            for cell, text, wc in zip(row.cells, b.cells, widths):
                cell.width = Mm(wc * 156 / 28)
                cell.paragraphs[0].text = ""
                lines = text.split(BREAK)
                for li, seg in enumerate(lines):
                    p = cell.paragraphs[0] if li == 0 else cell.add_paragraph()
                    if wc <= 7 and len(lines) == 1:
                        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    if seg:
                        set_font(p.add_run(seg), "body", 16)
        elif k == "table":
            add_grid(b.grid)
        elif k == "sign":
            office, date = b.cells
            gap = max(1, math.ceil((seal_mm / 2) / (225 / 22) - 1e-9)) if sealed else 1
            for _ in range(gap):
                doc.add_paragraph()
            right_date = 4.0 if sealed else 2.0
            right_name = max(0.0, right_date + (_cells(date) - _cells(office)) / 2)
            para(office, "body", 16, WD_ALIGN_PARAGRAPH.RIGHT, right=right_name)
            para(date, "body", 16, WD_ALIGN_PARAGRAPH.RIGHT, right=right_date)
        first_block = False

    # page numbers: — 1 —, 14 pt 宋体; odd pages right, even pages left
    doc.settings.odd_and_even_pages_header_footer = True

    def page_number(footer, align, outer: str):
        p = footer.paragraphs[0]
        p.alignment = align
        ppr = p._p.get_or_add_pPr()
        ind = OxmlElement("w:ind")
        ind.set(qn(outer), str(round(14 * 20)))
        ppr.append(ind)
        set_font(p.add_run("— "), "song", 14)
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        r.append(t)
        fld.append(r)
        p._p.append(fld)
        set_font(p.add_run(" —"), "song", 14)

    page_number(sec.footer, WD_ALIGN_PARAGRAPH.RIGHT, "w:right")
    page_number(sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "w:left")

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
