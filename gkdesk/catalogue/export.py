"""The catalogue as xlsx in the layout county governments publish, one sheet per field:

    某某县社会救助领域基层政务公开标准目录（2022年修订）
    序号 | 公开事项        | 公开内容（要素） | 公开依据 | 公开时限 | 公开主体 | 公开渠道和载体 | 公开对象 | 公开方式 | 公开层级 | 备注
         | 一级事项 | 二级事项 |                                                            | 全社会 | 特定群体 | 主动 | 依申请 | 县级 | 乡级 |
    1    | 最低生活保障 (merged down) | …                                            |   √    |          |  √   |        |  √   |  √   |

``export_county`` is what the county publishes (every unit's items but the deleted);
``export_unit`` is the workbook sent to a unit: its items with three more columns —
变动情况 (保留/修改/删除/新增 against the guidance), 变动原因 (required for 修改 and 删除)
and 编号 (how the return is matched back) — and the unit and version in the workbook's
keywords. A4 landscape, header rows repeated on every printed page, fitted to the width
(docs/pitfalls.md #13); written atomically.
"""
from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gkdesk import creator as gkdesk_creator
from gkdesk.catalogue import items as svc
from gkdesk.catalogue.items import ItemData
from gkdesk.domain import catalogue as dom
from gkdesk.domain.terms import label_of
from gkdesk.fileio import atomic_path
from gkdesk.xlsxstyle import Stamp

FANGSONG, HEITI, SONG = "仿宋", "黑体", "宋体"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
GREY = PatternFill("solid", fgColor="F2F2F2")

# (heading, sub-heading or None, width) in the published column order
COLUMNS: tuple[tuple[str, str | None, float], ...] = (
    ("序号", None, 6),
    ("公开事项", "一级事项", 14), ("公开事项", "二级事项", 14),
    ("公开内容（要素）", None, 30), ("公开依据", None, 28), ("公开时限", None, 16),
    ("公开主体", None, 14), ("公开渠道和载体", None, 18),
) + tuple((g.label, m.label, 7) for g in dom.MARK_GROUPS for m in g.marks) + (("备注", None, 14),)
COLUMN_KEYS: tuple[str, ...] = ("seq", "level1", "level2", "content", "basis", "time_limit", "subject",
                                "channel") + dom.MARK_KEYS + ("remark",)
UNIT_EXTRA = (("变动情况", 9), ("变动原因（删除或修改必填）", 24), ("编号（请勿修改）", 9))
HEADER_ROW = 3
FIRST_DATA_ROW = 5
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def county_name() -> str:
    """「某某区」 from the office's name 「某某区人民政府办公室」."""
    from gkdesk import settings

    name = settings.get("office.name") or ""
    for cut in ("人民政府", "政府"):
        if cut in name:
            return name.split(cut)[0]
    return name


def sheet_title(field_label: str, taken: set[str]) -> str:
    base = _BAD_SHEET.sub("_", field_label)[:28] or "领域"
    t, n = base, 2
    while t in taken:
        t, n = f"{base}{n}", n + 1
    taken.add(t)
    return t


def _title(field_label: str, version_name: str, who: str) -> str:
    return f"{who}{field_label}领域基层政务公开标准目录（{version_name}）"


def write_sheet(ws, title: str, line2: str, rows: list[tuple[ItemData, list[str]]], extra: tuple = ()) -> int:
    """Lay out one field's items; ``rows`` pairs the facts with the extra columns' values.
    Returns the last row used."""
    ncols = len(COLUMNS) + len(extra)
    last = get_column_letter(ncols)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = title
    ws["A1"].font = Font(name=SONG, size=16, bold=True)
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 36
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = line2
    ws["A2"].font = Font(name=FANGSONG, size=12)
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[2].height = 22
    h1, h2 = HEADER_ROW, HEADER_ROW + 1
    heads = list(COLUMNS) + [(label, None, w) for label, w in extra]
    for c, (top, sub, width) in enumerate(heads, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
        ws.cell(h1, c, top)
        if sub:
            ws.cell(h2, c, sub)
        for r in (h1, h2):
            cell = ws.cell(r, c)
            cell.font = Font(name=HEITI, size=11)
            cell.alignment = CENTER
            cell.border = BOX
    c = 1
    while c <= len(heads):
        top, sub, _ = heads[c - 1]
        if sub is None:
            ws.merge_cells(start_row=h1, start_column=c, end_row=h2, end_column=c)
            c += 1
            continue
        end = c
        while end < len(heads) and heads[end][0] == top and heads[end][1]:
            end += 1
        if end > c:
            ws.merge_cells(start_row=h1, start_column=c, end_row=h1, end_column=end)
        c = end + 1
    ws.row_dimensions[h1].height = 22
    ws.row_dimensions[h2].height = 22
    r = FIRST_DATA_ROW
    runs: list[tuple[int, int]] = []
    body = Font(name=FANGSONG, size=10.5)
    centred, left = Stamp(font=body, border=BOX, alignment=CENTER), Stamp(font=body, border=BOX, alignment=LEFT)
    stamps = []                     # per column: the same font and border, centred or left
    for c in range(1, len(heads) + 1):
        key = COLUMN_KEYS[c - 1] if c <= len(COLUMN_KEYS) else ""
        stamps.append(centred if key in ("seq", "level1", "level2") or key in dom.MARK_KEYS or
                      (c > len(COLUMN_KEYS) and c != len(COLUMN_KEYS) + 2) else left)
    for i, (d, extras) in enumerate(rows, 1):
        values = [i, d.level1, d.level2, d.content, d.basis, d.time_limit, d.subject, d.channel]
        values += [dom.MARK_OUT if getattr(d, k) else None for k in dom.MARK_KEYS]
        values += [d.remark or None] + list(extras)
        for c, v in enumerate(values, 1):
            stamps[c - 1](ws.cell(r, c, v if v != "" else None))
        longest = max(len(d.content), len(d.basis) * 30 // 28, len(d.channel) * 30 // 18, 1)
        ws.row_dimensions[r].height = min(300, max(30, 15 * (-(-longest // 15)) + 6))
        if runs and rows[runs[-1][0] - FIRST_DATA_ROW][0].level1 == d.level1 and d.level1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
        r += 1
    for a, b in runs:
        if b > a:
            ws.merge_cells(start_row=a, start_column=2, end_row=b, end_column=2)
    last_row = max(r - 1, h2)
    ws.print_area = f"A1:{last}{last_row}"
    ws.print_title_rows = f"{h1}:{h2}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 4)
    return last_row


def _grouped(items, labels) -> dict[str, list]:
    out: dict[str, list] = {}
    for it in items:
        out.setdefault(it.field, []).append(it)
    order = {c: i for i, c in enumerate(labels)}
    return dict(sorted(out.items(), key=lambda kv: order.get(kv[0], 999)))


def _save(wb: Workbook, path: Path, title: str, keywords: str) -> Path:
    wb.properties.creator = gkdesk_creator()
    wb.properties.title = title
    wb.properties.keywords = keywords
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def export_county(version, path) -> Path:
    """The county's catalogue of ``version`` in the published layout, a sheet per field."""
    v = svc.get_version(version)
    labels = svc.field_labels()
    items = svc.county_items(v)
    if not items:
        from gkdesk.errors import ValidationError

        raise ValidationError(f"版本“{v.name}”还没有任何单位的标准目录事项，无法导出", "版本")
    who = county_name()
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for code, its in _grouped(items, labels).items():
        ws = wb.create_sheet(sheet_title(labels.get(code, code), taken))
        # 一级事项 kept together (merged down), in their first appearance's order
        first: dict[str, int] = {}
        for i, it in enumerate(its):
            first.setdefault(it.level1, i)
        pos = {id(it): i for i, it in enumerate(its)}
        its = sorted(its, key=lambda it: (first[it.level1], pos[id(it)]))
        write_sheet(ws, _title(labels.get(code, code), v.name, who), f"共{len(its)}项",
                    [(ItemData.of(it), []) for it in its])
    return _save(wb, Path(path), f"{who}政务公开事项标准目录（{v.name}）", f"gkdesk-catalogue version={v.id}")


def export_unit(version, unit, path) -> Path:
    """A unit's catalogue to send out: its items (deleted ones marked 删除, with reasons)
    and the columns it returns its changes in."""
    from gkdesk.errors import ValidationError
    from gkdesk.forms.units import get_unit

    v, u = svc.get_version(version), get_unit(unit)
    labels = svc.field_labels()
    items = svc.unit_items(v, u)
    if not items:
        raise ValidationError(f"“{u.name}”在“{v.name}”中还没有标准目录事项：请先按上级指引编制"
                              "（gkdesk catalogue start）", "单位")
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for code, its in _grouped(items, labels).items():
        ws = wb.create_sheet(sheet_title(labels.get(code, code), taken))
        rows = [(ItemData.of(it), [label_of(dom.ACTIONS, it.action), it.reason or None, f"C{it.id}"]) for it in its]
        last = write_sheet(ws, _title(labels.get(code, code), v.name, u.name),
                           f"填报单位（盖章）：{u.name}", rows, UNIT_EXTRA)
        base = len(COLUMNS)
        status_col = get_column_letter(base + 1)
        dv = DataValidation(type="list", formula1='"保留,修改,删除,新增"', allow_blank=True)
        dv.error = "请填写：保留、修改、删除或新增"
        ws.add_data_validation(dv)
        dv.add(f"{status_col}{FIRST_DATA_ROW}:{status_col}{max(last, FIRST_DATA_ROW) + 200}")
        for r in range(FIRST_DATA_ROW, last + 1):
            ws.cell(r, base + 3).fill = GREY
        note = last + 2
        ws.cell(note, 1, "注：1. 请直接在表中修改；不再公开的事项请在“变动情况”填“删除”，不要删行。"
                         "2. 修改或删除上级指引中的事项，必须在“变动原因”写明原因（将写入编制说明）。"
                         "3. 新增事项请在表末添加一行，“变动情况”填“新增”。4. 勾选处填“√”，不适用的留空。")
        ws.merge_cells(start_row=note, start_column=1, end_row=note, end_column=base + len(UNIT_EXTRA))
        ws.cell(note, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(note, 1).font = Font(name=FANGSONG, size=11)
        ws.row_dimensions[note].height = 48
    return _save(wb, Path(path), f"{u.name}政务公开事项标准目录（{v.name}）",
                 f"gkdesk-catalogue version={v.id} unit={u.id}")
