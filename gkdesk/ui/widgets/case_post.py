"""邮寄 in the case window: for a case served by post, how and when it was served, the
tracking number (recorded here or from a pasted list in 批量操作), the address, and the
days its letter was put on a 交寄清单 (gkdesk.api.post)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from gkdesk.api import post as api
from gkdesk.domain import terms
from gkdesk.errors import GkError
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets import alive, read_failed


class PostPanel(QWidget):
    def __init__(self, ctx, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = int(case_id)
        self.post: api.CasePost | None = None
        self.setObjectName("postPanel")
        self.method = QLabel()
        self.delivered = QLabel()
        self.tracking = QLabel()
        self.tracking.setObjectName("trackingNumber")
        self.tracking.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.address = QLabel()
        self.address.setWordWrap(True)
        self.lists = QLabel()
        self.lists.setWordWrap(True)
        self.edit = QLineEdit()
        self.edit.setObjectName("trackingEdit")
        self.edit.setPlaceholderText("如 XA123456789CN")
        self.edit.setMaximumWidth(260)
        self.edit.returnPressed.connect(self.record)
        self.save_button = QPushButton("登记邮件号")
        self.save_button.clicked.connect(lambda _c=False: self.record())
        self.error = QLabel()
        self.error.setObjectName("errorPanel")
        self.error.setWordWrap(True)
        self.error.hide()
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.edit)
        edit_row.addWidget(self.save_button)
        edit_row.addStretch(1)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight)
        form.setContentsMargins(18, 16, 18, 16)
        form.setVerticalSpacing(10)
        form.addRow("送达方式：", self.method)
        form.addRow("送达日期（签收）：", self.delivered)
        form.addRow("邮件号：", self.tracking)
        form.addRow("收件地址：", self.address)
        form.addRow("交寄清单：", self.lists)
        form.addRow("改登邮件号：", edit_row)
        form.addRow("", self.error)
        hint = QLabel("多件案件的邮件号可在“案件办理”列表中选中后，用“批量操作 → 登记邮件号（粘贴清单）”一次登记。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(hint)
        lay.addStretch(1)
        ctx.changed.opDidExecute.connect(self.on_changes)
        self.refresh()

    def on_changes(self, changes, initiator) -> None:
        if alive(self) and initiator is not self and (changes.touches("post") or changes.touches_case(self.case_id)):
            self.refresh()

    def refresh(self) -> None:
        cid = self.case_id
        self.ctx.ops.read(("case-post", cid), lambda: api.case_post(cid), success=self._fill,
                          failure=read_failed("邮寄"))

    visibilityWanted = None   # set by the case window hook: fn(bool) shows or hides the tab

    def _fill(self, p: api.CasePost) -> None:
        if not alive(self):
            return
        self.post = p
        self.method.setText(terms.label_of(terms.DELIVERY_METHODS, p.delivery_method, "")
                            if p.delivery_method else "尚未送达")
        self.delivered.setText(p.delivery_date.isoformat() if p.delivery_date else "—")
        self.tracking.setText(p.tracking_number or "尚未登记")
        self.address.setText((p.address or "（未填写通讯地址）") + (f"　邮编 {p.postcode}" if p.postcode else ""))
        self.lists.setText("、".join(f"{d.isoformat()} 列入交寄清单" for d in p.posted_on) or "未列入交寄清单")
        self.edit.setEnabled(p.can_record_tracking)
        self.save_button.setEnabled(p.can_record_tracking)
        self.save_button.setToolTip("" if p.can_record_tracking else "答复后才能登记邮件号")
        if self.visibilityWanted is not None:
            self.visibilityWanted(p.by_post)

    def record(self) -> None:
        if self.post is None:
            return
        line = f"{self.post.number}\t{self.edit.text().strip()}"
        actor = self.ctx.actor
        self.error.hide()

        def failed(exc):
            if not isinstance(exc, GkError):
                messages.show_exception(self, exc)
                return
            self.error.setText(str(exc))
            self.error.show()

        self.ctx.ops.write(lambda: api.record_tracking(line, actor), success=lambda _n: (self.edit.clear(),
                                                                                         self.refresh()),
                           failure=failed, initiator=self, parent=self)
