"""The warm-up after start-up: while the clerk reads the start page, load what the first
opening of every other page would wait for (issue 20: at county scale a page's first
opening took up to 1.1 s, most of it loading modules and fonts, against ≤ 85 ms reopened).

1. on a reader thread (Qt-free): the core's area modules, reportlab, openpyxl, the letter
   fonts and one sample layout (``gkdesk.api.maintenance.warm_up``);
2. then on the UI thread, one module per turn of the event loop so a click is never kept
   waiting for more than one: the page modules and the 统计报表 tabs' modules.

Pages are not built in advance (that would hold every page's widgets and reads whether the
clerk opens them or not); only their code is loaded. ``GKDESK_WARMUP=0`` turns it off (a
machine short of memory; the benchmarks' "clicked at once" figures).
"""
from __future__ import annotations

import importlib
import logging
import os

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)

# after the first paint: the start page's own reads go first
DELAY_MS = 600


def enabled() -> bool:
    return os.environ.get("GKDESK_WARMUP", "1") != "0"


def ui_modules() -> list[str]:
    from gkdesk.ui import pages as page_registry
    from gkdesk.ui.pages.reports import TAB_SPECS

    names = [spec.module for spec in page_registry.PAGES]
    names += [module for module, _cls, _title in TAB_SPECS.values()]
    return list(dict.fromkeys(names))


class WarmUp(QObject):
    """Started by ``start``; ``finished`` once everything is loaded (``done`` stays True)."""

    finished = Signal()

    def __init__(self, ctx, parent):
        super().__init__(parent)
        self.ctx = ctx
        self.done = False
        self._todo: list[str] = []

    def start(self, delay_ms: int = DELAY_MS) -> None:
        QTimer.singleShot(delay_ms, self, self._core)

    def _core(self) -> None:
        from gkdesk.api import maintenance

        self.ctx.ops.read(("warmup",), maintenance.warm_up, success=self._core_done,
                          failure=lambda exc: (log.warning("预加载失败：%s", exc), self._core_done(())))

    def _core_done(self, _missing) -> None:
        self._todo = ui_modules()
        self._next()

    def _next(self) -> None:
        if not self._todo:
            self.done = True
            self.finished.emit()
            return
        name = self._todo.pop(0)
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - the page reports its own failure when opened
            log.warning("预加载 %s 失败：%s", name, exc)
        QTimer.singleShot(0, self, self._next)


def start(ctx, window) -> WarmUp | None:
    """Begin the warm-up for ``window`` (kept as ``window.warmup``)."""
    if not enabled():
        return None
    w = WarmUp(ctx, window)
    window.warmup = w
    w.start()
    return w
