"""Table 二 from the register of 规章 and 行政规范性文件, where 表二 is edited (统计报表 → 年度报告),
on the seam: ``gkdesk.api.annual`` views through ``ctx.ops``, refreshed by the change feed
(topic ``register``).

``RegisterPanel``: one line under table 二 with the year's counts from the register (and
whether table 二 holds them), 登记簿… and 按登记簿填入表二. ``RegisterDialog``: the register —
every document issued, repealed or in force in the year; 新增 / 修改 / 删除 / 导入 xlsx.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from gkdesk.api import annual as api
from gkdesk.errors import GkError, ValidationError
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets import alive, read_failed
from gkdesk.ui.widgets.fields import ChineseDateEdit, format_date, set_invalid

HEADERS = ("类别", "标题", "文号", "发布日期", "废止日期", "备注")
COLUMNS = ("本年制发件数", "本年废止件数", "现行有效件数")


def counts_text(view: api.RegisterView) -> str:
    parts = []
    for row, cols in view.counts.items():
        parts.append(f"{row} 制发{cols[COLUMNS[0]]}、废止{cols[COLUMNS[1]]}、现行有效{cols[COLUMNS[2]]}")
    return "；".join(parts)


class EntryDialog(QDialog):
    """新增 / 修改 one entry of the register."""

    def __init__(self, ctx, view: api.RegisterView, entry=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.entry = entry
        self.result_entry = None
        self.setObjectName("regulationDialog")
        self.setWindowTitle("修改登记" if entry else "登记规章或规范性文件")
        self.resize(560, 320)
        lay = QVBoxLayout(self)
        self.error_panel = QLabel()
        self.error_panel.setObjectName("errorPanel")
        self.error_panel.setWordWrap(True)
        self.error_panel.hide()
        lay.addWidget(self.error_panel)
        form = QFormLayout()
        self.kind = QComboBox()
        for code, label in view.kinds:
            self.kind.addItem(label, code)
        self.title = QLineEdit()
        self.title.setPlaceholderText("如：某某县城市绿化管理办法")
        self.number = QLineEdit()
        self.number.setPlaceholderText("如：某政规〔2025〕3号")
        self.issued = ChineseDateEdit()
        self.is_repealed = QCheckBox("已废止或宣布失效")
        self.repealed = ChineseDateEdit()
        self.repealed.setEnabled(False)
        self.is_repealed.toggled.connect(self.repealed.setEnabled)
        self.note = QLineEdit()
        rep = QHBoxLayout()
        rep.addWidget(self.is_repealed)
        rep.addWidget(self.repealed, 1)
        form.addRow("类别", self.kind)
        form.addRow("标题", self.title)
        form.addRow("文号", self.number)
        form.addRow("发布日期", self.issued)
        form.addRow("废止日期", rep)
        form.addRow("备注", self.note)
        self.editors = {"类别": self.kind, "标题": self.title, "文号": self.number, "发布日期": self.issued,
                        "废止日期": self.repealed}
        lay.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        if entry is not None:
            self.kind.setCurrentIndex(self.kind.findData(entry.kind))
            self.title.setText(entry.title)
            self.number.setText(entry.number)
            self.issued.set_date(entry.issued)
            self.is_repealed.setChecked(entry.repealed is not None)
            if entry.repealed is not None:
                self.repealed.set_date(entry.repealed)
            self.note.setText(entry.note)
        else:
            self.issued.set_date(dt.date(view.year, 1, 1) if view.year < dt.date.today().year else dt.date.today())

    def values(self) -> dict:
        return {"kind": self.kind.currentData(), "title": self.title.text(), "number": self.number.text(),
                "issued": self.issued.date_value(),
                "repealed": self.repealed.date_value() if self.is_repealed.isChecked() else None,
                "note": self.note.text()}

    def submit(self) -> None:
        actor, values, entry = self.ctx.actor, self.values(), self.entry
        for w in self.editors.values():
            set_invalid(w, None)
        fn = (lambda: api.update_regulation(entry.id, actor, **values)) if entry else \
            (lambda: api.add_regulation(actor, **values))
        self.ctx.ops.write(fn, success=self._saved, failure=self._refused, initiator=self, parent=self)

    def _saved(self, entry) -> None:
        if not alive(self):
            return
        self.result_entry = entry
        self.accept()

    def _refused(self, exc) -> None:
        if not alive(self):
            return
        if not isinstance(exc, GkError):
            self.ctx.show_error(exc, self)
            return
        self.error_panel.setText(f"未保存，请改正：{exc}")
        self.error_panel.show()
        w = self.editors.get(exc.field) if isinstance(exc, ValidationError) else None
        if w is not None:
            set_invalid(w, str(exc))


class RegisterDialog(QDialog):
    """The register of the year (issued, repealed or in force in it)."""

    def __init__(self, ctx, year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.year = year
        self.view: api.RegisterView | None = None
        self.entry_dialog: EntryDialog | None = None
        self.setObjectName("registerDialog")
        self.setWindowTitle(f"规章和规范性文件登记簿 — {year}年")
        self.resize(900, 560)
        lay = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        hh = self.table.horizontalHeader()
        for c in range(len(HEADERS)):
            hh.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.ask_edit())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.b_add = self._button("新增…", self.ask_add, row)
        self.b_edit = self._button("修改…", self.ask_edit, row)
        self.b_remove = self._button("删除", self.ask_remove, row)
        row.addStretch(1)
        self.b_import = self._button("导入登记簿（xlsx）…", self.ask_import, row)
        lay.addLayout(row)
        hint = QLabel("导入的表格按栏目文字识别：类别（规章／行政规范性文件）、标题、文号、发布日期、废止日期、备注；"
                      "工作表名称含“规章”或“规范性文件”时可不填类别。已登记的文件（类别、标题、文号相同）按表格更新。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        QShortcut(QKeySequence("Ctrl+N"), self, self.ask_add)
        QShortcut(QKeySequence("Ctrl+I"), self, self.ask_import)
        sc = QShortcut(QKeySequence(Qt.Key_Delete), self.table, self.ask_remove)
        sc.setContext(Qt.WidgetShortcut)
        ctx.changed.opDidExecute.connect(self.on_changes)
        self.refresh()

    def _button(self, text, fn, layout) -> QPushButton:
        b = QPushButton(text)
        b.clicked.connect(lambda _c=False: fn())
        layout.addWidget(b)
        return b

    def on_changes(self, changes, initiator) -> None:
        if not alive(self):
            return
        if changes.touches("register") and initiator is not self:
            self.refresh()

    def refresh(self) -> None:
        year = self.year
        self.ctx.ops.read(("register", "dialog"), lambda: api.register(year), success=self._show,
                          failure=read_failed("登记簿"))

    def _show(self, view: api.RegisterView) -> None:
        if not alive(self):
            return
        self.view = view
        self.summary.setText(f"{view.year}年发布、废止或有效的文件 {len(view.entries)} 件（登记簿共 {view.total} 件）。"
                             f"据此计算表二：{counts_text(view)}。")
        t = self.table
        t.setRowCount(len(view.entries))
        for r, e in enumerate(view.entries):
            for c, text in enumerate((e.kind_label, e.title, e.number, format_date(e.issued),
                                      format_date(e.repealed), e.note)):
                it = QTableWidgetItem(text)
                it.setToolTip(text)
                it.setData(Qt.UserRole, e.id)
                t.setItem(r, c, it)
        self._update_buttons()

    def current(self):
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.view is None:
            return None
        return self.view.entries[rows[0].row()]

    def _update_buttons(self) -> None:
        has = self.current() is not None
        self.b_edit.setEnabled(has)
        self.b_remove.setEnabled(has)

    def _form(self, entry=None) -> EntryDialog | None:
        if self.view is None:
            return None
        dlg = EntryDialog(self.ctx, self.view, entry, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.setWindowModality(Qt.WindowModal)
        dlg.accepted.connect(self.refresh)
        self.entry_dialog = dlg
        dlg.show()
        return dlg

    def ask_add(self) -> EntryDialog | None:
        return self._form()

    def ask_edit(self) -> EntryDialog | None:
        e = self.current()
        return self._form(e) if e is not None else None

    def ask_remove(self) -> None:
        e = self.current()
        if e is None or not messages.confirm(self, "删除登记", f"从登记簿中删除“{e.title}”{e.number}？", yes="删除"):
            return
        actor = self.ctx.actor
        self.ctx.ops.write(lambda: api.remove_regulation(e.id, actor), success=lambda _r: self.refresh(),
                           initiator=self, parent=self)

    def ask_import(self) -> None:
        folder = self.ctx.settings.value("register/folder", str(Path.home()))
        path, _ = QFileDialog.getOpenFileName(self, "导入规章和规范性文件登记簿", folder, "Excel 工作簿 (*.xlsx)")
        if path:
            self.ctx.settings.setValue("register/folder", str(Path(path).parent))
            self.import_file(path)

    def import_file(self, path) -> None:
        actor = self.ctx.actor

        def done(res):
            self.refresh()
            messages.info(self, "导入登记簿", f"已导入：新增{res['added']}件，更新{res['updated']}件，"
                                             f"未变{res['unchanged']}件。")
        self.ctx.ops.write(lambda: api.import_register(path, actor), success=done, initiator=self, parent=self,
                           progress=True, title="正在导入登记簿")


class RegisterPanel(QWidget):
    """Under table 二: the year's counts from the register, 登记簿…, 按登记簿填入表二."""

    applied = Signal(int)          # the year whose table 二 was filled from the register

    def __init__(self, ctx, year_of: Callable[[], int], parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.year_of = year_of
        self.view: api.RegisterView | None = None
        self.dialog: RegisterDialog | None = None
        self.setObjectName("registerPanel")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("registerCounts")
        self.label.setWordWrap(True)
        lay.addWidget(self.label, 1)
        self.b_open = QPushButton("规章和规范性文件登记簿…")
        self.b_open.clicked.connect(lambda _c=False: self.open_register())
        lay.addWidget(self.b_open)
        self.b_apply = QPushButton("按登记簿填入表二")
        self.b_apply.setToolTip("用登记簿计算的本年制发、本年废止、现行有效件数替换表二第二十条第（一）项")
        self.b_apply.clicked.connect(lambda _c=False: self.apply())
        lay.addWidget(self.b_apply)
        ctx.changed.opDidExecute.connect(self.on_changes)

    def on_changes(self, changes, initiator) -> None:
        if not alive(self):
            return
        if changes.touches("register") and initiator is not self:
            self.refresh()

    def show_year(self, _year: int | None = None) -> None:
        self.refresh()

    def refresh(self) -> None:
        year = self.year_of()
        self.ctx.ops.read(("register", "panel"), lambda: api.register(year), success=self._show,
                          failure=read_failed("登记簿"))

    def _show(self, view: api.RegisterView) -> None:
        if not alive(self):
            return
        self.view = view
        if not view.total:
            self.label.setText("本机关如有规章和规范性文件登记簿，可在此登记或导入，表二第二十条第（一）项即可按登记簿计算。")
            self.label.setStyleSheet("")
        else:
            state = "与表二不一致，可点“按登记簿填入表二”" if view.differs else "表二已与登记簿一致"
            self.label.setText(f"登记簿计算（{view.year}年）：{counts_text(view)}。{state}。")
            self.label.setStyleSheet("color:#b26a00;" if view.differs else "color:#1b7f3b;")
        self.b_apply.setEnabled(bool(view.total) and view.differs)

    def open_register(self) -> RegisterDialog:
        dlg = RegisterDialog(self.ctx, self.year_of(), self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.setWindowModality(Qt.WindowModal)
        self.dialog = dlg
        dlg.show()
        return dlg

    def apply(self) -> None:
        year, actor = self.year_of(), self.ctx.actor

        def done(_changed):
            self.refresh()
            self.applied.emit(year)
        self.ctx.ops.write(lambda: api.apply_register_to_table2(year, actor), success=done, initiator=self,
                           parent=self)
