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
    the signal hub (a ``ChangeHub``). After a successful write, call
    ``ctx.notify_cases_changed(case_id)`` or ``ctx.notify_changed("units")``; screens
    subscribe to ``ctx.changed.casesChanged`` / ``ctx.changed.caseChanged(int)`` /
    ``ctx.changed.dataChanged(str)`` and refresh themselves (Anki-style "operation did
    execute" hook) instead of polling the database.
``ctx.run_in_background(fn, on_done=None, on_error=None, progress=True, title=...)``
    runs ``fn`` on a ``QThreadPool`` thread with a ``QProgressDialog`` and a 取消 button.
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

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from gkdesk.actors import Actor
from gkdesk.ui import workers

log = logging.getLogger(__name__)


class ChangeHub(QObject):
    """Signals emitted after data changed, so every screen can refresh itself."""

    casesChanged = Signal()        # some case was added or changed
    caseChanged = Signal(int)      # this case changed (id); casesChanged is emitted too
    dataChanged = Signal(str)      # other data: "settings", "units", "templates", "calendar"…
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
        self._tasks: set[workers.Task] = set()

    # ------------------------------------------------------------------ change hook
    def notify_cases_changed(self, case_id: int | None = None) -> None:
        if case_id is not None:
            self.changed.caseChanged.emit(int(case_id))
        self.changed.casesChanged.emit()

    def notify_changed(self, what: str) -> None:
        self.changed.dataChanged.emit(what)

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
                          on_cancelled: Callable[[], None] | None = None) -> workers.Task:
        """Run ``fn`` off the UI thread; see the module docstring. Returns the ``Task``
        (``task.cancel()`` asks it to stop; ``task.signals`` has its signals)."""
        task = workers.Task(fn)
        parent = parent or self.main_window
        dialog: QProgressDialog | None = None
        if progress:
            dialog = QProgressDialog(label or title, "取消", 0, 0, parent)
            dialog.setWindowTitle(title)
            dialog.setWindowModality(Qt.WindowModal)
            dialog.setMinimumDuration(300)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)

            def on_cancel_clicked():
                task.cancel()
                dialog.setLabelText("正在取消…")

            dialog.canceled.connect(on_cancel_clicked)

            def on_progress(done: int, total: int):
                if total > 0:
                    dialog.setMaximum(total)
                    dialog.setValue(min(done, total))
                    if not task.is_cancelled():
                        dialog.setLabelText(f"{label or title}（{done}/{total}）")

            task.signals.progress.connect(on_progress)
        task.dialog = dialog

        def finish():
            self._tasks.discard(task)
            if dialog is not None:
                dialog.canceled.disconnect()
                dialog.close()
                dialog.deleteLater()

        def done(result):
            finish()
            if on_done is not None:
                on_done(result)

        def failed(exc):
            finish()
            if on_error is not None:
                on_error(exc)
            else:
                self.show_error(exc, parent)

        def cancelled():
            finish()
            if on_cancelled is not None:
                on_cancelled()

        task.signals.done.connect(done)
        task.signals.failed.connect(failed)
        task.signals.cancelled.connect(cancelled)
        self._tasks.add(task)
        workers.pool().start(task)
        return task

    def wait_for_background(self, msecs: int = 30000) -> bool:
        """Block until the pool and the operations are idle (tests and shutdown)."""
        return workers.pool().waitForDone(msecs) and self.ops.wait(msecs)
