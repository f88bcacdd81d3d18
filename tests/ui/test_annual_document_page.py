"""统计报表 → 年报正文 / 单位年报核对汇总 / 复查结论, and the report-deadline cards."""
from __future__ import annotations

import datetime as dt

from gkdesk.reports import annual_xlsx
from tests.reports import scenario
from tests.reports.conftest import make_case

D = dt.date


def test_document_tab_saves_text_previews_and_shows_last_years_problems(ctx, qtbot, actor):
    from gkdesk.reports import annual_doc
    from gkdesk.ui.pages.annual_document import AnnualDocumentTab

    scenario.build()
    annual_doc.save_texts(2024, {"problems": "答复文书格式不统一"}, actor)
    tab = AnnualDocumentTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.year.set_year(2025)
    tab.load()
    assert tab.last_problems.toPlainText() == "答复文书格式不统一"
    assert tab.preview.page_count >= 3
    tab.editors["improvements"].setPlainText("统一使用系统模板")
    tab.save()
    assert annual_doc.texts(2025)["improvements"] == "统一使用系统模板"
    assert tab.status.text() == "已保存"
    tab.update_preview()
    texts = "".join(r.text for p in tab.preview._laid.pages for r in p.runs)
    assert "统一使用系统模板" in texts and "答复文书格式不统一" in texts


def test_unit_reports_tab_names_wrong_cells_and_sums(ctx, qtbot, tmp_path, messages_log, monkeypatch):
    import openpyxl

    from gkdesk.ui.pages.annual_document import UnitReportsTab

    scenario.build()
    folder = tmp_path / "units"
    folder.mkdir()
    good = annual_xlsx.export(2025, folder / "甲.xlsx")
    wb = openpyxl.load_workbook(good)
    ws = wb["三、收到和处理申请情况"]
    ws["J6"] = ws["J6"].value + 1
    for s in wb.worksheets:
        s["A2"] = "填报单位：乙局　　统计期间：2025年1月1日至2025年12月31日"
    wb.save(folder / "乙.xlsx")
    tab = UnitReportsTab(ctx)
    qtbot.addWidget(tab)
    tab.check(str(folder))
    assert tab.table.rowCount() == 2 and not tab.sum_button.isEnabled()
    tab.table.selectRow([tab.table.item(r, 0).text() for r in range(2)].index("乙.xlsx"))
    assert tab.table.item(0, 3).text().startswith("1处问题")
    assert "乙.xlsx!三、收到和处理申请情况!J6" in tab.problems.item(0).text()
    (folder / "乙.xlsx").unlink()
    tab.check(str(folder))
    assert tab.sum_button.isEnabled()
    out = tmp_path / "汇总.xlsx"
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    tab.sum_reports()
    assert out.exists()


def test_decisions_tab_records_a_decision(ctx, qtbot):
    from PySide6.QtCore import QDate

    from gkdesk.reports import review_decisions as rd
    from gkdesk.ui.pages.annual_document import ReviewDecisionsTab

    c = make_case(D(2025, 3, 1), outcome="secret", reply=D(2025, 3, 10), reason="属于国家秘密")
    tab = ReviewDecisionsTab(ctx)
    qtbot.addWidget(tab)
    tab.year.set_year(2025)
    tab.refresh()
    assert tab.table.rowCount() == 1 and tab.table.item(0, 0).text() == c.number
    tab.table.selectRow(0)
    tab.decision.setCurrentIndex(tab.decision.findData("publish"))
    tab.place.setText("区政府门户网站")
    tab.when.setDate(QDate(2026, 3, 31))
    tab.by.setText("林主任")
    tab.record()
    assert rd.decisions("withheld")[c.number].publish_by == D(2026, 3, 31)
    assert "转为主动公开" in [tab.table.item(0, i).text() for i in range(tab.table.columnCount())]


def test_dashboard_shows_the_two_report_deadlines(qapp):
    from gkdesk.ui.pages.annual_document import ReportDeadlines

    w = ReportDeadlines()
    w.refresh(D(2026, 1, 20))
    texts = [l.text() for l in w.labels]
    assert "2025年度" in texts[0] and "2026年1月31日（还有 11 天）" in texts[0] and "第四十九条" in texts[0]
    assert "2026年3月31日（还有 70 天）" in texts[1] and "第五十条" in texts[1]
    w.refresh(D(2026, 2, 3))
    assert "已过期 3 天" in w.labels[0].text()
