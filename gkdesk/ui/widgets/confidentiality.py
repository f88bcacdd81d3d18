"""保密审查 on a case (docs/supervision.md §4), on the seam: ``gkdesk.api.annual`` views through
``ctx.ops``, refreshed by the change feed when the case changes.

``ConfidentialityPanel``: the case window's 保密审查 tab — whether the office requires a
review before a disclosing reply, the reviews recorded (newest first) and 登记保密审查….
``ReviewDialog``: the form (审查人, 审查日期, 审查结论, 已去标识化, 备注); refused input stays
in the form with the field marked.
``offer_review(parent, ctx, case_id, exc)``: when a disclosing reply is refused for want of a
review, the refusal is shown with 登记保密审查… one click away.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem, QAbstractItemView, QVBoxLayout, QWidget,
)

from gkdesk.api import annual as api
from gkdesk.errors import GkError, ValidationError
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets import alive, read_failed
from gkdesk.ui.widgets.fields import ChineseDateEdit, format_date, set_invalid

FIELD = "保密审查"          # the field a refusal for want of a review names (WorkflowError.field)
HEADERS = ("审查日期", "审查人", "审查结论", "去标识化", "备注", "登记人")


def is_review_refusal(exc: BaseException) -> bool:
    return isinstance(exc, GkError) and getattr(exc, "field", None) == FIELD


class ReviewDialog(QDialog):
    """Record one confidentiality review on ``case_id``. ``recorded`` carries the new
    ``ReviewView`` after it is saved."""

    recorded = Signal(object)

    def __init__(self, ctx, view: api.ConfidentialityView, parent: QWidget | None = None,
                 today: dt.date | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.view = view
        self.result_review = None
        self.setObjectName("confidentialityDialog")
        self.setWindowTitle(f"登记保密审查 — {view.number}")
        self.resize(520, 380)
        today = today or view.today
        lay = QVBoxLayout(self)
        head = QLabel(f"<b>保密审查</b>　{view.number}")
        head.setTextFormat(Qt.RichText)
        lay.addWidget(head)
        hint = QLabel("答复予以公开或部分公开前，对拟公开的信息进行保密审查；"
                      "涉及个人信息的，应删除或遮盖（去标识化）后公开。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.error_panel = QLabel()
        self.error_panel.setObjectName("errorPanel")
        self.error_panel.setWordWrap(True)
        self.error_panel.hide()
        lay.addWidget(self.error_panel)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight)
        self.reviewer = QLineEdit(getattr(ctx.actor, "name", "") or "")
        self.reviewer.setObjectName("input_reviewer")
        self.reviewer.setPlaceholderText("进行保密审查的人员")
        self.review_date = ChineseDateEdit(value=today)
        self.review_date.setObjectName("input_review_date")
        self.review_date.set_maximum(today)
        self.conclusion = QComboBox()
        self.conclusion.setObjectName("input_conclusion")
        for code, label in view.conclusions:
            self.conclusion.addItem(label, code)
        self.deidentified = QCheckBox("已去标识化（删除或遮盖了个人信息等）")
        self.deidentified.setObjectName("input_deidentified")
        self.note = QPlainTextEdit()
        self.note.setObjectName("input_note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(64)
        self.note.setPlaceholderText("审查的范围、删除或遮盖的内容等（可不填）")
        form.addRow("审查人", self.reviewer)
        form.addRow("审查日期", self.review_date)
        form.addRow("审查结论", self.conclusion)
        form.addRow("", self.deidentified)
        form.addRow("备注", self.note)
        self.editors = {"审查人": self.reviewer, "审查日期": self.review_date, "审查结论": self.conclusion}
        lay.addLayout(form)
        lay.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.submit)

    def values(self) -> dict:
        return {"reviewer": self.reviewer.text(), "review_date": self.review_date.date_value(),
                "conclusion": self.conclusion.currentData(), "deidentified": self.deidentified.isChecked(),
                "note": self.note.toPlainText()}

    def submit(self) -> None:
        case_id, actor, values = self.view.case_id, self.ctx.actor, self.values()
        for w in self.editors.values():
            set_invalid(w, None)
        self.ctx.ops.write(lambda: api.record_confidentiality_review(case_id, actor, **values),
                           success=self._saved, failure=self._refused, initiator=self, parent=self)

    def _saved(self, review) -> None:
        if not alive(self):
            return
        self.result_review = review
        self.recorded.emit(review)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        if not alive(self):
            return
        if not isinstance(exc, GkError):
            self.ctx.show_error(exc, self)
            return
        self.error_panel.setText(f"未保存，请改正：{exc}")
        self.error_panel.show()
        w = self.editors.get(getattr(exc, "field", None)) if isinstance(exc, ValidationError) else None
        if w is not None:
            set_invalid(w, str(exc))
            w.setFocus(Qt.OtherFocusReason)


def open_review_dialog(ctx, case_id: int, parent: QWidget | None = None, *, modal: bool = True) -> ReviewDialog | None:
    """Read the case's reviews and open the form (window-modal, non-blocking); returns it."""
    holder: list[ReviewDialog] = []

    def got(view):
        dlg = ReviewDialog(ctx, view, parent)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        if modal:
            dlg.setWindowModality(Qt.WindowModal)
        holder.append(dlg)
        if parent is not None:
            setattr(parent, "review_dialog", dlg)      # for tests and the caller to reach it
        dlg.show()

    ctx.ops.read(("confidentiality", "form", case_id), lambda: api.confidentiality(case_id), success=got,
                 failure=lambda exc: ctx.show_error(exc, parent))
    return holder[0] if holder else None


def offer_review(parent: QWidget | None, ctx, case_id: int, exc: BaseException) -> ReviewDialog | None:
    """Show the refusal of a disclosing reply with 登记保密审查… beside 关闭; clicking it opens the
    form. Returns the form when opened."""
    pick = messages.choose(parent, "须先进行保密审查", str(exc), ["登记保密审查…"],
                           informative="登记后，再点“确定”作出答复。")
    if pick != 0:
        return None
    return open_review_dialog(ctx, case_id, parent)


def _item(text: str) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setToolTip(text)
    return it


class ConfidentialityPanel(QWidget):
    """The case window's 保密审查 tab."""

    def __init__(self, ctx, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = int(case_id)
        self.view: api.ConfidentialityView | None = None
        self.review_dialog: ReviewDialog | None = None
        self.setObjectName("confidentialityPanel")
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("confidentialityStatus")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        self.add_button = QPushButton("登记保密审查…")
        self.add_button.setObjectName("addConfidentialityReview")
        self.add_button.setToolTip("记录审查人、审查日期、审查结论和是否已去标识化")
        self.add_button.clicked.connect(lambda _c=False: self.ask_record())
        row.addWidget(self.add_button)
        lay.addLayout(row)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        hh = self.table.horizontalHeader()
        for c in range(len(HEADERS)):
            hh.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        hh.setSectionResizeMode(4, QHeaderView.Stretch)
        lay.addWidget(self.table, 1)
        ctx.changed.opDidExecute.connect(self.on_changes)
        self.refresh()

    def on_changes(self, changes, initiator) -> None:
        if not alive(self):
            return
        if (changes.touches_case(self.case_id) or changes.touches("settings")) and initiator is not self:
            self.refresh()

    def refresh(self) -> None:
        cid = self.case_id
        self.ctx.ops.read(("confidentiality", cid), lambda: api.confidentiality(cid), success=self._show,
                          failure=read_failed("保密审查"))

    def _show(self, view: api.ConfidentialityView) -> None:
        if not alive(self):
            return
        self.view = view
        bits = ["本机关已设置“答复公开前须经保密审查”：予以公开、部分公开的答复须有允许公开的审查结论。"
                if view.required else "本机关未要求答复公开前必须登记保密审查；需要时可在此登记。"]
        last = view.latest
        if last is None:
            bits.append("本案尚无保密审查记录。")
        else:
            bits.append(f"最近一次：{format_date(last.review_date, chinese=True)}，{last.reviewer}，"
                        f"“{last.conclusion_label}”，{'已' if last.deidentified else '未'}去标识化。")
        self.status.setText("\n".join(bits))
        colour = "#1b7f3b" if view.allows_disclosure else ("#c62828" if view.required else "#23395d")
        self.status.setStyleSheet(f"color:{colour};")
        t = self.table
        t.setRowCount(len(view.reviews))
        for r, rv in enumerate(view.reviews):
            for c, text in enumerate((format_date(rv.review_date), rv.reviewer, rv.conclusion_label,
                                      "已去标识化" if rv.deidentified else "未去标识化", rv.note, rv.recorded_by)):
                t.setItem(r, c, _item(text))
        self.add_button.setEnabled(self.ctx.actor is not None)

    def ask_record(self) -> ReviewDialog | None:
        if self.view is None:
            return None
        dlg = ReviewDialog(self.ctx, self.view, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.setWindowModality(Qt.WindowModal)
        dlg.recorded.connect(lambda _r: self.refresh())
        self.review_dialog = dlg
        dlg.show()
        return dlg
