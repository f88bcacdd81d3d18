"""``AppContext``: what every screen of the GUI shares.

Pages and dialogs receive the context instead of reaching for globals:

``ctx.db``
    the opened database (``gkdesk.db.connection.OpenedDatabase``; ``ctx.db.display`` is
    the path or URL shown in the status bar).
``ctx.actor``
    the current user (``gkdesk.actors.Actor``); pass ``ctx.actor.username`` as ``user=``
    to core service functions, or ``ctx.actor`` where they take an actor.
``ctx.ops``
    the operations runner (``gkdesk.ui.ops``): ``ctx.ops.write(fn, success=…, initiator=self)``
    on the one writer thread, ``ctx.ops.read(key, fn, success=…)`` on the reader pool. New
    screens reach the core only through it; tests pass ``ops=SyncRunner()``.
``ctx.changed.opDidExecute(changes, initiator)``
    emitted on the UI thread after every committed write (the core's change feed,
    ``gkdesk.changes``): refresh only when ``changes.touches(...)`` and skip changes whose
    ``initiator is self``.
``ctx.changed``
    the signal hub (a ``ChangeHub``): ``opDidExecute`` above and ``actorChanged`` (re-login).
    Screens do not announce their writes: the change feed announces every committed write.
``ctx.run_in_background(fn, on_done=None, on_error=None, progress=True, title=..., write=False)``
    runs ``fn`` through ``ctx.ops`` (a read, or with ``write=True`` on the writer thread)
    with a ``QProgressDialog`` and a 取消 button.
    ``fn`` may take keyword arguments ``progress`` (call ``progress(done, total)``) and
    ``cancelled`` (call ``cancelled()``, stop when True, e.g. by raising
    ``gkdesk.ui.workers.Cancelled``). ``on_done(result)`` and ``on_error(exc)`` run on
    the UI thread. Without ``on_error`` the error is shown in a message box.
``ctx.show_error(exc, parent=None)``
    shows a ``GkError`` as a Chinese message box; anything else with its traceback, logged.
``ctx.show_page(key, **options)`` / ``ctx.open_case(case_id)``
    navigation requests, forwarded to the main window (no-ops without one).
``ctx.settings``
    the per-machine ``QSettings`` (window geometry, column widths); office facts live in
    the database (``gkdesk.settings``).

These names are a contract other pages rely on: keep them stable.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QWidget

from gkdesk.actors import Actor
from gkdesk.ui import workers

log = logging.getLogger(__name__)


class ChangeHub(QObject):
    """Signals emitted after data changed, so every screen can refresh itself."""

    actorChanged = Signal()        # the current user changed (re-login)
    # every committed write: (gkdesk.changes.Changes, initiator) — see gkdesk.ui.ops
    opDidExecute = Signal(object, object)


class AppContext:
    """Shared state of one GUI session; see the module docstring for the contract."""

    def __init__(self, db, actor: Actor | None, settings: QSettings | None = None, ops=None):
        from gkdesk.ui import ops as ops_mod

        self.db = db
        self.actor = actor
        self.changed = ChangeHub()
        self._bridge = ops_mod.ChangeBridge(self.changed)
        self.ops = ops if ops is not None else ops_mod.Runner()
        if self.ops.show_error is None:
            self.ops.show_error = lambda exc, parent=None: self.show_error(exc, parent)
        self.settings = settings if settings is not None else QSettings("gkdesk", "gkdesk")
        self.main_window: QWidget | None = None

    def close(self) -> None:
        """Stop hearing the change feed (the session ends, or a test's context is done)."""
        self._bridge.close()

    def set_actor(self, actor: Actor) -> None:
        self.actor = actor
        self.changed.actorChanged.emit()

    # ------------------------------------------------------------------ navigation
    def show_page(self, key: str, **options: Any) -> None:
        if self.main_window is not None:
            self.main_window.show_page(key, **options)

    def open_case(self, case_id: int) -> None:
        if self.main_window is not None:
            self.main_window.open_case(case_id)

    # ------------------------------------------------------------------ errors
    def show_error(self, exc: BaseException, parent: QWidget | None = None, title: str = "") -> None:
        from gkdesk.ui.dialogs import messages

        messages.show_exception(parent or self.main_window, exc, title=title)

    # ------------------------------------------------------------------ background work
    def run_in_background(self, fn: Callable[..., Any], on_done: Callable[[Any], None] | None = None,
                          on_error: Callable[[BaseException], None] | None = None, *,
                          progress: bool = True, title: str = "正在处理", label: str = "",
                          parent: QWidget | None = None,
                          on_cancelled: Callable[[], None] | None = None, write: bool = False,
                          initiator: Any = None):
        """Run ``fn`` off the UI thread through the operations runner; see the module
        docstring. ``write=True`` runs it on the one writer thread (imports, restores: every
        GUI write, in order), else on the reader pool. Returns the ``ops.Handle``
        (``cancel()`` asks it to stop)."""
        parent = parent or self.main_window
        failure = on_error if on_error is not None else (lambda exc: self.show_error(exc, parent))
        if write:
            return self.ops.write(fn, success=on_done, failure=failure, initiator=initiator,
                                  progress=progress, title=title, label=label, parent=parent,
                                  on_cancelled=on_cancelled)
        return self.ops.read(object(), fn, success=on_done, failure=failure, progress=progress,
                             title=title, label=label, parent=parent, on_cancelled=on_cancelled)

    def wait_for_background(self, msecs: int = 30000) -> bool:
        """Block until the pool and the operations are idle (tests and shutdown)."""
        return workers.pool().waitForDone(msecs) and self.ops.wait(msecs)
