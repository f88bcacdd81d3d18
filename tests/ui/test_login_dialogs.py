"""The 备份与恢复 and 用户管理 dialogs, driven with pytest-qt on a real database."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")


@pytest.fixture(autouse=True)
def private_backups(tmp_path, monkeypatch):
    from gkdesk import auth

    monkeypatch.setenv("GKDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(auth, "SCRYPT_LOG_N", 12)


def _register(n, start=0):
    from gkdesk.cases.registry import register
    from tests.reliability.helpers import application

    for i in range(start, start + n):
        register(application(i), "tester")


def test_backup_now_and_restore(ctx, qtbot, messages_log, tmp_path):
    from PySide6.QtCore import Qt

    from gkdesk.db.models import Case, CaseEvent
    from gkdesk.ui.dialogs.backup_dialog import BackupDialog

    _register(3)
    dlg = BackupDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()          # listed at once: the fake pool (ops.SyncRunner) ran the listing
    assert dlg.table.rowCount() == 0
    assert str(tmp_path / "data" / "backups") in dlg.findChildren(type(dlg.status))[0].text()
    with qtbot.waitSignal(dlg.backedUp, timeout=20000) as sig:
        qtbot.mouseClick(dlg.backup_button, Qt.LeftButton)
    assert sig.args[0].case_count == 3
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 1, timeout=10000)
    assert dlg.table.item(0, 1).text() == "手动" and dlg.table.item(0, 2).text() == "3 件"

    _register(2, start=10)
    assert Case.select().count() == 5
    assert not dlg.restore_button.isEnabled()          # nothing selected yet
    dlg.table.selectRow(0)
    assert dlg.restore_button.isEnabled()
    with qtbot.waitSignal(dlg.restored, timeout=30000) as sig:
        qtbot.mouseClick(dlg.restore_button, Qt.LeftButton)
    confirm = [m for m in messages_log if m[0] == "confirm"]
    assert confirm and "案件 3 件" in confirm[0][2] and "先自动备份当前状态" in confirm[0][2]
    assert Case.select().count() == 3
    assert CaseEvent.select().order_by(CaseEvent.id.desc()).first().action == "restore"
    assert sig.args[0].safety_backup is not None
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 2, timeout=10000)
    kinds = {dlg.table.item(r, 1).text() for r in range(2)}
    assert kinds == {"手动", "恢复前"}
    assert "已恢复到" in dlg.status.text()


def test_restore_needs_admin(ctx, qtbot):
    from gkdesk import backup
    from gkdesk.actors import Actor
    from gkdesk.ui.dialogs.backup_dialog import BackupDialog

    _register(1)
    backup.create_backup()
    ctx.actor = Actor("wang", "小王", frozenset({"clerk"}))
    dlg = BackupDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()          # listed at once: the fake pool (ops.SyncRunner) ran the listing
    dlg.table.selectRow(0)
    assert dlg.backup_button.isEnabled()
    assert not dlg.restore_button.isEnabled() and "管理员" in dlg.restore_button.toolTip()
    assert not dlg.restore_file_button.isEnabled()


def _fill_modal(qtbot, fill):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def act():
        w = QApplication.activeModalWidget()
        fill(w)

    QTimer.singleShot(50, act)


def test_users_dialog_add_reset_disable(ctx, qtbot, messages_log):
    from gkdesk import auth
    from gkdesk.db.models import User
    from gkdesk.ui.dialogs.users_dialog import UserEditDialog, UsersDialog

    auth.create_user(ctx.actor, "admin", "管理员", "admin", "Gongkai#2026")
    dlg = UsersDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.table.rowCount() == 1

    def fill_add(w):
        assert isinstance(w, UserEditDialog)
        w.username.setText("wang")
        w.display_name.setText("小王")
        w.role_boxes["clerk"].setChecked(True)
        w.role_boxes["reviewer"].setChecked(True)
        w.password.setText("dengji")               # too short: refused in the dialog
        w.password2.setText("dengji")
        w._ok()
        assert "至少8个字符" in w.error.text() and w.isVisible()
        w.password.setText("dengji-2026")
        w.password2.setText("dengji-2026")
        w._ok()

    _fill_modal(qtbot, fill_add)
    before = len(ctx.ops.calls)
    with qtbot.waitSignal(dlg.changed, timeout=20000):
        dlg.add_user()
    # the change went through the writer thread, then the list was read again
    assert [k for k, _ in ctx.ops.calls[before:]] == ["write", "read"]
    assert dlg.table.rowCount() == 2
    assert [dlg.table.item(r, 2).text() for r in range(2)] == ["管理员", "登记员、审核人"]
    assert auth.authenticate("wang", "dengji-2026").roles == frozenset({"clerk", "reviewer"})

    dlg.select_username("wang")

    def fill_pw(w):
        w.password.setText("xinmima-2026")
        w.password2.setText("xinmima-2026")
        w._ok()

    _fill_modal(qtbot, fill_pw)
    with qtbot.waitSignal(dlg.changed, timeout=20000):
        dlg.reset_password()
    assert auth.authenticate("wang", "xinmima-2026").username == "wang"

    dlg.select_username("wang")
    assert dlg.active_button.text() == "停用"
    with qtbot.waitSignal(dlg.changed, timeout=20000):
        dlg.toggle_active()
    assert not User.get(User.username == "wang").active
    assert "停用" in dlg.table.item(1, 3).text()

    # The last administrator cannot be disabled: the service refuses, the dialog says so.
    dlg.select_username("admin")
    shown = []
    ctx.show_error = lambda exc, parent=None, title="": shown.append(str(exc))
    before = len(ctx.ops.calls)
    dlg.toggle_active()
    assert [k for k, _ in ctx.ops.calls[before:]] == ["write"]
    assert "至少要保留一个启用的管理员" in shown[0]
    assert User.get(User.username == "admin").active


def test_users_dialog_read_only_for_non_admin(ctx, qtbot):
    from gkdesk.actors import Actor
    from gkdesk.ui.dialogs.users_dialog import UsersDialog

    ctx.actor = Actor("wang", "小王", frozenset({"clerk"}))
    dlg = UsersDialog(ctx)
    qtbot.addWidget(dlg)
    assert not dlg.add_button.isEnabled()
