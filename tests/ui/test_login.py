"""Login dialogs and the idle lock, driven with pytest-qt on a real database."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

ADMIN_PW = "Gongkai#2026"


@pytest.fixture(autouse=True)
def cheaper_hash(monkeypatch):
    """Same code, N=2^12 instead of 2^17, to keep GUI tests quick (the production cost is
    tested in tests/reliability/test_auth.py)."""
    from gkdesk import auth

    monkeypatch.setattr(auth, "SCRYPT_LOG_N", 12)


def _click_ok(qtbot, dialog):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)


def _sync():
    """The tests' synchronous operations runner: a check has finished when the click returns."""
    from gkdesk.ui.ops import SyncRunner

    return SyncRunner()


def _checked(dialog):
    """The check ran on the writer (the runner's log) and is done."""
    assert dialog.checker.ops.calls and dialog.checker.ops.calls[-1][0] == "write"
    assert not dialog.checker.busy


def test_first_run_creates_the_administrator(db_path, qtbot):
    from gkdesk import auth
    from gkdesk.db.models import User
    from gkdesk.ui.login import FirstRunDialog, login_dialog

    assert isinstance(login_dialog(None), FirstRunDialog)
    dialog = FirstRunDialog(None, ops=_sync())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.display_name.setText("张明")
    dialog.password.setText("short")
    dialog.password2.setText("short")
    _click_ok(qtbot, dialog)
    assert "至少8个字符" in dialog.error.text() and dialog.error.isVisible()
    dialog.password.setText(ADMIN_PW)
    dialog.password2.setText(ADMIN_PW + "x")
    _click_ok(qtbot, dialog)
    assert "两次输入不一致" in dialog.error.text()
    assert auth.first_run()
    dialog.password2.setText(ADMIN_PW)
    assert dialog.checker.ops.calls == []            # refused in the dialog: nothing written
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        _click_ok(qtbot, dialog)
    _checked(dialog)
    assert dialog.actor.username == "admin" and dialog.actor.has("admin")
    assert dialog.actor.display_name == "张明"
    user = User.get(User.username == "admin")
    assert user.password_hash.startswith("scrypt$") and ADMIN_PW not in user.password_hash


@pytest.fixture
def users(db_path):
    from gkdesk import auth

    auth.create_user(None, "admin", "管理员", "admin", ADMIN_PW)
    admin = auth.authenticate("admin", ADMIN_PW)
    auth.create_user(admin, "wang", "小王", "clerk", "dengji-2026")
    return admin


def test_login_wrong_password_then_lockout(users, qtbot, qsettings):
    from gkdesk.ui.login import LoginDialog, login_dialog

    dialog = login_dialog(None)
    assert isinstance(dialog, LoginDialog)
    dialog = LoginDialog(None, qsettings, ops=_sync())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("wang")
    for left in (4, 3, 2, 1):
        dialog.password.setText("not-my-password")
        _click_ok(qtbot, dialog)
        _checked(dialog)
        assert f"再错{left}次" in dialog.error.text()
        assert dialog.password.text() == ""          # cleared for the next try
        assert dialog.isVisible()
    dialog.password.setText("not-my-password")
    _click_ok(qtbot, dialog)
    _checked(dialog)
    assert "已被锁定" in dialog.error.text()
    dialog.password.setText("dengji-2026")               # right, but locked
    _click_ok(qtbot, dialog)
    _checked(dialog)
    assert "已被锁定" in dialog.error.text() and dialog.actor is None


def test_login_success_remembers_user_name(users, qtbot, qsettings):
    from gkdesk.ui.login import LoginDialog

    dialog = LoginDialog(None, qsettings, ops=_sync())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("wang")
    dialog.password.setText("dengji-2026")
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        _click_ok(qtbot, dialog)
    assert dialog.actor.username == "wang" and dialog.actor.roles == frozenset({"clerk"})
    again = LoginDialog(None, qsettings)
    qtbot.addWidget(again)
    assert again.username.text() == "wang"


def test_ensure_login_returns_actor_or_none(users, qtbot, qapp):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from gkdesk.ui.login import LoginDialog, ensure_login

    def fill(password, cancel=False):
        def act():
            dlg = QApplication.activeModalWidget()
            assert isinstance(dlg, LoginDialog)
            if cancel:
                dlg.reject()
                return
            dlg.username.setText("admin")
            dlg.password.setText(password)
            dlg.submit()
        QTimer.singleShot(50, act)

    fill(ADMIN_PW)
    actor = ensure_login(None)
    assert actor is not None and actor.username == "admin"
    fill("", cancel=True)
    assert ensure_login(None) is None


class _Window:
    """A main window stand-in with personal data on screen."""

    @staticmethod
    def make(qtbot, actor):
        from PySide6.QtWidgets import QLabel, QMainWindow

        win = QMainWindow()
        win.setCentralWidget(QLabel("张三 350521199001011234"))
        win.menuBar().addMenu("文件")
        win.actor = actor
        qtbot.addWidget(win)
        win.show()
        return win


def test_idle_lock_hides_content_and_asks_password(users, qtbot):
    from PySide6.QtWidgets import QDialog

    from gkdesk import auth
    from gkdesk.ui.login import install_idle_lock

    me = auth.authenticate("wang", "dengji-2026")
    win = _Window.make(qtbot, me)
    other = QDialog(win)                      # e.g. an open case dialog
    qtbot.addWidget(other)
    other.show()
    lock = install_idle_lock(win, minutes=0.002)   # 120 ms without input
    assert win.idle_lock is lock
    qtbot.waitUntil(lambda: lock.is_locked, timeout=10000)
    assert not win.centralWidget().isVisible() and not other.isVisible()
    assert not win.menuBar().isEnabled()
    dlg = lock.dialog
    assert dlg.isVisible()
    text = " ".join(label.text() for label in dlg.findChildren(type(dlg.error)))
    assert "请输入“小王”（wang）的密码解锁" in text
    dlg.password.setText("wrong-password")
    with qtbot.waitSignal(dlg.checker.failed, timeout=20000):   # the real writer thread here
        dlg.submit()
    assert "再错4次" in dlg.error.text() and lock.is_locked
    dlg.reject()                               # Esc does not unlock
    assert lock.is_locked
    dlg.password.setText("dengji-2026")
    with qtbot.waitSignal(lock.unlocked, timeout=20000):
        dlg.submit()
    assert win.centralWidget().isVisible() and other.isVisible() and win.menuBar().isEnabled()
    lock.stop()


def test_activity_postpones_the_lock(users, qtbot):
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from gkdesk import auth
    from gkdesk.ui.login import install_idle_lock

    win = _Window.make(qtbot, auth.authenticate("wang", "dengji-2026"))
    lock = install_idle_lock(win, minutes=10)
    lock.timer.stop()
    assert not lock.timer.isActive()
    ev = QMouseEvent(QEvent.MouseMove, QPointF(5, 5), QPointF(5, 5), Qt.NoButton, Qt.NoButton, Qt.NoModifier)
    QApplication.sendEvent(win.centralWidget(), ev)
    assert lock.timer.isActive() and lock.timer.interval() == 600_000
    lock.stop()


def test_idle_lock_setting_zero_disables(users, qtbot):
    from gkdesk import auth, settings
    from gkdesk.ui.login import install_idle_lock

    settings.save({"security.idle_lock_minutes": 0}, user="admin")
    win = _Window.make(qtbot, auth.authenticate("wang", "dengji-2026"))
    assert install_idle_lock(win) is None
    settings.save({"security.idle_lock_minutes": 5}, user="admin")
    lock = install_idle_lock(win)
    assert lock.timer.interval() == 300_000
    lock.stop()
