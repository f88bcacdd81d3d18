"""The small markup a rendered template is written in, and its parser.

One block per line; a line without ``@`` is a body paragraph. Values filled into a
template never start a markup line: their newlines arrive as U+2028 (see templates.py),
which the layout treats as a line break inside the block.

    @title 政府信息公开申请答复书     title, 小标宋 22 pt, centred (wraps)
    @number 某政办依复〔2026〕12号     document number, centred under the title
    @to 张三：                        salutation, no indent
    @h1 一、申请内容                  first-level heading (黑体)
    @h2 （一）……                      second-level heading (楷体)
    @p 文字 / 文字                    body paragraph, first line indented two characters
    @noindent 文字                    paragraph without indent
    @center 文字 / @right 文字        centred / right-aligned lines
    @blank [N]                        N empty lines (default 1)
    @sign 机关名称 | 2026年11月23日    office name centred over the date, seal position
    @note （联系人：…）               附注 under the date, indented two characters
    @cols 7,21                        column widths in characters for the rows that follow
    @row 标签 | 内容                  a table row; @row{3} makes it at least 3 lines tall
    @pagebreak                        start a new page
    @table NAME                       a whole table handed in by name (tables.py), e.g. the
                                      annual report's table3; unknown names are refused
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from gkdesk.errors import TemplateError

BREAK = "\u2028"   # a line break inside one block (from filled-in values)

KINDS = ("title", "number", "to", "h1", "h2", "p", "noindent", "center", "right", "blank",
         "sign", "note", "cols", "row", "pagebreak", "table")


@dataclass
class Block:
    kind: str
    text: str = ""
    cells: list[str] = field(default_factory=list)
    count: int = 1            # blank: lines; row: minimum lines
    widths: list[int] = field(default_factory=list)  # cols
    line: int = 0             # source line (1-based) of the rendered text
    grid: object = None       # table: the tables.Grid laid in (attach_tables)


_HEAD = re.compile(r"^@([a-z][a-z0-9]*)(?:\{(\d+)\})?(?:\s+|$)(.*)$")


def parse(text: str) -> list[Block]:
    blocks: list[Block] = []
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        stripped = line.lstrip()
        if not stripped.startswith("@"):
            blocks.append(Block("p", stripped, line=lineno))
            continue
        m = _HEAD.match(stripped)
        if not m or m.group(1) not in KINDS:
            word = stripped.split()[0]
            raise TemplateError(f"模板第{lineno}行：未知的排版标记“{word}”。可用的标记：" +
                                "、".join("@" + k for k in KINDS), field=word)
        kind, num, rest = m.group(1), m.group(2), m.group(3).strip()
        if kind == "blank":
            try:
                n = int(rest) if rest else 1
            except ValueError:
                raise TemplateError(f"模板第{lineno}行：@blank 后应为空行数（整数）", field="@blank") from None
            blocks.append(Block("blank", count=max(0, n), line=lineno))
        elif kind == "pagebreak":
            blocks.append(Block("pagebreak", line=lineno))
        elif kind == "table":
            if not rest:
                raise TemplateError(f"模板第{lineno}行：@table 后应写表格名称，如“@table table3”", field="@table")
            blocks.append(Block("table", rest, line=lineno))
        elif kind == "cols":
            try:
                widths = [int(x) for x in re.split(r"[,，\s]+", rest) if x]
            except ValueError:
                widths = []
            if not widths or sum(widths) > 28 or min(widths) < 1:
                raise TemplateError(f"模板第{lineno}行：@cols 应为各列字数，以逗号分隔，合计不超过28",
                                    field="@cols")
            blocks.append(Block("cols", widths=widths, line=lineno))
        elif kind == "row":
            cells = [c.strip() for c in rest.split("|")]
            blocks.append(Block("row", cells=cells, count=int(num) if num else 1, line=lineno))
        elif kind == "sign":
            parts = [c.strip() for c in rest.split("|")]
            if len(parts) != 2:
                raise TemplateError(f"模板第{lineno}行：@sign 应写作“@sign 机关名称 | 日期”", field="@sign")
            blocks.append(Block("sign", cells=parts, line=lineno))
        else:
            blocks.append(Block(kind, rest, line=lineno))
    return blocks


def attach_tables(blocks: list[Block], grids: dict) -> list[Block]:
    """Hand each ``@table NAME`` block its grid; a name not in ``grids`` is refused."""
    for b in blocks:
        if b.kind == "table":
            g = grids.get(b.text)
            if g is None:
                raise TemplateError(f"模板第{b.line}行：没有名为“{b.text}”的表格。可用：" + "、".join(grids),
                                    field=f"@table {b.text}")
            b.grid = g
    return blocks


def plain_lines(blocks: list[Block]) -> list[str]:
    """The text of the blocks as plain lines (for .docx checks and text views)."""
    out: list[str] = []
    for b in blocks:
        if b.kind in ("blank", "pagebreak", "cols"):
            continue
        if b.kind == "table":
            if b.grid is not None:
                from gkdesk.documents.tables import place

                out.extend("  ".join(p.cell.text for p in place(b.grid) if p.row == r)
                           for r in range(len(b.grid.rows)))
            continue
        if b.kind == "row":
            out.append("  ".join(c.replace(BREAK, " ") for c in b.cells))
        elif b.kind == "sign":
            out.extend(b.cells)
        else:
            out.extend(b.text.split(BREAK))
    return out
