"""The case list as a ``QAbstractTableModel`` that pages through ``gkdesk.api.cases``.

``rowCount`` is the number of matching cases; rows are fetched in blocks (default 200) the
first time the view asks for one of them, and the blocks are kept in a small LRU cache.
Sorting is done by the database (``cases_api.SORT_KEYS``). ``fetch_count`` counts the
queries, so tests can check that scrolling fetches only a few blocks.

Counting every match of a common search term takes a pass over the table, too slow for
each keystroke. With ``ops`` (the page passes ``ctx.ops``) the model counts at most
``count_cap`` matches at once: with more, ``rowCount`` is the cap, ``count_exact`` is False
(the page shows "1,000+ 件"), the exact count runs as ``ops.read`` of the model's own key
(started once the event loop runs again, after the list is painted; not at all when another
keystroke came first), and the rows grow to it when it arrives. A newer filter's count, or
``ops.drop`` when the new filter needs none, cancels the older read: its ``cancelled()``
interrupts the running SQL and its result is never delivered (ops' latest-per-key). Until then,
scrolling to the end fetches more (``canFetchMore``/``fetchMore``), a block at a time.
``countChanged`` is emitted whenever the count or its exactness changes.

``data()`` answers only the roles it handles and returns ``None`` at once for the rest
(docs/pitfalls.md #1: tests/ui/test_refcount.py guards the PySide6 version against the None-refcount bug).
"""
from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections import OrderedDict
from dataclasses import dataclass, replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor

from gkdesk.api import cases as cases_api
from gkdesk.domain import terms
from gkdesk.ui import workers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    sort_key: str | None   # key of cases_api.SORT_KEYS, None when the column cannot be sorted
    width: int


COLUMNS: tuple[Column, ...] = (
    Column("number", "受理编号", "number", 150),
    Column("applicant", "申请人", "applicant", 170),
    Column("summary", "申请内容摘要", None, 360),
    Column("received", "收到日期", "received", 100),
    Column("stage", "阶段", "stage", 80),
    Column("handler", "承办人", "handler", 80),
    Column("due", "答复期限", "due", 230),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}

CASE_ID_ROLE = int(Qt.UserRole) + 1
DUE_LEVEL_ROLE = int(Qt.UserRole) + 2
ROW_ROLE = int(Qt.UserRole) + 3      # the whole row dict as the query returned it

_DISPLAY = int(Qt.DisplayRole)
_TOOLTIP = int(Qt.ToolTipRole)
_FOREGROUND = int(Qt.ForegroundRole)
_BACKGROUND = int(Qt.BackgroundRole)
_ALIGN = int(Qt.TextAlignmentRole)
HANDLED_ROLES = frozenset({_DISPLAY, _TOOLTIP, _FOREGROUND, _BACKGROUND, _ALIGN,
                           CASE_ID_ROLE, DUE_LEVEL_ROLE, ROW_ROLE})

# Due-date colours: (background, foreground) per level of deadlines.status.
LEVEL_COLOURS = {
    "red": (QColor("#fde0e0"), QColor("#b3261e")),
    "today": (QColor("#ffe3c2"), QColor("#a14a00")),
    "amber": (QColor("#fff4cc"), QColor("#7a5b00")),
    "paused": (QColor("#ececec"), QColor("#555555")),
}
LEVEL_BRUSHES = {k: (QBrush(bg), QBrush(fg)) for k, (bg, fg) in LEVEL_COLOURS.items()}
PROVISIONAL_FG = QBrush(QColor("#6a4c93"))


class _Row:
    """One case as the table shows it: its cells, due level and tooltip are computed the
    first time the view asks for them (a block holds 200 rows; a screen shows ~30)."""

    __slots__ = ("id", "record", "_cal", "_today", "_cells", "_level", "_tooltip")

    def __init__(self, rec: dict, cal, today: dt.date):
        self.id = rec["id"]
        self.record = rec
        self._cal = cal
        self._today = today
        self._cells = None

    def _compute(self) -> None:
        rec = self.record
        stage = rec.get("stage") or ""
        open_case = stage in terms.OPEN_STAGES
        due = rec.get("due_date")
        st = cases_api.due_status_of(due, bool(rec.get("due_provisional")), open_case=open_case,
                              paused=bool(rec.get("paused")), on=self._today, cal=self._cal)
        due_text = due.isoformat() if due else ""
        if st.text:
            due_text = f"{due_text}  {st.text}"
        received = rec.get("received_date")
        self._level = st.level if (open_case and due) else "none"
        self._tooltip = cases_api.PROVISIONAL_NOTE if (st.provisional and open_case) else ""
        self._cells = (
            rec.get("number") or "",
            rec.get("applicant_name") or "",
            cases_api.summary(rec.get("content") or ""),
            received.isoformat() if received else "",
            terms.label_of(terms.STAGES, stage, stage),
            rec.get("handler") or "",
            due_text,
        )

    @property
    def cells(self) -> tuple[str, ...]:
        if self._cells is None:
            self._compute()
        return self._cells

    @property
    def level(self) -> str:
        if self._cells is None:
            self._compute()
        return self._level

    @property
    def tooltip(self) -> str:
        if self._cells is None:
            self._compute()
        return self._tooltip


_MODEL_IDS = itertools.count(1)


class CaseTableModel(QAbstractTableModel):
    """Pages through ``cases_api.list_cases``; see the module docstring."""

    countChanged = Signal()

    def __init__(self, parent=None, *, block_size: int = 200, max_blocks: int = 8,
                 flt: cases_api.CaseFilter | None = None, sort: str = "received", descending: bool = True,
                 ops=None, count_cap: int = cases_api.COUNT_CAP):
        super().__init__(parent)
        self.block_size = block_size
        self.max_blocks = max_blocks
        self.count_cap = count_cap
        self._ops = ops
        self._count_key = ("case-count", next(_MODEL_IDS))
        self._filter = flt or cases_api.CaseFilter()
        self._sort = sort
        self._descending = descending
        self._count = 0
        self._exact = True
        self._counting = False            # the exact count is asked for (or running)
        self._count_timer = QTimer(self)  # starts it after the list is painted
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self._start_count)
        if ops is not None:               # a count still running when the model goes is dropped
            key = self._count_key
            self.destroyed.connect(lambda *_: ops.drop(key))
        self._blocks: OrderedDict[int, list[_Row]] = OrderedDict()
        self._cal = None
        self._today = None
        self.fetch_count = 0        # list_cases calls (blocks fetched)
        self.count_queries = 0      # counts started (capped or exact)
        self._recount()

    # ---------------------------------------------------------------- state
    @property
    def filter(self) -> cases_api.CaseFilter:
        return self._filter

    @property
    def sort_key(self) -> str:
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    @property
    def count_exact(self) -> bool:
        """False while ``rowCount`` is a lower bound (more cases match; counting goes on)."""
        return self._exact

    @property
    def counting(self) -> bool:
        """True while the exact count runs in the background."""
        return self._counting

    def _recount(self, calendar: bool = True) -> None:
        self._blocks.clear()
        if calendar or self._cal is None:
            self._cal = cases_api.work_calendar()
        self._today = cases_api.today()
        self._drop_pending_count()            # it counts for an older filter or sort
        self.count_queries += 1
        if self._ops is None:
            self._count, self._exact = cases_api.count_cases(self._filter), True
            return
        self._count, self._exact = cases_api.count_cases_upto(self._filter, self.count_cap)
        if not self._exact:
            self._counting = True
            self._count_timer.start()         # after the paint; a keystroke first stops it

    def _drop_pending_count(self) -> None:
        if self._counting:
            self._counting = False
            self._count_timer.stop()
            self._ops.drop(self._count_key)   # cancels a running count's SQL

    def _start_count(self) -> None:
        flt = replace(self._filter)

        def count(cancelled) -> int:
            try:
                return cases_api.count_cases(flt, cancelled=cancelled)
            except cases_api.CountCancelled:
                raise workers.Cancelled from None

        def done(n: int) -> None:
            self._counting = False
            self._set_count(n, True)

        def failed(exc: BaseException) -> None:
            self._counting = False
            log.warning("案件计数失败：%s", exc)    # the list keeps its lower bound and grows on scrolling
            self.countChanged.emit()

        # the latest read of this key is the only one delivered (ops.Runner.read)
        self._ops.read(self._count_key, count, success=done, failure=failed)

    def _set_count(self, n: int, exact: bool) -> None:
        if n > self._count:
            self.beginInsertRows(QModelIndex(), self._count, n - 1)
            self._count = n
            self.endInsertRows()
        elif n < self._count:
            self.beginRemoveRows(QModelIndex(), n, self._count - 1)
            self._count = n
            self.endRemoveRows()
        self._exact = exact
        self.countChanged.emit()

    def _reset(self, calendar: bool = True) -> None:
        self.beginResetModel()
        self._recount(calendar)
        self.endResetModel()
        self.countChanged.emit()

    def _reorder(self) -> None:
        """Another sort: the same rows (and count, or count in progress), read again."""
        self.beginResetModel()
        self._blocks.clear()
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read the count and forget cached rows (after data changed)."""
        self._reset()

    def set_filter(self, flt: cases_api.CaseFilter) -> None:
        if flt == self._filter:
            return
        self._filter = replace(flt)
        self._reset(calendar=False)

    def set_sort(self, sort: str, descending: bool) -> None:
        if sort not in cases_api.SORT_KEYS:
            raise KeyError(sort)
        if (sort, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = sort, descending
        self._reorder()

    def cached_blocks(self) -> list[int]:
        return list(self._blocks)

    # ---------------------------------------------------------------- rows
    def _block(self, number: int) -> list[_Row]:
        rows = self._blocks.get(number)
        if rows is not None:
            self._blocks.move_to_end(number)
            return rows
        self.fetch_count += 1
        recs = cases_api.list_cases(self._filter, self._sort, self._descending,
                                offset=number * self.block_size, limit=self.block_size)
        rows = [_Row(r, self._cal, self._today) for r in recs]
        self._blocks[number] = rows
        while len(self._blocks) > self.max_blocks:
            self._blocks.popitem(last=False)
        return rows

    def row(self, r: int) -> _Row | None:
        if r < 0 or r >= self._count:
            return None
        rows = self._block(r // self.block_size)
        i = r % self.block_size
        return rows[i] if i < len(rows) else None

    def case_id(self, r: int) -> int | None:
        row = self.row(r)
        return row.id if row else None

    def find_case(self, case_id: int, max_blocks: int = 5) -> int | None:
        """The row of ``case_id`` if it is among the first ``max_blocks`` blocks."""
        for number, rows in list(self._blocks.items()):
            for i, row in enumerate(rows):
                if row.id == case_id:
                    return number * self.block_size + i
        for number in range(min(max_blocks, (self._count + self.block_size - 1) // self.block_size)):
            if number in self._blocks:
                continue
            for i, row in enumerate(self._block(number)):
                if row.id == case_id:
                    return number * self.block_size + i
        return None

    # ---------------------------------------------------------------- Qt API
    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exact

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008
        """More rows than counted so far: show the next block's (the view asks at the end)."""
        if parent.isValid() or self._exact:
            return
        number = self._count // self.block_size
        rows = self._block(number)
        end = number * self.block_size + len(rows)
        if len(rows) < self.block_size:           # the last block: the count is known
            self._drop_pending_count()
            self._set_count(end, True)
        elif end > self._count:
            self._set_count(end, False)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section].title
        if orientation == Qt.Horizontal and role == Qt.ToolTipRole and 0 <= section < len(COLUMNS):
            col = COLUMNS[section]
            return "点击排序" if col.sort_key else "此列不能排序"
        return None

    def data(self, index, role=Qt.DisplayRole):
        role = int(role)
        if role not in HANDLED_ROLES or not index.isValid():
            return None
        row = self.row(index.row())
        if row is None:
            return None
        col = index.column()
        if role == _DISPLAY:
            return row.cells[col]
        if role == CASE_ID_ROLE:
            return row.id
        if role == DUE_LEVEL_ROLE:
            return row.level
        if role == ROW_ROLE:
            return row.record
        if role == _TOOLTIP:
            if col == COLUMN_INDEX["summary"]:
                return row.record.get("content") or None
            if col == COLUMN_INDEX["due"] and row.tooltip:
                return row.tooltip
            return None
        if col != COLUMN_INDEX["due"]:
            return None
        if role == _BACKGROUND:
            brushes = LEVEL_BRUSHES.get(row.level)
            return brushes[0] if brushes else None
        if role == _FOREGROUND:
            brushes = LEVEL_BRUSHES.get(row.level)
            if brushes:
                return brushes[1]
            return PROVISIONAL_FG if row.tooltip else None
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort_key is None:
            return
        self.set_sort(COLUMNS[column].sort_key, order == Qt.DescendingOrder)
