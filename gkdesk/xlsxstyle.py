"""The one set of xlsx styles gkdesk writes (the file-format kit, beside ``gkdesk.xlsxkit``).

Every workbook gkdesk writes — the Annex forms, the annual-report tables, the ledger, the
reviews and statistics — takes its fonts, borders, alignments and number formats from here.
A style is a plain frozen value (``CellStyle``) so that both writers can use it:
``openpyxl_style(s)`` gives openpyxl's Font/Alignment/Border (cached: openpyxl keeps one
copy of each), ``xlsxwriter_format(s)`` the dict for XlsxWriter's ``add_format``.
"""
from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, replace

SONG = "宋体"
FANGSONG = "仿宋"
HEITI = "黑体"

DATE_FORMAT = "yyyy-mm-dd"       # dates as the office writes them; never a locale's m/d/yy
TEXT_FORMAT = "@"                # cells a clerk fills with numbers that are text (ID numbers)
PERCENT_FORMAT = "0.0%"


@dataclass(frozen=True)
class CellStyle:
    font: str | None = None           # None: the workbook's default font
    size: float | None = None
    bold: bool = False
    horizontal: str | None = None     # left / center / right
    vertical: str | None = None       # top / center
    wrap: bool = False
    rotation: int = 0                 # 255: vertical text (one character under another)
    indent: int = 0
    border: bool = False              # a thin black box
    number_format: str | None = None

    def but(self, **changes) -> "CellStyle":
        return replace(self, **changes)


# the styles in use, by what they are for
BOLD = CellStyle(bold=True)
HEADER = CellStyle(bold=True, horizontal="center", vertical="center")
TITLE = CellStyle(bold=True, size=14)
WRAP_TOP = CellStyle(wrap=True, vertical="top")
DATE = CellStyle(number_format=DATE_FORMAT)
CENTER = CellStyle(horizontal="center", vertical="center", wrap=True)
LEFT = CellStyle(horizontal="left", vertical="center", wrap=True)
VERTICAL = CellStyle(horizontal="center", vertical="center", wrap=True, rotation=255)
TOP_LEFT = CellStyle(horizontal="left", vertical="top", wrap=True)


@functools.lru_cache(maxsize=None)
def font(name: str | None = None, size: float | None = None, bold: bool = False):
    from openpyxl.styles import Font

    return Font(name=name, size=size, bold=bold)


@functools.lru_cache(maxsize=None)
def alignment(horizontal: str | None = None, vertical: str | None = None, wrap: bool = False,
              rotation: int = 0, indent: int = 0):
    from openpyxl.styles import Alignment

    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap or None,
                     text_rotation=rotation, indent=indent)


@functools.lru_cache(maxsize=None)
def thin_side():
    from openpyxl.styles import Side

    return Side(style="thin", color="000000")


@functools.lru_cache(maxsize=None)
def box():
    """A thin black box around a cell."""
    from openpyxl.styles import Border

    t = thin_side()
    return Border(left=t, right=t, top=t, bottom=t)


def openpyxl_style(s: CellStyle) -> dict:
    """``{"font": …, "alignment": …, "border": …, "number_format": …}`` for openpyxl, only
    the parts the style sets."""
    out: dict = {}
    if s.font or s.size or s.bold:
        out["font"] = font(s.font, s.size, s.bold)
    if s.horizontal or s.vertical or s.wrap or s.rotation or s.indent:
        out["alignment"] = alignment(s.horizontal, s.vertical, s.wrap, s.rotation, s.indent)
    if s.border:
        out["border"] = box()
    if s.number_format:
        out["number_format"] = s.number_format
    return out


def apply(cell, s: CellStyle) -> None:
    """Style one openpyxl cell (also a write-only ``WriteOnlyCell``)."""
    for attr, value in openpyxl_style(s).items():
        setattr(cell, attr, value)


def xlsxwriter_format(s: CellStyle) -> dict:
    """The same style as XlsxWriter's ``workbook.add_format`` properties."""
    out: dict = {}
    if s.font:
        out["font_name"] = s.font
    if s.size:
        out["font_size"] = s.size
    if s.bold:
        out["bold"] = True
    if s.horizontal:
        out["align"] = s.horizontal
    if s.vertical:
        out["valign"] = {"center": "vcenter"}.get(s.vertical, s.vertical)
    if s.wrap:
        out["text_wrap"] = True
    if s.rotation:
        out["rotation"] = s.rotation
    if s.indent:
        out["indent"] = s.indent
    if s.border:
        out["border"] = 1
    if s.number_format:
        out["num_format"] = s.number_format
    return out


class Stamp:
    """One combination of openpyxl style attributes (``font=``, ``border=``, ``alignment=``,
    ``fill=``, ``number_format=``) put on many cells of one workbook. The first cell is styled
    with the objects (openpyxl registers each in the workbook once); every later cell copies
    that cell's style indices. Setting style objects cell by cell makes openpyxl hash every
    object into the workbook's lists again: 70 % of the time of the county catalogue and the
    tasks summary at 3,000 rows (issue 20). One ``Stamp`` per workbook: the indices are the
    workbook's own."""

    def __init__(self, **attrs):
        self.attrs = attrs
        self._array = None

    def __call__(self, cell) -> None:
        if self._array is None:
            for attr, value in self.attrs.items():
                setattr(cell, attr, value)
            self._array = copy.copy(cell._style)       # openpyxl's StyleArray of indices
        else:
            cell._style = copy.copy(self._array)
