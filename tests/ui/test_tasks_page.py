"""The 工作任务 page on the seam (ctx.ops synchronous here): the import wizard (a broken file
shows the Chinese error and saves nothing; every unmatched unit phrase is answered before
saving), receipts with a file, send back with a reason, accept, states coloured and
filtered, tasks by hand and asking units, the unit's panel, 催报/督办 letters naming exactly
the late units, the leader's list and the 落实情况 summary, the 工作台's cards opening the
page filtered, and the units' annual reports collected for the deadline cards."""
import datetime as dt
import subprocess

import openpyxl
import pytest

from gkdesk.actors import SYSTEM
from gkdesk.api import tasks as api
from gkdesk.cases import deadlines
from gkdesk.db.models import Unit
from gkdesk.db.tasks_models import Task
from tests.tasks.helpers import UNITS_000, make_fixtures, make_units


@pytest.fixture
def errors(monkeypatch):
    from gkdesk.ui.dialogs import messages

    got = []
    monkeypatch.setattr(messages, "show_exception", lambda parent, exc, title="": got.append(str(exc)))
    return got


@pytest.fixture
def clock(monkeypatch):
    c = {"today": dt.date(2020, 7, 16)}
    monkeypatch.setattr(deadlines, "today", lambda: c["today"])
    return c


@pytest.fixture
def page(ctx, qtbot, messages_log, errors, clock):
    from gkdesk.ui.pages.tasks import TasksPage

    make_units([u for u in UNITS_000 if u[0] not in ("编办", "网信办")])
    p = TasksPage(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    return p


def _imported(page, tmp_path):
    wiz = page.ask_import()
    wiz.path.setText(str(make_fixtures.write_000_xlsx(tmp_path / "000.xlsx")))
    wiz.load()
    return wiz


def test_the_wizard_shows_a_broken_files_error_and_saves_nothing(page, tmp_path):
    bad = tmp_path / "分解表.xlsx"
    bad.write_bytes(b"this is not a workbook")
    wiz = page.ask_import()
    wiz.path.setText(str(bad))
    wiz.load()
    assert "不是 .xlsx 或 .docx 文件" in wiz.status.text() and "没有保存任何内容" in wiz.status.text()
    assert not wiz.b_save.isEnabled() and wiz.rows.rowCount() == 0
    wiz.save()
    assert Task.select().count() == 0


def test_the_wizard_asks_every_unmatched_phrase_then_saves(page, tmp_path, messages_log):
    wiz = _imported(page, tmp_path)
    assert wiz.status.text().startswith("“000.xlsx”：2020年，任务18项")
    assert wiz.rows.rowCount() == 18
    assert wiz.rows.item(0, 0).text() == "1（1）" and wiz.rows.item(0, 4).text() == "2020年7月20日"
    assert wiz.rows.item(6, 3).text() == "长期" and wiz.rows.item(6, 4).text() == "无固定期限"
    assert {u.piece for u in wiz.preview.unresolved} == {"编办", "网信办"}
    assert "有2处单位写法对应不到单位" in wiz.pieces_title.text()
    assert not wiz.b_save.isEnabled()
    gov = Unit.get(Unit.name == "政府办").id
    wiz.set_answer("编办", [gov])
    assert not wiz.b_save.isEnabled() and wiz.missing() == ["网信办"]
    combo = wiz.pieces.cellWidget(1, 3)
    assert [combo.itemText(i) for i in range(combo.count())][:4] == ["请选择…", "指定单位…", "新增为单位", "忽略（不布置）"]
    wiz.set_answer("网信办", "create")
    assert wiz.b_save.isEnabled()
    wiz.save()
    assert Task.select().count() == 18
    assert Unit.select().where(Unit.name == "网信办").exists()         # added as a unit
    assert messages_log[-1][2].startswith("已保存任务18项")
    # the page shows them, overdue first (none yet), with every task in the left list
    assert page.task_list.count() == 19 and page.model.rowCount() > 0
    assert page.heading.text().startswith("2020年全部任务：报送要求")


def test_receive_send_back_accept_colours_and_filters(page, tmp_path, clock, errors, ctx):
    from PySide6.QtCore import Qt

    from gkdesk.ui.pages.tasks import STATE_COLORS

    _imported(page, tmp_path).set_answer("编办", [])
    page.import_wizard.set_answer("网信办", [])
    page.import_wizard.save()
    clock["today"] = dt.date(2020, 7, 21)
    page.refresh()
    # overdue first: both 1（1） and 1（2） of every owing section are late on 7-21
    first = page.model.rows[0]
    assert first.overdue and first.due == dt.date(2020, 7, 20)
    state_col = 4
    idx = page.model.index(0, state_col)
    assert idx.data() == "逾期 1天" and idx.data(Qt.ForegroundRole).color().name() == STATE_COLORS["overdue"]
    # filter by unit, then by state
    page.unit_box.setCurrentIndex(page.unit_box.findText("审批股"))
    assert {r.unit_name for r in page.model.rows} == {"审批股"}
    page.state_box.setCurrentIndex(page.state_box.findData("overdue"))
    assert [r.task_label.split()[0] for r in page.model.rows] == ["1（1）", "1（2）"]
    page.table.selectRow(0)
    req = page.current_request()

    f = tmp_path / "审批股权责清单.docx"
    f.write_bytes(b"PK\x03\x04 the list")
    page.receive(req.id, str(f), received_on=dt.date(2020, 7, 21), submitted_by="庄桂卿")
    assert api.get_request(req.id).state == "submitted"
    page.state_box.setCurrentIndex(page.state_box.findData(None))
    page.select_request(req.id)
    assert page.current_request().state_label == "已报（逾期报送）"
    assert "庄桂卿报送" in page.detail.toPlainText() and "审批股权责清单.docx" in page.detail.toPlainText()
    assert page.b_return.isEnabled() and page.b_accept.isEnabled() and page.b_open.isEnabled()

    page.send_back(req.id, "")                                      # no reason: refused, named
    assert "退回原因" in errors[-1] and api.get_request(req.id).state == "submitted"
    page.send_back(req.id, "清单缺少事项编码")
    page.select_request(req.id)
    r = page.current_request()
    assert r.state == "returned" and r.reason == "清单缺少事项编码"
    assert page.model.index(page.model.rows.index(r), state_col).data(Qt.ForegroundRole).color().name() == \
        STATE_COLORS["overdue"]                                     # sent back and past due: still late
    page.receive(req.id, str(f), received_on=dt.date(2020, 7, 21))
    page.accept_request(req.id)
    assert api.get_request(req.id).state == "accepted"
    page.select_request(req.id)
    assert not page.b_receive.isEnabled()


def test_new_task_ask_units_and_the_units_panel(page, clock, messages_log):
    page.new_task("报送新媒体核查名单", 2020, deadline="8月10日前", responsible="各股室")
    t = page.current_task()
    assert t is not None and t.title == "报送新媒体核查名单" and page.b_ask.isEnabled()
    ids = [Unit.get(Unit.name == n).id for n in ("审批股", "文化股")]
    page.ask(t.id, ids, what="新媒体核查名单")
    assert messages_log[-1][2].startswith("已向单位布置报送2项")
    assert {(r.unit_name, r.due) for r in page.model.rows} == {("审批股", dt.date(2020, 8, 10)),
                                                               ("文化股", dt.date(2020, 8, 10))}
    page.show_unit(ids[0])
    dlg = page.owes_dialog
    assert "审批股：共1项报送要求，未采用1项，其中逾期0项" == dlg.findChild(type(page.heading)).text()
    assert dlg.model.rowCount() == 1 and dlg.model.rows[0].what == "新媒体核查名单"


def _pdftext(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()


def test_letters_leader_list_and_summary_name_exactly_the_late(page, tmp_path, clock, messages_log):
    page.new_task("梳理规范权责清单", 2020, deadline="2020年7月20日前")
    t = page.current_task()
    units = {n: Unit.get(Unit.name == n).id for n in ("审批股", "文化股", "综合股")}
    page.ask(t.id, list(units.values()))
    f = tmp_path / "清单.docx"
    f.write_bytes(b"PK\x03\x04 list")
    clock["today"] = dt.date(2020, 7, 18)
    page.receive(api.find_request(f"#{t.id}", "综合股").id, str(f), received_on=dt.date(2020, 7, 18))
    assert page.model.rows[-1].state == "submitted"
    clock["today"] = dt.date(2020, 7, 24)
    page.refresh()
    assert page.b_remind.isEnabled()
    out = tmp_path / "letters"
    out.mkdir()
    page.remind(str(out))
    made = sorted(p.name for p in out.iterdir())
    assert len(made) == 2 and made[0].startswith("审批股-催报通知") and made[1].startswith("文化股-催报通知")
    assert "已出具2份通知（催报通知2份）" in messages_log[-1][2]
    assert "梳理规范权责清单" in _pdftext(out / made[0])

    leader = tmp_path / "一览表.pdf"
    page.leader_list(str(leader))
    text = _pdftext(leader)
    assert "2个单位、2项逾期" in text and "审批股" in text and "文化股" in text and "综合股" not in text

    xlsx = tmp_path / "落实情况.xlsx"
    page.export_summary(str(xlsx))
    ws = openpyxl.load_workbook(xlsx)["落实情况"]
    rows = {(r[5], r[8]) for r in ws.iter_rows(min_row=2, values_only=True) if r[5]}
    assert ("综合股", "已报") in rows and ("审批股", "逾期") in rows
    pdf = tmp_path / "落实情况.pdf"
    page.export_summary(str(pdf))
    assert "2020年工作任务落实情况" in _pdftext(pdf)


def test_dashboard_cards_open_the_page_filtered(page, ctx, qtbot, clock, monkeypatch):
    from gkdesk.ui.pages.tasks import TaskCards

    page.new_task("梳理规范权责清单", 2020, deadline="2020年7月17日前")
    t = page.current_task()
    ids = [Unit.get(Unit.name == n).id for n in ("审批股", "文化股")]
    page.ask(t.id, ids)
    t2 = api.create_task(SYSTEM, "报送实施方案", year=2020, deadline="2020年7月31日前")
    api.ask(f"#{t2.id}", ids[:1], SYSTEM)
    clock["today"] = dt.date(2020, 7, 20)            # a Monday: 7-17 is past, 7-31 is not this week
    cards = TaskCards(ctx)
    qtbot.addWidget(cards)
    assert cards.values == {"due_week": 0, "overdue": 2, "returned": 0}
    assert cards.counts["overdue"].text() == "2"
    # a receipt made elsewhere reaches the cards through the change feed
    api.receive(api.find_request(f"#{t.id}", "文化股").id, SYSTEM, None, submitted_by="张三")
    assert cards.values["overdue"] == 1
    shown = []
    monkeypatch.setattr(ctx, "show_page", lambda key, **o: shown.append((key, o)))
    cards.open("overdue")
    assert shown == [("tasks", {"state": "overdue", "year": 0, "task_id": None, "unit_id": None})]
    page.navigate(**shown[0][1])
    assert page.year_box.currentText() == "全部年度" and page.state_box.currentText() == "逾期"
    assert [(r.unit_name, r.task_title) for r in page.model.rows] == [("审批股", "梳理规范权责清单")]
    # the page itself refreshed from the feed too (another screen's write)
    assert page.model.rows[0].overdue


def test_collect_annual_reports_for_the_deadline_cards(page, clock, messages_log):
    from gkdesk.ui.pages.annual_document import ReportDeadlines

    clock["today"] = dt.date(2021, 1, 6)
    w = ReportDeadlines()
    assert "尚未征集" in w.labels[0].text()
    page.collect_reports(2020)
    n = Unit.select().where(Unit.active == True).count()  # noqa: E712
    assert messages_log[-1][2].strip() == f"已向{n}个单位布置报送2020年度年度报告"
    t = page.current_task()
    assert t.kind == "annual_report" and page.model.rowCount() == n
    assert {r.due for r in page.model.rows} == {dt.date(2021, 1, 31)}
    w.refresh()
    assert f"已报 0/{n}" in w.labels[0].text() and "2021年1月31日（还有 25 天）" in w.labels[0].text()
    page.navigate(year=0, kind="annual_report")
    assert page.current_task().id == t.id


def test_reopened_unchanged_keeps_the_table_and_shows_a_change_made_elsewhere(page, clock):
    """Reopening the page re-reads; with nothing changed the table is not rebuilt (selection and
    rows kept, issue 20), but a receipt recorded outside this screen (the CLI, another window)
    or a new day shows on the next opening."""
    from gkdesk.actors import SYSTEM as actor

    t = api.create_task(actor, "报送新媒体核查名单", year=2020, deadline="7月20日前")
    ids = [Unit.get(Unit.name == n).id for n in ("审批股", "文化股")]
    api.ask(f"#{t.id}", ids, actor, what="新媒体核查名单")
    page.activate()
    assert len(page.model.rows) == 2 and {r.state for r in page.model.rows} == {"pending"}
    page.table.selectRow(1)
    kept, rows = page.current_request(), page.model.rows
    page.activate()
    assert page.model.rows is rows and page.current_request() == kept
    api.receive(kept.id, actor, None, received_on=dt.date(2020, 7, 16))   # not through this page
    page.activate()
    assert api.get_request(kept.id).state == "submitted"
    assert {r.id: r.state for r in page.model.rows}[kept.id] == "submitted"
    assert page.current_request().id == kept.id and page.current_request().state == "submitted"
    clock["today"] = dt.date(2020, 7, 21)                             # a new day: the other is late now
    page.activate()
    assert [r.overdue for r in page.model.rows].count(True) == 1
    assert page.model.rows[0].overdue and page.model.rows[0].id != kept.id
