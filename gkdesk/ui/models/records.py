"""A table over a tuple of frozen view records (tens to a few thousand rows): the part every
such model shares. Subclasses set ``columns`` ((key, Chinese header) pairs) and give ``cell``
and, where they colour or explain cells, ``data`` for the other roles."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt


class RecordTableModel(QAbstractTableModel):
    columns: tuple[tuple[str, str], ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: tuple = ()

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt's name
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.columns[section][1]
        return None

    def key(self, col: int) -> str:
        return self.columns[col][0]

    def cell(self, row: int, col: int) -> str:
        raise NotImplementedError

    def data(self, index, role=Qt.DisplayRole):
        if index.isValid() and role == Qt.DisplayRole:
            return self.cell(index.row(), index.column())
        return None
