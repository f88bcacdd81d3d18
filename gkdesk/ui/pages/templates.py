"""文书模板: the office edits the wording of its documents.

Left: every template (one per document kind, one per reply-letter variant) with its
version. Middle: the editor, with the list of fields a template may use (double-click
inserts one) and what the clerk is asked to write. Right: a preview laid out in the
background against a chosen case, or against a made-up sample case. Saving checks the
template first (a broken one is refused with the line and field) and stores a new
version; 恢复默认 stores the shipped default as a new version. Everything goes through
``gkdesk.api.documents``: saving on the writer thread (``ctx.ops.write``), the preview and the
case list as reads of their own key (``ctx.ops.read``: only the latest preview is shown).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QInputDialog, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
    QScrollArea, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from gkdesk.api import documents as documents_api
from gkdesk.errors import GkError
from gkdesk.ui.dialogs import messages
from gkdesk.ui.dialogs.document_dialog import PagePreview

NAME_ROLE = Qt.UserRole + 1
INSERT_ROLE = Qt.UserRole + 2


def create_page(ctx, parent):
    return TemplatesPage(ctx, parent)


class TemplatesPage(QWidget):
    preview_ready = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._name: str | None = None
        self._loaded_body = ""

        self.list = QListWidget()
        self.list.setObjectName("templateList")
        self.list.currentItemChanged.connect(self._on_select)

        self.title = QLabel("")
        self.title.setObjectName("pageTitle")
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("templateEditor")
        mono = QFontDatabase.systemFont(QFontDatabase.FixedFont)
        mono.setPointSize(max(mono.pointSize(), 11))
        self.editor.setFont(mono)
        self.editor.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        self.editor.textChanged.connect(self._on_edit)
        self.versions = QComboBox()
        self.versions.setToolTip("载入以前的版本到编辑框（保存后成为新版本）")
        self.versions.activated.connect(self._load_version)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setObjectName("templateMessage")
        self.btn_check = QPushButton("检查")
        self.btn_save = QPushButton("保存为新版本")
        self.btn_restore = QPushButton("恢复默认")
        self.btn_check.clicked.connect(self.check)
        self.btn_save.clicked.connect(lambda: self.save())
        self.btn_restore.clicked.connect(lambda: self.restore_default())

        self.fields = QTreeWidget()
        self.fields.setHeaderLabels(["字段", "含义"])
        self.fields.setObjectName("placeholderTree")
        self.fields.itemDoubleClicked.connect(self._insert_field)
        self.fields.setToolTip("双击插入到编辑框的光标处")

        self.case_box = QComboBox()
        self.case_box.setEditable(True)
        self.case_box.setObjectName("previewCase")
        self.case_box.setToolTip("选择或输入受理编号；选“示例案件”则用虚构数据预览")
        self.case_box.activated.connect(lambda *_: self.refresh_preview())
        self.btn_preview = QPushButton("预览")
        self.btn_preview.clicked.connect(self.refresh_preview)
        self.preview = PagePreview()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.preview)

        mid = QWidget()
        ml = QVBoxLayout(mid)
        ml.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel("版本"))
        top.addWidget(self.versions)
        ml.addLayout(top)
        msplit = QSplitter(Qt.Vertical)
        msplit.addWidget(self.editor)
        msplit.addWidget(self.fields)
        msplit.setSizes([520, 220])
        ml.addWidget(msplit, 1)
        ml.addWidget(self.message)
        bl = QHBoxLayout()
        bl.addWidget(self.btn_check)
        bl.addStretch(1)
        bl.addWidget(self.btn_restore)
        bl.addWidget(self.btn_save)
        ml.addLayout(bl)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        cl = QHBoxLayout()
        cl.addWidget(QLabel("预览案件"))
        cl.addWidget(self.case_box, 1)
        cl.addWidget(self.btn_preview)
        rl.addLayout(cl)
        rl.addWidget(scroll, 1)

        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(mid)
        split.addWidget(right)
        split.setSizes([230, 560, 520])
        lay = QVBoxLayout(self)
        lay.addWidget(split)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(800)
        self._timer.timeout.connect(self.refresh_preview)
        self.reload()
        self._fill_cases()
        ctx.changed.opDidExecute.connect(self.on_changes)

    # ---------------------------------------------------------------- data
    def reload(self, select: str | None = None) -> None:
        select = select or self._name
        self.list.blockSignals(True)
        self.list.clear()
        for t in documents_api.list_templates():
            ver = "默认" if t.version == 0 else f"第{t.version}版"
            it = QListWidgetItem(f"{t.title}\n{ver}")
            it.setData(NAME_ROLE, t.name)
            it.setToolTip(t.name)
            self.list.addItem(it)
        self.list.blockSignals(False)
        row = 0
        for i in range(self.list.count()):
            if self.list.item(i).data(NAME_ROLE) == select:
                row = i
        self.list.setCurrentRow(row)
        if self.list.currentItem() is not None and self._name != self.list.currentItem().data(NAME_ROLE):
            self._on_select(self.list.currentItem(), None)
        elif select:
            self._open(select)

    def _fill_cases(self) -> None:
        def done(rows):
            current = self.case_box.currentData()
            self.case_box.blockSignals(True)
            self.case_box.clear()
            self.case_box.addItem("示例案件（虚构）", None)
            for r in rows:
                self.case_box.addItem(f"{r.number}  {r.applicant_name}", r.case_id)
            if current is not None and self.case_box.findData(current) > 0:
                self.case_box.setCurrentIndex(self.case_box.findData(current))
            self.case_box.blockSignals(False)

        if self.case_box.count() == 0:
            self.case_box.addItem("示例案件（虚构）", None)
        self.ctx.ops.read(("templates.cases", id(self)), documents_api.preview_cases, success=done,
                          failure=lambda exc: None, parent=self)

    def activate(self) -> None:
        self._fill_cases()

    def confirm_leave(self) -> bool:
        if self.editor.toPlainText() == self._loaded_body:
            return True
        return messages.confirm(self, "文书模板", "模板有未保存的修改，确定离开吗？", yes="离开", no="留下")

    def _on_select(self, item, _prev) -> None:
        if item is None:
            return
        name = item.data(NAME_ROLE)
        if name != self._name and self._name is not None and self.editor.toPlainText() != self._loaded_body:
            if not messages.confirm(self, "文书模板", "当前模板有未保存的修改，放弃这些修改吗？", yes="放弃", no="取消"):
                self.list.blockSignals(True)
                for i in range(self.list.count()):
                    if self.list.item(i).data(NAME_ROLE) == self._name:
                        self.list.setCurrentRow(i)
                self.list.blockSignals(False)
                return
        self._open(name)

    def _open(self, name: str) -> None:
        src = documents_api.template(name)
        self._name = name
        self.title.setText(src.title)
        self._loaded_body = src.body
        self.editor.blockSignals(True)
        self.editor.setPlainText(src.body)
        self.editor.blockSignals(False)
        self.versions.clear()
        self.versions.addItem("当前" + ("（默认）" if src.version == 0 else f"（第{src.version}版）"), src.version)
        for row in src.versions:
            when = row.created_at.astimezone().strftime("%Y-%m-%d %H:%M") if row.created_at else ""
            self.versions.addItem(f"第{row.version}版 {when} {row.created_by} {row.note}".strip(), row.version)
        self.versions.addItem("默认模板", 0)
        self._fill_fields(src)
        self._set_message("")
        self.refresh_preview()

    def _fill_fields(self, src) -> None:
        catalogue = documents_api.placeholder_catalogue()
        self.fields.clear()
        used = set(src.placeholders)
        clerk = QTreeWidgetItem([catalogue.namespace_labels["fields"], "经办人出具时填写（模板开头“## 字段：”声明）"])
        for s in src.fields:
            it = QTreeWidgetItem([f"fields.{s.key}", s.label + ("（必填）" if s.required else "（可选）")])
            it.setData(0, INSERT_ROLE, f"{{{{ fields.{s.key} }}}}")
            clerk.addChild(it)
        self.fields.addTopLevelItem(clerk)
        clerk.setExpanded(True)
        for ns, items in catalogue.namespaces:
            top = QTreeWidgetItem([ns, catalogue.namespace_labels.get(ns, ns)])
            for attr, label in items:
                name = f"{ns}.{attr}"
                it = QTreeWidgetItem([name, label])
                it.setData(0, INSERT_ROLE, f"{{{{ {name} }}}}")
                if name in used:
                    f = it.font(0)
                    f.setBold(True)
                    it.setFont(0, f)
                    it.setToolTip(0, "本模板已使用")
                top.addChild(it)
            self.fields.addTopLevelItem(top)
            top.setExpanded(any(f"{ns}.{a}" in used for a, _ in items))
        self.fields.resizeColumnToContents(0)

    def _insert_field(self, item, _col) -> None:
        text = item.data(0, INSERT_ROLE)
        if text:
            self.editor.insertPlainText(text)
            self.editor.setFocus()

    def _load_version(self, index: int) -> None:
        version = self.versions.itemData(index)
        if self._name is None or version is None:
            return
        src = documents_api.template_at(self._name, version)
        self.editor.setPlainText(src.body)

    def _on_edit(self) -> None:
        self._timer.start()

    def _set_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color:#a12a1a;" if error else "color:#2e5e2e;")

    # ---------------------------------------------------------------- actions
    def check(self) -> bool:
        try:
            documents_api.check_template(self._name, self.editor.toPlainText())
        except GkError as exc:
            self._set_message(str(exc), error=True)
            return False
        self._set_message("模板检查通过")
        return True

    def _saved(self, name: str, text: str):
        def done(item):
            if self._name == name:       # still showing that template: reload it as saved
                self._name = None
                self.reload(select=name)
            else:
                self.reload()
            self._set_message(text.format(version=item.version))
        return done

    def _failed(self, exc) -> None:
        if isinstance(exc, GkError):
            self._set_message(str(exc), error=True)
        else:
            self.ctx.show_error(exc, self)

    def save(self, note: str | None = None) -> bool:
        """Check the template, then store it as a new version on the writer thread.
        False when it was refused at once (broken template, 取消)."""
        if self._name is None or not self.check():
            return False
        if note is None:
            note, ok = QInputDialog.getText(self, "保存模板", "修改说明（可不填）：")
            if not ok:
                return False
        name, body, actor = self._name, self.editor.toPlainText(), self.ctx.actor
        self._set_message("正在保存…")
        self.ctx.ops.write(lambda: documents_api.save_template(name, body, actor, note=note),
                           success=self._saved(name, "已保存为第{version}版"), failure=self._failed,
                           initiator=self, parent=self, title="正在保存模板")
        return True

    def restore_default(self, confirm: bool = True) -> bool:
        if self._name is None:
            return False
        if confirm and not messages.confirm(self, "恢复默认", "用 gkdesk 自带的默认模板替换当前模板（保存为新版本）？",
                                            yes="恢复默认"):
            return False
        name, actor = self._name, self.ctx.actor
        self.ctx.ops.write(lambda: documents_api.restore_default_template(name, actor),
                           success=self._saved(name, "已恢复默认模板（第{version}版）"), failure=self._failed,
                           initiator=self, parent=self, title="正在恢复默认模板")
        return True

    def on_changes(self, changes, initiator) -> None:
        """Another screen (or process) saved a template: refresh the list's versions."""
        if initiator is not self and changes.touches("templates"):
            if self.editor.toPlainText() == self._loaded_body:
                name, self._name = self._name, None
                self.reload(select=name)
            else:
                self.reload()

    def refresh_preview(self) -> None:
        if self._name is None:
            return
        name, body = self._name, self.editor.toPlainText()
        case_id = self.case_box.currentData()
        if case_id is None and self.case_box.currentText() and not self.case_box.currentText().startswith("示例"):
            case_id = self.case_box.currentText().split()[0]

        def done(laid):
            self.preview.set_laid(laid)
            self.preview_ready.emit()

        def failed(exc):
            self.preview.set_message(str(exc))
            self._set_message(str(exc), error=True)
            self.preview_ready.emit()

        # of several previews asked for while typing, only the latest is shown
        self.ctx.ops.read(("templates.preview", id(self)),
                          lambda: documents_api.preview_template(name, body, case_id),
                          success=done, failure=failed, parent=self)
