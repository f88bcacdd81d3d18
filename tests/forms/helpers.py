"""Helpers for the forms tests: a unit with data, and filling workbooks as a unit would."""
from __future__ import annotations

import openpyxl

from gkdesk.actors import SYSTEM
from gkdesk.forms import units
from gkdesk.forms.records import FunctionsData, StaffRow

LEADERS = [StaffRow("张三", "副局长", "13800138000", "")]
STAFF = [StaffRow("李四", "办公室主任", "0595-22355669", "信息公开联络员"),
         StaffRow("王五", "科员", "13900139000", "")]
FUNCTIONS = FunctionsData(
    full_name="某某区民政局", address="某某区某某路1号", office_hours="工作日 上午8:00-12:00，下午14:30-17:30",
    phone="0595-22355001", head_name="刘冰",
    functions="一、负责全区社会救助工作。\n二、负责婚姻登记和殡葬管理。\n三、负责本局政府信息公开工作。",
    structure="办公室、社会救助股、社会事务股、婚姻登记处")


def make_unit(name="民政局", leaders=LEADERS, staff=STAFF, functions=FUNCTIONS, kind=None):
    u = units.add_unit(name, SYSTEM, kind=kind)
    if leaders or staff:
        units.set_staff(u, leaders, staff, SYSTEM)
    if functions is not None:
        units.set_functions(u, functions, SYSTEM)
    return units.get_unit(u.id)


def cells(path, sheet):
    """coordinate → value of every non-empty cell."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def find(ws, text):
    """(row, col) of the first cell whose stripped value equals ``text``."""
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.strip() == text:
                return c.row, c.column
    raise AssertionError(f"no cell {text!r} in {ws.title}")


def group_rows(ws, label):
    """Rows of the data table that belong to the group labelled ``label`` (merged down)."""
    r, c = find(ws, label)
    for rng in ws.merged_cells.ranges:
        if rng.min_row == r and rng.min_col == c:
            return list(range(rng.min_row, rng.max_row + 1))
    return [r]
