"""Export → fill as a unit would (in Excel, WPS, messily) → import → the database holds
exactly what was filled."""
import datetime as dt
import shutil

import openpyxl
import pytest

from gkdesk.actors import SYSTEM
from gkdesk.db.models import UnitHistory
from gkdesk.errors import ConflictError
from gkdesk.forms import rounds, units, xlsx_export, xlsx_import
from gkdesk.forms.records import FunctionsData, StaffData, StaffRow

from .helpers import find, group_rows, make_unit

FILLED_LEADERS = [StaffRow("陈建国", "党组成员、副局长", "13805951234", "")]
FILLED_STAFF = [StaffRow("林晓燕", "办公室主任", "0595-22355670", "信息公开联络员"),
                StaffRow("黄志明", "一级科员", "15959501234", ""),
                StaffRow("郑丽", "科员", "18859501234、0595-22355671", "兼管网站")]
FILLED_FUNCTIONS = FunctionsData(
    full_name="某某区民政局", address="某某区温陵路88号", office_hours="工作日 上午8:00-12:00，下午14:30-17:30",
    phone="0595-22355001", head_name="刘冰",
    functions="一、贯彻执行民政工作的方针政策和法律法规。\n二、负责全区社会救助工作。\n三、负责本局政府信息公开工作。",
    structure="办公室、社会救助股、社会事务股\n下设婚姻登记处")


def _expected():
    return StaffData(list(FILLED_LEADERS), list(FILLED_STAFF)), FILLED_FUNCTIONS


def _fill_annex2(ws, data=FILLED_FUNCTIONS, *, phone=None):
    for key, label in (("full_name", "全称"), ("address", "办公地址"), ("office_hours", "办公时间"),
                       ("phone", "联系电话"), ("head_name", "负责人姓名"), ("functions", "工作职能"),
                       ("structure", "机构设置")):
        r, c = find(ws, label)
        ws.cell(r, c + 1).value = getattr(data, key) if not (key == "phone" and phone is not None) else phone


def _fill_annex1(ws, leaders=FILLED_LEADERS, staff=FILLED_STAFF, contact=lambda v: v):
    for label, rows in (("分管领导", leaders), ("工作人员", staff)):
        slots = group_rows(ws, label)
        assert len(slots) >= len(rows)
        for r, row in zip(slots, rows):
            ws.cell(r, 2).value = row.name
            ws.cell(r, 3).value = row.post
            ws.cell(r, 4).value = contact(row.contact)
            ws.cell(r, 5).value = row.remark or None


def _blank_form(tmp_path, name="民政局"):
    unit = units.get_unit(name)
    return xlsx_export.export_unit(unit, tmp_path / f"{name}.xlsx", blank=True)


def _import_ok(path):
    diffs = xlsx_import.diff_paths(path)
    assert len(diffs) == 1
    d = diffs[0]
    assert d.problems == [], d.problems
    return d


def _assert_db_holds(unit, staff, functions):
    assert units.get_staff(unit) == staff
    assert units.get_functions(unit) == functions


# ---------------------------------------------------------------- messy fillers

def fill_clean(wb):
    _fill_annex1(wb["附件1"])
    _fill_annex2(wb["附件2"])


def fill_with_gaps(wb):
    """People typed into every other row, leaving blank rows between them."""
    ws = wb["附件1"]
    slots = group_rows(ws, "工作人员")
    ws.insert_rows(slots[-1] + 1, 3)   # more room, inside the table, before the note
    ws.unmerge_cells(f"A{slots[0]}:A{slots[-1]}")
    ws.merge_cells(f"A{slots[0]}:A{slots[-1] + 3}")
    rows = [slots[0], slots[0] + 2, slots[0] + 5]
    for r, row in zip(rows, FILLED_STAFF):
        for c, v in zip(range(2, 6), (row.name, row.post, row.contact, row.remark or None)):
            ws.cell(r, c).value = v
    lr = group_rows(ws, "分管领导")
    for c, v in zip(range(2, 6), (FILLED_LEADERS[0].name, FILLED_LEADERS[0].post, FILLED_LEADERS[0].contact)):
        ws.cell(lr[-1], c).value = v   # the second leader row, the first left blank
    _fill_annex2(wb["附件2"])


def fill_extra_blank_rows(wb):
    """Blank rows inserted inside the table by a program that leaves the merged label ranges
    where they were (values end up under stale merges), plus blank rows at the end."""
    ws = wb["附件1"]
    _fill_annex1(ws)
    r = group_rows(ws, "工作人员")[1]
    ws.insert_rows(r, 2)
    ws.insert_rows(group_rows(ws, "分管领导")[0] + 1, 1)
    _fill_annex2(wb["附件2"])
    wb["附件2"].insert_rows(find(wb["附件2"], "办公时间")[0], 1)


def fill_unmerged_labels(wb):
    """Label cells unmerged; 工作人员 typed again on every row; one label left only on its first row."""
    ws = wb["附件1"]
    _fill_annex1(ws)
    for rng in list(ws.merged_cells.ranges):
        if rng.min_col == 1 and rng.min_row > 4:
            ws.unmerge_cells(str(rng))
    r0, _ = find(ws, "工作人员")
    for i in range(len(FILLED_STAFF)):
        ws.cell(r0 + i, 1).value = "工作人员"
    _fill_annex2(wb["附件2"])


def fill_full_width(wb):
    """Full-width digits and ideographic spaces, as Chinese input methods produce."""
    wide = str.maketrans("0123456789-", "０１２３４５６７８９－")
    ws = wb["附件1"]
    _fill_annex1(ws, contact=lambda v: v.translate(wide))
    r, c = find(ws, "分管领导")
    ws.cell(r, 2).value = "陈　建　国"
    ws.cell(r, 3).value = "　党组成员、副局长　"
    _fill_annex2(wb["附件2"], phone="０５９５－２２３５５００１")
    r, c = find(wb["附件2"], "负责人姓名")
    wb["附件2"].cell(r, c + 1).value = "刘　　冰"


def fill_phone_as_number(wb):
    """Phones typed into General-format cells: numbers, some as floats (13805951234.0); the
    landline on Annex 2 lost its leading 0."""
    ws = wb["附件1"]

    def num(v):
        if "、" in v or "-" in v:
            return v
        return float(v) if v.endswith("4") else int(v)
    _fill_annex1(ws, contact=num)
    for r in group_rows(ws, "分管领导") + group_rows(ws, "工作人员"):
        ws.cell(r, 4).number_format = "General"
    _fill_annex2(wb["附件2"], phone=59522355001)


def fill_extra_sheet(wb):
    """A notes sheet put first, another at the end, and the annex sheets renamed."""
    first = wb.create_sheet("填表说明", 0)
    first["A1"] = "本表由办公室填写，联系人：林晓燕"
    wb.create_sheet("Sheet3")["C3"] = 123
    fill_clean(wb)
    wb["附件1"].title = "Sheet1"
    wb["附件2"].title = "工作职能"


def fill_moved_table(wb):
    """The whole table moved down 2 rows and right 1 column, labels unmerged (a form retyped
    in WPS from the printed copy)."""
    fill_clean(wb)
    for ws in (wb["附件1"], wb["附件2"]):
        for rng in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(rng))
        ws.move_range(f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}", rows=2, cols=1)


MESSY = [fill_clean, fill_with_gaps, fill_extra_blank_rows, fill_unmerged_labels, fill_full_width, fill_phone_as_number,
         fill_extra_sheet, fill_moved_table]


@pytest.mark.parametrize("filler", MESSY, ids=[f.__name__ for f in MESSY])
def test_round_trip(db_path, tmp_path, filler):
    unit = make_unit(leaders=[], staff=[], functions=None)
    path = _blank_form(tmp_path)
    wb = openpyxl.load_workbook(path)
    filler(wb)
    wb.save(path)
    d = _import_ok(path)
    assert d.unit_id == unit.id
    staff, functions = _expected()
    assert d.staff_after == staff
    assert d.functions_after == functions
    assert any(c.kind == "新增" for c in d.changes)
    xlsx_import.apply([d], SYSTEM)
    _assert_db_holds(unit, staff, functions)
    # importing the same file again changes nothing
    d2 = _import_ok(path)
    assert d2.changes == []


def test_unchanged_prefilled_form_reimports_without_changes(db_path, tmp_path):
    unit = make_unit()
    path = xlsx_export.export_unit(unit, tmp_path)
    d = _import_ok(path)
    assert d.changes == [] and d.warnings == []


def test_prefilled_edits_show_exact_changes(db_path, tmp_path):
    unit = make_unit()
    path = xlsx_export.export_unit(unit, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["附件1"]
    staff_rows = group_rows(ws, "工作人员")          # 李四, 王五, spare
    ws.cell(staff_rows[0], 4).value = "0595-22355999"   # 李四's phone changed
    for c in range(2, 6):                                # 王五 removed
        ws.cell(staff_rows[1], c).value = None
    for c, v in zip(range(2, 6), ["赵六", "科员", "13600136000", None]):  # 赵六 added in the spare row
        ws.cell(staff_rows[2], c).value = v
    ws2 = wb["附件2"]
    r, c = find(ws2, "工作职能")
    ws2.cell(r + 1, c + 1).value = "二、负责婚姻登记、殡葬管理和儿童福利。"
    wb.save(path)
    d = _import_ok(path)
    text = sorted(str(c) for c in d.changes)
    assert text == sorted([
        "附件1 工作人员：新增 赵六（科员，13600136000）",
        "附件1 工作人员：删除 王五（科员，13900139000）",
        "附件1 工作人员：李四 联系方式“0595-22355669”→“0595-22355999”",
        "附件2 工作职能：原3段，现3段（新增或改写1段，删去1段）",
    ])
    xlsx_import.apply([d], SYSTEM)
    staff = units.get_staff(unit).staff
    assert [(r.name, r.contact) for r in staff] == [("李四", "0595-22355999"), ("赵六", "13600136000")]
    assert units.get_functions(unit).functions.split("\n")[1] == "二、负责婚姻登记、殡葬管理和儿童福利。"
    assert {h.action for h in units.history(unit)} >= {"staff_import", "functions_import"}


def test_unit_identified_by_file_name_when_line_blank(db_path, tmp_path):
    unit = make_unit(leaders=[], staff=[], functions=None)
    path = _blank_form(tmp_path)
    wb = openpyxl.load_workbook(path)
    fill_clean(wb)
    wb["附件1"]["A3"] = "单位（盖章）："
    wb["附件2"]["A3"] = "单位（盖章）："
    target = tmp_path / "附件1-2 民政局（盖章版）.xlsx"
    wb.save(target)
    path.unlink()
    d = _import_ok(target)
    assert d.unit_id == unit.id
    assert any("按文件名认定" in w for w in d.warnings)


def test_unit_line_with_name_in_next_cell_and_full_name(db_path, tmp_path):
    unit = make_unit()
    path = xlsx_export.export_unit(unit, tmp_path / "whatever.xlsx")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        ws.unmerge_cells(f"A3:{'E' if ws.title == '附件1' else 'B'}3")
        ws["A3"] = "单位（盖章）："
        ws["B3"] = "某某区民政局"          # the full name of Annex 2, typed in the next cell
    wb.save(path)
    d = _import_ok(path)
    assert d.unit_id == unit.id and d.changes == []


def test_merged_unit_file_goes_to_target(db_path, tmp_path):
    target = make_unit("民政局")
    old = make_unit("老龄办", functions=None)
    path = xlsx_export.export_unit(old, tmp_path)
    wb = openpyxl.load_workbook(path)
    _fill_annex2(wb["附件2"])
    wb.save(path)
    units.merge_units(old, target, SYSTEM)
    d = xlsx_import.diff_paths(path)[0]
    assert d.unit_id == target.id
    assert any("已并入“民政局”" in w for w in d.warnings)


def test_folder_import_skips_lock_files_and_flags_two_files_for_one_unit(db_path, tmp_path):
    make_unit("民政局", leaders=[], staff=[], functions=None)
    make_unit("信访局", leaders=[], staff=[], functions=None)
    folder = tmp_path / "returns"
    xlsx_export.export_all(folder, blank=True)
    for name in ("民政局", "信访局"):
        wb = openpyxl.load_workbook(folder / f"{name}.xlsx")
        fill_clean(wb)
        for ws in wb.worksheets:
            ws["A3"] = f"单位（盖章）：{name}"
        wb.save(folder / f"{name}.xlsx")
    (folder / "~$民政局.xlsx").write_bytes(b"lock")           # Excel's lock file
    (folder / "扫描件.pdf").write_bytes(b"%PDF-1.4")
    diffs = xlsx_import.diff_paths(folder)
    assert sorted(d.unit_name for d in diffs) == ["信访局", "民政局"]
    assert all(d.ok for d in diffs)
    shutil.copy(folder / "民政局.xlsx", folder / "民政局（修改）.xlsx")
    diffs = xlsx_import.diff_paths(folder)
    bad = [d for d in diffs if not d.ok]
    assert len(bad) == 2 and all("有2个文件" in d.problems[-1] for d in bad)


def test_apply_is_all_or_nothing_and_rejected_change_nothing(db_path, tmp_path):
    a = make_unit("民政局", leaders=[], staff=[], functions=None)
    b = make_unit("信访局", leaders=[], staff=[], functions=None)
    folder = tmp_path / "r"
    xlsx_export.export_all(folder, blank=True)
    for name in ("民政局", "信访局"):
        wb = openpyxl.load_workbook(folder / f"{name}.xlsx")
        fill_clean(wb)
        wb.save(folder / f"{name}.xlsx")
    diffs = {d.unit_name: d for d in xlsx_import.diff_paths(folder)}
    # someone edits 信访局 between the preview and the save → nothing is saved at all
    units.set_staff(b, [StaffRow("甲", "副局长", "13800138000")], [], SYSTEM)
    hist = UnitHistory.select().count()
    with pytest.raises(ConflictError):
        xlsx_import.apply(list(diffs.values()), SYSTEM)
    assert units.get_staff(a) == StaffData()
    assert UnitHistory.select().count() == hist
    # rejected: unchanged
    diffs = {d.unit_name: d for d in xlsx_import.diff_paths(folder)}
    diffs["信访局"].accepted = False
    xlsx_import.apply(list(diffs.values()), SYSTEM)
    assert units.get_staff(a) == _expected()[0]
    assert [r.name for r in units.get_staff(b).leaders] == ["甲"]


def test_return_recorded_in_the_round_the_form_was_sent_in(db_path, tmp_path):
    unit = make_unit(leaders=[], staff=[], functions=None)
    r = rounds.create_round("2026年第一次", dt.date(2026, 8, 28), SYSTEM, email="lcxinxike@163.com", fax="22355669")
    path = _blank_form(tmp_path)
    wb = openpyxl.load_workbook(path)
    fill_clean(wb)
    wb.save(path)
    d = _import_ok(path)
    assert d.round_id == r.id
    res = xlsx_import.apply([d], SYSTEM, returned_at=dt.datetime(2026, 8, 27, 9, tzinfo=dt.timezone.utc))
    assert res.returns_recorded == 1
    assert rounds.return_count(r) == 1
    st = rounds.round_status(r, today=dt.date(2026, 8, 27))
    assert [(s.unit_id, s.status) for s in st] == [(unit.id, "returned")]


@pytest.mark.parametrize("line", ["单位（盖章）：泉港区民政局", "单位(盖章): 民政局（盖章）", "单位（盖章）民政局",
                                  "单 位（盖 章）：　民政局"])
def test_unit_line_variants(db_path, tmp_path, line):
    unit = make_unit()
    path = xlsx_export.export_unit(unit, tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        ws["A3"] = line
    wb.save(path)
    d = _import_ok(path)
    assert d.unit_id == unit.id and d.changes == []
