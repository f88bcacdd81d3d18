"""ctx.run_in_background (through ctx.ops, on the real reader pool and writer thread): work off
the UI thread with progress, cancel and errors."""
from __future__ import annotations

import threading

from gkdesk.errors import ValidationError
from gkdesk.ui.workers import Cancelled


def test_result_progress_and_thread(threaded_ctx, qtbot):
    ctx = threaded_ctx
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

    task = ctx.run_in_background(work, results.append, title="统计").task
    assert task.dialog.windowTitle() == "统计" and task.dialog.labelText() == "统计"
    values = []
    task.signals.progress.connect(lambda d, t: values.append((d, t)))
    go.set()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results == [0]
    assert values == [(i, 5) for i in range(1, 6)]
    assert seen_threads and seen_threads[0] != main
    assert not ctx.ops.busy


def test_cancel_stops_the_task(threaded_ctx, qtbot):
    ctx = threaded_ctx
    started = threading.Event()
    outcome = []

    def work(cancelled):
        started.set()
        while not cancelled():
            threading.Event().wait(0.005)
        raise Cancelled()

    task = ctx.run_in_background(work, lambda r: outcome.append(("done", r)),
                                 on_cancelled=lambda: outcome.append(("cancelled",))).task
    assert started.wait(5)
    from PySide6.QtWidgets import QPushButton

    button = next(b for b in task.dialog.findChildren(QPushButton) if b.text() == "取消")
    button.click()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == [("cancelled",)]
    assert not ctx.ops.busy


def test_errors_reach_on_error_or_a_message_box(threaded_ctx, qtbot, messages_log):
    ctx = threaded_ctx
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


def test_plain_callable_without_keywords(threaded_ctx, qtbot):
    ctx = threaded_ctx
    got = []
    ctx.run_in_background(lambda: 42, got.append, progress=False)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got == [42]


def test_write_true_runs_on_the_writer_thread_in_order(threaded_ctx, qtbot):
    ctx = threaded_ctx
    order, threads = [], set()

    def job(n):
        def run():
            threads.add(threading.get_ident())
            threading.Event().wait(0.02 if n == 0 else 0)
            order.append(n)
        return run

    for n in range(4):
        ctx.run_in_background(job(n), progress=False, write=True)
    qtbot.waitUntil(lambda: len(order) == 4, timeout=5000)
    assert order == [0, 1, 2, 3] and len(threads) == 1
