"""The seam between screens and core: a change made in one window reaches every other open
window through the change feed (no manual refresh, no notify_* call), the case window
reloads once after its own action, and the case list is recounted only when its rows or
counts may differ — not for an attachment or another change to one case's inner records."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from gkdesk.actors import SYSTEM
from gkdesk.cases import workflow
from tests.ui.test_case_window import _perform, _window_for
from tests.ui.test_register import fill_valid, last_weekday_before


def _stage_cell(page, case_id):
    row = page.model.find_case(case_id)
    return page.model.index(row, 4).data()


def test_a_change_in_one_window_appears_in_every_other_and_the_list_recounts_only_when_needed(
        main_window, ctx, qtbot, messages_log, tmp_path):
    page = main_window.page("cases")
    dash = main_window.page("dashboard")
    counts_before = page.model.count_queries
    assert page.model.rowCount() == 0

    # ---- registered in the 登记 dialog: the list and the 工作台 follow by themselves
    main_window.register_action.trigger()
    reg = main_window.register_dialog
    fill_valid(qtbot, reg, name="林晓峰", content="申请公开某某河道整治工程的环境影响评价报告")
    reg.received_date.set_date(last_weekday_before(dt.date.today()))
    qtbot.mouseClick(reg.ok_button, Qt.LeftButton)
    case_id = reg.case.id
    assert page.model.rowCount() == 1 and page.model.count_queries == counts_before + 1
    dash.activate()
    assert dash.cards["my_review"].count == 1

    # ---- the case window's own action: it reloads once; the list row shows the new stage
    page.select_case(case_id)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key_Return)
    cw = _window_for(ctx, case_id)
    reloads, counts = cw.reloads, page.model.count_queries
    _perform(qtbot, cw, "accept", section="政务公开科", handler="陈默")
    assert cw.stage_label.text() == "办理中"
    assert cw.reloads == reloads + 1, "one reload after its own action, not two"
    assert page.model.count_queries == counts + 1, "a change of stage recounts the list"
    assert _stage_cell(page, case_id) == "办理中"
    dash.activate()
    assert dash.cards["my_review"].count == 0

    # ---- an attachment: the window shows it, the list is not recounted
    scan = tmp_path / "申请书扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    counts = page.model.count_queries
    assert cw.add_attachments([scan], "scan") == 1
    assert cw.attachments.rowCount() == 1
    assert page.model.count_queries == counts, "the list is not recounted for one case's records"

    # ---- a write made elsewhere (another window, the CLI in this process): the open
    # window follows without F5
    reloads = cw.reloads
    workflow.perform(case_id, "consult", SYSTEM, kind="third_party", party="某某建设公司",
                     information="环评报告中涉及该公司的商业信息", sent_date=dt.date.today())
    assert cw.reloads == reloads + 1
    assert any("征求" in cw.timeline.item(r, 2).text() for r in range(cw.timeline.rowCount()))
    assert page.model.count_queries == counts + 1, "the case is paused now: the list shows it"


def test_a_change_to_another_case_does_not_reload_the_window(main_window, ctx, qtbot):
    from tests.cases.helpers import new_case

    a = new_case(received=dt.date(2026, 9, 24), today=dt.date(2026, 9, 25)).id
    b = new_case(received=dt.date(2026, 9, 24), name="李四", today=dt.date(2026, 9, 25)).id
    ctx.open_case(a)
    cw = _window_for(ctx, a)
    reloads = cw.reloads
    workflow.perform(b, "withdraw", SYSTEM, reply_date=dt.date(2026, 9, 25), today=dt.date(2026, 9, 25))
    assert cw.reloads == reloads, "a change to another case does not reload this window"
    workflow.perform(a, "withdraw", SYSTEM, reply_date=dt.date(2026, 9, 25), today=dt.date(2026, 9, 25))
    assert cw.reloads == reloads + 1 and cw.stage_label.text() != "待审核"
