"""统计报表: the page and its tabs, one module each — the annual report (``annual``: tables
二/三/四, reconciliation, drill-down, export), the ledger (``ledger``: 台账 export and import),
statistics drawn as charts (``stats``; the charts are ``gkdesk.ui.widgets.charts``), the two
yearly reviews (``reviews``); the annual-report document tabs are ``pages.annual_document``.

Everything is computed by the core through ``gkdesk.api.reports`` (no SQL here); anything that may take a while
runs through ``ctx.run_in_background`` with a progress dialog and 取消.
"""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from gkdesk.ui.pages.reports.annual import AnnualTab
from gkdesk.ui.pages.reports.ledger import LedgerTab
from gkdesk.ui.pages.reports.reviews import ReviewsTab
from gkdesk.ui.pages.reports.stats import StatsTab

__all__ = ["AnnualTab", "LedgerTab", "ReportsPage", "ReviewsTab", "StatsTab", "create_page"]


def create_page(ctx, parent):
    return ReportsPage(ctx, parent)




class ReportsPage(QWidget):
    """统计报表. ``navigate(tab="annual"|"ledger"|"stats"|"reviews", year=2025)``."""

    TABS = ("annual", "ledger", "stats", "reviews", "document", "units", "decisions")

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("reportsPage")
        title = QLabel("统计报表")
        title.setObjectName("pageTitle")
        self.annual = AnnualTab(ctx)
        self.ledger = LedgerTab(ctx)
        self.stats = StatsTab(ctx)
        self.reviews = ReviewsTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.annual, "年度报告")
        self.tabs.addTab(self.ledger, "台账")
        self.tabs.addTab(self.stats, "统计")
        self.tabs.addTab(self.reviews, "年度复查")
        from gkdesk.ui.pages.annual_document import AnnualDocumentTab, ReviewDecisionsTab, UnitReportsTab

        self.document = AnnualDocumentTab(ctx)
        self.units = UnitReportsTab(ctx)
        self.decisions = ReviewDecisionsTab(ctx)
        self.tabs.addTab(self.document, "年报正文")
        self.tabs.addTab(self.units, "单位年报核对汇总")
        self.tabs.addTab(self.decisions, "复查结论")
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(self.tabs, 1)
        self._stale = {t: True for t in self.TABS}
        self.tabs.currentChanged.connect(lambda _i: self.activate())
        ctx.changed.opDidExecute.connect(self.on_changes)

    def on_changes(self, changes, _initiator) -> None:
        if changes.case_list or changes.touches("calendar", "reports"):
            self._cases_changed()

    def _cases_changed(self) -> None:
        for t in self.TABS:
            self._stale[t] = True
        if self.isVisible():
            self.activate()

    def current_tab(self) -> str:
        return self.TABS[self.tabs.currentIndex()]

    def activate(self) -> None:
        key = self.current_tab()
        if not self._stale.get(key):
            return
        self._stale[key] = False
        if key == "annual":
            self.annual.year.fill()
            self.annual.refresh()
        elif key == "stats":
            self.stats.year.fill()
            self.stats.refresh()
        elif key == "reviews":
            self.reviews.year.fill()
            self.reviews.refresh()
        elif key == "document":
            self.document.load()
        elif key == "decisions":
            self.decisions.refresh()

    def navigate(self, tab: str | None = None, year: int | None = None, **_ignored) -> None:
        if tab in self.TABS:
            self.tabs.setCurrentIndex(self.TABS.index(tab))
        if year:
            w = {"annual": self.annual, "stats": self.stats, "reviews": self.reviews, "document": self.document,
                 "decisions": self.decisions}.get(self.current_tab())
            if w is not None:
                w.year.set_year(year)
        self.activate()
