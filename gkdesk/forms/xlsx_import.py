"""Reading Annex 1 and Annex 2 back from the workbooks units return, and saving them.

Units fill the forms in Excel or WPS, so nothing is read from fixed coordinates: the header
row is found by the text 姓名, the groups by the labels 分管领导 / 工作人员 (merged down,
unmerged, or repeated), the Annex 2 rows by their labels (全称 … 机构设置), the unit by the
``单位（盖章）：`` line (or the file name). Blank rows, a moved table, full-width digits and
spaces, phone numbers stored as numbers (13800138000.0), an extra sheet, Excel/WPS lock
files in a folder are all tolerated.

Safety: files over ``MAX_FILE_BYTES`` or expanding past ``MAX_UNZIPPED_BYTES``, sheets with
more than ``MAX_ROWS`` filled rows, anything that is not an xlsx zip are refused with a
reason; formulas are never evaluated — a formula cell is reported as a problem.

``diff_paths`` reads and compares WITHOUT saving; ``apply(diffs, actor)`` saves the accepted
ones in one transaction (all or nothing). Problems name the file, sheet and cell:
``民政局.xlsx!附件1!D6：联系方式“1380013”不是有效的电话号码……``.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from gkdesk import xlsxkit
from gkdesk.actors import Actor, require
from gkdesk.db import write_transaction
from gkdesk.db.models import FunctionsList, Unit
from gkdesk.domain import terms
from gkdesk.errors import ImportError_, ValidationError
from gkdesk.forms import records, units
from gkdesk.forms.records import (
    FUNCTION_FIELDS,
    FUNCTION_MULTILINE,
    STAFF_LABELS,
    FunctionsData,
    Problem,
    StaffData,
    StaffRow,
    cell_text,
    label_key,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 25 * 1024 * 1024
MAX_ROWS = 2000             # rows with anything in them, per sheet
MAX_PHYSICAL_ROWS = 50000   # rows the sheet declares, filled or not
MAX_FILES = 2000
XLSX_SUFFIXES = xlsxkit.XLSX_SUFFIXES
OLD_FORMATS = xlsxkit.OLD_FORMATS

HEADER_ALIASES = {
    "name": ("姓名",),
    "post": ("职务", "职位", "职务职称", "职务(职称)", "岗位"),
    "contact": ("联系方式", "联系电话", "电话", "手机", "手机号码", "联系电话(手机)", "电话号码"),
    "remark": ("备注", "说明"),
}
FUNCTION_ALIASES = {
    "full_name": ("全称", "单位全称", "机构全称"),
    "address": ("办公地址", "地址"),
    "office_hours": ("办公时间",),
    "phone": ("联系电话", "电话", "办公电话"),
    "head_name": ("负责人姓名", "负责人", "主要负责人", "主要负责人姓名"),
    "functions": ("工作职能", "主要职能", "职能"),
    "structure": ("机构设置", "内设机构"),
}


# ---------------------------------------------------------------- results

@dataclass
class Change:
    annex: str        # 附件1 / 附件2
    part: str         # 分管领导 / 工作人员 / a field label
    kind: str         # 新增 / 删除 / 修改 / 顺序
    text: str         # one line for a person

    def __str__(self) -> str:
        return f"{self.annex} {self.part}：{self.text}"


@dataclass
class UnitDiff:
    """What importing one file would change for one unit."""

    source: Path
    display: str                               # the file name as problems name it
    unit_id: int | None = None
    unit_name: str = ""
    unit_version: int | None = None
    staff_before: StaffData | None = None
    staff_after: StaffData | None = None       # None: the file had no Annex 1 → unchanged
    functions_before: FunctionsData | None = None
    functions_after: FunctionsData | None = None
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    round_id: int | None = None                # the round the workbook was sent out in
    accepted: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems and self.unit_id is not None

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)


@dataclass
class ApplyResult:
    saved: list[str] = field(default_factory=list)        # unit names changed
    unchanged: list[str] = field(default_factory=list)    # returned, nothing to change
    returns_recorded: int = 0
    problems_recorded: int = 0


# ---------------------------------------------------------------- reading a workbook

@dataclass
class _Cell:
    value: object
    formula: bool
    number: bool


@dataclass
class _Sheet:
    title: str
    cells: dict[tuple[int, int], _Cell]
    hidden: bool

    def text(self, r: int, c: int) -> str:
        cell = self.cells.get((r, c))
        if cell is None or cell.formula:
            return ""
        return cell_text(cell.value)

    def raw_text(self, r: int, c: int) -> str:
        cell = self.cells.get((r, c))
        return "" if cell is None else str(cell.value)

    def rows(self) -> list[int]:
        return sorted({r for r, _ in self.cells})

    def row_cells(self, r: int) -> list[int]:
        return sorted(c for rr, c in self.cells if rr == r)


def _coord(r: int, c: int) -> str:
    return f"{get_column_letter(c)}{r}"


ANNEX_LIMITS = xlsxkit.Limits(MAX_FILE_BYTES, MAX_UNZIPPED_BYTES, "附件一、附件二的表格不会这么大，")


def _check_container(path: Path, display: str) -> None:
    xlsxkit.check_container(path, display, ANNEX_LIMITS)


def _load(path: Path, display: str, limits: xlsxkit.Limits = ANNEX_LIMITS,
          rows_hint: str = "附件一、附件二只有几十行") -> tuple[list[_Sheet], str]:
    """Every sheet's non-empty cells (values, never evaluated) and the workbook keywords;
    other small forms (the annual-report tables) pass their own limits and hint."""
    wb = xlsxkit.open_workbook(path, display, limits)
    sheets: list[_Sheet] = []
    try:
        keywords = (wb.properties.keywords or "") if wb.properties else ""
        for ws in wb.worksheets:
            cells: dict[tuple[int, int], _Cell] = {}
            filled_rows = 0
            physical = 0
            for row in ws.iter_rows():
                physical += 1
                if physical > MAX_PHYSICAL_ROWS:
                    raise ImportError_(f"{display}!{ws.title}：工作表行数过多（超过{MAX_PHYSICAL_ROWS}行），已拒绝。"
                                       f"{rows_hint}，请检查是否发错了文件")
                any_value = False
                for cell in row:
                    v = getattr(cell, "value", None)
                    if v is None or (isinstance(v, str) and not v.strip()):
                        continue
                    any_value = True
                    dtype = getattr(cell, "data_type", None)
                    is_formula = dtype == "f" or (isinstance(v, str) and v.startswith("=") and len(v) > 1) \
                        or type(v).__name__ in ("ArrayFormula", "DataTableFormula")
                    cells[(cell.row, cell.column)] = _Cell(v, is_formula, isinstance(v, (int, float))
                                                           and not isinstance(v, bool))
                if any_value:
                    filled_rows += 1
                    if filled_rows > MAX_ROWS:
                        raise ImportError_(f"{display}!{ws.title}：工作表填写的行数超过{MAX_ROWS}行，已拒绝。"
                                           f"{rows_hint}，请检查是否发错了文件")
            sheets.append(_Sheet(ws.title, cells, getattr(ws, "sheet_state", "visible") != "visible"))
    except ImportError_:
        raise
    except Exception as exc:
        raise ImportError_(f"{display}：文件已损坏，读取时出错（{type(exc).__name__}：{exc}）") from None
    finally:
        wb.close()
    return sheets, keywords


def _kind(sheet: _Sheet) -> str | None:
    keys = {label_key(c.value) for c in sheet.cells.values() if isinstance(c.value, str)}
    if "姓名" in keys and (keys & {"分管领导", "工作人员"} or keys & set(HEADER_ALIASES["contact"])):
        return "annex1"
    found = sum(1 for aliases in FUNCTION_ALIASES.values() if keys & set(aliases))
    if found >= 3 and (keys & set(FUNCTION_ALIASES["functions"]) or keys & set(FUNCTION_ALIASES["full_name"])):
        return "annex2"
    return None


_UNIT_PREFIXES = ("单位(盖章)", "单位(公章)", "单位(印章)", "填报单位(盖章)", "填报单位", "填表单位",
                  "单位名称", "单位:")


_STAMP_NOTE = re.compile(r"[（(]\s*(?:盖章|公章|印章|章)\s*[)）]")


def _unit_line(sheet: _Sheet) -> tuple[str | None, str]:
    """The unit named on the 单位（盖章）： line: (text, cell), text None if there is no such line."""
    for (r, c) in sorted(sheet.cells):
        cell = sheet.cells[(r, c)]
        if not isinstance(cell.value, str):
            continue
        squeezed = label_key(cell.value) + (":" if cell.value.rstrip().endswith(("：", ":")) else "")
        prefix = next((p for p in _UNIT_PREFIXES if squeezed.startswith(p)), None)
        if prefix is None:
            continue
        original = cell.value.strip()
        cuts = [i for i in (original.find("："), original.find(":")) if i >= 0]
        if cuts:
            rest = original[min(cuts) + 1:]
        else:  # 单位（盖章）民政局 — no colon: drop the prefix characters
            rest = unicodedata.normalize("NFKC", original)
            rest = re.sub(r"\s+", "", rest)[len(prefix):]
        rest = records.clean_line(_STAMP_NOTE.sub("", rest))
        if not rest:
            for cc in sheet.row_cells(r):
                if cc > c and sheet.text(r, cc):
                    return sheet.text(r, cc), _coord(r, cc)
        return rest, _coord(r, c)
    return None, ""


def _is_footer(sheet: _Sheet, r: int) -> bool:
    for c in sheet.row_cells(r):
        t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", sheet.raw_text(r, c)))
        if t == "注" or t.startswith(("注:", "填表人", "填报人", "审核人", "填表日期", "填报日期", "说明:")):
            return True
    return False


def _group_of(key: str) -> str | None:
    if not key:
        return None
    if key.startswith("分管") or key in ("领导", "分管领导") or key.endswith("领导"):
        return "leader"
    if key.startswith("工作人员") or key in ("经办人员", "具体工作人员", "联络员"):
        return "staff"
    return None


@dataclass
class _Parsed1:
    rows: dict[str, list[StaffRow]]
    cells: dict[str, list[dict[str, str]]]   # group → per row: field → coordinate
    numbers: dict[str, list[bool]]           # contact typed as a number
    problems: list[Problem]
    located: list[tuple[str, str]]           # (coordinate or "", message) — already placed problems
    sheet: str


def _parse_annex1(sheet: _Sheet) -> _Parsed1:
    located: list[tuple[str, str]] = []
    header_row = header_col = None
    for (r, c) in sorted(sheet.cells):
        if label_key(sheet.raw_text(r, c)) == "姓名":
            header_row, header_col = r, c
            break
    cols: dict[str, int] = {}
    for c in sheet.row_cells(header_row):
        k = label_key(sheet.raw_text(header_row, c))
        for fld, aliases in HEADER_ALIASES.items():
            if k in aliases and fld not in cols:
                cols[fld] = c
    for fld in ("post", "contact"):
        if fld not in cols:
            located.append((_coord(header_row, header_col),
                            f"表头找不到“{STAFF_LABELS[fld]}”列，请按原表格式填写"))
    rows: dict[str, list[StaffRow]] = {"leader": [], "staff": []}
    cells: dict[str, list[dict[str, str]]] = {"leader": [], "staff": []}
    numbers: dict[str, list[bool]] = {"leader": [], "staff": []}
    group: str | None = None
    first_data_col = min(cols.values()) if cols else header_col
    last_col = max(cols.values()) if cols else header_col
    for r in [x for x in sheet.rows() if x > header_row]:
        if _is_footer(sheet, r):
            break
        # a group label anywhere left of the data columns (merged, unmerged or repeated)
        for c in sheet.row_cells(r):
            if c < first_data_col:
                g = _group_of(label_key(sheet.raw_text(r, c)))
                if g:
                    group = g
        # a label typed into the name column of an otherwise empty row
        name_label = _group_of(label_key(sheet.raw_text(r, cols.get("name", header_col))))
        values = {}
        where = {}
        formula = False
        for fld, c in cols.items():
            cell = sheet.cells.get((r, c))
            where[fld] = _coord(r, c)
            if cell is not None and cell.formula:
                located.append((_coord(r, c), f"{STAFF_LABELS[fld]}是公式（{str(cell.value)[:40]}），"
                                              f"请直接填写内容，不要用公式"))
                formula = True
                values[fld] = ""
            else:
                values[fld] = sheet.text(r, c)
        if name_label and not any(values.get(f) for f in ("post", "contact", "remark")):
            group = name_label
            continue
        for c in sheet.row_cells(r):
            if c > last_col and sheet.text(r, c):
                located.append((_coord(r, c), f"表格右侧的内容“{sheet.text(r, c)[:20]}”不在表格内，已忽略#warn"))
        if not any(values.values()) and not formula:
            continue  # blank row
        if group is None:
            located.append((where.get("name", _coord(r, header_col)),
                            "这一行不在“分管领导”或“工作人员”之下，无法判断属于哪一组"))
            continue
        row = StaffRow(*(values.get(f, "") for f in ("name", "post", "contact", "remark")))
        contact_cell = sheet.cells.get((r, cols["contact"])) if "contact" in cols else None
        rows[group].append(row)
        cells[group].append(where)
        numbers[group].append(bool(contact_cell and contact_cell.number))
    return _Parsed1(rows, cells, numbers, [], located, sheet.title)


@dataclass
class _Parsed2:
    data: FunctionsData
    cells: dict[str, str]
    phone_number: bool
    located: list[tuple[str, str]]
    sheet: str


def _parse_annex2(sheet: _Sheet) -> _Parsed2:
    located: list[tuple[str, str]] = []
    label_at: dict[str, tuple[int, int]] = {}
    inline: dict[str, str] = {}
    for (r, c) in sorted(sheet.cells):
        k = label_key(sheet.raw_text(r, c))
        for fld, aliases in FUNCTION_ALIASES.items():
            if fld in label_at:
                continue
            if k in aliases:
                label_at[fld] = (r, c)
                break
            hit = next((a for a in aliases if k.startswith(a + ":") and len(k) > len(a) + 1), None)
            if hit and fld not in FUNCTION_MULTILINE:  # 「全称：某某区民政局」 typed in one cell
                label_at[fld] = (r, c)
                raw = sheet.raw_text(r, c)
                cut = min(i for i in (raw.find("："), raw.find(":")) if i >= 0)
                inline[fld] = raw[cut + 1:]
                break
    label_rows = {r for r, _ in label_at.values()}
    footer_rows = [r for r in sheet.rows() if _is_footer(sheet, r)]
    data = FunctionsData()
    where: dict[str, str] = {}
    phone_number = False
    for fld, label in FUNCTION_FIELDS:
        if fld not in label_at:
            located.append(("", f"找不到“{label}”一栏，请按原表格式填写"))
            continue
        r, c = label_at[fld]
        where[fld] = _coord(r, c + 1)
        if fld in FUNCTION_MULTILINE:
            end = min([x for x in list(label_rows) + footer_rows if x > r], default=max(sheet.rows()) + 1)
            parts = []
            for rr in range(r, end):
                for cc in sheet.row_cells(rr):
                    if cc <= c:
                        continue
                    cell = sheet.cells[(rr, cc)]
                    if cell.formula:
                        located.append((_coord(rr, cc), f"{label}是公式，请直接填写内容，不要用公式"))
                        continue
                    t = cell.value if isinstance(cell.value, str) else cell_text(cell.value)
                    if t and t.strip():
                        parts.append(t)
            setattr(data, fld, "\n".join(parts))
        elif fld in inline and records.clean_line(inline[fld]):
            where[fld] = _coord(r, c)
            setattr(data, fld, records.clean_line(inline[fld]))
        else:
            for cc in sheet.row_cells(r):
                if cc <= c:
                    continue
                cell = sheet.cells[(r, cc)]
                where[fld] = _coord(r, cc)
                if cell.formula:
                    located.append((_coord(r, cc), f"{label}是公式，请直接填写内容，不要用公式"))
                    break
                t = sheet.text(r, cc)
                if t:
                    setattr(data, fld, t)
                    if fld == "phone":
                        phone_number = cell.number
                    break
    return _Parsed2(data, where, phone_number, located, sheet.title)


# ---------------------------------------------------------------- matching a unit

_STEM_NOISE = re.compile(
    r"(附件\s*[1-2一二](?:[、,，和及与\-－]?[1-2一二])?|工作人员情况表|工作职能清单|政务公开|政府信息公开|"
    r"情况表|职能清单|\d{4}[年.\-_]?\d{0,2}[月.\-_]?\d{0,2}日?|\(\d+\)|（\d+）|盖章版|修改版|最终版|填报|回执|副本)")


def _stem_key(stem: str) -> str:
    s = _STEM_NOISE.sub("", unicodedata.normalize("NFKC", stem))
    return label_key(re.sub(r"[_\-\s()（）【】\[\]]+", "", s))


def match_unit(text: str, stem: str = "", keywords: str = "") -> tuple[Unit | None, list[str], list[str]]:
    """The unit a returned file belongs to: (unit, problems, warnings)."""
    problems: list[str] = []
    warnings: list[str] = []
    all_units = list(Unit.select())
    by_key: dict[str, list[Unit]] = {}
    for u in all_units:
        by_key.setdefault(label_key(u.name), []).append(u)
    by_full: dict[str, list[Unit]] = {}
    for f in FunctionsList.select(FunctionsList.full_name, FunctionsList.unit):
        if f.full_name:
            by_full.setdefault(label_key(f.full_name), []).append(f.unit_id)

    def resolve(key: str, how: str) -> Unit | None:
        cands = by_key.get(key, [])
        active = [u for u in cands if u.active]
        if active:
            return active[0]
        ids = by_full.get(key, [])
        act = [u for u in all_units if u.id in ids and u.active]
        if act:
            return act[0]
        if cands:
            u = cands[0]
            seen = set()
            while u.merged_into_id and u.id not in seen:
                seen.add(u.id)
                u = Unit.get_by_id(u.merged_into_id)
            if u.active and u.id != cands[0].id:
                warnings.append(f"{how}“{cands[0].name}”已并入“{u.name}”，按“{u.name}”导入")
                return u
            problems.append(f"{how}“{cands[0].name}”已撤销，不能导入。如该单位已恢复，请先在单位列表中恢复")
            return None
        return None

    if text:
        key = label_key(text)
        u = resolve(key, "单位")
        if u is not None or problems:
            return u, problems, warnings
        # 「泉港区民政局」 for the unit listed as 「民政局」: a county/city prefix the list leaves out
        m = re.match(r"^(.{1,8}?[区县市旗])(.+)$", key)
        if m and len(m.group(2)) >= 2:
            u = resolve(m.group(2), "单位")
            if u is not None:
                warnings.append(f"单位“{text}”按“{u.name}”导入")
                return u, problems, warnings
            problems.clear()
        problems.append(f"单位“{text}”不在单位名单中。请核对名称；如是新单位，请先新增该单位再导入")
        return None, problems, warnings
    if stem:
        key = _stem_key(stem)
        u = resolve(key, "文件名中的单位") if key else None
        if u is None and not problems and key:
            hits = [us for k, us in by_key.items() if k and k in key and any(x.active for x in us)]
            if hits:
                best = max(hits, key=lambda us: len(label_key(us[0].name)))
                longest = len(label_key(best[0].name))
                if sum(1 for h in hits if len(label_key(h[0].name)) == longest) == 1:
                    u = next(x for x in best if x.active)
        if u is not None:
            warnings.append(f"“单位（盖章）”一栏没有填写，按文件名认定为“{u.name}”")
            return u, problems, warnings
        if problems:
            return None, problems, warnings
    m = re.search(r"unit=(\d+)", keywords or "")
    if m:
        u = Unit.get_or_none(Unit.id == int(m.group(1)))
        if u is not None and u.active:
            warnings.append(f"“单位（盖章）”一栏没有填写，文件名也不是单位名称；按导出时记录的单位认定为“{u.name}”")
            return u, problems, warnings
    problems.append("无法确定是哪个单位的表格：“单位（盖章）：”后没有填写单位名称，文件名也不是单位名称。"
                    "请在“单位（盖章）：”后填写单位全称")
    return None, problems, warnings


# ---------------------------------------------------------------- comparing

def _row_desc(r: StaffRow) -> str:
    bits = [x for x in (r.post, r.contact, r.remark) if x]
    return f"{r.name}（{'，'.join(bits)}）" if bits else r.name


def staff_changes(before: StaffData, after: StaffData) -> list[Change]:
    out: list[Change] = []
    for group in records.GROUP_ORDER:
        glabel = terms.STAFF_GROUPS[group].label
        b, a = before.group(group), after.group(group)
        bmap = {r.name: r for r in b}
        amap = {r.name: r for r in a}
        for r in a:
            if r.name not in bmap:
                out.append(Change("附件1", glabel, "新增", f"新增 {_row_desc(r)}"))
        for r in b:
            if r.name not in amap:
                out.append(Change("附件1", glabel, "删除", f"删除 {_row_desc(r)}"))
        for r in a:
            old = bmap.get(r.name)
            if old is None or old == r:
                continue
            diffs = [f"{STAFF_LABELS[k]}“{getattr(old, k)}”→“{getattr(r, k)}”"
                     for k in ("post", "contact", "remark") if getattr(old, k) != getattr(r, k)]
            out.append(Change("附件1", glabel, "修改", f"{r.name} " + "；".join(diffs)))
        common_b = [r.name for r in b if r.name in amap]
        common_a = [r.name for r in a if r.name in bmap]
        if common_a != common_b:
            out.append(Change("附件1", glabel, "顺序", "顺序调整为 " + "、".join(r.name for r in a)))
    return out


def _short(text: str, n: int = 30) -> str:
    t = text.replace("\n", " ")
    return t if len(t) <= n else t[:n] + "…"


def functions_changes(before: FunctionsData | None, after: FunctionsData) -> list[Change]:
    out: list[Change] = []
    b = before or FunctionsData()
    for key, label in FUNCTION_FIELDS:
        old, new = getattr(b, key), getattr(after, key)
        if old == new:
            continue
        if not old:
            out.append(Change("附件2", label, "新增", f"填写“{_short(new)}”"))
        elif not new:
            out.append(Change("附件2", label, "删除", f"清空（原为“{_short(old)}”）"))
        elif key in FUNCTION_MULTILINE:
            ob, nb = old.split("\n"), new.split("\n")
            added = sum(1 for p in nb if p not in ob)
            removed = sum(1 for p in ob if p not in nb)
            out.append(Change("附件2", label, "修改", f"原{len(ob)}段，现{len(nb)}段（新增或改写{added}段，删去{removed}段）"))
        else:
            out.append(Change("附件2", label, "修改", f"“{_short(old)}”→“{_short(new)}”"))
    return out


# ---------------------------------------------------------------- one file → one diff

def _where_staff(parsed: _Parsed1, p: Problem) -> str:
    group, idx, fld = p.where
    try:
        return parsed.cells[group][idx][fld]
    except (KeyError, IndexError):
        return ""


def diff_file(path, display: str | None = None) -> UnitDiff:
    """Read one returned workbook and compare it with what the office has. Saves nothing.
    The diff comes back accepted when it has no problems."""
    diff = _diff_file(Path(path), display or Path(path).name)
    diff.accepted = diff.ok
    return diff


def _diff_file(path: Path, display: str) -> UnitDiff:
    diff = UnitDiff(source=path, display=display)
    try:
        sheets, keywords = _load(path, display)
    except ImportError_ as exc:
        diff.problems.extend(exc.problems)
        return diff
    m = re.search(r"round=(\d+)", keywords or "")
    diff.round_id = int(m.group(1)) if m else None
    kinds: dict[str, list[_Sheet]] = {"annex1": [], "annex2": []}
    for s in sheets:
        k = _kind(s)
        if k:
            kinds[k].append(s)
        elif s.cells:
            diff.warnings.append(f"{display}!{s.title}：不是附件一或附件二，已忽略")
    chosen: dict[str, _Sheet | None] = {}
    for k, label in (("annex1", "附件1（工作人员情况表）"), ("annex2", "附件2（工作职能清单）")):
        visible = [s for s in kinds[k] if not s.hidden] or kinds[k]
        if len(visible) > 1:
            diff.problems.append(f"{display}：有{len(visible)}个工作表都是{label}（"
                                 + "、".join(s.title for s in visible) + "），请删去多余的，只留一个")
            chosen[k] = None
        else:
            chosen[k] = visible[0] if visible else None
            for s in kinds[k]:
                if s is not chosen[k]:
                    diff.warnings.append(f"{display}!{s.title}：隐藏的工作表，已忽略")
    s1, s2 = chosen["annex1"], chosen["annex2"]
    if s1 is None and s2 is None and not diff.problems:
        diff.problems.append(f"{display}：文件中没有附件1（工作人员情况表）或附件2（工作职能清单）。"
                             "请使用公开办下发的表格填写")
        return diff
    if diff.problems:
        return diff

    # which unit
    names = []
    for s in (s1, s2):
        if s is None:
            continue
        text, coord = _unit_line(s)
        if text:
            names.append((text, f"{display}!{s.title}!{coord}"))
    if len({label_key(t) for t, _ in names}) > 1:
        diff.problems.append(f"{display}：两张表填写的单位不一致（" + "；".join(f"{w}为“{t}”" for t, w in names) + "）")
        return diff
    unit, ups, uws = match_unit(names[0][0] if names else "", path.stem, keywords)
    where_unit = names[0][1] if names else display
    diff.problems += [f"{where_unit}：{p}" for p in ups]
    diff.warnings += [f"{where_unit}：{w}" for w in uws]
    if unit is not None:
        diff.unit_id, diff.unit_name, diff.unit_version = unit.id, unit.name, unit.version

    # Annex 1
    if s1 is not None:
        p1 = _parse_annex1(s1)
        for coord, msg in p1.located:
            place = f"{display}!{s1.title}!{coord}" if coord else f"{display}!{s1.title}"
            if msg.endswith("#warn"):
                diff.warnings.append(f"{place}：{msg[:-5]}")
            else:
                diff.problems.append(f"{place}：{msg}")
        cl, pl = records.validate_staff_rows("leader", p1.rows["leader"], p1.numbers["leader"])
        cs, ps = records.validate_staff_rows("staff", p1.rows["staff"], p1.numbers["staff"])
        staff = StaffData([r for _, r in cl], [r for _, r in cs])
        for p in pl + ps:
            coord = _where_staff(p1, p)
            place = f"{display}!{s1.title}!{coord}" if coord else f"{display}!{s1.title}"
            (diff.problems if p.is_error else diff.warnings).append(f"{place}：{p.message}")
        for group in records.GROUP_ORDER:
            if not staff.group(group):
                diff.warnings.append(f"{display}!{s1.title}：{terms.STAFF_GROUPS[group].label}一栏没有填写任何人")
        diff.staff_after = staff
    else:
        diff.warnings.append(f"{display}：文件中没有附件1（工作人员情况表），该单位的附件1保持不变")

    # Annex 2
    if s2 is not None:
        p2 = _parse_annex2(s2)
        for coord, msg in p2.located:
            place = f"{display}!{s2.title}!{coord}" if coord else f"{display}!{s2.title}"
            diff.problems.append(f"{place}：{msg}")
        clean, problems = records.validate_functions(p2.data, phone_was_number=p2.phone_number)
        for p in problems:
            coord = p2.cells.get(p.where[1], "")
            place = f"{display}!{s2.title}!{coord}" if coord else f"{display}!{s2.title}"
            (diff.problems if p.is_error else diff.warnings).append(f"{place}：{p.message}")
        diff.functions_after = clean
    else:
        diff.warnings.append(f"{display}：文件中没有附件2（工作职能清单），该单位的附件2保持不变")

    if unit is not None:
        diff.staff_before = units.get_staff(unit)
        diff.functions_before = units.get_functions(unit)
        if diff.staff_after is not None:
            diff.changes += staff_changes(diff.staff_before, diff.staff_after)
        if diff.functions_after is not None:
            diff.changes += functions_changes(diff.functions_before, diff.functions_after)
    return diff


def _is_lock_file(p: Path) -> bool:
    return p.name.startswith(("~$", ".~", "~"))


def collect_files(path) -> tuple[list[Path], list[Path]]:
    """The workbooks to import from a file or a folder (recursively): (files, skipped)."""
    path = Path(path)
    if not path.exists():
        raise ImportError_(f"找不到“{path}”")
    if path.is_file():
        return [path], []
    files, skipped = [], []
    for p in sorted(path.rglob("*")):
        if not p.is_file() or _is_lock_file(p) or p.name.startswith("."):
            continue
        if p.suffix.lower() in XLSX_SUFFIXES + OLD_FORMATS:
            files.append(p)
        else:
            skipped.append(p)
    if len(files) > MAX_FILES:
        raise ImportError_(f"文件夹“{path}”中有{len(files)}个表格文件，超过上限{MAX_FILES}个，请分批导入")
    return files, skipped


def diff_paths(path, progress=None, cancelled=None) -> list[UnitDiff]:
    """Read a file or every xlsx in a folder; compare; mark units returned twice. Saves nothing."""
    root = Path(path)
    files, _skipped = collect_files(root)
    diffs: list[UnitDiff] = []
    for i, f in enumerate(files):
        if cancelled and cancelled():
            break
        display = str(f.relative_to(root)) if root.is_dir() else f.name
        diffs.append(diff_file(f, display))
        if progress:
            progress(i + 1, len(files))
    by_unit: dict[int, list[UnitDiff]] = {}
    for d in diffs:
        if d.unit_id is not None:
            by_unit.setdefault(d.unit_id, []).append(d)
    for uid, ds in by_unit.items():
        if len(ds) > 1:
            names = "、".join(d.display for d in ds)
            for d in ds:
                d.problems.append(f"{d.display}：“{d.unit_name}”有{len(ds)}个文件（{names}），请只保留一个再导入")
                d.accepted = False
    return diffs


# ---------------------------------------------------------------- saving

def apply(diffs: list[UnitDiff], actor: Actor, rnd=None, *, record_problems: bool = False,
          returned_at: dt.datetime | None = None) -> ApplyResult:
    """Save the accepted diffs in ONE transaction (all or nothing) and record each as returned
    in ``rnd`` (default: the round the file was sent out in if still open, else the latest
    open round; ``False``: record no returns). Rejected diffs change nothing. With
    ``record_problems`` the files that had problems are recorded as 有问题 in the round."""
    from gkdesk.forms import rounds

    require(actor, units.EDIT_ROLES, "导入附件一、附件二")
    accepted = [d for d in diffs if d.accepted]
    bad = [d for d in accepted if not d.ok]
    if bad:
        msgs = [p for d in bad for p in (d.problems or [f"{d.display}：无法确定单位"])]
        raise ValidationError(f"“{bad[0].display}”有问题，不能保存：{msgs[0]}", None, msgs)
    result = ApplyResult()

    def round_for(d: UnitDiff):
        if rnd is False:
            return None
        if rnd is not None:
            return rounds.get_round(rnd)
        if d.round_id:
            r = rounds.round_by_id(d.round_id)
            if r is not None and not r.closed:
                return r
        return rounds.open_round()

    with write_transaction():
        for d in accepted:
            changed = units.apply_import(d.unit_id, d.unit_version, d.staff_after, d.functions_after,
                                         actor, d.display)
            (result.saved if changed else result.unchanged).append(d.unit_name)
            r = round_for(d)
            if r is not None:
                rounds.record_return(r, d.unit_id, actor, ok=True, source_file=str(d.source),
                                     returned_at=returned_at)
                result.returns_recorded += 1
        if record_problems:
            for d in diffs:
                if d.accepted or d.unit_id is None or not d.problems:
                    continue
                r = round_for(d)
                if r is not None:
                    rounds.record_return(r, d.unit_id, actor, ok=False, problems=d.problems,
                                         source_file=str(d.source), returned_at=returned_at)
                    result.problems_recorded += 1
    return result
