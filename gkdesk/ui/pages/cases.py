"""案件办理: the case list with filters, search as you type, sorting, and opening a case."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QTableView, QToolButton, QVBoxLayout, QWidget,
)

from gkdesk.api import cases as api
from gkdesk.domain import terms
from gkdesk.ui.models.case_table import CASE_ID_ROLE, COLUMN_INDEX, COLUMNS, CaseTableModel

SEARCH_DEBOUNCE_MS = 150
ALL = "全部"
OPEN = "__open__"   # stage filter item: every case not yet replied


def create_page(ctx, parent):
    return CasesPage(ctx, parent)


class CasesPage(QWidget):
    """The list of cases. ``navigate(filter=CaseFilter, title=str, case_id=int)`` shows a
    given selection (from the dashboard); ``select_case(id)`` selects one row."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("casesPage")
        self._extra = api.CaseFilter()   # filter set by navigation (dashboard drill-down)
        self._extra_title = ""

        title = QLabel("案件办理")
        title.setObjectName("pageTitle")

        self.register_button = QPushButton("登记申请")
        self.register_button.setObjectName("primaryButton")
        self.register_button.setToolTip("登记一件新的政府信息公开申请（Ctrl+N）")
        self.register_button.clicked.connect(self._register)

        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("检索申请人、申请内容、受理编号或拼音首字母（Ctrl+F）")
        self.search.setMinimumWidth(320)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._apply_now)

        self.stage_combo = QComboBox()
        self.stage_combo.addItem(ALL, None)
        self.stage_combo.addItem("未答复", OPEN)
        self.stage_combo.setItemData(1, "待审核、补正中、办理中", Qt.ToolTipRole)
        for term in terms.STAGES.values():
            self.stage_combo.addItem(term.label, term.code)
        self.stage_combo.currentIndexChanged.connect(self._apply_filters)

        self.year_combo = QComboBox()
        self.year_combo.setMinimumContentsLength(6)
        self._fill_years()
        self.year_combo.currentIndexChanged.connect(self._apply_filters)

        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        # wide enough for the longest text it shows, so the bar does not shift on each keystroke
        # as the label switches between "共 N 件" and "共 1,000+ 件（正在计数…）"
        self.count_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.count_label.setMinimumWidth(self.count_label.fontMetrics().horizontalAdvance(
            f"共 {api.COUNT_CAP:,}+ 件（正在计数…）") + 8)

        self.extra_label = QLabel()
        self.extra_label.setObjectName("filterChip")
        self.extra_clear = QToolButton()
        self.extra_clear.setText("清除筛选")
        self.extra_clear.clicked.connect(self.clear_navigation_filter)
        self.extra_label.hide()
        self.extra_clear.hide()

        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        self.precedents_button = QPushButton("查找先例")
        self.precedents_button.setToolTip("检索以往答复书和答复理由中的文字（Ctrl+Shift+F）")
        self.precedents_button.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.precedents_button.clicked.connect(self.open_precedents)
        head.addWidget(self.precedents_button)
        head.addWidget(self.register_button)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addSpacing(12)
        bar.addWidget(QLabel("阶段"))
        bar.addWidget(self.stage_combo)
        bar.addSpacing(8)
        bar.addWidget(QLabel("年度"))
        bar.addWidget(self.year_combo)
        bar.addSpacing(8)
        bar.addWidget(self.extra_label)
        bar.addWidget(self.extra_clear)
        bar.addStretch(1)
        bar.addWidget(self.count_label)

        self.model = CaseTableModel(self, flt=self._current_filter(), ops=self.ctx.ops)
        self.model.countChanged.connect(self._update_count)
        self.view = QTableView()
        self.view.setObjectName("caseTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.ExtendedSelection)   # Shift/Ctrl: several cases
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.ElideRight)
        vh = self.view.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.Fixed)   # never measure every row
        vh.setDefaultSectionSize(max(26, self.fontMetrics().height() + 10))
        hh = self.view.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.Interactive)
        hh.setStretchLastSection(False)
        hh.setHighlightSections(False)
        for i, col in enumerate(COLUMNS):
            self.view.setColumnWidth(i, col.width)
        hh.setSectionResizeMode(COLUMN_INDEX["summary"], QHeaderView.Stretch)
        hh.setSortIndicator(COLUMN_INDEX["received"], Qt.DescendingOrder)
        hh.setSortIndicatorShown(True)
        self.view.setSortingEnabled(True)
        hh.sortIndicatorChanged.connect(self._sort_indicator_changed)
        self.view.activated.connect(self._open_index)
        self.view.setToolTip("")

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        lay.addLayout(head)
        lay.addLayout(bar)
        from gkdesk.ui.batch_actions import BatchBar

        self.batch = BatchBar(self)
        self.view.selectionModel().selectionChanged.connect(self.batch.on_selection_changed)
        lay.addWidget(self.batch)
        lay.addWidget(self.view, 1)

        self.find_shortcut = QShortcut(QKeySequence.Find, self)
        self.find_shortcut.setContext(Qt.WindowShortcut)
        self.find_shortcut.activated.connect(self.focus_search)

        ctx.changed.opDidExecute.connect(self.on_changes)
        self._update_count()

    # ---------------------------------------------------------------- filters
    def _fill_years(self) -> None:
        current = self.year_combo.currentData()
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        self.year_combo.addItem(ALL, None)
        for y in api.years():
            self.year_combo.addItem(f"{y}年", y)
        i = self.year_combo.findData(current)
        self.year_combo.setCurrentIndex(max(i, 0))
        self.year_combo.blockSignals(False)

    def _current_filter(self) -> api.CaseFilter:
        stage = self.stage_combo.currentData()
        stages = terms.OPEN_STAGES if stage == OPEN else ((stage,) if stage else ())
        if self._extra.stages and not stages:
            stages = self._extra.stages
        return replace(self._extra, text=self.search.text().strip(), stages=tuple(stages),
                       year=self.year_combo.currentData() or self._extra.year)

    def _apply_now(self) -> None:
        self._debounce.stop()
        self._apply_filters()

    def _apply_filters(self, *_args) -> None:
        keep = self.selected_case_id()
        self.model.set_filter(self._current_filter())
        if keep is not None:
            # kept when it is still among the first rows (the block the view shows anyway):
            # looking further, block by block, cost up to 0.2 s a keystroke at 100,000 cases
            self.select_case(keep, fallback_search=False, max_blocks=1)

    def _update_count(self) -> None:
        n = self.model.rowCount()
        if self.model.count_exact:
            self.count_label.setText(f"共 {n:,} 件")
            self.count_label.setToolTip("")
        else:
            counting = "（正在计数…）" if self.model.counting else ""
            self.count_label.setText(f"共 {n:,}+ 件{counting}")
            self.count_label.setToolTip(f"符合条件的案件至少有 {n:,} 件" + ("，正在统计确切数目" if counting else "")
                                        + "；向下滚动可继续浏览")

    def _sort_indicator_changed(self, column: int, order) -> None:
        if COLUMNS[column].sort_key is None:
            # Keep showing the indicator on the column that really sorts.
            hh = self.view.horizontalHeader()
            hh.blockSignals(True)
            key_col = next(i for i, c in enumerate(COLUMNS) if c.sort_key == self.model.sort_key)
            hh.setSortIndicator(key_col, Qt.DescendingOrder if self.model.descending else Qt.AscendingOrder)
            hh.blockSignals(False)

    def set_sort(self, sort_key: str, descending: bool) -> None:
        col = next(i for i, c in enumerate(COLUMNS) if c.sort_key == sort_key)
        self.view.sortByColumn(col, Qt.DescendingOrder if descending else Qt.AscendingOrder)

    def on_changes(self, changes, _initiator) -> None:
        """Recount only when the list's rows or counts may differ (``Changes.case_list``:
        a new case, a stage, a due date…); a change to one case's inner records or text the
        list does not show leaves it as it is."""
        if changes.everything or changes.case_list:
            self.refresh()

    def refresh(self) -> None:
        keep = self.selected_case_id()
        self._fill_years()
        self.model.refresh()
        if keep is not None:
            self.select_case(keep, fallback_search=False)

    # ---------------------------------------------------------------- navigation
    def activate(self) -> None:
        self._fill_years()

    def navigate(self, filter: api.CaseFilter | None = None, title: str = "",  # noqa: A002
                 case_id: int | None = None, text: str | None = None, **_ignored) -> None:
        if filter is not None:
            self._extra = replace(filter, text="")
            self._extra_title = title or "已筛选"
            self.extra_label.setText(f"筛选：{self._extra_title}")
            self.extra_label.show()
            self.extra_clear.show()
            self.search.blockSignals(True)
            self.search.setText(filter.text or "")
            self.search.blockSignals(False)
            self.stage_combo.blockSignals(True)
            self.stage_combo.setCurrentIndex(0)
            self.stage_combo.blockSignals(False)
            self._apply_now()
        if text is not None:
            self.search.setText(text)
            self._apply_now()
        if case_id is not None:
            self.select_case(case_id)

    def clear_navigation_filter(self) -> None:
        self._extra = api.CaseFilter()
        self._extra_title = ""
        self.extra_label.hide()
        self.extra_clear.hide()
        self._apply_now()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.ShortcutFocusReason)
        self.search.selectAll()

    # ---------------------------------------------------------------- selection
    def selected_case_id(self) -> int | None:
        sel = self.view.selectionModel()
        if sel is None:
            return None
        rows = sel.selectedRows()
        if not rows:
            return None
        return self.model.data(rows[0], CASE_ID_ROLE)

    def select_case(self, case_id: int, number: str | None = None, fallback_search: bool = True,
                    max_blocks: int = 5) -> bool:
        """Select the row of ``case_id``; if it is not near the top of the current order
        (its first ``max_blocks`` blocks), search for its number so it shows (when
        ``fallback_search``)."""
        row = self.model.find_case(case_id, max_blocks)
        if row is None and fallback_search and number:
            self.search.setText(number)
            self._apply_now()
            row = self.model.find_case(case_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
        self.view.scrollTo(index, QAbstractItemView.PositionAtCenter)
        return True

    # ---------------------------------------------------------------- actions
    def _open_index(self, index) -> None:
        case_id = self.model.data(index, CASE_ID_ROLE)
        if case_id is not None:
            self.ctx.open_case(case_id)

    def _register(self) -> None:
        if self.ctx.main_window is not None:
            self.ctx.main_window.open_register_dialog()

    def open_precedents(self):
        from gkdesk.ui.dialogs.precedents import PrecedentsDialog

        dlg = PrecedentsDialog(self.ctx, self, self.search.text().strip())
        dlg.show()
        return dlg
