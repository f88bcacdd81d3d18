"""统计报表: the annual report (tables 二/三/四, reconciliation, drill-down, export), the
ledger (台账) export and import, statistics drawn as charts, and the two yearly reviews.

Everything is computed by ``gkdesk.reports`` (no SQL here); anything that may take a while
runs through ``ctx.run_in_background`` with a progress dialog and 取消.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

from PySide6.QtCore import QDate, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QFileDialog, QFrame, QGridLayout, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QListWidget, QListWidgetItem, QPushButton, QSizePolicy, QSplitter, QTabWidget,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from gkdesk.cases import deadlines, query
from gkdesk.domain import outcomes, terms
from gkdesk.reports import annual, annual_xlsx, ledger, reviews, stats
from gkdesk.ui.dialogs import messages

CASE_ID_ROLE = Qt.UserRole + 1
CELL_ROLE = Qt.UserRole + 2
DRILL_LIMIT = 500
HEADER_BG = QColor("#eef1f6")
LABEL_BG = QColor("#f7f9fc")
OK_STYLE = ("background:#e8f5e9; color:#1b5e20; border:1px solid #b7dfb9; border-radius:4px;"
            " padding:6px 10px;")
BAD_STYLE = ("background:#fdecea; color:#8a1c12; border:1px solid #f5c2bd; border-radius:4px;"
             " padding:6px 10px;")
PALETTE = ("#2b5797", "#e07b39", "#3a9d5d", "#c0392b", "#8e6bbf", "#7a8599", "#d4a017", "#16a2b8")


def create_page(ctx, parent):
    return ReportsPage(ctx, parent)


def default_year(today: dt.date | None = None) -> int:
    """The year an office is most likely reporting on: last year until the report is due
    (31 March), this year afterwards."""
    today = today or deadlines.today()
    return today.year - 1 if today.month <= 3 else today.year


def _year_choices() -> list[int]:
    this = deadlines.today().year
    years = set(query.years()) | {this, this - 1}
    return sorted(years, reverse=True)


def _item(text, *, editable=False, align=Qt.AlignCenter, bg: QColor | None = None, bold=False,
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


def _grid(rows: int, cols: int) -> QTableWidget:
    t = QTableWidget(rows, cols)
    t.horizontalHeader().hide()
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.setSelectionMode(QAbstractItemView.SingleSelection)
    t.setWordWrap(True)
    t.setShowGrid(True)
    t.setStyleSheet("QTableWidget { gridline-color: #9aa3b2; }")
    return t


def _save_path(parent, title: str, suggested: str, filt: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filt)
    return path


# ====================================================================== charts

def _chart_frame(widget: QWidget, title: str):
    """Start painting a chart card: white background, bold title; returns the painter,
    the content rectangle and the font metrics."""
    p = QPainter(widget)
    p.setRenderHint(QPainter.Antialiasing)
    p.fillRect(widget.rect(), QColor("#ffffff"))
    r = widget.rect().adjusted(8, 8, -8, -8)
    fm = p.fontMetrics()
    bold = QFont(p.font())
    bold.setBold(True)
    p.setFont(bold)
    p.setPen(QColor("#23395d"))
    p.drawText(QRectF(r.left(), r.top(), r.width(), fm.height() + 4), Qt.AlignLeft | Qt.AlignVCenter, title)
    p.setFont(widget.font())
    return p, r, fm


class BarChart(QWidget):
    """Grouped bars per category (e.g. months), drawn with QPainter."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.categories: list[str] = []
        self.series: list[tuple[str, QColor, list[int]]] = []
        self.title = ""
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_data(self, title: str, categories: list[str], series: list[tuple[str, str, list[int]]]) -> None:
        self.title = title
        self.categories = list(categories)
        self.series = [(name, QColor(color), list(values)) for name, color, values in series]
        self.setToolTip("\n".join(
            f"{c}：" + "，".join(f"{n} {v[i]}" for n, _c, v in self.series) for i, c in enumerate(self.categories)))
        self.update()

    @staticmethod
    def nice_max(v: int) -> int:
        if v <= 5:
            return 5
        mag = 10 ** int(math.floor(math.log10(v)))
        for step in (1, 2, 2.5, 5, 10):
            top = step * mag
            if top >= v:
                return int(math.ceil(top))
        return v

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        p, r, fm = _chart_frame(self, self.title)
        # legend
        x = r.right()
        for name, color, _v in reversed(self.series):
            w = fm.horizontalAdvance(name)
            x -= w
            p.setPen(QColor("#374151"))
            p.drawText(QRectF(x, r.top(), w + 2, fm.height() + 4), Qt.AlignVCenter, name)
            x -= 16
            p.fillRect(QRectF(x, r.top() + 5, 11, 11), color)
            x -= 14
        top = r.top() + fm.height() + 14
        left = r.left() + fm.horizontalAdvance("00000") + 6
        bottom = r.bottom() - fm.height() - 6
        right = r.right()
        if not self.categories or bottom - top < 20:
            p.end()
            return
        vmax = self.nice_max(max([max(v) if v else 0 for _n, _c, v in self.series] + [0]))
        plot_h = bottom - top
        p.setPen(QPen(QColor("#e5e7eb"), 1))
        for i in range(6):
            y = bottom - plot_h * i / 5
            p.drawLine(QPointF(left, y), QPointF(right, y))
            p.setPen(QColor("#6b7280"))
            label = f"{vmax * i / 5:g}"
            p.drawText(QRectF(r.left(), y - fm.height() / 2, left - r.left() - 6, fm.height()),
                       Qt.AlignRight | Qt.AlignVCenter, label)
            p.setPen(QPen(QColor("#e5e7eb"), 1))
        n = len(self.categories)
        slot = (right - left) / n
        k = max(1, len(self.series))
        bar_w = max(2.0, slot * 0.72 / k)
        for i, cat in enumerate(self.categories):
            x0 = left + slot * i + (slot - bar_w * k) / 2
            for s, (_name, color, values) in enumerate(self.series):
                v = values[i] if i < len(values) else 0
                h = plot_h * v / vmax if vmax else 0
                rect = QRectF(x0 + s * bar_w, bottom - h, bar_w - 1, h)
                p.fillRect(rect, color)
                if v and bar_w >= fm.horizontalAdvance(str(v)) - 2:
                    p.setPen(QColor("#374151"))
                    p.drawText(QRectF(rect.left() - 6, rect.top() - fm.height() - 1, rect.width() + 12, fm.height()),
                               Qt.AlignCenter, str(v))
            p.setPen(QColor("#374151"))
            p.drawText(QRectF(left + slot * i, bottom + 3, slot, fm.height() + 2), Qt.AlignCenter, cat)
        p.setPen(QPen(QColor("#9aa3b2"), 1))
        p.drawLine(QPointF(left, bottom), QPointF(right, bottom))
        p.end()


class DonutChart(QWidget):
    """Shares of a whole (the outcome mix) as a ring with a legend."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.slices: list[tuple[str, int, QColor]] = []
        self.title = ""
        self.setMinimumSize(320, 220)

    def set_data(self, title: str, slices: list[tuple[str, int]]) -> None:
        self.title = title
        self.slices = [(label, n, QColor(PALETTE[i % len(PALETTE)])) for i, (label, n) in enumerate(slices)]
        total = sum(n for _l, n, _c in self.slices)
        self.setToolTip("\n".join(f"{l}：{n}件" + (f"（{n / total:.1%}）" if total else "") for l, n, _c in self.slices))
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        p, r, fm = _chart_frame(self, self.title)
        total = sum(n for _l, n, _c in self.slices)
        top = r.top() + fm.height() + 10
        d = max(40, min(r.height() - (top - r.top()), r.width() * 0.45))
        ring = QRectF(r.left() + 4, top, d, d)
        if total == 0:
            p.setPen(QPen(QColor("#d6dbe3"), d * 0.18))
            p.drawEllipse(ring.adjusted(d * 0.09, d * 0.09, -d * 0.09, -d * 0.09))
            p.setPen(QColor("#6b7280"))
            p.drawText(ring, Qt.AlignCenter, "暂无数据")
        else:
            start = 90 * 16
            for _label, n, color in self.slices:
                span = -int(round(360 * 16 * n / total))
                if n:
                    p.setPen(Qt.NoPen)
                    p.setBrush(color)
                    p.drawPie(ring, start, span)
                start += span
            hole = ring.adjusted(d * 0.22, d * 0.22, -d * 0.22, -d * 0.22)
            p.setBrush(QColor("#ffffff"))
            p.drawEllipse(hole)
            p.setPen(QColor("#23395d"))
            bold = QFont(self.font())
            bold.setBold(True)
            p.setFont(bold)
            p.drawText(hole, Qt.AlignCenter, f"{total}\n件")
            p.setFont(self.font())
        # legend
        lx = ring.right() + 16
        ly = top
        for label, n, color in self.slices:
            p.fillRect(QRectF(lx, ly + 4, 11, 11), color)
            p.setPen(QColor("#374151"))
            share = f"  {n / total:.0%}" if total else ""
            p.drawText(QRectF(lx + 16, ly, r.right() - lx - 16, fm.height() + 4), Qt.AlignVCenter,
                       f"{label}  {n}件{share}")
            ly += fm.height() + 8
        p.end()


class RateRing(QWidget):
    """One proportion (the on-time rate) as a ring with the percentage inside."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.value: float | None = None
        self.caption = ""
        self.title = ""
        self.setMinimumSize(200, 220)

    def set_data(self, title: str, value: float | None, caption: str) -> None:
        self.title, self.value, self.caption = title, value, caption
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        p, r, fm = _chart_frame(self, self.title)
        top = r.top() + fm.height() + 10
        d = max(40, min(r.width() - 10, r.height() - (top - r.top()) - fm.height() - 10))
        ring = QRectF(r.center().x() - d / 2, top, d, d)
        w = d * 0.13
        inner = ring.adjusted(w / 2, w / 2, -w / 2, -w / 2)
        p.setPen(QPen(QColor("#e5e7eb"), w, Qt.SolidLine, Qt.FlatCap))
        p.drawArc(inner, 0, 360 * 16)
        if self.value is not None:
            color = QColor("#3a9d5d") if self.value >= 0.95 else QColor("#d99a00") if self.value >= 0.8 \
                else QColor("#c0392b")
            p.setPen(QPen(color, w, Qt.SolidLine, Qt.FlatCap))
            p.drawArc(inner, 90 * 16, -int(round(360 * 16 * self.value)))
            big = QFont(self.font())
            big.setPointSizeF(max(self.font().pointSizeF() * 2, 16))
            big.setBold(True)
            p.setFont(big)
            p.setPen(color)
            p.drawText(ring, Qt.AlignCenter, f"{self.value:.1%}")
        else:
            p.setPen(QColor("#6b7280"))
            p.drawText(ring, Qt.AlignCenter, "暂无答复")
        p.setFont(self.font())
        p.setPen(QColor("#374151"))
        p.drawText(QRectF(r.left(), ring.bottom() + 4, r.width(), fm.height() + 4), Qt.AlignCenter, self.caption)
        p.end()


# ====================================================================== shared bits

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
        for y in _year_choices():
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
        rows = query.list_cases(query.CaseFilter(ids=tuple(ids[:DRILL_LIMIT])), sort="received",
                                descending=False, limit=DRILL_LIMIT) if ids else []
        self.setRowCount(len(rows))
        for r, c in enumerate(rows):
            o = outcomes.OUTCOMES.get(c["outcome"]) if c["outcome"] else None
            vals = (c["number"], terms.label_of(terms.APPLICANT_KINDS, c["applicant_kind"]),
                    c["received_date"].isoformat() if c["received_date"] else "",
                    c["reply_date"].isoformat() if c["reply_date"] else "",
                    o.label if o else (c["outcome"] or ""), terms.label_of(terms.STAGES, c["stage"]),
                    query.summary(c["content"]))
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


# ====================================================================== 年度报告

class AnnualTab(QWidget):
    loaded = Signal(int)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.data: dict | None = None
        self.problems: list = []
        self.loaded_year: int | None = None
        self.drill_ids: list[int] = []
        self.drill_title = ""

        self.year = YearCombo()
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton("重新计算")
        self.refresh_button.clicked.connect(self.refresh)
        self.xlsx_button = QPushButton("导出 Excel…")
        self.xlsx_button.setObjectName("primaryButton")
        self.pdf_button = QPushButton("导出 PDF…")
        self.json_button = QPushButton("导出 JSON…")
        self.xlsx_button.clicked.connect(lambda: self.ask_export("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.ask_export("pdf"))
        self.json_button.clicked.connect(lambda: self.ask_export("json"))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度："))
        bar.addWidget(self.year)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        for b in (self.xlsx_button, self.pdf_button, self.json_button):
            bar.addWidget(b)

        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.problem_list = QListWidget()
        self.problem_list.setMaximumHeight(120)
        self.problem_list.hide()
        self.problem_list.itemDoubleClicked.connect(self._open_problem)

        # tables
        self.t3 = self._build_table3()
        self.t4 = self._build_table4()
        self.t2 = self._build_table2()
        self.t2_save = QPushButton("保存表二")
        self.t2_save.setEnabled(False)
        self.t2_save.clicked.connect(self.save_table2)
        self.t2_status = QLabel("表二由本机关填写（件数填整数，收费金额以万元计）。")
        self.t2_status.setObjectName("hint")
        t2box = QWidget()
        t2l = QVBoxLayout(t2box)
        t2l.setContentsMargins(0, 0, 0, 0)
        t2l.addWidget(self.t2, 1)
        row = QHBoxLayout()
        row.addWidget(self.t2_status, 1)
        row.addWidget(self.t2_save)
        t2l.addLayout(row)
        from gkdesk.ui.widgets.regulations import RegisterPanel

        # table 二 counted from the register of 规章 and 规范性文件 (gkdesk/ui/widgets/regulations.py)
        self.register_panel = RegisterPanel(ctx, lambda: self.loaded_year or self.year.year(), self)
        self.register_panel.applied.connect(lambda _y: self.refresh())
        t2l.addWidget(self.register_panel)

        self.tables = QTabWidget()
        self.tables.addTab(self.t3, "表三 收到和处理申请情况")
        self.tables.addTab(self.t4, "表四 行政复议、行政诉讼")
        self.tables.addTab(t2box, "表二 主动公开（填写）")

        self.drill_label = QLabel("点击表中任一数字，查看计入该数字的案件。")
        self.drill_label.setObjectName("hint")
        self.drill_label.setWordWrap(True)
        self.drill_list = CaseList(ctx)
        self.drill_all = QPushButton("在案件办理中查看全部")
        self.drill_all.hide()
        self.drill_all.clicked.connect(self._show_all_in_cases)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 0, 0, 0)
        rl.addWidget(self.drill_label)
        rl.addWidget(self.drill_list, 1)
        rl.addWidget(self.drill_all)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.tables)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([800, 300])

        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.status)
        lay.addWidget(self.problem_list)
        lay.addWidget(split, 1)
        note = QLabel(annual.COUNTING_NOTES[0])
        note.setObjectName("hint")
        note.setWordWrap(True)
        lay.addWidget(note)
        self.t3.cellClicked.connect(lambda r, c: self._drill(self.t3, r, c))
        self.t4.cellClicked.connect(lambda r, c: self._drill(self.t4, r, c))
        self.t2.itemChanged.connect(self._t2_edited)

    # ---------------------------------------------------------------- building grids
    def _build_table3(self) -> QTableWidget:
        layout = annual.table3_layout()
        ncol = 3 + len(annual.TABLE3_COLUMNS)
        t = _grid(3 + len(layout), ncol)
        t.setObjectName("table3")
        t.setItem(0, 0, _item(annual.HEADER_NOTE, bg=HEADER_BG))
        t.setSpan(0, 0, 3, 3)
        t.setItem(0, 3, _item(annual.HEADER_APPLICANTS, bg=HEADER_BG, bold=True))
        t.setSpan(0, 3, 1, 7)
        t.setItem(1, 3, _item(annual.NATURAL_COLUMN, bg=HEADER_BG, bold=True))
        t.setSpan(1, 3, 2, 1)
        t.setItem(1, 4, _item(annual.HEADER_ORGANISATIONS, bg=HEADER_BG, bold=True))
        t.setSpan(1, 4, 1, 5)
        for i, label in enumerate(annual.ORG_COLUMNS):
            t.setItem(2, 4 + i, _item(label, bg=HEADER_BG, bold=True))
        t.setItem(1, 9, _item(annual.TOTAL_COLUMN, bg=HEADER_BG, bold=True))
        t.setSpan(1, 9, 2, 1)
        spans: dict[tuple[int, str], list[int]] = {}
        self.t3_rows: dict[str, int] = {}
        for i, lr in enumerate(layout):
            r = 3 + i
            self.t3_rows[lr.key] = r
            left = Qt.AlignLeft
            if lr.section != annual.RESULTS_HEADING:
                t.setItem(r, 0, _item(lr.label, align=left, bg=LABEL_BG))
                t.setSpan(r, 0, 1, 3)
            elif lr.group is None:
                t.setItem(r, 1, _item(lr.label, align=left, bg=LABEL_BG))
                t.setSpan(r, 1, 1, 2)
                spans.setdefault((0, lr.section), []).append(r)
            else:
                t.setItem(r, 2, _item(lr.label, align=left, bg=LABEL_BG))
                spans.setdefault((0, lr.section), []).append(r)
                spans.setdefault((1, lr.group), []).append(r)
            for j, col in enumerate(annual.TABLE3_COLUMNS):
                t.setItem(r, 3 + j, _item("", data=("t3", lr.key, col)))
        for (col, label), rows in spans.items():
            text = "\n".join(label) if col == 0 else label
            t.setItem(min(rows), col, _item(text, bg=LABEL_BG))
            t.setSpan(min(rows), col, len(rows), 1)
        t.setColumnWidth(0, 30)
        t.setColumnWidth(1, 84)
        t.setColumnWidth(2, 250)
        for j in range(len(annual.TABLE3_COLUMNS)):
            t.setColumnWidth(3 + j, 60)
        t.setRowHeight(0, 26)
        t.setRowHeight(1, 26)
        t.setRowHeight(2, 44)                 # 社会公益组织 / 法律服务机构 wrap onto two lines
        for i, lr in enumerate(layout):
            t.setRowHeight(3 + i, 40 if len(lr.label) > 21 else 24)
        return t

    def _build_table4(self) -> QTableWidget:
        n = len(annual.TABLE4_COLUMNS)
        t = _grid(4, 3 * n)
        t.setObjectName("table4")
        t.setItem(0, 0, _item(annual.RECONSIDERATION, bg=HEADER_BG, bold=True))
        t.setSpan(0, 0, 1, n)
        t.setItem(0, n, _item(annual.LITIGATION, bg=HEADER_BG, bold=True))
        t.setSpan(0, n, 1, 2 * n)
        for i, col in enumerate(annual.TABLE4_COLUMNS):
            t.setItem(1, i, _item(col, bg=HEADER_BG, bold=True))
            t.setSpan(1, i, 2, 1)
        for g, key in enumerate(annual.TABLE4_KEYS[1:]):
            start = n * (g + 1)
            t.setItem(1, start, _item(key.split("/", 1)[1], bg=HEADER_BG, bold=True))
            t.setSpan(1, start, 1, n)
            for i, col in enumerate(annual.TABLE4_COLUMNS):
                t.setItem(2, start + i, _item(col, bg=HEADER_BG, bold=True))
        for g, key in enumerate(annual.TABLE4_KEYS):
            for i, col in enumerate(annual.TABLE4_COLUMNS):
                t.setItem(3, g * n + i, _item("", data=("t4", key, col)))
        for c in range(3 * n):
            t.setColumnWidth(c, 70)
        for r in range(4):
            t.setRowHeight(r, 28)
        return t

    def _build_table2(self) -> QTableWidget:
        cells = annual.TABLE2
        nrows = sum(2 + len(s.rows) for s in cells)
        t = _grid(nrows, 4)
        t.setObjectName("table2")
        t.setEditTriggers(QAbstractItemView.AllEditTriggers)
        self.t2_cells: dict[tuple[int, int], tuple[str, str]] = {}
        r = 0
        for sec in cells:
            t.setItem(r, 0, _item(sec.heading, bg=HEADER_BG, bold=True))
            t.setSpan(r, 0, 1, 4)
            r += 1
            t.setItem(r, 0, _item(annual.TABLE2_CONTENT_HEADER, bg=HEADER_BG, bold=True))
            if len(sec.columns) == 1:
                t.setItem(r, 1, _item(sec.columns[0], bg=HEADER_BG, bold=True))
                t.setSpan(r, 1, 1, 3)
            else:
                for i, c in enumerate(sec.columns):
                    t.setItem(r, 1 + i, _item(c, bg=HEADER_BG, bold=True))
            r += 1
            for row in sec.rows:
                t.setItem(r, 0, _item(row, bg=LABEL_BG))
                if len(sec.columns) == 1:
                    t.setItem(r, 1, _item("", editable=True, data=("t2", row, sec.columns[0])))
                    t.setSpan(r, 1, 1, 3)
                    self.t2_cells[(r, 1)] = (row, sec.columns[0])
                else:
                    for i, c in enumerate(sec.columns):
                        t.setItem(r, 1 + i, _item("", editable=True, data=("t2", row, c)))
                        self.t2_cells[(r, 1 + i)] = (row, c)
                r += 1
        t.setColumnWidth(0, 160)
        for c in (1, 2, 3):
            t.setColumnWidth(c, 150)
        return t

    # ---------------------------------------------------------------- loading
    def refresh(self) -> None:
        year = self.year.year()
        if not year:
            return
        self.status.setText(f"正在计算{year}年度报告……")
        self.status.setStyleSheet("")

        def job():
            t3 = annual.table3(year)
            return {"year": year, "table3": t3, "table4": annual.table4(year), "table2": annual.table2(year),
                    "problems": annual.check(year, t3)}

        self.ctx.run_in_background(job, self._loaded, progress=True, title="正在计算年度报告", parent=self)

    def _loaded(self, data: dict) -> None:
        if data["year"] != self.year.year():
            return
        self.data = data
        self.problems = data["problems"]
        self.loaded_year = data["year"]
        t3, t4 = data["table3"], data["table4"]
        for key, r in self.t3_rows.items():
            for j, col in enumerate(annual.TABLE3_COLUMNS):
                self.t3.item(r, 3 + j).setText(str(t3[key][col]))
        n = len(annual.TABLE4_COLUMNS)
        for g, key in enumerate(annual.TABLE4_KEYS):
            for i, col in enumerate(annual.TABLE4_COLUMNS):
                self.t4.item(3, g * n + i).setText(str(t4[key][col]))
        self.t2.blockSignals(True)
        for (r, c), (row, col) in self.t2_cells.items():
            v = data["table2"][row][col]
            self.t2.item(r, c).setText("" if v is None else str(v))
        self.t2.blockSignals(False)
        self.t2_save.setEnabled(False)
        self.problem_list.clear()
        if self.problems:
            self.status.setText(f"核对发现 {len(self.problems)} 个问题，须更正后才能导出（双击问题打开案件）：")
            self.status.setStyleSheet(BAD_STYLE)
            for p in self.problems:
                it = QListWidgetItem(str(p))
                it.setData(CASE_ID_ROLE, p.case_id)
                self.problem_list.addItem(it)
            self.problem_list.show()
        else:
            total = t3[annual.ROW_NEW][annual.TOTAL_COLUMN] + t3[annual.ROW_CARRIED_IN][annual.TOTAL_COLUMN]
            self.status.setText(f"核对通过：各列“第一项＋第二项＝第三项（七）＋第四项”均相符"
                                f"（总计 {total} 件），可以导出。")
            self.status.setStyleSheet(OK_STYLE)
            self.problem_list.hide()
        for b in (self.xlsx_button, self.pdf_button):
            b.setEnabled(not self.problems)
        self.loaded.emit(data["year"])
        self.register_panel.show_year(data["year"])

    # ---------------------------------------------------------------- drill-down
    def _drill(self, table: QTableWidget, r: int, c: int) -> None:
        it = table.item(r, c)
        data = it.data(CELL_ROLE) if it is not None else None
        if not data or self.loaded_year is None:
            return
        _t, key, col = data
        self.drill(key, col)

    def drill(self, key: str, column: str) -> list[int]:
        year = self.loaded_year
        ids = annual.cases_in(year, key, column)
        self.drill_ids = ids
        self.drill_title = f"{year}年 {key} — {column}"
        more = f"，仅列出前{DRILL_LIMIT}件" if len(ids) > DRILL_LIMIT else ""
        self.drill_label.setText(f"{self.drill_title}：共 {len(ids)} 件{more}（双击打开案件）")
        self.drill_list.show_ids(ids)
        self.drill_all.setVisible(bool(ids))
        return ids

    def _show_all_in_cases(self) -> None:
        if self.drill_ids:
            self.ctx.show_page("cases", filter=query.CaseFilter(ids=tuple(self.drill_ids)),
                               title=self.drill_title)

    def _open_problem(self, item: QListWidgetItem) -> None:
        cid = item.data(CASE_ID_ROLE)
        if cid:
            self.ctx.open_case(int(cid))

    # ---------------------------------------------------------------- table 二
    def _t2_edited(self, _item) -> None:
        self.t2_save.setEnabled(True)
        self.t2_status.setText("有未保存的修改")

    def table2_values(self) -> dict:
        return {(row, col): self.t2.item(r, c).text() for (r, c), (row, col) in self.t2_cells.items()}

    def save_table2(self) -> bool:
        year = self.loaded_year or self.year.year()
        try:
            changed = annual.save_table2(year, self.table2_values(), self.ctx.actor)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            self.ctx.show_error(exc, self)
            return False
        self.t2_save.setEnabled(False)
        self.t2_status.setText(f"已保存（{len(changed)}项有变化）" if changed else "已保存（无变化）")
        return True

    # ---------------------------------------------------------------- export
    def ask_export(self, kind: str) -> None:
        year = self.loaded_year or self.year.year()
        filters = {"xlsx": "Excel 工作簿 (*.xlsx)", "pdf": "PDF 文件 (*.pdf)", "json": "JSON (*.json)"}
        path = _save_path(self, "导出年度报告", f"{year}年政府信息公开工作年度报告（表二至表四）.{kind}", filters[kind])
        if path:
            if not path.lower().endswith(f".{kind}"):
                path += f".{kind}"
            self.export(path)

    def export(self, path: str) -> None:
        year = self.loaded_year or self.year.year()
        if self.t2_save.isEnabled() and not self.save_table2():
            return

        def job():
            if path.lower().endswith(".json"):
                from gkdesk.fileio import atomic_write

                atomic_write(path, json.dumps(annual.report(year), ensure_ascii=False, indent=1).encode("utf-8"))
                return Path(path)
            return annual_xlsx.export(year, path)

        self.ctx.run_in_background(job, lambda p: self._exported(p), self._export_failed, progress=True,
                                   title="正在导出年度报告", parent=self)

    def _exported(self, path) -> None:
        self.last_export = Path(path)
        messages.info(self, "已导出", f"年度报告已导出到：\n{path}")

    def _export_failed(self, exc) -> None:
        if isinstance(exc, annual_xlsx.ReportCheckError):
            messages.error(self, "未导出", f"{exc.year}年度报告核对未通过，未导出：\n"
                           + "\n".join(f"• {p}" for p in exc.problems[:20])
                           + (f"\n……共{len(exc.problems)}个问题" if len(exc.problems) > 20 else ""))
            self.refresh()
        else:
            self.ctx.show_error(exc, self)


# ====================================================================== 台账

class LedgerTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.last_result = None
        self.last_export: Path | None = None

        exp = QGroupBox("导出台账")
        self.from_date = QDateEdit()
        self.to_date = QDateEdit()
        for w in (self.from_date, self.to_date):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        y = deadlines.today().year
        self.from_date.setDate(QDate(y, 1, 1))
        self.to_date.setDate(QDate(y, 12, 31))
        self.period = QComboBox()
        self.period.addItem("按收到申请日期", "range")
        self.period.addItem("全部案件", "all")
        self.period.currentIndexChanged.connect(self._period_changed)
        self.export_button = QPushButton("导出台账…")
        self.export_button.setObjectName("primaryButton")
        self.export_button.clicked.connect(self.ask_export)
        from gkdesk import privacy

        self.full_personal = QCheckBox("含完整证件号码和联系电话（记入审计）")
        self.full_personal.setToolTip("默认导出打码后的证件号码和联系电话；勾选需登记员或审核人权限")
        self.full_personal.setVisible(privacy.can_view_personal(self.ctx.actor))
        g = QGridLayout(exp)
        g.addWidget(QLabel("范围："), 0, 0)
        g.addWidget(self.period, 0, 1)
        g.addWidget(QLabel("自"), 0, 2)
        g.addWidget(self.from_date, 0, 3)
        g.addWidget(QLabel("至"), 0, 4)
        g.addWidget(self.to_date, 0, 5)
        g.addWidget(self.export_button, 0, 6)
        g.addWidget(self.full_personal, 1, 1, 1, 5)
        g.setColumnStretch(7, 1)
        hint = QLabel("列与“台账”格式一致：受理编号、申请人类型……备注；日期为 Excel 日期（yyyy-mm-dd）。")
        hint.setObjectName("hint")
        g.addWidget(hint, 1, 0, 1, 8)

        imp = QGroupBox("导入历史台账")
        self.import_button = QPushButton("选择台账文件并导入…")
        self.import_button.clicked.connect(self.ask_import)
        self.import_status = QLabel("整份文件检查无误才导入；有任何问题则一件也不导入，并列出每个问题所在的行和列。"
                                    "受理编号已存在的行保持不变，同一文件重复导入不会重复建案。")
        self.import_status.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setObjectName("ledgerProblems")
        il = QVBoxLayout(imp)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)
        il.addLayout(row)
        il.addWidget(self.import_status)
        il.addWidget(self.problems, 1)

        lay = QVBoxLayout(self)
        lay.addWidget(exp)
        lay.addWidget(imp, 1)

    def _period_changed(self, _i) -> None:
        on = self.period.currentData() == "range"
        self.from_date.setEnabled(on)
        self.to_date.setEnabled(on)

    def period_dates(self) -> tuple[dt.date | None, dt.date | None]:
        if self.period.currentData() == "all":
            return None, None
        return self.from_date.date().toPython(), self.to_date.date().toPython()

    def ask_export(self) -> None:
        a, b = self.period_dates()
        name = f"台账_{a.isoformat()}_{b.isoformat()}.xlsx" if a else "台账_全部.xlsx"
        path = _save_path(self, "导出台账", name, "Excel 工作簿 (*.xlsx)")
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self.export(path)

    def export(self, path: str) -> None:
        a, b = self.period_dates()

        def job(progress, cancelled):
            who = self.ctx.actor if self.full_personal.isChecked() else None
            return _cancellable(lambda: ledger.export_ledger(path, a, b, progress=progress, cancelled=cancelled,
                                                             personal_for=who))

        def done(n):
            self.last_export = Path(path)
            messages.info(self, "已导出", f"已导出 {n} 件案件到：\n{path}")

        self.ctx.run_in_background(job, done, progress=True, title="正在导出台账", parent=self)

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择要导入的台账", "", "Excel 工作簿 (*.xlsx *.xlsm)")
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        actor = self.ctx.actor
        self.problems.clear()
        self.import_status.setText(f"正在检查并导入“{Path(path).name}”……")
        self.import_status.setStyleSheet("")

        def job(progress, cancelled):
            return _cancellable(lambda: ledger.import_ledger(path, actor, progress=progress, cancelled=cancelled))

        # on the one writer thread: a clerk's action asked for meanwhile runs after the import
        self.ctx.run_in_background(job, self._imported, self._import_failed, progress=True,
                                   title="正在导入台账", parent=self, write=True, initiator=self,
                                   on_cancelled=lambda: self.import_status.setText("已取消，未作任何改动。"))

    def _imported(self, res) -> None:
        self.last_result = res
        self.import_status.setText(f"导入完成：{res.summary()}。")
        self.import_status.setStyleSheet(OK_STYLE)
        for w in res.warnings:
            self.problems.addItem(QListWidgetItem(f"提示：{w}"))

    def _import_failed(self, exc) -> None:
        from gkdesk.errors import ImportError_

        self.last_result = exc
        if isinstance(exc, ImportError_):
            self.import_status.setText(f"未导入，数据库未作任何改动。共 {len(exc.problems)} 个问题，请在文件中更正后重新导入：")
            self.import_status.setStyleSheet(BAD_STYLE)
            for p in exc.problems:
                self.problems.addItem(QListWidgetItem(p))
            for w in getattr(exc, "warnings", []):
                self.problems.addItem(QListWidgetItem(f"提示：{w}"))
        else:
            self.import_status.setText("未导入。")
            self.ctx.show_error(exc, self)


def _cancellable(fn):
    """Run a core job; its own Cancelled becomes the worker's, so the dialog just closes."""
    from gkdesk.ui.workers import Cancelled

    from gkdesk.reports import Cancelled as ReportCancelled

    try:
        return fn()
    except ReportCancelled:
        raise Cancelled() from None


# ====================================================================== 统计

class StatsTab(QWidget):
    loaded = Signal(int)

    GROUP_HEADERS = ("收到", "答复", "按期答复", "按期率", "平均办理（工作日）", "最长办理（工作日）", "未办结", "已超期")

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.st: stats.Stats | None = None
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
        self.ctx.run_in_background(lambda: stats.compute(year), self._loaded, progress=True,
                                   title="正在统计", parent=self)

    def _loaded(self, st: stats.Stats) -> None:
        if st.year != self.year.year():
            return
        self.st = st
        o = st.overall
        avg = "—" if o.avg_days is None else f"{o.avg_days:.1f}"
        mx = "—" if o.max_days is None else str(o.max_days)
        self.summary.setText(f"{st.year}年收到申请 <b>{o.received}</b> 件，答复 <b>{o.replied}</b> 件；"
                             f"平均办理 <b>{avg}</b> 个工作日，最长 <b>{mx}</b> 个工作日；"
                             f"本年收到尚未办结 <b>{o.open}</b> 件，其中已超期 <b>{o.overdue}</b> 件。")
        self.months.set_data(f"{st.year}年各月收到与答复件数", list(stats.MONTHS),
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
        path = _save_path(self, "导出统计", f"{self.st.year}年办理统计.xlsx", "Excel 工作簿 (*.xlsx)")
        if path:
            self.export(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def export(self, path: str) -> None:
        st = self.st
        self.ctx.run_in_background(lambda: stats.export_xlsx(st, path),
                                   lambda p: messages.info(self, "已导出", f"统计已导出到：\n{p}"),
                                   progress=True, title="正在导出统计", parent=self)


# ====================================================================== 年度复查

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
            return _cancellable(lambda: (key, reviews.withheld(year), reviews.frequent(year, cancelled=cancelled)))

        self.ctx.run_in_background(job, self._loaded, progress=True, title="正在生成年度复查清单", parent=self)

    def _loaded(self, result) -> None:
        key, items, groups = result
        if key != self.year.year():
            return
        self.items, self.groups = items, groups
        self.withheld.setRowCount(len(items))
        for r, it in enumerate(items):
            vals = (it.number, it.reply_date.isoformat() if it.reply_date else "", it.outcome_label, it.reason,
                    it.articles, query.summary(it.content, 60))
            for c, v in enumerate(vals):
                cell = QTableWidgetItem(v)
                cell.setData(CASE_ID_ROLE, it.case_id)
                self.withheld.setItem(r, c, cell)
        self.withheld.resizeColumnsToContents()
        self.withheld_count.setText(f"共 {len(items)} 件")
        self.frequent.setRowCount(len(groups))
        for r, g in enumerate(groups):
            vals = (str(g.size), str(g.applicants), "、".join(g.phrases), query.summary(g.sample, 60),
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
        path = _save_path(self, "导出", f"{year or '历年'}{'年' if year else ''}{name}.xlsx", "Excel 工作簿 (*.xlsx)")
        if path:
            self.export(kind, path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def export(self, kind: str, path: str) -> None:
        year = self._year()
        items, groups = self.items, self.groups

        def job():
            if kind == "withheld":
                return reviews.export_withheld(items, path, year)
            return reviews.export_frequent(groups, path, year)

        self.ctx.run_in_background(job, lambda p: messages.info(self, "已导出", f"已导出到：\n{p}"),
                                   progress=True, title="正在导出", parent=self)


# ====================================================================== the page

class ReportsPage(QWidget):
    """统计报表. ``navigate(tab="annual"|"ledger"|"stats"|"reviews", year=2025)``."""

    TABS = ("annual", "ledger", "stats", "reviews", "document", "units", "decisions")

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("reportsPage")
        title = QLabel("统计报表")
        title.setObjectName("pageTitle")
        self.annual = AnnualTab(ctx)
        self.ledger = LedgerTab(ctx)
        self.stats = StatsTab(ctx)
        self.reviews = ReviewsTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.annual, "年度报告")
        self.tabs.addTab(self.ledger, "台账")
        self.tabs.addTab(self.stats, "统计")
        self.tabs.addTab(self.reviews, "年度复查")
        from gkdesk.ui.pages.annual_document import AnnualDocumentTab, ReviewDecisionsTab, UnitReportsTab

        self.document = AnnualDocumentTab(ctx)
        self.units = UnitReportsTab(ctx)
        self.decisions = ReviewDecisionsTab(ctx)
        self.tabs.addTab(self.document, "年报正文")
        self.tabs.addTab(self.units, "单位年报核对汇总")
        self.tabs.addTab(self.decisions, "复查结论")
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(self.tabs, 1)
        self._stale = {t: True for t in self.TABS}
        self.tabs.currentChanged.connect(lambda _i: self.activate())
        ctx.changed.opDidExecute.connect(self.on_changes)

    def on_changes(self, changes, _initiator) -> None:
        if changes.case_list or changes.touches("calendar", "reports"):
            self._cases_changed()

    def _cases_changed(self) -> None:
        for t in self.TABS:
            self._stale[t] = True
        if self.isVisible():
            self.activate()

    def current_tab(self) -> str:
        return self.TABS[self.tabs.currentIndex()]

    def activate(self) -> None:
        key = self.current_tab()
        if not self._stale.get(key):
            return
        self._stale[key] = False
        if key == "annual":
            self.annual.year.fill()
            self.annual.refresh()
        elif key == "stats":
            self.stats.year.fill()
            self.stats.refresh()
        elif key == "reviews":
            self.reviews.year.fill()
            self.reviews.refresh()
        elif key == "document":
            self.document.load()
        elif key == "decisions":
            self.decisions.refresh()

    def navigate(self, tab: str | None = None, year: int | None = None, **_ignored) -> None:
        if tab in self.TABS:
            self.tabs.setCurrentIndex(self.TABS.index(tab))
        if year:
            w = {"annual": self.annual, "stats": self.stats, "reviews": self.reviews, "document": self.document,
                 "decisions": self.decisions}.get(self.current_tab())
            if w is not None:
                w.year.set_year(year)
        self.activate()
