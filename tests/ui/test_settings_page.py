"""设置: the generated form saves to the database and reloads; bad values are refused
naming the field; only administrators may change settings."""
from __future__ import annotations

from PySide6.QtCore import Qt

from gkdesk import settings as core
from gkdesk.ui.widgets.fields import is_invalid
from tests.ui.helpers import type_text


def make_page(ctx, qtbot):
    from gkdesk.ui.pages.settings import SettingsPage

    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    return page


def test_form_has_every_option_grouped(ctx, qtbot):
    page = make_page(ctx, qtbot)
    assert set(page.editors) == {o.key for o in core.OPTIONS}
    groups = list(dict.fromkeys(o.group for o in core.OPTIONS))
    assert [page.tabs.tabText(i) for i in range(len(groups))] == groups
    mapping = page.editors["numbering.kind_codes"]
    labels = [mapping.item(r, 0).text() for r in range(mapping.rowCount())]
    assert "政府信息公开申请答复书" in labels and "补正申请告知书" in labels
    row = labels.index("政府信息公开申请答复书")
    assert mapping.item(row, 1).text() == "依复"


def test_save_and_reload(ctx, qtbot):
    page = make_page(ctx, qtbot)
    name = page.editors["office.name"]
    name.clear()
    type_text(qtbot, name, "泉港区人民政府办公室")
    phone = page.editors["office.phone"]
    phone.clear()
    type_text(qtbot, phone, "0595-87654321")
    page.editors["security.idle_lock_minutes"].setValue(30)
    page.editors["process.fee_pauses_clock"].setChecked(False)
    mapping = page.editors["numbering.kind_codes"]
    labels = [mapping.item(r, 0).text() for r in range(mapping.rowCount())]
    mapping.item(labels.index("政府信息公开申请答复书"), 1).setText("公开复")
    assert page.status_label.text() == "有未保存的修改"
    from tests.ui.helpers import topics_seen

    seen = topics_seen(ctx)
    qtbot.mouseClick(page.save_button, Qt.LeftButton)
    assert page.status_label.text() == "已保存"
    assert seen == ["settings"]
    assert core.get("office.name") == "泉港区人民政府办公室"
    assert core.get("office.phone") == "0595-87654321"
    assert core.get("security.idle_lock_minutes") == 30
    assert core.get("process.fee_pauses_clock") is False
    assert core.get("numbering.kind_codes")["reply"] == "公开复"
    # A fresh page reads the stored values back.
    page2 = make_page(ctx, qtbot)
    assert page2.editors["office.name"].text() == "泉港区人民政府办公室"
    assert page2.editors["security.idle_lock_minutes"].value() == 30
    assert not page2.editors["process.fee_pauses_clock"].isChecked()


def test_bad_phone_and_postcode_refused_naming_fields(ctx, qtbot):
    page = make_page(ctx, qtbot)
    before = core.get_all()
    page.editors["office.name"].setText("改了但不应保存")
    page.editors["office.phone"].setText("12345")
    page.editors["office.postcode"].setText("3628")
    qtbot.mouseClick(page.save_button, Qt.LeftButton)
    assert page.error_panel.isVisible()
    text = page.error_panel.text()
    assert "联系电话" in text and "邮政编码" in text
    assert is_invalid(page.editors["office.phone"]) and is_invalid(page.editors["office.postcode"])
    assert not is_invalid(page.editors["office.name"])
    assert "联系电话" in page.editors["office.phone"].toolTip()
    assert core.get_all() == before                   # nothing saved, not even the good field
    assert page.tabs.currentIndex() == page.group_tabs["本机关信息"]


def test_non_admin_cannot_edit(ctx, qtbot):
    from gkdesk.actors import Actor

    ctx.actor = Actor("clerk1", "登记员甲", frozenset({"clerk"}))
    page = make_page(ctx, qtbot)
    assert not page.save_button.isEnabled()
    assert not page.editors["office.name"].isEnabled()
    assert page.admin_note.isVisibleTo(page)


def test_leaving_with_unsaved_changes_asks(main_window, qtbot, messages_log):
    page = main_window.show_page("settings")
    page.editors["office.name"].setText("未保存的名称")
    main_window.show_page("cases")                    # confirm (stubbed: 放弃修改) → leaves
    assert messages_log and messages_log[0][0] == "confirm"
    assert main_window.current_page_key() == "cases"
    assert page.editors["office.name"].text() == core.get("office.name")


def test_holidays_tab_enters_a_year_and_updates_due_dates(ctx, qtbot, messages_log):
    import datetime as dt

    from gkdesk.cases import holidays, registry

    page = make_page(ctx, qtbot)
    tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert tabs[-1] == "节假日"
    editor = page.holidays
    # A case received in December 2026 runs into 2027, which nobody has entered yet.
    case = registry.register(registry.ApplicationInput(
        applicant_name="张三", id_type="none", phone="13800138000", content="申请公开预算",
        received_date=dt.date(2026, 12, 21)), user="t", today=dt.date(2026, 12, 21))
    assert case.due_provisional
    editor.year.setValue(2027)
    assert editor.status.property("yearStatus") == "unknown"
    editor.text.setPlainText("2027-01-01 休 元旦\n2027-01-04 班")
    from tests.ui.helpers import topics_seen

    seen = topics_seen(ctx)
    before = len(ctx.ops.calls)
    editor.save()
    assert ctx.ops.calls[before][0] == "write"          # on the writer thread
    assert editor.saved_count == 1 and seen == ["calendar", "cases"]
    assert holidays.year_status(2027) == "office"
    assert editor.status.property("yearStatus") == "office"
    assert "2027-01-04 班" in editor.text.toPlainText()
    from gkdesk.db.models import Case

    assert not Case.get_by_id(case.id).due_provisional
    assert "1件在办案件" in messages_log[-1][2]
    # A wrong line is refused naming the line; nothing changes.
    editor.text.setPlainText("2027-05-01 放假休息上班")
    editor.save()
    assert editor.saved_count is None
    assert "第1行" in editor.error_panel.text() and is_invalid(editor.text)
    assert "2027-01-04 班" in holidays.year_as_text(2027)


def test_editors_follow_the_declarations(ctx, qtbot):
    """A choice option is a list of its choices, an int option's box stops at its bounds,
    and the choice chosen is saved and read back."""
    page = make_page(ctx, qtbot)
    retention = page.editors["archive.retention_period"]
    assert [retention.itemText(i) for i in range(retention.count())] == ["永久", "30年", "10年"]
    assert retention.currentText() == "10年"
    idle = page.editors["security.idle_lock_minutes"]
    idle.setValue(5000)
    assert idle.value() == 1440
    retention.setCurrentText("永久")
    qtbot.mouseClick(page.save_button, Qt.LeftButton)
    assert page.status_label.text() == "已保存"
    assert core.get("archive.retention_period") == "永久"
    assert core.get("security.idle_lock_minutes") == 1440
    assert make_page(ctx, qtbot).editors["archive.retention_period"].currentText() == "永久"
