"""Row tables of the forms pages: a table of text rows with choice columns and 联系方式
checked as typed (red with a tooltip when wrong), and the box with 添加行 / 删除行 / 上移 / 下移."""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLineEdit, QPushButton, QStyledItemDelegate, QTableWidget, QTableWidgetItem, QVBoxLayout,
)

from gkdesk.errors import ValidationError
from gkdesk.api import forms as api
from gkdesk.ui.widgets.fields import set_invalid

log = logging.getLogger(__name__)


INVALID_BG = QColor("#fde2e2")


def phone_problem(text: str) -> str | None:
    """The message for a wrong 联系方式 (None when right or empty)."""
    if not text.strip():
        return None
    try:
        api.check_contact(text)
    except ValidationError as exc:
        return exc.message
    return None



class _RowDelegate(QStyledItemDelegate):
    """Editors: a combo box for choice columns, a phone line edit checked as it is typed."""

    def __init__(self, table: "RowTable"):
        super().__init__(table)
        self.table = table

    def createEditor(self, parent, option, index):  # noqa: N802
        col = index.column()
        if col in self.table.choices:
            combo = QComboBox(parent)
            combo.addItems(self.table.choices[col])
            return combo
        editor = QLineEdit(parent)
        if col in self.table.phone_cols:
            editor.textChanged.connect(lambda text, e=editor: set_invalid(e, phone_problem(text)))
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        text = index.data(Qt.DisplayRole) or ""
        if isinstance(editor, QComboBox):
            i = editor.findText(text)
            editor.setCurrentIndex(max(i, 0))
        else:
            editor.setText(text)

    def setModelData(self, editor, model, index):  # noqa: N802
        text = editor.currentText() if isinstance(editor, QComboBox) else editor.text()
        model.setData(index, text, Qt.EditRole)


class RowTable(QTableWidget):
    """An editable table of text rows with add / remove / move and per-cell problem marks."""

    edited = Signal()

    def __init__(self, headers: list[str], *, phone_cols=(), choices: dict[int, list[str]] | None = None,
                 widths: list[int] | None = None, stretch: int | None = None, parent=None):
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.phone_cols = set(phone_cols)
        self.choices = choices or {}
        self.setItemDelegate(_RowDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                             | QAbstractItemView.AnyKeyPressed | QAbstractItemView.SelectedClicked)
        self.verticalHeader().setDefaultSectionSize(28)
        hdr = self.horizontalHeader()
        hdr.setStretchLastSection(stretch is None)
        for i, w in enumerate(widths or []):
            if w:
                self.setColumnWidth(i, w)
        if stretch is not None:
            hdr.setSectionResizeMode(stretch, QHeaderView.Stretch)
        self._loading = False
        self.itemChanged.connect(self._item_changed)

    def _item_changed(self, item) -> None:
        if self._loading:
            return
        if item.column() in self.phone_cols:
            self.mark(item.row(), item.column(), phone_problem(item.text()))
        self.edited.emit()

    def mark(self, row: int, col: int, message: str | None) -> None:
        item = self.item(row, col)
        if item is None:
            return
        self._loading = True
        item.setBackground(QBrush(INVALID_BG) if message else QBrush())
        item.setToolTip(message or "")
        item.setData(Qt.UserRole + 1, message or "")
        self._loading = False

    def problem(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return (item.data(Qt.UserRole + 1) or "") if item else ""

    def clear_marks(self) -> None:
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                self.mark(r, c, None)

    def set_rows(self, rows: list[list[str]]) -> None:
        self._loading = True
        self.setRowCount(0)
        self.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c in range(self.columnCount()):
                self.setItem(r, c, QTableWidgetItem(values[c] if c < len(values) else ""))
        self._loading = False
        for r in range(self.rowCount()):
            for c in self.phone_cols:
                self.mark(r, c, phone_problem(self.item(r, c).text()))

    def rows(self) -> list[list[str]]:
        return [[(self.item(r, c).text() if self.item(r, c) else "") for c in range(self.columnCount())]
                for r in range(self.rowCount())]

    def add_row(self, values: list[str] | None = None) -> int:
        r = self.currentRow() + 1 if self.currentRow() >= 0 else self.rowCount()
        self._loading = True
        self.insertRow(r)
        defaults = values or [self.choices[c][-1] if c in self.choices else "" for c in range(self.columnCount())]
        for c in range(self.columnCount()):
            self.setItem(r, c, QTableWidgetItem(defaults[c]))
        self._loading = False
        self.setCurrentCell(r, 0 if 0 not in self.choices else 1)
        self.edited.emit()
        return r

    def remove_row(self) -> None:
        r = self.currentRow()
        if r < 0:
            return
        self.removeRow(r)
        self.edited.emit()

    def move_row(self, delta: int) -> None:
        r = self.currentRow()
        t = r + delta
        if r < 0 or not (0 <= t < self.rowCount()):
            return
        rows = self.rows()
        marks = [[self.problem(i, c) for c in range(self.columnCount())] for i in range(self.rowCount())]
        rows[r], rows[t] = rows[t], rows[r]
        marks[r], marks[t] = marks[t], marks[r]
        self.set_rows(rows)
        for i, m in enumerate(marks):
            for c, msg in enumerate(m):
                if msg:
                    self.mark(i, c, msg)
        self.setCurrentCell(t, self.currentColumn() if self.currentColumn() >= 0 else 0)
        self.edited.emit()


def table_box(title: str, table: RowTable, hint: str = "") -> QGroupBox:
    box = QGroupBox(title)
    add = QPushButton("添加行")
    rem = QPushButton("删除行")
    up = QPushButton("上移")
    down = QPushButton("下移")
    add.clicked.connect(lambda: table.add_row())
    rem.clicked.connect(table.remove_row)
    up.clicked.connect(lambda: table.move_row(-1))
    down.clicked.connect(lambda: table.move_row(1))
    btns = QVBoxLayout()
    for b in (add, rem, up, down):
        btns.addWidget(b)
    btns.addStretch(1)
    lay = QHBoxLayout(box)
    lay.addWidget(table, 1)
    lay.addLayout(btns)
    table.buttons = {"add": add, "remove": rem, "up": up, "down": down}
    if hint:
        box.setToolTip(hint)
    return box
