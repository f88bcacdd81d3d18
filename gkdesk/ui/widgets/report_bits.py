"""What the report tabs share: table cells and grids, the year chooser, the drill-down
case list, the default reporting year, a save-file prompt, and cancellable core jobs."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QTableWidget, QTableWidgetItem,
)

from gkdesk.api import reports as api
from gkdesk.domain import outcomes, terms

CASE_ID_ROLE = Qt.UserRole + 1


CELL_ROLE = Qt.UserRole + 2
DRILL_LIMIT = 500


HEADER_BG = QColor("#eef1f6")
LABEL_BG = QColor("#f7f9fc")
OK_STYLE = ("background:#e8f5e9; color:#1b5e20; border:1px solid #b7dfb9; border-radius:4px;"
            " padding:6px 10px;")
BAD_STYLE = ("background:#fdecea; color:#8a1c12; border:1px solid #f5c2bd; border-radius:4px;"
             " padding:6px 10px;")


def default_year(today: dt.date | None = None) -> int:
    """The year an office is most likely reporting on: last year until the report is due
    (31 March), this year afterwards."""
    today = today or api.today()
    return today.year - 1 if today.month <= 3 else today.year


def year_choices() -> list[int]:
    this = api.today().year
    years = set(api.case_years()) | {this, this - 1}
    return sorted(years, reverse=True)


def cell_item(text, *, editable=False, align=Qt.AlignCenter, bg: QColor | None = None, bold=False,
          data=None) -> QTableWidgetItem:
    it = QTableWidgetItem("" if text is None else str(text))
    flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
    if editable:
        flags |= Qt.ItemIsEditable
    it.setFlags(flags)
    it.setTextAlignment(align | Qt.AlignVCenter)
    if bg is not None:
        it.setBackground(QBrush(bg))
    if bold:
        f = it.font()
        f.setBold(True)
        it.setFont(f)
    if data is not None:
        it.setData(CELL_ROLE, data)
    return it


def grid_table(rows: int, cols: int) -> QTableWidget:
    t = QTableWidget(rows, cols)
    t.horizontalHeader().hide()
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.setSelectionMode(QAbstractItemView.SingleSelection)
    t.setWordWrap(True)
    t.setShowGrid(True)
    t.setStyleSheet("QTableWidget { gridline-color: #9aa3b2; }")
    return t


def ask_save_path(parent, title: str, suggested: str, filt: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filt)
    return path


class YearCombo(QComboBox):
    def __init__(self, allow_all: bool = False, parent=None):
        super().__init__(parent)
        self.allow_all = allow_all
        self.fill()

    def fill(self, keep: int | None = None) -> None:
        keep = keep if keep is not None else self.year()
        self.blockSignals(True)
        self.clear()
        if self.allow_all:
            self.addItem("历年全部", 0)
        for y in year_choices():
            self.addItem(f"{y}年", y)
        self.set_year(keep if keep is not None else default_year())
        self.blockSignals(False)

    def year(self) -> int | None:
        return self.currentData()

    def set_year(self, year: int) -> None:
        i = self.findData(year)
        if i < 0 and year:
            self.addItem(f"{year}年", year)
            i = self.count() - 1
        self.setCurrentIndex(max(i, 0))


class CaseList(QTableWidget):
    """A short list of cases (drill-down), double-click opens one."""

    HEADERS = ("受理编号", "申请人类型", "收到申请日期", "答复日期", "办理结果", "阶段", "申请内容")

    def __init__(self, ctx, parent=None):
        super().__init__(0, len(self.HEADERS), parent)
        self.ctx = ctx
        self.setHorizontalHeaderLabels(list(self.HEADERS))
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setStretchLastSection(True)
        self.doubleClicked.connect(self._open)

    def show_ids(self, ids: list[int]) -> None:
        rows = api.case_rows(ids, DRILL_LIMIT)
        self.setRowCount(len(rows))
        for r, c in enumerate(rows):
            o = outcomes.OUTCOMES.get(c["outcome"]) if c["outcome"] else None
            vals = (c["number"], terms.label_of(terms.APPLICANT_KINDS, c["applicant_kind"]),
                    c["received_date"].isoformat() if c["received_date"] else "",
                    c["reply_date"].isoformat() if c["reply_date"] else "",
                    o.label if o else (c["outcome"] or ""), terms.label_of(terms.STAGES, c["stage"]),
                    api.summary(c["content"]))
            for col, v in enumerate(vals):
                it = QTableWidgetItem(v)
                it.setData(CASE_ID_ROLE, c["id"])
                self.setItem(r, col, it)
        self.resizeColumnsToContents()

    def case_ids(self) -> list[int]:
        return [self.item(r, 0).data(CASE_ID_ROLE) for r in range(self.rowCount())]

    def _open(self, index) -> None:
        cid = self.item(index.row(), 0).data(CASE_ID_ROLE)
        if cid:
            self.ctx.open_case(int(cid))


def cancellable(fn):
    """Run a core job; its own Cancelled becomes the worker's, so the dialog just closes."""
    from gkdesk.ui.workers import Cancelled

    from gkdesk.api.reports import Cancelled as ReportCancelled

    try:
        return fn()
    except ReportCancelled:
        raise Cancelled() from None
