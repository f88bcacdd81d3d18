"""统计 tab: the year's statistics as charts and tables, exported as xlsx."""
from __future__ import annotations


from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QHBoxLayout,
    QHeaderView, QLabel, QPushButton, QTabWidget,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from gkdesk.api import reports as api
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets.report_bits import YearCombo, ask_save_path
from gkdesk.ui.widgets.charts import BarChart, DonutChart, RateRing

class StatsTab(QWidget):
    loaded = Signal(int)

    GROUP_HEADERS = ("收到", "答复", "按期答复", "按期率", "平均办理（工作日）", "最长办理（工作日）", "未办结", "已超期")

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.st: api.Stats | None = None
        self.year = YearCombo()
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton("重新统计")
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.clicked.connect(self.ask_export)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度："))
        bar.addWidget(self.year)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.export_button)

        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setObjectName("statsSummary")
        self.summary.setStyleSheet("font-size: 11pt; color: #23395d;")
        self.months = BarChart()
        self.mix = DonutChart()
        self.rate = RateRing()
        charts = QHBoxLayout()
        for w, stretch in ((self.months, 5), (self.mix, 3), (self.rate, 2)):
            frame = QFrame()
            frame.setObjectName("dashCard")
            fl = QVBoxLayout(frame)
            fl.setContentsMargins(4, 4, 4, 4)
            fl.addWidget(w)
            charts.addWidget(frame, stretch)
        self.by_section = self._group_table("股室")
        self.by_handler = self._group_table("承办人")
        tabs = QTabWidget()
        tabs.addTab(self.by_section, "按承办股室")
        tabs.addTab(self.by_handler, "按承办人")
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.summary)
        lay.addLayout(charts, 3)
        lay.addWidget(tabs, 2)
        note = QLabel("办理用时按工作日计，自收到申请之日的次日起至答复之日（含征求意见等期间）；"
                      "按期＝答复日期不晚于答复期限。统计不含申请人个人信息。")
        note.setObjectName("hint")
        note.setWordWrap(True)
        lay.addWidget(note)

    def _group_table(self, first: str) -> QTableWidget:
        t = QTableWidget(0, 1 + len(self.GROUP_HEADERS))
        t.setHorizontalHeaderLabels([first, *self.GROUP_HEADERS])
        t.verticalHeader().hide()
        t.setEditTriggers(QAbstractItemView.NoEditTriggers)
        t.setAlternatingRowColors(True)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        return t

    def refresh(self) -> None:
        year = self.year.year()
        if not year:
            return
        self.ctx.run_in_background(lambda: api.statistics(year), self._loaded, progress=True,
                                   title="正在统计", parent=self)

    def _loaded(self, st: api.Stats) -> None:
        if st.year != self.year.year():
            return
        self.st = st
        o = st.overall
        avg = "—" if o.avg_days is None else f"{o.avg_days:.1f}"
        mx = "—" if o.max_days is None else str(o.max_days)
        self.summary.setText(f"{st.year}年收到申请 <b>{o.received}</b> 件，答复 <b>{o.replied}</b> 件；"
                             f"平均办理 <b>{avg}</b> 个工作日，最长 <b>{mx}</b> 个工作日；"
                             f"本年收到尚未办结 <b>{o.open}</b> 件，其中已超期 <b>{o.overdue}</b> 件。")
        self.months.set_data(f"{st.year}年各月收到与答复件数", list(api.MONTHS),
                             [("收到", "#2b5797", st.received_by_month), ("答复", "#e07b39", st.replied_by_month)])
        self.mix.set_data("办理结果构成", [(label[3:], n) for label, n in st.outcome_groups])
        caption = f"按期答复 {o.on_time}/{o.with_due} 件" if o.with_due else "本年尚无答复"
        self.rate.set_data("按期答复率", o.on_time_rate, caption)
        self._fill(self.by_section, st.by_section)
        self._fill(self.by_handler, st.by_handler)
        self.loaded.emit(st.year)

    @staticmethod
    def _fill(t: QTableWidget, groups) -> None:
        t.setRowCount(len(groups))
        for r, g in enumerate(groups):
            vals = [g.name, g.received, g.replied, g.on_time,
                    "—" if g.on_time_rate is None else f"{g.on_time_rate:.1%}",
                    "—" if g.avg_days is None else f"{g.avg_days:.1f}",
                    "—" if g.max_days is None else g.max_days, g.open, g.overdue]
            for c, v in enumerate(vals):
                it = QTableWidgetItem(str(v))
                it.setTextAlignment((Qt.AlignLeft if c == 0 else Qt.AlignCenter) | Qt.AlignVCenter)
                t.setItem(r, c, it)

    def ask_export(self) -> None:
        if self.st is None:
            return
        path = ask_save_path(self, "导出统计", f"{self.st.year}年办理统计.xlsx", "Excel 工作簿 (*.xlsx)")
        if path:
            self.export(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def export(self, path: str) -> None:
        st = self.st
        self.ctx.run_in_background(lambda: api.export_statistics(st, path),
                                   lambda p: messages.info(self, "已导出", f"统计已导出到：\n{p}"),
                                   progress=True, title="正在导出统计", parent=self)


# ====================================================================== 年度复查
