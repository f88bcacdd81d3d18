"""Background work on a ``QThreadPool``, reporting progress through signals.

A task is any callable. If it accepts keyword arguments named ``progress`` and/or
``cancelled`` it gets them:

- ``progress(done, total)`` — report how far it is (thread-safe; emits a signal);
- ``cancelled()`` — True once the user pressed 取消; the task should stop soon, either by
  returning early or by raising ``Cancelled``.

The task's result (or exception) is delivered on the UI thread through the ``Task``'s
signals. Widgets are never touched from the worker thread.
"""
from __future__ import annotations

import inspect
import logging
import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised by a task that noticed ``cancelled()`` and stopped."""


class TaskSignals(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)      # the exception, with ``__traceback_text__`` set
    cancelled = Signal()


def _accepts(fn: Callable, name: str) -> bool:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    for p in sig.parameters.values():
        if p.kind is p.VAR_KEYWORD or (p.name == name and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)):
            return True
    return False


class Task(QRunnable):
    """One call of ``fn`` on a pool thread. Connect to ``task.signals`` before starting."""

    def __init__(self, fn: Callable[..., Any]):
        super().__init__()
        self.fn = fn
        self.signals = TaskSignals()
        self._cancel = threading.Event()
        self.setAutoDelete(False)  # the Python object keeps the signals alive

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int) -> None:
        self.signals.progress.emit(int(done), int(total))

    def run(self) -> None:  # runs on the pool thread
        kwargs = {}
        if _accepts(self.fn, "progress"):
            kwargs["progress"] = self._progress
        if _accepts(self.fn, "cancelled"):
            kwargs["cancelled"] = self.is_cancelled
        try:
            result = self.fn(**kwargs)
        except Cancelled:
            self.signals.cancelled.emit()
        except BaseException as exc:  # noqa: BLE001 - reported to the UI thread
            exc.__traceback_text__ = traceback.format_exc()
            log.error("后台任务出错：\n%s", exc.__traceback_text__)
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)
        finally:
            _close_thread_connection()


def _close_thread_connection() -> None:
    """peewee keeps one connection per thread; close the pool thread's one when done."""
    try:
        from gkdesk.api.admin import close_thread_connection

        close_thread_connection()
    except Exception:  # pragma: no cover - closing is best effort
        log.exception("关闭后台线程的数据库连接失败")


def pool() -> QThreadPool:
    return QThreadPool.globalInstance()
