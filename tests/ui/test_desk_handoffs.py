"""交办 in the case window, driven as a clerk would: send to a unit picked from the list with
the proposed internal due date (or a typed one the core checks), print the 交办单, record
the unit's answer, 退回 with a reason; overdue hand-offs marked; the dashboard card opens
the list of overdue hand-offs. Synchronous runner: every operation has finished when the
click returns."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt

from gkdesk.actors import SYSTEM
from gkdesk.cases import deadlines, workflow as wf
from gkdesk.db.desk_models import Handoff
from gkdesk.db.models import CaseEvent
from tests.documents.helpers import flat, new_case, pdftotext

D = dt.date
SENT = D(2026, 9, 25)           # Friday; the case is due Thursday 29 October 2026


@pytest.fixture
def handling(db_path, monkeypatch):
    monkeypatch.setattr(deadlines, "today", lambda: SENT)
    c = new_case(received=D(2026, 9, 24))
    return wf.perform(c.id, "accept", SYSTEM, today=D(2026, 9, 24), section="综合股", handler="王丽")


@pytest.fixture
def units(db_path):
    from gkdesk.forms.units import add_unit

    return [add_unit(n, SYSTEM) for n in ("自然资源局", "城关街道办事处", "住房和城乡建设局")]


def _window(ctx, qtbot, case_id):
    from gkdesk.ui.case_window import open_case_window

    w = open_case_window(ctx, case_id)
    qtbot.addWidget(w)
    w.tabs.setCurrentWidget(w.handoffs_panel)
    return w


def _send(qtbot, panel, unit: str, instructions: str = "", due: dt.date | None = None):
    qtbot.mouseClick(panel.send_button, Qt.LeftButton)
    dlg = panel.dialog
    dlg.unit.setEditText(unit)
    dlg.instructions.setPlainText(instructions)
    if due is not None:
        dlg.internal_due.setDate(QDate(due.year, due.month, due.day))
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    return dlg


def test_send_with_the_proposed_date_print_answer(ctx, qtbot, handling, units, tmp_path, monkeypatch, messages_log):
    w = _window(ctx, qtbot, handling.id)
    panel = w.handoffs_panel
    assert panel.table.rowCount() == 0 and "尚未交办" in panel.hint.text()
    qtbot.mouseClick(panel.send_button, Qt.LeftButton)
    dlg = panel.dialog
    # the units in use, in pinyin order; the date proposed 3 working days before 29 October
    assert [dlg.unit.itemText(i) for i in range(dlg.unit.count())] == ["城关街道办事处", "住房和城乡建设局", "自然资源局"]
    assert dlg.internal_due.date() == QDate(2026, 10, 26) and "2026-10-29" in dlg.due_hint.text()
    dlg.days.setValue(5)          # Thu 22 October (Fri 23, Mon 26, Tue 27, Wed 28 counted back)
    assert dlg.internal_due.date() == QDate(2026, 10, 22) and not dlg.due_edited
    dlg.unit.setEditText("自然资源局")
    dlg.instructions.setPlainText("请检索2025年征收补偿台账")
    dlg.resize(600, 420)
    dlg.grab().save(str(tmp_path / "send.png"))
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    h = Handoff.get()
    assert h.unit_id == units[0].id and h.internal_due == D(2026, 10, 22) and h.working_days_before == 5
    assert panel.table.rowCount() == 1 and panel.table.item(0, 1).text() == "自然资源局"
    assert panel.table.item(0, 4).text() == "已交办" and panel.send_button.isEnabled()
    # 交办单 through the document route: the template's PDF, with the unit and the date
    out = tmp_path / "sheet.pdf"
    monkeypatch.setattr(panel, "ask_path", lambda name: str(out))
    qtbot.mouseClick(panel.print_button, Qt.LeftButton)
    text = flat(pdftotext(out.read_bytes(), tmp_path))
    assert "交办单" in text and "自然资源局" in text and "2026年10月22日" in text and h.number in text
    # the unit's answer
    qtbot.mouseClick(panel.answer_button, Qt.LeftButton)
    rec = panel.dialog
    rec.text.setPlainText("已检索，提供补偿台账一份")
    rec.date.setDate(QDate(2026, 9, 25))
    qtbot.mouseClick(rec.ok_button, Qt.LeftButton)
    assert Handoff.get_by_id(h.id).status == "answered"
    assert panel.table.item(0, 4).text().startswith("已答复") and "补偿台账" in panel.table.item(0, 5).text()
    assert not panel.answer_button.isEnabled() and not panel.return_button.isEnabled()
    assert CaseEvent.select().where(CaseEvent.action.startswith("handoff.")).count() == 2
    w.resize(1100, 700)
    w.grab().save(str(tmp_path / "case-handoffs.png"))


def test_typed_due_date_is_checked_by_the_core_and_nothing_is_lost(ctx, qtbot, handling, units):
    w = _window(ctx, qtbot, handling.id)
    panel = w.handoffs_panel
    # after the legal due date: refused in the form, the dialog stays open with what was typed
    dlg = _send(qtbot, panel, "城关街道办事处", "请提供拆迁公告", due=D(2026, 10, 30))
    assert dlg.isVisible() and dlg.error.isVisible() and "不能晚于法定答复期限" in dlg.error.text()
    assert dlg.instructions.toPlainText() == "请提供拆迁公告" and Handoff.select().count() == 0
    # a Saturday: refused, named
    dlg.internal_due.setDate(QDate(2026, 10, 24))
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert "不是工作日" in dlg.error.text() and Handoff.select().count() == 0
    # a working day the clerk chose: kept, its distance from the legal date recorded
    dlg.internal_due.setDate(QDate(2026, 10, 20))
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    h = Handoff.get()
    assert not dlg.isVisible() and h.internal_due == D(2026, 10, 20) and h.working_days_before == 7
    assert h.unit_name == "城关街道办事处" and h.instructions == "请提供拆迁公告"


def test_a_unit_typed_by_hand_and_the_return_with_its_reason(ctx, qtbot, handling, units, messages_log):
    w = _window(ctx, qtbot, handling.id)
    panel = w.handoffs_panel
    _send(qtbot, panel, "某某供电公司")
    h = Handoff.get()
    assert h.unit_id is None and h.unit_name == "某某供电公司"
    qtbot.mouseClick(panel.return_button, Qt.LeftButton)
    rec = panel.dialog
    qtbot.mouseClick(rec.ok_button, Qt.LeftButton)           # no reason: refused in the form
    assert rec.isVisible() and "退回理由" in rec.error.text()
    rec.text.setPlainText("该信息不属于本单位职责，建议交自然资源局")
    qtbot.mouseClick(rec.ok_button, Qt.LeftButton)
    h = Handoff.get_by_id(h.id)
    assert h.status == "returned" and h.return_reason.startswith("该信息不属于")
    assert panel.table.item(0, 4).text().startswith("已退回") and "退回：" in panel.table.item(0, 5).text()


def test_overdue_hand_offs_marked_and_listed_from_the_dashboard(ctx, qtbot, handling, units, monkeypatch):
    from gkdesk.api import handoffs as api
    from gkdesk.ui.pages.dashboard import DashboardPage

    h = api.send(handling.id, SYSTEM, unit_id=units[1].id, sent_date=SENT)
    assert h.internal_due == D(2026, 10, 26)
    monkeypatch.setattr(deadlines, "today", lambda: D(2026, 10, 28))   # Tue 27 and Wed 28 passed
    w = _window(ctx, qtbot, handling.id)
    panel = w.handoffs_panel
    assert "逾期2个工作日" in panel.table.item(0, 4).text()
    assert panel.table.item(0, 4).background().color().name() == "#fde2e1"
    assert "1 件已过内部期限" in panel.hint.text()
    dash = DashboardPage(ctx)
    qtbot.addWidget(dash)
    assert "handoff_overdue" in dash.cards
    opened = []
    monkeypatch.setattr(ctx, "open_case", lambda cid: opened.append(cid))
    qtbot.mouseClick(dash.cards["handoff_overdue"], Qt.LeftButton)
    from gkdesk.ui.widgets.handoffs import OverdueHandoffsDialog

    dlg = dash.findChild(OverdueHandoffsDialog)
    qtbot.addWidget(dlg)
    assert dlg is not None and dlg.table.rowCount() == 1
    assert [dlg.table.item(0, c).text() for c in (0, 2, 5)] == [handling.number, "城关街道办事处", "2个工作日"]
    dlg.table.selectRow(0)
    dlg.open_selected()
    assert opened == [handling.id]
    # answered from the case window: the list follows the change feed
    api.answer(h.id, SYSTEM, answer="已提供", answer_date=D(2026, 10, 28))
    assert dlg.table.rowCount() == 0 and "没有逾期" in dlg.summary.text()


def test_a_replied_case_cannot_be_handed_off(ctx, qtbot, handling):
    c = wf.perform(handling.id, "reply", SYSTEM, today=SENT, outcome="not_held", reply_date=SENT)
    w = _window(ctx, qtbot, c.id)
    panel = w.handoffs_panel
    assert not panel.send_button.isEnabled() and "只有待审核或办理中的案件可以交办" in panel.send_button.toolTip()


def test_f1_on_the_handoffs_tab_and_in_its_dialog_opens_the_clerks_day_guide(ctx, qtbot, handling, monkeypatch):
    from gkdesk import resources
    from gkdesk.ui.dialogs import help_dialog

    opened = []
    monkeypatch.setattr(help_dialog, "open_help", lambda topic, parent=None: opened.append(topic))
    import gkdesk.ui.case_window as cw_mod

    monkeypatch.setattr(cw_mod, "open_help", lambda topic, parent=None: opened.append(topic))
    w = _window(ctx, qtbot, handling.id)
    assert w.help_topic() == "handoffs"
    w.tabs.setCurrentIndex(0)
    assert w.help_topic() == "case"
    w.tabs.setCurrentWidget(w.handoffs_panel)
    dlg = w.handoffs_panel.open_send()
    act = next(a for a in dlg.actions() if a.text() == "使用指南")
    act.trigger()
    assert opened == ["handoffs"]
    assert resources.guide_page("handoffs").name == "10-clerks-day.md"
