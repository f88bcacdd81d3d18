"""Reading a task-breakdown table (工作任务分解表 / 分工表) from .xlsx or .docx, as an office
pastes it, into ``ParsedTask`` rows. Nothing is written here (see ``service.save_import``).

The three layouts of the seeds are read by their header words, wherever the header row is
(a title above it, a second table repeating it after a page break):

- 工作任务 | 牵头单位 | 责任单位 | 工作要求 — tasks numbered 「1.」 inside the task cell,
  headings 「一、…」 「（一）…」 on rows of their own (a merged row repeats its text);
- 序号 | 工作任务 | 具体事项 | 责任股室 | 指导单位 | 完成时间 — and
- 序号 | 工作任务 | 具体事项 | 牵头股室 | 协办股室 | 完成时间 — items 「（1）（2）」 across
  rows of one task, the 序号 and 工作任务 cells blank (or merged) below the task's first row.

A cell left blank under a task's first row takes the value above it within the same task
(in layouts with 具体事项). Units are kept as written; ``unitphrase`` resolves them later.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gkdesk import xlsxkit
from gkdesk.errors import ImportError_
from gkdesk.tasks import dates

# header words (spaces removed) → column role
HEADER_WORDS: dict[str, str] = {
    "序号": "number", "编号": "number",
    "工作任务": "title", "主要任务": "title", "任务": "title",
    "具体事项": "item", "工作事项": "item", "具体任务": "item", "具体内容": "item",
    "牵头单位": "lead", "牵头股室": "lead", "牵头部门": "lead",
    "责任单位": "responsible", "责任股室": "responsible", "责任部门": "responsible",
    "协办股室": "responsible", "协办单位": "responsible", "配合单位": "responsible",
    "指导单位": "guide",
    "完成时间": "deadline", "完成时限": "deadline", "时间要求": "deadline", "完成期限": "deadline",
    "时间进度": "deadline",
    "工作要求": "requirement", "要求": "requirement", "工作措施": "requirement",
}
_H1 = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")
_H2 = re.compile(r"^[(（]\s*[一二三四五六七八九十]+\s*[)）]")
_TASK_NO = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*")
_ITEM_NO = re.compile(r"^\s*([(（]\s*\d{1,3}\s*[)）])\s*")
_JUNK = re.compile(r"^[-—–_=·.。\s|]*$")


@dataclass(frozen=True)
class ParsedTask:
    where: str                 # 「表1第3行」 / 「工作表“Sheet1”第5行」
    number: str
    item_number: str
    heading: str
    title: str
    item: str
    lead_text: str
    responsible_text: str
    guide_text: str
    requirement: str
    deadline_text: str         # the 完成时间 cell as written ('' when the table has none)
    due: dates.DuePhrase
    due_source: str            # 完成时间 / 工作要求 / 默认 / ''

    @property
    def label(self) -> str:
        """「1（2）梳理规范公共服务清单…」 — how lists name the task."""
        no = f"{self.number}{self.item_number}"
        return f"{no} {self.item or self.title}".strip()


@dataclass
class ReadTable:
    """Rows of one table as text, and where they came from."""

    name: str                               # 「表1」 / 「工作表“分解表”」
    rows: list[list[str]]
    before: list[str] = field(default_factory=list)   # text above the table (title lines)


def _clean(v) -> str:
    if v is None:
        return ""
    if hasattr(v, "strftime"):
        return f"{v.year}年{v.month}月{v.day}日"
    s = str(v).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return "\n".join(line.strip() for line in s.split("\n")).strip()


# a breakdown table is a few hundred rows: refuse anything far bigger (a zip bomb) unopened
TABLE_LIMITS = xlsxkit.Limits(20 * 1048576, 200 * 1048576, "任务分解表不会这么大，")


def read_xlsx(path: Path) -> list[ReadTable]:
    import openpyxl

    # not read-only: the merged cells of a pasted table are needed
    xlsxkit.check_container(path, f"文件“{path.name}”", TABLE_LIMITS)
    try:
        wb = openpyxl.load_workbook(path, data_only=True, keep_links=False)
    except Exception as exc:
        raise ImportError_(f"文件“{path.name}”无法作为 Excel 工作簿打开（{type(exc).__name__}），"
                           "请确认是 .xlsx 文件且没有损坏") from None
    out = []
    for ws in wb.worksheets:
        grid = [[_clean(c) for c in row] for row in ws.iter_rows(values_only=True)]
        for rng in ws.merged_cells.ranges:
            top = _clean(ws.cell(rng.min_row, rng.min_col).value)
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                        grid[r - 1][c - 1] = top
        out.append(ReadTable(f"工作表“{ws.title}”", grid))
    return out


def read_docx(path: Path) -> list[ReadTable]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        d = docx.Document(str(path))
    except Exception as exc:
        raise ImportError_(f"文件“{path.name}”无法作为 Word 文档打开（{type(exc).__name__}），"
                           "请确认是 .docx 文件（.doc 请先另存为 .docx）且没有损坏") from None
    out: list[ReadTable] = []
    before: list[str] = []
    n = 0
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, d).text.strip()
            if text:
                before.append(text)
        elif tag == "tbl":
            n += 1
            t = Table(child, d)
            rows = [[_clean(c.text) for c in row.cells] for row in t.rows]
            out.append(ReadTable(f"表{n}", rows, before[-5:]))
            before = []
    return out


def read_tables(path: str | Path) -> list[ReadTable]:
    path = Path(path)
    if not path.is_file():
        raise ImportError_(f"找不到文件“{path}”")
    suffix = path.suffix.lower()
    head = path.read_bytes()[:4]
    if head != b"PK\x03\x04":
        raise ImportError_(f"文件“{path.name}”不是 .xlsx 或 .docx 文件（内容不是 Office Open XML）。"
                           "WPS/Excel/Word 中请“另存为” .xlsx 或 .docx 后再导入")
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix == ".docx":
        return read_docx(path)
    raise ImportError_(f"文件“{path.name}”：只能导入 .xlsx 或 .docx 格式的任务分解表")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _header(row: list[str]) -> dict[str, int] | None:
    cols: dict[str, int] = {}
    for i, cell in enumerate(row):
        role = HEADER_WORDS.get(_key(cell))
        if role and role not in cols:
            cols[role] = i
        elif role == "responsible" and "responsible" in cols and "responsible2" not in cols:
            cols["responsible2"] = i
    if "title" in cols and len(cols) >= 3 and ({"lead", "responsible"} & set(cols)):
        return cols
    return None


def _heading_text(row: list[str]) -> str | None:
    """The text of a heading row (「一、…」 「（一）…」 alone on its row, or merged across)."""
    values = [c for c in row if c.strip()]
    if not values or len(set(values)) != 1:
        return None
    text = values[0].strip()
    if _H1.match(text) or _H2.match(text):
        return text
    return None


def parse_tables(tables: list[ReadTable], year: int | None = None, default_due: str = "",
                 source_name: str = "") -> tuple[list[ParsedTask], int | None, list[str]]:
    """(tasks, the table's year, warnings). Raises ImportError_ when no table is found."""
    found_header = False
    tasks: list[ParsedTask] = []
    warnings: list[str] = []
    raw: list[tuple] = []           # (table, row index, cols, cells) of task rows
    title_text: list[str] = [source_name]
    for t in tables:
        cols = None
        for i, row in enumerate(t.rows):
            h = _header(row)
            if h is not None:
                cols = h
                found_header = True
                continue
            if cols is None:
                title_text.extend(c for c in row if c)
                continue
            raw.append((t, i, cols, row))
        title_text.extend(t.before)
    if not found_header:
        raise ImportError_(
            f"文件“{source_name}”中没有找到任务分解表：表头应有“工作任务”列，以及“牵头单位/责任单位/"
            "责任股室/牵头股室”等列", problems=[
                f"文件“{source_name}”中没有找到任务分解表：表头应有“工作任务”列，以及“牵头单位/责任单位/"
                "责任股室/牵头股室”等列"])
    if year is None:
        for text in title_text:
            year = dates.year_in(text)
            if year:
                break
    if year is None:
        for _t, _i, cols, row in raw:
            if "deadline" in cols and cols["deadline"] < len(row):
                year = dates.year_in(row[cols["deadline"]])
                if year:
                    break
    if year is None:
        msg = "无法确定任务分解表的年度（标题和完成时间中都没有年份），请指定年度（--year 2026）"
        raise ImportError_(msg, problems=[msg])

    h1 = h2 = ""
    cur_no = cur_title = ""
    carried: dict[str, str] = {}
    for t, i, cols, row in raw:
        def cell(role: str) -> str:
            j = cols.get(role)  # noqa: B023 - cell() is called within this iteration only
            return row[j].strip() if j is not None and j < len(row) else ""  # noqa: B023

        where = f"{t.name}第{i + 1}行"
        if all(not c.strip() or _JUNK.match(c) for c in row):
            continue
        heading = _heading_text(row)
        if heading is not None:
            if _H1.match(heading):
                h1, h2 = heading, ""
            else:
                h2 = heading
            cur_no = cur_title = ""
            continue
        number, title, item = cell("number"), cell("title"), cell("item")
        if not number and title:
            m = _TASK_NO.match(title)
            if m:
                number, title = m.group(1), title[m.end():].strip()
        if number and _key(number) == "序号":
            continue
        new_task = bool(number and number != cur_no) or bool(title and title != cur_title)
        if new_task:
            cur_no = number or ("" if title != cur_title else cur_no)
            cur_title = title or cur_title
            carried = {}
        if not cur_title:
            if any(c.strip() for c in row):
                warnings.append(f"{where}：没有工作任务，已跳过（{'｜'.join(c for c in row if c)[:40]}）")
            continue
        item_no = ""
        if item:
            m = _ITEM_NO.match(item)
            if m:
                item_no, item = re.sub(r"\s+", "", m.group(1)).replace("(", "（").replace(")", "）"), \
                    item[m.end():].strip()
        values = {}
        for role in ("lead", "responsible", "guide", "deadline", "requirement"):
            v = cell(role)
            if role == "responsible" and cols.get("responsible2") is not None:
                j = cols["responsible2"]
                extra = row[j].strip() if j < len(row) else ""
                v = "、".join(x for x in (v, extra) if x)
            if not v and "item" in cols and role in carried:
                v = carried[role]       # blank under the task's first row: same as above
            values[role] = v
        if "item" in cols:
            carried = {k: v for k, v in values.items() if v}
        deadline_text = values["deadline"]
        if deadline_text:
            due, source = dates.parse(deadline_text, year), "完成时间"
            if not due.understood:
                warnings.append(f"{where}：完成时间“{deadline_text}”未能识别，按无固定期限处理")
        else:
            found = dates.find_in_text(values["requirement"], year)
            if found is not None and found.kind != "workdays":
                due, source = found, "工作要求"
            elif default_due:
                due, source = dates.parse(default_due, year), "默认"
            else:
                due, source = dates.DuePhrase("", "none"), ""
        tasks.append(ParsedTask(where, cur_no, item_no, "\n".join(x for x in (h1, h2) if x), cur_title, item,
                                values["lead"], values["responsible"], values["guide"], values["requirement"],
                                deadline_text, due, source))
    if not tasks:
        msg = f"文件“{source_name}”的任务分解表中没有任务行"
        raise ImportError_(msg, problems=[msg] + warnings)
    return tasks, year, warnings
