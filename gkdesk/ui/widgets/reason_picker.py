"""The reasons library in an action dialog: pick a kept text (with its article) instead of
typing it, or save the typed text into the library (gkdesk.api.reasons)."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPlainTextEdit, QPushButton, QWidget

from gkdesk.api import reasons as api
from gkdesk.ui.dialogs import messages


def _text(w) -> str:
    return w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()


def _set(w, text: str) -> None:
    if isinstance(w, QPlainTextEdit):
        w.setPlainText(text)
    else:
        w.setText(text)


class ReasonPicker(QWidget):
    def __init__(self, dialog, reason_field: str, article_field: str | None):
        super().__init__(dialog)
        self.dialog = dialog
        self.ctx = dialog.ctx
        self.reason_editor = dialog.editors[reason_field]
        self.article_editor = dialog.editors.get(article_field) if article_field else None
        self.entries: tuple = ()
        self.combo = QComboBox()
        self.combo.setObjectName("reasonLibrary")
        self.combo.setToolTip("理由库中的理由（设置 → 理由库可修改）；选中后填入理由和法律依据")
        self.combo.activated.connect(self.choose)
        self.save_button = QPushButton("存入理由库")
        self.save_button.setToolTip("把下面填写的理由保存到理由库，下次可直接选用")
        self.save_button.clicked.connect(self.save_typed)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.combo, 1)
        lay.addWidget(self.save_button)
        outcome = dialog.editors.get("outcome")
        if isinstance(outcome, QComboBox):
            outcome.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    def outcome(self) -> str | None:
        w = self.dialog.editors.get("outcome")
        return w.currentData() if isinstance(w, QComboBox) else None

    def reload(self) -> None:
        code, outcome = self.dialog.spec.code, self.outcome()
        self.ctx.ops.read(("reasons", id(self)), lambda: api.for_action(code, outcome), success=self._fill)

    def _fill(self, entries) -> None:
        self.entries = tuple(entries)
        self.combo.clear()
        self.combo.addItem(f"从理由库选择（{len(self.entries)}条）…", None)
        for e in self.entries:
            self.combo.addItem(e.title, e.key)
            self.combo.setItemData(self.combo.count() - 1, e.text + (f"\n依据：{e.article}" if e.article else ""),
                                   3)   # Qt.ToolTipRole

    def choose(self, index: int) -> None:
        if index <= 0 or index > len(self.entries):
            return
        e = self.entries[index - 1]
        _set(self.reason_editor, e.text)
        if self.article_editor is not None and e.article:
            _set(self.article_editor, e.article)
        self.dialog.chosen_reason = e.key

    def save_typed(self) -> None:
        text = _text(self.reason_editor).strip()
        if not text:
            messages.info(self, "存入理由库", "请先在“理由”中填写要保存的文字。")
            return
        cats = api.categories_for_action(self.dialog.spec.code, self.outcome())
        if not cats:
            return
        outcome = self.outcome() if self.dialog.spec.code in ("reply", "reply_on_spot") else ""
        article = _text(self.article_editor).strip() if self.article_editor is not None else ""
        actor = self.ctx.actor
        self.ctx.ops.write(lambda: api.save(actor, category=cats[0], outcome=outcome or "", text=text,
                                            article=article),
                           success=lambda e: (messages.info(self, "存入理由库", f"已保存到理由库：“{e.title}”"),
                                              self.reload()),
                           initiator=self)


def attach(dialog, form) -> ReasonPicker | None:
    """Add the picker above the action's reason field, where the action has one."""
    fields = api.ACTION_FIELDS.get(dialog.spec.code)
    if not fields or fields[0] not in dialog.editors:
        return None
    picker = ReasonPicker(dialog, *fields)
    row, _role = form.getWidgetPosition(dialog.editors[fields[0]])
    if row < 0:     # the editor sits inside a cell with its hint
        row, _role = form.getWidgetPosition(dialog.editors[fields[0]].parentWidget())
    form.insertRow(max(row, 0), "理由库", picker)
    return picker
