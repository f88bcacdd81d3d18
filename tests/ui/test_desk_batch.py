"""The clerk's day in the GUI: several cases selected in the case list, batch print and
archive off the UI thread (synchronous runner in tests), results listed."""
import datetime as dt

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QItemSelectionModel  # noqa: E402

from gkdesk.db.models import Case  # noqa: E402

from tests.desk.helpers import delivered_case, replied_case  # noqa: E402


@pytest.fixture
def page(ctx, qtbot):
    from gkdesk.ui.pages.cases import CasesPage

    p = CasesPage(ctx)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    return p


def _select_rows(page, rows):
    sm = page.view.selectionModel()
    for r in rows:
        sm.select(page.model.index(r, 0), QItemSelectionModel.Select | QItemSelectionModel.Rows)


def test_ctrl_selection_and_batch_print(page, ctx, tmp_path, monkeypatch, messages_log, qtbot):
    _cases = [replied_case("not_held", name=f"甲{i}")[0] for i in range(3)]
    page.refresh()
    _select_rows(page, [0, 2])
    assert page.batch.label.text() == "已选 2 件"
    out = tmp_path / "p.pdf"
    monkeypatch.setattr(page.batch, "ask_path", lambda *a: str(out))
    page.batch.actions["print"].trigger()
    assert out.exists()
    kind, title, text = messages_log[-1]
    assert kind == "info" and "完成2件" in text
    page.grab().save(str(tmp_path / "batch.png"))


def test_select_all_that_match_then_archive_lists_the_incomplete(page, ctx, messages_log, qtbot):
    ok = [delivered_case("not_held", method="post", name=f"补偿{i}")[0] for i in range(3)]
    bad = delivered_case("not_held", method="direct", name="补偿缺")[0]
    delivered_case("not_held", method="post", name="其他人", content="道路规划图")
    page.refresh()
    page.search.setText("征收补偿")
    page._apply_now()
    page.batch.select_all_matching()
    assert page.batch.all_matching and "全部 4 件" in page.batch.label.text()
    page.batch.actions["archive"].trigger()
    assert [Case.get_by_id(c.id).stage for c in ok] == ["archived"] * 3
    assert Case.get_by_id(bad.id).stage == "delivered"
    kind, title, text = messages_log[-1]
    assert kind == "warning" and "未能办理1件" in text
    # a new search drops the "all that match" selection
    page.search.setText("道路")
    page._apply_now()
    assert not page.batch.all_matching


def test_precedents_dialog_finds_a_reply_by_two_characters(ctx, qtbot):
    from gkdesk.ui.dialogs.precedents import PrecedentsDialog

    c, _ = replied_case("third_party", issue=False, outcome_reason="涉及被征收人个人隐私")
    dlg = PrecedentsDialog(ctx, None, "隐私")
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 1 and dlg.table.item(0, 0).text() == c.number
    assert "不予公开" in dlg.table.item(0, 2).text() and "隐私" in dlg.table.item(0, 6).text()


def test_day_list_from_the_dashboard_prints(ctx, qtbot, tmp_path, monkeypatch, messages_log):
    from gkdesk.cases import deadlines
    from gkdesk.ui.pages.dashboard import DashboardPage
    from tests.documents.helpers import new_case

    c = new_case(received=dt.date(2026, 11, 16))
    dash = DashboardPage(ctx)
    qtbot.addWidget(dash)
    monkeypatch.setattr(deadlines, "today", lambda: c.due_date)
    dlg = dash.open_day_list()
    qtbot.addWidget(dlg)
    assert dlg.tree.topLevelItemCount() == 1 and dlg.tree.topLevelItem(0).child(0).text(0) == c.number
    out = tmp_path / "day.pdf"
    monkeypatch.setattr(dlg, "ask_path", lambda: str(out))
    dlg.save_pdf()
    assert out.exists() and messages_log[-1][0] == "info"


def test_action_dialog_offers_the_reasons_library_and_saves_a_typed_text(ctx, qtbot, messages_log, tmp_path):
    from gkdesk.api import reasons
    from gkdesk.cases import workflow as wf
    from gkdesk.ui.dialogs.action import ActionDialog
    from tests.documents.helpers import new_case

    c = new_case()
    c = wf.perform(c.id, "accept", wf_actor(), today=dt.date(2026, 3, 3), section="综合股", handler="王丽")
    dlg = ActionDialog(ctx, c, wf.ACTIONS["reply"], today=dt.date(2026, 3, 20))
    qtbot.addWidget(dlg)
    outcome = dlg.editors["outcome"]
    outcome.setCurrentIndex(outcome.findData("third_party"))
    picker = dlg.reason_picker
    assert picker.combo.count() > 1 and picker.entries[0].outcome == "third_party"
    picker.combo.setCurrentIndex(1)
    picker.choose(1)
    assert dlg.editors["outcome_reason"].toPlainText() == picker.entries[0].text
    assert "第十五条" in dlg.editors["outcome_articles"].text()
    dlg.editors["outcome_reason"].setPlainText("涉及未成年人的个人信息，公开会损害其合法权益。")
    picker.save_typed()
    assert any(e.text.startswith("涉及未成年人") for e in reasons.entries("withhold"))
    dlg.resize(760, 640)
    dlg.grab().save(str(tmp_path / "action.png"))


def wf_actor():
    from gkdesk.actors import SYSTEM

    return SYSTEM


def test_the_fee_notice_dialog_picks_its_reason_from_the_library(ctx, qtbot, tmp_path):
    from gkdesk.cases import workflow as wf
    from gkdesk.ui.dialogs.action import ActionDialog
    from tests.documents.helpers import new_case

    c = wf.perform(new_case().id, "accept", wf_actor(), today=dt.date(2026, 3, 3), section="综合股", handler="王丽")
    dlg = ActionDialog(ctx, c, wf.ACTIONS["fee_notice"], today=dt.date(2026, 3, 20))
    qtbot.addWidget(dlg)
    picker = dlg.reason_picker
    assert picker is not None and picker.entries and all(e.category == "fee" for e in picker.entries)
    picker.combo.setCurrentIndex(1)
    picker.choose(1)
    assert dlg.editors["reason"].toPlainText() == picker.entries[0].text
    dlg.editors["quantity"].setValue(120)
    dlg.submit()
    fee = wf.get_case(c.id).fees[0]
    assert fee.reason == picker.entries[0].text
