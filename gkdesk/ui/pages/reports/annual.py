"""年度报告 tab: tables 二/三/四, the reconciliation, drill-down into the cases, export."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout,
    QLabel, QListWidget, QListWidgetItem, QPushButton, QSplitter, QTabWidget,
    QTableWidget, QVBoxLayout, QWidget,
)

from gkdesk.api import reports as api
from gkdesk.api.cases import CaseFilter
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets.report_bits import BAD_STYLE, CASE_ID_ROLE, CELL_ROLE, CaseList, DRILL_LIMIT, HEADER_BG, LABEL_BG, OK_STYLE, YearCombo, ask_save_path, cell_item, grid_table



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
        self.t2_save.clicked.connect(lambda: self.save_table2())
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
        note = QLabel(api.COUNTING_NOTES[0])
        note.setObjectName("hint")
        note.setWordWrap(True)
        lay.addWidget(note)
        self.t3.cellClicked.connect(lambda r, c: self._drill(self.t3, r, c))
        self.t4.cellClicked.connect(lambda r, c: self._drill(self.t4, r, c))
        self.t2.itemChanged.connect(self._t2_edited)

    # ---------------------------------------------------------------- building grids
    def _build_table3(self) -> QTableWidget:
        layout = api.table3_layout()
        ncol = 3 + len(api.TABLE3_COLUMNS)
        t = grid_table(3 + len(layout), ncol)
        t.setObjectName("table3")
        t.setItem(0, 0, cell_item(api.HEADER_NOTE, bg=HEADER_BG))
        t.setSpan(0, 0, 3, 3)
        t.setItem(0, 3, cell_item(api.HEADER_APPLICANTS, bg=HEADER_BG, bold=True))
        t.setSpan(0, 3, 1, 7)
        t.setItem(1, 3, cell_item(api.NATURAL_COLUMN, bg=HEADER_BG, bold=True))
        t.setSpan(1, 3, 2, 1)
        t.setItem(1, 4, cell_item(api.HEADER_ORGANISATIONS, bg=HEADER_BG, bold=True))
        t.setSpan(1, 4, 1, 5)
        for i, label in enumerate(api.ORG_COLUMNS):
            t.setItem(2, 4 + i, cell_item(label, bg=HEADER_BG, bold=True))
        t.setItem(1, 9, cell_item(api.TOTAL_COLUMN, bg=HEADER_BG, bold=True))
        t.setSpan(1, 9, 2, 1)
        spans: dict[tuple[int, str], list[int]] = {}
        self.t3_rows: dict[str, int] = {}
        for i, lr in enumerate(layout):
            r = 3 + i
            self.t3_rows[lr.key] = r
            left = Qt.AlignLeft
            if lr.section != api.RESULTS_HEADING:
                t.setItem(r, 0, cell_item(lr.label, align=left, bg=LABEL_BG))
                t.setSpan(r, 0, 1, 3)
            elif lr.group is None:
                t.setItem(r, 1, cell_item(lr.label, align=left, bg=LABEL_BG))
                t.setSpan(r, 1, 1, 2)
                spans.setdefault((0, lr.section), []).append(r)
            else:
                t.setItem(r, 2, cell_item(lr.label, align=left, bg=LABEL_BG))
                spans.setdefault((0, lr.section), []).append(r)
                spans.setdefault((1, lr.group), []).append(r)
            for j, col in enumerate(api.TABLE3_COLUMNS):
                t.setItem(r, 3 + j, cell_item("", data=("t3", lr.key, col)))
        for (col, label), rows in spans.items():
            text = "\n".join(label) if col == 0 else label
            t.setItem(min(rows), col, cell_item(text, bg=LABEL_BG))
            t.setSpan(min(rows), col, len(rows), 1)
        t.setColumnWidth(0, 30)
        t.setColumnWidth(1, 84)
        t.setColumnWidth(2, 250)
        for j in range(len(api.TABLE3_COLUMNS)):
            t.setColumnWidth(3 + j, 60)
        t.setRowHeight(0, 26)
        t.setRowHeight(1, 26)
        t.setRowHeight(2, 44)                 # 社会公益组织 / 法律服务机构 wrap onto two lines
        for i, lr in enumerate(layout):
            t.setRowHeight(3 + i, 40 if len(lr.label) > 21 else 24)
        return t

    def _build_table4(self) -> QTableWidget:
        n = len(api.TABLE4_COLUMNS)
        t = grid_table(4, 3 * n)
        t.setObjectName("table4")
        t.setItem(0, 0, cell_item(api.RECONSIDERATION, bg=HEADER_BG, bold=True))
        t.setSpan(0, 0, 1, n)
        t.setItem(0, n, cell_item(api.LITIGATION, bg=HEADER_BG, bold=True))
        t.setSpan(0, n, 1, 2 * n)
        for i, col in enumerate(api.TABLE4_COLUMNS):
            t.setItem(1, i, cell_item(col, bg=HEADER_BG, bold=True))
            t.setSpan(1, i, 2, 1)
        for g, key in enumerate(api.TABLE4_KEYS[1:]):
            start = n * (g + 1)
            t.setItem(1, start, cell_item(key.split("/", 1)[1], bg=HEADER_BG, bold=True))
            t.setSpan(1, start, 1, n)
            for i, col in enumerate(api.TABLE4_COLUMNS):
                t.setItem(2, start + i, cell_item(col, bg=HEADER_BG, bold=True))
        for g, key in enumerate(api.TABLE4_KEYS):
            for i, col in enumerate(api.TABLE4_COLUMNS):
                t.setItem(3, g * n + i, cell_item("", data=("t4", key, col)))
        for c in range(3 * n):
            t.setColumnWidth(c, 70)
        for r in range(4):
            t.setRowHeight(r, 28)
        return t

    def _build_table2(self) -> QTableWidget:
        cells = api.TABLE2
        nrows = sum(2 + len(s.rows) for s in cells)
        t = grid_table(nrows, 4)
        t.setObjectName("table2")
        t.setEditTriggers(QAbstractItemView.AllEditTriggers)
        self.t2_cells: dict[tuple[int, int], tuple[str, str]] = {}
        r = 0
        for sec in cells:
            t.setItem(r, 0, cell_item(sec.heading, bg=HEADER_BG, bold=True))
            t.setSpan(r, 0, 1, 4)
            r += 1
            t.setItem(r, 0, cell_item(api.TABLE2_CONTENT_HEADER, bg=HEADER_BG, bold=True))
            if len(sec.columns) == 1:
                t.setItem(r, 1, cell_item(sec.columns[0], bg=HEADER_BG, bold=True))
                t.setSpan(r, 1, 1, 3)
            else:
                for i, c in enumerate(sec.columns):
                    t.setItem(r, 1 + i, cell_item(c, bg=HEADER_BG, bold=True))
            r += 1
            for row in sec.rows:
                t.setItem(r, 0, cell_item(row, bg=LABEL_BG))
                if len(sec.columns) == 1:
                    t.setItem(r, 1, cell_item("", editable=True, data=("t2", row, sec.columns[0])))
                    t.setSpan(r, 1, 1, 3)
                    self.t2_cells[(r, 1)] = (row, sec.columns[0])
                else:
                    for i, c in enumerate(sec.columns):
                        t.setItem(r, 1 + i, cell_item("", editable=True, data=("t2", row, c)))
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
            return api.annual_tables(year)

        self.ctx.run_in_background(job, self._loaded, progress=True, title="正在计算年度报告", parent=self)

    def _loaded(self, data: dict) -> None:
        if data["year"] != self.year.year():
            return
        self.data = data
        self.problems = data["problems"]
        self.loaded_year = data["year"]
        t3, t4 = data["table3"], data["table4"]
        for key, r in self.t3_rows.items():
            for j, col in enumerate(api.TABLE3_COLUMNS):
                self.t3.item(r, 3 + j).setText(str(t3[key][col]))
        n = len(api.TABLE4_COLUMNS)
        for g, key in enumerate(api.TABLE4_KEYS):
            for i, col in enumerate(api.TABLE4_COLUMNS):
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
            total = t3[api.ROW_NEW][api.TOTAL_COLUMN] + t3[api.ROW_CARRIED_IN][api.TOTAL_COLUMN]
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
        ids = api.cases_in(year, key, column)
        self.drill_ids = ids
        self.drill_title = f"{year}年 {key} — {column}"
        more = f"，仅列出前{DRILL_LIMIT}件" if len(ids) > DRILL_LIMIT else ""
        self.drill_label.setText(f"{self.drill_title}：共 {len(ids)} 件{more}（双击打开案件）")
        self.drill_list.show_ids(ids)
        self.drill_all.setVisible(bool(ids))
        return ids

    def _show_all_in_cases(self) -> None:
        if self.drill_ids:
            self.ctx.show_page("cases", filter=CaseFilter(ids=tuple(self.drill_ids)),
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

    def save_table2(self, then=None) -> bool:
        """Save table 二 on the writer thread; True when it has landed already, ``then()``
        runs after it landed (a refusal is shown and keeps the values typed)."""
        year = self.loaded_year or self.year.year()
        values, actor, landed = self.table2_values(), self.ctx.actor, []

        def saved(changed):
            landed.append(True)
            self.t2_save.setEnabled(False)
            self.t2_status.setText(f"已保存（{len(changed)}项有变化）" if changed else "已保存（无变化）")
            if then is not None:
                then()

        self.ctx.ops.write(lambda: api.save_table2(year, values, actor), success=saved,
                           failure=lambda exc: self.ctx.show_error(exc, self), initiator=self, parent=self)
        return bool(landed)

    # ---------------------------------------------------------------- export
    def ask_export(self, kind: str) -> None:
        year = self.loaded_year or self.year.year()
        filters = {"xlsx": "Excel 工作簿 (*.xlsx)", "pdf": "PDF 文件 (*.pdf)", "json": "JSON (*.json)"}
        path = ask_save_path(self, "导出年度报告", f"{year}年政府信息公开工作年度报告（表二至表四）.{kind}", filters[kind])
        if path:
            if not path.lower().endswith(f".{kind}"):
                path += f".{kind}"
            self.export(path)

    def export(self, path: str) -> None:
        year = self.loaded_year or self.year.year()
        if self.t2_save.isEnabled():
            self.save_table2(then=lambda: self.export(path))      # table 二 first, then export
            return

        def job():
            return api.export_annual(year, path)

        self.ctx.run_in_background(job, lambda p: self._exported(p), self._export_failed, progress=True,
                                   title="正在导出年度报告", parent=self)

    def _exported(self, path) -> None:
        self.last_export = Path(path)
        messages.info(self, "已导出", f"年度报告已导出到：\n{path}")

    def _export_failed(self, exc) -> None:
        if isinstance(exc, api.ReportCheckError):
            messages.error(self, "未导出", f"{exc.year}年度报告核对未通过，未导出：\n"
                           + "\n".join(f"• {p}" for p in exc.problems[:20])
                           + (f"\n……共{len(exc.problems)}个问题" if len(exc.problems) > 20 else ""))
            self.refresh()
        else:
            self.ctx.show_error(exc, self)


# ====================================================================== 台账
