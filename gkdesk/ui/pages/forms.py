"""附件一 工作人员情况表 and 附件二 工作职能清单: the two pages of the forms area.

Both pages show the unit list on the left (新增 / 更名 / 合并 / 撤销 / 恢复, and each unit's
status in the open collection round) and the unit's form on the right:

- 附件一: the staff table editor in two groups (分管领导, 工作人员: add, remove, move rows;
  联系方式 checked as it is typed — red with a tooltip when wrong) and the leading group
  roster (组长 / 副组长 / 成员);
- 附件二: the functions list (全称 … 联系电话 checked as typed; 工作职能, 机构设置 multi-line).

Both have 导出 xlsx, 导入 (file or folder → a dialog listing every unit's changes with
accept checkboxes and every problem), 打印 PDF, 汇总表 and 征集轮次 (status of every unit:
已交回 / 逾期交回 / 未交回 / 有问题). Reading, exporting and saving imports run in the
background with progress and 取消. All changes go through ``gkdesk.forms`` service functions.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
    QGroupBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMenu, QMessageBox, QPlainTextEdit,
    QPushButton, QSplitter, QStyledItemDelegate, QTableWidget, QTableWidgetItem, QTextBrowser,
    QToolButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from gkdesk.domain import terms
from gkdesk.errors import GkError, ValidationError
from gkdesk.forms import records, rounds, units
from gkdesk.forms.records import FUNCTION_FIELDS, FunctionsData, GroupMember, StaffRow
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets.fields import ChineseDateEdit, set_invalid
from gkdesk.ui.workers import Cancelled

log = logging.getLogger(__name__)

STATUS_COLORS = {"returned": "#1b7f3b", "late": "#b26a00", "problems": "#c62828", "missing": "#6b7280"}
OVERDUE_COLOR = "#c2410c"
INVALID_BG = QColor("#fde2e2")


def create_annex1_page(ctx, parent):
    return Annex1Page(ctx, parent)


def create_annex2_page(ctx, parent):
    return Annex2Page(ctx, parent)


def _phone_problem(text: str) -> str | None:
    """The message for a wrong 联系方式 (None when right or empty)."""
    if not text.strip():
        return None
    try:
        records.check_contact(text)
    except ValidationError as exc:
        return exc.message
    return None


# ====================================================================== unit list

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
        self._guard = None          # callable → bool: may the selection change?
        self._reverting = False
        self._infos: dict[int, units.UnitInfo] = {}
        self._shown: int | None = None     # the unit whose form the page shows

    # ---- data
    def refresh(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self.current_id()
        infos = units.list_units(None if self.show_retired.isChecked() else True, self.search.text())
        self._infos = {u.id: u for u in infos}
        statuses = {}
        rnd = rounds.open_round()
        if rnd is not None:
            statuses = {s.unit_id: s for s in rounds.round_status(rnd)}
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
                item.setText(1, rounds.STATUS_LABELS[s.status])
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

    def current_info(self) -> units.UnitInfo | None:
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
        if previous is not None and self._guard is not None and not self._guard():
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
    def _changed(self, select_id=None) -> None:
        self.refresh(select_id)          # the pages follow from the change feed

    def _ask_text(self, title, label, text="") -> str | None:
        value, ok = QInputDialog.getText(self, title, label, QLineEdit.Normal, text)
        return value.strip() if ok and value.strip() else None

    def add_unit(self) -> None:
        if self._guard is not None and not self._guard():
            return
        name = self._ask_text("新增单位", "单位名称（如“民政局”“东海街道办事处”）：")
        if not name:
            return
        try:
            u = units.add_unit(name, self.ctx.actor)
        except GkError as exc:
            self.ctx.show_error(exc, self)
            return
        self.search.clear()
        self._changed(u.id)

    def rename_unit(self) -> None:
        if self._guard is not None and not self._guard():
            return
        info = self.current_info()
        if info is None:
            return
        name = self._ask_text("单位更名", f"“{info.name}”的新名称：", info.name)
        if not name or name == info.name:
            return
        try:
            units.rename_unit(info.id, name, self.ctx.actor, expected_version=info.version)
        except GkError as exc:
            self.ctx.show_error(exc, self)
            return
        self._changed(info.id)

    def merge_unit(self) -> None:
        if self._guard is not None and not self._guard():
            return
        info = self.current_info()
        if info is None:
            return
        others = [u for u in units.list_units(True) if u.id != info.id]
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
        try:
            units.merge_units(info.id, target.id, self.ctx.actor)
        except GkError as exc:
            self.ctx.show_error(exc, self)
            return
        self._changed(target.id)

    def retire_unit(self) -> None:
        if self._guard is not None and not self._guard():
            return
        info = self.current_info()
        if info is None or not messages.confirm(
                self, "撤销单位", f"撤销“{info.name}”？撤销后不再向其征集表格，原有信息保留，可随时恢复。",
                yes="撤销"):
            return
        try:
            units.retire_unit(info.id, self.ctx.actor, expected_version=info.version)
        except GkError as exc:
            self.ctx.show_error(exc, self)
            return
        self._changed()

    def restore_unit(self) -> None:
        if self._guard is not None and not self._guard():
            return
        info = self.current_info()
        if info is None:
            return
        try:
            units.restore_unit(info.id, self.ctx.actor)
        except GkError as exc:
            self.ctx.show_error(exc, self)
            return
        self._changed(info.id)

    def show_history(self) -> None:
        info = self.current_info()
        if info is None:
            return
        dlg = HistoryDialog(info.id, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.open()


ACTION_LABELS = {"create": "新增单位", "rename": "更名", "update": "修改单位信息", "retire": "撤销",
                 "restore": "恢复", "merge": "并入其他单位", "merge_in": "其他单位并入", "staff": "修改附件一",
                 "functions": "修改附件二", "leading_group": "修改领导小组", "staff_import": "导入附件一",
                 "functions_import": "导入附件二"}


class HistoryDialog(QDialog):
    """The unit's UnitHistory, newest first, with before → after of each change."""

    def __init__(self, unit_id: int, parent=None):
        super().__init__(parent)
        unit = units.get_unit(unit_id)
        self.setWindowTitle(f"“{unit.name}”的修改记录")
        self.resize(760, 520)
        self.view = QTextBrowser()
        rows = []
        for h in reversed(units.history(unit)):
            when = h.at.astimezone().strftime("%Y-%m-%d %H:%M") if h.at else ""
            rows.append(f"<p><b>{when}　{ACTION_LABELS.get(h.action, h.action)}</b>　{h.user}</p>"
                        f"<p style='color:#555'>{_summarise(h.before)} → {_summarise(h.after)}</p>")
        self.view.setHtml("".join(rows) or "<p>没有记录</p>")
        box = QDialogButtonBox(QDialogButtonBox.Close)
        box.button(QDialogButtonBox.Close).setText("关闭")
        box.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.view)
        lay.addWidget(box)


def _summarise(data) -> str:
    from html import escape

    if data is None:
        return "（无）"
    if isinstance(data, dict) and set(data) <= {"leader", "staff"}:
        return escape("；".join(f"{terms.STAFF_GROUPS[g].label}：" + "、".join(r["name"] for r in data.get(g, []))
                               for g in ("leader", "staff")))
    if isinstance(data, dict) and "functions" in data and "full_name" in data:
        return escape(f"{data.get('full_name')}，{data.get('phone')}，负责人{data.get('head_name')}")
    if isinstance(data, list):
        return escape("、".join(f"{terms.label_of(terms.LEADING_GROUP_ROLES, m.get('role'))}{m.get('name')}"
                               for m in data))
    text = str({k: v for k, v in data.items() if k != "snapshot"}) if isinstance(data, dict) else str(data)
    return escape(text[:300])


# ====================================================================== row tables

class _RowDelegate(QStyledItemDelegate):
    """Editors: a combo box for choice columns, a phone line edit checked as it is typed."""

    def __init__(self, table: "RowTable"):
        super().__init__(table)
        self.table = table

    def createEditor(self, parent, option, index):  # noqa: N802
        col = index.column()
        if col in self.table.choices:
            combo = QComboBox(parent)
            combo.addItems(self.table.choices[col])
            return combo
        editor = QLineEdit(parent)
        if col in self.table.phone_cols:
            editor.textChanged.connect(lambda text, e=editor: set_invalid(e, _phone_problem(text)))
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        text = index.data(Qt.DisplayRole) or ""
        if isinstance(editor, QComboBox):
            i = editor.findText(text)
            editor.setCurrentIndex(max(i, 0))
        else:
            editor.setText(text)

    def setModelData(self, editor, model, index):  # noqa: N802
        text = editor.currentText() if isinstance(editor, QComboBox) else editor.text()
        model.setData(index, text, Qt.EditRole)


class RowTable(QTableWidget):
    """An editable table of text rows with add / remove / move and per-cell problem marks."""

    edited = Signal()

    def __init__(self, headers: list[str], *, phone_cols=(), choices: dict[int, list[str]] | None = None,
                 widths: list[int] | None = None, stretch: int | None = None, parent=None):
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.phone_cols = set(phone_cols)
        self.choices = choices or {}
        self.setItemDelegate(_RowDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                             | QAbstractItemView.AnyKeyPressed | QAbstractItemView.SelectedClicked)
        self.verticalHeader().setDefaultSectionSize(28)
        hdr = self.horizontalHeader()
        hdr.setStretchLastSection(stretch is None)
        for i, w in enumerate(widths or []):
            if w:
                self.setColumnWidth(i, w)
        if stretch is not None:
            hdr.setSectionResizeMode(stretch, QHeaderView.Stretch)
        self._loading = False
        self.itemChanged.connect(self._item_changed)

    def _item_changed(self, item) -> None:
        if self._loading:
            return
        if item.column() in self.phone_cols:
            self.mark(item.row(), item.column(), _phone_problem(item.text()))
        self.edited.emit()

    def mark(self, row: int, col: int, message: str | None) -> None:
        item = self.item(row, col)
        if item is None:
            return
        self._loading = True
        item.setBackground(QBrush(INVALID_BG) if message else QBrush())
        item.setToolTip(message or "")
        item.setData(Qt.UserRole + 1, message or "")
        self._loading = False

    def problem(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return (item.data(Qt.UserRole + 1) or "") if item else ""

    def clear_marks(self) -> None:
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                self.mark(r, c, None)

    def set_rows(self, rows: list[list[str]]) -> None:
        self._loading = True
        self.setRowCount(0)
        self.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c in range(self.columnCount()):
                self.setItem(r, c, QTableWidgetItem(values[c] if c < len(values) else ""))
        self._loading = False
        for r in range(self.rowCount()):
            for c in self.phone_cols:
                self.mark(r, c, _phone_problem(self.item(r, c).text()))

    def rows(self) -> list[list[str]]:
        return [[(self.item(r, c).text() if self.item(r, c) else "") for c in range(self.columnCount())]
                for r in range(self.rowCount())]

    def add_row(self, values: list[str] | None = None) -> int:
        r = self.currentRow() + 1 if self.currentRow() >= 0 else self.rowCount()
        self._loading = True
        self.insertRow(r)
        defaults = values or [self.choices[c][-1] if c in self.choices else "" for c in range(self.columnCount())]
        for c in range(self.columnCount()):
            self.setItem(r, c, QTableWidgetItem(defaults[c]))
        self._loading = False
        self.setCurrentCell(r, 0 if 0 not in self.choices else 1)
        self.edited.emit()
        return r

    def remove_row(self) -> None:
        r = self.currentRow()
        if r < 0:
            return
        self.removeRow(r)
        self.edited.emit()

    def move_row(self, delta: int) -> None:
        r = self.currentRow()
        t = r + delta
        if r < 0 or not (0 <= t < self.rowCount()):
            return
        rows = self.rows()
        marks = [[self.problem(i, c) for c in range(self.columnCount())] for i in range(self.rowCount())]
        rows[r], rows[t] = rows[t], rows[r]
        marks[r], marks[t] = marks[t], marks[r]
        self.set_rows(rows)
        for i, m in enumerate(marks):
            for c, msg in enumerate(m):
                if msg:
                    self.mark(i, c, msg)
        self.setCurrentCell(t, self.currentColumn() if self.currentColumn() >= 0 else 0)
        self.edited.emit()


def _table_box(title: str, table: RowTable, hint: str = "") -> QGroupBox:
    box = QGroupBox(title)
    add = QPushButton("添加行")
    rem = QPushButton("删除行")
    up = QPushButton("上移")
    down = QPushButton("下移")
    add.clicked.connect(lambda: table.add_row())
    rem.clicked.connect(table.remove_row)
    up.clicked.connect(lambda: table.move_row(-1))
    down.clicked.connect(lambda: table.move_row(1))
    btns = QVBoxLayout()
    for b in (add, rem, up, down):
        btns.addWidget(b)
    btns.addStretch(1)
    lay = QHBoxLayout(box)
    lay.addWidget(table, 1)
    lay.addLayout(btns)
    table.buttons = {"add": add, "remove": rem, "up": up, "down": down}
    if hint:
        box.setToolTip(hint)
    return box


# ====================================================================== shared page frame

class _FormsPage(QWidget):
    """Unit list + editor + the forms actions (export, import, PDF, summary, rounds)."""

    title_text = ""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.unit_id: int | None = None
        self._active = False
        self._version: int | None = None
        self._dirty = False
        self._loading = False
        self.dialogs: list = []

        title = QLabel(self.title_text)
        title.setObjectName("pageTitle")
        self.round_label = QLabel()
        self.round_label.setObjectName("hint")
        self.round_btn = QPushButton("征集轮次…")
        self.export_btn = QToolButton()
        self.export_btn.setText("导出 xlsx")
        self.export_btn.setPopupMode(QToolButton.InstantPopup)
        em = QMenu(self.export_btn)
        self.export_unit_action = em.addAction("当前单位（预填已有信息）…")
        self.export_all_action = em.addAction("全部单位（预填已有信息）…")
        self.export_blank_action = em.addAction("全部单位（空白表）…")
        self.export_btn.setMenu(em)
        self.import_btn = QToolButton()
        self.import_btn.setText("导入")
        self.import_btn.setPopupMode(QToolButton.InstantPopup)
        im = QMenu(self.import_btn)
        self.import_file_action = im.addAction("导入文件…")
        self.import_folder_action = im.addAction("导入文件夹…")
        self.import_btn.setMenu(im)
        self.pdf_btn = QPushButton("打印 PDF…")
        self.summary_btn = QPushButton("汇总表…")

        self.round_label.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        for w in (self.export_btn, self.import_btn, self.pdf_btn, self.summary_btn, self.round_btn):
            head.addWidget(w)

        self.unit_list = UnitList(ctx)
        self.unit_list.set_guard(self.confirm_leave)
        self.unit_title = QLabel()
        self.unit_title.setObjectName("unitTitle")
        self.unit_title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.save_btn = QPushButton("保存")
        self.save_btn.setObjectName("primaryButton")
        self.revert_btn = QPushButton("撤销修改")
        self.status_label = QLabel()
        self.status_label.setObjectName("hint")
        self.status_label.setWordWrap(True)

        self.editor = QWidget()
        ed = QVBoxLayout(self.editor)
        ed.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.unit_title, 1)
        top.addWidget(self.revert_btn)
        top.addWidget(self.save_btn)
        ed.addLayout(top)
        self.build_editor(ed)
        ed.addWidget(self.status_label)

        split = QSplitter()
        split.addWidget(self.unit_list)
        split.addWidget(self.editor)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([280, 900])
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(self.round_label)
        lay.addWidget(split, 1)

        self.unit_list.unitSelected.connect(self.load_unit)
        self.save_btn.clicked.connect(self.save)
        self.revert_btn.clicked.connect(lambda: self.load_unit(self.unit_id))
        self.round_btn.clicked.connect(self.open_rounds)
        self.export_unit_action.triggered.connect(self.export_current)
        self.export_all_action.triggered.connect(lambda: self.export_all(blank=False))
        self.export_blank_action.triggered.connect(lambda: self.export_all(blank=True))
        self.import_file_action.triggered.connect(lambda: self.import_forms(folder=False))
        self.import_folder_action.triggered.connect(lambda: self.import_forms(folder=True))
        self.pdf_btn.clicked.connect(self.print_pdf)
        self.summary_btn.clicked.connect(self.export_summary)
        ctx.changed.opDidExecute.connect(self.on_changes)

        self.unit_list.refresh()
        self._update_round_label()
        if self.unit_list.tree.topLevelItemCount() and self.unit_list.current_id() is None:
            self.unit_list.tree.setCurrentItem(self.unit_list.tree.topLevelItem(0))
        if self.unit_id is None:
            self.load_unit(None)

    # ---- to be provided by the pages
    def build_editor(self, layout) -> None:
        raise NotImplementedError

    def fill(self, unit_id: int) -> None:
        raise NotImplementedError

    def clear_editor(self) -> None:
        raise NotImplementedError

    def save_changes(self) -> bool:
        """Save through the core; True when saved (or nothing to save)."""
        raise NotImplementedError

    # ---- page contract
    def activate(self) -> None:
        if not self._dirty:
            self.unit_list.refresh()
            self._update_round_label()

    def navigate(self, unit_id: int | None = None, **_options) -> None:
        if unit_id is not None:
            self.unit_list.select(unit_id)

    def confirm_leave(self) -> bool:
        if not self._dirty:
            return True
        answer = self.ask_unsaved(self.unit_title.property("unitName") or "")
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.set_dirty(False)
            return True
        return False

    def ask_unsaved(self, name: str) -> str:
        """保存 / 放弃修改 / 取消 → "save" / "discard" / "cancel" (tests replace this)."""
        box = QMessageBox(QMessageBox.Question, "未保存的修改", f"“{name}”的修改还没有保存。", parent=self)
        save = box.addButton("保存", QMessageBox.AcceptRole)
        discard = box.addButton("放弃修改", QMessageBox.DestructiveRole)
        box.addButton("取消", QMessageBox.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    # ---- state
    def set_dirty(self, dirty: bool = True) -> None:
        if self._loading:
            return
        self._dirty = dirty
        self.save_btn.setEnabled(dirty and self.unit_id is not None and self._active)
        self.revert_btn.setEnabled(dirty)
        name = self.unit_title.property("unitName") or ""
        self.unit_title.setText(name + ("（未保存）" if dirty else ""))

    def load_unit(self, unit_id) -> None:
        self._loading = True
        try:
            self.unit_id = unit_id
            self._active = False
            if unit_id is None:
                self.unit_title.setProperty("unitName", "")
                self.unit_title.setText("请在左侧选择或新增单位")
                self.clear_editor()
                self.editor_enabled(False)
                self.status_label.setText("")
            else:
                unit = units.get_unit(unit_id)
                self._version = unit.version
                self._active = unit.active
                name = unit.name + ("" if unit.active else "（已撤销，只读）")
                self.unit_title.setProperty("unitName", name)
                self.unit_title.setText(name)
                self.fill(unit_id)
                self.editor_enabled(unit.active)
                self.status_label.setText("")
        finally:
            self._loading = False
        self.set_dirty(False)

    def editor_enabled(self, enabled: bool) -> None:
        pass

    def save(self) -> bool:
        if self.unit_id is None or not self._dirty:
            return True
        try:
            saved = self.save_changes()
        except GkError as exc:
            self.ctx.show_error(exc, self)
            return False
        if saved:
            uid = self.unit_id
            self.load_unit(uid)
            self.status_label.setText("已保存。")
            self.unit_list.refresh(uid)
        return saved

    def on_changes(self, changes, _initiator) -> None:
        """A unit or round changed (here, on the other forms page, in an import): reload the
        list and, unless edits are pending, the form if its unit moved on."""
        if not changes.touches("units", "rounds"):
            return
        if not self._dirty:
            self.unit_list.refresh()
            if self.unit_id is not None:
                current = units.get_unit(self.unit_id)
                if current.version != self._version:
                    self.load_unit(self.unit_id)
        self._update_round_label()

    def _update_round_label(self) -> None:
        rnd = rounds.open_round()
        if rnd is None:
            self.round_label.setText("当前没有进行中的征集")
            return
        counts = rounds.status_counts(rounds.round_status(rnd))
        self.round_label.setText(
            f"征集“{rnd.name}”截止 {rnd.deadline.month}月{rnd.deadline.day}日：" +
            "，".join(f"{rounds.STATUS_LABELS[k]} {v}" for k, v in counts.items()))

    # ---- file choosers (tests replace these)
    def ask_save_file(self, title: str, default_name: str, filt: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, default_name, filt)
        return path

    def ask_open_file(self, title: str, filt: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self, title, "", filt)
        return path

    def ask_folder(self, title: str) -> str:
        return QFileDialog.getExistingDirectory(self, title)

    # ---- actions
    def _done(self, text: str):
        def show(result):
            self.status_label.setText(text.format(result=result, n=len(result) if hasattr(result, "__len__") else ""))
        return show

    def export_current(self) -> None:
        from gkdesk.forms import xlsx_export

        if self.unit_id is None:
            return
        unit = units.get_unit(self.unit_id)
        path = self.ask_save_file("导出附件一、附件二", f"{xlsx_export.safe_filename(unit.name)}.xlsx",
                                  "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        try:
            out = xlsx_export.export_unit(self.unit_id, path)
        except GkError as exc:
            self.ctx.show_error(exc, self)
            return
        self.status_label.setText(f"已导出到 {out}")

    def export_all(self, blank: bool) -> None:
        from gkdesk.forms import xlsx_export

        folder = self.ask_folder("选择导出到的文件夹（每个单位一个 xlsx）")
        if not folder:
            return
        rnd = rounds.open_round()

        def work(progress=None, cancelled=None):
            files = xlsx_export.export_all(folder, rnd, blank=blank, progress=progress, cancelled=cancelled)
            if cancelled is not None and cancelled():
                raise Cancelled
            return files

        self.ctx.run_in_background(work, self._done(f"已导出 {{n}} 个单位的表格到 {folder}"),
                                   title="正在导出表格", parent=self,
                                   on_cancelled=lambda: self.status_label.setText("导出已取消（已导出的文件保留）"))

    def print_pdf(self) -> None:
        from gkdesk.forms import pdf
        from gkdesk.forms.xlsx_export import safe_filename

        if self.unit_id is None:
            return
        unit = units.get_unit(self.unit_id)
        path = self.ask_save_file("打印 PDF（用于盖章）", f"{safe_filename(unit.name)}.pdf", "PDF 文件 (*.pdf)")
        if not path:
            return
        uid = self.unit_id
        self.ctx.run_in_background(lambda: pdf.render_unit(uid, path), self._done("已生成 PDF：{result}"),
                                   title="正在生成 PDF", parent=self)

    def export_summary(self) -> None:
        from gkdesk.forms.summary import summary

        path = self.ask_save_file("导出全区汇总表", f"附件一附件二汇总表{dt.date.today():%Y%m%d}.xlsx",
                                  "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        self.ctx.run_in_background(lambda: summary(path), self._done("已导出汇总表：{result}"),
                                   title="正在导出汇总表", parent=self)

    def import_forms(self, folder: bool, rnd=None) -> None:
        from gkdesk.forms import xlsx_import

        path = self.ask_folder("选择单位交回的表格所在文件夹") if folder else \
            self.ask_open_file("选择单位交回的表格", "Excel 工作簿 (*.xlsx *.xlsm);;所有文件 (*)")
        if not path:
            return
        if not self.confirm_leave():
            return

        def work(progress=None, cancelled=None):
            return xlsx_import.diff_paths(path, progress=progress, cancelled=cancelled)

        self.ctx.run_in_background(work, lambda diffs: self.show_import(diffs, path, rnd),
                                   title="正在读取表格", parent=self)

    def show_import(self, diffs, path, rnd=None):
        dlg = ImportDialog(self.ctx, diffs, str(path), self, rnd=rnd)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.saved.connect(self._imported)
        self.dialogs.append(dlg)
        dlg.destroyed.connect(lambda *_: self.dialogs.remove(dlg) if dlg in self.dialogs else None)
        dlg.open()
        return dlg

    def _imported(self, result) -> None:
        # the change feed reloads the lists and this unit's form if it changed
        self.status_label.setText(f"导入完成：{len(result.saved)} 个单位有变化，{len(result.unchanged)} 个无变化，"
                                  f"登记交回 {result.returns_recorded} 份")

    def open_rounds(self):
        dlg = RoundsDialog(self.ctx, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        self.dialogs.append(dlg)
        dlg.destroyed.connect(lambda *_: self.dialogs.remove(dlg) if dlg in self.dialogs else None)
        dlg.open()
        return dlg


# ====================================================================== 附件一

class Annex1Page(_FormsPage):
    title_text = "附件一 工作人员情况表"

    def build_editor(self, layout) -> None:
        headers = [label for _, label in records.STAFF_FIELDS]
        self.leaders = RowTable(headers, phone_cols=(2,), widths=[100, 0, 210, 150], stretch=1)
        self.leaders.setObjectName("leadersTable")
        self.staff = RowTable(headers, phone_cols=(2,), widths=[100, 0, 210, 150], stretch=1)
        self.staff.setObjectName("staffTable")
        roles = [t.label for t in terms.LEADING_GROUP_ROLES.values()]
        self.group = RowTable(["职务类别", "姓名", "职务"], choices={0: roles}, widths=[100, 110], stretch=2)
        self.group.setObjectName("leadingGroupTable")
        hint = "联系方式：手机号11位，固定电话带区号（如0595-22355669）；多个号码用“、”分隔"
        layout.addWidget(_table_box(terms.STAFF_GROUPS["leader"].label, self.leaders, hint), 2)
        layout.addWidget(_table_box(terms.STAFF_GROUPS["staff"].label, self.staff, hint), 3)
        layout.addWidget(_table_box("政务公开领导小组（组长 / 副组长 / 成员）", self.group), 3)
        for t in (self.leaders, self.staff, self.group):
            t.edited.connect(lambda: self.set_dirty(True))

    def editor_enabled(self, enabled: bool) -> None:
        for t in (self.leaders, self.staff, self.group):
            t.setEnabled(enabled)
            for b in t.buttons.values():
                b.setEnabled(enabled)

    def clear_editor(self) -> None:
        for t in (self.leaders, self.staff, self.group):
            t.set_rows([])

    def fill(self, unit_id: int) -> None:
        s = units.get_staff(unit_id)
        self.leaders.set_rows([[r.name, r.post, r.contact, r.remark] for r in s.leaders])
        self.staff.set_rows([[r.name, r.post, r.contact, r.remark] for r in s.staff])
        self.group.set_rows([[terms.label_of(terms.LEADING_GROUP_ROLES, m.role), m.name, m.post]
                             for m in units.get_leading_group(unit_id)])
        self._loaded = (s, units.get_leading_group(unit_id))

    def _staff_rows(self, table: RowTable) -> list[StaffRow]:
        return [StaffRow(*r) for r in table.rows()]

    def _members(self) -> list[GroupMember]:
        out = []
        for role_label, name, post in self.group.rows():
            out.append(GroupMember(terms.code_of(terms.LEADING_GROUP_ROLES, role_label) or role_label, name, post))
        return out

    def check(self) -> list[str]:
        """Mark wrong cells red (the same checks as the service) and list the problems."""
        for t in (self.leaders, self.staff, self.group):
            t.clear_marks()
        _, problems = records.validate_staff(self._staff_rows(self.leaders), self._staff_rows(self.staff))
        _, gproblems = records.validate_leading_group(self._members())
        cols = {k: i for i, (k, _) in enumerate(records.STAFF_FIELDS)}
        msgs = []
        for p in problems + gproblems:
            if not p.is_error:
                continue
            kind, row, fld = p.where
            table = {"leader": self.leaders, "staff": self.staff, "leading_group": self.group}[kind]
            col = cols.get(fld, 0) if kind != "leading_group" else {"role": 0, "name": 1, "post": 2}[fld]
            table.mark(row, col, p.message)
            msgs.append(f"{records.place_of(p.where)}：{p.message}")
        return msgs

    def save_changes(self) -> bool:
        msgs = self.check()
        if msgs:
            self.status_label.setText("有问题的单元格已标红，请修改后再保存。")
            raise ValidationError(msgs[0] if len(msgs) == 1 else f"有{len(msgs)}处问题", None, msgs)
        uid = self.unit_id
        leaders, staff = self._staff_rows(self.leaders), self._staff_rows(self.staff)
        # staff and leading group in ONE transaction: a refusal or conflict on either
        # leaves the unit's form as it was (and these edits on screen)
        self._version = units.save_annex1(uid, leaders, staff, self._members(), self.ctx.actor,
                                          expected_version=self._version)
        return True


# ====================================================================== 附件二

class Annex2Page(_FormsPage):
    title_text = "附件二 工作职能清单"

    def build_editor(self, layout) -> None:
        self.fields: dict[str, QWidget] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        for key, label in FUNCTION_FIELDS:
            if key in records.FUNCTION_MULTILINE:
                w = QPlainTextEdit()
                w.setPlaceholderText("每段一行" if key == "functions" else "内设机构、下属单位")
                w.setMinimumHeight(150 if key == "functions" else 90)
                w.textChanged.connect(lambda: self.set_dirty(True))
            else:
                w = QLineEdit()
                w.textChanged.connect(lambda *_: self.set_dirty(True))
                if key == "phone":
                    w.setPlaceholderText("如 0595-22355669")
                    w.setProperty("normalToolTip", "固定电话请带区号；多个号码用“、”分隔")
                    w.setToolTip("固定电话请带区号；多个号码用“、”分隔")
                    w.textChanged.connect(lambda text, e=w: set_invalid(e, _phone_problem(text)))
            w.setObjectName(f"field_{key}")
            star = "＊" if key in records.FUNCTION_REQUIRED else ""
            form.addRow(f"{star}{label}：", w)
            self.fields[key] = w
        layout.addLayout(form, 1)
        note = QLabel("＊为必填项。")
        note.setObjectName("hint")
        layout.addWidget(note)

    def editor_enabled(self, enabled: bool) -> None:
        for w in self.fields.values():
            w.setReadOnly(not enabled)

    def clear_editor(self) -> None:
        for w in self.fields.values():
            w.setPlainText("") if isinstance(w, QPlainTextEdit) else w.setText("")
            set_invalid(w, None)

    def fill(self, unit_id: int) -> None:
        data = units.get_functions(unit_id) or FunctionsData()
        for key, w in self.fields.items():
            value = getattr(data, key)
            w.setPlainText(value) if isinstance(w, QPlainTextEdit) else w.setText(value)
            set_invalid(w, None)
        self._loaded = units.get_functions(unit_id)

    def value(self) -> FunctionsData:
        return FunctionsData(**{k: (w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text())
                                for k, w in self.fields.items()})

    def check(self) -> list[str]:
        clean, problems = records.validate_functions(self.value())
        for w in self.fields.values():
            set_invalid(w, None)
        msgs = []
        for p in problems:
            if p.is_error:
                set_invalid(self.fields[p.where[1]], p.message)
                msgs.append(p.message)
        return msgs

    def save_changes(self) -> bool:
        msgs = self.check()
        if msgs:
            self.status_label.setText("有问题的栏目已标红，请修改后再保存。")
            raise ValidationError(msgs[0] if len(msgs) == 1 else f"有{len(msgs)}处问题", None, msgs)
        units.set_functions(self.unit_id, self.value(), self.ctx.actor, expected_version=self._version)
        return True


# ====================================================================== import dialog

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
        for r in rounds.list_rounds():
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
        from gkdesk.forms import xlsx_import

        for i, d in enumerate(self.diffs):
            d.accepted = d.ok and self.table.item(i, 0).checkState() == Qt.Checked
        rnd = self.round_combo.currentData()
        record = self.record_problems.isChecked()
        diffs = self.diffs
        actor = self.ctx.actor
        self.save_btn.setEnabled(False)

        def work():
            return xlsx_import.apply(diffs, actor, rnd, record_problems=record)

        def done(result):
            self.result = result
            self.saved.emit(result)
            self.accept()

        def failed(exc):
            self.save_btn.setEnabled(True)
            self.ctx.show_error(exc, self)

        # on the writer thread, after any write the clerk queued before it
        self.ctx.run_in_background(work, done, failed, title="正在保存", parent=self, write=True)


# ====================================================================== rounds

class NewRoundDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        from gkdesk import settings as core_settings

        self.ctx = ctx
        self.round = None
        self.setWindowTitle("发起征集")
        self.name = QLineEdit(f"{dt.date.today().year}年工作人员情况表、工作职能清单征集")
        self.deadline = ChineseDateEdit(value=dt.date.today() + dt.timedelta(days=10))
        try:
            email = core_settings.get("office.email")
        except Exception:  # noqa: BLE001 - a default only
            email = ""
        self.email = QLineEdit(email or "")
        self.fax = QLineEdit()
        self.fax.textChanged.connect(lambda t: set_invalid(self.fax, _phone_problem(t)))
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
        self.preview.setText("表格上将印：" + rounds.note_text(fake))

    def create(self) -> None:
        try:
            self.round = rounds.create_round(self.name.text(), self.deadline.date_value(), self.ctx.actor,
                                             email=self.email.text(), fax=self.fax.text(),
                                             note=self.note.toPlainText())
        except GkError as exc:
            self.ctx.show_error(exc, self)
            return
        self.accept()


class RoundsDialog(QDialog):
    """A round's status per unit (已交回 / 逾期交回 / 未交回 / 有问题), and round actions."""

    def __init__(self, ctx, page: _FormsPage):
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
        for k, v in rounds.STATUS_LABELS.items():
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
        return rounds.get_round(rid) if rid is not None else None

    def refresh_rounds(self, select=None) -> None:
        blocker = QSignalBlocker(self.combo)
        self.combo.clear()
        for r in rounds.list_rounds():
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
        statuses = rounds.round_status(rnd)
        counts = rounds.status_counts(statuses)
        self.summary.setText(f"截止 {rnd.deadline.year}年{rnd.deadline.month}月{rnd.deadline.day}日；"
                             + "，".join(f"{rounds.STATUS_LABELS[k]} {v}" for k, v in counts.items())
                             + f"\n{rounds.note_text(rnd)}")
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
        try:
            rounds.close_round(rnd, self.ctx.actor)
        except GkError as exc:
            self.ctx.show_error(exc, self)
            return
        self.refresh_rounds(rnd.id)

    def export_round(self):
        from gkdesk.forms import xlsx_export

        rnd = self.current_round()
        if rnd is None:
            return
        folder = self.page.ask_folder(f"导出“{rnd.name}”的表格到文件夹（每个单位一个 xlsx，预填已有信息）")
        if not folder:
            return

        def work(progress=None, cancelled=None):
            return xlsx_export.export_all(folder, rnd, progress=progress, cancelled=cancelled)

        self.ctx.run_in_background(
            work, lambda files: messages.info(self, "导出完成", f"已导出 {len(files)} 个单位的表格到\n{folder}"),
            title="正在导出表格", parent=self)

    def import_returns(self):
        rnd = self.current_round()
        if rnd is not None:
            self.page.import_forms(folder=True, rnd=rnd.id)
