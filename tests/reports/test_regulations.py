"""Table 二 from the register of 规章 and 行政规范性文件: the year's issued / repealed / in-force
counts, written into table 二 on request; a register workbook imported by its header words
(planted errors refused at exactly those cells, nothing saved), known rows updated."""
import datetime as dt

import pytest
from openpyxl import Workbook

from gkdesk.actors import SYSTEM, Actor
from gkdesk.db.models import CaseEvent
from gkdesk.db.register_models import Regulation
from gkdesk.errors import ImportError_, PermissionDenied, ValidationError
from gkdesk.reports import annual, regulations

D = dt.date
VIEWER = Actor("v", "查看员", frozenset({"viewer"}))
ISSUED, REPEALED, IN_FORCE = "本年制发件数", "本年废止件数", "现行有效件数"


def _register():
    add = regulations.add
    add(SYSTEM, kind="rule", title="某某县城市绿化管理办法", number="某政令〔2019〕1号", issued=D(2019, 5, 1))
    add(SYSTEM, kind="rule", title="某某县烟花爆竹燃放管理规定", number="某政令〔2021〕2号", issued=D(2021, 3, 1),
        repealed=D(2025, 6, 30))
    add(SYSTEM, kind="normative", title="关于进一步规范农村建房的通知", number="某政规〔2025〕1号", issued="2025-02-10")
    add(SYSTEM, kind="normative", title="某某县最低生活保障实施细则", number="某政规〔2025〕2号", issued="2025年4月1日",
        repealed="2025-12-31")                       # repealed on the last day: not in force on 31 December
    add(SYSTEM, kind="normative", title="关于临时救助的通知", number="某政规〔2020〕5号", issued=D(2020, 1, 1),
        repealed=D(2024, 1, 1))                      # gone before the year: not counted at all
    add(SYSTEM, kind="normative", title="关于2026年春节期间的通告", number="某政规〔2026〕1号", issued=D(2026, 1, 5))


def test_counts_of_a_year_and_table_two_filled_from_them(db_path):
    _register()
    c = regulations.counts(2025)
    assert c == {"规章": {ISSUED: 0, REPEALED: 1, IN_FORCE: 1},
                 "行政规范性文件": {ISSUED: 2, REPEALED: 1, IN_FORCE: 1}}
    assert regulations.counts(2024)["行政规范性文件"] == {ISSUED: 0, REPEALED: 1, IN_FORCE: 0}
    assert len(regulations.entries(2025)) == 4
    annual.save_table2(2025, {("规章", ISSUED): 9, ("行政许可", "本年处理决定数量"): 12}, SYSTEM)
    regulations.apply_to_table2(2025, SYSTEM)
    t2 = annual.table2(2025)
    assert t2["规章"] == {ISSUED: 0, REPEALED: 1, IN_FORCE: 1}
    assert t2["行政规范性文件"] == {ISSUED: 2, REPEALED: 1, IN_FORCE: 1}
    assert t2["行政许可"]["本年处理决定数量"] == 12          # the other sections untouched
    # recording a repeal changes next year's counts
    e = next(x for x in regulations.entries() if x.title == "某某县城市绿化管理办法")
    regulations.update(e.id, SYSTEM, repealed="2026-03-01")
    assert regulations.counts(2026)["规章"] == {ISSUED: 0, REPEALED: 1, IN_FORCE: 0}
    assert CaseEvent.select().where(CaseEvent.action == "regulation.update").count() == 1


def test_bad_entries_are_refused_naming_the_field(db_path):
    with pytest.raises(ValidationError, match="发布日期：必须填写"):
        regulations.add(SYSTEM, kind="rule", title="办法", issued="")
    with pytest.raises(ValidationError, match="不是日期"):
        regulations.add(SYSTEM, kind="rule", title="办法", issued="去年三月")
    with pytest.raises(ValidationError, match="早于发布日期"):
        regulations.add(SYSTEM, kind="rule", title="办法", issued="2025-03-01", repealed="2024-01-01")
    with pytest.raises(ValidationError, match="类别"):
        regulations.add(SYSTEM, kind="通知", title="办法", issued="2025-03-01")
    with pytest.raises(PermissionDenied):
        regulations.add(VIEWER, kind="rule", title="办法", issued="2025-03-01")
    with pytest.raises(ValidationError, match="还没有登记"):
        regulations.apply_to_table2(2025, SYSTEM)
    assert Regulation.select().count() == 0


def _book(path, rows, title="登记簿", header=("序号", "类别", "文件名称", "文号", "发布日期", "废止日期", "备注")):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(["某某县规章和行政规范性文件登记簿"])
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def test_import_xlsx_refuses_planted_errors_at_their_cells_then_saves_and_updates(db_path, tmp_path):
    rows = [
        (1, "规章", "某某县城市绿化管理办法", "某政令〔2019〕1号", dt.datetime(2019, 5, 1), None, ""),
        (2, "行政规范性文件", "关于进一步规范农村建房的通知", "某政规〔2025〕1号", "2025.2.10", None, ""),
        (3, "规范性文件", "某某县最低生活保障实施细则", "某政规〔2025〕2号", "2025年4月1日", "2025/9/30", "已修订"),
    ]
    bad = rows + [(4, "通知", "关于开会的通知", "", "2025-03-01", None, ""),
                  (5, "规章", "某某县殡葬管理办法", "某政令〔2025〕3号", "三月", None, ""),
                  (6, "规章", "", "某政令〔2025〕4号", "2025-05-01", None, "")]
    path = _book(tmp_path / "登记簿.xlsx", bad)
    with pytest.raises(ImportError_) as e:
        regulations.import_xlsx(path, SYSTEM)
    assert e.value.problems == [
        "登记簿.xlsx!登记簿!B6：类别：“通知”不是“规章”或“行政规范性文件”",
        "登记簿.xlsx!登记簿!E7：发布日期：“三月”不是日期，应写成 2025-03-01 或 2025年3月1日",
        "登记簿.xlsx!登记簿!C8：标题：必须填写文件标题",
    ]
    assert Regulation.select().count() == 0                 # nothing saved
    good = _book(tmp_path / "登记簿2.xlsx", rows)
    assert regulations.import_xlsx(good, SYSTEM) == {"added": 3, "updated": 0, "unchanged": 0}
    assert regulations.counts(2025)["行政规范性文件"] == {ISSUED: 2, REPEALED: 1, IN_FORCE: 1}
    # the same file again with a repeal recorded: that row is updated, the rest unchanged
    rows[0] = rows[0][:5] + ("2025-12-01", "")
    again = _book(tmp_path / "登记簿3.xlsx", rows)
    assert regulations.import_xlsx(again, SYSTEM) == {"added": 0, "updated": 1, "unchanged": 2}
    assert regulations.counts(2025)["规章"] == {ISSUED: 0, REPEALED: 1, IN_FORCE: 0}


def test_import_by_sheet_name_without_a_kind_column_and_a_file_without_a_header(db_path, tmp_path):
    path = _book(tmp_path / "规章.xlsx", [("某某县城市绿化管理办法", "某政令〔2019〕1号", "2019-05-01")],
                 title="规章", header=("名称", "文号", "公布日期"))
    assert regulations.import_xlsx(path, SYSTEM)["added"] == 1
    assert regulations.entries()[0].kind == "rule"
    wb = Workbook()
    wb.active.append(["随便写的表格"])
    wb.save(tmp_path / "其他.xlsx")
    with pytest.raises(ImportError_, match="没有找到登记簿的表头"):
        regulations.import_xlsx(tmp_path / "其他.xlsx", SYSTEM)


def test_cli_register_import_and_apply(run_cli, tmp_path):
    db = tmp_path / "r.sqlite3"
    path = _book(tmp_path / "登记簿.xlsx", [(1, "规章", "某某县城市绿化管理办法", "某政令〔2025〕1号", "2025-05-01", None, "")])
    r = run_cli("--db", db, "annual-report", "register", "--year", "2025", "--import", path, "--apply", "--create")
    assert r.returncode == 0, r.stderr
    assert "新增1件" in r.stdout and "2025年规章：本年制发件数1，本年废止件数0，现行有效件数1" in r.stdout
    assert "已填入2025年表二" in r.stdout
    bad = _book(tmp_path / "坏.xlsx", [(1, "规章", "办法", "", "某日", None, "")])
    r = run_cli("--db", db, "annual-report", "register", "--import", bad)
    assert r.returncode == 1 and "坏.xlsx!登记簿!E3" in r.stderr
