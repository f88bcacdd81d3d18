"""The forms import dialog: every file read with its unit, what would change and its
problems; accept per unit; 保存所选 saves on the writer thread."""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit,
    QSplitter, QTableWidget, QTableWidgetItem, QTextBrowser,
    QVBoxLayout,
)

from gkdesk.api import forms as api
from gkdesk.ui.widgets.unit_list import STATUS_COLORS

log = logging.getLogger(__name__)



class ImportDialog(QDialog):
    """Every file read: its unit, what would change, problems; accept per unit; 保存所选."""

    saved = Signal(object)     # ApplyResult

    def __init__(self, ctx, diffs, source: str, parent=None, rnd=None):
        super().__init__(parent)
        self.ctx = ctx
        self.diffs = list(diffs)
        self.result = None
        self.setWindowTitle(f"导入表格 — {source}")
        self.resize(1000, 640)

        self.table = QTableWidget(len(self.diffs), 4)
        self.table.setObjectName("importTable")
        self.table.setHorizontalHeaderLabels(["保存", "单位", "文件", "情况"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.setColumnWidth(0, 48)
        self.table.setColumnWidth(1, 200)
        self.table.setColumnWidth(3, 170)
        for i, d in enumerate(self.diffs):
            check = QTableWidgetItem()
            if d.ok:
                check.setFlags(Qt.ItemIsEnabled | Qt.ItemIsUserCheckable | Qt.ItemIsSelectable)
                check.setCheckState(Qt.Checked if d.accepted else Qt.Unchecked)
            else:
                check.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
                check.setToolTip("有问题，不能保存")
            self.table.setItem(i, 0, check)
            self.table.setItem(i, 1, QTableWidgetItem(d.unit_name or "（未识别）"))
            self.table.setItem(i, 2, QTableWidgetItem(d.display))
            if not d.ok:
                state, color = f"有问题（{len(d.problems)}处）", STATUS_COLORS["problems"]
            elif d.changes:
                state, color = f"有变化（{len(d.changes)}项）", "#1d4ed8"
            else:
                state, color = "无变化", STATUS_COLORS["missing"]
            it = QTableWidgetItem(state)
            it.setForeground(QBrush(QColor(color)))
            self.table.setItem(i, 3, it)
        self.detail = QTextBrowser()
        self.detail.setObjectName("importDetail")
        self.all_problems = QPlainTextEdit()
        self.all_problems.setObjectName("allProblems")
        self.all_problems.setReadOnly(True)
        problems = [p for d in self.diffs for p in d.problems]
        self.all_problems.setPlainText("\n".join(problems) if problems else "没有问题。")

        self.round_combo = QComboBox()
        self.round_combo.addItem("导出时所属的征集轮次（或当前进行中的）", None)
        for r in api.list_rounds():
            if not r.closed:
                self.round_combo.addItem(f"登记为“{r.name}”的交回", r.id)
        self.round_combo.addItem("不登记为交回", False)
        if rnd is not None:
            i = self.round_combo.findData(rnd)
            if i >= 0:
                self.round_combo.setCurrentIndex(i)
        self.record_problems = QCheckBox("把有问题的单位登记为“有问题”")
        self.record_problems.setChecked(True)

        n_ok = sum(1 for d in self.diffs if d.ok)
        summary = QLabel(f"共读取 {len(self.diffs)} 个文件：{n_ok} 个可以保存，{len(self.diffs) - n_ok} 个有问题。"
                         "勾选要保存的单位，然后点“保存所选”。未勾选的不做任何修改。")
        summary.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.save_btn = self.buttons.addButton("保存所选", QDialogButtonBox.AcceptRole)
        self.save_btn.setObjectName("primaryButton")
        cancel = self.buttons.addButton("取消", QDialogButtonBox.RejectRole)
        self.save_btn.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)

        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        lower = QSplitter()
        lower.addWidget(self.detail)
        pbox = QGroupBox("全部问题")
        pl = QVBoxLayout(pbox)
        pl.addWidget(self.all_problems)
        lower.addWidget(pbox)
        split.addWidget(lower)
        opts = QHBoxLayout()
        opts.addWidget(self.round_combo)
        opts.addWidget(self.record_problems)
        opts.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(summary)
        lay.addWidget(split, 1)
        lay.addLayout(opts)
        lay.addWidget(self.buttons)
        self.table.currentCellChanged.connect(lambda r, *_: self.show_detail(r))
        self.table.itemChanged.connect(self._check_changed)
        if self.diffs:
            self.table.setCurrentCell(0, 1)
            self.show_detail(0)
        self._update_save()

    def _check_changed(self, item) -> None:
        if item.column() == 0:
            d = self.diffs[item.row()]
            d.accepted = d.ok and item.checkState() == Qt.Checked
            self._update_save()

    def set_accepted(self, row: int, accepted: bool) -> None:
        self.table.item(row, 0).setCheckState(Qt.Checked if accepted else Qt.Unchecked)

    def _update_save(self) -> None:
        n = sum(1 for d in self.diffs if d.accepted and d.ok)
        self.save_btn.setText(f"保存所选（{n}）")
        self.save_btn.setEnabled(n > 0 or (self.record_problems.isChecked() and any(not d.ok for d in self.diffs)))

    def show_detail(self, row: int) -> None:
        from html import escape

        if not (0 <= row < len(self.diffs)):
            self.detail.setHtml("")
            return
        d = self.diffs[row]
        parts = [f"<h3>{escape(d.unit_name or '（未识别单位）')}</h3><p style='color:#555'>{escape(d.display)}</p>"]
        if d.problems:
            parts.append("<p><b style='color:#c62828'>问题</b></p><ul>"
                         + "".join(f"<li>{escape(p)}</li>" for p in d.problems) + "</ul>")
        if d.changes:
            head = "将要修改" if d.ok else "与已有信息相比（有问题，不会保存）"
            parts.append(f"<p><b>{head}</b></p><ul>" + "".join(f"<li>{escape(str(c))}</li>" for c in d.changes)
                         + "</ul>")
        elif d.ok:
            parts.append("<p>与已有信息相同，保存时只登记交回。</p>")
        if d.warnings:
            parts.append("<p><b style='color:#b26a00'>提示</b></p><ul>"
                         + "".join(f"<li>{escape(w)}</li>" for w in d.warnings) + "</ul>")
        self.detail.setHtml("".join(parts))

    def save(self) -> None:
        for i, d in enumerate(self.diffs):
            d.accepted = d.ok and self.table.item(i, 0).checkState() == Qt.Checked
        rnd = self.round_combo.currentData()
        record = self.record_problems.isChecked()
        diffs = self.diffs
        actor = self.ctx.actor
        self.save_btn.setEnabled(False)

        def work():
            return api.save_returns(diffs, actor, rnd, record_problems=record)

        def done(result):
            self.result = result
            self.saved.emit(result)
            self.accept()

        def failed(exc):
            self.save_btn.setEnabled(True)
            self.ctx.show_error(exc, self)

        # on the writer thread, after any write the clerk queued before it
        self.ctx.ops.write(work, success=done, failure=failed, initiator=self, progress=True,
                           title="正在保存", parent=self)
