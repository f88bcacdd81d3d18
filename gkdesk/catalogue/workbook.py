"""Reading a catalogue workbook in the published layout (an upstream guidance workbook, or
what a unit returns). Saves nothing.

    序号 | 公开事项        | 公开内容 | 公开依据 | 公开时限 | 公开主体 | 公开渠道 | 公开对象        | 公开方式      | 公开层级    | 备注
         | 一级事项 | 二级事项 | （要素） |          |          |          | 和载体   | 全社会 | 特定群体 | 主动 | 依申请 | 县级 | 乡级 |

Nothing is read from fixed coordinates: the header is found by its words (two rows, merged
or not, in any column order; an inserted column is ignored with a warning), the field by
a 领域 column, the title above the header, the sheet name or the caller's default; items
of one 一级事项 merged down (or left blank below the first, as when pasted) take the
一级事项 above; any merged cell gives its value to every cell it covers. Marks typed as
√ ■ ✓ 是 (or left blank, ×, 否) are read by ``gkdesk.domain.catalogue.read_mark``; anything
else is a problem naming the cell. The container is checked first by the Annex import's
safety checks (gkdesk.xlsxkit: size, zip bomb, old formats, encrypted files); formulas are never evaluated.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from gkdesk.catalogue.items import ItemData, field_code, field_in, field_labels, validate
from gkdesk import xlsxkit
from gkdesk.domain import catalogue as dom
from gkdesk.errors import ImportError_
from gkdesk.forms.records import cell_text, clean_multiline, label_key

MAX_FILLED_ROWS = 5000
MAX_COLUMNS = 100
# a county's catalogue of one field has tens to a few hundred rows
LIMITS = xlsxkit.Limits(10 * 1024 * 1024, 50 * 1024 * 1024, "标准目录表格不会这么大，")

# sub-column headings (the second header row)
SUB_ALIASES: dict[str, tuple[str, ...]] = {
    "level1": ("一级事项", "一级", "事项名称"),
    "level2": ("二级事项", "二级"),
    "audience_public": ("全社会",),
    "audience_specific": ("特定群体", "特定对象"),
    "mode_proactive": ("主动", "主动公开"),
    "mode_request": ("依申请", "依申请公开"),
    "level_county": ("县级", "区级", "县(区)级", "县(市、区)级", "县(市)级", "县区级", "市级"),
    "level_township": ("乡级", "乡镇级", "乡(镇)级", "镇级", "乡(镇、街道)级", "乡镇(街道)级", "镇(街道)级",
                       "街道级"),
}
TOP_ALIASES: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号序号"),
    "field": ("领域", "所属领域", "公开领域"),
    "level1": ("公开事项", "事项", "事项名称", "公开事项名称"),
    "content": ("公开内容(要素)", "公开内容", "公开要素", "公开内容要素"),
    "basis": ("公开依据", "依据"),
    "time_limit": ("公开时限", "时限"),
    "subject": ("公开主体", "主体"),
    "channel": ("公开渠道和载体", "公开渠道及载体", "公开渠道", "公开载体", "渠道和载体"),
    "audience": ("公开对象",),
    "mode": ("公开方式",),
    "level": ("公开层级",),
    "remark": ("备注",),
    "status": ("变动情况", "与指引对比", "变动类型", "对照指引"),
    "reason": ("变动原因", "删改原因", "变动原因(删除或修改必填)", "修改或删除原因", "原因"),
    "item_id": ("编号(请勿修改)", "事项编号", "编号"),
}
STATUS_WORDS: dict[str, str] = {"保留": "keep", "不变": "keep", "修改": "change", "变更": "change",
                                "调整": "change", "删除": "delete", "删减": "delete", "取消": "delete",
                                "新增": "add", "增加": "add"}
UNIT_PREFIXES = ("填报单位", "编制单位", "单位(盖章)", "单位(公章)", "单位名称", "报送单位")
FOOTER_PREFIXES = ("注:", "注：", "填表人", "填报人", "审核人", "填表日期", "填报日期", "说明:", "联系人")


@dataclass
class ParsedRow:
    sheet: str
    row: int
    data: ItemData
    cells: dict[str, str]              # fact or mark key → coordinate
    status: str = ""                   # keep/change/delete/add typed in 变动情况, or ""
    reason: str = ""
    item_id: int | None = None
    seq: str = ""

    @property
    def where(self) -> str:
        return f"{self.sheet}!第{self.row}行"


@dataclass
class ParsedBook:
    display: str
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unit_text: str = ""
    unit_place: str = ""
    keywords: str = ""
    extra_columns: list[str] = field(default_factory=list)

    def place(self, sheet: str, coord: str = "") -> str:
        return f"{self.display}!{sheet}!{coord}" if coord else f"{self.display}!{sheet}"


def _coord(r: int, c: int) -> str:
    return f"{get_column_letter(c)}{r}"


def _key(text) -> str:
    return label_key(unicodedata.normalize("NFKC", str(text or "")))


_SUB = {label_key(a): k for k, aliases in SUB_ALIASES.items() for a in aliases}
_TOP = {label_key(a): k for k, aliases in TOP_ALIASES.items() for a in aliases}


@dataclass
class _Cell:
    value: object
    formula: bool
    merged_from: tuple[int, int] | None = None   # the top-left cell of the merged range


def _load(path: Path, display: str) -> tuple[list[tuple[str, dict[tuple[int, int], _Cell], bool]], str]:
    import openpyxl

    xlsxkit.check_container(path, display, LIMITS)
    try:  # not read-only: the merged ranges are part of the layout
        wb = openpyxl.load_workbook(path, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise ImportError_(f"{display}：文件已损坏或不是有效的 xlsx，无法读取（{type(exc).__name__}：{exc}）") from None
    out = []
    try:
        keywords = (wb.properties.keywords or "") if wb.properties else ""
        for ws in wb.worksheets:
            cells: dict[tuple[int, int], _Cell] = {}
            filled = set()
            for row in ws.iter_rows():
                for c in row:
                    v = c.value
                    if v is None or (isinstance(v, str) and not v.strip()):
                        continue
                    if c.column > MAX_COLUMNS:
                        continue
                    formula = c.data_type == "f" or (isinstance(v, str) and v.startswith("=") and len(v) > 1) \
                        or type(v).__name__ in ("ArrayFormula", "DataTableFormula")
                    cells[(c.row, c.column)] = _Cell(v, formula)
                    filled.add(c.row)
                    if len(filled) > MAX_FILLED_ROWS:
                        raise ImportError_(f"{display}!{ws.title}：工作表填写的行数超过{MAX_FILLED_ROWS}行，已拒绝。"
                                           "请检查是否发错了文件")
            for rng in ws.merged_cells.ranges:
                top = cells.get((rng.min_row, rng.min_col))
                if top is None:
                    continue
                for r in range(rng.min_row, min(rng.max_row, rng.min_row + MAX_FILLED_ROWS) + 1):
                    for cc in range(rng.min_col, min(rng.max_col, MAX_COLUMNS) + 1):
                        if (r, cc) != (rng.min_row, rng.min_col):
                            cells[(r, cc)] = _Cell(top.value, top.formula, (rng.min_row, rng.min_col))
            out.append((ws.title, cells, ws.sheet_state != "visible"))
    except ImportError_:
        raise
    except Exception as exc:
        raise ImportError_(f"{display}：文件已损坏，读取时出错（{type(exc).__name__}：{exc}）") from None
    finally:
        wb.close()
    return out, keywords


def _text(cells, r, c) -> str:
    cell = cells.get((r, c))
    if cell is None or cell.formula:
        return ""
    v = cell.value
    if isinstance(v, str):
        return clean_multiline(v)
    return cell_text(v)


def _find_header(cells) -> int | None:
    for (r, c) in sorted(cells):
        k = _key(cells[(r, c)].value)
        if _TOP.get(k) == "content" or k.startswith("公开内容"):
            # a header row also names at least two other columns
            names = {_TOP.get(_key(cells[(r, cc)].value)) for (rr, cc) in cells if rr == r}
            if len(names - {None}) >= 3:
                return r
    return None


def _unit_line(cells, header: int) -> tuple[str, str]:
    for (r, c) in sorted(cells):
        if r >= header:
            break
        cell = cells[(r, c)]
        if cell.merged_from or not isinstance(cell.value, str):
            continue
        k = _key(cell.value)
        prefix = next((p for p in UNIT_PREFIXES if k.startswith(label_key(p))), None)
        if prefix is None:
            continue
        text = unicodedata.normalize("NFKC", cell.value.strip())
        cut = [i for i in (text.find(":"),) if i >= 0]
        rest = text[cut[0] + 1:] if cut else re.sub(r"\s+", "", text)[len(label_key(prefix)):]
        rest = re.sub(r"[(（]\s*(?:盖章|公章|印章|章)\s*[)）]", "", rest).strip()
        rest = re.split(r"\s{2,}|\u3000", rest.strip())[0] if rest.strip() else ""
        if not rest:
            nxt = [cc for (rr, cc) in sorted(cells) if rr == r and cc > c]
            if nxt:
                return _text(cells, r, nxt[0]), _coord(r, nxt[0])
        return rest, _coord(r, c)
    return "", ""


def _is_footer(cells, r: int, cols: list[int]) -> bool:
    for c in cols:
        cell = cells.get((r, c))
        if cell is None or not isinstance(cell.value, str):
            continue
        t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell.value))
        if t == "注" or t.startswith(tuple(unicodedata.normalize("NFKC", p) for p in FOOTER_PREFIXES)):
            return True
    return False


def read_workbook(path, display: str | None = None, *, default_field: str | None = None) -> ParsedBook:
    """Every item of every sheet in the published layout; problems name file, sheet, cell."""
    path = Path(path)
    book = ParsedBook(display or path.name)
    try:
        sheets, book.keywords = _load(path, book.display)
    except ImportError_ as exc:
        book.problems.extend(exc.problems)
        return book
    labels = field_labels()
    default_code = field_code(default_field, labels) if default_field else None
    if default_field and default_code is None:
        book.problems.append(f"领域“{default_field}”不是已知的领域，请选择26个领域之一，或先新增该领域")
        return book
    found_any = False
    for title, cells, hidden in sheets:
        if not cells:
            continue
        header = _find_header(cells)
        if header is None:
            if not hidden:
                book.warnings.append(f"{book.place(title)}：不是标准目录表格（找不到“公开内容”等表头），已忽略")
            continue
        if hidden:
            book.warnings.append(f"{book.place(title)}：隐藏的工作表，已忽略")
            continue
        found_any = True
        _read_sheet(book, title, cells, header, labels, default_code)
    if not found_any and not book.problems:
        book.problems.append(f"{book.display}：文件中没有标准目录表格（找不到“公开事项”“公开内容（要素）”等表头）。"
                             "请使用公布的标准目录格式")
    return book


def _read_sheet(book: ParsedBook, title: str, cells, header: int, labels, default_code) -> None:
    if not book.unit_text:
        text, coord = _unit_line(cells, header)
        if text:
            book.unit_text, book.unit_place = text, book.place(title, coord)
    row_cols = sorted(cc for (rr, cc) in cells if rr == header)
    sub_row = header + 1
    sub_keys = {_SUB.get(_key(cells[(sub_row, cc)].value)) for (rr, cc) in cells if rr == sub_row}
    two_rows = bool(sub_keys - {None})
    last_header = sub_row if two_rows else header
    cols: dict[str, int] = {}
    group_cols: dict[str, int] = {}        # a mark group typed as words in one column
    all_cols = sorted({cc for (rr, cc) in cells if header <= rr <= last_header})
    for c in all_cols:
        top = _key(cells[(header, c)].value) if (header, c) in cells else ""
        sub = _key(cells[(sub_row, c)].value) if two_rows and (sub_row, c) in cells else ""
        k = _SUB.get(sub) if sub and sub != top else None
        if k is None:
            k = _TOP.get(top) or (_TOP.get(sub) if sub else None)
            if k is None and (top.startswith("变动原因") or sub.startswith("变动原因")):
                k = "reason"
            if k is None and top.startswith("编号"):
                k = "item_id"
        if k in ("audience", "mode", "level"):
            group_cols.setdefault(k, c)
            continue
        if k is None:
            name = cell_text(cells[(header, c)].value) if (header, c) in cells else cell_text(
                cells[(sub_row, c)].value)
            book.warnings.append(f"{book.place(title, _coord(header, c))}：“{name[:20]}”不是标准目录的栏目，该列已忽略")
            book.extra_columns.append(name)
            continue
        if k not in cols:
            cols[k] = c
    for g in dom.MARK_GROUPS:
        if all(m.key in cols for m in g.marks):
            group_cols.pop(g.key, None)
    missing = [f.label for f in dom.TEXT_FACTS if f.required and f.key not in cols]
    missing += [g.label for g in dom.MARK_GROUPS if g.required and g.key not in group_cols
                and not any(m.key in cols for m in g.marks)]
    if missing:
        book.problems.append(f"{book.place(title, _coord(header, row_cols[0] if row_cols else 1))}：表头找不到"
                             + "、".join(f"“{m}”" for m in missing) + "列，请按公布的标准目录格式填写")
        return
    # the field of the sheet: title rows above the header, else the sheet name, else the default
    sheet_field = None
    for (r, c) in sorted(cells):
        if r >= header:
            break
        if isinstance(cells[(r, c)].value, str) and cells[(r, c)].merged_from is None:
            sheet_field = sheet_field or field_in(cells[(r, c)].value, labels)
    sheet_field = sheet_field or field_code(title, labels) or field_in(title, labels) or default_code
    data_cols = sorted(set(cols.values()) | set(group_cols.values()))
    prev_level1 = ""
    current_field = sheet_field
    rows_seen = sorted({r for (r, _) in cells if r > last_header})
    for r in rows_seen:
        if _is_footer(cells, r, [c for (rr, c) in cells if rr == r]):
            break
        values = {k: _text(cells, r, c) for k, c in cols.items()}
        # a row that names a field across the table (「一、社会救助」) switches the field
        texts = {_text(cells, r, c) for c in data_cols} - {""}
        if len(texts) == 1 and not any(values.get(k) for k in ("content", "basis")):
            only = next(iter(texts))
            fc = field_in(only, labels)
            if fc is not None and len(only) <= 30:
                current_field = fc
                continue
        # a repeated header row (pasted twice)
        if _key(values.get("content", "")).startswith("公开内容"):
            continue
        for fk, c in cols.items():
            cell = cells.get((r, c))
            if cell is not None and cell.formula and cell.merged_from is None:
                book.problems.append(f"{book.place(title, _coord(r, c))}：{dom.FACT_LABELS.get(fk, fk)}是公式"
                                     f"（{str(cell.value)[:40]}），请直接填写内容，不要用公式")
        meaningful = [k for k in ("level2", "content", "basis", "time_limit", "subject", "channel")
                      if values.get(k)]
        if not meaningful and not values.get("level1"):
            continue
        level1 = values.get("level1", "")
        if not level1 and prev_level1 and meaningful:
            level1 = prev_level1          # merged down, or left blank below the first row
        prev_level1 = level1 or prev_level1
        data = ItemData(level1=level1)
        where: dict[str, str] = {}
        for k in dom.TEXT_KEYS:
            if k in cols:
                setattr(data, k, values.get(k, "") if k != "level1" else level1)
                where[k] = _coord(r, cols[k])
        for g in dom.MARK_GROUPS:
            if g.key in group_cols:
                c = group_cols[g.key]
                t = _text(cells, r, c)
                where[g.key] = _coord(r, c)
                for m in g.marks:
                    setattr(data, m.key, m.label in t)
                    where[m.key] = _coord(r, c)
                if t and not any(m.label in t for m in g.marks) and dom.read_mark(t) is None:
                    book.problems.append(f"{book.place(title, _coord(r, c))}：{g.label}“{t[:20]}”应为"
                                         + "或".join(f"“{m.label}”" for m in g.marks))
                continue
            for m in g.marks:
                if m.key not in cols:
                    continue
                c = cols[m.key]
                where[m.key] = _coord(r, c)
                where.setdefault(g.key, _coord(r, c))
                t = _text(cells, r, c)
                got = dom.read_mark(t)
                if got is None:
                    book.problems.append(f"{book.place(title, _coord(r, c))}：{g.label}（{m.label}）“{t[:20]}”"
                                         f"不是勾选标记，请填“{dom.MARK_OUT}”（或“■”“是”），不适用的留空")
                    got = False
                setattr(data, m.key, got)
        fcode = current_field
        if "field" in cols:
            ftext = values.get("field", "")
            where["field"] = _coord(r, cols["field"])
            if ftext:
                fcode = field_code(ftext, labels) or field_in(ftext, labels)
                if fcode is None:
                    book.problems.append(f"{book.place(title, where['field'])}：领域“{ftext[:20]}”不是已知的领域，"
                                         "请填写26个领域之一，或先在 gkdesk 中新增该领域")
                    continue
        if fcode is None:
            book.problems.append(f"{book.place(title, _coord(r, data_cols[0]))}：无法确定这一行属于哪个领域："
                                 "表格标题和工作表名称中都没有领域名称。请在标题中写明领域（如“社会救助领域”），"
                                 "或导入时指定领域")
            continue
        data.field = fcode
        pr = ParsedRow(title, r, data, where, seq=values.get("seq", ""), reason=values.get("reason", ""))
        st = values.get("status", "")
        if st:
            pr.status = STATUS_WORDS.get(_key(st), "")
            if not pr.status:
                book.problems.append(f"{book.place(title, _coord(r, cols['status']))}：变动情况“{st[:10]}”应为"
                                     "“保留”“修改”“删除”或“新增”")
        raw_id = values.get("item_id", "")
        if raw_id:
            m = re.fullmatch(r"[A-Za-z]*-?(\d+)", raw_id.replace(" ", ""))
            if m:
                pr.item_id = int(m.group(1))
            else:
                book.warnings.append(f"{book.place(title, _coord(r, cols['item_id']))}：编号“{raw_id[:20]}”"
                                     "无法识别，按事项名称对照")
        book.rows.append(pr)


def guidance_problems(book: ParsedBook) -> list[str]:
    """Every problem of a guidance workbook: the reading ones and each item's missing or
    wrong facts, by cell (``指引.xlsx!社会救助!F8：“…”的公开时限：必须填写…``)."""
    labels = field_labels()
    problems = list(book.problems)
    for row in book.rows:
        clean, ps = validate(row.data, labels)
        problems += [f"{book.display}!{row.sheet}!{row.cells.get(k) or f'第{row.row}行'}：“{clean.name(labels)}”的{m}"
                     for k, m in ps]
    return problems
