"""The units' annual reports: workbooks with planted errors are refused at exactly those
cells; the sum of generated unit reports equals the tables computed from their cases."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from gkdesk import settings
from gkdesk.actors import SYSTEM
from gkdesk.reports import annual, annual_xlsx, unit_reports

from . import scenario

S2, S3, S4 = "二、主动公开政府信息情况", "三、收到和处理申请情况", "四、行政复议行政诉讼情况"


@pytest.fixture
def official(db_path, tmp_path) -> Path:
    """The 2025 report of a unit, exported by gkdesk in the official layout."""
    scenario.build()
    settings.save({"office.name": "某某区民政局"})
    annual.save_table2(2025, {("规章", "本年制发件数"): 1, ("规章", "本年废止件数"): 0, ("规章", "现行有效件数"): 5,
                              ("行政规范性文件", "本年制发件数"): 2, ("行政规范性文件", "本年废止件数"): 1,
                              ("行政规范性文件", "现行有效件数"): 7}, SYSTEM)
    return annual_xlsx.export(2025, tmp_path / "民政局.xlsx")


def _edit(src: Path, dest: Path, edits: dict) -> Path:
    wb = openpyxl.load_workbook(src)
    for ref, v in edits.items():
        sheet, cell = ref.split("!")
        ws = wb[sheet]
        v = v(ws[cell].value) if callable(v) else v
        ws[cell] = v
    wb.save(dest)
    return dest


def _typed_by_unit(path: Path, t3: dict, t4: dict, t2: dict) -> Path:
    """A unit's own workbook: one sheet, no merged cells, labels without numbering, another order of rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "年报数据"
    ws["A1"] = "某某镇人民政府2025年政府信息公开工作年度报告统计表"
    ws["A2"] = "填报单位：某某镇人民政府"
    ws.append([])
    ws.append(["栏目", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"])   # row 4
    for lr in annual.table3_layout():
        label = lr.label.split(".", 1)[-1] if lr.group else lr.label
        ws.append([label, *[t3[lr.key][c] for c in annual.TABLE3_COLUMNS]])
    ws.append([])
    start = ws.max_row + 1
    ws.cell(start, 1, "行政复议")
    ws.cell(start, 6, "行政诉讼")
    for g, key in enumerate(annual.TABLE4_KEYS):
        for i, c in enumerate(annual.TABLE4_COLUMNS):
            ws.cell(start + 1, 1 + g * 5 + i, c)
            ws.cell(start + 2, 1 + g * 5 + i, t4[key][c])
    r = start + 4
    for sec in annual.TABLE2:
        ws.cell(r, 1, "信息内容")
        for i, c in enumerate(sec.columns):
            ws.cell(r, 2 + i, c)
        r += 1
        for row in sec.rows:
            ws.cell(r, 1, row)
            for i, c in enumerate(sec.columns):
                ws.cell(r, 2 + i, t2[row][c])
            r += 1
    wb.save(path)
    return path


def _unit(name: str) -> dict:
    line = f"填报单位：{name}　　统计期间：2025年1月1日至2025年12月31日"
    return {f"{s}!A2": line for s in (S2, S3, S4)}


def _rows():
    return {lr.key: 6 + i for i, lr in enumerate(annual.table3_layout())}


def test_the_official_export_reads_back_exactly_and_passes(official):
    rep = unit_reports.read(official)
    assert rep.problems == [] and rep.unit_name == "某某区民政局" and rep.year == 2025
    assert rep.data["table3"] == annual.table3(2025) and rep.data["table4"] == annual.table4(2025)
    assert rep.data["table2"]["行政规范性文件"] == {"本年制发件数": 2, "本年废止件数": 1, "现行有效件数": 7}


def test_three_workbooks_with_planted_errors_are_refused_at_exactly_those_cells(official, tmp_path, run_cli, db_path):
    rows = _rows()
    new, carried_in, out = rows[annual.ROW_NEW], rows[annual.ROW_CARRIED_IN], rows[annual.ROW_CARRIED_OUT]
    secret = rows["（三）不予公开/1.属于国家秘密"]
    folder = tmp_path / "units"
    folder.mkdir()
    # 1. the official layout: a row total off by one, a word where a number goes, table 四's total wrong
    _edit(official, folder / "甲.xlsx", {f"{S3}!J{new}": lambda v: v + 1, f"{S3}!D{secret}": "三件",
                                         f"{S4}!E6": lambda v: v + 1, **_unit("甲局")})
    # 2. last year's report of the unit is in gkdesk: this year's 上年结转 (商业企业) does not match it,
    #    though the workbook adds up in itself; and a formula in table 二
    t3_2024 = {k: dict(v) for k, v in annual.table3(2025).items()}
    t3_2024[annual.ROW_CARRIED_OUT] = dict(annual.table3(2025)[annual.ROW_CARRIED_IN])   # a history that agrees
    t2_2024 = annual.table2(2025)
    t2_2024["规章"]["现行有效件数"], t2_2024["行政规范性文件"]["现行有效件数"] = 4, 6      # 4+1−0=5, 6+2−1=7
    unit_reports.save([unit_reports.UnitReportFile(Path("乙-2024.xlsx"), "乙-2024.xlsx", "乙局", 2024,
                                                   {"table2": t2_2024, "table3": t3_2024,
                                                    "table4": annual.table4(2025)})], SYSTEM)
    last_out = t3_2024[annual.ROW_CARRIED_OUT]["商业企业"]
    wb = openpyxl.load_workbook(official)
    _edit(official, folder / "乙.xlsx", {
        **_unit("乙局"),
        f"{S3}!E{carried_in}": last_out + 2, f"{S3}!J{carried_in}": lambda v: v + (last_out + 2 - wb[S3][f"E{carried_in}"].value),
        f"{S3}!E{out}": lambda v: v + (last_out + 2 - wb[S3][f"E{carried_in}"].value),
        f"{S3}!J{out}": lambda v: v + (last_out + 2 - wb[S3][f"E{carried_in}"].value),
        f"{S2}!B5": "=1+1"})
    # 3. a workbook the unit typed itself: 结转下年度 (社会公益组织) breaks 一 + 二 = 三（七） + 四
    t3 = {k: dict(v) for k, v in annual.table3(2025).items()}
    t3[annual.ROW_CARRIED_OUT]["社会公益组织"] += 3
    t3[annual.ROW_CARRIED_OUT]["总计"] += 3
    _typed_by_unit(folder / "丙.xlsx", t3, annual.table4(2025), annual.table2(2025))
    reps = {r.unit_name: r for r in unit_reports.read_paths(folder)}
    assert set(reps) == {"甲局", "乙局", "某某镇人民政府"}
    assert sorted(reps["甲局"].cells) == sorted([f"{S3}!J{new}", f"{S3}!D{secret}", f"{S4}!E6"])
    assert sorted(reps["乙局"].cells) == sorted([f"{S3}!E{carried_in}", f"{S2}!B5"])
    typed_out_row = 4 + 1 + [lr.key for lr in annual.table3_layout()].index(annual.ROW_CARRIED_OUT)
    assert reps["某某镇人民政府"].cells == [f"年报数据!E{typed_out_row}"]
    msgs = {str(p) for r in reps.values() for p in r.problems}
    assert any("上年结转（商业企业）应等于2024年度报告" in m for m in msgs)
    assert any("是公式" in m for m in msgs) and any("勾稽关系不符（社会公益组织）" in m for m in msgs)
    # headless: check names the cells and fails; sum refuses and writes nothing
    r = run_cli("annual-report", "check", folder, "--db", db_path)
    assert r.returncode != 0 and f"甲.xlsx!{S3}!J{new}：" in r.stderr
    r = run_cli("annual-report", "sum", folder, "-o", tmp_path / "sum.xlsx", "--db", db_path)
    assert r.returncode != 0 and not (tmp_path / "sum.xlsx").exists()


def test_sum_of_generated_unit_reports_equals_their_cases(tmp_path, run_cli):
    """Three units, each with its own database of generated cases, export their reports;
    the county sums the workbooks; the sum equals the tables computed from the cases."""
    folder = tmp_path / "reports"
    folder.mkdir()
    expected3 = {k: {c: 0 for c in annual.TABLE3_COLUMNS} for k in annual.TABLE3_KEYS}
    expected4 = {k: {c: 0 for c in annual.TABLE4_COLUMNS} for k in annual.TABLE4_KEYS}
    for i, unit in enumerate(("教育局", "卫健局", "某某街道办事处")):
        db = tmp_path / f"u{i}.sqlite3"
        assert run_cli("demo", "--count", "60", "--seed", str(i + 3), "--db", db).returncode == 0
        r = run_cli("annual-report", "--year", "2025", "--json", "--db", db)
        rep = json.loads(r.stdout)
        for k in annual.TABLE3_KEYS:
            for c in annual.TABLE3_COLUMNS:
                expected3[k][c] += rep["table3"][k][c]
        for k in annual.TABLE4_KEYS:
            for c in annual.TABLE4_COLUMNS:
                expected4[k][c] += rep["table4"][k][c]
        from gkdesk.db import close_database, open_database

        open_database(db)
        try:
            settings.save({"office.name": unit})
        finally:
            close_database()
        assert run_cli("annual-report", "--year", "2025", "-o", folder / f"{unit}.xlsx", "--db", db).returncode == 0
    assert expected3[annual.ROW_NEW]["总计"] > 0
    county = tmp_path / "county.sqlite3"
    out = tmp_path / "汇总.xlsx"
    r = run_cli("annual-report", "sum", folder, "-o", out, "--db", county, "--create")   # a new database
    assert r.returncode == 0, r.stderr
    summed = unit_reports.read(out)
    assert summed.problems == []
    assert summed.data["table3"] == expected3 and summed.data["table4"] == expected4
    # the units' reports are kept: next year's check compares 上年结转 with them
    from gkdesk.db import close_database, open_database

    open_database(county)
    try:
        assert sorted(s["unit"] for s in unit_reports.stored(2025)) == ["卫健局", "教育局", "某某街道办事处"]
    finally:
        close_database()
