"""工作台: what needs attention today, as cards with counts (``gkdesk.cases.alerts``).
Clicking a card opens 案件办理 filtered to exactly the cases behind it.

The cards appear at once with "…"; their counts (one SQL COUNT each, ~70 ms together at
100,000 cases) are taken off the UI thread and filled in when they arrive, so the window
paints without waiting for them and a refresh after each change never stalls typing. The
counts are one ``ctx.ops.read`` keyed "dashboard-counts": a refresh started while an older
one is still counting drops the older result. The page refreshes on the change feed when a
case, the calendar or the users changed."""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from gkdesk.api import cases as api
from gkdesk.api.cases import CaseFilter
from gkdesk.ui.widgets.dashboard_cards import ReportDeadlines, TaskCards
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

    def __init__(self, alert: api.AlertCard, parent=None):
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
        self.count = count
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
        self.alerts: dict[str, api.AlertCard] = {}
        self._stale = True
        self.counting = False
        self._painted = False           # the other areas' cards wait for the first paint

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
        # 工作任务 (issue 13; a click opens the page filtered) and Art. 49, 50 (issue 15; from the
        # tasks when collected): their counts are read after the first paint (``paintEvent``)
        self.task_cards = TaskCards(ctx, start=False)
        il.addSpacing(10)
        il.addWidget(self.task_cards)
        self.report_deadlines = ReportDeadlines(ctx=ctx, start=False)
        self.report_deadlines.clicked.connect(lambda code: ctx.show_page("tasks", state=None, year=0,
                                                                         kind="annual_report"))
        il.addSpacing(10)
        il.addWidget(self.report_deadlines)
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

        ctx.changed.opDidExecute.connect(self.on_changes)
        ctx.changed.actorChanged.connect(self._mark_stale)
        self.refresh()

    def on_changes(self, changes, _initiator) -> None:
        if changes.touches("cases", "calendar"):
            self._mark_stale()

    def _mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def activate(self) -> None:
        if self._stale:
            self.refresh()

    def paintEvent(self, event):  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._refresh_other_cards)

    @property
    def others_waiting(self) -> bool:
        """The 工作任务 or report-deadline cards still show "…" (read after the first paint)."""
        return self.task_cards.waiting or self.report_deadlines.waiting

    def _refresh_other_cards(self) -> None:
        """工作任务 and the report deadlines: not needed for the window's first picture (their
        reads import the tasks area; issue 20), so read once the page has painted."""
        self.task_cards.refresh()
        self.report_deadlines.refresh(api.today())

    def refresh(self) -> None:
        today = api.today()
        if self._painted:
            self._refresh_other_cards()
        self.date_label.setText(f"今天是 {format_date(today, chinese=True)}")
        found = {a.code: a for a in api.alert_cards(self.ctx.actor, today)}
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
        actor = self.ctx.actor
        self.counting = True
        # the latest refresh's counts only: an older read still counting is dropped
        self.ctx.ops.read("dashboard-counts", lambda: api.dashboard_counts(actor, today),
                          success=lambda result: self._show_counts(today, result),
                          failure=self._count_failed)

    def _show_counts(self, today, result: api.DashboardCounts) -> None:
        for code, card in self.cards.items():
            card.set_count(result.count(code))
        self.summary_label.setText(f"在办案件 {result.open_count} 件；{today.year}年共收到申请 {result.year_count} 件。"
                                   "红色为已超期或今日到期，黄色为临近期限，需优先办理。")
        self.counting = False
        self.counted.emit()

    def _count_failed(self, exc: BaseException) -> None:
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
        actor, today = self.ctx.actor, api.today()
        self.ctx.ops.read("dashboard-open", lambda: api.alert_case_ids(code, actor, today),
                          success=lambda ids: self.ctx.show_page("cases", filter=CaseFilter(ids=ids),
                                                                 title=alert.label))

    def _register(self) -> None:
        if self.ctx.main_window is not None:
            self.ctx.main_window.open_register_dialog()

    def open_day_list(self):
        from gkdesk.ui.dialogs.day_list import DayListDialog

        dlg = DayListDialog(self.ctx, self)
        dlg.show()
        return dlg
