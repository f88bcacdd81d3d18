"""交办 in the case window: a case sent to a unit for its information, with an internal due
date a few working days before the legal one (proposed by the core, editable, checked by
the core), the 交办单 printed from its template, the unit's answer recorded or the hand-off
returned (退回) with a reason. And the list of every overdue hand-off (the dashboard card).

Everything goes through ``gkdesk.api.handoffs`` on ``ctx.ops``; the panel refreshes itself
from the change feed (topic ``handoffs``)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
    QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from gkdesk.api import handoffs as api
from gkdesk.errors import GkError
from gkdesk.ui.dialogs import messages
from gkdesk.ui.dialogs.help_dialog import add_help_shortcut
from gkdesk.ui.widgets import alive, read_failed

LATE_BG = QColor("#fde2e1")
LATE_FG = QColor("#9b1c1c")
HEADERS = ["交办编号", "承办单位", "交办日期", "内部期限", "状态", "单位答复或退回理由"]


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def _date_edit(d: dt.date) -> QDateEdit:
    w = QDateEdit(_qdate(d))
    w.setCalendarPopup(True)
    w.setDisplayFormat("yyyy-MM-dd")
    return w


def status_text(h: api.HandoffView) -> str:
    if h.late_days > 0:
        return f"{h.status_label}，逾期{h.late_days}个工作日未答复"
    if h.status == "answered" and h.answer_date:
        return f"{h.status_label}（{h.answer_date.isoformat()}）"
    if h.status == "returned" and h.returned_date:
        return f"{h.status_label}（{h.returned_date.isoformat()}）"
    return h.status_label


def _cell(text: str, data=None) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setToolTip(text)
    if data is not None:
        it.setData(Qt.UserRole, data)
    return it


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setSelectionBehavior(QAbstractItemView.SelectRows)
    t.setSelectionMode(QAbstractItemView.SingleSelection)
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.setAlternatingRowColors(True)
    t.setWordWrap(True)
    hh = t.horizontalHeader()
    hh.setHighlightSections(False)
    for c in range(len(headers) - 1):
        hh.setSectionResizeMode(c, QHeaderView.ResizeToContents)
    hh.setSectionResizeMode(len(headers) - 1, QHeaderView.Stretch)
    return t


def _mark_late(t: QTableWidget, row: int) -> None:
    for c in range(t.columnCount()):
        it = t.item(row, c)
        it.setBackground(LATE_BG)
        it.setForeground(LATE_FG)


class HandoffsPanel(QWidget):
    """The 交办 tab of a case window."""

    def __init__(self, ctx, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = int(case_id)
        self.items: tuple[api.HandoffView, ...] = ()
        self.refusal = ""
        self.dialog: QDialog | None = None
        self.setObjectName("handoffsPanel")

        self.send_button = QPushButton("交办…")
        self.send_button.setObjectName("sendHandoff")
        self.send_button.setToolTip("把本案交给一个单位检索、提供信息，并定一个早于法定期限的内部办理期限")
        self.send_button.clicked.connect(lambda _c=False: self.open_send())
        self.print_button = QPushButton("打印交办单…")
        self.print_button.setToolTip("把选中的交办单保存为 PDF（按“文书模板”中的交办单模板）")
        self.print_button.clicked.connect(lambda _c=False: self.print_sheet())
        self.answer_button = QPushButton("登记单位答复…")
        self.answer_button.clicked.connect(lambda _c=False: self.open_answer())
        self.return_button = QPushButton("登记退回…")
        self.return_button.setToolTip("单位认为不属于其职责等，把交办退回，须写明理由")
        self.return_button.clicked.connect(lambda _c=False: self.open_return())
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.table = _table(HEADERS)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.print_sheet())

        row = QHBoxLayout()
        for b in (self.send_button, self.print_button, self.answer_button, self.return_button):
            row.addWidget(b)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.hint)
        ctx.changed.opDidExecute.connect(self.on_changes)
        self.refresh()

    # ---------------------------------------------------------------- data
    def on_changes(self, changes, initiator) -> None:
        if not alive(self) or initiator is self:
            return
        if changes.touches("handoffs") or changes.touches_case(self.case_id):
            self.refresh()

    def refresh(self) -> None:
        cid = self.case_id
        self.ctx.ops.read(("handoffs", cid), lambda: (api.of_case(cid), api.send_refusal(cid)), success=self._fill,
                          failure=read_failed("交办"))

    def _fill(self, result) -> None:
        if not alive(self):
            return
        self.items, self.refusal = result
        t = self.table
        t.setRowCount(len(self.items))
        for r, h in enumerate(self.items):
            reply = h.answer or (f"退回：{h.return_reason}" if h.return_reason else "")
            t.setItem(r, 0, _cell(h.number, h.id))
            t.setItem(r, 1, _cell(h.unit_name))
            t.setItem(r, 2, _cell(h.sent_date.isoformat()))
            due = h.internal_due.isoformat()
            if h.legal_due:
                due += f"（法定{h.legal_due.isoformat()}）"
            t.setItem(r, 3, _cell(due))
            t.setItem(r, 4, _cell(status_text(h), h.status))
            t.setItem(r, 5, _cell(reply or h.instructions))
            if h.late_days > 0:
                _mark_late(t, r)
        t.resizeRowsToContents()
        if self.items and not t.selectionModel().selectedRows():
            t.selectRow(len(self.items) - 1)
        late = sum(1 for h in self.items if h.late_days > 0)
        if not self.items:
            text = "本案尚未交办。需要其他单位检索、提供信息时，点“交办…”。"
        else:
            text = f"共交办 {len(self.items)} 次" + (f"，其中 {late} 件已过内部期限仍未答复，请督办。" if late else "。")
        if self.refusal:
            text += f"\n{self.refusal}。"
        self.hint.setText(text)
        self.send_button.setEnabled(not self.refusal)
        self.send_button.setToolTip(self.refusal or "把本案交给一个单位检索、提供信息，并定一个早于法定期限的内部办理期限")
        self._update_buttons()

    def selected(self) -> api.HandoffView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        hid = self.table.item(rows[0].row(), 0).data(Qt.UserRole)
        return next((h for h in self.items if h.id == hid), None)

    def _update_buttons(self) -> None:
        h = self.selected()
        self.print_button.setEnabled(h is not None)
        for b in (self.answer_button, self.return_button):
            b.setEnabled(h is not None and h.is_open)
            b.setToolTip("" if h is None or h.is_open else f"交办 {h.number} {h.status_label}")

    # ---------------------------------------------------------------- actions
    def open_send(self) -> "SendHandoffDialog":
        dlg = SendHandoffDialog(self.ctx, self.case_id, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.accepted.connect(lambda d=dlg: self._sent(d.result_view))
        self.dialog = dlg
        dlg.open()
        return dlg

    def _sent(self, view: api.HandoffView | None) -> None:
        self.dialog = None
        self.refresh()
        if view is not None:
            for r in range(self.table.rowCount()):
                if self.table.item(r, 0).data(Qt.UserRole) == view.id:
                    self.table.selectRow(r)

    def open_answer(self) -> "RecordDialog | None":
        return self._open_record("answer")

    def open_return(self) -> "RecordDialog | None":
        return self._open_record("return")

    def _open_record(self, kind: str):
        h = self.selected()
        if h is None or not h.is_open:
            return None
        dlg = RecordDialog(self.ctx, h, kind, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self._sent(None))
        self.dialog = dlg
        dlg.open()
        return dlg

    def ask_path(self, name: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "保存交办单", name, "PDF 文件 (*.pdf)")
        return path

    def print_sheet(self) -> None:
        h = self.selected()
        if h is None:
            return
        path = self.ask_path(f"{h.number}-交办单.pdf".replace("/", "_"))
        if not path:
            return
        actor = self.ctx.actor

        def job():
            return api.save_sheet_pdf(h.id, actor, path)

        self.ctx.ops.read(("handoff-sheet", h.id), job,
                          success=lambda p: messages.info(self, "打印交办单", f"交办单 {h.number} 已保存到\n{p}",
                                                          "打开 PDF 打印后送承办单位签收。"),
                          failure=lambda exc: messages.show_exception(self, exc, "打印交办单"))


class _FormDialog(QDialog):
    """A small form whose 确定 runs a core write; a refusal is shown in the form (nothing
    typed is lost) and the dialog stays open."""

    def __init__(self, ctx, title: str, ok_text: str, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.result_view: api.HandoffView | None = None
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModal)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignRight | Qt.AlignTop)
        self.error = QLabel()
        self.error.setObjectName("errorPanel")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.error)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        add_help_shortcut(self, "handoffs")

    def run(self, fn) -> None:
        self.error.hide()
        self.ctx.ops.write(fn, success=self._done, failure=self._failed, initiator=self.parent(), parent=self)

    def _done(self, view) -> None:
        self.result_view = view
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, GkError):
            messages.show_exception(self, exc)
            return
        self.error.setText(str(exc))
        self.error.show()

    def submit(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class SendHandoffDialog(_FormDialog):
    """交办: the unit (picked from the units in use, or typed), what to do, the date of
    sending and the internal due date — proposed N working days before the legal one."""

    def __init__(self, ctx, case_id: int, parent=None):
        super().__init__(ctx, "交办", "交办", parent)
        self.case_id = int(case_id)
        self.due_edited = False
        self._setting_due = False
        self.proposal: api.Proposal | None = None
        self.unit = QComboBox()
        self.unit.setObjectName("handoffUnit")
        self.unit.setEditable(True)
        self.unit.setInsertPolicy(QComboBox.NoInsert)
        self.unit.lineEdit().setPlaceholderText("选择或输入承办单位")
        self.unit.setMinimumWidth(320)
        self.instructions = QPlainTextEdit()
        self.instructions.setTabChangesFocus(True)
        self.instructions.setPlaceholderText("如：请检索2025年征收补偿台账，提出是否公开的意见并说明依据（可不填，交办单印默认文字）")
        self.instructions.setMaximumHeight(90)
        self.days = QSpinBox()
        self.days.setRange(0, 15)
        self.days.setValue(api.DEFAULT_DAYS_BEFORE)
        self.days.setSuffix(" 个工作日")
        self.days.setMaximumWidth(140)
        self.due_hint = QLabel()
        self.due_hint.setObjectName("hint")
        self.due_hint.setWordWrap(True)
        self.sent_date = _date_edit(api.today())
        self.internal_due = _date_edit(api.today())
        self.internal_due.setObjectName("handoffInternalDue")
        self.form.addRow("承办单位：", self.unit)
        self.form.addRow("交办事项：", self.instructions)
        self.form.addRow("交办日期：", self.sent_date)
        self.form.addRow("早于法定期限：", self.days)
        self.form.addRow("内部办理期限：", self.internal_due)
        self.form.addRow("", self.due_hint)
        self.resize(560, 380)
        ctx.ops.read(("handoff-units", id(self)), api.units, success=self._fill_units)
        self._propose(first=True)
        self.days.valueChanged.connect(lambda _v: self._propose())
        self.sent_date.dateChanged.connect(lambda _d: self._propose())
        self.internal_due.dateChanged.connect(self._due_changed)

    def _fill_units(self, units) -> None:
        if not alive(self):
            return
        typed = self.unit.currentText()
        self.unit.clear()
        for u in units:
            self.unit.addItem(u.name, u.id)
        self.unit.setCurrentIndex(-1)
        self.unit.setEditText(typed)

    def _propose(self, first: bool = False) -> None:
        cid, n = self.case_id, self.days.value()
        sent = None if first else _pydate(self.sent_date.date())
        self.ctx.ops.read(("handoff-propose", id(self)), lambda: api.propose(cid, n, sent),
                          success=lambda p: self._show_proposal(p, first), failure=self._failed)

    def _show_proposal(self, p: api.Proposal, first: bool) -> None:
        if not alive(self):
            return
        self.proposal = p
        if first:
            self.sent_date.blockSignals(True)
            self.sent_date.setDate(_qdate(p.sent_date))
            self.sent_date.blockSignals(False)
        if p.internal_due is not None:
            self._setting_due = True
            self.internal_due.setDate(_qdate(p.internal_due))
            self._setting_due = False
            self.due_edited = False
        self._update_hint()

    def _due_changed(self, _d) -> None:
        if not self._setting_due:
            self.due_edited = True
            self._update_hint()

    def _update_hint(self) -> None:
        p = self.proposal
        if p is None or p.legal_due is None:
            self.due_hint.setText("本案没有答复期限，无法交办。")
            return
        text = (f"法定答复期限 {p.legal_due.isoformat()}；按办公室日历提前 {p.days_before} 个工作日，"
                f"建议内部办理期限 {p.internal_due.isoformat()}。")
        if self.due_edited:
            text += "已改为手填的日期（须为工作日，不晚于法定期限）。"
        self.due_hint.setText(text)

    def values(self) -> dict:
        name = self.unit.currentText().strip()
        idx = self.unit.findText(name, Qt.MatchExactly)
        v = {"instructions": self.instructions.toPlainText().strip(), "sent_date": _pydate(self.sent_date.date()),
             "days_before": self.days.value()}
        if idx >= 0:
            v["unit_id"] = self.unit.itemData(idx)
        else:
            v["unit_name"] = name
        if self.due_edited:
            v["internal_due_date"] = _pydate(self.internal_due.date())
        return v

    def submit(self) -> None:
        cid, actor, v = self.case_id, self.ctx.actor, self.values()
        self.run(lambda: api.send(cid, actor, **v))


class RecordDialog(_FormDialog):
    """登记单位答复 (``kind="answer"``) or 登记退回 (``kind="return"``) of one hand-off."""

    def __init__(self, ctx, handoff: api.HandoffView, kind: str, parent=None):
        answer = kind == "answer"
        super().__init__(ctx, "登记单位答复" if answer else "登记退回", "登记", parent)
        self.handoff = handoff
        self.kind = kind
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText("单位提供的信息、检索结果或是否公开的意见" if answer
                                     else "如：该信息不属于本单位职责，建议交某某局")
        self.date = _date_edit(api.today())
        info = QLabel(f"{handoff.number}　{handoff.unit_name}　交办日期 {handoff.sent_date.isoformat()}，"
                      f"内部期限 {handoff.internal_due.isoformat()}")
        info.setWordWrap(True)
        self.form.addRow("交办：", info)
        self.form.addRow("单位答复：" if answer else "退回理由：", self.text)
        self.form.addRow("答复日期：" if answer else "退回日期：", self.date)
        self.resize(520, 300)

    def submit(self) -> None:
        hid, actor = self.handoff.id, self.ctx.actor
        text, day = self.text.toPlainText(), _pydate(self.date.date())
        if self.kind == "answer":
            self.run(lambda: api.answer(hid, actor, answer=text, answer_date=day))
        else:
            self.run(lambda: api.return_(hid, actor, reason=text, returned_date=day))


class OverdueHandoffsDialog(QDialog):
    """Every open hand-off past its internal due date (the dashboard card 交办逾期未答复);
    double-click opens the case."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.items: tuple[api.HandoffView, ...] = ()
        self.setWindowTitle("交办逾期未答复")
        self.resize(900, 460)
        self.summary = QLabel("正在读取…")
        self.table = _table(["受理编号", "申请人", "承办单位", "交办编号", "内部期限", "逾期", "交办事项"])
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        open_button = QPushButton("打开案件")
        open_button.clicked.connect(lambda _c=False: self.open_selected())
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(open_button)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        add_help_shortcut(self, "handoffs")
        ctx.changed.opDidExecute.connect(self.on_changes)
        self.refresh()

    def on_changes(self, changes, _initiator) -> None:
        if alive(self) and changes.touches("handoffs", "cases"):
            self.refresh()

    def refresh(self) -> None:
        self.ctx.ops.read("handoffs-overdue", api.overdue, success=self._fill, failure=read_failed("逾期交办"))

    def _fill(self, items) -> None:
        if not alive(self):
            return
        self.items = tuple(items)
        t = self.table
        t.setRowCount(len(self.items))
        for r, h in enumerate(self.items):
            for c, text in enumerate((h.case_number, h.applicant, h.unit_name, h.number, h.internal_due.isoformat(),
                                      f"{h.late_days}个工作日", h.instructions)):
                t.setItem(r, c, _cell(text, h.case_id if c == 0 else None))
            _mark_late(t, r)
        t.resizeRowsToContents()
        self.summary.setText(f"共 {len(self.items)} 件交办已过内部办理期限仍未答复，按逾期时间长短排列。"
                             "双击打开案件，登记单位答复或督办。" if self.items else "没有逾期未答复的交办。")

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.ctx.open_case(self.table.item(rows[0].row(), 0).data(Qt.UserRole))


def open_overdue(ctx, parent=None) -> OverdueHandoffsDialog:
    dlg = OverdueHandoffsDialog(ctx, parent)
    dlg.setAttribute(Qt.WA_DeleteOnClose)
    dlg.show()
    return dlg
