"""领域设置: the fields (领域) of the standard catalogue — the 26 of the national guidelines,
which cannot change, and the office's own beyond them: 新增, 改名, 停用 (a retired field
takes no new items; its items stay, labelled) and 恢复使用. On the seam: gkdesk.api.catalogue
through ``ctx.ops``; refreshed when the ``catalogue`` topic changes elsewhere.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from gkdesk.api import catalogue as api
from gkdesk.ui.widgets import alive, read_failed

HEADERS = ("领域", "来源", "状态", "事项数")
GREY = QColor("#6b7280")


class FieldsDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: tuple[api.FieldView, ...] = ()
        self.setObjectName("catalogueFieldsDialog")
        self.setWindowTitle("标准目录领域设置")
        self.resize(560, 620)
        lay = QVBoxLayout(self)
        hint = QLabel("国家规定的26个领域不能修改。本办需要的其他领域可以新增、改名；"
                      "不再使用的领域可以停用——已有事项保留并照常显示、导出，但不能再新增事项。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.Stretch)
        for c in (1, 2, 3):
            hh.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.ask_rename())
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.b_add = self._button("新增领域…", self.ask_add, row)
        self.b_rename = self._button("改名…", self.ask_rename, row)
        self.b_retire = self._button("停用", self.toggle_retired, row)
        row.addStretch(1)
        lay.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        QShortcut(QKeySequence("Ctrl+N"), self, self.ask_add)
        QShortcut(QKeySequence("F2"), self, self.ask_rename)
        ctx.changed.opDidExecute.connect(self.on_changes)
        self.refresh()

    def _button(self, text, fn, layout) -> QPushButton:
        b = QPushButton(text)
        b.clicked.connect(lambda _c=False: fn())
        layout.addWidget(b)
        return b

    # ------------------------------------------------------------------ reading
    def on_changes(self, changes, initiator) -> None:
        if not alive(self):
            return
        if changes.touches("catalogue") and initiator is not self:
            self.refresh()

    def refresh(self, select: str | None = None) -> None:
        keep = select or self.current_code()
        self.ctx.ops.read(("catalogue", "fields"), api.office_fields, success=lambda rows: self._show(rows, keep),
                          failure=read_failed("领域设置"))

    def _show(self, rows, keep: str | None) -> None:
        if not alive(self):
            return
        self.rows = rows
        national = api.national_fields()
        t = self.table
        t.setRowCount(len(national) + len(rows))
        pick = -1
        for r, (code, label) in enumerate(national):
            cells = (label, "国家规定", "使用中", "")
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setData(Qt.UserRole, None)
                it.setForeground(QBrush(GREY))
                t.setItem(r, c, it)
        for i, f in enumerate(rows):
            r = len(national) + i
            for c, text in enumerate((f.label, "本办新增", f.state, f"{f.items}")):
                it = QTableWidgetItem(text)
                it.setData(Qt.UserRole, f.code)
                if f.retired:
                    it.setForeground(QBrush(QColor("#b26a00")))
                t.setItem(r, c, it)
            if f.code == keep:
                pick = r
        if pick >= 0:
            t.selectRow(pick)
            t.scrollToItem(t.item(pick, 0))
        elif rows and keep is not None:
            t.clearSelection()
        self._update_buttons()

    def current_code(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        it = self.table.item(rows[0].row(), 0)
        return it.data(Qt.UserRole) if it is not None else None

    def current(self) -> api.FieldView | None:
        code = self.current_code()
        return next((f for f in self.rows if f.code == code), None)

    def _update_buttons(self) -> None:
        f = self.current()
        self.b_rename.setEnabled(f is not None)
        self.b_retire.setEnabled(f is not None)
        self.b_retire.setText("恢复使用" if f is not None and f.retired else "停用")
        tip = "请先选中本办新增的领域（国家规定的26个领域不能修改）" if f is None else ""
        self.b_rename.setToolTip(tip)
        self.b_retire.setToolTip(tip or ("停用后不能再新增该领域的事项，已有事项保留" if not f.retired else ""))

    # ------------------------------------------------------------------ writing
    def _write(self, fn, select=None) -> None:
        self.ctx.ops.write(fn, success=lambda r: self.refresh(select(r) if select else None), initiator=self,
                           parent=self)

    def ask_add(self) -> None:
        label, ok = QInputDialog.getText(self, "新增领域", "领域名称（如“河长制”）：")
        if ok and label.strip():
            self.add(label)

    def add(self, label: str) -> None:
        actor = self.ctx.actor
        self._write(lambda: api.add_field(label, actor), select=lambda code: code)

    def ask_rename(self) -> None:
        f = self.current()
        if f is None:
            return
        label, ok = QInputDialog.getText(self, "领域改名", f"“{f.label}”改名为：", text=f.label)
        if ok and label.strip() and label.strip() != f.label:
            self.rename(f.code, label)

    def rename(self, code: str, label: str) -> None:
        actor = self.ctx.actor
        self._write(lambda: api.rename_field(code, label, actor), select=lambda _r: code)

    def toggle_retired(self) -> None:
        f = self.current()
        if f is None:
            return
        actor, retire = self.ctx.actor, not f.retired
        self._write(lambda: api.retire_field(f.code, actor, retired=retire), select=lambda _r: f.code)
