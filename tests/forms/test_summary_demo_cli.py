"""The county-wide summary, the demo units and the command line."""
import datetime as dt
import random

import openpyxl

from gkdesk.actors import SYSTEM
from gkdesk.db.models import FunctionsList, LeadingGroupMember, StaffMember, Unit
from gkdesk.forms import demo, rounds, summary, units, xlsx_export

from .helpers import make_unit
from .test_xlsx_roundtrip import fill_clean


def test_summary_workbook(db_path, tmp_path):
    make_unit("民政局")
    make_unit("东海街道办事处", functions=None)
    retired = make_unit("老龄办")
    units.retire_unit(retired, SYSTEM)
    path = summary.summary(tmp_path / "汇总.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["工作人员", "工作职能清单", "领导小组"]
    staff = list(wb["工作人员"].iter_rows(values_only=True))
    assert staff[0] == ("序号", "单位", "单位类型", "类别", "姓名", "职务", "联系方式", "备注")
    assert len(staff) == 1 + 6                          # 3 rows × 2 active units
    assert staff[1][:5] == (1, "东海街道办事处", "街道", "分管领导", "张三")   # streets before departments
    assert "老龄办" not in {r[1] for r in staff[1:]}
    fl = list(wb["工作职能清单"].iter_rows(values_only=True))
    assert len(fl) == 2 and fl[1][1:4] == ("民政局", "某某区民政局", "某某区某某路1号")
    assert wb["工作人员"].freeze_panes == "C2"
    with_retired = openpyxl.load_workbook(summary.summary(tmp_path / "all.xlsx", include_retired=True))
    assert "老龄办（已撤销）" in {r[1] for r in with_retired["工作人员"].iter_rows(values_only=True)}


def test_demo_units(db_path, tmp_path):
    n = demo.generate_units(200, random.Random(7), SYSTEM)
    assert n == 200 == Unit.select().count()
    kinds = {u.kind for u in Unit.select()}
    assert {"department", "street", "committee", "township"} <= kinds
    assert StaffMember.select().where(StaffMember.group == "leader").count() >= 200
    assert FunctionsList.select().count() == 200
    assert LeadingGroupMember.select().where(LeadingGroupMember.role == "head").count() == 200
    # every demo unit passes the same checks as a clerk's edit and round-trips through xlsx
    sample = random.Random(1).sample(list(Unit.select()), 5)
    for u in sample:
        s = units.get_staff(u)
        units.set_staff(u, s.leaders, s.staff, SYSTEM)
        units.set_functions(u, units.get_functions(u), SYSTEM)
        units.set_leading_group(u, units.get_leading_group(u), SYSTEM)
        from gkdesk.forms import xlsx_import
        d = xlsx_import.diff_paths(xlsx_export.export_unit(u, tmp_path))[0]
        assert d.problems == [] and d.changes == [], (u.name, d.problems, d.changes)
    # deterministic, and a second call adds new names
    assert demo.generate_units(5, random.Random(7), SYSTEM) == 5
    assert Unit.select().count() == 205
    assert len({u.name for u in Unit.select()}) == 205


def test_cli_round_export_import_status(db_path, tmp_path, run_cli):
    from gkdesk.db import close_database
    db = str(db_path)
    make_unit("民政局", leaders=[], staff=[], functions=None)
    make_unit("信访局", leaders=[], staff=[], functions=None)
    close_database()
    r = run_cli("forms", "round", "new", "--name", "2026年第一次", "--deadline", "2026-08-28",
                "--email", "lcxinxike@163.com", "--fax", "22355669", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "注：请于 8 月 28 日下午下班前将电子版发至 lcxinxike@163.com，纸质版加盖公章传真至 22355669。" in r.stdout
    out = tmp_path / "out"
    r = run_cli("forms", "export", "--blank", "-o", out, "--db", db)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["信访局.xlsx", "民政局.xlsx"]
    wb = openpyxl.load_workbook(out / "民政局.xlsx")
    fill_clean(wb)
    wb.save(out / "民政局.xlsx")
    # 信访局 sent back the blank form: problems → non-zero, nothing saved
    r = run_cli("forms", "import", out, "--yes", "--db", db)
    assert r.returncode != 0
    assert "信访局.xlsx!附件2!B4：未填写全称" in r.stderr
    assert "未保存任何内容" in r.stderr
    r = run_cli("forms", "units", "--json", "--db", db)
    assert '"staff": 0' in r.stdout and '"staff": 3' not in r.stdout
    # preview only
    r = run_cli("forms", "import", out / "民政局.xlsx", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "附件1 工作人员：新增 林晓燕" in r.stdout and "未保存" in r.stderr
    r = run_cli("forms", "import", out / "民政局.xlsx", "--yes", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "登记交回 1 份" in r.stdout
    r = run_cli("forms", "round", "status", "--json", "--today", "2026-08-20", "--db", db)
    assert r.returncode == 0, r.stderr
    import json
    st = json.loads(r.stdout)
    # the return is stamped with the time of the import: late if today is past 28 August 2026
    expected = "late" if dt.date.today() > dt.date(2026, 8, 28) else "returned"
    assert {u["unit"]: u["status"] for u in st["units"]} == {"民政局": expected, "信访局": "missing"}
    r = run_cli("forms", "summary", "-o", tmp_path / "sum.xlsx", "--db", db)
    assert r.returncode == 0 and (tmp_path / "sum.xlsx").exists()
    r = run_cli("forms", "pdf", "--unit", "民政局", "-o", tmp_path / "mz.pdf", "--db", db)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "mz.pdf").read_bytes()[:5] == b"%PDF-"
    r = run_cli("forms", "pdf", "--unit", "没有这个局", "-o", tmp_path / "x.pdf", "--db", db)
    assert r.returncode != 0 and "找不到单位“没有这个局”" in r.stderr
    r = run_cli("forms", "unit", "merge", "信访局", "民政局", "--db", db)
    assert r.returncode == 0, r.stderr
    r = run_cli("forms", "units", "--all", "--db", db)
    assert "信访局（已并入民政局）" in r.stdout


def test_round_status_cli_late(db_path, tmp_path, run_cli):
    from gkdesk.db import close_database
    from gkdesk.db import write_transaction
    u = make_unit("民政局", leaders=[], staff=[], functions=None)
    r = rounds.create_round("第一次", dt.date(2026, 8, 28), SYSTEM)
    with write_transaction():
        rounds.record_return(r, u, SYSTEM, ok=True, returned_at=dt.datetime(2026, 9, 2, 2, tzinfo=dt.timezone.utc))
    close_database()
    res = run_cli("forms", "round", "status", "--db", str(db_path))
    assert res.returncode == 0, res.stderr
    assert "民政局\t逾期交回" in res.stdout
