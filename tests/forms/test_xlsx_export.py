"""The exported workbook is laid out as the annexes were issued."""
import datetime as dt

import openpyxl

from gkdesk.actors import SYSTEM
from gkdesk.forms import rounds, xlsx_export

from .helpers import find, group_rows, make_unit

NOTE = "注：请于 8 月 28 日下午下班前将电子版发至 lcxinxike@163.com，纸质版加盖公章传真至 22355669。"


def _round():
    return rounds.create_round("2026年第一次", dt.date(2026, 8, 28), SYSTEM, email="lcxinxike@163.com",
                               fax="22355669")


def test_prefilled_annex1_layout(db_path, tmp_path):
    u = make_unit()
    _round()
    path = xlsx_export.export_unit(u, tmp_path)
    assert path.name == "民政局.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["附件1", "附件2"]
    ws = wb["附件1"]
    assert ws["A1"].value == "附件 1"
    assert ws["A2"].value == "街道（部门）政务公开（政府信息公开）工作人员情况表"
    assert ws["A3"].value == "单位（盖章）：民政局"
    assert [ws.cell(4, c).value for c in range(1, 6)] == [None, "姓名", "职务", "联系方式", "备注"]
    leaders = group_rows(ws, "分管领导")
    staff = group_rows(ws, "工作人员")
    assert len(leaders) == 2 and len(staff) == 3           # the rows + one spare each
    assert leaders[0] == 5 and staff[0] == leaders[-1] + 1
    assert [ws.cell(leaders[0], c).value for c in range(2, 6)] == ["张三", "副局长", "13800138000", None]
    assert [ws.cell(staff[0], c).value for c in range(2, 6)] == ["李四", "办公室主任", "0595-22355669",
                                                                  "信息公开联络员"]
    note_row = staff[-1] + 1
    assert ws.cell(note_row, 1).value == NOTE
    # fonts, borders, text format for phones, print setup (docs/pitfalls.md #13)
    assert ws["A2"].font.name == "宋体" and ws["A2"].font.b
    assert ws.cell(staff[0], 2).font.name == "仿宋"
    assert ws.cell(staff[1], 4).number_format == "@"
    assert ws.cell(staff[-1], 5).border.bottom.style == "thin"
    assert ws.column_dimensions["C"].width > ws.column_dimensions["B"].width
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_area == f"'附件1'!$A$1:$E${note_row}"


def test_prefilled_annex2_layout(db_path, tmp_path):
    u = make_unit()
    _round()
    ws = openpyxl.load_workbook(xlsx_export.export_unit(u, tmp_path))["附件2"]
    assert ws["A1"].value == "附件 2"
    assert ws["A2"].value == "街道（部门）工作职能清单"
    assert ws["A3"].value == "单位（盖章）：民政局"
    labels = [ws.cell(r, 1).value for r in range(4, 15)]
    assert labels[:6] == ["全称", "办公地址", "办公时间", "联系电话", "负责人姓名", "工作职能"]
    r = find(ws, "工作职能")[0]
    # one paragraph a row, the label merged down over them
    assert [ws.cell(r + i, 2).value for i in range(3)] == [
        "一、负责全区社会救助工作。", "二、负责婚姻登记和殡葬管理。", "三、负责本局政府信息公开工作。"]
    assert group_rows(ws, "工作职能") == [r, r + 1, r + 2]
    assert ws.cell(find(ws, "机构设置")[0] + 1, 1).value == NOTE
    assert ws.print_area.endswith(f"$B${find(ws, '机构设置')[0] + 1}")


def test_blank_export_has_empty_rows_and_generic_note_without_round(db_path, tmp_path):
    u = make_unit()
    path = xlsx_export.export_unit(u, tmp_path / "x.xlsx", blank=True)
    ws = openpyxl.load_workbook(path)["附件1"]
    assert len(group_rows(ws, "分管领导")) == xlsx_export.BLANK_ROWS["leader"]
    assert len(group_rows(ws, "工作人员")) == xlsx_export.BLANK_ROWS["staff"]
    assert all(ws.cell(r, c).value is None for r in range(5, 11) for c in range(2, 6))
    assert ws["A3"].value == "单位（盖章）：民政局"
    assert ws.cell(11, 1).value.startswith("注：")


def test_export_all_names_files_safely_and_is_cancellable(db_path, tmp_path):
    make_unit("民政局")
    make_unit("政协办/提案委", functions=None)
    make_unit("信访局", functions=None)
    seen = []
    files = xlsx_export.export_all(tmp_path / "out", progress=lambda d, t: seen.append((d, t)))
    assert sorted(f.name for f in files) == ["信访局.xlsx", "政协办_提案委.xlsx", "民政局.xlsx"]
    assert seen[-1] == (3, 3)
    calls = []
    files = xlsx_export.export_all(tmp_path / "out2", cancelled=lambda: len(calls) >= 1,
                                   progress=lambda d, t: calls.append(d))
    assert len(files) == 1
    assert not list((tmp_path / "out").glob(".*.tmp"))   # atomic writes leave no temp files


def test_safe_filename():
    assert xlsx_export.safe_filename('a/b\\c:d*e?"f<g>h|') == "a_b_c_d_e__f_g_h_"
    assert xlsx_export.safe_filename("  ") == "未命名单位"
