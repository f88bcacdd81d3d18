"""Helpers: a version with the typed guidance and a unit compiled from it; editing a workbook
the way a unit does (a column inserted with its merged cells moved, marks retyped)."""
from __future__ import annotations

import shutil
import subprocess

from openpyxl.utils import get_column_letter

from gkdesk.actors import SYSTEM
from gkdesk.catalogue import items as svc
from gkdesk.catalogue import workbook
from gkdesk.forms import units

from .guidance_fixture import write

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def guidance_file(tmp_path):
    path = tmp_path / "社会救助等领域标准指引.xlsx"
    write(path)
    return path


def compiled_unit(tmp_path, name="民政局", version="2020年目录"):
    """(version, unit, items) — the guidance imported, the unit's catalogue compiled from it."""
    book = workbook.read_workbook(guidance_file(tmp_path))
    assert book.problems == []
    v = svc.add_guidance(version, [r.data for r in book.rows], SYSTEM, source="指引.xlsx")
    u = units.add_unit(name, SYSTEM)
    svc.start_unit(v, u, SYSTEM)
    return v, u, svc.unit_items(v, u)


def by_name(items, level1, level2):
    return next(i for i in items if i.level1 == level1 and i.level2 == level2)


def insert_column(ws, idx: int, header: str, values: dict[int, str] | None = None, header_row: int = 3) -> None:
    """Insert a column before ``idx`` as Excel does: cells and merged ranges move right."""
    ranges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
    for r in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(r))
    ws.insert_cols(idx)
    for a, b, c, d in ranges:
        if b >= idx:
            b, d = b + 1, d + 1
        elif d >= idx:
            d += 1
        ws.merge_cells(start_row=a, start_column=b, end_row=c, end_column=d)
    ws.cell(header_row, idx, header)
    for r, v in (values or {}).items():
        ws.cell(r, idx, v)


def col_of(ws, text: str, row: int = 4) -> int:
    for c in range(1, ws.max_column + 1):
        for r in (row - 1, row):
            if ws.cell(r, c).value == text:
                return c
    raise AssertionError(f"no column {text!r}")


def row_of(ws, level2: str) -> int:
    c = col_of(ws, "二级事项")
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, c).value == level2:
            return r
    raise AssertionError(f"no row {level2!r}")


def letter(c: int) -> str:
    return get_column_letter(c)


def lo_convert(src, to, outdir, profile):
    return subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                           "--convert-to", to, "--outdir", str(outdir), str(src)],
                          capture_output=True, text=True, timeout=180)
