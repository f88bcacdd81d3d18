"""工作台: what needs attention today, as cards with counts (``gkdesk.cases.alerts``).
Clicking a card opens 案件办理 filtered to exactly the cases behind it."""
from __future__ import annotations

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


def create_page(ctx, parent):
    return DashboardPage(ctx, parent)


class AlertCard(QFrame):
    clicked = Signal(str)

    def __init__(self, alert: alerts.Alert, parent=None):
        super().__init__(parent)
        self.alert = alert
        self.setObjectName("dashCard")
        self.setProperty("level", LEVEL_STYLE.get(alert.level, "blue") if alert.count else "none")
        self.setCursor(Qt.PointingHandCursor)
        self.setMinimumSize(210, 104)
        self.count_label = QLabel(str(alert.count))
        self.count_label.setObjectName("dashCount" if alert.count else "dashCountZero")
        self.title_label = QLabel(alert.label)
        self.title_label.setObjectName("dashTitle")
        self.title_label.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 10, 16, 12)
        lay.addWidget(self.count_label)
        lay.addWidget(self.title_label)
        lay.addStretch(1)
        self.setToolTip("点击查看这些案件" if alert.count else "没有案件")

    def mouseReleaseEvent(self, event):  # noqa: N802
        if event.button() == Qt.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit(self.alert.code)
        super().mouseReleaseEvent(event)


class DashboardPage(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("dashboardPage")
        self.cards: dict[str, AlertCard] = {}
        self.alerts: dict[str, alerts.Alert] = {}
        self._stale = True

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
        open_count = count_cases(CaseFilter(stages=terms.OPEN_STAGES))
        year_count = count_cases(CaseFilter(year=today.year))
        self.summary_label.setText(f"在办案件 {open_count} 件；{today.year}年共收到申请 {year_count} 件。"
                                   "红色为已超期或今日到期，黄色为临近期限，需优先办理。")
        self._stale = False

    def open_alert(self, code: str) -> None:
        alert = self.alerts.get(code)
        if alert is None:
            return
        self.ctx.show_page("cases", filter=CaseFilter(ids=tuple(alert.case_ids)), title=alert.label)

    def _register(self) -> None:
        if self.ctx.main_window is not None:
            self.ctx.main_window.open_register_dialog()
