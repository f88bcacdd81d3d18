"""Tables a document lays in whole (the annual report's tables 二、三、四): a grid of cells
with column and row spans, drawn by the layout (``layout.py``) on the GB/T 9704 page in a
smaller size with the same fonts and 禁则 line breaking, and written by ``docx_export`` as
a real Word table with merged cells.

A template places one with ``@table NAME``; whoever fills the template hands the grids by
name (``markup.attach_tables``). Cells are listed row by row as in HTML: a cell spanning
rows takes its place in the rows below, which list only their other cells.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    align: str = "center"          # center / left
    head: bool = False             # a header cell (黑体)
    key: tuple | None = None       # what the number is, e.g. (row key, column key)


@dataclass
class Grid:
    name: str
    widths: list[float]            # relative column widths
    rows: list[list[Cell]]
    header_rows: int = 0           # repeated at the top of a continuation page
    size: float = 10.5             # 五号
    title: str = ""

    @property
    def ncols(self) -> int:
        return len(self.widths)


@dataclass(frozen=True)
class Placed:
    row: int
    col: int
    cell: Cell


def place(grid: Grid) -> list[Placed]:
    """Every cell with its (row, column) in the full grid; checks spans fit."""
    taken: set[tuple[int, int]] = set()
    out: list[Placed] = []
    n = grid.ncols
    for r, cells in enumerate(grid.rows):
        c = 0
        for cell in cells:
            while (r, c) in taken:
                c += 1
            if c + cell.colspan > n or r + cell.rowspan > len(grid.rows):
                raise ValueError(f"表格“{grid.name}”第{r + 1}行的单元格超出表格范围")
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    taken.add((rr, cc))
            out.append(Placed(r, c, cell))
            c += cell.colspan
    return out


def matrix(grid: Grid) -> list[list[str]]:
    """The grid as text per position (a spanned position repeats its cell's text), as
    python-docx reads a table with merged cells back."""
    m = [["" for _ in range(grid.ncols)] for _ in grid.rows]
    for p in place(grid):
        for rr in range(p.row, p.row + p.cell.rowspan):
            for cc in range(p.col, p.col + p.cell.colspan):
                m[rr][cc] = p.cell.text
    return m


@dataclass
class CellBox:
    """Where a keyed cell was drawn (points from the page's top-left), for checks."""
    table: str
    key: tuple
    text: str
    x1: float
    y1: float
    x2: float
    y2: float
