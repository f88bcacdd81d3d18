"""Operations: one writer thread in order, latest-only reads, the change feed on the UI thread."""
import threading

import pytest

from gkdesk import changes
from gkdesk.db.connection import write_transaction
from gkdesk.db.models import Setting
from gkdesk.ui.ops import SyncRunner


def _put(key, value):
    with write_transaction():
        Setting.replace(key=key, value=value).execute()
        changes.note("settings")
    return threading.get_ident()


def test_writes_run_in_order_on_one_thread_and_the_feed_reaches_the_ui_thread(threaded_ctx, qtbot):
    ctx = threaded_ctx
    seen, results = [], []
    ctx.changed.opDidExecute.connect(lambda c, who: seen.append((c, who, threading.get_ident())))
    screen = object()
    for i in range(20):
        ctx.ops.write(lambda i=i: _put("order", str(i)), success=results.append, initiator=screen)
    qtbot.waitUntil(lambda: len(results) == 20 and len(seen) == 20, timeout=10000)
    assert len(set(results)) == 1, "every GUI write ran on the same writer thread"
    assert results[0] != threading.get_ident(), "and not on the UI thread"
    assert Setting.get(Setting.key == "order").value == "19", "in the order they were asked"
    ui = threading.get_ident()
    assert all(t == ui for _, _, t in seen), "change signals are delivered on the UI thread"
    assert all(who is screen and c.touches("settings") for c, who, _ in seen)


def test_a_failed_write_reports_and_saves_nothing(threaded_ctx, qtbot):
    errors = []

    def bad():
        with write_transaction():
            Setting.replace(key="half", value="x").execute()
            raise ValueError("坏输入")

    threaded_ctx.ops.write(bad, failure=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    assert isinstance(errors[0], ValueError)
    assert not Setting.select().where(Setting.key == "half").exists()


def test_only_the_latest_read_of_a_key_delivers(threaded_ctx, qtbot):
    gate = threading.Event()
    got = []

    def slow():
        gate.wait(5)
        return "old"

    threaded_ctx.ops.read("count", slow, success=got.append)
    threaded_ctx.ops.read("count", lambda: "new", success=got.append)
    gate.set()
    threaded_ctx.ops.wait(10000)
    qtbot.wait(50)   # let queued results arrive
    assert got == ["new"]


def test_sync_runner_has_the_same_semantics_without_threads(ctx):
    assert isinstance(ctx.ops, SyncRunner)
    seen, done = [], []
    ctx.changed.opDidExecute.connect(lambda c, who: seen.append(who))
    me = object()
    ctx.ops.write(lambda: _put("k", "v"), success=done.append, initiator=me)
    # no waiting: the write, its change signal and its callback have all happened
    assert done == [threading.get_ident()]
    assert seen == [me]
    errors = []
    ctx.ops.write(lambda: 1 / 0, failure=errors.append)
    assert isinstance(errors[0], ZeroDivisionError)


def test_a_write_made_outside_operations_still_reaches_screens(ctx):
    seen = []
    ctx.changed.opDidExecute.connect(lambda c, who: seen.append(c))
    _put("direct", "1")
    assert seen and seen[0].touches("settings")


def test_dropped_contexts_stop_listening(db_path, qapp, qsettings, actor):
    import gc

    from gkdesk.db import current
    from gkdesk.ui.context import AppContext

    before = len(changes._subscribers)
    c = AppContext(current(), actor, qsettings, ops=SyncRunner())
    assert len(changes._subscribers) == before + 1
    del c
    gc.collect()
    _put("after", "1")        # the dead bridge's listener unsubscribes itself
    assert len(changes._subscribers) <= before     # this one (and any other dead one) is gone


@pytest.mark.parametrize("kw", [{"progress": True}])
def test_progress_and_cancel_reach_the_task(threaded_ctx, qtbot, kw):
    from gkdesk.ui.workers import Cancelled

    started = threading.Event()
    cancelled_cb = []

    def long(progress, cancelled):
        started.set()
        for i in range(1000):
            progress(i, 1000)
            if cancelled():
                raise Cancelled()
            threading.Event().wait(0.005)
        return "finished"

    h = threaded_ctx.ops.write(long, on_cancelled=lambda: cancelled_cb.append(1), **kw)
    assert started.wait(5)
    h.cancel()
    qtbot.waitUntil(lambda: bool(cancelled_cb), timeout=10000)


def test_a_result_for_a_closed_dialog_is_not_delivered_but_an_error_still_is(threaded_ctx, qtbot):
    from PySide6.QtWidgets import QDialog

    shown, got = [], []
    threaded_ctx.ops.show_error = lambda exc, parent=None: shown.append((exc, parent))
    gate = threading.Event()
    dlg = QDialog()
    threaded_ctx.ops.write(lambda: gate.wait(5) and "saved", success=lambda r: got.append(dlg.isVisible()),
                           parent=dlg)
    bad = QDialog()
    threaded_ctx.ops.write(lambda: 1 / 0, failure=lambda e: got.append(bad.isVisible()), parent=bad)
    dlg.deleteLater()
    bad.deleteLater()
    qtbot.wait(20)               # both deleted while their writes wait on the writer thread
    gate.set()
    threaded_ctx.ops.wait(10000)
    qtbot.wait(50)
    assert got == [], "no callback touched a deleted dialog"
    assert len(shown) == 1 and isinstance(shown[0][0], ZeroDivisionError) and shown[0][1] is None
