"""The pages of the main window's navigation, and the contract every page honours.

Each entry of ``PAGES`` names a key, the Chinese title shown in the navigation, the module
that builds the page and its factory function::

    def create_page(ctx: AppContext, parent: QWidget) -> QWidget

The main window imports the module lazily and calls the factory the first time the page
is visited (never at start-up). When the module is not there yet (``ModuleNotFoundError``
for that very module) or lacks the factory (``AttributeError``), the window shows a
placeholder page saying 本功能正在建设中 instead of failing.

Optional methods a page widget may define (the main window calls them if present):

``activate()``
    each time the page becomes visible (refresh cheap things here);
``navigate(**options)``
    when another screen asks to show this page with options, e.g.
    ``ctx.show_page("cases", filter=CaseFilter(...), title="已超期")``;
``confirm_leave() -> bool``
    before the user switches away or closes the window (unsaved edits); False keeps it.

Pages reach the core through ``ctx.ops`` and the area APIs (``gkdesk.api``) and subscribe
to ``ctx.changed.opDidExecute(changes, initiator)`` to refresh when a committed write
touched what they show (``changes.touches("units")``, ``changes.case_list``…); the core's
change feed announces every write, so pages announce nothing themselves.
"""
from __future__ import annotations

import importlib
import logging
from typing import Callable, NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

UNDER_CONSTRUCTION = "本功能正在建设中"


class PageSpec(NamedTuple):
    key: str
    title: str
    module: str
    factory: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard", "工作台", "gkdesk.ui.pages.dashboard", "create_page"),
    PageSpec("cases", "案件办理", "gkdesk.ui.pages.cases", "create_page"),
    PageSpec("annex1", "附件一 工作人员情况表", "gkdesk.ui.pages.forms", "create_annex1_page"),
    PageSpec("annex2", "附件二 工作职能清单", "gkdesk.ui.pages.forms", "create_annex2_page"),
    PageSpec("tasks", "工作任务", "gkdesk.ui.pages.tasks", "create_page"),
    PageSpec("catalogue", "标准目录", "gkdesk.ui.pages.catalogue", "create_page"),
    PageSpec("templates", "文书模板", "gkdesk.ui.pages.templates", "create_page"),
    PageSpec("reports", "统计报表", "gkdesk.ui.pages.reports", "create_page"),
    PageSpec("settings", "设置", "gkdesk.ui.pages.settings", "create_page"),
)
PAGES_BY_KEY = {p.key: p for p in PAGES}


def load_factory(spec: PageSpec) -> Callable | None:
    """The page's factory, or None when its module or function is not built yet.
    Errors inside an existing module (a bad import of something else) propagate."""
    try:
        module = importlib.import_module(spec.module)
    except ModuleNotFoundError as exc:
        if exc.name == spec.module:
            return None
        raise
    factory = getattr(module, spec.factory, None)
    return factory if callable(factory) else None


class PlaceholderPage(QWidget):
    """Shown for a page whose module is not there yet."""

    def __init__(self, title: str, parent: QWidget | None = None, detail: str = ""):
        super().__init__(parent)
        self.setObjectName("placeholderPage")
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        head = QLabel(title)
        head.setObjectName("pageTitle")
        head.setAlignment(Qt.AlignCenter)
        body = QLabel(UNDER_CONSTRUCTION)
        body.setObjectName("placeholderText")
        body.setAlignment(Qt.AlignCenter)
        lay.addWidget(head)
        lay.addWidget(body)
        if detail:
            note = QLabel(detail)
            note.setAlignment(Qt.AlignCenter)
            note.setWordWrap(True)
            note.setObjectName("hint")
            lay.addWidget(note)
        lay.addStretch(2)
        self.placeholder_text = UNDER_CONSTRUCTION


def create(spec: PageSpec, ctx, parent: QWidget) -> QWidget:
    """Build the page of ``spec`` (or its placeholder)."""
    factory = load_factory(spec)
    if factory is None:
        log.info("页面 %s 尚未实现（%s.%s）", spec.key, spec.module, spec.factory)
        return PlaceholderPage(spec.title, parent)
    return factory(ctx, parent)
