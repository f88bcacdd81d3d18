"""Files that must be refused, with the reason, the file, the sheet and the cell — and
nothing in the database changed."""
import io
import os
import zipfile

import openpyxl
import pytest

from gkdesk.actors import SYSTEM
from gkdesk.db.models import CaseEvent, UnitHistory
from gkdesk.forms import rounds
from gkdesk.errors import ValidationError
from gkdesk.forms import units, xlsx_export, xlsx_import

from .helpers import find, group_rows, make_unit


@pytest.fixture
def unit(db_path):
    return make_unit()


def _state(unit):
    return (units.snapshot(unit), UnitHistory.select().count(), CaseEvent.select().count(),
            rounds.return_count())


def _only(path):
    diffs = xlsx_import.diff_paths(path)
    assert len(diffs) == 1
    return diffs[0]


def _refused(path, unit, *needles):
    before = _state(unit)
    d = _only(path)
    assert not d.ok
    text = "\n".join(d.problems)
    for n in needles:
        assert n in text, text
    assert not d.accepted
    d.accepted = True
    with pytest.raises(ValidationError):
        xlsx_import.apply([d], SYSTEM)          # accepting a refused file is refused
    d.accepted = False
    xlsx_import.apply([d], SYSTEM)              # rejecting it saves nothing
    assert _state(unit) == before
    return text


def test_text_file_named_xlsx(unit, tmp_path):
    p = tmp_path / "民政局.xlsx"
    p.write_text("姓名,职务\n张三,副局长\n", encoding="utf-8")
    _refused(p, unit, "民政局.xlsx：不是 xlsx 文件")


def test_old_xls_and_wps_formats(unit, tmp_path):
    p = tmp_path / "民政局.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    _refused(p, unit, "民政局.xls：不是 xlsx 文件（.xls 格式）", "另存为")
    p2 = tmp_path / "信访局.xlsx"
    p2.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)   # an .xls renamed, or encrypted
    _refused(p2, unit, "旧版 Excel")


def test_corrupt_zip(unit, tmp_path):
    good = xlsx_export.export_unit(unit, tmp_path / "good.xlsx")
    data = good.read_bytes()
    p = tmp_path / "民政局.xlsx"
    p.write_bytes(data[: len(data) // 2])
    _refused(p, unit, "民政局.xlsx：文件已损坏")


def test_docx_renamed(unit, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    p = tmp_path / "民政局.xlsx"
    p.write_bytes(buf.getvalue())
    _refused(p, unit, "不是 Excel 工作簿")


def test_wrong_form(unit, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "工作任务", "责任股室", "完成时间"])
    wb.active.append([1, "信息公开", "综合股", "2026-08-28"])
    p = tmp_path / "民政局.xlsx"
    wb.save(p)
    _refused(p, unit, "没有附件1（工作人员情况表）或附件2（工作职能清单）")


def test_missing_required_cells_and_bad_phone_named_by_cell(unit, tmp_path):
    p = xlsx_export.export_unit(unit, tmp_path / "民政局.xlsx", blank=True)
    wb = openpyxl.load_workbook(p)
    ws = wb["附件1"]
    leaders = group_rows(ws, "分管领导")
    ws.cell(leaders[0], 2).value = "张三"
    ws.cell(leaders[0], 4).value = "13800138000"
    ws.cell(leaders[1], 2).value = "赵六"
    ws.cell(leaders[1], 4).value = "1380013"                # D6
    staff = group_rows(ws, "工作人员")
    ws.cell(staff[0], 3).value = "科员"                      # a row without 姓名 (B7)
    ws.cell(staff[0], 4).value = "13900139000"
    ws2 = wb["附件2"]
    r, c = find(ws2, "办公地址")
    ws2.cell(r, c + 1).value = "某某路1号"
    wb.save(p)
    text = _refused(p, unit,
                    "民政局.xlsx!附件1!D6：联系方式“1380013”不是有效的电话号码",
                    "民政局.xlsx!附件1!B7：未填写姓名",
                    "民政局.xlsx!附件2!B4：未填写全称",
                    "民政局.xlsx!附件2!B7：未填写联系电话",
                    "民政局.xlsx!附件2!B8：未填写负责人姓名")
    assert "B5" not in text       # the good row is not blamed


def test_formula_is_a_problem_not_evaluated(unit, tmp_path):
    p = xlsx_export.export_unit(unit, tmp_path / "民政局.xlsx")
    wb = openpyxl.load_workbook(p)
    ws = wb["附件1"]
    ws["D5"] = '=HYPERLINK("http://example.com","13800138000")'
    wb.save(p)
    _refused(p, unit, "民政局.xlsx!附件1!D5：联系方式是公式")


def test_file_over_size_limit(unit, tmp_path):
    """A real xlsx padded to 10 MB with a junk part: refused before it is parsed."""
    p = xlsx_export.export_unit(unit, tmp_path / "民政局.xlsx")
    with zipfile.ZipFile(p, "a", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("xl/media/junk.bin", os.urandom(10 * 1024 * 1024))
    assert p.stat().st_size > 10 * 1024 * 1024
    _refused(p, unit, "民政局.xlsx：文件过大", "上限 5 MB")


def test_zip_bomb_refused(unit, tmp_path):
    p = xlsx_export.export_unit(unit, tmp_path / "民政局.xlsx")
    with zipfile.ZipFile(p, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/zeros.bin", b"\0" * (40 * 1024 * 1024))
    assert p.stat().st_size < 1024 * 1024
    _refused(p, unit, "解压后")


def test_sheet_with_too_many_rows(unit, tmp_path):
    p = xlsx_export.export_unit(unit, tmp_path / "民政局.xlsx")
    wb = openpyxl.load_workbook(p)
    junk = wb.create_sheet("Sheet2")
    for i in range(2100):
        junk.append([f"垃圾{i}", i])
    wb.save(p)
    _refused(p, unit, "民政局.xlsx!Sheet2：工作表填写的行数超过2000行")


def test_unknown_unit(unit, tmp_path):
    p = xlsx_export.export_unit(unit, tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(p)
    for ws in wb.worksheets:
        ws["A3"] = "单位（盖章）：不存在局"
    wb.save(p)
    _refused(p, unit, "单位“不存在局”不在单位名单中")


def test_two_annex1_sheets(unit, tmp_path):
    p = xlsx_export.export_unit(unit, tmp_path / "民政局.xlsx")
    wb = openpyxl.load_workbook(p)
    wb.copy_worksheet(wb["附件1"]).title = "附件1 (2)"
    wb.save(p)
    _refused(p, unit, "有2个工作表都是附件1")
