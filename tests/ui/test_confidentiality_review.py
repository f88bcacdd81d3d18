"""保密审查 in the case window: the tab lists the reviews and records one; with the office's
setting on, a disclosing reply is refused with the message and 登记保密审查… one click away,
and once the review is in, the same reply form goes through."""
from __future__ import annotations

import datetime as dt

import pytest

from PySide6.QtCore import Qt

from gkdesk import settings
from gkdesk.actors import SYSTEM
from gkdesk.cases import confidentiality, workflow
from gkdesk.db.annual_models import ConfidentialityReview
from gkdesk.db.models import Case, CaseEvent
from gkdesk.ui.widgets.fields import is_invalid
from tests.cases.helpers import new_case
from tests.ui.helpers import type_text

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _clock_fixed_at_import(monkeypatch):
    """The calendar's today is the TODAY this module computed: a run that crosses midnight
    (CI did, at 00:00 UTC) must not see the form default to a day the test did not expect."""
    from gkdesk.cases import deadlines

    monkeypatch.setattr(deadlines, "today", lambda: TODAY)


def _handling_case():
    received = TODAY - dt.timedelta(days=10)
    c = new_case(received=received, today=TODAY, name="周明", content="申请公开某某小区改造工程的招标文件")
    return workflow.perform(c.id, "accept", SYSTEM, today=TODAY, section="综合股", handler="王丽")


def _window(ctx, case_id, qtbot):
    from gkdesk.ui import case_window

    cw = case_window.open_case_window(ctx, case_id)
    qtbot.addWidget(cw)
    return cw


def _reply_form(cw, qtbot, outcome="disclosed"):
    dlg = cw.open_action("reply")
    dlg.set_value("outcome", outcome)
    dlg.set_value("reply_date", TODAY)
    dlg.set_value("provided_description", "提供招标文件复印件一份")
    if outcome == "partial":
        dlg.set_value("outcome_reason", "投标人的商业秘密部分不予公开")
    return dlg


def _fill_review(qtbot, form, reviewer="陈保密", conclusion="redacted", deidentified=True, note=""):
    form.reviewer.clear()
    if reviewer:
        type_text(qtbot, form.reviewer, reviewer)
    form.conclusion.setCurrentIndex(form.conclusion.findData(conclusion))
    form.deidentified.setChecked(deidentified)
    if note:
        form.note.setPlainText(note)


def test_the_refused_reply_offers_the_review_form_and_goes_through_after_it(ctx, qtbot, monkeypatch, messages_log):
    from gkdesk.ui.dialogs import messages

    settings.save({confidentiality.SETTING: True})
    c = _handling_case()
    cw = _window(ctx, c.id, qtbot)
    panel = cw.confidentiality
    assert cw.tabs.tabText(cw.tabs.indexOf(panel)) == "保密审查"
    assert "须经保密审查" in panel.status.text() and "尚无保密审查记录" in panel.status.text()
    assert panel.table.rowCount() == 0

    offered = []
    monkeypatch.setattr(messages, "choose", lambda p, title, text, choices, informative="":
                        offered.append((title, text, choices)) or 0)
    dlg = _reply_form(cw, qtbot)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    # refused with the core's message, the case untouched, the review form one click away
    assert len(offered) == 1
    title, text, choices = offered[0]
    assert choices == ["登记保密审查…"]
    assert c.number in text and "尚无保密审查记录" in text and "予以公开" in text
    assert "保密审查" in dlg.error_panel.text() and dlg.isVisible()
    assert Case.get_by_id(c.id).stage == "handling"
    assert not [m for m in messages_log if m[0] in ("warning", "error")]   # one message, not two
    form = dlg.review_dialog
    assert form is not None and form.isVisible()
    assert form.reviewer.text() == ctx.actor.name            # the user by default, editable
    assert form.review_date.date_value() == TODAY

    # a form without a reviewer is refused, the field marked, nothing saved
    _fill_review(qtbot, form, reviewer="")
    qtbot.mouseClick(form.ok_button, Qt.LeftButton)
    assert form.isVisible() and is_invalid(form.reviewer) and "审查人" in form.error_panel.text()
    assert ConfidentialityReview.select().count() == 0

    _fill_review(qtbot, form, note="删除了第三方的姓名和电话")
    qtbot.mouseClick(form.ok_button, Qt.LeftButton)
    assert not form.isVisible()
    row = ConfidentialityReview.get()
    assert (row.reviewer, row.conclusion, row.deidentified, row.note, row.recorded_by) == (
        "陈保密", "redacted", True, "删除了第三方的姓名和电话", ctx.actor.username)
    # the tab follows through the change feed
    assert panel.table.rowCount() == 1
    assert panel.table.item(0, 1).text() == "陈保密"
    assert panel.table.item(0, 2).text() == "删除涉密或敏感内容后可以公开"
    assert panel.table.item(0, 3).text() == "已去标识化"
    assert "最近一次" in panel.status.text() and "陈保密" in panel.status.text()

    # the same reply form, 确定 again: now it goes through
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert dlg.result_case is not None, dlg.error_panel.text()
    assert Case.get_by_id(c.id).stage == "replied"
    assert CaseEvent.select().where(CaseEvent.case == c.id, CaseEvent.action == "confidentiality_review").count() == 1


def test_closing_the_refusal_opens_nothing_and_a_refusing_review_still_blocks(ctx, qtbot, monkeypatch, messages_log):
    from gkdesk.ui.dialogs import messages

    settings.save({confidentiality.SETTING: True})
    c = _handling_case()
    cw = _window(ctx, c.id, qtbot)
    monkeypatch.setattr(messages, "choose", lambda *a, **k: None)       # 关闭
    dlg = _reply_form(cw, qtbot, "partial")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert "尚无保密审查记录" in dlg.error_panel.text()
    assert getattr(dlg, "review_dialog", None) is None
    assert Case.get_by_id(c.id).stage == "handling"

    # recorded from the tab's button: 涉密，不得公开 — the reply is refused with that conclusion
    form = cw.confidentiality.ask_record()
    _fill_review(qtbot, form, reviewer="李审", conclusion="refused", deidentified=False)
    qtbot.mouseClick(form.ok_button, Qt.LeftButton)
    assert cw.confidentiality.table.rowCount() == 1
    assert cw.confidentiality.table.item(0, 3).text() == "未去标识化"
    offered = []
    monkeypatch.setattr(messages, "choose", lambda p, t, text, ch, informative="": offered.append(text) or None)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert offered and "涉密，不得公开" in offered[0]
    assert Case.get_by_id(c.id).stage == "handling"


def test_without_the_setting_the_reply_needs_no_review_and_the_tab_says_so(ctx, qtbot, messages_log):
    settings.save({confidentiality.SETTING: False})
    c = _handling_case()
    cw = _window(ctx, c.id, qtbot)
    assert "未要求" in cw.confidentiality.status.text()
    dlg = _reply_form(cw, qtbot)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert dlg.result_case is not None, dlg.error_panel.text()
    assert Case.get_by_id(c.id).stage == "replied"


def test_a_review_dated_after_today_is_refused_by_the_core_not_only_the_widget(ctx, qtbot):
    c = _handling_case()
    cw = _window(ctx, c.id, qtbot)
    form = cw.confidentiality.ask_record()
    _fill_review(qtbot, form)
    form.review_date.setMaximumDate(form.review_date.date().addDays(5))
    form.review_date.set_date(TODAY + dt.timedelta(days=2))
    qtbot.mouseClick(form.ok_button, Qt.LeftButton)
    assert form.isVisible() and is_invalid(form.review_date) and "晚于今天" in form.error_panel.text()
    assert ConfidentialityReview.select().count() == 0
