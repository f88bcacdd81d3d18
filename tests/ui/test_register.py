"""登记 through the real dialog: fields typed with qtbot, the case lands in the SQLite file,
shows in the list, and is still there after closing and reopening the database."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from gkdesk import validation
from gkdesk.cases.query import CaseFilter, count_cases
from gkdesk.ui.widgets.fields import is_invalid
from tests.ui.helpers import type_text

ID17 = "35052119850312123"
VALID_ID = ID17 + validation.id_check_digit(ID17)
BAD_ID = ID17 + ("0" if validation.id_check_digit(ID17) != "0" else "1")
USCC17 = "91350521MA2Y00000"
VALID_USCC = USCC17 + validation.uscc_check_char(USCC17)
BAD_USCC = USCC17 + ("0" if validation.uscc_check_char(USCC17) != "0" else "1")


def last_weekday_before(day: dt.date) -> dt.date:
    d = day - dt.timedelta(days=1)
    while d.weekday() >= 5:
        d -= dt.timedelta(days=1)
    return d


def fill_valid(qtbot, dlg, name="张三", content="申请公开某某路拓宽工程征地补偿安置方案及补偿标准"):
    type_text(qtbot, dlg.applicant_name, name)
    type_text(qtbot, dlg.id_number, VALID_ID)
    type_text(qtbot, dlg.phone, "13800138000")
    type_text(qtbot, dlg.address, "某某区某某路8号")
    type_text(qtbot, dlg.postcode, "362800")
    type_text(qtbot, dlg.content, content)
    type_text(qtbot, dlg.purpose, "自身生产生活需要")


def test_register_through_dialog_shows_in_list_and_survives_reopen(
        main_window, ctx, qtbot, messages_log, db_path, tmp_path, qsettings, actor):
    scan = tmp_path / "申请书扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 test scan\n")
    main_window.register_action.trigger()          # Ctrl+N / toolbar 登记申请
    dlg = main_window.register_dialog
    assert dlg is not None and dlg.isVisible()
    fill_valid(qtbot, dlg)
    dlg.channel.setCurrentIndex(dlg.channel.findData("post"))
    assert "签收" in dlg.receipt_rule.text()       # Art. 31 rule shown beside the date
    received = last_weekday_before(dt.date.today())
    dlg.received_date.set_date(received)
    dlg.form_wanted.setCurrentIndex(dlg.form_wanted.findData("electronic"))
    dlg.receive_method.setCurrentIndex(dlg.receive_method.findData("email"))
    type_text(qtbot, dlg.email, "zhangsan@example.com")
    dlg.add_attachments([str(scan)])
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)

    assert dlg.case is not None, dlg.error_panel.text()
    number = dlg.case.number
    case_id = dlg.case.id
    assert [m[0] for m in messages_log] == ["info"]
    assert number in messages_log[0][2] and "答复期限" in messages_log[0][2]
    assert count_cases(CaseFilter()) == 1

    page = main_window.page("cases")
    assert main_window.current_page_key() == "cases"
    assert page.model.rowCount() == 1
    assert page.selected_case_id() == case_id
    assert page.model.index(0, 0).data() == number
    assert page.model.index(0, 1).data() == "张三"
    assert page.count_label.text() == "共 1 件"

    # Close everything and the database; reopen the same file in a new main window.
    from gkdesk.db import close_database, open_database
    from gkdesk.ui.context import AppContext
    from gkdesk.ui.main_window import MainWindow

    main_window.close()
    close_database()
    opened = open_database(db_path)
    ctx2 = AppContext(opened, actor, qsettings)
    w2 = MainWindow(ctx2)
    qtbot.addWidget(w2)
    page2 = w2.show_page("cases")
    assert page2.model.rowCount() == 1
    assert page2.model.index(0, 0).data() == number
    from gkdesk.db.models import Case

    case = Case.get_by_id(case_id)
    assert (case.applicant_name, case.id_number, case.channel, case.received_date) == (
        "张三", VALID_ID, "post", received)
    assert (case.form_wanted, case.receive_method, case.email) == ("electronic", "email", "zhangsan@example.com")
    assert case.registered_by == "tester"
    assert [a.filename for a in case.attachments] == ["申请书扫描件.pdf"]


@pytest.mark.parametrize("kind, setup, field_key, words", [
    ("bad resident id", lambda q, d: (type_text(q, d.applicant_name, "李四"),
                                      type_text(q, d.id_number, BAD_ID),
                                      type_text(q, d.phone, "13800138000"),
                                      type_text(q, d.content, "申请公开预算")), "id_number", "证件号码"),
    ("bad credit code", lambda q, d: (d.applicant_kind.setCurrentIndex(d.applicant_kind.findData("commercial")),
                                      type_text(q, d.applicant_name, "某某建设有限公司"),
                                      type_text(q, d.id_number, BAD_USCC),
                                      type_text(q, d.phone, "0595-22355669"),
                                      type_text(q, d.content, "申请公开招标文件")), "id_number", "统一社会信用代码"),
    ("missing content", lambda q, d: (type_text(q, d.applicant_name, "王五"),
                                      type_text(q, d.id_number, VALID_ID),
                                      type_text(q, d.phone, "13800138000")), "content", "申请内容"),
    ("missing name", lambda q, d: (type_text(q, d.id_number, VALID_ID),
                                   type_text(q, d.phone, "13800138000"),
                                   type_text(q, d.content, "申请公开预算")), "applicant_name", "申请人姓名/名称"),
    ("bad phone", lambda q, d: (type_text(q, d.applicant_name, "赵六"),
                                type_text(q, d.id_number, VALID_ID),
                                type_text(q, d.phone, "12345"),
                                type_text(q, d.content, "申请公开预算")), "phone", "联系电话"),
])
def test_invalid_input_is_refused_naming_the_field(ctx, qtbot, messages_log, kind, setup, field_key, words):
    from gkdesk.ui.dialogs.register import RegisterDialog

    dlg = RegisterDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    setup(qtbot, dlg)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)

    assert dlg.case is None
    assert dlg.isVisible() and dlg.result() == 0
    assert count_cases(CaseFilter()) == 0            # nothing saved
    assert messages_log == []                        # no success message
    assert dlg.error_panel.isVisible()
    assert words in dlg.error_panel.text()
    widget = dlg.fields[field_key]
    assert is_invalid(widget)
    assert words in widget.toolTip()
    assert dlg.focusWidget() is widget or widget.isAncestorOf(dlg.focusWidget())
    # Other, valid fields are not marked.
    assert not any(is_invalid(w) for k, w in dlg.fields.items() if k != field_key)

    # Fixing it and trying again registers.
    if field_key == "id_number":
        dlg.id_number.clear()
        type_text(qtbot, dlg.id_number, VALID_USCC if kind == "bad credit code" else VALID_ID)
    elif field_key == "content":
        type_text(qtbot, dlg.content, "申请公开某事项")
    elif field_key == "applicant_name":
        type_text(qtbot, dlg.applicant_name, "钱七")
    elif field_key == "phone":
        dlg.phone.clear()
        type_text(qtbot, dlg.phone, "13800138000")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert dlg.case is not None, dlg.error_panel.text()
    assert count_cases(CaseFilter()) == 1


def test_id_and_credit_code_checked_while_typing(ctx, qtbot):
    from gkdesk.ui.dialogs.register import RegisterDialog

    dlg = RegisterDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    type_text(qtbot, dlg.id_number, ID17[:10])
    assert not is_invalid(dlg.id_number)              # unfinished, not yet wrong
    type_text(qtbot, dlg.id_number, BAD_ID[10:])
    assert is_invalid(dlg.id_number)
    assert "校验位" in dlg.id_number.toolTip()
    qtbot.keyClick(dlg.id_number, Qt.Key_Backspace)
    type_text(qtbot, dlg.id_number, VALID_ID[-1])
    assert not is_invalid(dlg.id_number)
    type_text(qtbot, dlg.id_number, "9")                # 19 characters: wrong at once
    assert is_invalid(dlg.id_number)

    # An organisation switches the type to 统一社会信用代码 and checks that instead.
    dlg.id_number.clear()
    dlg.applicant_kind.setCurrentIndex(dlg.applicant_kind.findData("research"))
    assert dlg.id_type.code() == "uscc"
    assert dlg.contact_person.isEnabled()
    type_text(qtbot, dlg.id_number, BAD_USCC)
    assert is_invalid(dlg.id_number) and "统一社会信用代码" in dlg.id_number.toolTip()
    dlg.id_number.clear()
    type_text(qtbot, dlg.id_number, VALID_USCC)
    assert not is_invalid(dlg.id_number)
    type_text(qtbot, dlg.id_number, "I")                # letters GB 32100 excludes
    assert is_invalid(dlg.id_number)

    # A person: no contact person; 证件类型 "无" disables the number.
    dlg.applicant_kind.setCurrentIndex(dlg.applicant_kind.findData("natural"))
    assert not dlg.contact_person.isEnabled()
    dlg.id_type.setCurrentIndex(dlg.id_type.findData("none"))
    assert not dlg.id_number.isEnabled() and not is_invalid(dlg.id_number)


def test_bad_phone_marked_when_leaving_the_field(ctx, qtbot):
    from gkdesk.ui.dialogs.register import RegisterDialog

    dlg = RegisterDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    type_text(qtbot, dlg.phone, "12345")
    assert not is_invalid(dlg.phone)                  # not judged mid-typing
    dlg.phone.editingFinished.emit()
    assert is_invalid(dlg.phone) and "联系电话" in dlg.phone.toolTip()
    dlg.phone.clear()
    type_text(qtbot, dlg.phone, "13800138000")
    assert not is_invalid(dlg.phone)                  # cleared as soon as it is right
