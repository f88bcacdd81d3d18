"""Annex 1 and Annex 2 as an xlsx workbook, one per unit, laid out as the forms were issued.

Sheet 附件1:                              Sheet 附件2:
  附件 1                                    附件 2
  街道（部门）政务公开（政府信息公开）        街道（部门）工作职能清单
      工作人员情况表                        单位（盖章）：民政局
  单位（盖章）：民政局                      全称       | …
  |          | 姓名 | 职务 | 联系方式 | 备注 |  办公地址   | …
  | 分管领导 | …  (label merged down)        …
  | 工作人员 | …  (label merged down)        工作职能   | one paragraph a row (label merged down)
  注：请于 8 月 28 日……                      机构设置   | one paragraph a row
                                           注：……
A4 portrait, print area set, fitted to one page wide (docs/pitfalls.md #13). 联系方式 cells are
text-formatted so phone numbers typed in stay text. Written atomically.
"""
from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Border

from gkdesk import xlsxstyle as xs

from gkdesk import creator as gkdesk_creator
from gkdesk.domain import terms
from gkdesk.fileio import atomic_path
from gkdesk.forms import records
from gkdesk.forms.records import FUNCTION_FIELDS, FUNCTION_MULTILINE, FunctionsData, StaffData, StaffRow

SHEET1 = "附件1"
SHEET2 = "附件2"
FANGSONG, SONG, HEITI = xs.FANGSONG, xs.SONG, xs.HEITI

THIN = xs.thin_side()
BOX = xs.box()
CENTER = xs.openpyxl_style(xs.CENTER)["alignment"]
LEFT = xs.openpyxl_style(xs.LEFT.but(indent=1))["alignment"]
TOP_LEFT = xs.openpyxl_style(xs.TOP_LEFT.but(indent=1))["alignment"]

ANNEX1_WIDTHS = {"A": 13, "B": 13, "C": 26, "D": 22, "E": 18}
ANNEX2_WIDTHS = {"A": 16, "B": 72}
BLANK_ROWS = {"leader": 2, "staff": 4}   # empty rows per group on a blank form
SPARE_ROWS = 1                           # empty rows after what the office has

_BAD_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_filename(name: str) -> str:
    """A unit name usable as a file name on Windows and Linux (民政局/信访局 → 民政局_信访局)."""
    s = _BAD_FILENAME.sub("_", records.clean_line(name)).strip(" .")
    return s[:120] or "未命名单位"


def _font(name=FANGSONG, size=12, bold=False):
    return xs.font(name, size, bold)


def _box(ws, top, left, bottom, right):
    for row in ws.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=right):
        for c in row:
            c.border = BOX


def _print_setup(ws, last_col: str, last_row: int) -> None:
    ws.print_area = f"A1:{last_col}{last_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = 0.8
    ws.page_margins.bottom = 0.7


def _text_height(text: str, chars_per_line: int, line_pt: float = 18, minimum: float = 28) -> float:
    lines = 0
    for para in (text or "").split("\n"):
        width = sum(2 if ord(ch) > 0x2E7F else 1 for ch in para)
        lines += max(1, -(-width // (chars_per_line * 2)))
    return min(409, max(minimum, lines * line_pt + 8))


def _heading(ws, annex_no: int, title: str, unit_name: str, last_col: str) -> None:
    ws["A1"] = f"附件 {annex_no}"
    ws["A1"].font = _font(HEITI, 14)
    ws["A1"].alignment = xs.alignment("left", "center")
    ws.row_dimensions[1].height = 24
    ws.merge_cells(f"A2:{last_col}2")
    ws["A2"] = title
    ws["A2"].font = _font(SONG, 18, bold=True)
    ws["A2"].alignment = CENTER
    ws.row_dimensions[2].height = 54
    ws.merge_cells(f"A3:{last_col}3")
    ws["A3"] = f"{records.STAMP_LABEL}{unit_name}"
    ws["A3"].font = _font(FANGSONG, 14)
    ws["A3"].alignment = xs.alignment("left", "center")
    ws.row_dimensions[3].height = 28


def _note(ws, row: int, note: str, last_col: str, chars: int) -> None:
    ws.merge_cells(f"A{row}:{last_col}{row}")
    c = ws[f"A{row}"]
    c.value = note
    c.font = _font(FANGSONG, 12)
    c.alignment = xs.alignment("left", "top", True)
    ws.row_dimensions[row].height = _text_height(note, chars, 18, 24)


def fill_annex1(ws, unit_name: str, staff: StaffData | None, note: str, *, blank: bool = False) -> int:
    """Lay out Annex 1 on ``ws``; returns the last row used."""
    ws.title = SHEET1
    for col, w in ANNEX1_WIDTHS.items():
        ws.column_dimensions[col].width = w
    _heading(ws, 1, records.ANNEX1_TITLE, unit_name, "E")
    hdr = 4
    for col, text in zip("ABCDE", ["", *[label for _, label in records.STAFF_FIELDS]]):
        c = ws[f"{col}{hdr}"]
        c.value = text or None
        c.font = _font(HEITI, 13)
        c.alignment = CENTER
    ws.row_dimensions[hdr].height = 30
    row = hdr + 1
    for group in records.GROUP_ORDER:
        rows: list[StaffRow] = [] if (blank or staff is None) else list(staff.group(group))
        n = len(rows) + (SPARE_ROWS if rows else BLANK_ROWS[group])
        first = row
        for i in range(n):
            r = rows[i] if i < len(rows) else StaffRow()
            for col, key in zip("BCDE", ("name", "post", "contact", "remark")):
                c = ws[f"{col}{row}"]
                c.value = getattr(r, key) or None
                c.font = _font(FANGSONG, 12)
                c.alignment = CENTER if key in ("name", "contact") else LEFT
                if key == "contact":
                    c.number_format = "@"
            ws.row_dimensions[row].height = 28
            row += 1
        ws[f"A{first}"] = terms.STAFF_GROUPS[group].label
        ws[f"A{first}"].font = _font(HEITI, 13)
        ws[f"A{first}"].alignment = CENTER
        if n > 1:
            ws.merge_cells(f"A{first}:A{row - 1}")
    last_table = row - 1
    _box(ws, hdr, 1, last_table, 5)
    _note(ws, last_table + 1, note, "E", 42)
    last = last_table + 1
    _print_setup(ws, "E", last)
    return last


def fill_annex2(ws, unit_name: str, data: FunctionsData | None, note: str, *, blank: bool = False) -> int:
    ws.title = SHEET2
    for col, w in ANNEX2_WIDTHS.items():
        ws.column_dimensions[col].width = w
    _heading(ws, 2, records.ANNEX2_TITLE, unit_name, "B")
    data = FunctionsData() if (blank or data is None) else data
    row = 4
    spans: list[tuple[int, int]] = []
    for key, label in FUNCTION_FIELDS:
        value = getattr(data, key) or ""
        paras = value.split("\n") if (key in FUNCTION_MULTILINE and value) else [value]
        first = row
        for p in paras:
            c = ws[f"B{row}"]
            c.value = p or None
            c.font = _font(FANGSONG, 12)
            if key in FUNCTION_MULTILINE:
                c.alignment = TOP_LEFT
                minimum = 120 if (not value and key == "functions") else (80 if not value else 28)
                ws.row_dimensions[row].height = _text_height(p, 33, 18, minimum)
            else:
                c.alignment = LEFT
                ws.row_dimensions[row].height = _text_height(p, 33, 18, 30)
            if key == "phone":
                c.number_format = "@"
            row += 1
        a = ws[f"A{first}"]
        a.value = label
        a.font = _font(HEITI, 13)
        a.alignment = CENTER
        if row - 1 > first:
            ws.merge_cells(f"A{first}:A{row - 1}")
            spans.append((first, row - 1))
    _box(ws, 4, 1, row - 1, 2)
    for first, last in spans:  # one field over several rows reads as one cell: no inner lines
        for r in range(first, last + 1):
            ws[f"B{r}"].border = Border(left=THIN, right=THIN, top=THIN if r == first else None,
                                        bottom=THIN if r == last else None)
    _note(ws, row, note, "B", 42)
    _print_setup(ws, "B", row)
    return row


def build_workbook(unit_name: str, staff: StaffData | None, functions: FunctionsData | None, note: str,
                   *, blank: bool = False, unit_id: int | None = None, round_id: int | None = None) -> Workbook:
    wb = Workbook()
    wb.properties.creator = gkdesk_creator()
    ws1 = wb.active
    fill_annex1(ws1, unit_name, staff, note, blank=blank)
    ws2 = wb.create_sheet(SHEET2)
    fill_annex2(ws2, unit_name, functions, note, blank=blank)
    wb.active = 0
    wb.properties.title = f"{unit_name} 附件1 工作人员情况表、附件2 工作职能清单"
    wb.properties.creator = "gkdesk"
    # A hint for the importer when a unit blanks the 单位 line and renames the file.
    wb.properties.keywords = f"gkdesk-forms unit={unit_id or ''} round={round_id or ''}"
    return wb


def export_unit(unit, out, rnd=None, *, blank: bool = False) -> Path:
    """Write ``unit``'s forms to ``out`` (a file, or a folder → <unit name>.xlsx)."""
    from gkdesk.forms import rounds, units

    unit = units.get_unit(unit)
    if rnd is None:
        rnd = rounds.open_round()
    out = Path(out)
    if out.is_dir() or not out.suffix:
        out = out / f"{safe_filename(unit.name)}.xlsx"
    staff = None if blank else units.get_staff(unit)
    functions = None if blank else units.get_functions(unit)
    wb = build_workbook(unit.name, staff, functions, rounds.note_text(rnd), blank=blank, unit_id=unit.id,
                        round_id=rnd.id if rnd else None)
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return out


def export_blank(out, rnd=None) -> Path:
    """A blank form with the 单位 line empty (for a unit the office does not list yet)."""
    from gkdesk.forms import rounds

    wb = build_workbook("", None, None, rounds.note_text(rnd), blank=True, round_id=rnd.id if rnd else None)
    out = Path(out)
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return out


def export_all(folder, rnd=None, *, blank: bool = False, unit_ids=None, progress=None, cancelled=None
               ) -> list[Path]:
    """Every active unit's workbook into ``folder``. ``progress(done, total)`` is called per
    unit; when ``cancelled()`` turns true the export stops (files written so far stay)."""
    from gkdesk.db.models import Unit
    from gkdesk.forms import rounds

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if rnd is None:
        rnd = rounds.open_round()
    q = Unit.select().where(Unit.active == True)  # noqa: E712
    if unit_ids is not None:
        q = q.where(Unit.id.in_(list(unit_ids)))
    unit_list = list(q.order_by(Unit.name))
    written: list[Path] = []
    used: dict[str, int] = {}
    for i, unit in enumerate(unit_list):
        if cancelled and cancelled():
            break
        base = safe_filename(unit.name)
        used[base] = used.get(base, 0) + 1
        name = base if used[base] == 1 else f"{base}（{used[base]}）"
        written.append(export_unit(unit, folder / f"{name}.xlsx", rnd, blank=blank))
        if progress:
            progress(i + 1, len(unit_list))
    return written
