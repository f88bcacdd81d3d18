"""Rows of a workbook's first worksheet as plain values, fast, for the ledger import.

``read_rows(path)`` gives ``SheetRows``: the first worksheet's title, the names of the other
sheets, the last row number, and ``rows``: ``(row number, values, formula columns)`` from
row 1 down, where ``values`` is a tuple (column A first; a blank cell is ``None`` or ``""``)
and ``formula columns`` the 0-based columns whose cell holds a formula.

Two readers give the same rows:

- python-calamine (Rust, about ten times faster than openpyxl's read-only mode: 100,000
  ledger rows in ~2.5 s instead of ~25 s here). It gives a formula cell's cached value, not
  the formula, so the worksheet's XML is scanned for formula elements first (about 1 s per
  150 MB unpacked) and a workbook that has any is read with openpyxl instead, which names
  every formula cell, so the import can refuse each one by row and column.
- openpyxl read-only (formulas not evaluated): the fallback, also where python-calamine is
  not installed (``GKDESK_XLSX_READER=openpyxl`` forces it, for tests and comparison).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CHUNK = 1 << 20


@dataclass
class SheetRows:
    title: str
    others: list[str]
    max_row: int
    rows: Iterator[tuple[int, tuple, frozenset]]
    reader: str
    _close: object = field(default=None, repr=False)

    def close(self) -> None:
        if callable(self._close):
            self._close()


def calamine_problem() -> str | None:
    """Why python-calamine cannot be used here, or None when it can: not installed (a
    packaging error), or installed but its compiled part does not load on this system (Wine 8
    lacks bcryptprimitives.dll, which the Rust build needs; Windows 10 and 11 have it)."""
    import importlib.util

    if importlib.util.find_spec("python_calamine") is None:
        return "未安装 python-calamine 组件"
    try:
        import python_calamine  # noqa: F401
    except ImportError as exc:
        return f"python-calamine 组件在本系统无法加载（{exc}）"
    return None


def _reader() -> str:
    choice = os.environ.get("GKDESK_XLSX_READER", "").strip().lower()
    if choice == "openpyxl":
        return "openpyxl"
    return "calamine" if calamine_problem() is None else "openpyxl"


def _first_sheet_part(zf: zipfile.ZipFile) -> str | None:
    """The zip member of the workbook's first worksheet (not a chart sheet)."""
    from xml.etree import ElementTree as ET

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    book = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    types = {r.get("Id"): r.get("Type", "") for r in rels}
    for sheet in book.iter(f"{ns_main}sheet"):
        rid = sheet.get(f"{ns_rel}id")
        if not types.get(rid, "").endswith("/worksheet"):
            continue
        target = targets.get(rid, "")
        if target.startswith("/"):
            return target.lstrip("/")
        return "xl/" + target
    return None


def has_formulas(path: Path) -> bool:
    """Whether the first worksheet holds any formula (or cannot be scanned: then assume so)."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = _first_sheet_part(zf)
            if part is None:
                return True
            with zf.open(part) as fh:
                tail = b""
                while True:
                    block = fh.read(_CHUNK)
                    if not block:
                        return False
                    buf = tail + block
                    # a formula element holds "<f" or ":f" (a prefixed one): found by a plain
                    # search first, a third of the regex's time over 110 MB of cells
                    if (b"<f" in buf or b":f" in buf) and _FORMULA.search(buf):
                        return True
                    tail = block[-32:]
    except (KeyError, OSError, zipfile.BadZipFile, ValueError, SyntaxError):
        return True


def _calamine(path: Path) -> SheetRows:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    wb = CalamineWorkbook.from_path(str(path))
    names = [m.name for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    if not names:
        wb.close()
        raise ValueError("no worksheet")
    sheet = wb.get_sheet_by_name(names[0])
    data = sheet.to_python(skip_empty_area=False) if sheet.end is not None else []
    end = sheet.end
    row0 = (end[0] + 1 - len(data)) if end is not None and data else 0
    col0 = (end[1] + 1 - len(data[0])) if end is not None and data and data[0] else 0
    none = frozenset()

    def rows():
        pad = ("",) * col0
        for r in range(row0):
            yield r + 1, (), none
        for i, values in enumerate(data, start=row0 + 1):
            yield i, (pad + tuple(values)) if col0 else tuple(values), none

    return SheetRows(names[0], names[1:], row0 + len(data), rows(), "calamine", wb.close)


def _openpyxl(path: Path) -> SheetRows:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    ws = wb.worksheets[0]

    def rows():
        r = 0
        for cells in ws.iter_rows():
            r = next((c.row for c in cells if getattr(c, "row", None)), r + 1)
            values = tuple(c.value for c in cells)
            formulas = frozenset(i for i, c in enumerate(cells) if getattr(c, "data_type", None) == "f")
            yield r, values, formulas

    return SheetRows(ws.title, [s.title for s in wb.worksheets[1:]], ws.max_row or 0, rows(), "openpyxl",
                     wb.close)


def read_rows(path: str | os.PathLike) -> SheetRows:
    """The first worksheet's rows (see the module text). Raises what the readers raise on a
    damaged file (the caller turns it into a message)."""
    path = Path(path)
    if _reader() == "calamine" and not has_formulas(path):
        return _calamine(path)
    return _openpyxl(path)


def as_text(value) -> str:
    """A cell's value as the text openpyxl would give for it (a date cell in a text column
    reads ``2024-01-02 00:00:00`` from either reader)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return str(value)
