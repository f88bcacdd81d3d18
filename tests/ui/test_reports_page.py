"""统计报表 page driven with pytest-qt on a real database: the annual tables laid out like
the format, drill-down from a number to its cases, table 二 saved, exports refused when the
check fails, ledger import problems listed, charts fed from the statistics, the reviews."""
from __future__ import annotations

import datetime as dt

from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt

from gkdesk.reports import annual
from tests.reports import scenario
from tests.reports.conftest import make_case
from tests.reports.test_annual import COLS, EXPECTED_2025, EXPECTED_T4_2025, KEYS

D = dt.date


def make_page(ctx, qtbot):
    from gkdesk.ui.pages.reports import ReportsPage

    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    return page


def load_annual(page, qtbot, year=2025):
    with qtbot.waitSignal(page.annual.loaded, timeout=20000):
        page.navigate(tab="annual", year=year)
    qtbot.waitUntil(lambda: page.annual.loaded_year == year, timeout=20000)


def click_cell(qtbot, table, row, col):
    rect = table.visualRect(table.model().index(row, col))
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())


def test_annual_grid_matches_the_hand_worked_year(ctx, qtbot, messages_log):
    ids = scenario.build()
    page = make_page(ctx, qtbot)
    load_annual(page, qtbot)
    t3 = page.annual.t3
    # header cells as the format
    assert t3.item(0, 0).text() == annual.HEADER_NOTE and t3.rowSpan(0, 0) == 3 and t3.columnSpan(0, 0) == 3
    assert t3.item(0, 3).text() == "申请人情况" and t3.columnSpan(0, 3) == 7
    assert t3.item(1, 4).text() == "法人或其他组织" and t3.columnSpan(1, 4) == 5
    assert [t3.item(2, c).text() for c in range(4, 9)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    # every number
    for key in KEYS:
        r = page.annual.t3_rows[key]
        assert [t3.item(r, 3 + j).text() for j in range(7)] == [str(EXPECTED_2025[key][c]) for c in COLS], key
    t4 = page.annual.t4
    assert [t4.item(3, c).text() for c in range(15)] == [
        str(EXPECTED_T4_2025[k][c]) for k in annual.TABLE4_KEYS for c in annual.TABLE4_COLUMNS]
    assert "核对通过" in page.annual.status.text()
    assert page.annual.xlsx_button.isEnabled()

    # click 四、结转下年度继续办理 / 总计 → B, D, E
    r = page.annual.t3_rows["四、结转下年度继续办理"]
    click_cell(qtbot, t3, r, 9)
    assert page.annual.drill_list.case_ids() == [ids["B"], ids["D"], ids["E"]]
    assert "共 3 件" in page.annual.drill_label.text()
    # click 行政复议 / 尚未审结 in table 四
    page.annual.tables.setCurrentIndex(1)
    click_cell(qtbot, t4, 3, 3)
    assert page.annual.drill_list.case_ids() == [ids[3]]
    # clicking a label cell changes nothing
    click_cell(qtbot, t3, 0, 0)
    assert page.annual.drill_list.case_ids() == [ids[3]]
    assert messages_log == []


def test_table2_edit_and_save(ctx, qtbot, messages_log):
    page = make_page(ctx, qtbot)
    load_annual(page, qtbot)
    a = page.annual
    cell = next(rc for rc, (row, col) in a.t2_cells.items() if (row, col) == ("行政许可", "本年处理决定数量"))
    a.t2.item(*cell).setText("321")
    assert a.t2_save.isEnabled()
    from tests.ui.helpers import topics_seen

    seen = topics_seen(ctx)
    qtbot.mouseClick(a.t2_save, Qt.LeftButton)
    assert annual.table2(2025)["行政许可"]["本年处理决定数量"] == 321
    assert not a.t2_save.isEnabled() and "reports" in seen
    # a bad value is refused, naming the cell, nothing written
    a.t2.item(*cell).setText("很多")
    qtbot.mouseClick(a.t2_save, Qt.LeftButton)
    assert messages_log and "行政许可" in messages_log[-1][2]
    assert annual.table2(2025)["行政许可"]["本年处理决定数量"] == 321


def test_exports_and_refusal(ctx, qtbot, tmp_path, messages_log):
    scenario.build()
    page = make_page(ctx, qtbot)
    load_annual(page, qtbot)
    for name in ("年报.xlsx", "年报.pdf", "年报.json"):
        target = tmp_path / name
        page.annual.export(str(target))
        qtbot.waitUntil(target.exists, timeout=30000)
    qtbot.waitUntil(lambda: len([m for m in messages_log if m[0] == "info"]) == 3, timeout=10000)
    assert load_workbook(tmp_path / "年报.xlsx")["三、收到和处理申请情况"]["D6"].value == 5

    bad = make_case(D(2025, 9, 1), reply=D(2025, 9, 9))            # reply without an outcome
    from tests.ui.helpers import changed_elsewhere

    changed_elsewhere(cases={bad.id}, case_list=True)
    qtbot.waitUntil(lambda: page.annual.problem_list.count() > 0, timeout=20000)
    texts = [page.annual.problem_list.item(i).text() for i in range(page.annual.problem_list.count())]
    assert any(bad.number in t and "未选择办理结果" in t for t in texts)
    assert "核对发现" in page.annual.status.text()
    assert not page.annual.xlsx_button.isEnabled()
    refused = tmp_path / "refused.xlsx"
    page.annual.export(str(refused))
    qtbot.waitUntil(lambda: any(m[0] == "error" for m in messages_log), timeout=20000)
    assert bad.number in [m for m in messages_log if m[0] == "error"][-1][2]
    assert not refused.exists()


def test_ledger_tab_export_and_import(ctx, qtbot, tmp_path, messages_log):
    scenario.build()
    page = make_page(ctx, qtbot)
    page.navigate(tab="ledger")
    lt = page.ledger
    lt.period.setCurrentIndex(lt.period.findData("all"))
    out = tmp_path / "台账.xlsx"
    lt.export(str(out))
    qtbot.waitUntil(lambda: lt.last_export is not None, timeout=30000)
    assert load_workbook(out).active.max_row == 1 + 30

    wb = Workbook()
    ws = wb.active
    ws.append(["受理编号", "申请人类型", "申请人", "申请内容", "收到申请日期"])
    ws.append(["L-1", "自然人", "张三", "某文件", "2025-03-04"])
    ws.append(["L-2", "个人", "李四", "某文件", "2025-03-04"])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    lt.import_file(str(bad))
    qtbot.waitUntil(lambda: lt.last_result is not None, timeout=20000)
    items = [lt.problems.item(i).text() for i in range(lt.problems.count())]
    assert any(t.startswith("第3行，B列（申请人类型）") for t in items)
    assert "未导入" in lt.import_status.text()
    from gkdesk.db.models import Case

    assert not Case.select().where(Case.number == "L-1").exists()

    ws.delete_rows(3)
    good = tmp_path / "good.xlsx"
    wb.save(good)
    lt.last_result = None
    changed = []
    ctx.changed.opDidExecute.connect(lambda c, _who: c.case_list and changed.append(1))
    lt.import_file(str(good))
    qtbot.waitUntil(lambda: lt.last_result is not None, timeout=20000)
    assert lt.last_result.created == 1 and "新建案件 1 件" in lt.import_status.text()
    assert changed and Case.select().where(Case.number == "L-1").exists()


def test_stats_tab_charts(ctx, qtbot, messages_log):
    scenario.build()
    page = make_page(ctx, qtbot)
    with qtbot.waitSignal(page.stats.loaded, timeout=20000):
        page.navigate(tab="stats", year=2025)
    qtbot.waitUntil(lambda: page.stats.st is not None and page.stats.st.year == 2025, timeout=20000)
    st = page.stats.st
    names = [s[0] for s in page.stats.months.series]
    assert names == ["收到", "答复"]
    assert page.stats.months.series[0][2] == st.received_by_month and sum(st.received_by_month) == 25
    assert [l for l, _n, _c in page.stats.mix.slices] == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理",
                                                          "其他处理"]
    assert sum(n for _l, n, _c in page.stats.mix.slices) == 25
    assert page.stats.rate.value == st.overall.on_time_rate
    sections = {page.stats.by_section.item(r, 0).text() for r in range(page.stats.by_section.rowCount())}
    assert sections == {"综合股", "法规股", "（未分配）"}      # D and E have no section
    assert "收到申请 <b>25</b> 件" in page.stats.summary.text()
    img = page.stats.months.grab().toImage()
    assert not img.isNull() and img.width() > 100
    assert messages_log == []


def test_reviews_tab(ctx, qtbot, messages_log):
    scenario.build()
    page = make_page(ctx, qtbot)
    with qtbot.waitSignal(page.reviews.loaded, timeout=20000):
        page.navigate(tab="reviews", year=2025)
    qtbot.waitUntil(lambda: page.reviews.withheld.rowCount() == 9, timeout=20000)
    labels = {page.reviews.withheld.item(r, 2).text() for r in range(9)}
    assert "部分公开" in labels and "不予公开/属于国家秘密" in labels
    assert page.reviews.frequent.rowCount() >= 1
    assert "共 9 件" in page.reviews.withheld_count.text()
    assert messages_log == []


def test_page_is_in_the_main_window(main_window, qtbot, messages_log):
    from gkdesk.ui.pages.reports import ReportsPage

    page = main_window.show_page("reports")
    assert isinstance(page, ReportsPage)
    qtbot.waitUntil(lambda: page.annual.loaded_year is not None, timeout=20000)
    assert messages_log == []


def test_a_tab_is_built_when_it_is_first_shown(ctx, qtbot):
    """统计报表 opens with only its first tab built (issue 20); choosing another tab builds it
    in place, under its own title, and the tabs already built are kept."""
    page = make_page(ctx, qtbot)
    assert page.built_tabs() == ("annual",)
    page.tabs.setCurrentIndex(page.TABS.index("ledger"))
    assert page.built_tabs() == ("annual", "ledger")
    assert page.tabs.tabText(page.tabs.currentIndex()) == "台账"
    assert page.ledger.isVisible() and page.ledger.parent() is page.tabs.currentWidget()
    page.navigate(tab="document")
    assert "document" in page.built_tabs() and page.document.isVisible()
    assert page.tab("ledger") is page.ledger
