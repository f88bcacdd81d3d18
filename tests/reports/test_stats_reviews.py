"""Statistics and the two yearly reviews, against cases whose figures were worked out by
hand on the 2025 holiday schedule."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from gkdesk.reports import reviews, stats

from .conftest import make_case

D = dt.date


@pytest.fixture
def year_2025(db_path):
    # 2025-03-03 (Mon) → reply 03-14: working days 4-7, 10-14 March = 9; due 03-31 (20th)
    c1 = make_case(D(2025, 3, 3), outcome="disclosed", reply=D(2025, 3, 14), section="综合股", handler="王五",
                   name="张三")
    # 2025-03-03 → reply 03-31, exactly the 20th working day: on time
    c2 = make_case(D(2025, 3, 3), "commercial", outcome="partial", reply=D(2025, 3, 31), section="综合股",
                   handler="赵六", name="某某建设有限公司", reason="部分内容涉及商业秘密")
    # 2025-04-01 → due 04-29 (Qingming 4 Apr off, Sun 27 Apr a make-up workday);
    # reply 05-06 after the 1–5 May holiday: 22 working days, late
    c3 = make_case(D(2025, 4, 1), outcome="secret", reply=D(2025, 5, 6), section="法规股", handler="王五",
                   name="李四", reason="经保密审查属于国家秘密")
    # open since June, long overdue
    c4 = make_case(D(2025, 6, 2), section="综合股", handler="赵六", name="王小明")
    return c1, c2, c3, c4


def test_due_dates_used_by_the_example_are_the_hand_worked_ones(year_2025):
    c1, c2, c3, c4 = year_2025
    assert c1.due_date == D(2025, 3, 31) and c3.due_date == D(2025, 4, 29)


def test_stats_by_hand(year_2025):
    st = stats.compute(2025, today=D(2026, 1, 10))
    assert st.received_by_month == [0, 0, 2, 1, 0, 1, 0, 0, 0, 0, 0, 0]
    assert st.replied_by_month == [0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    o = st.overall
    assert (o.received, o.replied, o.on_time, o.with_due, o.open, o.overdue) == (4, 3, 2, 3, 1, 1)
    assert o.max_days == 22 and o.avg_days == pytest.approx((9 + 20 + 22) / 3)
    assert o.on_time_rate == pytest.approx(2 / 3)
    sec = {g.name: g for g in st.by_section}
    assert (sec["综合股"].received, sec["综合股"].replied, sec["综合股"].on_time, sec["综合股"].open,
            sec["综合股"].overdue, sec["综合股"].max_days) == (3, 2, 2, 1, 1, 20)
    assert sec["综合股"].avg_days == pytest.approx(14.5)
    assert (sec["法规股"].replied, sec["法规股"].on_time, sec["法规股"].avg_days) == (1, 0, 22)
    h = {g.name: g for g in st.by_handler}
    assert (h["王五"].received, h["王五"].replied, h["王五"].on_time, h["王五"].max_days) == (2, 2, 1, 22)
    assert h["王五"].avg_days == pytest.approx(15.5)
    assert (h["赵六"].received, h["赵六"].replied, h["赵六"].open, h["赵六"].overdue) == (2, 1, 1, 1)
    assert dict(st.outcome_groups) == {"（一）予以公开": 1, "（二）部分公开": 1, "（三）不予公开": 1,
                                       "（四）无法提供": 0, "（五）不予处理": 0, "（六）其他处理": 0}
    assert dict(st.by_kind)["自然人"] == 3 and dict(st.by_kind)["商业企业"] == 1


def test_the_annual_documents_on_time_figures_are_the_statistics_ones(year_2025):
    """The annual-report document counts its replies on time by one aggregate (issue 20);
    they are the statistics page's, worked by hand above: 2 of the 3 with a due date."""
    o = stats.compute(2025, today=D(2026, 1, 10)).overall
    t = stats.on_time(2025)
    assert (t.with_due, t.on_time, t.on_time_rate) == (o.with_due, o.on_time, o.on_time_rate) == (3, 2, 2 / 3)
    assert stats.on_time(2024).on_time_rate is None


def test_working_day_index_matches_the_calendar(db_path):
    from gkdesk.cases import deadlines

    cal = deadlines.calendar()
    idx = stats._WorkdayIndex(D(2024, 12, 1), D(2027, 2, 1), cal)
    for a, b in ((D(2025, 1, 20), D(2025, 2, 20)), (D(2025, 9, 28), D(2025, 10, 13)),
                 (D(2026, 12, 20), D(2027, 1, 15)), (D(2025, 3, 3), D(2025, 3, 3))):
        assert idx.between(a, b) == cal.working_days_between(a, b)


def test_stats_xlsx_has_no_personal_data(year_2025, tmp_path):
    st = stats.compute(2025, today=D(2026, 1, 10))
    out = stats.export_xlsx(st, tmp_path / "统计.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["概况", "按月", "办理结果", "按股室", "按承办人"]
    values = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    for name in ("张三", "李四", "王小明", "某某建设有限公司", "13800138000"):
        assert not any(name in v for v in values)
    ws = wb["按月"]
    assert [ws.cell(r, 2).value for r in range(2, 14)] == [0, 0, 2, 1, 0, 1, 0, 0, 0, 0, 0, 0]
    assert ws._charts and wb["办理结果"]._charts
    sec = {r[0].value: [c.value for c in r] for r in wb["按股室"].iter_rows(min_row=2)}
    assert sec["综合股"][1:9] == [3, 2, 2, 1.0, 14.5, 20, 1, 1]


def test_withheld_review(year_2025, tmp_path):
    c1, c2, c3, c4 = year_2025
    items = reviews.withheld(2025)
    assert [i.case_id for i in items] == [c2.id, c3.id]        # by reply date: 03-31, 05-06
    assert items[0].outcome_label == "部分公开" and items[0].reason == "部分内容涉及商业秘密"
    assert items[1].outcome_label == "不予公开/属于国家秘密" and "第十四条" in items[1].articles
    assert reviews.withheld(2024) == []
    out = reviews.export_withheld(items, tmp_path / "复查.xlsx", 2025)
    ws = load_workbook(out).active
    assert [c.value for c in ws[2]] == list(reviews.WITHHELD_HEADERS)
    assert ws["A3"].value == c2.number and ws["E4"].value == "经保密审查属于国家秘密"
    assert not any("李四" in str(c.value) for row in ws.iter_rows() for c in row if c.value)


def test_frequent_requests_grouped(db_path, tmp_path):
    a = make_case(D(2025, 2, 3), content="某某路段道路拓宽工程的立项批复文件", name="甲")
    b = make_case(D(2025, 2, 10), content="申请公开某某路段道路拓宽工程立项批复", name="乙")
    c = make_case(D(2025, 3, 3), content="某某路段道路拓宽工程的批复文件及图纸", name="甲")
    d = make_case(D(2025, 4, 1), content="2024年度区财政预算执行情况报告", name="丙")
    e = make_case(D(2025, 5, 6), content="申请公开2024年度区财政预算执行情况", name="丁")
    make_case(D(2025, 6, 2), content="某小区物业管理费收费标准", name="戊")
    make_case(D(2024, 6, 2), content="某某路段道路拓宽工程立项批复文件", name="己")   # other year
    groups = reviews.frequent(2025)
    assert [g.case_ids for g in groups] == [[a.id, b.id, c.id], [d.id, e.id]]
    g = groups[0]
    assert g.applicants == 2                           # 甲 asked twice
    assert g.phrases == ["某某路段道路拓宽工程", "立项批复文件"]
    assert g.sample == "某某路段道路拓宽工程的立项批复文件"
    assert (g.first_received, g.last_received) == (D(2025, 2, 3), D(2025, 3, 3))
    assert groups[1].phrases == ["2024年度区财政预算执行情况"]
    # all years: the 2024 request joins the first group
    assert reviews.frequent(None)[0].size == 4
    out = reviews.export_frequent(groups, tmp_path / "高频.xlsx", 2025)
    ws = load_workbook(out).active
    assert [c.value for c in ws[2]] == list(reviews.FREQUENT_HEADERS)
    assert ws["B3"].value == 3 and ws["D3"].value == "某某路段道路拓宽工程、立项批复文件"
    assert not any(n in str(cell.value) for row in ws.iter_rows() for cell in row if cell.value
                   for n in ("甲", "乙", "丙"))
