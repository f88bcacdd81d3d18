"""登记 — the registration dialog: every field of an application (docs/domain/process.md §1).

It builds a ``gkdesk.cases.registry.ApplicationInput`` and calls
``gkdesk.cases.registry.register``. On a ``ValidationError`` every problem is listed at the
top, the fields named in ``err.fields`` turn red and the first gets the focus; nothing is
saved. Identity numbers and credit codes are checked as they are typed.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGridLayout, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
    QScrollArea, QVBoxLayout, QWidget,
)

from gkdesk.api import checks
from gkdesk.api import cases as api
from gkdesk.domain import terms
from gkdesk.errors import ValidationError
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets.fields import ChineseDateEdit, TermCombo, set_invalid

L = api.FIELD_LABELS
REQUIRED = ("applicant_name", "content", "received_date")


def _label(key: str) -> str:
    return L[key] + (" *" if key in REQUIRED else "")


class RegisterDialog(QDialog):
    """The 登记 dialog. After ``accept()`` the new case is in ``self.case``."""

    def __init__(self, ctx, parent: QWidget | None = None, today: dt.date | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.case = None
        self.today = today or api.today()
        self.setWindowTitle("登记政府信息公开申请")
        self.setObjectName("registerDialog")
        self.setModal(True)

        # ---- applicant
        self.applicant_kind = TermCombo(terms.APPLICANT_KINDS)
        self.applicant_name = QLineEdit()
        self.applicant_name.setPlaceholderText("自然人填姓名，法人或其他组织填全称")
        self.contact_person = QLineEdit()
        self.contact_person.setPlaceholderText("法人或其他组织的联系人")
        self.id_type = TermCombo(terms.ID_TYPES)
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(64)
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("手机号或带区号的固定电话")
        self.address = QLineEdit()
        self.postcode = QLineEdit()
        self.postcode.setMaxLength(6)
        self.postcode.setMaximumWidth(120)
        self.email = QLineEdit()

        # ---- request
        self.content = QPlainTextEdit()
        self.content.setPlaceholderText("所需政府信息的名称、文号或者便于行政机关查询的其他特征性描述")
        self.content.setMinimumHeight(110)
        self.content.setTabChangesFocus(True)
        self.purpose = QLineEdit()
        self.form_wanted = TermCombo(terms.FORMS_WANTED)
        self.receive_method = TermCombo(terms.RECEIVE_METHODS)
        self.receive_method.set_code("post")

        # ---- receipt
        self.channel = TermCombo(terms.CHANNELS)
        self.received_date = ChineseDateEdit(value=self.today)
        self.received_date.set_maximum(self.today)
        self.receipt_rule = QLabel()
        self.receipt_rule.setObjectName("hint")
        self.receipt_rule.setWordWrap(True)
        self.oral = QCheckBox("申请人口头提出，由工作人员代为填写")
        self.note = QLineEdit()
        self.attachments = QListWidget()
        self.attachments.setObjectName("attachmentList")
        self.attachments.setMinimumHeight(70)
        self.attachments.setMaximumHeight(110)
        self.add_file_button = QPushButton("添加扫描件…")
        self.remove_file_button = QPushButton("移除")
        self.add_file_button.clicked.connect(self._add_files)
        self.remove_file_button.clicked.connect(self._remove_files)

        self.fields: dict[str, QWidget] = {
            "applicant_kind": self.applicant_kind, "applicant_name": self.applicant_name,
            "contact_person": self.contact_person, "id_type": self.id_type,
            "id_number": self.id_number, "phone": self.phone, "address": self.address,
            "postcode": self.postcode, "email": self.email, "content": self.content,
            "purpose": self.purpose, "form_wanted": self.form_wanted,
            "receive_method": self.receive_method, "channel": self.channel,
            "received_date": self.received_date, "oral": self.oral, "note": self.note,
            "attachments": self.attachments,
        }
        for key, w in self.fields.items():
            w.setObjectName(f"field_{key}")

        # ---- layout
        self.error_panel = QLabel()
        self.error_panel.setObjectName("errorPanel")
        self.error_panel.setWordWrap(True)
        self.error_panel.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.error_panel.hide()

        who = QGroupBox("申请人信息")
        f1 = QFormLayout(who)
        self._tune(f1)
        f1.addRow(_label("applicant_kind"), self.applicant_kind)
        f1.addRow(_label("applicant_name"), self.applicant_name)
        self.contact_label = QLabel(_label("contact_person"))
        f1.addRow(self.contact_label, self.contact_person)
        f1.addRow(_label("id_type"), self.id_type)
        f1.addRow(_label("id_number"), self.id_number)
        f1.addRow(_label("phone"), self.phone)
        f1.addRow(_label("address"), self.address)
        f1.addRow(_label("postcode"), self.postcode)
        f1.addRow(_label("email"), self.email)
        contact_hint = QLabel("电话、通讯地址、电子邮箱至少填写一项")
        contact_hint.setObjectName("hint")
        f1.addRow("", contact_hint)

        what = QGroupBox("申请内容")
        f2 = QFormLayout(what)
        self._tune(f2)
        f2.addRow(_label("content"), self.content)
        self.repeat_label = QLabel()
        self.repeat_label.setObjectName("warningBanner")
        self.repeat_label.setWordWrap(True)
        self.repeat_label.setStyleSheet("background:#fff4d6;border:1px solid #e0b84c;padding:4px;color:#6b4d00;")
        self.repeat_label.hide()
        f2.addRow("", self.repeat_label)
        f2.addRow(_label("purpose"), self.purpose)
        f2.addRow(_label("form_wanted"), self.form_wanted)
        f2.addRow(_label("receive_method"), self.receive_method)

        when = QGroupBox("收件登记")
        f3 = QFormLayout(when)
        self._tune(f3)
        f3.addRow(_label("channel"), self.channel)
        date_row = QHBoxLayout()
        date_row.addWidget(self.received_date)
        date_row.addWidget(self.receipt_rule, 1)
        f3.addRow(_label("received_date"), date_row)
        f3.addRow(L["oral"], self.oral)
        f3.addRow(_label("note"), self.note)
        files = QVBoxLayout()
        files.addWidget(self.attachments)
        fbuttons = QHBoxLayout()
        fbuttons.addWidget(self.add_file_button)
        fbuttons.addWidget(self.remove_file_button)
        fbuttons.addStretch(1)
        files.addLayout(fbuttons)
        f3.addRow("扫描件", files)

        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(12)
        grid.addWidget(who, 0, 0, 2, 1)
        grid.addWidget(what, 0, 1)
        grid.addWidget(when, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(body)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText("登记")
        self.ok_button.setObjectName("primaryButton")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        required_note = QLabel("带 * 的为必填项。收到申请日期决定答复期限（《条例》第三十一条、第三十三条）。")
        required_note.setObjectName("hint")

        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 14)
        lay.addWidget(self.error_panel)
        lay.addWidget(scroll, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(required_note, 1)
        bottom.addWidget(self.buttons)
        lay.addLayout(bottom)

        # ---- behaviour
        self.applicant_kind.currentIndexChanged.connect(self._kind_changed)
        self.id_type.currentIndexChanged.connect(lambda _i: self._check_id(final=False))
        self.id_number.textChanged.connect(lambda _t: self._check_id(final=False))
        self.id_number.editingFinished.connect(lambda: self._check_id(final=True))
        for key, fn in (("phone", checks.check_phone), ("postcode", checks.check_postcode),
                        ("email", checks.check_email)):
            w = self.fields[key]
            w.editingFinished.connect(lambda k=key, f=fn: self._check_simple(k, f, final=True))
            w.textChanged.connect(lambda _t, k=key, f=fn: self._check_simple(k, f, final=False))
        for key in ("applicant_name",):
            self.fields[key].textChanged.connect(lambda _t, k=key: self._clear_if_filled(k))
        self.content.textChanged.connect(lambda: self._clear_if_filled("content"))
        # likely repeat requests (Art. 36(6)), looked up once typing pauses
        self._repeat_timer = QTimer(self)
        self._repeat_timer.setSingleShot(True)
        self._repeat_timer.setInterval(400)
        self._repeat_timer.timeout.connect(self.check_repeat)
        for sig in (self.content.textChanged, self.applicant_name.textChanged, self.id_number.textChanged):
            sig.connect(self._repeat_timer.start)
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self._kind_changed()
        self._channel_changed()
        self.resize(1060, 700)
        self.applicant_name.setFocus()

    @staticmethod
    def _tune(form: QFormLayout) -> None:
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(8)

    # ---------------------------------------------------------------- live checks
    def _kind_changed(self, *_a) -> None:
        org = self.applicant_kind.code() != "natural"
        self.contact_person.setEnabled(org)
        self.contact_label.setEnabled(org)
        current = self.id_type.code()
        if org and current == "resident_id":
            self.id_type.set_code("uscc")
        elif not org and current == "uscc":
            self.id_type.set_code("resident_id")
        self.applicant_name.setPlaceholderText("单位全称" if org else "申请人姓名")
        self._check_id(final=False)

    def _channel_changed(self, *_a) -> None:
        self.receipt_rule.setText(terms.RECEIPT_RULES.get(self.channel.code(), ""))

    def _check_id(self, final: bool) -> str | None:
        """Check the ID number against its type; while typing, an unfinished number is not
        yet wrong. Returns the message shown (None when fine)."""
        kind = self.id_type.code()
        text = checks.normalise(self.id_number.text()).replace(" ", "").upper()
        self.id_number.setEnabled(kind != "none")
        msg = None
        if kind in ("resident_id", "uscc") and text:
            check = checks.check_resident_id if kind == "resident_id" else checks.check_uscc
            allowed = checks.ID_CHARS[kind]
            if len(text) < 18 and not final and all(c in allowed for c in text):
                set_invalid(self.id_number, None)
                self.id_number.setToolTip(f"还差 {18 - len(text)} 位")
                return None
            try:
                check(text, L["id_number"])
            except ValidationError as exc:
                msg = exc.message
        set_invalid(self.id_number, msg)
        return msg

    def _check_simple(self, key: str, fn, final: bool) -> None:
        w = self.fields[key]
        text = w.text()
        if not checks.normalise(text):
            set_invalid(w, None)
            return
        if not final and not w.property("invalid"):
            return  # judge when the clerk leaves the field; clear as soon as it is fixed
        try:
            fn(text, L[key])
        except ValidationError as exc:
            if final:
                set_invalid(w, exc.message)
            return
        set_invalid(w, None)

    def _clear_if_filled(self, key: str) -> None:
        w = self.fields[key]
        text = w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()
        if text.strip():
            set_invalid(w, None)

    # ---------------------------------------------------------------- files
    def _add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "选择扫描件", "", "扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.ofd);;所有文件 (*)")
        self.add_attachments(paths)

    def add_attachments(self, paths) -> None:
        have = set(self.attachment_paths())
        for p in paths:
            p = str(p)
            if p in have:
                continue
            item = QListWidgetItem(Path(p).name)
            item.setData(Qt.UserRole, p)
            item.setToolTip(p)
            self.attachments.addItem(item)
            have.add(p)
        set_invalid(self.attachments, None)

    def _remove_files(self) -> None:
        for item in self.attachments.selectedItems():
            self.attachments.takeItem(self.attachments.row(item))

    def attachment_paths(self) -> list[str]:
        return [self.attachments.item(i).data(Qt.UserRole) for i in range(self.attachments.count())]

    # ---------------------------------------------------------------- submit
    def application(self) -> api.ApplicationInput:
        """The form's values as the core's input."""
        return api.ApplicationInput(
            applicant_kind=self.applicant_kind.code(),
            applicant_name=self.applicant_name.text(),
            id_type=self.id_type.code(),
            id_number=self.id_number.text() if self.id_type.code() != "none" else "",
            contact_person=self.contact_person.text() if self.contact_person.isEnabled() else "",
            phone=self.phone.text(),
            address=self.address.text(),
            postcode=self.postcode.text(),
            email=self.email.text(),
            content=self.content.toPlainText(),
            purpose=self.purpose.text(),
            form_wanted=self.form_wanted.code(),
            receive_method=self.receive_method.code(),
            channel=self.channel.code(),
            received_date=self.received_date.date_value(),
            oral=self.oral.isChecked(),
            note=self.note.text(),
            attachments=self.attachment_paths(),
        )

    def show_problems(self, err: ValidationError) -> None:
        problems = getattr(err, "problems", None) or [str(err)]
        self.error_panel.setText("未登记，请改正以下问题：\n" + "\n".join(f"• {p}" for p in problems))
        self.error_panel.show()
        keys = list(getattr(err, "fields", None) or [])
        if not keys and err.field:
            keys = [k for k, label in L.items() if label == err.field]
        for w in self.fields.values():
            set_invalid(w, None)
        first = None
        for key, problem in zip(keys, problems + [""] * len(keys)):
            w = self.fields.get(key)
            if w is None:
                continue
            set_invalid(w, problem or str(err))
            first = first or w
        if first is not None:
            first.setFocus(Qt.OtherFocusReason)

    def check_repeat(self) -> str:
        text = api.repeat_warning(self.applicant_name.text(), self.id_number.text(),
                                       self.content.toPlainText())
        self.repeat_label.setText(text)
        self.repeat_label.setVisible(bool(text))
        return text

    def submit(self) -> None:
        app = self.application()

        def failed(exc):
            if isinstance(exc, ValidationError):
                self.show_problems(exc)
            else:
                self.ctx.show_error(exc, self)

        self.ctx.ops.write(lambda: api.register(app, self.ctx.actor, today=self.today),
                           success=self._registered, failure=failed, parent=self, title="正在登记")

    def _registered(self, case) -> None:
        self.case = case
        self.error_panel.hide()
        due = case.due_date
        text = f"已登记，受理编号：{case.number}"
        info = f"答复期限：{due.year}年{due.month}月{due.day}日" if due else ""
        if case.due_provisional:
            info += f"\n{api.PROVISIONAL_NOTE}"
        if case.repeat_warning:
            info += f"\n\n{case.repeat_warning}"
        messages.info(self, "登记成功", text, info)
        self.accept()
