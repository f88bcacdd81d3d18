"""Operations: the only way screens reach the core (Anki's CollectionOp/QueryOp, Picard's
run_task with a swappable pool).

``ctx.ops.write(fn, ...)``
    runs ``fn`` on the one writer thread, in the order the GUI asked: no two GUI writes
    ever compete for the database lock, and a clerk's action queued behind a long import
    runs after it instead of failing with 「数据库正忙」. ``fn`` runs inside
    ``changes.initiated_by(initiator)``, so the change feed names the screen that asked.
``ctx.ops.read(key, fn, ...)``
    runs ``fn`` on the reader pool; of several reads with the same ``key`` only the latest
    delivers its result (older ones are asked to cancel, and a late result is dropped).
    ``ctx.ops.drop(key)`` forgets the pending read of ``key`` (its filter changed and no
    new read is needed): it is asked to cancel and delivers nothing.

Both call ``success(result)`` / ``failure(exc)`` on the UI thread; without ``failure`` a
write's error is shown in a Chinese message box. ``fn`` may take ``progress`` and
``cancelled`` keyword arguments (see ``gkdesk.ui.workers``); ``progress=True`` shows a
progress dialog with 取消.

``ChangeBridge`` turns the core's change feed (``gkdesk.changes``, published after every
commit on whatever thread committed) into the Qt signal ``ctx.changed.opDidExecute(changes,
initiator)``, delivered on the UI thread.

Tests pass ``SyncRunner()`` to ``AppContext(ops=...)``: the same interface, run at once on
the calling thread, so a test asserts right after the call instead of polling.
"""
from __future__ import annotations

import itertools
import logging
import weakref
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QThread, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from gkdesk import changes
from gkdesk.ui import workers

log = logging.getLogger(__name__)

Callback = Callable[[Any], None] | None


def _with_initiator(fn: Callable[..., Any], initiator: Any) -> Callable[..., Any]:
    accepts_progress = workers._accepts(fn, "progress")
    accepts_cancelled = workers._accepts(fn, "cancelled")

    def run(progress=None, cancelled=None):
        kwargs = {}
        if accepts_progress:
            kwargs["progress"] = progress
        if accepts_cancelled:
            kwargs["cancelled"] = cancelled
        with changes.initiated_by(initiator):
            return fn(**kwargs)

    return run


class Handle:
    """What ``write``/``read`` return: ``cancel()`` asks the operation to stop."""

    def __init__(self, task: workers.Task | None = None):
        self.task = task
        self.dropped = False

    def cancel(self) -> None:
        """Ask the operation to stop; a read asked to cancel delivers nothing any more."""
        self.dropped = True
        if self.task is not None:
            self.task.cancel()

    def is_cancelled(self) -> bool:
        return self.task.is_cancelled() if self.task is not None else self.dropped


class Runner:
    """Writer thread + reader pool. ``show_error(exc, parent)`` reports unhandled failures."""

    def __init__(self, writer: QThreadPool | None = None, readers: QThreadPool | None = None,
                 show_error: Callable[[BaseException, QWidget | None], None] | None = None):
        if writer is None:
            writer = QThreadPool()
            writer.setMaxThreadCount(1)      # one writer: GUI writes run one after another
            writer.setExpiryTimeout(-1)      # keep the thread (and its connection) alive
        if readers is None:
            readers = QThreadPool()
            readers.setMaxThreadCount(2)
        self.writer = writer
        self.readers = readers
        self.show_error = show_error
        self._live: set[workers.Task] = set()
        self._latest: dict[Any, int] = {}
        self._latest_handle: dict[Any, Handle] = {}
        self._seq = itertools.count(1)

    # ------------------------------------------------------------------ writes
    def write(self, fn: Callable[..., Any], *, success: Callback = None, failure: Callback = None,
              initiator: Any = None, progress: bool = False, title: str = "正在保存",
              label: str = "", parent: QWidget | None = None,
              on_cancelled: Callable[[], None] | None = None) -> Handle:
        task = workers.Task(_with_initiator(fn, initiator))
        handle = Handle(task)
        self._wire(task, handle, success, failure, on_cancelled, parent,
                   show_errors=True, progress=progress, title=title, label=label)
        self.writer.start(task)
        return handle

    # ------------------------------------------------------------------ reads
    def read(self, key: Any, fn: Callable[..., Any], *, success: Callback = None,
             failure: Callback = None, progress: bool = False, title: str = "正在读取",
             label: str = "", parent: QWidget | None = None,
             on_cancelled: Callable[[], None] | None = None) -> Handle:
        seq = next(self._seq)
        older = self._latest_handle.get(key)
        if older is not None:
            older.cancel()
            older.dropped = True
        self._latest[key] = seq
        task = workers.Task(fn)
        handle = Handle(task)
        self._latest_handle[key] = handle

        def current() -> bool:
            return self._latest.get(key) == seq and not handle.dropped

        def settle() -> bool:
            cur = current()
            if self._latest_handle.get(key) is handle:      # finished: forget the key
                del self._latest_handle[key]
                self._latest.pop(key, None)
            return cur

        def ok(result):
            if settle() and success is not None:
                success(result)

        def bad(exc):
            if not settle():
                return
            if failure is not None:
                failure(exc)
            else:
                log.error("读取失败：%s", exc)

        self._wire(task, handle, ok, bad, on_cancelled, parent, show_errors=False,
                   progress=progress, title=title, label=label)
        self.readers.start(task)
        return handle

    def drop(self, key: Any) -> None:
        """Forget the pending read of ``key``: it is asked to cancel and delivers nothing."""
        self._latest.pop(key, None)
        handle = self._latest_handle.pop(key, None)
        if handle is not None:
            handle.cancel()

    def pending(self, key: Any) -> bool:
        """True while a read of ``key`` runs whose result will still be delivered."""
        handle = self._latest_handle.get(key)
        return handle is not None and not handle.dropped and handle.task in self._live

    # ------------------------------------------------------------------ common
    def _wire(self, task, handle, success, failure, on_cancelled, parent, *, show_errors: bool,
              progress: bool, title: str, label: str) -> None:
        dialog = progress_dialog(task, title, label, parent) if progress else None

        def finish():
            self._live.discard(task)
            if dialog is not None:
                dialog.canceled.disconnect()
                dialog.close()
                dialog.deleteLater()

        def done(result):
            finish()
            if success is not None and _alive(parent):
                success(result)

        def failed(exc):
            finish()
            if failure is not None and _alive(parent):
                failure(exc)
            elif show_errors and self.show_error is not None:
                # the screen that asked is gone (closed meanwhile): the clerk still hears of it
                self.show_error(exc, parent if _alive(parent) else None)

        def cancelled():
            finish()
            if on_cancelled is not None:
                on_cancelled()

        task.signals.done.connect(done)
        task.signals.failed.connect(failed)
        task.signals.cancelled.connect(cancelled)
        self._live.add(task)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every operation has finished (shutdown, tests of the real runner)."""
        return self.writer.waitForDone(msecs) and self.readers.waitForDone(msecs)

    @property
    def busy(self) -> bool:
        return bool(self._live)


class SyncRunner(Runner):
    """The test double: every operation runs at once on the calling thread, callbacks
    included, with exactly the semantics of ``Runner`` (initiator, latest-per-key)."""

    def __init__(self, show_error=None):
        self.show_error = show_error
        self._live = set()
        self._latest = {}
        self._latest_handle = {}
        self._seq = itertools.count(1)
        self.calls: list[tuple[str, Any]] = []   # ("write"|"read", fn) in order, for tests
        self.current: Handle | None = None       # the operation running now (tests cancel it)

    def write(self, fn, *, success=None, failure=None, initiator=None, progress=False,
              title="", label="", parent=None, on_cancelled=None) -> Handle:
        self.calls.append(("write", fn))
        return self._run(_with_initiator(fn, initiator), success, failure, on_cancelled, parent, True)

    def read(self, key, fn, *, success=None, failure=None, progress=False, title="", label="",
             parent=None, on_cancelled=None) -> Handle:
        self.calls.append(("read", fn))
        self._latest[key] = next(self._seq)
        self._latest_handle.pop(key, None)
        return self._run(fn, success, failure, on_cancelled, parent, False)

    def pending(self, key) -> bool:
        return False

    def _run(self, fn, success, failure, on_cancelled, parent, show_errors) -> Handle:
        handle = Handle(None)
        kwargs = {}
        if workers._accepts(fn, "progress"):
            kwargs["progress"] = lambda done, total: None
        if workers._accepts(fn, "cancelled"):
            kwargs["cancelled"] = handle.is_cancelled
        outer, self.current = self.current, handle
        try:
            result = fn(**kwargs)
        except workers.Cancelled:
            if on_cancelled is not None:
                on_cancelled()
            return handle
        except Exception as exc:  # noqa: BLE001 - delivered like the real runner does
            if failure is not None:
                failure(exc)
            elif show_errors and self.show_error is not None:
                self.show_error(exc, parent)
            else:
                raise
            return handle
        finally:
            self.current = outer
        if success is not None:
            success(result)
        return handle

    def wait(self, msecs: int = 30000) -> bool:
        return True


_standalone: Runner | None = None


def standalone() -> Runner:
    """The runner of the phase before an ``AppContext`` exists (the welcome's demo
    generation, the first login): its own writer thread and readers, made once."""
    global _standalone
    if _standalone is None:
        _standalone = Runner()
    return _standalone


def _alive(widget) -> bool:
    """False once ``widget``'s C++ object is deleted (a dialog closed while its operation ran):
    its callbacks would raise 「already deleted」, so a result for it is not delivered."""
    if widget is None:
        return True
    try:
        import shiboken6

        return shiboken6.isValid(widget)
    except Exception:  # noqa: BLE001 - not a Qt object
        return True


def progress_dialog(task: workers.Task, title: str, label: str, parent: QWidget | None) -> QProgressDialog:
    """A modal progress dialog with 取消 that follows ``task``'s progress signal."""
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
    return dialog


class ChangeBridge(QObject):
    """Subscribes to the core's change feed and re-emits it as ``hub.opDidExecute`` on the
    UI thread: at once when the write committed on the UI thread, queued when it committed
    on a worker (the writer thread, an import)."""

    _relay = Signal(object, object)

    def __init__(self, hub, parent: QObject | None = None):
        super().__init__(parent)
        self.hub = hub
        self._relay.connect(self._deliver, Qt.QueuedConnection)
        ref = weakref.ref(self)

        def listener(c, initiator):     # holds the bridge weakly: a dropped context unsubscribes
            bridge = ref()
            if bridge is None:
                unsubscribe()
            else:
                bridge._on_change(c, initiator)

        unsubscribe = changes.subscribe(listener)
        self._unsubscribe = unsubscribe

    def _on_change(self, c: changes.Changes, initiator: Any) -> None:
        if QThread.currentThread() is self.thread():
            self._deliver(c, initiator)
        else:
            self._relay.emit(c, initiator)

    def _deliver(self, c, initiator) -> None:
        self.hub.opDidExecute.emit(c, initiator)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
