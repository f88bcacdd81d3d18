"""统计报表 → 年报正文 / 单位年报 / 复查结论 (issue 15). Built on the seam: the core is
reached only through ``gkdesk.api.annual``, reads and writes run through ``ctx.ops``, and
the tabs refresh when the change feed names their topics (``annual_document``, ``reports``,
``reviews``) and the change came from another screen. The 工作台's report-deadline cards
are in gkdesk/ui/widgets/dashboard_cards.py (the 工作台 must not import this page)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QPlainTextEdit, QPushButton, QScrollArea, QSplitter, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from gkdesk.api import annual as api
from gkdesk.domain import supervision
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets.dashboard_cards import ReportDeadlines  # noqa: F401 - the 工作台's cards, moved there (issue 20)


def _year_combo():
    from gkdesk.ui.widgets.report_bits import YearCombo

    return YearCombo()


class AnnualDocumentTab(QWidget):
    """Edit the clerk's parts of the year's report beside a live preview; export .pdf/.docx."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.year = _year_combo()
        self.year.currentIndexChanged.connect(lambda _i: self.load())
        self.save_button = QPushButton("保存正文（Ctrl+S）")
        self.save_button.clicked.connect(self.save)
        self.pdf_button = QPushButton("导出 PDF…")
        self.pdf_button.clicked.connect(lambda: self.export(".pdf"))
        self.docx_button = QPushButton("导出 Word（.docx）…")
        self.docx_button.clicked.connect(lambda: self.export(".docx"))
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度："))
        bar.addWidget(self.year)
        bar.addStretch(1)
        for b in (self.save_button, self.pdf_button, self.docx_button):
            bar.addWidget(b)

        form_box = QWidget()
        form = QVBoxLayout(form_box)
        self.editors: dict[str, QPlainTextEdit] = {}
        self.last_problems = QPlainTextEdit()
        self.last_problems.setReadOnly(True)
        self.last_problems.setMaximumHeight(90)
        self._labels = {}
        for key, label in (("overview", "一、总体情况（补充说明）"), ("proactive", "二、主动公开（文字说明）"),
                           ("improvements", "五（二）改进情况"), ("problems", "五（三）本年度存在的主要问题"),
                           ("other", "六、其他需要报告的事项")):
            ed = QPlainTextEdit()
            ed.setPlaceholderText("可不填；填写后印在报告相应部分")
            ed.setMinimumHeight(70)
            ed.textChanged.connect(self._schedule_preview)
            self.editors[key] = ed
            lab = QLabel(label)
            lab.setObjectName("fieldLabel")
            if key == "improvements":
                box = QGroupBox("五（一）上年度存在的主要问题（取自上年度报告，只读）")
                bl = QVBoxLayout(box)
                bl.addWidget(self.last_problems)
                form.addWidget(box)
            form.addWidget(lab)
            form.addWidget(ed)
        form.addStretch(1)
        scroll_form = QScrollArea()
        scroll_form.setWidgetResizable(True)
        scroll_form.setWidget(form_box)

        from gkdesk.ui.dialogs.document_dialog import PagePreview

        self.preview = PagePreview()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(self.preview)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(scroll_form)
        split.addWidget(scroll)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([480, 640])          # the preview gets the larger part
        scroll_form.setMinimumWidth(360)

        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.status)
        lay.addWidget(split, 1)
        QShortcut(QKeySequence.Save, self, activated=self.save)
        self._timer = QTimer(self, singleShot=True, interval=600, timeout=self.update_preview)
        self._loading = False
        ctx.changed.opDidExecute.connect(self.on_changes)

    # ---------------------------------------------------------------- data
    def values(self) -> dict:
        return {k: ed.toPlainText() for k, ed in self.editors.items()}

    def load(self) -> None:
        year = self.year.year()
        if not year:
            return
        self.ctx.ops.read(("annual_doc_texts", id(self)), lambda: api.document_texts(year), success=self._show_texts)

    def _show_texts(self, t: api.DocumentTexts) -> None:
        self._loading = True
        for key, _label, text in t.fields:
            if key in self.editors:
                self.editors[key].setPlainText(text)
        self._loading = False
        self._timer.stop()
        self.status.setText("")
        self.last_problems.setPlainText(t.last_year_problems or f"（{t.year - 1}年度报告未在本系统填写存在的主要问题）")
        self.update_preview()

    def _schedule_preview(self) -> None:
        if not self._loading:
            self.status.setText("正文已修改，尚未保存")
            self._timer.start()

    def update_preview(self) -> None:
        year, values = self.year.year(), self.values()
        self.ctx.ops.read(("annual_doc_preview", id(self)), lambda: api.preview_document(year, values),
                          success=self._show_preview, failure=lambda exc: self.preview.set_message(str(exc)))

    def _show_preview(self, p: api.DocumentPreview) -> None:
        self.preview.set_laid(p.laid)
        if p.problems:
            self.status.setText(f"数据未通过核对（{len(p.problems)}个问题），不能导出：{p.problems[0]}")
        elif not self.status.text().startswith("正文已修改"):
            self.status.setText(f"共 {len(p.laid.pages)} 页。表二、表三、表四与统计数据一致。")

    def save(self) -> None:
        year, values, actor = self.year.year(), self.values(), self.ctx.actor
        self.ctx.ops.write(lambda: api.save_document_texts(year, values, actor), initiator=self,
                           success=lambda changed: self.status.setText(
                               "已保存" if changed else "没有需要保存的修改"))

    def export(self, suffix: str) -> None:
        year = self.year.year()
        name = f"{year}年政府信息公开工作年度报告{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, "导出年度报告", str(Path.home() / name),
                                              "PDF (*.pdf)" if suffix == ".pdf" else "Word 文档 (*.docx)")
        if not path:
            return
        if not path.lower().endswith(suffix):
            path += suffix
        values, actor = self.values(), self.ctx.actor

        def run():
            api.save_document_texts(year, values, actor)
            return api.export_document(year, path, actor)

        self.ctx.ops.write(run, initiator=self, progress=True, title="导出年度报告",
                           success=lambda out: messages.info(self, "导出年度报告", f"已导出：{out}"))

    def on_changes(self, changes, initiator) -> None:
        if initiator is self or not self.isVisible():
            return
        if changes.touches("annual_document") or changes.touches("register") or changes.cases:
            self.load()


class UnitReportsTab(QWidget):
    """Check the units' report workbooks (a file or a folder) and sum them into the county's tables."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.path: str | None = None
        pick_dir = QPushButton("选择文件夹…")
        pick_dir.clicked.connect(self.pick_folder)
        pick_file = QPushButton("选择文件…")
        pick_file.clicked.connect(self.pick_file)
        self.sum_button = QPushButton("汇总并导出本级表格…")
        self.sum_button.setEnabled(False)
        self.sum_button.clicked.connect(self.sum_reports)
        self.where = QLabel("请选择各单位报送的年度报告表格（xlsx），可选整个文件夹")
        self.where.setObjectName("hint")
        bar = QHBoxLayout()
        bar.addWidget(pick_dir)
        bar.addWidget(pick_file)
        bar.addWidget(self.where, 1)
        bar.addWidget(self.sum_button)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["文件", "单位", "年度", "核对结果"])
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._show_problems)
        self.problems = QListWidget()
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.problems)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        self.reports: tuple = ()

    def pick_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择各单位年度报告所在文件夹", str(Path.home()))
        if path:
            self.check(path)

    def pick_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择单位年度报告", str(Path.home()), "Excel 工作簿 (*.xlsx)")
        if path:
            self.check(path)

    def check(self, path: str) -> None:
        self.path = path
        self.where.setText(path)
        self.ctx.ops.read(("unit_reports", id(self)), lambda progress=None, cancelled=None: api.check_unit_reports(
            path, progress=progress, cancelled=cancelled), success=self.show_reports, progress=True,
            title="核对单位年度报告", label="正在读取并核对…",
            failure=lambda exc: messages.show_exception(self, exc, "核对单位年度报告"))

    def show_reports(self, reports: tuple) -> None:
        self.reports = reports
        self.table.setRowCount(len(reports))
        for r, rep in enumerate(reports):
            cells = (rep.display, rep.unit_name, f"{rep.year}年" if rep.year else "—",
                     "通过" if rep.ok else f"{len(rep.problems)}处问题：{rep.problems[0]}")
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                if c == 3 and not rep.ok:
                    it.setForeground(Qt.red)
                self.table.setItem(r, c, it)
        self.table.resizeColumnsToContents()
        bad = sum(1 for r in reports if not r.ok)
        self.sum_button.setEnabled(bool(reports) and not bad)
        self.where.setText(f"{self.path}：共{len(reports)}份，{len(reports) - bad}份通过，{bad}份有问题"
                           + ("（全部通过后才能汇总）" if bad else ""))
        if reports:
            self.table.selectRow(0)

    def _show_problems(self) -> None:
        self.problems.clear()
        rows = {i.row() for i in self.table.selectedIndexes()}
        for r in sorted(rows):
            rep = self.reports[r]
            self.problems.addItems([f"{rep.display}!{p}" for p in rep.problems] or [f"{rep.display}：核对通过"])

    def sum_reports(self) -> None:
        out, _ = QFileDialog.getSaveFileName(self, "导出汇总表", str(Path.home() / "年度报告汇总.xlsx"),
                                             "Excel 工作簿 (*.xlsx)")
        if not out:
            return
        if not out.lower().endswith(".xlsx"):
            out += ".xlsx"
        path, actor = self.path, self.ctx.actor
        self.ctx.ops.write(lambda progress=None, cancelled=None: api.sum_unit_reports(
            path, out, actor, progress=progress, cancelled=cancelled), initiator=self, progress=True,
            title="汇总单位年度报告", success=lambda reps: messages.info(
                self, "汇总单位年度报告", f"已汇总{len(reps)}个单位的年度报告：{out}"))


class ReviewDecisionsTab(QWidget):
    """The yearly review's items with a decision each; the sheet out and back in."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.kind = QComboBox()
        for code, t in supervision.REVIEW_KINDS.items():
            self.kind.addItem(t.label, code)
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.year = _year_combo()
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        export = QPushButton("导出复查表…")
        export.clicked.connect(self.export)
        imp = QPushButton("导入已填写的复查表…")
        imp.clicked.connect(self.import_sheet)
        bar = QHBoxLayout()
        bar.addWidget(self.kind)
        bar.addWidget(self.year)
        bar.addStretch(1)
        bar.addWidget(export)
        bar.addWidget(imp)
        self.hint = QLabel("已在往年作出复查结论的事项不再列出。")
        self.hint.setObjectName("hint")
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._selected)
        # the decision of the selected item
        self.decision = QComboBox()
        for code, t in supervision.REVIEW_DECISIONS.items():
            self.decision.addItem(t.label, code)
        self.place = QLineEdit()
        self.place.setPlaceholderText("如：区政府门户网站“政府信息公开”专栏")
        self.when = QDateEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd")
        self.by = QLineEdit()
        self.note = QLineEdit()
        self.record_button = QPushButton("记录复查结论")
        self.record_button.clicked.connect(self.record)
        box = QGroupBox("复查结论")
        fl = QFormLayout(box)
        fl.addRow("结论", self.decision)
        fl.addRow("公开渠道", self.place)
        fl.addRow("公开时间", self.when)
        fl.addRow("决定人", self.by)
        fl.addRow("备注", self.note)
        fl.addRow("", self.record_button)
        box.setEnabled(False)
        self.box = box
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.hint)
        lay.addWidget(self.table, 1)
        lay.addWidget(box)
        self.items: tuple = ()
        ctx.changed.opDidExecute.connect(self.on_changes)

    def refresh(self) -> None:
        kind, year = self.kind.currentData(), self.year.year()
        if not year:
            return
        self.ctx.ops.read(("review_items", id(self)), lambda: api.review_items(kind, year), success=self.show_items)

    def show_items(self, items: tuple) -> None:
        self.items = items
        heads = items[0].headers if items else ()
        headers = ["编号", *heads, "复查结论", "公开渠道", "公开时间", "决定人"]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(items))
        for r, it in enumerate(items):
            vals = [it.key, *it.columns, it.decision or "（未复查）", it.place,
                    it.publish_by.isoformat() if it.publish_by else "", it.decided_by]
            for c, v in enumerate(vals):
                text = v.isoformat() if hasattr(v, "isoformat") else str(v if v is not None else "")
                self.table.setItem(r, c, QTableWidgetItem(text[:80]))
        self.table.resizeColumnsToContents()
        done = sum(1 for i in items if i.decision)
        self.hint.setText(f"共{len(items)}项，已作出复查结论{done}项。已在往年作出复查结论的事项不再列出。")

    def _selected(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        self.box.setEnabled(len(rows) == 1)

    def record(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if len(rows) != 1:
            return
        it = self.items[rows[0]]
        kind, year, actor = self.kind.currentData(), self.year.year(), self.ctx.actor
        values = {"decision": self.decision.currentData(), "place": self.place.text(),
                  "publish_by": self.when.date().toPython() if self.decision.currentData() == "publish" else None,
                  "decided_by": self.by.text(), "note": self.note.text()}
        self.ctx.ops.write(lambda: api.record_review_decision(kind, year, it.key, actor, **values),
                           initiator=self, success=lambda _r: self.refresh())

    def export(self) -> None:
        kind, year = self.kind.currentData(), self.year.year()
        path, _ = QFileDialog.getSaveFileName(self, "导出复查表", str(Path.home() / f"{year}年度{self.kind.currentText()}.xlsx"),
                                              "Excel 工作簿 (*.xlsx)")
        if path:
            self.ctx.ops.write(lambda: api.export_review_sheet(kind, year, path), initiator=self,
                               success=lambda out: messages.info(self, "导出复查表", f"已导出：{out}"))

    def import_sheet(self) -> None:
        kind, year, actor = self.kind.currentData(), self.year.year(), self.ctx.actor
        path, _ = QFileDialog.getOpenFileName(self, "导入复查表", str(Path.home()), "Excel 工作簿 (*.xlsx)")
        if path:
            self.ctx.ops.write(lambda: api.import_review_sheet(kind, year, path, actor), initiator=self,
                               success=lambda n: (messages.info(self, "导入复查表", f"已导入{n}项复查结论"),
                                                  self.refresh()))

    def on_changes(self, changes, initiator) -> None:
        if initiator is not self and self.isVisible() and (changes.touches("reviews") or changes.cases):
            self.refresh()
