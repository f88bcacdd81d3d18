"""Annual-report tables 三 and 四 against a year worked out by hand (scenario.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from gkdesk.reports import annual

from . import scenario
from .conftest import make_case

D = dt.date
COLS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
N, C, R, P, L, O, T = COLS

# The 25 keys of annual-report.md, spelled out here (not taken from the code).
KEYS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开",
    "（三）不予公开/1.属于国家秘密",
    "（三）不予公开/2.其他法律行政法规禁止公开",
    "（三）不予公开/3.危及“三安全一稳定”",
    "（三）不予公开/4.保护第三方合法权益",
    "（三）不予公开/5.属于三类内部事务信息",
    "（三）不予公开/6.属于四类过程性信息",
    "（三）不予公开/7.属于行政执法案卷",
    "（三）不予公开/8.属于行政查询事项",
    "（四）无法提供/1.本机关不掌握相关政府信息",
    "（四）无法提供/2.没有现成信息需要另行制作",
    "（四）无法提供/3.补正后申请内容仍不明确",
    "（五）不予处理/1.信访举报投诉类申请",
    "（五）不予处理/2.重复申请",
    "（五）不予处理/3.要求提供公开出版物",
    "（五）不予处理/4.无正当理由大量反复申请",
    "（五）不予处理/5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "（六）其他处理/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "（六）其他处理/3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]
NEW, CARRIED_IN, TOTAL7, CARRIED_OUT = KEYS[0], KEYS[1], KEYS[23], KEYS[24]


def full(nonzero: dict) -> dict:
    """A whole table from its non-zero cells {(key, column): n}."""
    out = {k: {c: 0 for c in COLS} for k in KEYS}
    for (k, c), n in nonzero.items():
        out[k][c] = n
    return out


# Worked out by hand from scenario.py's docstring.
EXPECTED_2025 = full({
    # 一: outcome cases 1..23 (N 4, C 4, R 4, P 4, L 4, O 3) + D (N) + E (P)
    (NEW, N): 5, (NEW, C): 4, (NEW, R): 4, (NEW, P): 5, (NEW, L): 4, (NEW, O): 3, (NEW, T): 25,
    # 二: A, B (N) and F (O)
    (CARRIED_IN, N): 2, (CARRIED_IN, O): 1, (CARRIED_IN, T): 3,
    ("（一）予以公开", N): 2, ("（一）予以公开", C): 1, ("（一）予以公开", T): 3,      # #1, A ; #2
    ("（二）部分公开", R): 1, ("（二）部分公开", T): 1,                                # #3 only
    (KEYS[4], P): 1, (KEYS[4], T): 1,
    (KEYS[5], L): 1, (KEYS[5], T): 1,
    (KEYS[6], O): 1, (KEYS[6], T): 1,
    (KEYS[7], N): 1, (KEYS[7], T): 1,
    (KEYS[8], C): 1, (KEYS[8], T): 1,
    (KEYS[9], R): 1, (KEYS[9], T): 1,
    (KEYS[10], P): 1, (KEYS[10], T): 1,
    (KEYS[11], L): 1, (KEYS[11], T): 1,
    (KEYS[12], O): 1, (KEYS[12], N): 1, (KEYS[12], T): 2,                               # 36(4) and 36(5)
    (KEYS[13], C): 1, (KEYS[13], T): 1,
    (KEYS[14], R): 1, (KEYS[14], T): 1,
    (KEYS[15], P): 1, (KEYS[15], T): 1,
    (KEYS[16], L): 1, (KEYS[16], O): 1, (KEYS[16], T): 2,                               # #17 and F
    (KEYS[17], O): 1, (KEYS[17], T): 1,
    (KEYS[18], N): 1, (KEYS[18], T): 1,
    (KEYS[19], C): 1, (KEYS[19], T): 1,
    (KEYS[20], R): 1, (KEYS[20], T): 1,
    (KEYS[21], P): 1, (KEYS[21], T): 1,
    (KEYS[22], L): 1, (KEYS[22], T): 1,
    (TOTAL7, N): 5, (TOTAL7, C): 4, (TOTAL7, R): 4, (TOTAL7, P): 4, (TOTAL7, L): 4, (TOTAL7, O): 4,
    (TOTAL7, T): 25,
    # 四: B (N), D (N, corrected in 2026 but received in 2025), E (P)
    (CARRIED_OUT, N): 2, (CARRIED_OUT, P): 1, (CARRIED_OUT, T): 3,
})

EXPECTED_2026 = full({
    (CARRIED_IN, N): 2, (CARRIED_IN, P): 1, (CARRIED_IN, T): 3,          # B, D ; E
    ("（二）部分公开", N): 1, ("（二）部分公开", T): 1,                     # D
    (KEYS[12], P): 1, (KEYS[12], T): 1,                                 # E
    (TOTAL7, N): 1, (TOTAL7, P): 1, (TOTAL7, T): 2,
    (CARRIED_OUT, N): 1, (CARRIED_OUT, T): 1,                           # B still open
})

EXPECTED_2024 = full({
    (NEW, N): 2, (NEW, C): 1, (NEW, O): 1, (NEW, T): 4,                 # A, B ; Cc ; F
    (CARRIED_IN, R): 1, (CARRIED_IN, T): 1,                             # H
    (KEYS[4], C): 1, (KEYS[4], T): 1,                                   # Cc
    (KEYS[11], R): 1, (KEYS[11], T): 1,                                 # H
    (TOTAL7, C): 1, (TOTAL7, R): 1, (TOTAL7, T): 2,
    (CARRIED_OUT, N): 2, (CARRIED_OUT, O): 1, (CARRIED_OUT, T): 3,      # A, B ; F
})

T4_COLS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
EXPECTED_T4_2025 = {
    "行政复议": dict(zip(T4_COLS, (1, 1, 0, 1, 3))),               # P1 ; P2 ; P3 (result in 2026)
    "行政诉讼/未经复议直接起诉": dict(zip(T4_COLS, (0, 0, 1, 1, 2))),  # P5 ; P4
    "行政诉讼/复议后起诉": dict(zip(T4_COLS, (0, 1, 0, 0, 1))),       # P6 (on 31 Dec)
}
EXPECTED_T4_2024 = {
    "行政复议": dict(zip(T4_COLS, (0, 0, 0, 1, 1))),               # P7 decided in 2025
    "行政诉讼/未经复议直接起诉": dict(zip(T4_COLS, (0, 0, 0, 0, 0))),
    "行政诉讼/复议后起诉": dict(zip(T4_COLS, (0, 0, 0, 0, 0))),
}


@pytest.fixture
def ids(db_path):
    return scenario.build()


def test_key_list_matches_the_format():
    assert list(annual.TABLE3_KEYS) == KEYS
    assert len(KEYS) == 25
    assert annual.TABLE3_COLUMNS == COLS


def test_table3_2025_by_hand(ids):
    got = annual.table3(2025)
    assert list(got) == KEYS
    for k in KEYS:
        assert list(got[k]) == list(COLS), k
    assert got == EXPECTED_2025


def test_table3_across_year_boundaries(ids):
    assert annual.table3(2024) == EXPECTED_2024
    assert annual.table3(2026) == EXPECTED_2026
    # a year with nothing at all is all zeros, every key and column present
    empty = annual.table3(2019)
    assert empty == full({})


def test_table4_by_hand(ids):
    assert annual.table4(2025) == EXPECTED_T4_2025
    assert annual.table4(2024) == EXPECTED_T4_2024
    t26 = annual.table4(2026)
    assert t26["行政诉讼/复议后起诉"] == dict(zip(T4_COLS, (0, 0, 0, 1, 1)))   # P8
    assert t26["行政复议"]["总计"] == 0


def test_check_passes_on_clean_data(ids):
    for y in (2024, 2025, 2026):
        assert annual.check(y) == []


def test_report_json_shape(ids):
    rep = annual.report(2025)
    assert list(rep) == ["year", "table3", "table4"]
    assert rep["year"] == 2025
    assert len(rep["table3"]) == 25 and all(len(v) == 7 for v in rep["table3"].values())
    assert list(rep["table4"]) == ["行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉"]


def test_drill_down_lists_the_cases_counted(ids):
    assert annual.cases_in(2025, CARRIED_OUT, T) == [ids["B"], ids["D"], ids["E"]]
    assert annual.cases_in(2025, CARRIED_OUT, N) == [ids["B"], ids["D"]]
    assert annual.cases_in(2025, "（一）予以公开", N) == [ids["A"], ids[1]]
    assert annual.cases_in(2025, KEYS[12], T) == [ids[12], ids[13]]
    assert annual.cases_in(2025, NEW, O) == [ids[6], ids[12], ids[18]]
    assert annual.cases_in(2026, "（二）部分公开", T) == [ids["D"]]
    assert sorted(annual.cases_in(2025, TOTAL7, T)) == sorted([ids[i] for i in range(1, 24)] + [ids["A"], ids["F"]])
    # every number of the table is the length of its drill-down list
    t = annual.table3(2025)
    for k in KEYS:
        for c in COLS:
            assert len(annual.cases_in(2025, k, c)) == t[k][c], (k, c)
    # table 四 drill-down
    assert annual.cases_in(2025, "行政复议", "尚未审结") == [ids[3]]
    assert annual.cases_in(2025, "行政诉讼/复议后起诉", "结果纠正") == [ids[13]]
    assert annual.cases_in(2025, "行政诉讼/未经复议直接起诉", "总计") == [ids["A"], ids[12]]


def test_check_names_the_cases_at_fault(db_path):
    ok = make_case(D(2025, 3, 2), outcome="disclosed", reply=D(2025, 3, 10))
    no_outcome = make_case(D(2025, 3, 3), reply=D(2025, 3, 12))
    no_reply = make_case(D(2025, 4, 1), "commercial", outcome="secret")
    backwards = make_case(D(2025, 5, 10), outcome="disclosed", reply=D(2025, 5, 1))
    problems = annual.check(2025)
    by_case = {p.case_id: p.message for p in problems if p.case_id}
    assert ok.id not in by_case
    assert no_outcome.number in by_case[no_outcome.id] and "未选择办理结果" in by_case[no_outcome.id]
    assert "没有答复日期" in by_case[no_reply.id]
    assert "早于收到申请日期" in by_case[backwards.id]
    # the reply without an outcome breaks 一 + 二 = 三（七） + 四 for 自然人 and 总计
    sums = [p.message for p in problems if p.case_id is None]
    assert any("勾稽关系不符（自然人）" in m for m in sums)
    assert any("勾稽关系不符（总计）" in m for m in sums)
    assert not any("商业企业" in m for m in sums)


def test_check_flags_proceeding_without_result_date(db_path):
    c = make_case(D(2025, 3, 2), outcome="disclosed", reply=D(2025, 3, 10))
    from .conftest import add_proceeding

    add_proceeding(c, "reconsideration", D(2025, 4, 1), "upheld", None)
    problems = annual.check(2025)
    assert len(problems) == 1 and problems[0].case_id == c.id and "结果日期" in problems[0].message


def test_table2_inputs_round_trip_and_validation(db_path):
    from gkdesk.actors import SYSTEM
    from gkdesk.db.models import CaseEvent
    from gkdesk.errors import ValidationError

    t = annual.table2(2025)
    assert t["规章"] == {"本年制发件数": None, "本年废止件数": None, "现行有效件数": None}
    assert t["行政事业性收费"] == {"本年收费金额（单位：万元）": None}
    changed = annual.save_table2(2025, {"行政规范性文件/本年制发件数": "12", ("行政许可", "本年处理决定数量"): 345,
                                        "行政事业性收费/本年收费金额（单位：万元）": "1.25"}, SYSTEM)
    assert len(changed) == 3
    t = annual.table2(2025)
    assert t["行政规范性文件"]["本年制发件数"] == 12
    assert t["行政许可"]["本年处理决定数量"] == 345
    assert t["行政事业性收费"]["本年收费金额（单位：万元）"] == 1.25
    assert annual.table2(2024)["行政许可"]["本年处理决定数量"] is None
    assert CaseEvent.select().where(CaseEvent.action == "report_input").count() == 1
    # same values again: nothing changes, no event
    assert annual.save_table2(2025, {"行政规范性文件/本年制发件数": 12}, SYSTEM) == {}
    with pytest.raises(ValidationError) as ei:
        annual.save_table2(2025, {"规章/本年制发件数": "-1", "行政处罚/本年处理决定数量": "三",
                                  "行政规范性文件/本年制发件数": "20"}, SYSTEM)
    assert len(ei.value.problems) == 2
    assert annual.table2(2025)["行政规范性文件"]["本年制发件数"] == 12   # nothing written
    annual.save_table2(2025, {"行政规范性文件/本年制发件数": ""}, SYSTEM)
    assert annual.table2(2025)["行政规范性文件"]["本年制发件数"] is None
