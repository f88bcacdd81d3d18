"""文书模板: the office edits the wording of its documents.

Left: every template (one per document kind, one per reply-letter variant) with its
version. Middle: the editor, with the list of fields a template may use (double-click
inserts one) and what the clerk is asked to write. Right: a preview laid out in the
background against a chosen case, or against a made-up sample case. Saving checks the
template first (a broken one is refused with the line and field) and stores a new
version; 恢复默认 stores the shipped default as a new version.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QInputDialog, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
    QScrollArea, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

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
        self._generation = 0

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

    # ---------------------------------------------------------------- data
    def reload(self, select: str | None = None) -> None:
        from gkdesk.documents import templates

        select = select or self._name
        self.list.blockSignals(True)
        self.list.clear()
        for t in templates.list_templates():
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
        from gkdesk.cases import query

        self.case_box.clear()
        self.case_box.addItem("示例案件（虚构）", None)
        try:
            rows = query.list_cases(query.CaseFilter(), limit=50)
        except Exception:  # pragma: no cover - an empty or odd database
            rows = []
        for r in rows:
            self.case_box.addItem(f"{r['number']}  {r['applicant_name']}", r["id"])

    def activate(self) -> None:
        self._fill_cases()

    def confirm_leave(self) -> bool:
        if self.editor.toPlainText() == self._loaded_body:
            return True
        from gkdesk.ui.dialogs import messages

        return messages.confirm(self, "文书模板", "模板有未保存的修改，确定离开吗？", yes="离开", no="留下")

    def _on_select(self, item, _prev) -> None:
        if item is None:
            return
        name = item.data(NAME_ROLE)
        if name != self._name and self._name is not None and self.editor.toPlainText() != self._loaded_body:
            from gkdesk.ui.dialogs import messages

            if not messages.confirm(self, "文书模板", "当前模板有未保存的修改，放弃这些修改吗？", yes="放弃", no="取消"):
                self.list.blockSignals(True)
                for i in range(self.list.count()):
                    if self.list.item(i).data(NAME_ROLE) == self._name:
                        self.list.setCurrentRow(i)
                self.list.blockSignals(False)
                return
        self._open(name)

    def _open(self, name: str) -> None:
        from gkdesk.documents import templates

        src = templates.current(name)
        self._name = name
        self.title.setText(src.title or templates.template_title(name))
        self._loaded_body = src.body
        self.editor.blockSignals(True)
        self.editor.setPlainText(src.body)
        self.editor.blockSignals(False)
        self.versions.clear()
        self.versions.addItem("当前" + ("（默认）" if src.version == 0 else f"（第{src.version}版）"), src.version)
        for row in templates.versions(name)[1:]:
            when = row.created_at.astimezone().strftime("%Y-%m-%d %H:%M") if row.created_at else ""
            self.versions.addItem(f"第{row.version}版 {when} {row.created_by} {row.note}".strip(), row.version)
        self.versions.addItem("默认模板", 0)
        self._fill_fields(src)
        self._set_message("")
        self.refresh_preview()

    def _fill_fields(self, src) -> None:
        from gkdesk.documents import context

        self.fields.clear()
        used = set()
        from gkdesk.documents.templates import placeholders_in

        used = set(placeholders_in(src.body))
        clerk = QTreeWidgetItem([context.NAMESPACE_LABELS["fields"], "经办人出具时填写（模板开头“## 字段：”声明）"])
        for s in src.fields:
            it = QTreeWidgetItem([f"fields.{s.key}", s.label + ("（必填）" if s.required else "（可选）")])
            it.setData(0, INSERT_ROLE, f"{{{{ fields.{s.key} }}}}")
            clerk.addChild(it)
        self.fields.addTopLevelItem(clerk)
        clerk.setExpanded(True)
        for ns, items in context.CATALOGUE.items():
            top = QTreeWidgetItem([ns, context.NAMESPACE_LABELS.get(ns, ns)])
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
        from gkdesk.documents import templates

        version = self.versions.itemData(index)
        if self._name is None or version is None:
            return
        src = templates.at_version(self._name, version)
        self.editor.setPlainText(src.body)

    def _on_edit(self) -> None:
        self._timer.start()

    def _set_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color:#a12a1a;" if error else "color:#2e5e2e;")

    # ---------------------------------------------------------------- actions
    def check(self) -> bool:
        from gkdesk.documents import templates
        from gkdesk.errors import GkError

        try:
            templates.validate(self._name, self.editor.toPlainText())
        except GkError as exc:
            self._set_message(str(exc), error=True)
            return False
        self._set_message("模板检查通过")
        return True

    def save(self, note: str | None = None) -> bool:
        from gkdesk.documents import templates
        from gkdesk.errors import GkError

        if self._name is None:
            return False
        if note is None:
            note, ok = QInputDialog.getText(self, "保存模板", "修改说明（可不填）：")
            if not ok:
                return False
        try:
            row = templates.save(self._name, self.editor.toPlainText(), self.ctx.actor, note=note)
        except GkError as exc:
            self._set_message(str(exc), error=True)
            return False
        name = self._name
        self._name = None
        self.reload(select=name)
        self._set_message(f"已保存为第{row.version}版")
        return True

    def restore_default(self, confirm: bool = True) -> bool:
        from gkdesk.documents import templates
        from gkdesk.errors import GkError
        from gkdesk.ui.dialogs import messages

        if self._name is None:
            return False
        if confirm and not messages.confirm(self, "恢复默认", "用 gkdesk 自带的默认模板替换当前模板（保存为新版本）？",
                                            yes="恢复默认"):
            return False
        try:
            row = templates.restore_default(self._name, self.ctx.actor)
        except GkError as exc:
            self._set_message(str(exc), error=True)
            return False
        name = self._name
        self._name = None
        self.reload(select=name)
        self._set_message(f"已恢复默认模板（第{row.version}版）")
        return True

    def refresh_preview(self) -> None:
        from gkdesk.documents import service

        if self._name is None:
            return
        self._generation += 1
        gen = self._generation
        name, body = self._name, self.editor.toPlainText()
        case_id = self.case_box.currentData()
        if case_id is None and self.case_box.currentText() and not self.case_box.currentText().startswith("示例"):
            case_id = self.case_box.currentText().split()[0]

        def work():
            got = service.preview_template(name, body, case_id)
            return getattr(got, "laid", got)

        def done(laid):
            if gen != self._generation:
                return
            self.preview.set_laid(laid)
            self.preview_ready.emit()

        def failed(exc):
            if gen != self._generation:
                return
            self.preview.set_message(str(exc))
            self._set_message(str(exc), error=True)
            self.preview_ready.emit()

        self.ctx.run_in_background(work, done, failed, progress=False)
