"""用户管理 (administrators only): the users with their roles and state; add, edit roles and
name, reset a password, unlock, disable/enable. Every change goes
through ``gkdesk.api.admin`` (``gkdesk.auth`` checks the administrator role again,
records the audit event and keeps at least one active administrator). Every change runs on
the writer thread (``ctx.ops.write``; hashing a password takes about half a second), the
list is a read (``ctx.ops.read``) and follows the change feed's ``users`` topic.

``open_users_dialog(ctx, parent)`` shows it modally.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from gkdesk.api import admin as admin_api
from gkdesk.domain import terms
from gkdesk.errors import ValidationError
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets.tables import list_table

COLUMNS = ("用户名", "姓名", "角色", "状态")


def _roles_text(role_set) -> str:
    return "、".join(terms.ROLES[r].label for r in terms.ROLES if r in role_set)


class _Form(QDialog):
    def __init__(self, parent, title: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _ok(self) -> None:
        try:
            self.check()
        except ValidationError as exc:
            self.show_error(str(exc))
            return
        self.accept()

    def check(self) -> None:
        pass


def _pw() -> QLineEdit:
    e = QLineEdit()
    e.setEchoMode(QLineEdit.Password)
    e.setMaxLength(128)
    return e


class UserEditDialog(_Form):
    """Add a user (name, roles, password twice) or edit one (name, roles)."""

    def __init__(self, parent=None, user=None):
        super().__init__(parent, "修改用户" if user else "添加用户")
        self.user = user
        self.username = QLineEdit(user.username if user else "")
        self.username.setMaxLength(32)
        self.username.setReadOnly(user is not None)
        self.display_name = QLineEdit(user.display_name if user else "")
        self.display_name.setMaxLength(64)
        self.role_boxes = {}
        roles_row = QHBoxLayout()
        for code, term in terms.ROLES.items():
            box = QCheckBox(term.label)
            box.setChecked(user is not None and code in user.role_set)
            self.role_boxes[code] = box
            roles_row.addWidget(box)
        form = QFormLayout()
        form.addRow("用户名：", self.username)
        form.addRow("姓名：", self.display_name)
        form.addRow("角色：", roles_row)
        self.password = self.password2 = None
        if user is None:
            self.password, self.password2 = _pw(), _pw()
            self.password.setPlaceholderText("至少8个字符")
            form.addRow("初始密码：", self.password)
            form.addRow("再输入一次：", self.password2)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def roles(self) -> list[str]:
        return [c for c, b in self.role_boxes.items() if b.isChecked()]

    def check(self) -> None:
        admin_api.check_username(self.username.text())
        if not self.display_name.text().strip():
            raise ValidationError("姓名：必须填写", "姓名")
        admin_api.check_roles(self.roles())
        if self.password is not None:
            admin_api.check_password(self.password.text(), self.username.text().strip())
            if self.password.text() != self.password2.text():
                raise ValidationError("密码：两次输入不一致", "密码")


class PasswordDialog(_Form):
    def __init__(self, parent, username: str):
        super().__init__(parent, f"重设 {username} 的密码")
        self.username = username
        self.password, self.password2 = _pw(), _pw()
        self.password.setPlaceholderText("至少8个字符")
        form = QFormLayout()
        form.addRow("新密码：", self.password)
        form.addRow("再输入一次：", self.password2)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def check(self) -> None:
        admin_api.check_password(self.password.text(), self.username, "新密码")
        if self.password.text() != self.password2.text():
            raise ValidationError("新密码：两次输入不一致", "新密码")


class UsersDialog(QDialog):
    changed = Signal()      # after any successful change (the list is reloaded)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("用户管理")
        self.users: list = []
        self.is_admin = ctx.actor is not None and ctx.actor.has("admin")
        self.table = list_table(COLUMNS, fit_columns=True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda *_: self.edit_user())
        self.add_button = QPushButton("添加用户…")
        self.add_button.clicked.connect(self.add_user)
        self.edit_button = QPushButton("修改…")
        self.edit_button.clicked.connect(self.edit_user)
        self.password_button = QPushButton("重设密码…")
        self.password_button.clicked.connect(self.reset_password)
        self.unlock_button = QPushButton("解锁")
        self.unlock_button.clicked.connect(self.unlock)
        self.active_button = QPushButton("停用")
        self.active_button.clicked.connect(self.toggle_active)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.password_button, self.unlock_button, self.active_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        note = QLabel("角色：登记员登记和办理申请；审核人审核、转办；分管领导批准延期和答复；"
                      "管理员管理用户、设置和从备份恢复。一人可兼多个角色。")
        note.setWordWrap(True)
        self.status = QLabel()
        lay = QVBoxLayout(self)
        if not self.is_admin:
            warn = QLabel("用户管理需要管理员权限，当前只能查看。")
            warn.setStyleSheet("color: #b00020;")
            lay.addWidget(warn)
        lay.addWidget(note)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        lay.addLayout(row)
        self.resize(640, 400)
        self._select_after: str | None = None
        ctx.changed.opDidExecute.connect(self.on_changes)
        self.reload()

    def on_changes(self, changes, initiator) -> None:
        if changes.touches("users") and initiator is not self:
            self.reload()

    def reload(self, select: str | None = None) -> None:
        """Read the users (ctx.ops.read: only the latest read fills the table)."""
        keep = select or (self.selected().username if self.selected() is not None else None)
        self.ctx.ops.read(("users", id(self)), admin_api.list_users,
                          success=lambda users: self._fill(users, keep), parent=self)

    def _fill(self, users, select: str | None) -> None:
        self.users = list(users)
        self.table.setRowCount(len(self.users))
        for r, u in enumerate(self.users):
            state = "启用" if u.active else "停用"
            if u.locked_until is not None:
                state += f"（锁定至 {u.locked_until.astimezone():%H:%M}）"
            for c, text in enumerate((u.username, u.display_name, _roles_text(u.role_set), state)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if select:
            self.select_username(select)
        self._update_buttons()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows else None

    def select_username(self, username: str) -> None:
        for r, u in enumerate(self.users):
            if u.username == username:
                self.table.selectRow(r)
                return

    def _update_buttons(self) -> None:
        u = self.selected()
        self.add_button.setEnabled(self.is_admin)
        for b in (self.edit_button, self.password_button, self.unlock_button, self.active_button):
            b.setEnabled(self.is_admin and u is not None)
        if u is not None:
            self.active_button.setText("停用" if u.active else "启用")

    def _run(self, fn, done_text: str, select: str | None = None) -> None:
        """Run the change on the writer thread; a closed dialog hears nothing of it."""
        def done(_result):
            self.status.setText(done_text)
            self.reload(select)
            self.changed.emit()

        self.status.setText("正在保存…")
        self.ctx.ops.write(fn, success=done, failure=lambda exc: (self.status.setText(""), self.ctx.show_error(exc, self)),
                           initiator=self, parent=self, title="正在保存")

    # ------------------------------------------------------------------ actions
    def add_user(self) -> None:
        dlg = UserEditDialog(self)
        if dlg.exec() != QDialog.Accepted:
            return
        actor = self.ctx.actor
        username, name, roles, pw = (dlg.username.text().strip(), dlg.display_name.text().strip(), dlg.roles(),
                                     dlg.password.text())
        self._run(lambda: admin_api.create_user(actor, username, name, roles, pw), f"已添加用户 {username}", username)

    def edit_user(self) -> None:
        u = self.selected()
        if u is None or not self.is_admin:
            return
        dlg = UserEditDialog(self, u)
        if dlg.exec() != QDialog.Accepted:
            return
        actor = self.ctx.actor
        name, roles = dlg.display_name.text().strip(), dlg.roles()
        self._run(lambda: admin_api.update_user(actor, u.username, display_name=name, roles=roles),
                  f"已修改用户 {u.username}", u.username)

    def reset_password(self) -> None:
        u = self.selected()
        if u is None or not self.is_admin:
            return
        dlg = PasswordDialog(self, u.username)
        if dlg.exec() != QDialog.Accepted:
            return
        actor, pw = self.ctx.actor, dlg.password.text()
        self._run(lambda: admin_api.set_password(actor, u.username, pw), f"已重设 {u.username} 的密码", u.username)

    def unlock(self) -> None:
        u = self.selected()
        if u is None:
            return
        actor = self.ctx.actor
        self._run(lambda: admin_api.unlock_user(actor, u.username), f"已解锁 {u.username}", u.username)

    def toggle_active(self) -> None:
        u = self.selected()
        if u is None:
            return
        if u.active and not messages.confirm(self, "停用用户", f"停用后“{u.display_name}”（{u.username}）将不能登录。确定停用？",
                                             yes="停用", no="取消"):
            return
        actor, active = self.ctx.actor, not u.active
        self._run(lambda: admin_api.update_user(actor, u.username, active=active),
                  f"已{'启用' if active else '停用'} {u.username}", u.username)


def open_users_dialog(ctx, parent: QWidget | None = None) -> UsersDialog:
    dialog = UsersDialog(ctx, parent or ctx.main_window)
    dialog.exec()
    return dialog
