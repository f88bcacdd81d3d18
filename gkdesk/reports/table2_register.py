"""Table 二 from a register kept per year (docs/annual-report.md): the figures typed per
year (``annual.save_table2``) or imported from an xlsx in the table-二 layout (the sheet
gkdesk exports, or a unit's own, read by labels); last year's 现行有效 of 规章 and
行政规范性文件 carried as this year's start, so 现行有效 = 上年现行有效 + 本年制发 − 本年废止
when it is not typed."""
from __future__ import annotations

from pathlib import Path

from gkdesk.errors import ImportError_
from gkdesk.reports import annual

DOCS = annual.TABLE2[0]                       # 规章 / 行政规范性文件
ISSUED, REPEALED, IN_FORCE = DOCS.columns


def start(year: int) -> dict[str, int | None]:
    """Last year's 现行有效 per document kind (None where last year has none)."""
    last = effective(year - 1, _depth=1)
    return {row: last[row][IN_FORCE] for row in DOCS.rows}


def effective(year: int, _depth: int = 0) -> dict:
    """Table 二 as printed: the typed figures, 现行有效 carried from last year where blank."""
    t2 = annual.table2(year)
    if _depth > 30:
        return t2
    prev = None
    for row in DOCS.rows:
        cells = t2[row]
        if cells[IN_FORCE] is None and cells[ISSUED] is not None and cells[REPEALED] is not None:
            if prev is None:
                prev = effective(year - 1, _depth + 1)
            base = prev[row][IN_FORCE]
            if base is not None:
                cells[IN_FORCE] = max(0, base + cells[ISSUED] - cells[REPEALED])
    return t2


def import_xlsx(year: int, path, actor) -> dict:
    """Read table 二 from ``path`` (labels, not positions) and store it for ``year`` (one
    transaction, audited by ``save_table2``); problems name the cell."""
    from gkdesk.reports import unit_reports

    path = Path(path)
    sheets = unit_reports.load(path, path.name, "表二")
    rep = unit_reports.UnitReportFile(path, path.name, year=year)
    t2 = unit_reports._read_table2(sheets, rep)
    if rep.problems or t2 is None:
        msgs = [f"{path.name}!{p}" if p.cell else f"{path.name}：{p.message}" for p in rep.problems]
        raise ImportError_(f"表二未导入：{msgs[0]}", msgs)
    values = {annual.table2_key(r, c): v for r, cols in t2.items() for c, v in cols.items() if v is not None}
    return annual.save_table2(year, values, actor)
