"""工作任务: the tasks the office hands its units and what comes back, on the seam
(``gkdesk.api.tasks`` through ``ctx.ops``; refreshed by ``ctx.changed.opDidExecute`` when
another screen or process changed the ``tasks`` topic).

Top: the year, filters (unit, state: 逾期/退回/未报/已报/已采用, 本周到期), and what can be
done — 导入分解表 (the import wizard), 新建任务, 布置报送, 向各单位征集年报, 催报/督办通知
(one numbered letter per late unit, PDFs into a folder), 领导一览表, 导出落实情况 (xlsx/PDF).
Left: the year's tasks with their counts (overdue in red). Right: every (task, unit) request,
overdue first, coloured by state; below, the selected request's submissions, and
登记报送 / 退回 / 采用 / 打开附件 / 单位报送情况 (everything the unit owes).

Shortcuts: Ctrl+I 导入分解表, Ctrl+N 新建任务, Ctrl+R 登记报送, Ctrl+P 催报通知.

``TaskCards``, the 工作台's row of three cards (本周到期, 逾期未报, 退回修改) that open this
page filtered, is in gkdesk/ui/widgets/dashboard_cards.py (the 工作台 must not import this page).
"""
from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
    QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QPushButton, QSplitter, QSpinBox, QTableView, QTableWidget, QTableWidgetItem, QTextBrowser,
    QVBoxLayout, QWidget,
)

from gkdesk.api import tasks as api
from gkdesk.domain import terms
from gkdesk.ui.dialogs import messages
from gkdesk.ui.models.records import RecordTableModel
from gkdesk.ui.widgets.dashboard_cards import TaskCards  # noqa: F401 - the 工作台's cards, moved there (issue 20)

ALL = None
ALL_YEARS = 0                         # the year box's 全部年度
DUE_WEEK = "due_week"                 # a filter, not a state: pending or returned, due by Sunday
STATE_COLORS = {"overdue": "#c62828", "returned": "#b26a00", "pending": "#555555", "submitted": "#1b5fb3",
                "accepted": "#1b7f3b"}
STATE_BACKGROUNDS = {"overdue": "#fdecea", "returned": "#fff4e0"}
COLUMNS = (("task", "工作任务"), ("unit", "单位"), ("what", "报送内容"), ("due", "截止"), ("state", "状态"),
           ("received", "报送日期"), ("by", "报送人"), ("file", "附件"), ("reason", "退回原因"))


def create_page(ctx, parent):
    return TasksPage(ctx, parent)


def _date_cn(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


class RequestsModel(RecordTableModel):
    """The requests (api.RequestView) as a table. A painted screen asks ``data`` some 2,000
    times (every visible cell × every role), so each row's texts are made once, when first
    shown, and the colours are shared brushes (issue 20)."""

    columns = COLUMNS

    def __init__(self, parent=None):
        super().__init__(parent)
        self._texts: dict[int, tuple[str, ...]] = {}

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self._texts = {}
        self.endResetModel()

    @staticmethod
    def _row_texts(r: api.RequestView) -> tuple[str, ...]:
        """The row's cells, in the order of ``COLUMNS``."""
        return (r.task_label, r.unit_name + ("" if r.unit_active else "（已撤销）"),
                r.what + (f"（{r.period}）" if r.period else ""), r.due_label,
                r.state_label + (f" {r.days_late}天" if r.overdue else ""),
                r.received_on.isoformat() if r.received_on else "", r.submitted_by, r.filename,
                r.reason.replace("\n", " "))

    def cell(self, row: int, col: int) -> str:
        texts = self._texts.get(row)
        if texts is None:
            texts = self._texts[row] = self._row_texts(self.rows[row])
        return texts[col]

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.DisplayRole:
            return self.cell(index.row(), index.column())
        if role == Qt.BackgroundRole:
            r = self.rows[index.row()]
            return _BACKGROUNDS["overdue"] if r.overdue else _BACKGROUNDS.get(r.state)
        if role == Qt.ForegroundRole:
            if index.column() != _STATE_COLUMN:
                return None
            r = self.rows[index.row()]
            return _FOREGROUNDS["overdue" if r.overdue else r.state]
        if role == Qt.ToolTipRole:
            if index.column() == _TASK_COLUMN:
                return self.rows[index.row()].task_title
            return self.cell(index.row(), index.column())
        return None


_FOREGROUNDS = {k: QBrush(QColor(c)) for k, c in STATE_COLORS.items()}
_BACKGROUNDS = {k: QBrush(QColor(c)) for k, c in STATE_BACKGROUNDS.items()}
_STATE_COLUMN = next(i for i, (k, _t) in enumerate(COLUMNS) if k == "state")
_TASK_COLUMN = next(i for i, (k, _t) in enumerate(COLUMNS) if k == "task")


# ---------------------------------------------------------------- dialogs

class ReceiveDialog(QDialog):
    """登记报送: the file, the day it came in, who handed it in."""

    def __init__(self, parent, req: api.RequestView, folder: str, today: dt.date):
        super().__init__(parent)
        self.setWindowTitle(f"登记报送：{req.unit_name}")
        self.resize(560, 300)
        self.folder = folder
        lay = QVBoxLayout(self)
        head = QLabel(f"{req.task_label}\n报送内容：{req.what}{'（' + req.period + '）' if req.period else ''}"
                      f"　截止：{req.due_label}")
        head.setWordWrap(True)
        lay.addWidget(head)
        form = QFormLayout()
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText("单位报送的文件（可不附文件，只登记收到）")
        pick = QPushButton("选择文件…")
        pick.clicked.connect(self._pick)
        row.addWidget(self.path, 1)
        row.addWidget(pick)
        form.addRow("报送材料", row)
        self.date = QDateEdit(QDate(today.year, today.month, today.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        form.addRow("收到日期", self.date)
        self.by = QLineEdit()
        self.by.setPlaceholderText("报送人姓名（如单位联络员）")
        form.addRow("报送人", self.by)
        self.note = QLineEdit()
        form.addRow("备注", self.note)
        self.accept_now = QCheckBox("核对无误，同时采用")
        form.addRow("", self.accept_now)
        lay.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("登记")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _pick(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择单位报送的文件", self.folder,
                                              "常用文件 (*.pdf *.docx *.doc *.xlsx *.xls *.wps *.et *.ofd *.jpg *.png *.zip);;所有文件 (*)")
        if path:
            self.path.setText(path)

    def values(self) -> dict:
        d = self.date.date()
        return {"path": self.path.text().strip() or None, "received_on": dt.date(d.year(), d.month(), d.day()),
                "submitted_by": self.by.text(), "note": self.note.text(), "accept": self.accept_now.isChecked()}


class NewTaskDialog(QDialog):
    def __init__(self, parent, year: int):
        super().__init__(parent)
        self.setWindowTitle("新建工作任务")
        self.resize(620, 420)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.title = QLineEdit()
        self.title.setPlaceholderText("如：梳理规范权责清单，动态调整更新")
        form.addRow("工作任务（必填）", self.title)
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(year)
        form.addRow("年度", self.year)
        self.kind = QComboBox()
        for code, t in terms.TASK_KINDS.items():
            if code != "annex":
                self.kind.addItem(t.label, code)
        form.addRow("类别", self.kind)
        self.number = QLineEdit()
        self.number.setPlaceholderText("分解表中的序号，可不填")
        form.addRow("序号", self.number)
        self.lead = QLineEdit()
        form.addRow("牵头单位", self.lead)
        self.responsible = QLineEdit()
        self.responsible.setPlaceholderText("如：各镇（街道），区政府各部门")
        form.addRow("责任单位", self.responsible)
        self.deadline = QLineEdit()
        self.deadline.setPlaceholderText("如“2026年7月20日前”“7月底前”“每季度”“5个工作日内”“长期”")
        form.addRow("完成时间", self.deadline)
        self.requirement = QPlainTextEdit()
        self.requirement.setTabChangesFocus(True)
        self.requirement.setFixedHeight(72)
        form.addRow("工作要求", self.requirement)
        lay.addLayout(form)
        hint = QLabel("新建后用“布置报送”选择要报送的单位。")
        hint.setObjectName("hint")
        lay.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("新建")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def values(self) -> dict:
        return {"title": self.title.text(), "year": self.year.value(), "kind": self.kind.currentData(),
                "number": self.number.text(), "lead": self.lead.text(), "responsible": self.responsible.text(),
                "deadline": self.deadline.text(), "requirement": self.requirement.toPlainText()}


class UnitPicker(QWidget):
    """A checkable list of units with 全选 / 全不选 and a search box."""

    def __init__(self, units, checked=(), parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("筛选单位…")
        self.search.textChanged.connect(self._filter)
        bar.addWidget(self.search, 1)
        for text, on in (("全选", True), ("全不选", False)):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, on=on: self.set_all(on))
            bar.addWidget(b)
        lay.addLayout(bar)
        self.list = QListWidget()
        for u in units:
            it = QListWidgetItem(f"{u.name}（{u.kind_label}）")
            it.setData(Qt.UserRole, u.id)
            it.setFlags(it.flags() | Qt.ItemIsUserCheckable)
            it.setCheckState(Qt.Checked if u.id in checked else Qt.Unchecked)
            self.list.addItem(it)
        lay.addWidget(self.list, 1)

    def _filter(self, text: str) -> None:
        for i in range(self.list.count()):
            it = self.list.item(i)
            it.setHidden(bool(text) and text not in it.text())

    def set_all(self, on: bool) -> None:
        for i in range(self.list.count()):
            it = self.list.item(i)
            if not it.isHidden():
                it.setCheckState(Qt.Checked if on else Qt.Unchecked)

    def set_checked(self, ids) -> None:
        ids = set(ids)
        for i in range(self.list.count()):
            it = self.list.item(i)
            it.setCheckState(Qt.Checked if it.data(Qt.UserRole) in ids else Qt.Unchecked)

    def checked(self) -> list[int]:
        return [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.Checked]


class AskDialog(QDialog):
    """布置报送: which units, what, by when."""

    def __init__(self, parent, task: api.TaskView, units):
        super().__init__(parent)
        self.setWindowTitle(f"布置报送：{task.label[:30]}")
        self.resize(560, 560)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.what = QComboBox()
        self.what.setEditable(True)
        self.what.addItems(terms.DELIVERABLES)
        self.what.setCurrentText(terms.DEFAULT_DELIVERABLE)
        form.addRow("报送内容", self.what)
        self.due = QLineEdit(task.deadline_text)
        self.due.setPlaceholderText("如“2026年7月20日前”“7月底前”“5个工作日内”“每季度”；留空为任务的完成时间")
        form.addRow("截止时间", self.due)
        lay.addLayout(form)
        lay.addWidget(QLabel("报送单位："))
        self.units = UnitPicker(units)
        lay.addWidget(self.units, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("布置")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def values(self) -> dict:
        return {"what": self.what.currentText(), "due": self.due.text().strip() or None, "units": self.units.checked()}


class UnitOwesDialog(QDialog):
    """单位报送情况: everything one unit owes, overdue first."""

    def __init__(self, parent, owes: api.UnitOwes):
        super().__init__(parent)
        self.setWindowTitle(f"单位报送情况：{owes.unit_name}")
        self.resize(860, 460)
        lay = QVBoxLayout(self)
        head = QLabel(f"{owes.unit_name}：共{len(owes.requests)}项报送要求，未采用{owes.open}项，其中逾期{owes.overdue}项")
        head.setObjectName("sectionTitle")
        lay.addWidget(head)
        self.model = RequestsModel(self)
        self.model.set_rows(owes.requests)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnHidden(1, True)
        self.table.setColumnWidth(0, 280)
        lay.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


class ImportWizard(QDialog):
    """导入任务分解表: the file → every task as parsed (number, text, units, the deadline as
    written and as read) → an answer for every unit phrase that matches no unit (pick units,
    add it as a unit, or ignore) → 保存. A file gkdesk cannot read shows the Chinese error and
    saves nothing."""

    saved = Signal(list)

    def __init__(self, page, path: str = ""):
        super().__init__(page)
        self.page = page
        self.ctx = page.ctx
        self.setWindowTitle("导入任务分解表")
        self.resize(1100, 720)
        self.preview: api.ImportPreview | None = None
        self.answers: dict[str, object] = {}        # piece → list of unit ids | "create" | []
        self.units = ()
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.path = QLineEdit(path)
        self.path.setPlaceholderText("任务分解表（.xlsx 或 .docx）")
        top.addWidget(QLabel("文件"))
        top.addWidget(self.path, 1)
        pick = QPushButton("选择文件…")
        pick.clicked.connect(self._pick)
        top.addWidget(pick)
        top.addWidget(QLabel("年度"))
        self.year = QSpinBox()
        self.year.setRange(0, 2100)
        self.year.setSpecialValueText("自动")
        self.year.setValue(0)
        top.addWidget(self.year)
        top.addWidget(QLabel("无完成时间的任务截止"))
        self.default_due = QLineEdit()
        self.default_due.setPlaceholderText("可不填")
        self.default_due.setMaximumWidth(140)
        top.addWidget(self.default_due)
        self.b_read = QPushButton("读取")
        self.b_read.clicked.connect(lambda: self.load())
        top.addWidget(self.b_read)
        lay.addLayout(top)
        self.status = QLabel("选择文件后点“读取”：先预览，核对无误再保存。")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        split = QSplitter(Qt.Vertical)
        self.rows = QTableWidget(0, 6)
        self.rows.setHorizontalHeaderLabels(["序号", "工作任务 / 具体事项", "牵头、责任单位", "完成时间（原文）", "解析为", "位置"])
        self.rows.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.rows.setWordWrap(True)
        self.rows.verticalHeader().setVisible(False)
        for c, w in enumerate((56, 340, 270, 120, 110)):
            self.rows.setColumnWidth(c, w)
        self.rows.horizontalHeader().setStretchLastSection(True)
        split.addWidget(self.rows)
        box = QWidget()
        bl = QVBoxLayout(box)
        bl.setContentsMargins(0, 0, 0, 0)
        self.pieces_title = QLabel("")
        self.pieces_title.setObjectName("sectionTitle")
        bl.addWidget(self.pieces_title)
        self.pieces = QTableWidget(0, 4)
        self.pieces.setHorizontalHeaderLabels(["表中写法", "为什么", "涉及任务", "对应到"])
        self.pieces.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.pieces.verticalHeader().setVisible(False)
        for c, w in enumerate((200, 220, 260)):
            self.pieces.setColumnWidth(c, w)
        self.pieces.horizontalHeader().setStretchLastSection(True)
        bl.addWidget(self.pieces, 1)
        split.addWidget(box)
        split.setSizes([430, 220])
        lay.addWidget(split, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.b_save = self.buttons.button(QDialogButtonBox.Save)
        self.b_save.setText("保存任务并布置报送")
        self.b_save.setEnabled(False)
        self.buttons.button(QDialogButtonBox.Cancel).setText("关闭")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.ctx.ops.read(("tasks", "units"), lambda: api.units(), success=self._got_units)
        if path:
            self.load()

    def _got_units(self, units) -> None:
        self.units = units

    def _pick(self) -> None:
        folder = self.ctx.settings.value("tasks/folder", str(Path.home()))
        path, _ = QFileDialog.getOpenFileName(self, "选择任务分解表", folder, "任务分解表 (*.xlsx *.docx)")
        if path:
            self.ctx.settings.setValue("tasks/folder", str(Path(path).parent))
            self.path.setText(path)
            self.load()

    def _args(self) -> dict:
        return {"year": self.year.value() or None, "default_due": self.default_due.text().strip()}

    def load(self) -> None:
        path = self.path.text().strip()
        if not path:
            return
        args = self._args()
        self.preview = None
        self.b_save.setEnabled(False)
        self.ctx.ops.read(("tasks", "import-preview"), lambda: api.preview_import(path, **args),
                          success=self._got_preview, failure=self._failed, progress=True, title="正在读取",
                          parent=self)

    def _failed(self, exc) -> None:
        self.preview = None
        self.rows.setRowCount(0)
        self.pieces.setRowCount(0)
        self.pieces_title.setText("")
        self.status.setStyleSheet("color:#c62828")
        self.status.setText(f"无法导入：{exc}\n没有保存任何内容。")
        self.b_save.setEnabled(False)

    def _got_preview(self, pv: api.ImportPreview) -> None:
        self.preview = pv
        self.answers = {u.piece: self.answers[u.piece] for u in pv.unresolved if u.piece in self.answers}
        self.status.setStyleSheet("")
        bits = [f"“{pv.source}”：{pv.year}年，任务{len(pv.rows)}项，将向单位布置报送{pv.requests}条"]
        if pv.warnings:
            bits.append("提示：" + "；".join(pv.warnings[:4]) + ("…" if len(pv.warnings) > 4 else ""))
        self.status.setText("\n".join(bits))
        self.rows.setRowCount(len(pv.rows))
        for i, r in enumerate(pv.rows):
            units = "、".join(r.lead + r.responsible) or "（无）"
            if r.guide:
                units += f"\n指导：{'、'.join(r.guide)}"
            if r.unresolved:
                units += f"\n未对应：{'、'.join(r.unresolved)}"
            text = r.title + (f"\n{r.item_number}{r.item}" if r.item else "")
            parsed = r.due_label + (f"（据{r.due_source}）" if r.due_source and r.due_source != "完成时间" else "")
            for c, v in enumerate((f"{r.number}{r.item_number}", text, units, r.deadline_text or "（未写）", parsed,
                                   r.where)):
                item = QTableWidgetItem(v)
                if c == 2 and r.unresolved:
                    item.setForeground(QBrush(QColor("#c62828")))
                self.rows.setItem(i, c, item)
        self.rows.resizeRowsToContents()
        self._show_pieces()

    def _show_pieces(self) -> None:
        pv = self.preview
        pieces = pv.unresolved if pv else ()
        self.pieces_title.setText(f"有{len(pieces)}处单位写法对应不到单位，请逐一指定：" if pieces else
                                  ("所有单位写法都已对应到单位。" if pv else ""))
        for i in range(self.pieces.rowCount()):          # the old answers' combos go at once
            old = self.pieces.cellWidget(i, 3)
            if old is not None:
                self.pieces.removeCellWidget(i, 3)
                old.hide()
                old.deleteLater()
        self.pieces.setRowCount(len(pieces))
        for i, u in enumerate(pieces):
            self.pieces.setItem(i, 0, QTableWidgetItem(f"{u.piece}（{terms.label_of(terms.TASK_UNIT_ROLES, u.role)}）"))
            self.pieces.setItem(i, 1, QTableWidgetItem(u.why))
            self.pieces.setItem(i, 2, QTableWidgetItem("、".join(t[:14].rstrip("，、,；。 ") for t in u.tasks[:3])
                                                       + ("等" if len(u.tasks) > 3 else "")))
            combo = QComboBox()
            combo.addItem("请选择…", None)
            combo.addItem("指定单位…", "pick")
            if not u.kinds:
                combo.addItem("新增为单位", "create")
            combo.addItem("忽略（不布置）", "ignore")
            ans = self.answers.get(u.piece)
            if ans == "create":
                combo.setCurrentIndex(combo.findData("create"))
            elif ans == []:
                combo.setCurrentIndex(combo.findData("ignore"))
            elif ans:
                names = [x.name for x in self.units if x.id in ans]
                combo.addItem("、".join(names)[:40], "picked")
                combo.setCurrentIndex(combo.count() - 1)
            combo.activated.connect(lambda _i, piece=u.piece, c=combo: self._answer_from(piece, c))
            self.pieces.setCellWidget(i, 3, combo)
        self._update_save()

    def _answer_from(self, piece: str, combo: QComboBox) -> None:
        choice = combo.currentData()
        if choice == "pick":
            dlg = QDialog(self)
            dlg.setWindowTitle(f"“{piece}”对应到哪些单位")
            dlg.resize(460, 520)
            lay = QVBoxLayout(dlg)
            picker = UnitPicker(self.units, checked=self.answers.get(piece) or ())
            lay.addWidget(picker, 1)
            bb = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
            bb.accepted.connect(dlg.accept)
            bb.rejected.connect(dlg.reject)
            lay.addWidget(bb)
            if dlg.exec() == QDialog.Accepted and picker.checked():
                self.set_answer(piece, picker.checked())
            else:
                self._show_pieces()
            return
        if choice == "create":
            self.set_answer(piece, "create")
        elif choice == "ignore":
            self.set_answer(piece, [])
        elif choice is None:
            self.answers.pop(piece, None)
            self._update_save()

    def set_answer(self, piece: str, answer) -> None:
        """``answer``: unit ids, "create" (add a unit of that name) or [] (ignore)."""
        self.answers[piece] = answer
        self._show_pieces()

    def missing(self) -> list[str]:
        return [u.piece for u in (self.preview.unresolved if self.preview else ()) if u.piece not in self.answers]

    def _update_save(self) -> None:
        ok = self.preview is not None and not self.missing()
        self.b_save.setEnabled(ok)
        if self.preview is not None and self.missing():
            self.b_save.setToolTip(f"还有{len(self.missing())}处单位写法没有指定")
        else:
            self.b_save.setToolTip("")

    def save(self) -> None:
        if self.preview is None:
            return
        if self.missing():
            messages.warning(self, "导入任务分解表", f"还有{len(self.missing())}处单位写法没有指定：" +
                             "、".join(self.missing()[:5]))
            return
        path, args, actor = self.path.text().strip(), self._args(), self.ctx.actor
        mapping = {p: list(a) for p, a in self.answers.items() if a != "create"}
        create = any(a == "create" for a in self.answers.values())

        def done(ids):
            self.saved.emit(ids)
            messages.info(self, "导入完成", f"已保存任务{len(ids)}项，并向单位布置了报送。")
            self.accept()

        self.ctx.ops.write(lambda: api.save_import(path, actor, mapping=mapping, create_units=create, **args),
                           success=done, failure=self._failed, initiator=self.page, progress=True,
                           title="正在保存", parent=self)


# ---------------------------------------------------------------- the page

class TasksPage(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("tasksPage")
        self.year: int = api.today().year
        self.task_id: int | None = None
        self.unit_id: int | None = None
        self.state: str | None = None
        self.tasks_: tuple[api.TaskView, ...] = ()
        self.units: tuple[api.UnitChoice, ...] = ()
        self.all_rows: tuple[api.RequestView, ...] = ()
        self._shown: tuple | None = None            # what the page shows: filters and the read (issue 20)
        self._build()
        ctx.changed.opDidExecute.connect(self.on_changes)
        self.refresh()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        title = QLabel("工作任务")
        title.setObjectName("pageTitle")
        top.addWidget(title)
        top.addSpacing(12)
        top.addWidget(QLabel("年度"))
        self.year_box = QComboBox()
        self.year_box.currentIndexChanged.connect(self._year_picked)
        top.addWidget(self.year_box)
        top.addWidget(QLabel("单位"))
        self.unit_box = QComboBox()
        self.unit_box.setMinimumWidth(150)
        self.unit_box.currentIndexChanged.connect(self._filter_picked)
        top.addWidget(self.unit_box)
        top.addWidget(QLabel("状态"))
        self.state_box = QComboBox()
        self.state_box.addItem("全部", ALL)
        for code, t in terms.REQUEST_STATES.items():
            self.state_box.addItem(t.label, code)
        self.state_box.addItem("本周到期", DUE_WEEK)
        self.state_box.currentIndexChanged.connect(self._filter_picked)
        top.addWidget(self.state_box)
        top.addStretch(1)
        self.b_import = self._button("导入分解表…", self.ask_import, top)
        self.b_new = self._button("新建任务…", self.ask_new_task, top)
        self.b_collect = self._button("向各单位征集年报…", self.ask_collect_reports, top)
        lay.addLayout(top)

        split = QSplitter(Qt.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.task_list = QListWidget()
        self.task_list.setWordWrap(True)
        self.task_list.setSpacing(3)
        self.task_list.currentItemChanged.connect(self._task_picked)
        ll.addWidget(self.task_list, 1)
        self.b_ask = self._button("布置报送…", self.ask_ask, ll)
        split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel("")
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        rl.addWidget(self.heading)
        self.model = RequestsModel(self)
        self.table = QTableView()
        self.table.setObjectName("tasksTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.Interactive)
        hh.setStretchLastSection(True)
        for c, w in enumerate((240, 130, 96, 100, 130, 90, 70, 130)):
            self.table.setColumnWidth(c, w)
        self.table.doubleClicked.connect(lambda _i: self.ask_receive())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: (self._show_detail(), self._update_buttons()))
        rl.addWidget(self.table, 3)
        self.detail = QTextBrowser()
        self.detail.setObjectName("tasksDetail")
        rl.addWidget(self.detail, 1)
        actions = QHBoxLayout()
        self.b_receive = self._button("登记报送…", self.ask_receive, actions)
        self.b_return = self._button("退回修改…", self.ask_send_back, actions)
        self.b_accept = self._button("采用", self.ask_accept, actions)
        self.b_open = self._button("打开附件", self.open_file, actions)
        self.b_unit = self._button("单位报送情况…", self.show_unit, actions)
        actions.addStretch(1)
        self.b_remind = self._button("催报/督办通知…", self.ask_remind, actions)
        self.b_leader = self._button("领导一览表…", self.ask_leader_list, actions)
        self.b_summary = self._button("导出落实情况…", self.ask_summary, actions)
        rl.addLayout(actions)
        split.addWidget(right)
        split.setStretchFactor(1, 4)
        split.setSizes([260, 1000])
        lay.addWidget(split, 1)
        for keys, fn in (("Ctrl+I", self.ask_import), ("Ctrl+N", self.ask_new_task), ("Ctrl+R", self.ask_receive),
                         ("Ctrl+P", self.ask_remind)):
            QShortcut(QKeySequence(keys), self, fn)
        sc = QShortcut(QKeySequence(Qt.Key_Return), self.table, self.ask_receive)
        sc.setContext(Qt.WidgetShortcut)

    def _button(self, text, fn, layout) -> QPushButton:
        b = QPushButton(text)
        b.clicked.connect(lambda _c=False: fn())
        layout.addWidget(b)
        return b

    # ------------------------------------------------------------------ reading
    def on_changes(self, changes, initiator) -> None:
        if changes.touches("tasks", "units") and initiator is not self:
            self.refresh()

    def activate(self) -> None:
        self.refresh()

    def navigate(self, *, state: str | None = None, unit_id: int | None = None, task_id: int | None = None,
                 year: int | None = None, kind: str | None = None, **_ignored) -> None:
        """Show the page filtered (the 工作台's cards: state="overdue" / "returned" / "due_week";
        kind="annual_report": the newest task of that kind, e.g. the units' annual reports)."""
        if year is not None:
            self.year = year
        self.task_id = task_id
        self._want_kind = kind
        self.unit_id = unit_id
        self.state = state
        self.refresh()

    def refresh(self) -> None:
        year = self.year or None
        self.ctx.ops.read(("tasks", "page"), lambda: (api.years(), *api.tasks_and_requests(year=year),
                                                      api.units(active=None), api.today()),
                          success=self._got)

    def _shown_key(self, result) -> tuple:
        return (self.year, self.task_id, self.unit_id, self.state, result)

    def _got(self, result) -> None:
        if self._shown == self._shown_key(result) and not getattr(self, "_want_kind", None):
            return          # reopened and nothing changed: no rebuild, the selection and scroll kept
        self._fill(result)
        self._shown = self._shown_key(result)

    def _fill(self, result) -> None:
        years, tasks, rows, units, today = result
        rows = tuple(rows)
        self.today = today
        self.tasks_, self.units, self.all_rows = tuple(tasks), tuple(units), rows
        if self.year and self.year not in years:
            years = tuple(sorted({*years, self.year}, reverse=True))
        self.year_box.blockSignals(True)
        self.year_box.clear()
        self.year_box.addItem("全部年度", ALL_YEARS)
        for y in years:
            self.year_box.addItem(f"{y}年", y)
        self.year_box.setCurrentIndex(self.year_box.findData(self.year))
        self.year_box.blockSignals(False)
        self.unit_box.blockSignals(True)
        self.unit_box.clear()
        self.unit_box.addItem("全部单位", ALL)
        owing = {r.unit_id for r in rows}
        for u in units:
            if u.id in owing or u.id == self.unit_id:
                self.unit_box.addItem(u.name, u.id)
        self.unit_box.setCurrentIndex(max(self.unit_box.findData(self.unit_id), 0))
        self.unit_box.blockSignals(False)
        self.state_box.blockSignals(True)
        self.state_box.setCurrentIndex(max(self.state_box.findData(self.state), 0))
        self.state_box.blockSignals(False)
        want = getattr(self, "_want_kind", None)
        if want:
            self._want_kind = None
            of_kind = sorted((t for t in tasks if t.kind == want), key=lambda t: (t.year or 0, t.id))
            if of_kind:
                self.task_id = of_kind[-1].id
        self.task_list.blockSignals(True)
        self.task_list.clear()
        allit = QListWidgetItem(f"全部任务（{len(tasks)}项）")
        allit.setData(Qt.UserRole, ALL)
        self.task_list.addItem(allit)
        pick = 0
        for t in tasks:
            bits = [f"{terms.label_of(terms.REQUEST_STATES, k)}{n}" for k, n in t.counts.items() if n]
            label = t.label if t.kind == "task" else f"［{t.kind_label}］{t.label}"
            it = QListWidgetItem(f"{label[:40]}\n{'，'.join(bits) or '未布置报送'}" + ("（已关闭）" if t.closed else ""))
            it.setData(Qt.UserRole, t.id)
            it.setToolTip(t.title + (f"\n{t.item}" if t.item else "") + (f"\n完成时间：{t.deadline_text}"
                                                                         if t.deadline_text else ""))
            if t.overdue:
                it.setForeground(QBrush(QColor(STATE_COLORS["overdue"])))
            self.task_list.addItem(it)
            if t.id == self.task_id:
                pick = self.task_list.count() - 1
        if pick == 0:
            self.task_id = None
        self.task_list.setCurrentRow(pick)
        self.task_list.blockSignals(False)
        self.apply_filters()

    def _year_picked(self, _i) -> None:
        y = self.year_box.currentData()
        if y is not None and y != self.year:
            self.year, self.task_id = y, None
            self.refresh()

    def _filter_picked(self, _i) -> None:
        self.unit_id = self.unit_box.currentData()
        self.state = self.state_box.currentData()
        self.apply_filters()

    def _task_picked(self, cur, _prev) -> None:
        self.task_id = cur.data(Qt.UserRole) if cur is not None else None
        self.apply_filters()

    def visible_rows(self) -> list[api.RequestView]:
        rows = self.all_rows
        if self.task_id is not None:
            rows = [r for r in rows if r.task_id == self.task_id]
        if self.unit_id is not None:
            rows = [r for r in rows if r.unit_id == self.unit_id]
        if self.state == DUE_WEEK:
            today = getattr(self, "today", dt.date.today())
            end = today + dt.timedelta(days=6 - today.weekday())
            rows = [r for r in rows if r.state in ("pending", "returned") and r.due and today <= r.due <= end]
        elif self.state is not None:
            rows = [r for r in rows if r.state == self.state]
        return list(rows)

    def apply_filters(self) -> None:
        keep = self.current_request()
        rows = self.visible_rows()
        self.model.set_rows(rows)
        late = sum(1 for r in rows if r.overdue)
        task = self.current_task()
        when = f"{self.year}年" if self.year else "各年度"
        where = task.label[:60] if task else f"{when}全部任务"
        if self.unit_id is not None:
            where += f" · {self.unit_box.currentText()}"
        if not self.tasks_:
            self.heading.setText(f"{when}还没有工作任务。可“导入分解表”（xlsx/docx），或“新建任务”。")
        else:
            self.heading.setText(f"{where}：报送要求{len(rows)}项" + (f"，逾期{late}项" if late else ""))
        if keep is not None:
            for i, r in enumerate(rows):
                if r.id == keep.id:
                    self.table.selectRow(i)
                    break
        self._show_detail()
        self._update_buttons()

    def current_task(self) -> api.TaskView | None:
        return next((t for t in self.tasks_ if t.id == self.task_id), None)

    def current_request(self) -> api.RequestView | None:
        idx = self.table.currentIndex() if hasattr(self, "table") else None
        if idx is None or not idx.isValid() or idx.row() >= len(self.model.rows):
            return None
        return self.model.rows[idx.row()]

    def select_request(self, request_id: int) -> None:
        for i, r in enumerate(self.model.rows):
            if r.id == request_id:
                self.table.selectRow(i)
                return

    def _show_detail(self) -> None:
        r = self.current_request()
        if r is None:
            self.detail.setHtml("<p style='color:#666'>选择一行查看报送记录；双击或按回车登记报送。</p>")
            return
        color = STATE_COLORS["overdue" if r.overdue else r.state]
        parts = [f"<p><b>{escape(r.unit_name)}</b>　{escape(r.what)}{escape('（' + r.period + '）' if r.period else '')}"
                 f"　截止 {escape(r.due_label)}（{escape(r.due_text or '无')}）　"
                 f"<span style='color:{color}'><b>{escape(r.state_label)}</b></span>"
                 + (f"　逾期{r.days_late}天" if r.overdue else "") + "</p>"]
        if not r.submissions:
            parts.append("<p style='color:#666'>尚未报送。</p>")
        for s in r.submissions:
            verdict = {"submitted": "待审核", "returned": "退回", "accepted": "已采用"}[s.status]
            line = (f"{s.received_on.isoformat()} 收到" + (f"（{escape(s.submitted_by)}报送）" if s.submitted_by else "")
                    + (f"：{escape(s.filename)}" if s.filename else "：（未附文件）") + f"，{verdict}")
            if s.reason:
                line += f"：{escape(s.reason)}"
            if s.decided_by:
                line += f"（{escape(s.decided_by)}）"
            if s.note:
                line += f"；备注：{escape(s.note)}"
            parts.append(f"<p>{line}</p>")
        self.detail.setHtml("".join(parts))

    def _update_buttons(self) -> None:
        r = self.current_request()
        task = self.current_task()
        self.b_receive.setEnabled(r is not None and r.state != "accepted")
        self.b_return.setEnabled(r is not None and r.state == "submitted")
        self.b_accept.setEnabled(r is not None and r.state == "submitted")
        self.b_open.setEnabled(r is not None and bool(r.submissions) and bool(r.submissions[-1].stored_path))
        self.b_unit.setEnabled(r is not None or self.unit_id is not None)
        self.b_ask.setEnabled(task is not None and not task.closed)
        self.b_remind.setEnabled(any(x.overdue for x in self.all_rows))

    # ------------------------------------------------------------------ writing
    def _write(self, fn, done=None, *, progress=False, title="正在保存") -> None:
        self.ctx.ops.write(fn, success=lambda r: self._after_write(r, done), initiator=self, progress=progress,
                           title=title, parent=self)

    def _after_write(self, result, done) -> None:
        if done is not None:
            done(result)
        self.refresh()

    def _folder(self) -> str:
        return str(self.ctx.settings.value("tasks/folder", str(Path.home())))

    def ask_receive(self) -> None:
        r = self.current_request()
        if r is None or r.state == "accepted":
            return
        dlg = ReceiveDialog(self, r, self._folder(), getattr(self, "today", dt.date.today()))
        if dlg.exec() == QDialog.Accepted:
            v = dlg.values()
            if v["path"]:
                self.ctx.settings.setValue("tasks/folder", str(Path(v["path"]).parent))
            self.receive(r.id, **v)

    def receive(self, request_id: int, path: str | None = None, *, received_on: dt.date | None = None,
                submitted_by: str = "", note: str = "", accept: bool = False) -> None:
        actor = self.ctx.actor
        self._write(lambda: api.receive(request_id, actor, path, received_on=received_on, submitted_by=submitted_by,
                                        note=note, accept=accept),
                    progress=bool(path), title="正在保存报送材料")

    def ask_send_back(self) -> None:
        r = self.current_request()
        if r is None or r.state != "submitted":
            return
        reason, ok = QInputDialog.getMultiLineText(self, "退回修改", f"退回“{r.unit_name}”报送的“{r.what}”\n退回原因（必填，将告知单位）：")
        if ok:
            self.send_back(r.id, reason)

    def send_back(self, request_id: int, reason: str) -> None:
        actor = self.ctx.actor
        self._write(lambda: api.send_back(request_id, reason, actor))

    def ask_accept(self) -> None:
        r = self.current_request()
        if r is not None and r.state == "submitted":
            self.accept_request(r.id)

    def accept_request(self, request_id: int) -> None:
        actor = self.ctx.actor
        self._write(lambda: api.accept(request_id, actor))

    def open_file(self) -> None:
        r = self.current_request()
        if r is None or not r.submissions:
            return
        sid = r.submissions[-1].id
        self.ctx.ops.read(("tasks", "file"), lambda: api.submission_file(sid),
                          success=lambda p: QDesktopServices.openUrl(QUrl.fromLocalFile(str(p))),
                          failure=lambda e: self.ctx.show_error(e, self))

    def ask_new_task(self) -> None:
        dlg = NewTaskDialog(self, self.year or api.today().year)
        if dlg.exec() == QDialog.Accepted:
            self.new_task(**dlg.values())

    def new_task(self, title: str, year: int, kind: str = "task", **fields) -> None:
        actor = self.ctx.actor

        def done(t):
            self.year, self.task_id = t.year, t.id
        self._write(lambda: api.create_task(actor, title, year=year, kind=kind, **fields), done)

    def ask_ask(self) -> None:
        task = self.current_task()
        if task is None:
            return
        dlg = AskDialog(self, task, [u for u in self.units if u.active])
        if dlg.exec() == QDialog.Accepted:
            v = dlg.values()
            self.ask(task.id, v["units"], what=v["what"], due=v["due"])

    def ask(self, task_id: int, unit_ids, *, what: str = terms.DEFAULT_DELIVERABLE, due=None) -> None:
        actor = self.ctx.actor
        self._write(lambda: api.ask(f"#{task_id}", unit_ids, actor, what=what, due=due),
                    lambda ids: messages.info(self, "布置报送", f"已向单位布置报送{len(ids)}项"
                                              + ("" if ids else "（所选单位都已布置过）")))

    def ask_collect_reports(self) -> None:
        this = api.today().year
        report_year = self.year if self.year and self.year < this else (this - 1 if api.today().month <= 4 else this)
        year, ok = QInputDialog.getInt(self, "向各单位征集年报",
                                       "征集哪一年度的政府信息公开工作年度报告？\n"
                                       "向全部在用单位布置，截止为次年1月31日（条例第四十九条）。",
                                       report_year, 1990, 2100)
        if ok:
            self.collect_reports(year)

    def collect_reports(self, year: int) -> None:
        actor = self.ctx.actor

        def done(result):
            t, new = result
            self.year, self.task_id = t.year, t.id
            messages.info(self, "向各单位征集年报", f"已向{len(new)}个单位布置报送{year}年度年度报告"
                          + ("" if new else "（各单位都已布置过）"))
        self._write(lambda: api.collect_annual_reports(year, actor), done)

    def show_unit(self, unit_id: int | None = None) -> None:
        if unit_id is None:
            r = self.current_request()
            unit_id = r.unit_id if r is not None else self.unit_id
        if unit_id is None:
            return
        self.ctx.ops.read(("tasks", "unit"), lambda: api.unit_owes(unit_id),
                          success=lambda owes: self._show_owes(owes))

    def _show_owes(self, owes) -> None:
        self.owes_dialog = UnitOwesDialog(self, owes)
        self.owes_dialog.show()

    # ------------------------------------------------------------------ files
    def ask_import(self) -> ImportWizard:
        wiz = ImportWizard(self)
        wiz.saved.connect(lambda _ids: self.refresh())
        wiz.show()
        self.import_wizard = wiz
        return wiz

    def ask_remind(self) -> None:
        if not any(r.overdue for r in self.all_rows):
            messages.info(self, "催报", "没有逾期未报送的单位。")
            return
        folder = QFileDialog.getExistingDirectory(self, "催报/督办通知保存到文件夹", self._folder())
        if not folder:
            return
        only = None
        if self.unit_id is not None:
            name = self.unit_box.currentText()
            if messages.confirm(self, "催报", f"只给“{name}”出具通知？", yes=f"只给{name}", no="给全部逾期单位"):
                only = self.unit_id
        self.remind(folder, unit_id=only)

    def remind(self, folder: str, *, unit_id: int | None = None) -> None:
        actor = self.ctx.actor

        def run(progress=None):
            return api.issue_letters(actor, unit=unit_id, folder=folder, progress=progress)

        def done(letters):
            kinds = {}
            for x in letters:
                kinds[x.kind_label] = kinds.get(x.kind_label, 0) + 1
            messages.info(self, "催报/督办通知", f"已出具{len(letters)}份通知（" +
                          "，".join(f"{k}{n}份" for k, n in kinds.items()) + f"），保存在\n{folder}",
                          "每份已编号存档；打印盖章后送达各单位。已催报仍未报的单位自动出具督办通知。")
        self._write(run, done, progress=True, title="正在出具通知")

    def ask_leader_list(self) -> None:
        today = getattr(self, "today", dt.date.today())
        path, _ = QFileDialog.getSaveFileName(self, "领导一览表", str(Path(self._folder()) /
                                              f"逾期未报送一览表（{today.isoformat()}）.pdf"), "PDF 文件 (*.pdf)")
        if path:
            self.leader_list(path)

    def leader_list(self, path: str) -> None:
        self.ctx.ops.read(("tasks", "file"), lambda: api.write_leader_list(path),
                          success=lambda p: messages.info(self, "领导一览表", f"已生成\n{p}"),
                          failure=lambda e: self.ctx.show_error(e, self), progress=True, title="正在生成", parent=self)

    def ask_summary(self) -> None:
        if not self.year:
            messages.info(self, "导出落实情况", "落实情况按年度汇总：请先在“年度”中选择一年。")
            return
        path, _ = QFileDialog.getSaveFileName(self, "导出落实情况", str(Path(self._folder()) /
                                              f"{self.year}年工作任务落实情况.xlsx"),
                                              "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)")
        if path:
            self.export_summary(path)

    def export_summary(self, path: str) -> None:
        year = self.year
        self.ctx.ops.read(("tasks", "file"), lambda: api.write_summary(path, year),
                          success=lambda p: messages.info(self, "导出落实情况", f"已导出到\n{p}"),
                          failure=lambda e: self.ctx.show_error(e, self), progress=True, title="正在导出", parent=self)
