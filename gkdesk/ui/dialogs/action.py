"""The input form of one workflow action, generated from its ``ActionSpec``.

Each ``FieldSpec`` becomes an editor by kind (text, multiline, date, int, bool, choice);
OK runs ``gkdesk.api.cases.perform`` on the writer thread (``ctx.ops.write``) with the case's version (so a concurrent
change is refused rather than overwritten). Refused input stays in the dialog with the
problems listed and the fields marked.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QPlainTextEdit, QSpinBox, QVBoxLayout, QWidget,
)

from gkdesk.api import cases as api
from gkdesk.errors import GkError, ValidationError
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets.fields import ChineseDateEdit, set_invalid

UNSET_DATE = QDate(2000, 1, 1)


def _text_of(w) -> str:
    return w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()


class ActionDialog(QDialog):
    """Ask for the inputs of ``spec`` and perform it on ``case``. After ``accept()`` the
    updated case is in ``self.result_case``."""

    def __init__(self, ctx, case, spec: api.ActionSpec, parent: QWidget | None = None,
                 today: dt.date | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.case = case
        self.spec = spec
        self.today = today or api.today()
        self.result_case = None
        self.editors: dict[str, QWidget] = {}
        self.setWindowTitle(f"{spec.label} — {case.number}")
        self.setObjectName("actionDialog")

        head = QLabel(f"<b>{spec.label}</b>　{case.number}　{case.applicant_name}")
        head.setTextFormat(Qt.RichText)
        self.error_panel = QLabel()
        self.error_panel.setObjectName("errorPanel")
        self.error_panel.setWordWrap(True)
        self.error_panel.hide()

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        for fs in spec.fields:
            editor = self._editor(fs)
            editor.setObjectName(f"input_{fs.name}")
            if fs.help:
                editor.setProperty("normalToolTip", fs.help)
                editor.setToolTip(fs.help)
            self.editors[fs.name] = editor
            label = fs.label + (" *" if fs.required and fs.kind != "bool" else "")
            cell = editor
            if fs.help and isinstance(editor, (QPlainTextEdit, QLineEdit)) and not _text_of(editor):
                editor.setPlaceholderText(fs.help)      # the hint sits inside the empty box
            elif fs.help and fs.kind != "bool":
                cell = QWidget()
                v = QVBoxLayout(cell)
                v.setContentsMargins(0, 0, 0, 0)
                v.setSpacing(2)
                v.addWidget(editor)
                hint = QLabel(fs.help)
                hint.setObjectName("hint")
                hint.setWordWrap(True)
                v.addWidget(hint)
            form.addRow(label, cell)
        from gkdesk.ui.widgets import reason_picker

        self.chosen_reason = None
        self.reason_picker = reason_picker.attach(self, form)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText("确定")
        self.ok_button.setObjectName("primaryButton")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 14)
        lay.setSpacing(10)
        lay.addWidget(head)
        if spec.help:
            help_label = QLabel(spec.help)
            help_label.setObjectName("hint")
            help_label.setWordWrap(True)
            lay.addWidget(help_label)
        lay.addWidget(self.error_panel)
        if not spec.fields:
            lay.addWidget(QLabel("此操作无需填写内容。"))
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(640)

    # ---------------------------------------------------------------- editors
    def _editor(self, fs: api.FieldSpec) -> QWidget:
        default = fs.default
        if fs.kind == "multiline":
            w = QPlainTextEdit()
            w.setTabChangesFocus(True)
            w.setMinimumHeight(80)
            if isinstance(default, str):
                w.setPlainText(default)
            return w
        if fs.kind == "date":
            w = ChineseDateEdit(value=self.today)
            w.setMinimumWidth(170)
            w.setMaximumWidth(220)
            if not fs.required and default is None:
                w.setMinimumDate(UNSET_DATE)
                w.setSpecialValueText("（不填）")
                w.setDate(UNSET_DATE)
            return w
        if fs.kind == "int":
            w = QSpinBox()
            w.setRange(0, 1_000_000)
            w.setMaximumWidth(180)
            if not fs.required and default is None:
                w.setMinimum(-1)
                w.setSpecialValueText("（不填，自动计算）")
                w.setValue(-1)
            elif isinstance(default, int):
                w.setValue(default)
            return w
        if fs.kind == "bool":
            w = QCheckBox(fs.help or "")
            w.setChecked(bool(default))
            return w
        if fs.kind == "choice":
            w = QComboBox()
            w.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            w.setMinimumContentsLength(24)
            if not fs.required:
                w.addItem("", None)
            for code, label in api.field_choices(self.case, fs):
                w.addItem(str(label), code)
            if default is not None:
                i = w.findData(default)
                if i >= 0:
                    w.setCurrentIndex(i)
            return w
        if fs.name == "handler":
            w = QComboBox()
            w.setEditable(True)
            w.addItem("")
            for name in api.handlers():
                w.addItem(name)
            current = getattr(self.case, "handler", "") or ""
            w.setEditText(current)
            w.lineEdit().setPlaceholderText("承办人姓名")
            return w
        w = QLineEdit()
        if fs.name == "section":
            w.setText(getattr(self.case, "section", "") or "")
        elif isinstance(default, str):
            w.setText(default)
        return w

    def values(self) -> dict:
        """The inputs as ``workflow.perform`` takes them; empty optional fields left out."""
        out = {}
        for fs in self.spec.fields:
            w = self.editors[fs.name]
            if isinstance(w, QPlainTextEdit):
                v = w.toPlainText().strip()
            elif isinstance(w, ChineseDateEdit):
                v = None if w.date() == UNSET_DATE and w.specialValueText() else w.date_value()
            elif isinstance(w, QSpinBox):
                v = None if (w.specialValueText() and w.value() == w.minimum()) else w.value()
            elif isinstance(w, QCheckBox):
                v = w.isChecked()
            elif isinstance(w, QComboBox):
                v = w.currentText().strip() if w.isEditable() else w.currentData()
            else:
                v = w.text().strip()
            if v in (None, "") and not fs.required:
                continue
            out[fs.name] = v
        return out

    def set_value(self, name: str, value) -> None:
        """Fill one input (tests and scripted use)."""
        w = self.editors[name]
        if isinstance(w, QPlainTextEdit):
            w.setPlainText(str(value))
        elif isinstance(w, ChineseDateEdit):
            w.set_date(value)
        elif isinstance(w, QSpinBox):
            w.setValue(int(value))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QComboBox):
            if w.isEditable():
                w.setEditText(str(value))
            else:
                w.setCurrentIndex(w.findData(value))
        else:
            w.setText(str(value))

    # ---------------------------------------------------------------- submit
    def show_problems(self, exc: ValidationError) -> None:
        problems = exc.problems or [str(exc)]
        self.error_panel.setText("未执行，请改正：\n" + "\n".join(f"• {p}" for p in problems))
        self.error_panel.show()
        first = None
        for fs in self.spec.fields:
            w = self.editors[fs.name]
            hits = [p for p in problems if p.startswith(fs.label + "：")] or \
                ([str(exc)] if exc.field == fs.label else [])
            set_invalid(w, "；".join(hits) if hits else None)
            if hits and first is None:
                first = w
        if first is not None:
            first.setFocus(Qt.OtherFocusReason)

    def submit(self) -> None:
        if self.spec.confirm and not messages.confirm(self, self.spec.label, self.spec.confirm):
            return
        values = self.values()

        def failed(exc):
            self.ok_button.setEnabled(True)
            if isinstance(exc, ValidationError):
                self.show_problems(exc)
                return
            if isinstance(exc, GkError):
                self.error_panel.setText(str(exc))
                self.error_panel.show()
            from gkdesk.ui.widgets import confidentiality

            if confidentiality.is_review_refusal(exc):     # the review form one click away
                confidentiality.offer_review(self, self.ctx, self.case.id, exc)
            else:
                self.ctx.show_error(exc, self)

        def done(ref):
            self.result_case = ref
            self.accept()

        self.ok_button.setEnabled(False)
        self.ctx.ops.write(
            lambda: api.perform(self.case.id, self.spec.code, self.ctx.actor,
                                expected_version=self.case.version, today=self.today, **values),
            success=done, failure=failed, parent=self, title=self.spec.label)
