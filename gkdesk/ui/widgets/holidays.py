"""设置 → 节假日: the office types (or pastes) a year's holidays and 调休 make-up workdays.

Saving runs ``gkdesk.api.admin.set_holidays`` on the writer thread (``ctx.ops.write``): it
recomputes every open case's due date in the same transaction (reviewers and administrators,
checked in the core); the case list and dashboard refresh through the change feed.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from gkdesk.api import admin as admin_api
from gkdesk.errors import ValidationError
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets.fields import set_invalid

STATUS_TEXT = {
    "office": "本机关已录入该年度安排。",
    "package": "使用软件内置的国务院公布安排；如有调整，可在此录入后覆盖。",
    "unknown": "尚未录入该年度安排：答复期限按周一至周五计算，并标注“暂定”。请在国务院公布安排后录入。",
}
EXAMPLE = ("# 每行一条，“休”为放假，“班”为调休上班，例如：\n"
           "# 2027-01-01 休 元旦\n# 2027-02-06 至 2027-02-12 休 春节\n# 2027-02-14 班\n"
           "# 也可粘贴通知原文的行，如：1月1日至3日放假")


class HolidaysEditor(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("holidaysEditor")
        self.saved_count: int | None = None     # open cases whose due date the last save moved
        self.year = QSpinBox()
        self.year.setRange(2004, 2100)
        self.year.setValue(admin_api.today().year)
        self.year.setSuffix(" 年")
        self.year.valueChanged.connect(self.load)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("hint")
        self.text = QPlainTextEdit()
        self.text.setObjectName("holidaysText")
        self.text.setPlaceholderText(EXAMPLE)
        self.error_panel = QLabel()
        self.error_panel.setObjectName("errorPanel")
        self.error_panel.setWordWrap(True)
        self.error_panel.hide()
        self.save_button = QPushButton("保存该年度安排")
        self.save_button.setObjectName("primaryButton")
        self.save_button.clicked.connect(self.save)
        self.role_note = QLabel("录入节假日安排需要审核人或管理员权限。")
        self.role_note.setObjectName("hint")

        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year)
        top.addSpacing(12)
        top.addWidget(self.status, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.role_note)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 16, 18, 16)
        lay.addLayout(top)
        explain = QLabel("国务院办公厅每年年底公布下一年度节假日安排。答复期限按工作日计算："
                         "法定节假日不计，调休上班的周末计为工作日。")
        explain.setWordWrap(True)
        explain.setObjectName("hint")
        lay.addWidget(explain)
        lay.addWidget(self.error_panel)
        lay.addWidget(self.text, 1)
        lay.addLayout(bottom)
        ctx.changed.actorChanged.connect(self._apply_permissions)
        ctx.changed.opDidExecute.connect(self.on_changes)
        self._apply_permissions()
        self.load()

    def on_changes(self, changes, initiator) -> None:
        if changes.touches("calendar") and initiator is not self:
            self.load()

    def _apply_permissions(self) -> None:
        ok = self.ctx.actor is not None and self.ctx.actor.has("admin", "reviewer")
        self.save_button.setEnabled(ok)
        self.text.setReadOnly(not ok)
        self.role_note.setVisible(not ok)

    def load(self, *_a) -> None:
        """Read the year shown (ctx.ops.read: turning the year fast shows only the last)."""
        self.ctx.ops.read(("holidays", id(self)), lambda year=self.year.value(): admin_api.holiday_year(year),
                          success=self._show, parent=self)

    def _show(self, info) -> None:
        if info.year != self.year.value():
            return
        self.status.setText(STATUS_TEXT.get(info.status, ""))
        self.status.setProperty("yearStatus", info.status)
        self.status.setStyleSheet("color:#b3261e;" if info.status == "unknown" else "")
        self.text.setPlainText(info.text)
        self.error_panel.hide()
        set_invalid(self.text, None)

    def save(self):
        """Save the year on the writer thread; returns the operation's handle."""
        year, text, actor = self.year.value(), self.text.toPlainText(), self.ctx.actor
        self.save_button.setEnabled(False)
        self.saved_count = None

        def done(changed):
            self._apply_permissions()
            self.saved_count = changed
            self.load()          # the due dates it moved reach the screens through the change feed
            messages.info(self, "节假日安排已保存",
                          f"{year}年节假日安排已保存，{changed}件在办案件的答复期限已随之更新。")

        def failed(exc):
            self._apply_permissions()
            if isinstance(exc, ValidationError):
                self.error_panel.setText("未保存：" + "；".join(exc.problems or [str(exc)]))
                self.error_panel.show()
                set_invalid(self.text, str(exc))
                self.text.setFocus(Qt.OtherFocusReason)
            else:
                self.ctx.show_error(exc, self)

        return self.ctx.ops.write(lambda: admin_api.set_holidays(year, text, actor, source="手工录入"),
                                  success=done, failure=failed, initiator=self, parent=self,
                                  title="正在保存节假日安排")
