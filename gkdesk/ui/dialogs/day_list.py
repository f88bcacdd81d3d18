"""今日及本周到期: the day's list by handler, printable as PDF (gkdesk.api.daylist).

After login (``offer_on_start``) the list is offered in a non-modal window when anything
is overdue or due today, unless the clerk switched that off (「登录后自动显示」, kept in
QSettings) or ticked 「今天不再显示」 (remembered for that day)."""
from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout)

from gkdesk.api import daylist as api
from gkdesk.ui.dialogs import messages
from gkdesk.ui.dialogs.help_dialog import add_help_shortcut
from gkdesk.ui.widgets import alive

log = logging.getLogger(__name__)


ON_START_KEY = "dayList/showOnStart"      # bool, default True
SKIP_DAY_KEY = "dayList/skipDay"          # ISO date: not offered again on that day


def _on_start_wanted(ctx) -> bool:
    value = ctx.settings.value(ON_START_KEY, True)
    return value not in (False, "false", "0", 0)


def offer_on_start(ctx, parent=None) -> "DayListDialog | None":
    """After login: read the day's list off the UI thread; when something is overdue or
    due today, show it (non-modal). Returns the dialog when shown (tests), else None."""
    if not _on_start_wanted(ctx):
        return None
    shown: list = []

    def got(dl: api.DayList) -> None:
        if parent is not None and not alive(parent):
            return
        if ctx.settings.value(SKIP_DAY_KEY, "") == dl.on.isoformat():
            return
        c = dl.counts()
        if not (c["overdue"] or c["today"]):
            return
        dlg = DayListDialog(ctx, parent, data=dl, on_start=True)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.show()
        shown.append(dlg)

    ctx.ops.read("day-list-start", api.compute, success=got,
                 failure=lambda exc: log.warning("读取到期事项失败：%s", exc))
    return shown[0] if shown else None


class DayListDialog(QDialog):
    def __init__(self, ctx, parent=None, *, data: api.DayList | None = None, on_start: bool = False):
        super().__init__(parent)
        self.ctx = ctx
        self.data: api.DayList | None = None
        self.setWindowTitle("今日及本周到期事项")
        self.setModal(False)
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
        close.setDefault(True)
        self.on_start_box = QCheckBox("登录后自动显示")
        self.on_start_box.setToolTip("登录后有已超期或今日到期的事项时，自动打开本清单")
        self.on_start_box.setChecked(_on_start_wanted(ctx))
        self.on_start_box.toggled.connect(lambda on: ctx.settings.setValue(ON_START_KEY, bool(on)))
        self.skip_today_box = QCheckBox("今天不再显示")
        self.skip_today_box.setToolTip("今天再次登录时不自动打开（明天照常提醒）")
        self.skip_today_box.toggled.connect(self._skip_today)
        self.skip_today_box.setVisible(on_start)
        buttons = QHBoxLayout()
        buttons.addWidget(self.on_start_box)
        buttons.addWidget(self.skip_today_box)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.tree, 1)
        lay.addLayout(buttons)
        add_help_shortcut(self, "daylist")
        if data is not None:
            self.show_list(data)
        else:
            ctx.ops.read("day-list", api.compute, success=self.show_list,
                         failure=lambda exc: messages.show_exception(self, exc))

    def _skip_today(self, on: bool) -> None:
        day = self.data.on.isoformat() if self.data is not None else dt.date.today().isoformat()
        self.ctx.settings.setValue(SKIP_DAY_KEY, day if on else "")

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
