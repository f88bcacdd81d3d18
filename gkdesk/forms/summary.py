"""The county-wide summary workbook: every unit's staff in one sheet, every functions list in
another, the leading groups in a third. Written atomically."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from gkdesk import creator as gkdesk_creator
from gkdesk.db.models import FunctionsList, LeadingGroupMember, StaffMember, Unit
from gkdesk.domain import terms
from gkdesk.fileio import atomic_path
from gkdesk.forms.records import FUNCTION_FIELDS, STAFF_FIELDS
from gkdesk.xlsxstyle import Stamp

SHEET_STAFF = "工作人员"
SHEET_FUNCTIONS = "工作职能清单"
SHEET_GROUPS = "领导小组"

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")


def _sheet(ws, title: str, headers: list[str], widths: list[int], rows, wrap_cols=()) -> int:
    ws.title = title
    ws.append(headers)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = w
        c = ws.cell(1, i)
        c.font = Font(name="黑体", size=11, bold=True)
        c.fill = _HEAD_FILL
        c.border = _BOX
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    n = 0
    body = Font(name="仿宋", size=11)
    stamps = []                     # per column, one style put on every row (gkdesk.xlsxstyle.Stamp)
    for i in range(1, len(headers) + 1):
        attrs = {"font": body, "border": _BOX, "alignment": Alignment(vertical="top", wrap_text=(i in wrap_cols))}
        if headers[i - 1] in ("联系方式", "联系电话"):
            attrs["number_format"] = "@"
        stamps.append(Stamp(**attrs))
    for row in rows:
        n += 1
        ws.append([n, *row])
        for i in range(1, len(headers) + 1):
            stamps[i - 1](ws.cell(n + 1, i))
    ws.freeze_panes = "C2"
    last = ws.cell(1, len(headers)).column_letter
    ws.auto_filter.ref = f"A1:{last}{n + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return n


def summary(path, *, include_retired: bool = False) -> Path:
    """Write the summary workbook to ``path``; returns the path."""
    q = Unit.select()
    if not include_retired:
        q = q.where(Unit.active == True)  # noqa: E712
    kinds = {k: i for i, k in enumerate(terms.UNIT_KINDS)}
    from gkdesk.forms.units import name_key

    unit_list = sorted(q, key=lambda u: (kinds.get(u.kind, 99), name_key(u.name)))
    ids = [u.id for u in unit_list]
    names = {u.id: u.name + ("" if u.active else "（已撤销）") for u in unit_list}
    kind_label = {u.id: terms.label_of(terms.UNIT_KINDS, u.kind, u.kind) for u in unit_list}
    order = {uid: i for i, uid in enumerate(ids)}
    gorder = {g: i for i, g in enumerate(terms.STAFF_GROUPS)}

    staff = sorted(StaffMember.select().where(StaffMember.unit.in_(ids or [0])),
                   key=lambda m: (order[m.unit_id], gorder.get(m.group, 9), m.position, m.id))
    functions = sorted(FunctionsList.select().where(FunctionsList.unit.in_(ids or [0])),
                       key=lambda f: order[f.unit_id])
    groups = sorted(LeadingGroupMember.select().where(LeadingGroupMember.unit.in_(ids or [0])),
                    key=lambda m: (order[m.unit_id], m.position, m.id))

    wb = Workbook()
    wb.properties.creator = gkdesk_creator()
    _sheet(wb.active, SHEET_STAFF, ["序号", "单位", "单位类型", "类别", *[l for _, l in STAFF_FIELDS]],
           [6, 28, 9, 10, 10, 24, 22, 18],
           ([names[m.unit_id], kind_label[m.unit_id], terms.label_of(terms.STAFF_GROUPS, m.group, m.group),
             m.name, m.post, m.contact, m.remark] for m in staff))
    _sheet(wb.create_sheet(), SHEET_FUNCTIONS, ["序号", "单位", *[l for _, l in FUNCTION_FIELDS]],
           [6, 24, 28, 28, 22, 18, 12, 70, 40],
           ([names[f.unit_id], *[getattr(f, k) for k, _ in FUNCTION_FIELDS]] for f in functions),
           wrap_cols=(3, 4, 5, 8, 9))
    _sheet(wb.create_sheet(), SHEET_GROUPS, ["序号", "单位", "职务类别", "姓名", "职务"],
           [6, 28, 10, 10, 40],
           ([names[m.unit_id], terms.label_of(terms.LEADING_GROUP_ROLES, m.role, m.role), m.name, m.post]
            for m in groups))
    wb.properties.title = "附件1、附件2汇总表"
    wb.properties.creator = "gkdesk"
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
