"""Collection rounds (征集轮次) of Annex 1/2: start one (截止日期、回收邮箱和传真), the status
of every unit in it, close it, export its forms and import the returns."""
from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
)

from gkdesk.api import forms as api
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets.fields import ChineseDateEdit, set_invalid
from gkdesk.ui.widgets.row_table import phone_problem
from gkdesk.ui.widgets.unit_list import OVERDUE_COLOR, STATUS_COLORS

if TYPE_CHECKING:
    from gkdesk.ui.pages.forms import FormsPage

log = logging.getLogger(__name__)



class NewRoundDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.round = None
        self.setWindowTitle("发起征集")
        self.name = QLineEdit(f"{dt.date.today().year}年工作人员情况表、工作职能清单征集")
        self.deadline = ChineseDateEdit(value=dt.date.today() + dt.timedelta(days=10))
        try:
            email = api.office_email()
        except Exception:  # noqa: BLE001 - a default only
            email = ""
        self.email = QLineEdit(email or "")
        self.fax = QLineEdit()
        self.fax.textChanged.connect(lambda t: set_invalid(self.fax, phone_problem(t)))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("留空则按截止日期、邮箱、传真生成，如：注：请于 8 月 28 日下午下班前将电子版发至……")
        self.note.setMaximumHeight(70)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setObjectName("hint")
        form = QFormLayout()
        form.addRow("轮次名称：", self.name)
        form.addRow("截止日期：", self.deadline)
        form.addRow("电子版发至邮箱：", self.email)
        form.addRow("纸质版传真至：", self.fax)
        form.addRow("“注”的文字：", self.note)
        form.addRow("", self.preview)
        box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        box.button(QDialogButtonBox.Ok).setText("发起")
        box.button(QDialogButtonBox.Cancel).setText("取消")
        box.accepted.connect(self.create)
        box.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(box)
        for w in (self.email, self.fax):
            w.textChanged.connect(self._preview)
        self.deadline.dateChanged.connect(self._preview)
        self.note.textChanged.connect(self._preview)
        self._preview()

    def _preview(self, *_):
        from types import SimpleNamespace

        fake = SimpleNamespace(note=self.note.toPlainText().strip(), deadline=self.deadline.date_value(),
                               return_email=self.email.text().strip(), return_fax=self.fax.text().strip())
        self.preview.setText("表格上将印：" + api.note_text(fake))

    def create(self) -> None:
        name, deadline, actor = self.name.text(), self.deadline.date_value(), self.ctx.actor
        options = dict(email=self.email.text(), fax=self.fax.text(), note=self.note.toPlainText())

        def created(rnd):
            self.round = rnd
            self.accept()

        self.ctx.ops.write(lambda: api.create_round(name, deadline, actor, **options), success=created,
                           failure=lambda exc: self.ctx.show_error(exc, self), initiator=self, parent=self)


class RoundsDialog(QDialog):
    """A round's status per unit (已交回 / 逾期交回 / 未交回 / 有问题), and round actions."""

    def __init__(self, ctx, page: FormsPage):
        super().__init__(page)
        self.ctx = ctx
        self.page = page
        self.setWindowTitle("征集轮次")
        self.resize(900, 600)
        self.combo = QComboBox()
        self.new_btn = QPushButton("发起征集…")
        self.close_btn = QPushButton("结束本轮")
        self.export_btn = QPushButton("导出本轮表格…")
        self.import_btn = QPushButton("导入交回表格…")
        self.summary = QLabel()
        self.summary.setObjectName("roundSummary")
        self.summary.setWordWrap(True)
        self.filter = QComboBox()
        self.filter.addItem("全部单位", None)
        for k, v in api.STATUS_LABELS.items():
            self.filter.addItem(v, k)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("roundTable")
        self.table.setHorizontalHeaderLabels(["单位", "状态", "交回时间", "问题 / 文件"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.table.setColumnWidth(0, 220)
        self.table.setColumnWidth(1, 130)
        self.table.setColumnWidth(2, 140)
        top = QHBoxLayout()
        top.addWidget(QLabel("征集轮次："))
        top.addWidget(self.combo, 1)
        top.addWidget(self.new_btn)
        top.addWidget(self.close_btn)
        mid = QHBoxLayout()
        mid.addWidget(self.summary, 1)
        mid.addWidget(self.filter)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_btn)
        bottom.addWidget(self.import_btn)
        bottom.addStretch(1)
        closeb = QPushButton("关闭")
        closeb.clicked.connect(self.reject)
        bottom.addWidget(closeb)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(mid)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        self.combo.currentIndexChanged.connect(lambda *_: self.refresh_status())
        self.filter.currentIndexChanged.connect(lambda *_: self.refresh_status())
        self.new_btn.clicked.connect(self.new_round)
        self.close_btn.clicked.connect(self.close_round)
        self.export_btn.clicked.connect(self.export_round)
        self.import_btn.clicked.connect(self.import_returns)
        ctx.changed.opDidExecute.connect(self.on_changes)
        self.refresh_rounds()

    def on_changes(self, changes, _initiator):
        if changes.touches("units", "rounds") and self.isVisible():
            self.refresh_status()

    def current_round(self):
        rid = self.combo.currentData()
        return api.get_round(rid) if rid is not None else None

    def refresh_rounds(self, select=None) -> None:
        blocker = QSignalBlocker(self.combo)
        self.combo.clear()
        for r in api.list_rounds():
            self.combo.addItem(f"{r.name}（截止 {r.deadline.isoformat()}{'，已结束' if r.closed else ''}）", r.id)
        if select is not None:
            self.combo.setCurrentIndex(max(0, self.combo.findData(select)))
        del blocker
        self.refresh_status()

    def refresh_status(self) -> None:
        rnd = self.current_round()
        for w in (self.close_btn, self.export_btn, self.import_btn):
            w.setEnabled(rnd is not None and not rnd.closed)
        if rnd is None:
            self.summary.setText("还没有征集轮次。点“发起征集…”开始：设定截止日期、回收邮箱和传真，然后导出各单位的表格。")
            self.table.setRowCount(0)
            return
        summary = api.round_summary(rnd.id)
        statuses = summary.statuses
        self.summary.setText(f"截止 {rnd.deadline.year}年{rnd.deadline.month}月{rnd.deadline.day}日；"
                             + summary.counts_text + f"\n{api.note_text(rnd)}")
        want = self.filter.currentData()
        rows = [s for s in statuses if want is None or s.status == want]
        self.table.setRowCount(len(rows))
        for i, s in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(s.unit_name))
            st = QTableWidgetItem(s.label)
            st.setForeground(QBrush(QColor(OVERDUE_COLOR if s.status == "missing" and s.overdue
                                           else STATUS_COLORS[s.status])))
            self.table.setItem(i, 1, st)
            when = s.returned_at.astimezone().strftime("%Y-%m-%d %H:%M") if s.returned_at else ""
            self.table.setItem(i, 2, QTableWidgetItem(when))
            info = s.problems.replace("\n", "；") if s.problems else (Path(s.source_file).name if s.source_file else "")
            it = QTableWidgetItem(info)
            it.setToolTip(s.problems or s.source_file)
            self.table.setItem(i, 3, it)

    def new_round(self):
        dlg = NewRoundDialog(self.ctx, self)
        if dlg.exec() == QDialog.Accepted and dlg.round is not None:
            self.refresh_rounds(dlg.round.id)
        return dlg

    def close_round(self):
        rnd = self.current_round()
        if rnd is None or not messages.confirm(self, "结束征集", f"结束征集“{rnd.name}”？结束后导入的表格不再计入本轮。",
                                               yes="结束"):
            return
        actor = self.ctx.actor
        self.ctx.ops.write(lambda: api.close_round(rnd.id, actor), success=lambda _r: self.refresh_rounds(rnd.id),
                           failure=lambda exc: self.ctx.show_error(exc, self), initiator=self, parent=self)

    def export_round(self):
        rnd = self.current_round()
        if rnd is None:
            return
        folder = self.page.ask_folder(f"导出“{rnd.name}”的表格到文件夹（每个单位一个 xlsx，预填已有信息）")
        if not folder:
            return

        def work(progress=None, cancelled=None):
            return api.export_all(folder, rnd, progress=progress, cancelled=cancelled)

        self.ctx.run_in_background(
            work, lambda files: messages.info(self, "导出完成", f"已导出 {len(files)} 个单位的表格到\n{folder}"),
            title="正在导出表格", parent=self)

    def import_returns(self):
        rnd = self.current_round()
        if rnd is not None:
            self.page.import_forms(folder=True, rnd=rnd.id)
