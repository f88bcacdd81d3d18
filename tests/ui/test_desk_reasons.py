"""设置 → 理由库, driven as the office would: browse a category, edit (a new version each time,
history shown), restore an earlier version and the default, retire and re-enable, add;
a clerk's edit is refused by the core and the refusal shown; the action dialog's pick
list follows."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gkdesk.actors import Actor
from gkdesk.api import reasons as api
from gkdesk.db.desk_models import ReasonText


@pytest.fixture
def editor(ctx, qtbot):
    from gkdesk.ui.pages.settings import SettingsPage

    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    page.tabs.setCurrentWidget(page.reasons_tab)
    assert not page.save_button.isVisible()     # the tab saves itself
    return page.reasons


def _category(editor, code):
    row = next(i for i in range(editor.categories.count()) if editor.categories.item(i).data(Qt.UserRole) == code)
    editor.categories.setCurrentRow(row)


def _select(editor, key):
    row = next(r for r in range(editor.table.rowCount()) if editor.table.item(r, 0).data(Qt.UserRole) == key)
    editor.table.selectRow(row)


def test_browse_edit_history_restore_retire(editor, qtbot, messages_log, tmp_path):
    assert [editor.categories.item(i).text() for i in range(editor.categories.count())] == list(api.CATEGORIES.values())
    _category(editor, "cannot")
    titles = [editor.table.item(r, 0).text() for r in range(editor.table.rowCount())]
    assert titles == [e.title for e in api.entries("cannot")] and len(titles) >= 3
    _select(editor, "default:not_held")
    assert editor.current.key == "default:not_held" and editor.history.rowCount() == 1
    assert editor.history.item(0, 0).text() == "默认"
    default_text = editor.text.toPlainText()
    # edit: a new version
    editor.text.setPlainText("经检索本机关档案，未找到您申请的政府信息，该政府信息不存在。")
    editor.note.setText("按法制办意见修改")
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    assert ReasonText.select().where(ReasonText.key == "default:not_held").count() == 1
    assert editor.table.item(editor.table.currentRow(), 1).text() == "第1版"
    assert [editor.history.item(r, 0).text() for r in range(editor.history.rowCount())] == ["第1版", "默认"]
    assert editor.history.item(0, 3).text() == "按法制办意见修改" and editor.history.item(0, 2).text() == "tester"
    # a second edit, then bring back version 1
    editor.text.setPlainText("第二稿")
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    editor.history.selectRow(1)
    assert editor.restore_button.isEnabled() and "未找到" in editor.version_text.text()
    qtbot.mouseClick(editor.restore_button, Qt.LeftButton)
    now = [e for e in api.entries("cannot") if e.key == "default:not_held"][0]
    assert now.version == 3 and now.text.startswith("经检索本机关档案") and now.note == "恢复第1版"
    # and the default
    qtbot.mouseClick(editor.default_button, Qt.LeftButton)
    now = [e for e in api.entries("cannot") if e.key == "default:not_held"][0]
    assert now.version == 4 and now.text == default_text and editor.history.rowCount() == 5
    # retire: gone from the pick list of a reply, shown greyed with 显示已停用的
    qtbot.mouseClick(editor.retire_button, Qt.LeftButton)
    assert messages_log[-1][0] == "confirm"
    assert "default:not_held" not in [e.key for e in api.for_action("reply", "not_held")]
    assert "default:not_held" not in [editor.table.item(r, 0).data(Qt.UserRole) for r in range(editor.table.rowCount())]
    editor.show_retired.setChecked(True)
    _select(editor, "default:not_held")
    assert editor.table.item(editor.table.currentRow(), 2).text() == "已停用"
    assert editor.retire_button.text() == "重新启用"
    qtbot.mouseClick(editor.retire_button, Qt.LeftButton)
    assert "default:not_held" in [e.key for e in api.for_action("reply", "not_held")]
    editor.window().grab().save(str(tmp_path / "reasons.png"))


def test_add_a_fee_reason_and_a_refusal_is_shown(editor, ctx, qtbot, messages_log):
    _category(editor, "fee")
    qtbot.mouseClick(editor.new_button, Qt.LeftButton)
    assert editor.current is None and not editor.outcome.isEnabled()   # the notices have no outcome
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)                 # empty: the core names the field
    assert editor.error.isVisible() and "理由：必须填写" in editor.error.text()
    editor.text.setPlainText("您一次申请公开的政府信息达300页，明显超过合理范围。")
    editor.article.setText("《政府信息公开信息处理费管理办法》第三条")
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    added = [e for e in api.entries("fee") if e.text.startswith("您一次申请")]
    assert len(added) == 1 and added[0].article.endswith("第三条")
    assert editor.current is not None and editor.current.key == added[0].key
    # a clerk may add, but not change a kept text: the core's refusal is shown, nothing saved
    ctx.actor = Actor("clerk1", "登记员", frozenset({"clerk"}))
    editor.text.setPlainText("改过的文字")
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    assert editor.error.isVisible() and "权限" in editor.error.text()
    assert [e.text for e in api.entries("fee") if e.key == added[0].key] == [added[0].text]
    assert editor.text.toPlainText() == "改过的文字"          # what was typed is still there


def test_another_screen_saving_refreshes_the_tab(editor, ctx):
    from gkdesk.actors import SYSTEM

    _category(editor, "extension")
    n = editor.table.rowCount()
    api.save(SYSTEM, category="extension", text="需要与上级机关会商，")
    assert editor.table.rowCount() == n + 1


def test_f1_on_the_reasons_tab(main_window, qtbot):
    page = main_window.show_page("settings")
    assert main_window.help_topic() == "settings"
    page.tabs.setCurrentWidget(page.reasons_tab)
    assert main_window.help_topic() == "reasons"
