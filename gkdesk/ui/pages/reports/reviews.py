"""年度复查 tab: the two yearly reviews (withheld information, frequently requested)."""
from __future__ import annotations


from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QGroupBox, QHBoxLayout,
    QLabel, QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from gkdesk.api import reports as api
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets.report_bits import CASE_ID_ROLE, YearCombo, ask_save_path, cancellable

class ReviewsTab(QWidget):
    loaded = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.items: list = []
        self.groups: list = []
        self.year = YearCombo(allow_all=True)
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton("重新生成")
        self.refresh_button.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度："))
        bar.addWidget(self.year)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)

        w_box = QGroupBox("一、不予公开（含部分公开）信息复查")
        self.withheld = QTableWidget(0, 6)
        self.withheld.setObjectName("withheldTable")
        self.withheld.setHorizontalHeaderLabels(["受理编号", "答复日期", "办理结果", "不予公开理由", "依据条款", "申请内容"])
        self._setup(self.withheld)
        self.withheld_count = QLabel("")
        self.withheld_export = QPushButton("导出复查清单…")
        self.withheld_export.clicked.connect(lambda: self.ask_export("withheld"))
        wl = QVBoxLayout(w_box)
        hint = QLabel("对以往不予公开的信息逐件复查：情况变化、已可公开的，应转为主动公开。")
        hint.setObjectName("hint")
        wl.addWidget(hint)
        wl.addWidget(self.withheld, 1)
        r1 = QHBoxLayout()
        r1.addWidget(self.withheld_count, 1)
        r1.addWidget(self.withheld_export)
        wl.addLayout(r1)

        f_box = QGroupBox("二、高频申请信息（拟主动公开候选）")
        self.frequent = QTableWidget(0, 5)
        self.frequent.setObjectName("frequentTable")
        self.frequent.setHorizontalHeaderLabels(["申请件数", "申请人数", "共同内容", "典型申请内容", "受理编号"])
        self._setup(self.frequent)
        self.frequent_count = QLabel("")
        self.frequent_export = QPushButton("导出高频申请清单…")
        self.frequent_export.clicked.connect(lambda: self.ask_export("frequent"))
        fl = QVBoxLayout(f_box)
        hint2 = QLabel("内容相近的申请归为一组（按字符三元组重合度），多次被申请的信息宜考虑主动公开。")
        hint2.setObjectName("hint")
        fl.addWidget(hint2)
        fl.addWidget(self.frequent, 1)
        r2 = QHBoxLayout()
        r2.addWidget(self.frequent_count, 1)
        r2.addWidget(self.frequent_export)
        fl.addLayout(r2)

        split = QSplitter(Qt.Vertical)
        split.addWidget(w_box)
        split.addWidget(f_box)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        self.withheld.doubleClicked.connect(lambda i: self._open(self.withheld, i.row()))
        self.frequent.doubleClicked.connect(lambda i: self._open(self.frequent, i.row()))

    @staticmethod
    def _setup(t: QTableWidget) -> None:
        t.verticalHeader().hide()
        t.setEditTriggers(QAbstractItemView.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectRows)
        t.setAlternatingRowColors(True)
        t.setWordWrap(True)
        t.horizontalHeader().setStretchLastSection(True)

    def _year(self) -> int | None:
        y = self.year.year()
        return None if not y else y

    def refresh(self) -> None:
        year = self._year()
        key = self.year.year()

        def job(cancelled):
            return cancellable(lambda: (key, *api.reviews(year, cancelled=cancelled)))

        self.ctx.run_in_background(job, self._loaded, progress=True, title="正在生成年度复查清单", parent=self)

    def _loaded(self, result) -> None:
        key, items, groups = result
        if key != self.year.year():
            return
        self.items, self.groups = items, groups
        self.withheld.setRowCount(len(items))
        for r, it in enumerate(items):
            vals = (it.number, it.reply_date.isoformat() if it.reply_date else "", it.outcome_label, it.reason,
                    it.articles, api.summary(it.content, 60))
            for c, v in enumerate(vals):
                cell = QTableWidgetItem(v)
                cell.setData(CASE_ID_ROLE, it.case_id)
                self.withheld.setItem(r, c, cell)
        self.withheld.resizeColumnsToContents()
        self.withheld_count.setText(f"共 {len(items)} 件")
        self.frequent.setRowCount(len(groups))
        for r, g in enumerate(groups):
            vals = (str(g.size), str(g.applicants), "、".join(g.phrases), api.summary(g.sample, 60),
                    "、".join(g.numbers))
            for c, v in enumerate(vals):
                cell = QTableWidgetItem(v)
                cell.setData(CASE_ID_ROLE, g.case_ids[0])
                if c < 2:
                    cell.setTextAlignment(Qt.AlignCenter)
                self.frequent.setItem(r, c, cell)
        self.frequent.resizeColumnsToContents()
        self.frequent_count.setText(f"共 {len(groups)} 组，涉及 {sum(g.size for g in groups)} 件申请")
        self.loaded.emit()

    def _open(self, table: QTableWidget, row: int) -> None:
        it = table.item(row, 0)
        cid = it.data(CASE_ID_ROLE) if it else None
        if cid:
            self.ctx.open_case(int(cid))

    def ask_export(self, kind: str) -> None:
        year = self._year()
        name = {"withheld": "不予公开信息复查清单", "frequent": "高频申请信息清单"}[kind]
        path = ask_save_path(self, "导出", f"{year or '历年'}{'年' if year else ''}{name}.xlsx", "Excel 工作簿 (*.xlsx)")
        if path:
            self.export(kind, path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def export(self, kind: str, path: str) -> None:
        year = self._year()
        items, groups = self.items, self.groups

        def job():
            if kind == "withheld":
                return api.export_withheld(items, path, year)
            return api.export_frequent(groups, path, year)

        self.ctx.run_in_background(job, lambda p: messages.info(self, "已导出", f"已导出到：\n{p}"),
                                   progress=True, title="正在导出", parent=self)
