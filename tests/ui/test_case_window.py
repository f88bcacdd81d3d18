"""One case walked from registration to archive through the real windows: the 登记 dialog,
the case list (Enter opens the case window), the action forms generated from the
workflow's ActionSpecs, attachments, and the 工作台 cards that follow the case."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from gkdesk.cases import workflow
from gkdesk.cases.query import CaseFilter, count_cases
from gkdesk.db.models import Case
from gkdesk.ui.widgets.fields import is_invalid
from tests.ui.helpers import bulk_cases, type_text
from tests.ui.test_register import fill_valid, last_weekday_before


def _window_for(ctx, case_id):
    from gkdesk.ui import case_window

    return case_window.open_windows(ctx)[case_id]


def _perform(qtbot, cw, code, **values):
    """Click the action's button in the case window, fill its form, click 确定."""
    assert code in cw.available_action_codes(), (code, cw.available_action_codes())
    qtbot.mouseClick(cw.action_buttons[code], Qt.LeftButton)
    dlg = cw.action_dialog
    assert dlg is not None and dlg.spec.code == code
    for name, value in values.items():
        w = dlg.editors[name]
        if isinstance(value, str) and hasattr(w, "clear") and not hasattr(w, "currentData"):
            w.clear()
            type_text(qtbot, w, value)
        else:
            dlg.set_value(name, value)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    return dlg


def _card_ids(main_window, ctx, code):
    """The cases behind a card, as clicking it opens them."""
    from gkdesk.api import cases as api

    card = _card(main_window, code)
    return list(api.alert_case_ids(code, ctx.actor, api.today())) if card.count else []


def _card(main_window, code):
    dash = main_window.page("dashboard")
    dash.refresh()
    return dash.cards[code]


def test_walk_one_case_from_registration_to_archive(main_window, ctx, qtbot, messages_log, tmp_path):
    # ---- 登记
    main_window.register_action.trigger()
    reg = main_window.register_dialog
    fill_valid(qtbot, reg, name="林晓峰", content="申请公开某某河道整治工程的环境影响评价报告")
    reg.received_date.set_date(last_weekday_before(dt.date.today()))
    qtbot.mouseClick(reg.ok_button, Qt.LeftButton)
    assert reg.case is not None, reg.error_panel.text()
    case_id = reg.case.id
    assert _card_ids(main_window, ctx, "my_review") == [case_id]

    # ---- the list: Enter on the selected row opens the case window
    page = main_window.page("cases")
    assert page.selected_case_id() == case_id
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key_Return)
    cw = _window_for(ctx, case_id)
    assert cw.isVisible()
    assert cw.number_label.text() == reg.case.number
    assert cw.stage_label.text() == "待审核"
    assert "答复期限" in cw.due_label.text()
    assert cw.timeline.rowCount() == 1 and "登记" in cw.timeline.item(0, 2).text()
    # Exactly the actions legal now, for this actor (all roles).
    want = [a.code for a in workflow.available_actions(Case.get_by_id(case_id), ctx.actor)]
    assert cw.available_action_codes() == want
    assert "accept" in want and "deliver" not in want and "archive" not in want

    # ---- 审核 → 办理
    _perform(qtbot, cw, "accept", section="政务公开科", handler="陈默")
    assert Case.get_by_id(case_id).stage == "handling"
    assert cw.stage_label.text() == "办理中"
    assert cw.timeline.rowCount() == 2
    assert cw.timeline.item(1, 3).text() == "待审核 → 办理中"
    row = page.model.find_case(case_id)
    assert page.model.index(row, 4).data() == "办理中"          # the list refreshed
    assert page.model.index(row, 5).data() == "陈默"

    # ---- 答复 (refused first: 予以公开 without saying what is provided)
    dlg = _perform(qtbot, cw, "reply", outcome="disclosed")
    assert dlg.isVisible() and dlg.result_case is None
    assert "提供的信息或获取方式" in dlg.error_panel.text()
    assert is_invalid(dlg.editors["provided_description"])
    assert Case.get_by_id(case_id).stage == "handling"
    type_text(qtbot, dlg.editors["provided_description"], "提供该报告复印件一份（共12页）")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    case = Case.get_by_id(case_id)
    assert (case.stage, case.outcome, case.reply_date) == ("replied", "disclosed", dt.date.today())
    assert "已于" in cw.due_label.text()
    assert _card_ids(main_window, ctx, "not_delivered") == [case_id]

    # ---- the reply letter's scan, kept with the case
    scan = tmp_path / "答复书.pdf"
    scan.write_bytes(b"%PDF-1.4 reply letter scan\n")
    assert cw.add_attachments([scan], "reply_letter") == 1
    assert cw.attachments.rowCount() == 1
    assert cw.attachments.item(0, 1).text() == "答复书扫描件"

    # ---- 送达 (邮寄 needs a tracking number)
    dlg = _perform(qtbot, cw, "deliver", method="post")
    assert "邮件号" in dlg.error_panel.text() and Case.get_by_id(case_id).stage == "replied"
    type_text(qtbot, dlg.editors["tracking_number"], "1234567890123")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    case = Case.get_by_id(case_id)
    assert (case.stage, case.delivery_method, case.tracking_number) == ("delivered", "post", "1234567890123")
    assert _card(main_window, "not_delivered").count == 0
    assert _card_ids(main_window, ctx, "not_archived") == [case_id]

    # The dashboard card opens the list filtered to exactly that case.
    main_window.show_page("dashboard")
    qtbot.mouseClick(main_window.page("dashboard").cards["not_archived"], Qt.LeftButton)
    assert main_window.current_page_key() == "cases"
    assert page.model.rowCount() == 1 and page.model.case_id(0) == case_id
    assert "已送达未归档" in page.extra_label.text()

    # ---- 归档
    _perform(qtbot, cw, "archive", retention_period="30年")
    case = Case.get_by_id(case_id)
    assert case.stage == "archived" and case.archive_number and case.retention_period == "30年"
    assert cw.stage_label.text() == "已归档"
    assert "只读" in cw.due_note.text()
    assert set(cw.available_action_codes()) <= set(workflow.ARCHIVED_ALLOWED)
    assert not cw.add_att_button.isEnabled()
    stages = [cw.timeline.item(r, 3).text() for r in range(cw.timeline.rowCount())]
    assert stages[-1] == "已送达 → 已归档"
    assert [r for r in messages_log if r[0] in ("error", "warning")] == []

    # Opening the case again raises the same window.
    assert main_window.open_case(case_id) is cw


def test_confirmation_and_conflict(ctx, qtbot, messages_log, monkeypatch):
    from gkdesk.ui.case_window import CaseWindow

    bulk_cases(1)
    case = Case.select().first()
    Case.update(stage="registered", due_date=dt.date.today() + dt.timedelta(days=20)).execute()
    cw = CaseWindow(ctx, case.id)
    qtbot.addWidget(cw)
    cw.show()
    dlg = cw.open_action("accept")
    dlg.set_value("section", "综合股")
    dlg.set_value("handler", "王芳")
    # Someone else changes the case meanwhile: the form's version is stale.
    workflow.perform(case.id, "accept", ctx.actor, section="另一股室", handler="林晓")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert dlg.result_case is None
    assert messages_log and messages_log[-1][1] == "数据已被修改"
    assert Case.get_by_id(case.id).handler == "林晓"

    # Withdrawal asks first; declining changes nothing.
    cw.reload()
    from gkdesk.ui.dialogs import messages

    monkeypatch.setattr(messages, "confirm", lambda *a, **k: False)
    dlg = _perform(qtbot, cw, "withdraw")
    assert Case.get_by_id(case.id).stage == "handling" and dlg.isVisible()
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert Case.get_by_id(case.id).stage == "replied"


def test_actions_follow_the_roles(db_path, qapp, qsettings, qtbot):
    from gkdesk.actors import Actor
    from gkdesk.db import current
    from gkdesk.ui.case_window import CaseWindow
    from gkdesk.ui.context import AppContext
    from gkdesk.ui.ops import SyncRunner

    bulk_cases(1)
    case = Case.select().first()
    Case.update(stage="registered").execute()
    clerk = AppContext(current(), Actor("c1", "登记员甲", frozenset({"clerk"})), qsettings, ops=SyncRunner())
    cw = CaseWindow(clerk, case.id)
    qtbot.addWidget(cw)
    codes = cw.available_action_codes()
    assert "accept" not in codes                     # only a reviewer accepts
    assert "correction_notice" in codes
    leader = AppContext(current(), Actor("l1", "领导乙", frozenset({"leader"})), qsettings, ops=SyncRunner())
    cw2 = CaseWindow(leader, case.id)
    qtbot.addWidget(cw2)
    assert "extend" in cw2.available_action_codes() and "accept" not in cw2.available_action_codes()
    assert count_cases(CaseFilter()) == 1


def test_personal_data_masked_and_revealed_on_request(db_path, qapp, qsettings, qtbot):
    import pytest

    pytest.importorskip("gkdesk.privacy", reason="the privacy module is not in this checkout")
    from PySide6.QtWidgets import QLabel

    from gkdesk.actors import Actor
    from gkdesk.db import current
    from gkdesk.ui.case_window import CaseWindow
    from gkdesk.ui.context import AppContext
    from gkdesk.ui.ops import SyncRunner
    from tests.ui.test_register import VALID_ID

    bulk_cases(1)
    case = Case.select().first()
    Case.update(id_type="resident_id", id_number=VALID_ID).execute()
    reviewer = AppContext(current(), Actor("r1", "审核员", frozenset({"reviewer"})), qsettings, ops=SyncRunner())
    cw = CaseWindow(reviewer, case.id)
    qtbot.addWidget(cw)
    cw.show()
    label = cw.facts_scroll.widget().findChild(QLabel, "fact_证件号码")
    assert label.text() != VALID_ID and label.text()[:6] == VALID_ID[:6] and "*" in label.text()
    phone = cw.facts_scroll.widget().findChild(QLabel, "fact_联系电话")
    assert "*" in phone.text()
    assert cw.reveal_buttons["id_number"].isVisibleTo(cw)
    before = cw.timeline.rowCount()
    assert cw.reveal("id_number") == VALID_ID
    label = cw.facts_scroll.widget().findChild(QLabel, "fact_证件号码")
    assert label.text() == VALID_ID
    assert cw.timeline.rowCount() == before + 1        # the viewing is on the record
    # A leader does not need the number: no button.
    leader = AppContext(current(), Actor("l1", "领导", frozenset({"leader"})), qsettings, ops=SyncRunner())
    cw2 = CaseWindow(leader, case.id)
    qtbot.addWidget(cw2)
    assert not cw2.reveal_buttons["id_number"].isVisibleTo(cw2)
