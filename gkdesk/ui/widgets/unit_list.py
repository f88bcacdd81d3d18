"""The unit list of the forms pages: search, the units with their status in the open
collection round, and the unit actions (新增 / 更名 / 合并 / 撤销 / 恢复 / 历史)."""
from __future__ import annotations

import logging

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMenu, QPushButton, QToolButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from gkdesk.api import forms as api
from gkdesk.ui.dialogs import messages
from gkdesk.ui.dialogs.unit_history import HistoryDialog

log = logging.getLogger(__name__)


STATUS_COLORS = {"returned": "#1b7f3b", "late": "#b26a00", "problems": "#c62828", "missing": "#6b7280"}
OVERDUE_COLOR = "#c2410c"



class UnitList(QWidget):
    """Search box, the units (with their status in the open round), and the unit actions."""

    unitSelected = Signal(object)      # unit id or None

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找单位")
        self.search.setClearButtonEnabled(True)
        self.show_retired = QCheckBox("显示已撤销")
        self.tree = QTreeWidget()
        self.tree.setObjectName("unitList")
        self.tree.setHeaderLabels(["单位", "本轮"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        self.add_btn = QPushButton("新增")
        self.rename_btn = QPushButton("更名")
        self.more_btn = QToolButton()
        self.more_btn.setText("更多")
        self.more_btn.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(self.more_btn)
        self.merge_action = menu.addAction("并入其他单位…")
        self.retire_action = menu.addAction("撤销单位")
        self.restore_action = menu.addAction("恢复单位")
        self.history_action = menu.addAction("修改记录…")
        self.more_btn.setMenu(menu)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_retired)
        btns = QHBoxLayout()
        for b in (self.add_btn, self.rename_btn, self.more_btn):
            btns.addWidget(b)
        btns.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.count_label)
        lay.addLayout(btns)

        self.search.textChanged.connect(lambda *_: self.refresh())
        self.show_retired.toggled.connect(lambda *_: self.refresh())
        self.tree.currentItemChanged.connect(self._current_changed)
        self.add_btn.clicked.connect(self.add_unit)
        self.rename_btn.clicked.connect(self.rename_unit)
        self.merge_action.triggered.connect(self.merge_unit)
        self.retire_action.triggered.connect(self.retire_unit)
        self.restore_action.triggered.connect(self.restore_unit)
        self.history_action.triggered.connect(self.show_history)
        self._guard = None          # callable(proceed) → bool: may the selection change now?
        self._reverting = False
        self._infos: dict[int, api.UnitInfo] = {}
        self._shown: int | None = None     # the unit whose form the page shows

    # ---- data
    def refresh(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self.current_id()
        infos = api.list_units(None if self.show_retired.isChecked() else True, self.search.text())
        self._infos = {u.id: u for u in infos}
        summary = api.round_summary()
        rnd = summary.round if summary is not None else None
        statuses = {s.unit_id: s for s in summary.statuses} if summary is not None else {}
        blocker = QSignalBlocker(self.tree)
        self.tree.clear()
        chosen = None
        for u in infos:
            name = u.name if u.active else f"{u.name}（{'已并入' + u.merged_into if u.merged_into else '已撤销'}）"
            item = QTreeWidgetItem([name, ""])
            item.setData(0, Qt.UserRole, u.id)
            item.setToolTip(0, f"{u.kind_label}；分管领导{u.leaders}人，工作人员{u.staff}人；"
                               f"工作职能清单{'已填' if u.has_functions else '未填'}")
            if not u.active:
                item.setForeground(0, QBrush(QColor("#9ca3af")))
            s = statuses.get(u.id)
            if s is not None:
                item.setText(1, api.STATUS_LABELS[s.status])
                item.setForeground(1, QBrush(QColor(STATUS_COLORS[s.status])))
                item.setToolTip(1, s.label + (f"\n{s.problems}" if s.problems else ""))
            self.tree.addTopLevelItem(item)
            if u.id == keep:
                chosen = item
        self.tree.setColumnHidden(1, rnd is None)
        if chosen is not None and chosen.data(0, Qt.UserRole) == self._shown:
            self.tree.setCurrentItem(chosen)     # the same unit as before: no reload of its form
        del blocker
        self.count_label.setText(f"共 {len(infos)} 个单位" + (f"；征集“{rnd.name}”进行中" if rnd else ""))
        if chosen is not None and self.tree.currentItem() is not chosen:
            self.tree.setCurrentItem(chosen)
        elif chosen is None and self._shown is not None and not self.search.text().strip():
            # the unit is gone from the list (retired, merged); a search merely hiding it
            # leaves its form (and any unsaved edits) where they are
            self._shown = None
            self.unitSelected.emit(None)
        self._update_buttons()

    def current_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.UserRole) if item else None

    def current_info(self) -> api.UnitInfo | None:
        uid = self.current_id()
        return self._infos.get(uid) if uid is not None else None

    def select(self, unit_id: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            if it.data(0, Qt.UserRole) == unit_id:
                self.tree.setCurrentItem(it)
                return

    def set_guard(self, guard) -> None:
        self._guard = guard

    def _current_changed(self, current, previous) -> None:
        if self._reverting:
            return
        wanted = current.data(0, Qt.UserRole) if current else None
        if previous is not None and not self._allowed(lambda: self.select(wanted) if wanted else None):
            self._reverting = True
            self.tree.setCurrentItem(previous)
            self._reverting = False
            return
        self._update_buttons()
        self._shown = current.data(0, Qt.UserRole) if current else None
        self.unitSelected.emit(self._shown)

    def _update_buttons(self) -> None:
        info = self.current_info()
        active = bool(info and info.active)
        self.rename_btn.setEnabled(active)
        self.merge_action.setEnabled(active)
        self.retire_action.setEnabled(active)
        self.restore_action.setEnabled(bool(info and not info.active))
        self.history_action.setEnabled(info is not None)

    # ---- actions
    def _allowed(self, proceed) -> bool:
        """Ask the page (unsaved edits?); ``proceed`` runs once a save it started landed."""
        return self._guard is None or self._guard(proceed)

    def _write(self, fn, select=lambda result: None) -> None:
        """``fn`` on the writer thread; then the list again, with ``select(result)`` chosen
        (the pages follow from the change feed)."""
        self.ctx.ops.write(fn, success=lambda result: self.refresh(select(result)),
                           failure=lambda exc: self.ctx.show_error(exc, self), initiator=self)

    def _ask_text(self, title, label, text="") -> str | None:
        value, ok = QInputDialog.getText(self, title, label, QLineEdit.Normal, text)
        return value.strip() if ok and value.strip() else None

    def add_unit(self) -> None:
        if not self._allowed(self.add_unit):
            return
        name = self._ask_text("新增单位", "单位名称（如“民政局”“东海街道办事处”）：")
        if not name:
            return
        self.search.clear()
        actor = self.ctx.actor
        self._write(lambda: api.add_unit(name, actor), lambda u: u.id)

    def rename_unit(self) -> None:
        if not self._allowed(self.rename_unit):
            return
        info = self.current_info()
        if info is None:
            return
        name = self._ask_text("单位更名", f"“{info.name}”的新名称：", info.name)
        if not name or name == info.name:
            return
        actor = self.ctx.actor
        self._write(lambda: api.rename_unit(info.id, name, actor, expected_version=info.version),
                    lambda u: u.id)

    def merge_unit(self) -> None:
        if not self._allowed(self.merge_unit):
            return
        info = self.current_info()
        if info is None:
            return
        others = [u for u in api.list_units(True) if u.id != info.id]
        if not others:
            messages.info(self, "合并单位", "没有可以并入的其他单位。")
            return
        names = [u.name for u in others]
        name, ok = QInputDialog.getItem(self, "合并单位", f"把“{info.name}”并入：", names, 0, False)
        if not ok:
            return
        target = others[names.index(name)]
        if not messages.confirm(self, "合并单位",
                                f"把“{info.name}”并入“{target.name}”？\n\n"
                                f"“{info.name}”的分管领导、工作人员将复制到“{target.name}”（同名者不重复），"
                                f"“{target.name}”的工作职能清单和领导小组保持不变；“{info.name}”随后撤销，"
                                f"其原有信息和修改记录保留可查。", yes="合并"):
            return
        actor = self.ctx.actor
        self._write(lambda: api.merge_units(info.id, target.id, actor), lambda u: u.id)

    def retire_unit(self) -> None:
        if not self._allowed(self.retire_unit):
            return
        info = self.current_info()
        if info is None or not messages.confirm(
                self, "撤销单位", f"撤销“{info.name}”？撤销后不再向其征集表格，原有信息保留，可随时恢复。",
                yes="撤销"):
            return
        actor = self.ctx.actor
        self._write(lambda: api.retire_unit(info.id, actor, expected_version=info.version))

    def restore_unit(self) -> None:
        if not self._allowed(self.restore_unit):
            return
        info = self.current_info()
        if info is None:
            return
        actor = self.ctx.actor
        self._write(lambda: api.restore_unit(info.id, actor), lambda u: u.id)

    def show_history(self) -> None:
        info = self.current_info()
        if info is None:
            return
        dlg = HistoryDialog(info.id, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.open()
