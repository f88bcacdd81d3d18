"""设置 → 理由库: the kept reasons per category (不予公开, 无法提供, 不予处理, 其他处理, 延期答复,
收费), each with its article. Editing saves a new version (history shown, any earlier
version or gkdesk's default can be brought back); an entry can be retired (taken out of
the pick lists; letters already issued keep their text) or added. Who may do what is
decided by the core (gkdesk.cases.reasons); a refusal is shown here as the core words it.

Reads and writes go through ``gkdesk.api.reasons`` on ``ctx.ops``; the tab refreshes
itself from the change feed (topic ``reasons``)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QSplitter, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from gkdesk.api import reasons as api
from gkdesk.errors import GkError
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets import alive

RETIRED_FG = QColor("#8a8f98")


def _item(text: str, data=None) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setToolTip(text)
    if data is not None:
        it.setData(Qt.UserRole, data)
    return it


def _table(headers: list[str], stretch: int) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setSelectionBehavior(QAbstractItemView.SelectRows)
    t.setSelectionMode(QAbstractItemView.SingleSelection)
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.setAlternatingRowColors(True)
    hh = t.horizontalHeader()
    hh.setHighlightSections(False)
    for c in range(len(headers)):
        hh.setSectionResizeMode(c, QHeaderView.Stretch if c == stretch else QHeaderView.ResizeToContents)
    return t


def version_label(e: api.Entry) -> str:
    return "默认" if e.is_default else f"第{e.version}版"


class ReasonsEditor(QWidget):
    """The 理由库 tab of 设置."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("reasonsEditor")
        self.entries: tuple[api.Entry, ...] = ()
        self.versions: tuple[api.Entry, ...] = ()
        self.current: api.Entry | None = None       # None: a new entry is being written
        self._loading = False

        # ---- categories
        self.categories = QListWidget()
        self.categories.setObjectName("reasonCategories")
        for code, label in api.CATEGORIES.items():
            it = QListWidgetItem(label)
            it.setData(Qt.UserRole, code)
            self.categories.addItem(it)
        self.categories.setMaximumWidth(200)
        self.categories.currentRowChanged.connect(lambda _r: self.load_entries())
        self.show_retired = QCheckBox("显示已停用的")
        self.show_retired.toggled.connect(lambda _c: self.load_entries())
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("类别"))
        ll.addWidget(self.categories, 1)
        ll.addWidget(self.show_retired)

        # ---- the entries of the category
        self.table = _table(["标题", "版本", "状态"], 0)
        self.table.setWordWrap(True)
        self.table.setMinimumWidth(340)
        self.table.setObjectName("reasonEntries")
        self.table.itemSelectionChanged.connect(self._entry_selected)
        self.new_button = QPushButton("新增理由")
        self.new_button.setToolTip("在本类别中新增一条理由（Ctrl+N）")
        self.new_button.clicked.connect(lambda _c=False: self.start_new())
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        middle = QWidget()
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.new_button)
        ml.addLayout(top)
        ml.addWidget(self.table, 1)

        # ---- the editor
        self.mode_label = QLabel()
        self.mode_label.setObjectName("sectionTitle")
        self.title = QLineEdit()
        self.title.setObjectName("reasonTitle")
        self.title.setPlaceholderText("选用时显示的简短标题（不填则取理由的前24个字）")
        self.outcome = QComboBox()
        self.outcome.setObjectName("reasonOutcome")
        self.text = QPlainTextEdit()
        self.text.setObjectName("reasonText")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText("写入答复书或告知书的理由原文")
        self.article = QLineEdit()
        self.article.setObjectName("reasonArticle")
        self.article.setPlaceholderText("如：《中华人民共和国政府信息公开条例》第十五条")
        self.note = QLineEdit()
        self.note.setPlaceholderText("这次修改的说明（可不填），记入历史")
        self.save_button = QPushButton("保存为新版本")
        self.save_button.setObjectName("primaryButton")
        self.save_button.setToolTip("保存后，新出具的文书选用新文字；已出具的文书不变（Ctrl+S）")
        self.save_button.clicked.connect(lambda _c=False: self.save())
        self.retire_button = QPushButton("停用")
        self.retire_button.setToolTip("不再出现在选用列表中；历史版本保留")
        self.retire_button.clicked.connect(lambda _c=False: self.retire_or_enable())
        self.default_button = QPushButton("恢复默认文字")
        self.default_button.setToolTip("恢复 gkdesk 自带的文字（保存为新版本）")
        self.default_button.clicked.connect(lambda _c=False: self.restore_default())
        self.error = QLabel()
        self.error.setObjectName("errorPanel")
        self.error.setWordWrap(True)
        self.error.hide()
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignTop)
        form.addRow("标题：", self.title)
        form.addRow("适用办理结果：", self.outcome)
        form.addRow("理由：", self.text)
        form.addRow("法律依据：", self.article)
        form.addRow("修改说明：", self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.retire_button)
        buttons.addWidget(self.default_button)
        buttons.addStretch(1)
        editor = QGroupBox()
        el = QVBoxLayout(editor)
        el.addWidget(self.mode_label)
        el.addLayout(form, 1)
        el.addLayout(buttons)
        el.addWidget(self.error)
        el.addWidget(self.status)

        # ---- history
        self.history = _table(["版本", "时间", "修改人", "说明", "标题"], 4)
        self.history.setObjectName("reasonHistory")
        self.history.itemSelectionChanged.connect(self._version_selected)
        self.version_text = QLabel()
        self.version_text.setWordWrap(True)
        self.version_text.setObjectName("hint")
        self.version_text.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.restore_button = QPushButton("恢复此版本")
        self.restore_button.setToolTip("把选中的历史版本保存为最新版本")
        self.restore_button.clicked.connect(lambda _c=False: self.restore_selected_version())
        hist = QGroupBox("历史版本")
        hl = QVBoxLayout(hist)
        hl.addWidget(self.history, 1)
        hl.addWidget(self.version_text)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.restore_button)
        hl.addLayout(row)

        right = QSplitter(Qt.Vertical)
        right.addWidget(editor)
        right.addWidget(hist)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(middle)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        split.setStretchFactor(2, 3)
        split.setSizes([180, 380, 640])
        hint = QLabel("办理答复、延期、收费等操作时，可从理由库选用理由（连同法律依据）；也可把填写的理由“存入理由库”。"
                      "每次修改保存为新版本，已出具的文书不受影响。修改、停用需要审核人、分管领导或管理员权限。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 12)
        lay.addWidget(hint)
        lay.addWidget(split, 1)
        for seq, fn in ((QKeySequence.Save, self.save), (QKeySequence.New, self.start_new)):
            sc = QShortcut(seq, self)
            sc.setContext(Qt.WidgetWithChildrenShortcut)
            sc.activated.connect(fn)

        ctx.changed.opDidExecute.connect(self.on_changes)
        self.categories.setCurrentRow(0)

    # ---------------------------------------------------------------- reading
    def category(self) -> str:
        it = self.categories.currentItem()
        return it.data(Qt.UserRole) if it is not None else next(iter(api.CATEGORIES))

    def on_changes(self, changes, initiator) -> None:
        if alive(self) and initiator is not self and changes.touches("reasons"):
            self.load_entries(keep=self.current.key if self.current else None)

    def load_entries(self, keep: str | None = None) -> None:
        cat, retired = self.category(), self.show_retired.isChecked()
        self._fill_outcomes(cat)
        self.ctx.ops.read("reasons-editor", lambda: api.entries(cat, include_retired=retired),
                          success=lambda es: self._fill_entries(es, keep),
                          failure=lambda exc: alive(self) and self._show_error(exc))

    def _fill_outcomes(self, cat: str) -> None:
        self.outcome.clear()
        self.outcome.addItem("（本类别通用）", "")
        for code, label in api.outcomes_of(cat):
            self.outcome.addItem(label, code)
        self.outcome.setEnabled(self.outcome.count() > 1)

    def _fill_entries(self, entries, keep: str | None) -> None:
        if not alive(self):
            return
        self.entries = tuple(entries)
        labels = dict(api.outcomes_of(self.category()))
        t = self.table
        t.blockSignals(True)
        t.setRowCount(len(self.entries))
        select = 0 if self.entries else -1
        for r, e in enumerate(self.entries):
            cells = (e.title, version_label(e), "已停用" if e.retired else "在用")
            for c, text in enumerate(cells):
                it = _item(text, e.key if c == 0 else None)
                if c == 0:
                    it.setToolTip(f"{e.title}\n适用：{labels.get(e.outcome, '本类别通用')}\n{e.text}"
                                  + (f"\n依据：{e.article}" if e.article else ""))
                if e.retired:
                    it.setForeground(RETIRED_FG)
                t.setItem(r, c, it)
            if e.key == keep:
                select = r
        t.blockSignals(False)
        t.resizeRowsToContents()
        n = sum(1 for e in self.entries if not e.retired)
        self.count_label.setText(f"{api.CATEGORIES[self.category()]}：在用 {n} 条")
        if select >= 0:
            t.selectRow(select)
            self._entry_selected()
        else:
            self.start_new()

    def selected_entry(self) -> api.Entry | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        key = self.table.item(rows[0].row(), 0).data(Qt.UserRole)
        return next((e for e in self.entries if e.key == key), None)

    def _entry_selected(self) -> None:
        e = self.selected_entry()
        if e is not None:
            self.show_entry(e)

    def show_entry(self, e: api.Entry) -> None:
        self.current = e
        self._loading = True
        self.title.setText(e.title)
        i = self.outcome.findData(e.outcome)
        self.outcome.setCurrentIndex(max(i, 0))
        self.text.setPlainText(e.text)
        self.article.setText(e.article)
        self.note.clear()
        self._loading = False
        self.error.hide()
        who = "gkdesk 自带的默认文字" if e.is_default else f"{version_label(e)}，{e.created_by} 于 {e.created_at[:16].replace('T', ' ')}"
        self.mode_label.setText(f"修改：{e.title}")
        self.status.setText(f"当前为{who}" + ("；已停用，不出现在选用列表中。" if e.retired else "。"))
        self.retire_button.setText("重新启用" if e.retired else "停用")
        self.retire_button.setEnabled(True)
        self.default_button.setEnabled(e.key.startswith("default:") and not e.is_default)
        key = e.key
        self.ctx.ops.read("reasons-history", lambda: api.history(key), success=self._fill_history)

    def start_new(self) -> None:
        self.current = None
        self.table.clearSelection()
        self._loading = True
        for w in (self.title, self.article, self.note):
            w.clear()
        self.text.clear()
        self.outcome.setCurrentIndex(0)
        self._loading = False
        self.error.hide()
        self.mode_label.setText(f"新增理由（{api.CATEGORIES[self.category()]}）")
        self.status.setText("填写理由和法律依据后点“保存为新版本”。")
        self.retire_button.setEnabled(False)
        self.default_button.setEnabled(False)
        self._fill_history(())
        self.text.setFocus(Qt.OtherFocusReason)

    def _fill_history(self, versions) -> None:
        if not alive(self):
            return
        self.versions = tuple(versions)
        t = self.history
        t.setRowCount(len(self.versions))
        for r, v in enumerate(self.versions):
            note = v.note or ("停用" if v.retired else "")
            cells = (version_label(v), v.created_at[:16].replace("T", " ") if v.created_at else "—",
                     v.created_by or "gkdesk", note, v.title)
            for c, text in enumerate(cells):
                t.setItem(r, c, _item(text, v.version if c == 0 else None))
        self.version_text.setText("")
        self.restore_button.setEnabled(False)

    def selected_version(self) -> api.Entry | None:
        rows = self.history.selectionModel().selectedRows()
        if not rows:
            return None
        return self.versions[rows[0].row()] if rows[0].row() < len(self.versions) else None

    def _version_selected(self) -> None:
        v = self.selected_version()
        self.restore_button.setEnabled(v is not None and r_is_older(v, self.versions))
        if v is not None:
            self.version_text.setText(f"{version_label(v)}：{v.text}" + (f"\n依据：{v.article}" if v.article else ""))

    # ---------------------------------------------------------------- writing
    def _write(self, fn, done_text: str) -> None:
        self.error.hide()

        def ok(entry):
            self.status.setText(done_text.format(title=entry.title, version=version_label(entry)))
            self.load_entries(keep=entry.key)

        self.ctx.ops.write(fn, success=ok, failure=self._show_error, initiator=self, parent=self)

    def _show_error(self, exc: BaseException) -> None:
        if not isinstance(exc, GkError):
            messages.show_exception(self, exc)
            return
        self.error.setText(f"未保存：{exc}")
        self.error.show()

    def save(self) -> None:
        actor, cur, cat = self.ctx.actor, self.current, self.category()
        v = dict(category=cat, outcome=self.outcome.currentData() or "", title=self.title.text(),
                 text=self.text.toPlainText(), article=self.article.text(), note=self.note.text().strip())
        if cur is not None:
            v["category"] = cur.category
            self._write(lambda: api.save(actor, key=cur.key, **v), "已保存“{title}”（{version}）。")
        else:
            self._write(lambda: api.save(actor, **v), "已新增“{title}”。")

    def retire_or_enable(self) -> None:
        cur, actor = self.current, self.ctx.actor
        if cur is None:
            return
        if cur.retired:
            self._write(lambda: api.save(actor, key=cur.key, category=cur.category, outcome=cur.outcome,
                                         title=cur.title, text=cur.text, article=cur.article, note="重新启用"),
                        "已重新启用“{title}”。")
            return
        if not messages.confirm(self, "停用理由", f"停用“{cur.title}”？停用后不再出现在选用列表中，"
                                                 "已出具的文书不受影响，可随时重新启用。", yes="停用"):
            return
        self._write(lambda: api.retire(actor, cur.key), "已停用“{title}”。")

    def restore_default(self) -> None:
        cur, actor = self.current, self.ctx.actor
        if cur is not None:
            self._write(lambda: api.restore_default(actor, cur.key), "已恢复“{title}”的默认文字（{version}）。")

    def restore_selected_version(self) -> None:
        cur, v, actor = self.current, self.selected_version(), self.ctx.actor
        if cur is None or v is None:
            return
        self._write(lambda: api.restore_version(actor, cur.key, v.version),
                    f"已恢复{version_label(v)}" + "，保存为{version}。")


def r_is_older(v: api.Entry, versions: tuple[api.Entry, ...]) -> bool:
    """Only a version other than the newest can be brought back."""
    return bool(versions) and v is not versions[0]
