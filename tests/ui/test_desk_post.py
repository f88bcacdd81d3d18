"""Post in the GUI: envelopes and the 交寄清单 from the case list's 批量操作 menu, the pasted
list of tracking numbers (a bad line named and nothing saved; good lines saved), and the
邮寄 tab of the case window for a case served by post."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from gkdesk.db.desk_models import PostItem
from gkdesk.db.models import Case, CaseEvent
from tests.desk.helpers import delivered_case, replied_case
from tests.documents.helpers import MM, bbox_pages, flat, pdftotext


@pytest.fixture
def page(ctx, qtbot):
    from gkdesk.ui.pages.cases import CasesPage

    p = CasesPage(ctx)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    return p


def _select(page, case_ids):
    from gkdesk.ui.models.case_table import CASE_ID_ROLE

    page.refresh()
    sm = page.view.selectionModel()
    for r in range(page.model.rowCount()):
        if page.model.data(page.model.index(r, 0), CASE_ID_ROLE) in case_ids:
            sm.select(page.model.index(r, 0), QItemSelectionModel.Select | QItemSelectionModel.Rows)
    assert len(sm.selectedRows()) == len(case_ids)


def test_envelopes_from_the_batch_menu_list_a_case_without_address(page, ctx, tmp_path, monkeypatch, messages_log):
    a, _ = replied_case("not_held", name="甲某")
    b, _ = replied_case("not_held", name="乙某")
    Case.update(address="").where(Case.id == b.id).execute()
    _select(page, {a.id, b.id})
    out = tmp_path / "env.pdf"
    monkeypatch.setattr(page.batch, "ask_path", lambda *args: str(out))
    page.batch.actions["env_dl"].trigger()
    pages = bbox_pages(out.read_bytes(), tmp_path)
    assert len(pages) == 1 and abs(pages[0]["width"] - 220 * MM) < 1 and abs(pages[0]["height"] - 110 * MM) < 1
    assert "甲某" in flat(pdftotext(out.read_bytes(), tmp_path))
    kind, title, text = messages_log[-1]
    assert kind == "warning" and title == "打印信封" and "未能办理1件" in text
    # C5: both printed once the address is there
    Case.update(address="某某市某某路1号").where(Case.id == b.id).execute()
    _select(page, {a.id, b.id})
    page.batch.actions["env_c5"].trigger()
    pages = bbox_pages(out.read_bytes(), tmp_path)
    assert len(pages) == 2 and abs(pages[0]["height"] - 162 * MM) < 1 and messages_log[-1][0] == "info"


def test_postal_list_from_the_batch_menu(page, ctx, tmp_path, monkeypatch, messages_log):
    from gkdesk.cases import deadlines

    monkeypatch.setattr(deadlines, "today", lambda: dt.date(2026, 3, 21))
    a, _ = replied_case("not_held", name="甲某")
    b, _ = replied_case("not_held", name="乙某")
    _select(page, {a.id, b.id})
    out = tmp_path / "list.pdf"
    monkeypatch.setattr(page.batch, "ask_path", lambda *args: str(out))
    page.batch.actions["post_list"].trigger()
    text = flat(pdftotext(out.read_bytes(), tmp_path))
    assert "邮件交寄清单" in text and "甲某" in text and "乙某" in text and "共2件" in text
    assert {p.case_id for p in PostItem.select()} == {a.id, b.id}
    assert all(p.posted_on == dt.date(2026, 3, 21) for p in PostItem.select())
    assert messages_log[-1][0] == "info" and "完成2件" in messages_log[-1][2]


def test_tracking_paste_dialog_names_a_bad_line_and_saves_nothing(page, ctx, qtbot, tmp_path):
    from gkdesk.ui.batch_actions import TrackingDialog

    a, _ = replied_case("not_held", name="甲某")
    b, _ = replied_case("not_held", name="乙某")
    dlg = TrackingDialog(page.batch)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)                       # empty
    assert dlg.isVisible() and "请粘贴" in dlg.problems.text()
    dlg.edit.setPlainText(f"{a.number}\tXA123456789CN\n{b.number}\t12AB\n依申〔2026〕999号 XA123456789CN")
    qtbot.mouseClick(dlg.ok, Qt.LeftButton)
    assert dlg.isVisible() and dlg.result() == 0
    assert "第2行" in dlg.problems.text() and "12AB" in dlg.problems.text() and "格式不对" in dlg.problems.text()
    assert "第3行" in dlg.problems.text() and "找不到" in dlg.problems.text()
    assert "第1行" not in dlg.problems.text()
    assert [Case.get_by_id(c.id).tracking_number for c in (a, b)] == ["", ""]
    dlg.resize(560, 360)
    qtbot.wait(50)                 # let the layout give the problems their lines
    dlg.grab().save(str(tmp_path / "tracking.png"))


def test_tracking_paste_from_the_menu_saves_good_lines(page, ctx, qtbot, monkeypatch, messages_log):
    from gkdesk.ui import batch_actions

    a, _ = replied_case("not_held", name="甲某")
    b, _ = replied_case("not_held", name="乙某")
    pasted = f"{a.number}\tXA123456789CN\n\n{b.number}, 1234567890123\n"

    class Pasting(batch_actions.TrackingDialog):
        def exec(self):                    # the clerk pastes and clicks 登记
            self.edit.setPlainText(pasted)
            self.ok.click()
            return self.result()

    monkeypatch.setattr(batch_actions, "TrackingDialog", Pasting)
    page.refresh()
    page.batch.actions["tracking"].trigger()
    assert Case.get_by_id(a.id).tracking_number == "XA123456789CN"
    assert Case.get_by_id(b.id).tracking_number == "1234567890123"
    assert CaseEvent.select().where(CaseEvent.action == "post.tracking").count() == 2
    assert messages_log[-1][:2] == ("info", "登记邮件号") and "2 件" in messages_log[-1][2]


def test_post_tab_of_the_case_window(ctx, qtbot, tmp_path):
    from gkdesk.ui.case_window import open_case_window

    c, _ = delivered_case("not_held", method="post", name="甲某")
    w = open_case_window(ctx, c.id)
    qtbot.addWidget(w)
    panel = w.post_panel
    index = w.tabs.indexOf(panel)
    assert w.tabs.isTabVisible(index) and w.tabs.tabText(index) == "邮寄"
    assert panel.method.text() == "邮寄送达" and panel.tracking.text() == "EA123456789CN"
    assert panel.delivered.text() == "2026-03-25" and "某某路8号" in panel.address.text()
    w.tabs.setCurrentWidget(panel)
    # a wrong number: refused in the tab, nothing changed
    panel.edit.setText("ABC")
    qtbot.mouseClick(panel.save_button, Qt.LeftButton)
    assert panel.error.isVisible() and "格式不对" in panel.error.text()
    assert Case.get_by_id(c.id).tracking_number == "EA123456789CN"
    panel.edit.setText("xa987654321cn")
    qtbot.keyClick(panel.edit, Qt.Key_Return)
    assert Case.get_by_id(c.id).tracking_number == "XA987654321CN" and panel.tracking.text() == "XA987654321CN"
    w.resize(1100, 700)
    w.grab().save(str(tmp_path / "case-post.png"))
    # served directly: no 邮寄 tab
    d, _ = delivered_case("not_held", method="direct", name="乙某")
    w2 = open_case_window(ctx, d.id)
    qtbot.addWidget(w2)
    assert not w2.tabs.isTabVisible(w2.tabs.indexOf(w2.post_panel))
