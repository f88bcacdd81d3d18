"""The reports subcommands, run as a separate process (``python -m gkdesk``)."""
from __future__ import annotations

import datetime as dt
import json

from openpyxl import Workbook, load_workbook

from . import scenario
from .conftest import make_case
from .test_annual import EXPECTED_2025, EXPECTED_T4_2025

D = dt.date


def test_annual_report_json(db_path, run_cli):
    scenario.build()
    r = run_cli("annual-report", "--year", "2025", "--json", "--db", db_path)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data == {"year": 2025, "table3": EXPECTED_2025, "table4": EXPECTED_T4_2025}
    assert list(data["table3"]) == list(EXPECTED_2025)


def test_annual_report_file_refused_when_check_fails(db_path, run_cli, tmp_path):
    scenario.build()
    bad = make_case(D(2025, 8, 1), reply=D(2025, 8, 5))        # a reply without an outcome
    out = tmp_path / "年报.xlsx"
    r = run_cli("annual-report", "--year", "2025", "-o", out, "--db", db_path)
    assert r.returncode != 0
    assert bad.number in r.stderr and "未选择办理结果" in r.stderr
    assert not out.exists()
    # JSON alone still prints, with the problem as a note on stderr
    r = run_cli("annual-report", "--year", "2025", "--json", "--db", db_path)
    assert r.returncode == 0 and bad.number in r.stderr
    assert json.loads(r.stdout)["table3"]["一、本年新收政府信息公开申请数量"]["总计"] == 26


def test_annual_report_files(db_path, run_cli, tmp_path):
    scenario.build()
    for name in ("a.xlsx", "a.pdf"):
        r = run_cli("annual-report", "--year", "2025", "-o", tmp_path / name, "--db", db_path)
        assert r.returncode == 0, r.stderr
        assert (tmp_path / name).stat().st_size > 1000
    r = run_cli("annual-report", "--year", "2025", "-o", tmp_path / "a.docx", "--db", db_path)
    assert r.returncode != 0 and ".xlsx 或 .pdf" in r.stderr


def test_ledger_export_import_via_cli(db_path, run_cli, tmp_path):
    scenario.build()
    out = tmp_path / "台账.xlsx"
    r = run_cli("ledger", "export", "--from", "2025-01-01", "--to", "2025-12-31", "-o", out, "--db", db_path)
    assert r.returncode == 0, r.stderr
    assert "已导出 25 件" in r.stdout
    fresh = tmp_path / "fresh.sqlite3"
    r = run_cli("ledger", "import", out, "--db", fresh)
    assert r.returncode != 0 and "不存在" in r.stderr and not fresh.exists()   # a typo is not a new database
    r = run_cli("ledger", "import", out, "--db", fresh, "--create")
    assert r.returncode == 0, r.stderr
    assert "新建案件 25 件" in r.stdout
    r = run_cli("ledger", "import", out, "--db", fresh)
    assert r.returncode == 0 and "新建案件 0 件" in r.stdout and "已存在未改动 25 件" in r.stdout
    r = run_cli("annual-report", "--year", "2025", "--json", "--db", fresh)
    t3 = json.loads(r.stdout)["table3"]
    # only cases received in 2025 were exported: 一 is complete, 二 is empty in the fresh database
    assert t3["一、本年新收政府信息公开申请数量"] == EXPECTED_2025["一、本年新收政府信息公开申请数量"]
    assert t3["二、上年结转政府信息公开申请数量"]["总计"] == 0


def test_bad_ledger_via_cli(db_path, run_cli, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["受理编号", "申请人类型", "申请人", "申请内容", "收到申请日期"])
    ws.append(["X-1", "自然人", "张三", "某文件", "2025-03-04"])
    ws.append(["X-2", "个体户", "李四", "某文件", "2025-03-04"])
    ws.append(["X-3", "自然人", "王五", "", "2025-03-04"])
    f = tmp_path / "bad.xlsx"
    wb.save(f)
    r = run_cli("ledger", "import", f, "--check", "--db", db_path)
    assert r.returncode != 0 and "第3行，B列（申请人类型）" in r.stderr
    r = run_cli("ledger", "import", f, "--db", db_path)
    assert r.returncode != 0
    assert "第3行，B列（申请人类型）" in r.stderr and "第4行，D列（申请内容）" in r.stderr
    assert "数据库未作任何改动" in r.stderr
    from gkdesk.db.models import Case

    assert Case.select().count() == 0


def test_stats_and_reviews_via_cli(db_path, run_cli, tmp_path):
    scenario.build()
    r = run_cli("stats", "--year", "2025", "--json", "--db", db_path)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert sum(data["received_by_month"]) == 25 and data["overall"]["replied"] == 25
    r = run_cli("stats", "--year", "2025", "-o", tmp_path / "s.xlsx", "--db", db_path)
    assert r.returncode == 0 and load_workbook(tmp_path / "s.xlsx").sheetnames[0] == "概况"
    r = run_cli("review", "withheld", "--year", "2025", "--db", db_path)
    assert r.returncode == 0
    assert len(r.stdout.strip().splitlines()) == 9              # 部分公开 + the 8 不予公开 rows
    r = run_cli("review", "frequent", "--year", "2025", "-o", tmp_path / "f.xlsx", "--db", db_path)
    assert r.returncode == 0 and (tmp_path / "f.xlsx").is_file()
    r = run_cli("review", "frequent", "--year", "0", "--db", db_path)
    assert r.returncode == 0 and "组" in r.stderr
