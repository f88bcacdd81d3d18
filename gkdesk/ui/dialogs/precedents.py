"""查找先例: how did we answer before? Search the text of replies and issued letters
(gkdesk.api.precedents); the case, its outcome and the letter are shown."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QTableWidget, QTableWidgetItem, QVBoxLayout, QHeaderView

from gkdesk.api import precedents as api
from gkdesk.ui.dialogs import messages

COLUMNS = ("受理编号", "申请人", "办理结果", "答复日期", "文书", "出处", "相关文字")


class PrecedentsDialog(QDialog):
    def __init__(self, ctx, parent=None, text: str = ""):
        super().__init__(parent)
        self.ctx = ctx
        self.results: tuple = ()
        self.setWindowTitle("查找先例（答复书与答复理由）")
        self.resize(1100, 560)
        self.search = QLineEdit()
        self.search.setPlaceholderText("输入答复理由或答复书中的文字，如“征收补偿”“隐私”")
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.status = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.Stretch)
        for i, w in enumerate((150, 110, 200, 95, 170, 100)):
            self.table.setColumnWidth(i, w)
        self.table.cellDoubleClicked.connect(self._open)
        lay = QVBoxLayout(self)
        lay.addWidget(self.search)
        lay.addWidget(self.status)
        lay.addWidget(self.table, 1)
        if text:
            self.search.setText(text)
            self.run_search()

    def run_search(self) -> None:
        self._debounce.stop()
        text = self.search.text().strip()
        self.ctx.ops.read("precedents", lambda: api.search(text), success=self.show_results,
                          failure=lambda exc: messages.show_exception(self, exc))

    def show_results(self, results) -> None:
        self.results = tuple(results)
        self.table.setRowCount(len(self.results))
        for r, p in enumerate(self.results):
            cells = (p.number, p.applicant_name, p.outcome_label, p.reply_date.isoformat() if p.reply_date else "",
                     p.letter_number, p.where, p.excerpt)
            for c, v in enumerate(cells):
                item = QTableWidgetItem(v)
                item.setToolTip(v)
                self.table.setItem(r, c, item)
        text = self.search.text().strip()
        self.status.setText("" if not text else (f"找到 {len(self.results)} 件（最新的在前，最多显示50件）。双击打开案件。"
                                                 if self.results else "没有找到含有这些文字的答复。"))

    def _open(self, row: int, _col: int) -> None:
        if 0 <= row < len(self.results):
            self.ctx.open_case(self.results[row].case_id)
