"""设置 → 节假日: the office types (or pastes) a year's holidays and 调休 make-up workdays.

Saving calls ``gkdesk.cases.holidays.set_year``, which recomputes every open case's due
date in the same transaction; the case list and dashboard refresh through ``ctx.changed``.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from gkdesk.cases import deadlines, holidays
from gkdesk.errors import GkError, ValidationError
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
        self.year = QSpinBox()
        self.year.setRange(2004, 2100)
        self.year.setValue(deadlines.today().year)
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
        self._apply_permissions()
        self.load()

    def _apply_permissions(self) -> None:
        ok = self.ctx.actor is not None and self.ctx.actor.has("admin", "reviewer")
        self.save_button.setEnabled(ok)
        self.text.setReadOnly(not ok)
        self.role_note.setVisible(not ok)

    def load(self, *_a) -> None:
        year = self.year.value()
        status = holidays.year_status(year)
        self.status.setText(STATUS_TEXT.get(status, ""))
        self.status.setProperty("yearStatus", status)
        self.status.setStyleSheet("color:#b3261e;" if status == "unknown" else "")
        self.text.setPlainText(holidays.year_as_text(year) if status == "office" else "")
        self.error_panel.hide()
        set_invalid(self.text, None)

    def save(self) -> int | None:
        year = self.year.value()
        try:
            changed = holidays.set_year(year, self.text.toPlainText(), self.ctx.actor, source="手工录入")
        except ValidationError as exc:
            self.error_panel.setText("未保存：" + "；".join(exc.problems or [str(exc)]))
            self.error_panel.show()
            set_invalid(self.text, str(exc))
            self.text.setFocus(Qt.OtherFocusReason)
            return None
        except GkError as exc:
            self.ctx.show_error(exc, self)
            return None
        self.load()          # the due dates it moved reach the screens through the change feed
        messages.info(self, "节假日安排已保存",
                      f"{year}年节假日安排已保存，{changed}件在办案件的答复期限已随之更新。")
        return changed
