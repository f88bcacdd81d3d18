"""工作台: what needs attention today, as cards with counts (``gkdesk.cases.alerts``).
Clicking a card opens 案件办理 filtered to exactly the cases behind it.

The cards appear at once with "…"; their counts (one SQL COUNT each, ~70 ms together at
100,000 cases) are taken off the UI thread and filled in when they arrive, so the window
paints without waiting for them and a refresh after each change never stalls typing. A
refresh started while an older one is still counting makes the older result stale: it is
dropped."""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from gkdesk.cases import alerts, deadlines
from gkdesk.cases.query import CaseFilter, count_cases
from gkdesk.domain import terms
from gkdesk.ui.widgets.fields import format_date

# Cards in the order the office reads them; alerts not listed here follow.
ORDER = ("due_today", "due_soon", "overdue", "my_review", "my_handling", "not_delivered", "not_archived",
         "review_pending_long", "consultation_ending", "fee_ending")
LEVEL_STYLE = {"red": "red", "amber": "amber", "info": "blue"}
PENDING = "…"

log = logging.getLogger(__name__)


def create_page(ctx, parent):
    return DashboardPage(ctx, parent)


class AlertCard(QFrame):
    clicked = Signal(str)

    def __init__(self, alert: alerts.Alert, parent=None):
        super().__init__(parent)
        self.alert = alert
        self.setObjectName("dashCard")
        self.setCursor(Qt.PointingHandCursor)
        self.setMinimumSize(210, 104)
        self.count_label = QLabel(PENDING)
        self.title_label = QLabel(alert.label)
        self.title_label.setObjectName("dashTitle")
        self.title_label.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 10, 16, 12)
        lay.addWidget(self.count_label)
        lay.addWidget(self.title_label)
        lay.addStretch(1)
        self.set_count(None)

    def set_count(self, count: int | None) -> None:
        """Show ``count`` (None: still counting) and colour the card by it."""
        if count is not None:
            self.alert._count = count          # the card and its alert agree
        self.count_label.setText(PENDING if count is None else str(count))
        self.count_label.setObjectName("dashCount" if count else "dashCountZero")
        self.setProperty("level", LEVEL_STYLE.get(self.alert.level, "blue") if count else "none")
        self.setToolTip("正在统计…" if count is None else ("点击查看这些案件" if count else "没有案件"))
        if count is not None:
            for w in (self, self.count_label):  # the style sheet keys on these: re-apply it
                w.style().unpolish(w)
                w.style().polish(w)

    def mouseReleaseEvent(self, event):  # noqa: N802
        if event.button() == Qt.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit(self.alert.code)
        super().mouseReleaseEvent(event)


class DashboardPage(QWidget):
    counted = Signal()      # the counts of the latest refresh are shown

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("dashboardPage")
        self.cards: dict[str, AlertCard] = {}
        self.alerts: dict[str, alerts.Alert] = {}
        self._stale = True
        self._generation = 0
        self.counting = False

        title = QLabel("工作台")
        title.setObjectName("pageTitle")
        self.date_label = QLabel()
        self.date_label.setObjectName("hint")
        self.register_button = QPushButton("登记申请")
        self.register_button.setObjectName("primaryButton")
        self.register_button.clicked.connect(self._register)
        self.all_button = QPushButton("全部案件")
        self.all_button.clicked.connect(lambda: self.ctx.show_page("cases", filter=CaseFilter(), title="全部"))

        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(12)
        head.addWidget(self.date_label)
        head.addStretch(1)
        self.day_list_button = QPushButton("今日到期清单")
        self.day_list_button.setToolTip("今日及本周到期的事项，按承办人列出，可打印")
        self.day_list_button.clicked.connect(self.open_day_list)
        head.addWidget(self.day_list_button)
        head.addWidget(self.all_button)
        head.addWidget(self.register_button)

        self.grid = QGridLayout()
        self.grid.setSpacing(14)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("hint")
        self.summary_label.setWordWrap(True)

        inner = QWidget()
        il = QVBoxLayout(inner)
        il.setContentsMargins(0, 0, 0, 0)
        il.addLayout(self.grid)
        il.addSpacing(10)
        il.addWidget(self.summary_label)
        il.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(inner)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(12)
        lay.addLayout(head)
        lay.addWidget(scroll, 1)

        ctx.changed.casesChanged.connect(self._mark_stale)
        ctx.changed.actorChanged.connect(self._mark_stale)
        ctx.changed.dataChanged.connect(lambda what: what == "calendar" and self._mark_stale())
        self.refresh()

    def _mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def activate(self) -> None:
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        today = deadlines.today()
        self.date_label.setText(f"今天是 {format_date(today, chinese=True)}")
        found = {a.code: a for a in alerts.compute(self.ctx.actor, today)}
        codes = [c for c in ORDER if c in found] + [c for c in found if c not in ORDER]
        while self.grid.count():
            w = self.grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.cards = {}
        self.alerts = found
        columns = 4
        for i, code in enumerate(codes):
            card = AlertCard(found[code])
            card.clicked.connect(self.open_alert)
            self.cards[code] = card
            self.grid.addWidget(card, i // columns, i % columns)
        self.summary_label.setText("正在统计…")
        self._stale = False
        self._generation += 1
        generation = self._generation
        queries = {code: a.query for code, a in found.items()}

        def count_all(*_args, **_kwargs):
            counts = {code: (q.count() if q is not None else 0) for code, q in queries.items()}
            open_count = count_cases(CaseFilter(stages=terms.OPEN_STAGES))
            year_count = count_cases(CaseFilter(year=today.year))
            return counts, open_count, year_count

        self.counting = True
        self.ctx.run_in_background(count_all, lambda result: self._show_counts(generation, today, result),
                                   lambda exc: self._count_failed(generation, exc), progress=False)

    def _show_counts(self, generation: int, today, result) -> None:
        if generation != self._generation:      # a newer refresh is counting: this one is stale
            return
        counts, open_count, year_count = result
        for code, card in self.cards.items():
            card.set_count(counts.get(code, 0))
        self.summary_label.setText(f"在办案件 {open_count} 件；{today.year}年共收到申请 {year_count} 件。"
                                   "红色为已超期或今日到期，黄色为临近期限，需优先办理。")
        self.counting = False
        self.counted.emit()

    def _count_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        log.warning("工作台统计失败：%s", exc)
        self.summary_label.setText(f"统计失败：{exc}。请切换到其他页面再回到工作台重试。")
        self._stale = True
        self.counting = False
        self.counted.emit()

    def open_alert(self, code: str) -> None:
        alert = self.alerts.get(code)
        if alert is None:
            return
        if code == "handoff_overdue":       # the hand-offs themselves, with unit and days late
            from gkdesk.ui.widgets.handoffs import open_overdue

            return open_overdue(self.ctx, self)
        self.ctx.show_page("cases", filter=CaseFilter(ids=tuple(alert.case_ids)), title=alert.label)

    def _register(self) -> None:
        if self.ctx.main_window is not None:
            self.ctx.main_window.open_register_dialog()

    def open_day_list(self):
        from gkdesk.ui.dialogs.day_list import DayListDialog

        dlg = DayListDialog(self.ctx, self)
        dlg.show()
        return dlg
