"""The annual-report tables as files: xlsx in the official layout, and PDF.

One sheet per table (二、三、四), merged header cells as the national format prints them
(国办公开办函〔2021〕30号), thin borders, 宋体, fitted to one page wide with a print area.
Export refuses when ``annual.check`` finds problems (``ReportCheckError`` lists them).
Files are written atomically.
"""
from __future__ import annotations

import os
from pathlib import Path

from gkdesk import creator as gkdesk_creator
from gkdesk import xlsxstyle
from gkdesk.errors import ValidationError
from gkdesk.fileio import atomic_path
from gkdesk.reports import annual

FONT_NAME = xlsxstyle.SONG


class ReportCheckError(ValidationError):
    """The year's figures do not add up; ``problems`` names every case at fault."""

    def __init__(self, year: int, problems: list):
        msgs = [str(p) for p in problems]
        super().__init__(f"{year}年度报告未通过核对，未导出（共{len(msgs)}个问题）：{msgs[0]}", "年度报告", msgs)
        self.year = year
        self.report_problems = list(problems)
        self.case_ids = sorted({p.case_id for p in problems if getattr(p, "case_id", None)})


def _office_name() -> str:
    from gkdesk import settings

    try:
        return settings.get("office.name")
    except Exception:  # pragma: no cover - settings table always there once migrated
        return ""


def gather(year: int, *, checked: bool = True) -> dict:
    """Everything the files print: tables 二/三/四 for ``year``; raises ReportCheckError
    (nothing written) when ``checked`` and the check finds problems."""
    t3 = annual.table3(year)
    if checked:
        problems = annual.check(year, t3)
        if problems:
            raise ReportCheckError(year, problems)
    from gkdesk.reports import table2_register

    return {"year": year, "office": _office_name(), "table2": table2_register.effective(year), "table3": t3,
            "table4": annual.table4(year)}


# ------------------------------------------------------------------ xlsx

def _styles():
    from gkdesk import xlsxstyle as xs

    align = lambda s: xs.openpyxl_style(s)["alignment"]
    return {
        "border": xs.box(),
        "title": xs.font(FONT_NAME, 14, True),
        "head": xs.font(FONT_NAME, 10, True),
        "cell": xs.font(FONT_NAME, 10),
        "note": xs.font(FONT_NAME, 9),
        "center": align(xs.CENTER),
        "left": align(xs.LEFT),
        "vertical": align(xs.VERTICAL),
        "note_align": align(xs.TOP_LEFT),
    }


def _box(ws, cell_range: str, value=None, *, font=None, align=None, border=True, st=None):
    """Write ``value`` into the top-left cell of ``cell_range``, merge it, style every cell."""
    first = cell_range.split(":")[0]
    ws[first] = value
    if ":" in cell_range and cell_range.split(":")[0] != cell_range.split(":")[1]:
        ws.merge_cells(cell_range)
    for row in ws[cell_range] if ":" in cell_range else ((ws[cell_range],),):
        for c in row:
            if border:
                c.border = st["border"]
            if font is not None:
                c.font = font
            if align is not None:
                c.alignment = align


def _page(ws, last_cell: str, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_area = f"A1:{last_cell}"


def _heading(ws, last_col: str, title: str, year: int, office: str, st) -> None:
    _box(ws, f"A1:{last_col}1", title, font=st["title"], align=st["center"], border=False, st=st)
    ws.row_dimensions[1].height = 28
    _box(ws, f"A2:{last_col}2", f"填报单位：{office}　　统计期间：{year}年1月1日至{year}年12月31日",
         font=st["note"], align=st["left"], border=False, st=st)
    ws.row_dimensions[2].height = 18


def _sheet3(wb, data: dict, st) -> None:
    from openpyxl.utils import get_column_letter as L

    ws = wb.create_sheet("三、收到和处理申请情况")
    t3 = data["table3"]
    ncols = 3 + len(annual.TABLE3_COLUMNS)            # A B C + 7 numbers = J
    last = L(ncols)
    _heading(ws, last, annual.TABLE3_TITLE, data["year"], data["office"], st)
    # header rows 3–5
    _box(ws, "A3:C5", annual.HEADER_NOTE, font=st["cell"], align=st["center"], st=st)
    _box(ws, f"D3:{last}3", annual.HEADER_APPLICANTS, font=st["head"], align=st["center"], st=st)
    _box(ws, "D4:D5", annual.NATURAL_COLUMN, font=st["head"], align=st["center"], st=st)
    org_first, org_last = L(5), L(4 + len(annual.ORG_COLUMNS))
    _box(ws, f"{org_first}4:{org_last}4", annual.HEADER_ORGANISATIONS, font=st["head"], align=st["center"], st=st)
    for i, label in enumerate(annual.ORG_COLUMNS):
        _box(ws, f"{L(5 + i)}5", label, font=st["head"], align=st["center"], st=st)
    _box(ws, f"{last}4:{last}5", annual.TOTAL_COLUMN, font=st["head"], align=st["center"], st=st)
    for r in (3, 4, 5):
        ws.row_dimensions[r].height = 30
    # rows of numbers
    layout = annual.table3_layout()
    first_row = 6
    r = first_row
    spans: dict[tuple[str, str], list[int]] = {}
    for lr in layout:
        if lr.section != annual.RESULTS_HEADING:
            _box(ws, f"A{r}:C{r}", lr.label, font=st["cell"], align=st["left"], st=st)
        elif lr.group is None:
            _box(ws, f"B{r}:C{r}", lr.label, font=st["cell"], align=st["left"], st=st)
            spans.setdefault(("A", lr.section), []).append(r)
        else:
            _box(ws, f"C{r}", lr.label, font=st["cell"], align=st["left"], st=st)
            spans.setdefault(("A", lr.section), []).append(r)
            spans.setdefault(("B", lr.group), []).append(r)
        for i, col in enumerate(annual.TABLE3_COLUMNS):
            _box(ws, f"{L(4 + i)}{r}", t3[lr.key][col], font=st["cell"], align=st["center"], st=st)
        ws.row_dimensions[r].height = 30 if len(lr.label) > 24 else 18
        r += 1
    for (col, label), rows in spans.items():
        align = st["vertical"] if col == "A" else st["center"]
        _box(ws, f"{col}{min(rows)}:{col}{max(rows)}", label, font=st["cell"], align=align, st=st)
    note_row = r + 1
    _box(ws, f"A{note_row}:{last}{note_row}", "\n".join(annual.COUNTING_NOTES[:1]),
         font=st["note"], align=st["note_align"], border=False, st=st)
    ws.row_dimensions[note_row].height = 52
    widths = {"A": 5, "B": 11, "C": 40}
    for c, w in widths.items():
        ws.column_dimensions[c].width = w
    for i in range(len(annual.TABLE3_COLUMNS)):
        ws.column_dimensions[L(4 + i)].width = 9
    ws.column_dimensions[L(5 + 2)].width = 11           # 社会公益组织
    ws.column_dimensions[L(5 + 3)].width = 11           # 法律服务机构
    ws.freeze_panes = f"D{first_row}"
    _page(ws, f"{last}{note_row}", landscape=False)
    ws.sheet_view.zoomScale = 100


def _sheet4(wb, data: dict, st) -> None:
    from openpyxl.utils import get_column_letter as L

    ws = wb.create_sheet("四、行政复议行政诉讼情况")
    t4 = data["table4"]
    n = len(annual.TABLE4_COLUMNS)                      # 5
    last = L(3 * n)                                     # O
    _heading(ws, last, annual.TABLE4_TITLE, data["year"], data["office"], st)
    _box(ws, f"A3:{L(n)}3", annual.RECONSIDERATION, font=st["head"], align=st["center"], st=st)
    _box(ws, f"{L(n + 1)}3:{last}3", annual.LITIGATION, font=st["head"], align=st["center"], st=st)
    for i, col in enumerate(annual.TABLE4_COLUMNS):
        _box(ws, f"{L(1 + i)}4:{L(1 + i)}5", col, font=st["head"], align=st["center"], st=st)
    for g, key in enumerate(annual.TABLE4_KEYS[1:]):
        start = n * (g + 1) + 1
        sub = key.split("/", 1)[1]
        _box(ws, f"{L(start)}4:{L(start + n - 1)}4", sub, font=st["head"], align=st["center"], st=st)
        for i, col in enumerate(annual.TABLE4_COLUMNS):
            _box(ws, f"{L(start + i)}5", col, font=st["head"], align=st["center"], st=st)
    for g, key in enumerate(annual.TABLE4_KEYS):
        for i, col in enumerate(annual.TABLE4_COLUMNS):
            _box(ws, f"{L(g * n + 1 + i)}6", t4[key][col], font=st["cell"], align=st["center"], st=st)
    for r in (3, 4, 5):
        ws.row_dimensions[r].height = 24
    ws.row_dimensions[6].height = 24
    _box(ws, f"A8:{last}8", annual.COUNTING_NOTES[1], font=st["note"], align=st["note_align"], border=False, st=st)
    ws.row_dimensions[8].height = 30
    for i in range(3 * n):
        ws.column_dimensions[L(i + 1)].width = 9
    _page(ws, f"{last}8", landscape=True)


def _sheet2(wb, data: dict, st) -> None:
    ws = wb.create_sheet("二、主动公开政府信息情况")
    t2 = data["table2"]
    width = 1 + max(len(s.columns) for s in annual.TABLE2)   # 4: A + three numbers
    from openpyxl.utils import get_column_letter as L

    last = L(width)
    _heading(ws, last, annual.TABLE2_TITLE, data["year"], data["office"], st)
    r = 3
    for sec in annual.TABLE2:
        _box(ws, f"A{r}:{last}{r}", sec.heading, font=st["head"], align=st["center"], st=st)
        r += 1
        _box(ws, f"A{r}", annual.TABLE2_CONTENT_HEADER, font=st["head"], align=st["center"], st=st)
        if len(sec.columns) == 1:
            _box(ws, f"B{r}:{last}{r}", sec.columns[0], font=st["head"], align=st["center"], st=st)
        else:
            for i, col in enumerate(sec.columns):
                _box(ws, f"{L(2 + i)}{r}", col, font=st["head"], align=st["center"], st=st)
        ws.row_dimensions[r].height = 22
        r += 1
        for row in sec.rows:
            _box(ws, f"A{r}", row, font=st["cell"], align=st["center"], st=st)
            if len(sec.columns) == 1:
                _box(ws, f"B{r}:{last}{r}", t2[row][sec.columns[0]], font=st["cell"], align=st["center"], st=st)
            else:
                for i, col in enumerate(sec.columns):
                    _box(ws, f"{L(2 + i)}{r}", t2[row][col], font=st["cell"], align=st["center"], st=st)
            ws.row_dimensions[r].height = 20
            r += 1
    ws.column_dimensions["A"].width = 22
    for i in range(1, width):
        ws.column_dimensions[L(1 + i)].width = 18
    _page(ws, f"{last}{r - 1}", landscape=False)


def build_workbook(data: dict):
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.creator = gkdesk_creator()
    wb.remove(wb.active)
    st = _styles()
    _sheet2(wb, data, st)
    _sheet3(wb, data, st)
    _sheet4(wb, data, st)
    wb.properties.title = f"{data['year']}年政府信息公开工作年度报告（表二至表四）"
    return wb


def export_xlsx(year: int, path: str | os.PathLike) -> Path:
    """Write the year's tables 二/三/四 to ``path`` (refused when the check fails)."""
    data = gather(year)
    wb = build_workbook(data)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


# ------------------------------------------------------------------ PDF
# Text goes through the document pipeline (gkdesk.documents.flowtext): the same fonts as
# the letters (宋体 role, gkdesk's own font last), 禁则 line breaking, a character no
# font has refused with the one message of gkdesk.documents.fonts.

CELL_PT, CELL_LEADING = 8.5, 11
_PAD = 12  # reportlab Table cells are padded 6 pt left and right


def _pdf_tables(data: dict, w):
    """(title, reportlab Table, landscape) for each of the three tables; ``w`` is a
    ``flowtext.Writer``."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    def P(text, width_mm: float, align: str = "center", lines: list[str] | None = None):
        return w.para(str(text), "song", CELL_PT, width_mm * mm - _PAD, align, CELL_LEADING,
                      field="年度报告表格", lines=lines)

    font = w.font_key("song")
    base = [("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), CELL_PT),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (-1, -1), "CENTER")]
    out = []

    # table 二
    widths = (50, 40, 40, 40)
    rows, style = [], list(base)
    for sec in annual.TABLE2:
        r = len(rows)
        rows.append([P(sec.heading, sum(widths)), "", "", ""])
        style.append(("SPAN", (0, r), (3, r)))
        r += 1
        if len(sec.columns) == 1:
            rows.append([P(annual.TABLE2_CONTENT_HEADER, widths[0]), P(sec.columns[0], sum(widths[1:])), "", ""])
            style.append(("SPAN", (1, r), (3, r)))
        else:
            rows.append([P(annual.TABLE2_CONTENT_HEADER, widths[0]),
                         *[P(c, widths[1 + i]) for i, c in enumerate(sec.columns)]])
        for row in sec.rows:
            r = len(rows)
            vals = ["" if data["table2"][row][c] is None else data["table2"][row][c] for c in sec.columns]
            if len(sec.columns) == 1:
                rows.append([P(row, widths[0]), vals[0], "", ""])
                style.append(("SPAN", (1, r), (3, r)))
            else:
                rows.append([P(row, widths[0]), *vals])
    t = Table(rows, colWidths=[c * mm for c in widths])
    t.setStyle(TableStyle(style))
    out.append((annual.TABLE2_TITLE, t, False))

    # table 三
    t3 = data["table3"]
    ncol = 3 + len(annual.TABLE3_COLUMNS)
    widths = (9, 19, 54) + (14,) * (ncol - 3)
    head = sum(widths[:3])
    rows = [[P(annual.HEADER_NOTE, head), "", "", P(annual.HEADER_APPLICANTS, sum(widths[3:]))] + [""] * (ncol - 4),
            ["", "", "", P(annual.NATURAL_COLUMN, widths[3]), P(annual.HEADER_ORGANISATIONS, sum(widths[4:-1])),
             *[""] * (ncol - 6), P(annual.TOTAL_COLUMN, widths[-1])],
            ["", "", "", "", *[P(c, widths[4 + i]) for i, c in enumerate(annual.ORG_COLUMNS)], ""]]
    last = ncol - 1
    style = list(base) + [("SPAN", (0, 0), (2, 2)), ("SPAN", (3, 0), (last, 0)), ("SPAN", (3, 1), (3, 2)),
                          ("SPAN", (4, 1), (last - 1, 1)), ("SPAN", (last, 1), (last, 2))]
    spans: dict[tuple[int, str], list[int]] = {}
    for lr in annual.table3_layout():
        r = len(rows)
        nums = [t3[lr.key][c] for c in annual.TABLE3_COLUMNS]
        if lr.section != annual.RESULTS_HEADING:
            rows.append([P(lr.label, head, "left"), "", "", *nums])
            style.append(("SPAN", (0, r), (2, r)))
        elif lr.group is None:
            rows.append(["", P(lr.label, widths[1] + widths[2], "left"), "", *nums])
            style.append(("SPAN", (1, r), (2, r)))
            spans.setdefault((0, lr.section), []).append(r)
        else:
            rows.append(["", "", P(lr.label, widths[2], "left"), *nums])
            spans.setdefault((0, lr.section), []).append(r)
            spans.setdefault((1, lr.group), []).append(r)
    for (col, label), rs in spans.items():
        # the section label stands upright, one character a line
        rows[min(rs)][col] = P(label, widths[col], lines=w.upright_lines(label) if col == 0 else None)
        style.append(("SPAN", (col, min(rs)), (col, max(rs))))
    t = Table(rows, colWidths=[c * mm for c in widths], repeatRows=3)
    t.setStyle(TableStyle(style))
    out.append((annual.TABLE3_TITLE, t, False))

    # table 四
    t4 = data["table4"]
    n = len(annual.TABLE4_COLUMNS)
    cw = 17
    h1 = [P(annual.RECONSIDERATION, cw * n)] + [""] * (n - 1) + [P(annual.LITIGATION, cw * 2 * n)] + [""] * (2 * n - 1)
    h2 = [P(c, cw) for c in annual.TABLE4_COLUMNS]
    h3 = [""] * n
    style = list(base) + [("SPAN", (0, 0), (n - 1, 0)), ("SPAN", (n, 0), (3 * n - 1, 0))]
    for i in range(n):
        style.append(("SPAN", (i, 1), (i, 2)))
    for g, key in enumerate(annual.TABLE4_KEYS[1:]):
        start = n * (g + 1)
        h2 += [P(key.split("/", 1)[1], cw * n)] + [""] * (n - 1)
        h3 += [P(c, cw) for c in annual.TABLE4_COLUMNS]
        style.append(("SPAN", (start, 1), (start + n - 1, 1)))
    nums = [t4[k][c] for k in annual.TABLE4_KEYS for c in annual.TABLE4_COLUMNS]
    t = Table([h1, h2, h3, nums], colWidths=[cw * mm] * (3 * n))
    t.setStyle(TableStyle(style))
    out.append((annual.TABLE4_TITLE, t, True))
    return out


def export_pdf(year: int, path: str | os.PathLike) -> Path:
    """The three tables as a PDF (A4; table 四 on a landscape page), fonts embedded."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Spacer,
    )

    from gkdesk.documents import flowtext

    data = gather(year)
    pw_, ph = A4
    lw, lh = landscape(A4)
    w = flowtext.Writer(width=pw_ - 30 * mm - _PAD, size=CELL_PT)   # frames are padded 6 pt too
    frame_w = {False: pw_ - 30 * mm - _PAD, True: lw - 30 * mm - _PAD}
    sub = f"填报单位：{data['office']}　　统计期间：{year}年1月1日至{year}年12月31日"
    tables = _pdf_tables(data, w)          # before the file: a refused character leaves no file
    story = []
    for i, (title, table, land) in enumerate(tables):
        if i:
            story.append(NextPageTemplate("landscape" if land else "portrait"))
            story.append(PageBreak())
        width = frame_w[land]
        story += [w.para(title, "song", 14, width, "center", 20, field="表名"), Spacer(1, 4),
                  w.para(sub, "song", 9, width, "left", 12, field="填报单位"), Spacer(1, 6), table]
        note = {annual.TABLE3_TITLE: annual.COUNTING_NOTES[0], annual.TABLE4_TITLE: annual.COUNTING_NOTES[1]}.get(title)
        if note:
            story += [Spacer(1, 10), w.para(note, "song", 8, width, "left", 11, field="统计口径")]

    with atomic_path(path) as tmp:
        doc = BaseDocTemplate(str(tmp), pagesize=A4, title=f"{year}年政府信息公开工作年度报告（表二至表四）",
                              author=data["office"], creator=gkdesk_creator(),
                              initialFontName=w.font_key("song"), initialFontSize=CELL_PT,
                              leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm)
        doc.addPageTemplates([
            PageTemplate("portrait", [Frame(15 * mm, 15 * mm, pw_ - 30 * mm, ph - 30 * mm, id="p")], pagesize=A4),
            PageTemplate("landscape", [Frame(15 * mm, 15 * mm, lw - 30 * mm, lh - 30 * mm, id="l")],
                         pagesize=landscape(A4)),
        ])
        doc.build(story)
    return Path(path)


def export(year: int, path: str | os.PathLike) -> Path:
    """By the file's extension: .xlsx or .pdf."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return export_xlsx(year, path)
    if suffix == ".pdf":
        return export_pdf(year, path)
    raise ValidationError(f"输出文件：只能导出 .xlsx 或 .pdf，现为“{Path(path).name}”", "输出文件")
