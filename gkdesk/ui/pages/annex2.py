"""附件二 工作职能清单: the functions list (全称 … 联系电话 checked as typed; 工作职能, 机构设置
multi-line), on the shared forms page frame (``pages.forms``)."""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel, QLineEdit, QPlainTextEdit,
    QWidget,
)

from gkdesk.errors import ValidationError
from gkdesk.api import forms as api
from gkdesk.api.forms import FUNCTION_FIELDS, FunctionsData
from gkdesk.ui.widgets.fields import set_invalid
from gkdesk.ui.pages.forms import FormsPage
from gkdesk.ui.widgets.row_table import phone_problem

log = logging.getLogger(__name__)


def create_annex2_page(ctx, parent):
    return Annex2Page(ctx, parent)



class Annex2Page(FormsPage):
    title_text = "附件二 工作职能清单"

    def build_editor(self, layout) -> None:
        self.fields: dict[str, QWidget] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        for key, label in FUNCTION_FIELDS:
            if key in api.FUNCTION_MULTILINE:
                w = QPlainTextEdit()
                w.setPlaceholderText("每段一行" if key == "functions" else "内设机构、下属单位")
                w.setMinimumHeight(150 if key == "functions" else 90)
                w.textChanged.connect(lambda: self.set_dirty(True))
            else:
                w = QLineEdit()
                w.textChanged.connect(lambda *_: self.set_dirty(True))
                if key == "phone":
                    w.setPlaceholderText("如 0595-22355669")
                    w.setProperty("normalToolTip", "固定电话请带区号；多个号码用“、”分隔")
                    w.setToolTip("固定电话请带区号；多个号码用“、”分隔")
                    w.textChanged.connect(lambda text, e=w: set_invalid(e, phone_problem(text)))
            w.setObjectName(f"field_{key}")
            star = "＊" if key in api.FUNCTION_REQUIRED else ""
            form.addRow(f"{star}{label}：", w)
            self.fields[key] = w
        layout.addLayout(form, 1)
        note = QLabel("＊为必填项。")
        note.setObjectName("hint")
        layout.addWidget(note)

    def editor_enabled(self, enabled: bool) -> None:
        for w in self.fields.values():
            w.setReadOnly(not enabled)

    def clear_editor(self) -> None:
        for w in self.fields.values():
            w.setPlainText("") if isinstance(w, QPlainTextEdit) else w.setText("")
            set_invalid(w, None)

    def fill(self, forms: api.UnitForms) -> None:
        data = forms.functions or FunctionsData()
        for key, w in self.fields.items():
            value = getattr(data, key)
            w.setPlainText(value) if isinstance(w, QPlainTextEdit) else w.setText(value)
            set_invalid(w, None)
        self._loaded = forms.functions

    def value(self) -> FunctionsData:
        return FunctionsData(**{k: (w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text())
                                for k, w in self.fields.items()})

    def check(self) -> list[str]:
        clean, problems = api.validate_functions(self.value())
        for w in self.fields.values():
            set_invalid(w, None)
        msgs = []
        for p in problems:
            if p.is_error:
                set_invalid(self.fields[p.where[1]], p.message)
                msgs.append(p.message)
        return msgs

    def prepare_save(self):
        msgs = self.check()
        if msgs:
            self.status_label.setText("有问题的栏目已标红，请修改后再保存。")
            raise ValidationError(msgs[0] if len(msgs) == 1 else f"有{len(msgs)}处问题", None, msgs)
        uid, data, actor, version = self.unit_id, self.value(), self.ctx.actor, self._version
        return lambda: api.save_annex2(uid, data, actor, expected_version=version)
