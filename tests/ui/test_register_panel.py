"""Table 二 from the register, where table 二 is edited (统计报表 → 年度报告 → 表二): the counts
shown under the table, the register dialog adding and importing entries, 按登记簿填入表二
filling the cells — on ctx.ops (synchronous here)."""
import datetime as dt

from openpyxl import Workbook
from PySide6.QtCore import Qt

from gkdesk.reports import annual, regulations
from tests.ui.helpers import type_text
from tests.ui.test_reports_page import load_annual, make_page

D = dt.date


def _cell_text(a, row, col):
    rc = next(rc for rc, rcv in a.t2_cells.items() if rcv == (row, col))
    return a.t2.item(*rc).text()


def test_register_counts_fill_table_two(ctx, qtbot, messages_log, tmp_path):
    page = make_page(ctx, qtbot)
    load_annual(page, qtbot, 2025)
    a = page.annual
    panel = a.register_panel
    assert "可在此登记或导入" in panel.label.text() and not panel.b_apply.isEnabled()

    # the register: one entry typed in the form, refused first without a title
    dlg = panel.open_register()
    assert dlg.windowTitle().endswith("2025年") and dlg.table.rowCount() == 0
    form = dlg.ask_add()
    form.kind.setCurrentIndex(form.kind.findData("normative"))
    form.issued.set_date(D(2025, 2, 10))
    qtbot.mouseClick(form.ok_button, Qt.LeftButton)
    assert form.isVisible() and "标题" in form.error_panel.text()
    type_text(qtbot, form.title, "关于进一步规范农村建房的通知")
    type_text(qtbot, form.number, "某政规〔2025〕1号")
    qtbot.mouseClick(form.ok_button, Qt.LeftButton)
    assert not form.isVisible() and dlg.table.rowCount() == 1
    assert dlg.table.item(0, 0).text() == "行政规范性文件" and dlg.table.item(0, 3).text() == "2025-02-10"

    # more from a workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["类别", "标题", "文号", "发布日期", "废止日期"])
    ws.append(["规章", "某某县城市绿化管理办法", "某政令〔2019〕1号", "2019-05-01", "2025-06-30"])
    ws.append(["规章", "某某县殡葬管理办法", "某政令〔2025〕3号", "2025-08-01", None])
    wb.save(tmp_path / "登记簿.xlsx")
    dlg.import_file(tmp_path / "登记簿.xlsx")
    assert dlg.table.rowCount() == 3
    assert messages_log[-1][0] == "info" and "新增2件" in messages_log[-1][2]
    assert "规章 制发1、废止1、现行有效1" in dlg.summary.text()

    # the panel followed the change feed; table 二 does not hold the counts yet
    assert "规章 制发1、废止1、现行有效1；行政规范性文件 制发1、废止0、现行有效1" in panel.label.text()
    assert "不一致" in panel.label.text() and panel.b_apply.isEnabled()
    with qtbot.waitSignal(a.loaded, timeout=20000):       # the annual tab reloads off the UI thread
        qtbot.mouseClick(panel.b_apply, Qt.LeftButton)
    assert annual.table2(2025)["规章"] == {"本年制发件数": 1, "本年废止件数": 1, "现行有效件数": 1}
    assert _cell_text(a, "规章", "本年制发件数") == "1"                # the grid reloaded
    assert _cell_text(a, "行政规范性文件", "现行有效件数") == "1"
    assert "一致" in panel.label.text() and not panel.b_apply.isEnabled()

    # a repeal recorded in the register: the panel says table 二 is out of date again
    e = next(x for x in regulations.entries() if x.title == "关于进一步规范农村建房的通知")
    dlg.table.selectRow(next(r for r in range(3) if dlg.table.item(r, 1).text() == e.title))
    form = dlg.ask_edit()
    assert form.title.text() == e.title
    form.is_repealed.setChecked(True)
    form.repealed.set_date(D(2025, 11, 1))
    qtbot.mouseClick(form.ok_button, Qt.LeftButton)
    assert "行政规范性文件 制发1、废止1、现行有效0" in panel.label.text() and panel.b_apply.isEnabled()
