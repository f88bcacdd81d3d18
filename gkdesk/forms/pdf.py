"""Annex 1 and Annex 2 of a unit as a PDF in the issued layout, for printing and stamping.

Fonts come from ``gkdesk.documents.fonts`` (the same per-role search and per-character
fallback as the letters: 仿宋 body, 黑体 labels, title in 黑体); lines are broken by
``gkdesk.documents.linebreak`` (禁则: no line starts with ，。、 etc.) and handed to
reportlab ready-broken, so reportlab's own CJK wrapping (docs/pitfalls.md #6) is never used. A
character no installed font has is refused with the field it is in (docs/pitfalls.md #5).
Text stays extractable (embedded TrueType subsets with a ToUnicode map).
"""
from __future__ import annotations

import io
from pathlib import Path

from gkdesk import creator as gkdesk_creator
from gkdesk.documents import flowtext
from gkdesk.domain import terms
from gkdesk.fileio import atomic_write
from gkdesk.forms import records
from gkdesk.forms.records import FUNCTION_FIELDS, FUNCTION_MULTILINE, FunctionsData, StaffData, StaffRow

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 20 * MM, 22 * MM, 20 * MM
FRAME_W = PAGE_W - 2 * MARGIN_X
TEXT_W = FRAME_W - 12                  # platypus frames pad 6 pt on each side
ANNEX1_COLS = (24, 26, 46, 40, 34)     # mm: label, 姓名, 职务, 联系方式, 备注 (= 170)
ANNEX2_COLS = (30, 140)
CELL_PAD = 1.6 * MM
BODY_PT = 12
LABEL_PT = 12.5
MAX_LINES_PER_ROW = 32                 # a longer paragraph continues in the next row
SPAN_MAX_ROWS = 22                     # merge the group labels when the table fits a page


class _Writer(flowtext.Writer):
    """The document pipeline's text writer with this layout's frame width and body size."""

    def __init__(self):
        super().__init__(width=TEXT_W, size=BODY_PT)


def _inner(cols_mm, col: int) -> float:
    return cols_mm[col] * MM * TEXT_W / sum(c * MM for c in cols_mm) - 2 * CELL_PAD


def _heading(w: _Writer, annex_no: int, title: str, unit_name: str) -> list:
    from reportlab.platypus import Spacer

    return [
        w.para(f"附件 {annex_no}", "heading1", 15, field="附件"),
        Spacer(1, 4 * MM),
        w.para(title, "heading1", 18, align="center", leading=26, field="标题"),
        Spacer(1, 5 * MM),
        w.para(f"{records.STAMP_LABEL}{unit_name}", "body", 14, field="单位名称"),
        Spacer(1, 2.5 * MM),
    ]


def _base_style(w: "_Writer") -> list:
    return [
        ("FONTNAME", (0, 0), (-1, -1), w.fs.primary("body")[0].key),
        ("LINEBEFORE", (0, 0), (0, -1), 0.9, "black"),
        ("LINEAFTER", (-1, 0), (-1, -1), 0.9, "black"),
        ("LINEABOVE", (0, 0), (-1, 0), 0.9, "black"),
        ("LINEBELOW", (0, -1), (-1, -1), 0.9, "black"),
        # a table continued on the next page is closed at the break and reopened after it
        ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), 0.9, "black"),
        ("LINEABOVE", (0, "splitfirst"), (-1, "splitfirst"), 0.9, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 1.4 * MM),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8 * MM),
    ]


def annex1_story(w: _Writer, unit_name: str, staff: StaffData | None, note: str, *, blank: bool = False) -> list:
    from reportlab.platypus import Spacer, Table, TableStyle

    cols = ANNEX1_COLS
    data = [[w.para("", "heading1", LABEL_PT)] + [
        w.para(label, "heading1", LABEL_PT, _inner(cols, i + 1), "center", field="表头")
        for i, (_, label) in enumerate(records.STAFF_FIELDS)]]
    groups: list[tuple[str, int, int]] = []
    for group in records.GROUP_ORDER:
        rows: list[StaffRow] = [] if (blank or staff is None) else list(staff.group(group))
        if not rows:
            rows = [StaffRow()] * (3 if blank or staff is None else 1)
        first = len(data)
        for r in rows:
            cells = [None]
            for i, (key, label) in enumerate(records.STAFF_FIELDS):
                align = "center" if key in ("name", "contact") else "left"
                cells.append(w.para(getattr(r, key), "body", BODY_PT, _inner(cols, i + 1), align,
                                    field=f"{terms.STAFF_GROUPS[group].label}的{label}"))
            data.append(cells)
        groups.append((group, first, len(data) - 1))
    span = len(data) <= SPAN_MAX_ROWS
    # with spans reportlab leaves out the lines inside a merged label; without (a table
    # longer than a page), the label column gets only the lines between groups
    grid = [("INNERGRID", (0, 0), (-1, -1), 0.6, "black")] if span else [
        ("INNERGRID", (1, 0), (-1, -1), 0.6, "black"), ("LINEAFTER", (0, 0), (0, -1), 0.6, "black")]
    style = _base_style(w) + grid + [("LINEBELOW", (0, 0), (0, 0), 0.6, "black"),
                                         ("TOPPADDING", (0, 1), (-1, -1), 2.4 * MM),
                                         ("BOTTOMPADDING", (0, 1), (-1, -1), 2.8 * MM)]
    for group, first, last in groups:
        label = w.para(terms.STAFF_GROUPS[group].label, "heading1", LABEL_PT, _inner(cols, 0), "center")
        style.append(("LINEABOVE", (0, first), (0, first), 0.6, "black"))
        data[first][0] = label
        if span and last > first:
            style.append(("SPAN", (0, first), (0, last)))
    for row in data:
        for i, c in enumerate(row):
            if c is None:
                row[i] = ""
    scale = TEXT_W / sum(c * MM for c in cols)
    table = Table(data, colWidths=[c * MM * scale for c in cols], repeatRows=1)
    table.setStyle(TableStyle(style))
    return _heading(w, 1, records.ANNEX1_TITLE, unit_name) + [table, Spacer(1, 3 * MM),
                                                             w.para(note, "body", 12, field="注")]


def annex2_story(w: _Writer, unit_name: str, data: FunctionsData | None, note: str, *, blank: bool = False) -> list:
    from reportlab.platypus import Spacer, Table, TableStyle

    cols = ANNEX2_COLS
    data = FunctionsData() if (blank or data is None) else data
    rows: list[list] = []
    style = _base_style(w) + [("LINEAFTER", (0, 0), (0, -1), 0.6, "black")]
    vw = _inner(cols, 1)
    for key, label in FUNCTION_FIELDS:
        value = getattr(data, key) or ""
        first = len(rows)
        if key in FUNCTION_MULTILINE:
            chunks: list[list[str]] = []
            for para in value.split("\n") if value else [""]:
                lines = w.lines(para, "body", BODY_PT, vw) if para else [""]
                for i in range(0, len(lines), MAX_LINES_PER_ROW):
                    chunks.append(lines[i:i + MAX_LINES_PER_ROW])
            if not value:
                chunks = [[""] * (8 if key == "functions" else 5)]
            for ch in chunks:
                text = "\n".join(ch)
                rows.append(["", w.para(text, "body", BODY_PT, vw, lines=ch, field=label)])
        else:
            rows.append(["", w.para(value, "body", BODY_PT, vw, field=label)])
        last = len(rows) - 1
        rows[first][0] = w.para(label, "heading1", LABEL_PT, _inner(cols, 0), "center")
        style.append(("LINEABOVE", (0, first), (-1, first), 0.6, "black"))
        if key in FUNCTION_MULTILINE:
            style.append(("VALIGN", (0, first), (0, first), "TOP"))
            style.append(("VALIGN", (1, first), (1, last), "TOP"))
        if last > first and last - first < 6:
            style.append(("SPAN", (0, first), (0, last)))
            style.append(("VALIGN", (0, first), (0, first), "MIDDLE"))
    scale = TEXT_W / sum(c * MM for c in cols)
    table = Table(rows, colWidths=[c * MM * scale for c in cols], splitByRow=1)
    table.setStyle(TableStyle(style))
    return _heading(w, 2, records.ANNEX2_TITLE, unit_name) + [table, Spacer(1, 3 * MM),
                                                             w.para(note, "body", 12, field="注")]


def build_pdf(unit_name: str, staff: StaffData | None, functions: FunctionsData | None, note: str,
              *, blank: bool = False, title: str = "") -> bytes:
    from reportlab.platypus import PageBreak, SimpleDocTemplate

    w = _Writer()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=(PAGE_W, PAGE_H), leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                            title=title or f"{unit_name} 工作人员情况表、工作职能清单",
                            author="gkdesk", creator=gkdesk_creator(), subject="附件1、附件2",
                            initialFontName=w.fs.primary("body")[0].key, initialFontSize=BODY_PT)
    story = annex1_story(w, unit_name, staff, note, blank=blank)
    story.append(PageBreak())
    story += annex2_story(w, unit_name, functions, note, blank=blank)
    doc.build(story)
    return buf.getvalue()


def render_unit(unit, out, rnd=None, *, blank: bool = False) -> Path:
    """Write ``unit``'s Annex 1 and Annex 2 (two pages or more) to ``out`` atomically."""
    from gkdesk.forms import rounds, units

    unit = units.get_unit(unit)
    if rnd is None:
        rnd = rounds.open_round()
    out = Path(out)
    if out.is_dir():
        from gkdesk.forms.xlsx_export import safe_filename

        out = out / f"{safe_filename(unit.name)}.pdf"
    data = build_pdf(unit.name, None if blank else units.get_staff(unit),
                     None if blank else units.get_functions(unit), rounds.note_text(rnd), blank=blank)
    atomic_write(out, data)
    return out


def render_all(folder, rnd=None, *, blank: bool = False, progress=None, cancelled=None) -> list[Path]:
    from gkdesk.db.models import Unit
    from gkdesk.forms.xlsx_export import safe_filename

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    unit_list = list(Unit.select().where(Unit.active == True).order_by(Unit.name))  # noqa: E712
    out = []
    for i, u in enumerate(unit_list):
        if cancelled and cancelled():
            break
        out.append(render_unit(u, folder / f"{safe_filename(u.name)}.pdf", rnd, blank=blank))
        if progress:
            progress(i + 1, len(unit_list))
    return out
