"""ctx.run_in_background: work off the UI thread with progress, cancel and errors."""
from __future__ import annotations

import threading

from gkdesk.errors import ValidationError
from gkdesk.ui.workers import Cancelled


def test_result_progress_and_thread(ctx, qtbot):
    main = threading.get_ident()
    seen_threads = []
    results = []
    go = threading.Event()

    def work(progress, cancelled):
        seen_threads.append(threading.get_ident())
        go.wait(5)
        for i in range(5):
            progress(i + 1, 5)
        from gkdesk.cases.query import CaseFilter, count_cases

        return count_cases(CaseFilter())          # the database is usable from the worker

    task = ctx.run_in_background(work, results.append, title="统计")
    assert task.dialog.windowTitle() == "统计" and task.dialog.labelText() == "统计"
    values = []
    task.signals.progress.connect(lambda d, t: values.append((d, t)))
    go.set()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results == [0]
    assert values == [(i, 5) for i in range(1, 6)]
    assert seen_threads and seen_threads[0] != main
    assert not ctx._tasks


def test_cancel_stops_the_task(ctx, qtbot):
    started = threading.Event()
    outcome = []

    def work(cancelled):
        started.set()
        while not cancelled():
            threading.Event().wait(0.005)
        raise Cancelled()

    task = ctx.run_in_background(work, lambda r: outcome.append(("done", r)),
                                 on_cancelled=lambda: outcome.append(("cancelled",)))
    assert started.wait(5)
    from PySide6.QtWidgets import QPushButton

    button = next(b for b in task.dialog.findChildren(QPushButton) if b.text() == "取消")
    button.click()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == [("cancelled",)]
    assert not ctx._tasks


def test_errors_reach_on_error_or_a_message_box(ctx, qtbot, messages_log):
    errors = []

    def bad():
        raise ValidationError("文件：格式不正确", "文件")

    ctx.run_in_background(bad, on_error=errors.append, progress=False)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ValidationError)

    def crash():
        raise RuntimeError("磁盘坏了")

    ctx.run_in_background(crash, progress=False)
    qtbot.waitUntil(lambda: bool(messages_log), timeout=5000)
    kind, title, text = messages_log[0]
    assert kind == "error" and "磁盘坏了" in text


def test_plain_callable_without_keywords(ctx, qtbot):
    got = []
    ctx.run_in_background(lambda: 42, got.append, progress=False)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got == [42]
