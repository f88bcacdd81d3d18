"""统计报表: the page and its tabs, one module each — the annual report (``annual``: tables
二/三/四, reconciliation, drill-down, export), the ledger (``ledger``: 台账 export and import),
statistics drawn as charts (``stats``; the charts are ``gkdesk.ui.widgets.charts``), the two
yearly reviews (``reviews``); the annual-report document tabs are ``pages.annual_document``.

Everything is computed by the core through ``gkdesk.api.reports`` (no SQL here); anything that may take a while
runs through ``ctx.run_in_background`` with a progress dialog and 取消.
"""
from __future__ import annotations

import importlib

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

__all__ = ["AnnualTab", "LedgerTab", "ReportsPage", "ReviewsTab", "StatsTab", "create_page"]

# key → (module, class, tab title). A tab is built the first time it is shown or asked for:
# building all seven when the page first opened took 280 ms at county scale (issue 20).
TAB_SPECS = {
    "annual": ("gkdesk.ui.pages.reports.annual", "AnnualTab", "年度报告"),
    "ledger": ("gkdesk.ui.pages.reports.ledger", "LedgerTab", "台账"),
    "stats": ("gkdesk.ui.pages.reports.stats", "StatsTab", "统计"),
    "reviews": ("gkdesk.ui.pages.reports.reviews", "ReviewsTab", "年度复查"),
    "document": ("gkdesk.ui.pages.annual_document", "AnnualDocumentTab", "年报正文"),
    "units": ("gkdesk.ui.pages.annual_document", "UnitReportsTab", "单位年报核对汇总"),
    "decisions": ("gkdesk.ui.pages.annual_document", "ReviewDecisionsTab", "复查结论"),
}


def __getattr__(name):                     # from gkdesk.ui.pages.reports import LedgerTab
    for module, cls, _title in TAB_SPECS.values():
        if cls == name:
            return getattr(importlib.import_module(module), cls)
    raise AttributeError(name)


def create_page(ctx, parent):
    return ReportsPage(ctx, parent)


def _tab_property(key: str):
    return property(lambda self: self.tab(key), doc=f"the {TAB_SPECS[key][2]} tab (built when first asked for)")


class ReportsPage(QWidget):
    """统计报表. ``navigate(tab="annual"|"ledger"|"stats"|"reviews", year=2025)``."""

    TABS = tuple(TAB_SPECS)

    annual = _tab_property("annual")
    ledger = _tab_property("ledger")
    stats = _tab_property("stats")
    reviews = _tab_property("reviews")
    document = _tab_property("document")
    units = _tab_property("units")
    decisions = _tab_property("decisions")

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("reportsPage")
        title = QLabel("统计报表")
        title.setObjectName("pageTitle")
        self._holders: dict[str, QWidget] = {}
        self._built: dict[str, QWidget] = {}
        self.tabs = QTabWidget()
        for key, (_m, _c, tab_title) in TAB_SPECS.items():
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            self._holders[key] = holder
            self.tabs.addTab(holder, tab_title)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(self.tabs, 1)
        self._stale = {t: True for t in self.TABS}
        self.tabs.currentChanged.connect(lambda _i: self.activate())
        ctx.changed.opDidExecute.connect(self.on_changes)
        self.tab(self.TABS[0])

    def tab(self, key: str) -> QWidget:
        """The tab's widget, built now if it has not been."""
        widget = self._built.get(key)
        if widget is None:
            module, cls, _title = TAB_SPECS[key]
            widget = getattr(importlib.import_module(module), cls)(self.ctx)
            self._holders[key].layout().addWidget(widget)
            widget.show()          # a child added to a parent already on screen is not shown by itself
            self._built[key] = widget
        return widget

    def built_tabs(self) -> tuple[str, ...]:
        return tuple(k for k in self.TABS if k in self._built)

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
        self.tab(key)
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
