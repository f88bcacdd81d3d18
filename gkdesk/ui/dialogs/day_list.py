"""今日及本周到期: the day's list by handler, printable as PDF (gkdesk.api.daylist)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout)

from gkdesk.api import daylist as api
from gkdesk.ui.dialogs import messages


class DayListDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.data: api.DayList | None = None
        self.setWindowTitle("今日及本周到期事项")
        self.resize(820, 520)
        self.summary = QLabel("正在读取…")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["受理编号", "申请人", "期限", "事项"])
        self.tree.setColumnWidth(0, 180)
        self.tree.setColumnWidth(1, 140)
        self.tree.setColumnWidth(2, 110)
        self.tree.itemActivated.connect(self._open)
        self.print_button = QPushButton("打印（保存为PDF）…")
        self.print_button.setShortcut("Ctrl+P")
        self.print_button.clicked.connect(self.save_pdf)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.tree, 1)
        lay.addLayout(buttons)
        ctx.ops.read("day-list", api.compute, success=self.show_list,
                     failure=lambda exc: messages.show_exception(self, exc))

    def show_list(self, dl: api.DayList) -> None:
        self.data = dl
        c = dl.counts()
        self.summary.setText(f"{dl.on.isoformat()}（本周至{dl.week_end.isoformat()}）：已超期 {c['overdue']} 件，"
                             f"今日到期 {c['today']} 件，本周到期 {c['week']} 件。双击打开案件。")
        self.tree.clear()
        for g in dl.groups:
            top = QTreeWidgetItem([f"{g.handler}（{len(g.items)}件）"])
            top.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(top)
            for i in g.items:
                it = QTreeWidgetItem([i.number, i.applicant, i.due.isoformat() + ("（暂定）" if i.provisional else ""),
                                      f"{api.LEVELS[i.level]}：{i.what}"])
                it.setData(0, Qt.UserRole, i.case_id)
                if i.level != "week":
                    it.setForeground(3, Qt.red)
                top.addChild(it)
            top.setExpanded(True)

    def ask_path(self) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "保存到期事项清单",
                                              f"到期事项-{dt.date.today().isoformat()}.pdf", "PDF 文件 (*.pdf)")
        return path

    def save_pdf(self) -> None:
        if self.data is None:
            return
        path = self.ask_path()
        if not path:
            return
        dl = self.data
        self.ctx.ops.read(("day-list-pdf", path), lambda: api.write_pdf(dl, path),
                          success=lambda _r: messages.info(self, "到期事项清单", f"已保存到\n{path}"),
                          failure=lambda exc: messages.show_exception(self, exc))

    def _open(self, item, _col) -> None:
        cid = item.data(0, Qt.UserRole)
        if cid:
            self.ctx.open_case(cid)
