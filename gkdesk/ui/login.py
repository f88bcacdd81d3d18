"""Login at start, the first administrator on first run, and the idle lock.

``ensure_login(ctx)`` (called by ``gkdesk.ui.app.run_gui``) returns the ``Actor`` to work
as, or None when the user gives up:

- no user yet (``gkdesk.auth.first_run()``): a dialog creating the administrator
  (user name, name, password twice, at least 8 characters);
- otherwise a login dialog (user name remembered per machine, password); wrong passwords
  count towards the lockout and the dialog says how many tries are left or until when
  the account is locked.

``install_idle_lock(main_window, minutes=None, ctx=None)`` locks the session after
``minutes`` without keyboard or mouse input (setting ``security.idle_lock_minutes``,
0 = never): every window's content is hidden and the user's password is asked again.

Checking a password takes about half a second (a memory-hard hash) and records the try
(the lockout counts it), so it runs as a write on the operations runner's writer thread
(``ctx.ops``, or ``ops.standalone()`` before the context exists; tests pass ``SyncRunner``);
the dialog stays responsive and shows that it is checking. The core is reached through
``gkdesk.api.admin``.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from gkdesk import APP_TITLE
from gkdesk.actors import Actor
from gkdesk.api import admin as admin_api
from gkdesk.errors import GkError, ValidationError
from gkdesk.ui import ops as ops_mod

log = logging.getLogger(__name__)

ACTIVITY_EVENTS = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel,
                   QEvent.TouchBegin, QEvent.ShortcutOverride}


class _Checker(QObject):
    """Runs one password check on the writer thread and reports back on the UI thread."""

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget, ops=None):
        super().__init__(parent)
        self.ops = ops if ops is not None else ops_mod.standalone()
        self._busy = False

    @property
    def busy(self) -> bool:
        return self._busy

    def run(self, fn) -> None:
        self._busy = True

        def done(result):
            self._busy = False
            self.succeeded.emit(result)

        def failed(exc):
            self._busy = False
            if not isinstance(exc, GkError):
                log.error("登录检查出错：%s", getattr(exc, "__traceback_text__", exc))
                self.failed.emit(f"程序出错：{type(exc).__name__}: {exc}")
            else:
                self.failed.emit(str(exc))

        # a closed dialog is not called back (parent): its check still finishes
        self.ops.write(fn, success=done, failure=failed, parent=self.parent(), title="正在验证")


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("loginError")
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    label.hide()
    return label


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.Password)
    edit.setMaxLength(128)
    return edit


class _BaseDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, ops=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.actor: Actor | None = None
        self.error = _error_label()
        self.checker = _Checker(self, ops)
        self.checker.succeeded.connect(self._succeeded)
        self.checker.failed.connect(self._failed)
        self.buttons = QDialogButtonBox()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _set_busy(self, busy: bool, text: str = "") -> None:
        ok = self.buttons.button(QDialogButtonBox.Ok)
        if ok is not None:
            ok.setEnabled(not busy)
            if busy:
                ok.setText(text)
            else:
                ok.setText(self.ok_text)
        if busy:
            QApplication.setOverrideCursor(Qt.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()

    def _succeeded(self, actor) -> None:
        self._set_busy(False)
        self.actor = actor
        self.accept()

    def _failed(self, text: str) -> None:
        self._set_busy(False)
        self.show_error(text)
        self.on_failed()

    def on_failed(self) -> None:
        pass

    def reject(self) -> None:
        if self.checker.busy:
            return  # let the running check finish
        super().reject()


class FirstRunDialog(_BaseDialog):
    """Creates the first user, an administrator."""

    ok_text = "创建并登录"

    def __init__(self, parent: QWidget | None = None, ops=None):
        super().__init__(parent, f"{APP_TITLE} — 首次使用：创建管理员", ops)
        intro = QLabel("这是第一次使用本数据库。请创建管理员账户：管理员可以添加其他用户、分配角色、"
                       "修改设置和从备份恢复。请牢记密码。")
        intro.setWordWrap(True)
        self.username = QLineEdit("admin")
        self.username.setMaxLength(32)
        self.display_name = QLineEdit()
        self.display_name.setMaxLength(64)
        self.display_name.setPlaceholderText("例如：张明")
        self.password = _password_edit()
        self.password.setPlaceholderText("至少8个字符")
        self.password2 = _password_edit()
        form = QFormLayout()
        form.addRow("用户名：", self.username)
        form.addRow("姓名：", self.display_name)
        form.addRow("密码：", self.password)
        form.addRow("再输入一次密码：", self.password2)
        self.buttons.setStandardButtons(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.ok_text)
        self.buttons.button(QDialogButtonBox.Cancel).setText("退出")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.display_name.setFocus()
        self.resize(440, self.sizeHint().height())

    def submit(self) -> None:
        username = self.username.text().strip()
        name = self.display_name.text().strip()
        pw, pw2 = self.password.text(), self.password2.text()
        try:
            admin_api.check_username(username)
            if not name:
                raise ValidationError("姓名：必须填写", "姓名")
            admin_api.check_password(pw, username)
            if pw != pw2:
                raise ValidationError("密码：两次输入不一致", "密码")
        except ValidationError as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        self._set_busy(True, "正在创建…")

        self.checker.run(lambda: admin_api.create_first_admin(username, name, pw))


class LoginDialog(_BaseDialog):
    """User name and password; shows how many tries are left, or the lock."""

    ok_text = "登录"

    def __init__(self, parent: QWidget | None = None, settings: QSettings | None = None, ops=None):
        super().__init__(parent, f"{APP_TITLE} — 登录", ops)
        self.qsettings = settings
        self.username = QLineEdit()
        self.username.setMaxLength(32)
        self.password = _password_edit()
        last = settings.value("login/last_username", "") if settings is not None else ""
        self.username.setText(str(last or ""))
        form = QFormLayout()
        form.addRow("用户名：", self.username)
        form.addRow("密码：", self.password)
        self.buttons.setStandardButtons(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.ok_text)
        self.buttons.button(QDialogButtonBox.Cancel).setText("退出")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        (self.password if last else self.username).setFocus()
        self.resize(380, self.sizeHint().height())

    def submit(self) -> None:
        username, pw = self.username.text().strip(), self.password.text()
        if not username or not pw:
            self.show_error("请输入用户名和密码")
            return
        self.show_error("")
        self._set_busy(True, "正在验证…")
        self.checker.run(lambda: admin_api.authenticate(username, pw))

    def _succeeded(self, actor) -> None:
        if self.qsettings is not None:
            self.qsettings.setValue("login/last_username", actor.username)
        super()._succeeded(actor)

    def on_failed(self) -> None:
        self.password.clear()
        self.password.setFocus()


def _split(ctx_or_parent):
    """(ctx, parent widget) from what app.run_gui passes (the AppContext) or a widget."""
    if ctx_or_parent is None or isinstance(ctx_or_parent, QWidget):
        return None, ctx_or_parent
    return ctx_or_parent, getattr(ctx_or_parent, "main_window", None)


def login_dialog(ctx_or_parent=None) -> QDialog:
    """The dialog ``ensure_login`` would show (first-run or login), not yet shown."""
    ctx, parent = _split(ctx_or_parent)
    ops = getattr(ctx, "ops", None)
    if admin_api.first_run():
        return FirstRunDialog(parent, ops)
    return LoginDialog(parent, getattr(ctx, "settings", None), ops)


def ensure_login(ctx_or_parent=None) -> Actor | None:
    """The Actor of the person who logs in (creating the administrator on first run), or
    None when they choose 退出."""
    if admin_api.current_database().read_only and admin_api.first_run():
        # Nothing can be created in a read-only database: look, but change nothing.
        return Actor("readonly", "只读查看", frozenset())
    dialog = login_dialog(ctx_or_parent)
    try:
        if dialog.exec() == QDialog.Accepted and dialog.actor is not None:
            return dialog.actor
        return None
    finally:
        dialog.deleteLater()


# ------------------------------------------------------------------ idle lock

class UnlockDialog(_BaseDialog):
    """Asks the current user's password again; 退出程序 quits."""

    ok_text = "解锁"
    quit_requested = Signal()

    def __init__(self, actor: Actor, parent: QWidget | None = None, ops=None):
        super().__init__(parent, f"{APP_TITLE} — 已锁定", ops)
        self.locked_actor = actor
        label = QLabel(f"因长时间未操作，{APP_TITLE}已锁定，以保护申请人的个人信息。\n"
                       f"请输入“{actor.name}”（{actor.username}）的密码解锁。")
        label.setWordWrap(True)
        self.password = _password_edit()
        form = QFormLayout()
        form.addRow("密码：", self.password)
        self.buttons.setStandardButtons(QDialogButtonBox.Ok)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.ok_text)
        self.quit_button = self.buttons.addButton("退出程序", QDialogButtonBox.DestructiveRole)
        self.quit_button.clicked.connect(self.quit_requested.emit)
        self.buttons.accepted.connect(self.submit)
        lay = QVBoxLayout(self)
        lay.addWidget(label)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.setWindowFlag(Qt.WindowCloseButtonHint, False)
        self.password.setFocus()

    def submit(self) -> None:
        pw = self.password.text()
        if not pw:
            self.show_error("请输入密码")
            return
        self.show_error("")
        self._set_busy(True, "正在验证…")
        username = self.locked_actor.username
        self.checker.run(lambda: admin_api.authenticate(username, pw, purpose="unlock"))

    def on_failed(self) -> None:
        self.password.clear()
        self.password.setFocus()

    def reject(self) -> None:
        pass  # Esc does not unlock


class IdleLock(QObject):
    """Watches keyboard and mouse input application-wide; after ``minutes`` without any,
    hides every window's content and asks for the password."""

    locked = Signal()
    unlocked = Signal()

    def __init__(self, main_window: QWidget, minutes: float, ctx=None):
        super().__init__(main_window)
        self.main_window = main_window
        self.ctx = ctx
        self.minutes = minutes
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(self.lock)
        self.dialog: UnlockDialog | None = None
        self._hidden: list[QWidget] = []
        self._central_was_visible = True
        app = QApplication.instance()
        app.installEventFilter(self)
        self.timer.start()

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def actor(self) -> Actor | None:
        if self.ctx is not None:
            return self.ctx.actor
        return getattr(self.main_window, "actor", None) or getattr(getattr(self.main_window, "ctx", None),
                                                                    "actor", None)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() in ACTIVITY_EVENTS and not self.is_locked:
            self.timer.start()   # restart the countdown
        return False

    def lock(self) -> None:
        actor = self.actor()
        if self.is_locked or actor is None or actor.username in ("readonly",):
            return
        self.timer.stop()
        # Hide everything that may show personal data: other windows and dialogs, and the
        # main window's content.
        self._hidden = [w for w in QApplication.topLevelWidgets()
                        if w.isVisible() and w is not self.main_window and not isinstance(w, UnlockDialog)]
        for w in self._hidden:
            w.hide()
        central = getattr(self.main_window, "centralWidget", lambda: None)()
        self._central = central
        if central is not None:
            self._central_was_visible = central.isVisible()
            central.hide()
        menubar = getattr(self.main_window, "menuBar", lambda: None)()
        if menubar is not None:
            menubar.setEnabled(False)
        self.dialog = UnlockDialog(actor, self.main_window, getattr(self.ctx, "ops", None))
        self.dialog.accepted.connect(self._unlocked)
        self.dialog.quit_requested.connect(self._quit)
        self.dialog.open()
        log.info("闲置超过 %s 分钟，已锁定", self.minutes)
        self.locked.emit()

    def _unlocked(self) -> None:
        central = getattr(self, "_central", None)
        if central is not None and self._central_was_visible:
            central.show()
        menubar = getattr(self.main_window, "menuBar", lambda: None)()
        if menubar is not None:
            menubar.setEnabled(True)
        for w in self._hidden:
            w.show()
        self._hidden = []
        self.dialog.deleteLater()
        self.dialog = None
        self.timer.start()
        self.unlocked.emit()

    def _quit(self) -> None:
        # Nothing unsaved can be shown without the password: just leave.
        self.main_window.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def stop(self) -> None:
        self.timer.stop()
        QApplication.instance().removeEventFilter(self)


def install_idle_lock(main_window: QWidget, minutes: float | None = None, ctx=None) -> IdleLock | None:
    """Lock ``main_window`` (and every other window) after ``minutes`` idle; the default is
    setting ``security.idle_lock_minutes``; 0 or less disables it. Returns the lock
    (kept alive as ``main_window.idle_lock``)."""
    if minutes is None:
        try:
            minutes = float(admin_api.setting("security.idle_lock_minutes") or 0)
        except (TypeError, ValueError):
            minutes = 15.0
    if minutes <= 0:
        return None
    old = getattr(main_window, "idle_lock", None)
    if old is not None:
        old.stop()
    lock = IdleLock(main_window, minutes, ctx or getattr(main_window, "ctx", None))
    main_window.idle_lock = lock
    return lock
