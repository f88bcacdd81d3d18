"""附件一 / 附件二 pages driven as a clerk would: select a unit, edit the tables (phones
checked as typed), save through the core, keep unsaved edits from being lost; unit
actions; import, export, PDF and the collection-round dialog in the background."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from gkdesk.actors import SYSTEM
from gkdesk.db.models import Unit
from gkdesk.forms import rounds, units, xlsx_export
from gkdesk.ui.widgets.fields import is_invalid
from tests.forms.helpers import make_unit
from tests.forms.test_xlsx_roundtrip import fill_clean
from tests.ui.helpers import type_text


def annex1(ctx, qtbot):
    from gkdesk.ui.pages.annex1 import create_annex1_page

    page = create_annex1_page(ctx, None)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page


def annex2(ctx, qtbot):
    from gkdesk.ui.pages.annex2 import create_annex2_page

    page = create_annex2_page(ctx, None)
    qtbot.addWidget(page)
    page.show()
    return page


def select(page, name):
    tree = page.unit_list.tree
    for i in range(tree.topLevelItemCount()):
        if tree.topLevelItem(i).text(0) == name:
            tree.setCurrentItem(tree.topLevelItem(i))
            return
    raise AssertionError(f"{name} not in the list")


def edit_cell(qtbot, table, row, col, text):
    """Open the cell's editor, type ``text`` as a user would, press Enter. Returns the editor
    as it was just before Enter (to look at its live check)."""
    table.setFocus()
    table.setCurrentCell(row, col)
    table.editItem(table.item(row, col))
    editor = table.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    type_text(qtbot, editor, text)
    state = (is_invalid(editor), editor.toolTip())
    qtbot.keyClick(editor, Qt.Key_Return)
    # the delegate commits a Return-finished edit through a queued call
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState, timeout=3000)
    return state


@pytest.fixture
def two_units(db_path):
    make_unit("民政局")
    make_unit("信访局", functions=None)


def test_annex1_shows_the_units_form(ctx, qtbot, two_units):
    page = annex1(ctx, qtbot)
    select(page, "民政局")
    assert page.unit_title.text() == "民政局"
    assert page.leaders.rows() == [["张三", "副局长", "13800138000", ""]]
    assert [r[0] for r in page.staff.rows()] == ["李四", "王五"]
    assert not page.save_btn.isEnabled()


def test_phone_checked_as_typed_and_bad_rows_refused(ctx, qtbot, two_units, messages_log):
    page = annex1(ctx, qtbot)
    select(page, "民政局")
    live_invalid, live_tip = edit_cell(qtbot, page.staff, 0, 2, "1380013")
    assert live_invalid and "不是有效的电话号码" in live_tip
    assert page.staff.problem(0, 2)                       # stays red after the edit
    assert page.staff.item(0, 2).toolTip().startswith("联系方式“1380013”")
    assert page.save_btn.isEnabled() and "未保存" in page.unit_title.text()
    before = units.snapshot(units.get_unit("民政局"))
    qtbot.mouseClick(page.save_btn, Qt.LeftButton)
    assert messages_log and "工作人员第1行：联系方式“1380013”" in messages_log[-1][2]
    assert units.snapshot(units.get_unit("民政局")) == before
    ok_invalid, _ = edit_cell(qtbot, page.staff, 0, 2, "0595-22355999")
    assert not ok_invalid and not page.staff.problem(0, 2)
    qtbot.mouseClick(page.save_btn, Qt.LeftButton)
    assert units.get_staff(units.get_unit("民政局")).staff[0].contact == "0595-22355999"
    assert page.status_label.text() == "已保存。"
    assert not page.save_btn.isEnabled()


def test_add_move_remove_rows_and_leading_group(ctx, qtbot, two_units, messages_log):
    page = annex1(ctx, qtbot)
    select(page, "民政局")
    page.staff.setCurrentCell(1, 0)
    qtbot.mouseClick(page.staff.buttons["add"], Qt.LeftButton)          # a new row after 王五
    assert page.staff.rowCount() == 3
    edit_cell(qtbot, page.staff, 2, 0, "赵六")
    edit_cell(qtbot, page.staff, 2, 1, "科员")
    edit_cell(qtbot, page.staff, 2, 2, "13600136000")
    qtbot.mouseClick(page.staff.buttons["up"], Qt.LeftButton)           # 赵六 above 王五
    page.staff.setCurrentCell(0, 0)
    qtbot.mouseClick(page.staff.buttons["remove"], Qt.LeftButton)       # 李四 removed
    # leading group: 组长 + a 成员
    qtbot.mouseClick(page.group.buttons["add"], Qt.LeftButton)
    page.group.item(0, 0).setText("组长")
    edit_cell(qtbot, page.group, 0, 1, "刘冰")
    edit_cell(qtbot, page.group, 0, 2, "党组书记、局长")
    qtbot.mouseClick(page.group.buttons["add"], Qt.LeftButton)
    assert page.group.item(1, 0).text() == "成员"                        # default role
    edit_cell(qtbot, page.group, 1, 1, "庄学民")
    qtbot.mouseClick(page.save_btn, Qt.LeftButton)
    assert messages_log == []
    u = units.get_unit("民政局")
    assert [(r.name, r.contact) for r in units.get_staff(u).staff] == [("赵六", "13600136000"), ("王五", "13900139000")]
    assert [(m.role, m.name) for m in units.get_leading_group(u)] == [("head", "刘冰"), ("member", "庄学民")]
    actions = [h.action for h in units.history(u)]
    assert actions[-2:] == ["staff", "leading_group"]


def test_unsaved_edits_guard_switching_units(ctx, qtbot, two_units, monkeypatch):
    page = annex1(ctx, qtbot)
    select(page, "民政局")
    edit_cell(qtbot, page.leaders, 0, 1, "党组成员、副局长")
    answers = iter(["cancel", "discard"])
    monkeypatch.setattr(page, "ask_unsaved", lambda name: next(answers))
    select(page, "信访局")
    assert page.unit_list.current_info().name == "民政局"             # cancel: stays, edits kept
    assert page.leaders.item(0, 1).text() == "党组成员、副局长"
    select(page, "信访局")
    assert page.unit_title.text() == "信访局"                          # discard: moved on
    assert units.get_staff(units.get_unit("民政局")).leaders[0].post == "副局长"


def test_every_write_of_the_forms_pages_goes_through_the_writer(ctx, qtbot, two_units, monkeypatch):
    """Annex saves, unit actions and rounds run as ``ctx.ops.write`` operations (in order, on
    the one writer thread), never as a direct service call on the UI thread."""
    page = annex1(ctx, qtbot)
    select(page, "民政局")
    edit_cell(qtbot, page.staff, 0, 1, "科长")
    before = len([c for c in ctx.ops.calls if c[0] == "write"])
    qtbot.mouseClick(page.save_btn, Qt.LeftButton)
    monkeypatch.setattr(page.unit_list, "_ask_text", lambda *a: "东海街道办事处")
    page.unit_list.add_unit()
    writes = [c for c in ctx.ops.calls if c[0] == "write"]
    assert len(writes) == before + 2
    assert units.get_staff(units.get_unit("民政局")).staff[0].post == "科长"
    assert units.get_unit("东海街道办事处").active


def test_save_on_leaving_lands_then_switches_with_the_real_writer(threaded_ctx, qtbot, two_units, messages_log):
    """保存 in the unsaved-edits question: the save runs on the writer thread, the list stays
    on the unit until it has landed, then moves to the unit the clerk clicked."""
    page = annex1(threaded_ctx, qtbot)
    select(page, "民政局")
    edit_cell(qtbot, page.leaders, 0, 1, "局长")
    page.ask_unsaved = lambda name: "save"
    select(page, "信访局")
    qtbot.waitUntil(lambda: page.unit_title.text() == "信访局", timeout=10000)
    assert units.get_staff(units.get_unit("民政局")).leaders[0].post == "局长"
    assert messages_log == []


def test_unit_actions(ctx, qtbot, two_units, monkeypatch, messages_log):
    from PySide6.QtWidgets import QInputDialog

    page = annex1(ctx, qtbot)
    from tests.ui.helpers import topics_seen

    seen = topics_seen(ctx)
    monkeypatch.setattr(page.unit_list, "_ask_text", lambda *a: "东海街道办事处")
    page.unit_list.add_unit()
    assert page.unit_list.current_info().name == "东海街道办事处"
    assert page.unit_list.current_info().kind == "street"
    assert seen == ["units"]
    select(page, "信访局")
    monkeypatch.setattr(page.unit_list, "_ask_text", lambda *a: "信访和群众工作局")
    page.unit_list.rename_unit()
    assert units.get_unit("信访和群众工作局").active
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("民政局", True)))
    page.unit_list.merge_unit()
    assert not units.get_unit("信访和群众工作局").active
    assert page.unit_list.current_info().name == "民政局"
    names = [page.unit_list.tree.topLevelItem(i).text(0) for i in range(page.unit_list.tree.topLevelItemCount())]
    assert "信访和群众工作局" not in names
    page.unit_list.show_retired.setChecked(True)
    names = [page.unit_list.tree.topLevelItem(i).text(0) for i in range(page.unit_list.tree.topLevelItemCount())]
    assert "信访和群众工作局（已并入民政局）" in names
    select(page, "东海街道办事处")
    page.unit_list.retire_unit()
    assert not units.get_unit("东海街道办事处").active


def test_annex2_edit_and_required_fields(ctx, qtbot, two_units, messages_log):
    page = annex2(ctx, qtbot)
    select(page, "信访局")
    phone = page.fields["phone"]
    type_text(qtbot, phone, "1380013")
    assert is_invalid(phone) and "不是有效的电话号码" in phone.toolTip()
    qtbot.mouseClick(page.save_btn, Qt.LeftButton)
    assert messages_log
    assert is_invalid(page.fields["full_name"]) and is_invalid(page.fields["head_name"])
    assert units.get_functions(units.get_unit("信访局")) is None
    phone.clear()
    type_text(qtbot, phone, "0595-22355888")
    assert not is_invalid(phone)
    type_text(qtbot, page.fields["full_name"], "某某区信访局")
    type_text(qtbot, page.fields["head_name"], "陈东")
    page.fields["functions"].setPlainText("一、受理群众来信来访。\n二、负责本局政府信息公开工作。")
    qtbot.mouseClick(page.save_btn, Qt.LeftButton)
    f = units.get_functions(units.get_unit("信访局"))
    assert (f.full_name, f.phone, f.head_name) == ("某某区信访局", "0595-22355888", "陈东")
    assert f.functions.split("\n")[1] == "二、负责本局政府信息公开工作。"


def test_import_dialog_lists_changes_and_problems_and_saves_accepted(ctx, qtbot, tmp_path, monkeypatch):
    make_unit("民政局", leaders=[], staff=[], functions=None)
    make_unit("信访局", leaders=[], staff=[], functions=None)
    r = rounds.create_round("2026年第一次", dt.date(2026, 8, 28), SYSTEM)
    folder = tmp_path / "returns"
    xlsx_export.export_all(folder, r, blank=True)
    for name, bad in (("民政局", False), ("信访局", True)):
        wb = openpyxl.load_workbook(folder / f"{name}.xlsx")
        fill_clean(wb)
        if bad:
            wb["附件1"]["D5"] = "1380013"
        wb.save(folder / f"{name}.xlsx")
    page = annex1(ctx, qtbot)
    monkeypatch.setattr(page, "ask_folder", lambda title: str(folder))
    page.import_forms(folder=True)
    qtbot.waitUntil(lambda: len(page.dialogs) == 1, timeout=20000)
    dlg = page.dialogs[0]
    names = [dlg.table.item(i, 1).text() for i in range(dlg.table.rowCount())]
    states = {names[i]: dlg.table.item(i, 3).text() for i in range(len(names))}
    assert states["民政局"].startswith("有变化") and states["信访局"].startswith("有问题")
    assert "信访局.xlsx!附件1!D5：联系方式“1380013”不是有效的电话号码" in dlg.all_problems.toPlainText()
    bad_row = names.index("信访局")
    assert not (dlg.table.item(bad_row, 0).flags() & Qt.ItemIsUserCheckable)
    dlg.table.setCurrentCell(names.index("民政局"), 1)
    assert "新增 林晓燕" in dlg.detail.toPlainText()
    assert dlg.save_btn.text() == "保存所选（1）"
    dlg.save()
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=20000)
    assert dlg.result.saved == ["民政局"] and dlg.result.problems_recorded == 1
    assert [x.name for x in units.get_staff(units.get_unit("民政局")).staff][0] == "林晓燕"
    assert units.get_staff(units.get_unit("信访局")).staff == []
    st = {s.unit_name: s.status for s in rounds.round_status(r)}
    assert st["信访局"] == "problems" and st["民政局"] in ("returned", "late")
    assert "导入完成" in page.status_label.text()


def test_import_rejected_changes_nothing(ctx, qtbot, tmp_path, monkeypatch):
    unit = make_unit("民政局", leaders=[], staff=[], functions=None)
    path = xlsx_export.export_unit(unit, tmp_path / "民政局.xlsx", blank=True)
    wb = openpyxl.load_workbook(path)
    fill_clean(wb)
    wb.save(path)
    page = annex2(ctx, qtbot)
    monkeypatch.setattr(page, "ask_open_file", lambda *a: str(path))
    page.import_forms(folder=False)
    qtbot.waitUntil(lambda: len(page.dialogs) == 1, timeout=20000)
    dlg = page.dialogs[0]
    dlg.set_accepted(0, False)
    dlg.record_problems.setChecked(False)
    assert not dlg.save_btn.isEnabled()
    dlg.reject()
    assert units.get_functions(unit) is None and rounds.return_count() == 0


def test_export_all_in_background_and_pdf(ctx, qtbot, tmp_path, monkeypatch, two_units):
    page = annex1(ctx, qtbot)
    out = tmp_path / "out"
    monkeypatch.setattr(page, "ask_folder", lambda title: str(out))
    page.export_all(blank=False)
    qtbot.waitUntil(lambda: "已导出 2 个单位" in page.status_label.text(), timeout=20000)
    assert sorted(p.name for p in out.iterdir()) == ["信访局.xlsx", "民政局.xlsx"]
    select(page, "民政局")
    pdf_path = tmp_path / "民政局.pdf"
    monkeypatch.setattr(page, "ask_save_file", lambda *a: str(pdf_path))
    page.print_pdf()
    qtbot.waitUntil(lambda: "已生成 PDF" in page.status_label.text(), timeout=30000)
    assert pdf_path.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True).stdout
        assert "单位（盖章）：民政局" in text and "李四" in text
    summary_path = tmp_path / "汇总.xlsx"
    monkeypatch.setattr(page, "ask_save_file", lambda *a: str(summary_path))
    page.export_summary()
    qtbot.waitUntil(lambda: "已导出汇总表" in page.status_label.text(), timeout=20000)
    assert openpyxl.load_workbook(summary_path).sheetnames[:2] == ["工作人员", "工作职能清单"]


def test_export_cancel_stops_early(ctx, qtbot, tmp_path, monkeypatch, db_path):
    import random

    from gkdesk.forms import demo
    demo.generate_units(60, random.Random(1), SYSTEM)
    page = annex1(ctx, qtbot)
    out = tmp_path / "out"
    monkeypatch.setattr(page, "ask_folder", lambda title: str(out))
    original = xlsx_export.export_unit
    calls = []

    def slow(*a, **k):
        calls.append(1)
        if len(calls) == 3:
            ctx.ops.current.cancel()      # 取消 pressed while the third unit is written
        return original(*a, **k)
    monkeypatch.setattr(xlsx_export, "export_unit", slow)
    page.export_all(blank=True)
    qtbot.waitUntil(lambda: "导出已取消" in page.status_label.text(), timeout=20000)
    assert 3 <= len(list(out.iterdir())) < 60


def test_rounds_dialog(ctx, qtbot, two_units, messages_log):
    from gkdesk.ui.dialogs.rounds import NewRoundDialog

    page = annex1(ctx, qtbot)
    dlg = page.open_rounds()
    assert "还没有征集轮次" in dlg.summary.text()
    new = NewRoundDialog(ctx, dlg)
    new.name.setText("2026年第一次")
    new.deadline.set_date(dt.date(2026, 8, 28))
    new.email.setText("lcxinxike@163.com")
    new.fax.setText("22355669")
    assert "注：请于 8 月 28 日下午下班前将电子版发至 lcxinxike@163.com，纸质版加盖公章传真至 22355669。" in new.preview.text()
    new.create()
    assert new.result() == QDialog.DialogCode.Accepted.value
    dlg.refresh_rounds(new.round.id)
    assert dlg.table.rowCount() == 2
    labels = {dlg.table.item(i, 0).text(): dlg.table.item(i, 1).text() for i in range(2)}
    assert set(labels) == {"民政局", "信访局"} and all(v.startswith("未交回") for v in labels.values())
    from gkdesk.db import write_transaction
    with write_transaction():
        rounds.record_return(new.round, units.get_unit("民政局"), SYSTEM, ok=True,
                             returned_at=dt.datetime(2026, 8, 27, tzinfo=dt.timezone.utc))
    # the change feed (topic "rounds") reaches the open dialog and the page by itself
    labels = {dlg.table.item(i, 0).text(): dlg.table.item(i, 1).text() for i in range(dlg.table.rowCount())}
    assert labels["民政局"] == "已交回"
    assert "已交回 1" in page.round_label.text()
    dlg.filter.setCurrentIndex(dlg.filter.findData("missing"))
    assert dlg.table.rowCount() == 1 and dlg.table.item(0, 0).text() == "信访局"
    # the unit list shows each unit's status in the open round
    tree = page.unit_list.tree
    status = {tree.topLevelItem(i).text(0): tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())}
    assert status == {"民政局": "已交回", "信访局": "未交回"}
    dlg.close_round()
    assert rounds.get_round(new.round.id).closed


def test_main_window_loads_both_pages(main_window, qtbot, two_units):
    from gkdesk.ui.pages.annex1 import Annex1Page
    from gkdesk.ui.pages.annex2 import Annex2Page

    assert isinstance(main_window.show_page("annex1"), Annex1Page)
    assert isinstance(main_window.show_page("annex2"), Annex2Page)
    assert Unit.select().count() == 2


def test_search_hiding_the_unit_keeps_unsaved_edits(ctx, qtbot, two_units):
    page = annex1(ctx, qtbot)
    select(page, "民政局")
    edit_cell(qtbot, page.leaders, 0, 1, "党组成员、副局长")
    page.unit_list.search.setText("信访")
    assert page.unit_list.tree.topLevelItemCount() == 1
    assert page.unit_title.text().startswith("民政局") and page._dirty
    assert page.leaders.item(0, 1).text() == "党组成员、副局长"
    qtbot.mouseClick(page.save_btn, Qt.LeftButton)
    assert units.get_staff(units.get_unit("民政局")).leaders[0].post == "党组成员、副局长"


def _annex1_edited(ctx, qtbot):
    page = annex1(ctx, qtbot)
    select(page, "民政局")
    edit_cell(qtbot, page.staff, 0, 1, "副科长")                       # a staff change …
    qtbot.mouseClick(page.group.buttons["add"], Qt.LeftButton)          # … and a leading group
    page.group.item(0, 0).setText("组长")
    edit_cell(qtbot, page.group, 0, 1, "刘冰")
    edit_cell(qtbot, page.group, 0, 2, "党组书记、局长")
    return page


def test_a_conflict_on_the_leading_group_leaves_the_annex1_form_unchanged(ctx, qtbot, two_units,
                                                                           monkeypatch, messages_log):
    """Staff and leading group are saved in one transaction: when the second part fails,
    the first is rolled back too, and the clerk's edits stay on screen to save again."""
    from gkdesk.errors import ConflictError

    page = _annex1_edited(ctx, qtbot)
    u = units.get_unit("民政局")
    before, version = units.snapshot(u), u.version

    def conflict(unit, members):
        raise ConflictError(f"单位“{unit.name}”的领导小组已被他人修改，请刷新后重新修改")

    monkeypatch.setattr(units, "_write_leading_group", conflict)
    qtbot.mouseClick(page.save_btn, Qt.LeftButton)
    assert messages_log and "领导小组已被他人修改" in messages_log[-1][2]
    u = units.get_unit("民政局")
    assert units.snapshot(u) == before and u.version == version, "nothing of the form was saved"
    assert [h.action for h in units.history(u)].count("staff") == 1     # only make_unit's
    assert "未保存" in page.unit_title.text() and page.staff.item(0, 1).text() == "副科长"

    monkeypatch.undo()
    qtbot.mouseClick(page.save_btn, Qt.LeftButton)                      # saved at the second try
    u = units.get_unit("民政局")
    assert units.get_staff(u).staff[0].post == "副科长"
    assert [m.name for m in units.get_leading_group(u)] == ["刘冰"]


def test_a_change_by_someone_else_meanwhile_is_a_conflict_and_saves_nothing(ctx, qtbot, two_units, messages_log):
    page = _annex1_edited(ctx, qtbot)
    units.set_leading_group(units.get_unit("民政局"), [("head", "王局长", "局长")], SYSTEM)  # another clerk
    u = units.get_unit("民政局")
    before = units.snapshot(u)
    qtbot.mouseClick(page.save_btn, Qt.LeftButton)
    assert messages_log and "已被他人修改" in messages_log[-1][2]
    assert units.snapshot(units.get_unit("民政局")) == before
    assert page.staff.item(0, 1).text() == "副科长", "the clerk's edits are kept"
