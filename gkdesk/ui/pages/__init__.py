"""The pages of the main window's navigation, and the contract every page honours.

Each entry of ``PAGES`` names a key, the Chinese title shown in the navigation, the module
that builds the page and its factory function::

    def create_page(ctx: AppContext, parent: QWidget) -> QWidget

The main window imports the module lazily and calls the factory the first time the page
is visited (never at start-up). Every page is built: a page module that is missing (a
packaging error) or lacks its factory is an error — ``load_factory`` raises
``PageMissing``, the window shows 页面加载失败 with the reason and logs it, and the
self-test (``gkdesk --self-test``) fails naming the page. Nothing is silently replaced.

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

from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


class PageMissing(ImportError):
    """A page of ``PAGES`` whose module or factory is not there (a packaging error)."""


class PageSpec(NamedTuple):
    key: str
    title: str
    module: str
    factory: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard", "工作台", "gkdesk.ui.pages.dashboard", "create_page"),
    PageSpec("cases", "案件办理", "gkdesk.ui.pages.cases", "create_page"),
    PageSpec("annex1", "附件一 工作人员情况表", "gkdesk.ui.pages.annex1", "create_annex1_page"),
    PageSpec("annex2", "附件二 工作职能清单", "gkdesk.ui.pages.annex2", "create_annex2_page"),
    PageSpec("tasks", "工作任务", "gkdesk.ui.pages.tasks", "create_page"),
    PageSpec("catalogue", "标准目录", "gkdesk.ui.pages.catalogue", "create_page"),
    PageSpec("templates", "文书模板", "gkdesk.ui.pages.templates", "create_page"),
    PageSpec("reports", "统计报表", "gkdesk.ui.pages.reports", "create_page"),
    PageSpec("settings", "设置", "gkdesk.ui.pages.settings", "create_page"),
)
PAGES_BY_KEY = {p.key: p for p in PAGES}


def load_factory(spec: PageSpec) -> Callable:
    """The page's factory. A missing module or factory raises ``PageMissing``; errors
    inside an existing module (a bad import of something else) propagate as they are."""
    try:
        module = importlib.import_module(spec.module)
    except ModuleNotFoundError as exc:
        if exc.name == spec.module:
            raise PageMissing(f"页面“{spec.title}”的模块 {spec.module} 不存在（安装不完整？）") from exc
        raise
    factory = getattr(module, spec.factory, None)
    if not callable(factory):
        raise PageMissing(f"页面“{spec.title}”的模块 {spec.module} 中没有 {spec.factory}()")
    return factory


def create(spec: PageSpec, ctx, parent: QWidget) -> QWidget:
    """Build the page of ``spec``; raises what building it raised (``PageMissing``…)."""
    return load_factory(spec)(ctx, parent)
