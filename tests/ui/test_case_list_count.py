"""Search as you type on a large list: a common term shows its first rows at once with a
capped count ("1,000+"), the exact count follows from a worker thread, a count for an
earlier keystroke never lands on a newer list, and the whole list can still be scrolled
to its last row — with or without the exact count."""
from __future__ import annotations

from PySide6.QtCore import Qt

from gkdesk.cases import query
from gkdesk.cases.query import CaseFilter
from gkdesk.ui import workers
from tests.ui.helpers import bulk_cases, type_text

N = 2500


def _page(ctx, qtbot):
    from gkdesk.ui.pages.cases import CasesPage

    page = CasesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def _search(qtbot, page, text):
    """Type, then Enter: the list is filtered at once (no debounce, no event loop between)."""
    type_text(qtbot, page.search, text)
    qtbot.keyClick(page.search, Qt.Key_Return)


def _first_number(text, offset=0):
    return query.list_cases(CaseFilter(text=text), offset=offset, limit=1)[0]["number"]


def test_common_term_shows_first_rows_and_a_capped_count_then_the_exact_count(ctx, qtbot):
    bulk_cases(N)                                   # every case: 依申〔…〕 申请公开…
    page = _page(ctx, qtbot)
    model = page.model
    _search(qtbot, page, "申")
    assert page.count_label.text() == "共 1,000+ 件（正在计数…）"
    assert model.rowCount() == 1000 and not model.count_exact
    assert model.index(0, 0).data() == _first_number("申")      # the newest match, first
    qtbot.waitUntil(lambda: page.count_label.text() == f"共 {N:,} 件", timeout=10000)
    assert model.rowCount() == N and model.count_exact
    # a rare term: counted exactly at once, nothing left for the worker
    _search(qtbot, page, "〔2025〕7号")
    assert page.count_label.text() == "共 1 件" and model.index(0, 0).data() == "依申〔2025〕7号"


def test_a_count_for_an_earlier_keystroke_is_dropped(ctx, qtbot):
    rows = bulk_cases(N)
    n2025 = sum(1 for r in rows if "2025" in r["number"] or "2025" in r["content"])
    assert 1000 < n2025 < N
    page = _page(ctx, qtbot)
    labels = []
    page.model.countChanged.connect(lambda: labels.append(page.count_label.text()))
    _search(qtbot, page, "申")                       # its count starts on a worker …
    page.search.clear()
    _search(qtbot, page, "2025")                    # … and is stale before it can land
    qtbot.waitUntil(lambda: page.count_label.text() == f"共 {n2025:,} 件", timeout=10000)
    assert ctx.wait_for_background(10000)
    qtbot.wait(50)                                  # anything the worker still sent
    assert page.count_label.text() == f"共 {n2025:,} 件" and page.model.rowCount() == n2025
    assert f"共 {N:,} 件" not in labels


class _HeldPool:
    """A reader pool that holds its tasks until the test runs them (on the test's thread)."""

    def __init__(self):
        self.tasks = []

    def start(self, task):
        self.tasks.append(task)

    def waitForDone(self, msecs):
        return True


def _run_held(task):
    """Run a held task the way the pool would, delivering its signal."""
    try:
        result = task.fn(cancelled=task.is_cancelled)
    except workers.Cancelled:
        task.signals.cancelled.emit()
        return workers.Cancelled
    task.signals.done.emit(result)
    return result


def test_stale_count_is_dropped_even_when_delivered_late(db_path, qapp):
    """The count is ops.read of the model's key: a newer filter's count cancels the older
    one — its running SQL is interrupted — and its result, delivered anyway, changes nothing."""
    from gkdesk.ui.models.case_table import CaseTableModel
    from gkdesk.ui.ops import Runner

    bulk_cases(600)
    readers = _HeldPool()
    ops = Runner(writer=_HeldPool(), readers=readers)
    model = CaseTableModel(ops=ops, count_cap=100)
    model.set_filter(CaseFilter(text="申"))
    qapp.processEvents()                            # the count starts after the paint
    model.set_filter(CaseFilter(text="2025"))
    model.set_filter(CaseFilter(text="202"))        # stale before it started: never runs
    model.set_filter(CaseFilter(text="2025"))
    qapp.processEvents()
    old, new = readers.tasks
    assert old.is_cancelled() and not new.is_cancelled()
    assert (model.rowCount(), model.count_exact, model.counting) == (100, False, True)
    assert _run_held(old) is workers.Cancelled       # the stale count stopped in its SQL
    old.signals.done.emit(600)                      # delivered after the filter changed anyway
    assert (model.rowCount(), model.count_exact) == (100, False)
    assert _run_held(new) == 300
    assert (model.rowCount(), model.count_exact, model.counting) == (300, True, False)
    # a filter that needs no background count drops the pending one
    model.set_filter(CaseFilter(text="申"))
    qapp.processEvents()
    pending = readers.tasks[-1]
    model.set_filter(CaseFilter(text="不存在的词"))
    assert pending.is_cancelled() and not model.counting
    pending.signals.done.emit(600)
    assert (model.rowCount(), model.count_exact) == (0, True)


def test_scrolling_to_the_end_of_a_capped_list_before_the_count_arrives(ctx, qtbot, monkeypatch):
    from gkdesk.ui.models.case_table import CaseTableModel

    monkeypatch.setattr(CaseTableModel, "_start_count", lambda self: None)   # never counts
    bulk_cases(N)
    page = _page(ctx, qtbot)
    model, view = page.model, page.view
    search_width = page.search.width()
    _search(qtbot, page, "申")
    assert model.rowCount() == 1000 and page.count_label.text() == "共 1,000+ 件（正在计数…）"
    # the label has room for its longest text: all of it shows, and the search field beside
    # it keeps its width (the bar does not jump as the label changes on each keystroke)
    qtbot.wait(20)
    label = page.count_label
    assert label.width() >= label.fontMetrics().horizontalAdvance(label.text())
    assert page.search.width() == search_width
    bar = view.verticalScrollBar()
    for _ in range(20):                             # drag to the bottom, again and again
        bar.setValue(bar.maximum())
        qtbot.wait(10)
        if model.count_exact:
            break
    assert model.rowCount() == N and model.count_exact
    assert page.count_label.text() == f"共 {N:,} 件"
    bar.setValue(bar.maximum())
    qtbot.wait(20)
    assert view.rowAt(view.viewport().height() - 2) == N - 1
    assert model.index(N - 1, 0).data() == _first_number("申", offset=N - 1)
    assert len(model.cached_blocks()) <= model.max_blocks


def test_scrolling_to_the_end_once_the_exact_count_arrived(ctx, qtbot):
    bulk_cases(N)
    page = _page(ctx, qtbot)
    model, view = page.model, page.view
    _search(qtbot, page, "申")
    qtbot.waitUntil(lambda: model.count_exact, timeout=10000)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())                     # one drag: the scroll bar spans every row
    qtbot.wait(20)
    assert view.rowAt(view.viewport().height() - 2) == N - 1
    assert model.index(N - 1, 0).data() == _first_number("申", offset=N - 1)
    # re-sorting keeps the count (no recount) and shows the other order
    before = model.count_queries
    page.set_sort("applicant", False)
    assert model.count_queries == before and model.rowCount() == N and model.count_exact
    first = query.list_cases(CaseFilter(text="申"), sort="applicant", descending=False, limit=1)[0]
    assert model.index(0, 0).data() == first["number"]


def test_typing_with_a_case_selected_keeps_it_when_listed_and_reads_one_block(ctx, qtbot):
    from PySide6.QtCore import QItemSelectionModel

    bulk_cases(N)
    page = _page(ctx, qtbot)
    model, view = page.model, page.view
    view.selectionModel().setCurrentIndex(model.index(3, 0), QItemSelectionModel.ClearAndSelect
                                          | QItemSelectionModel.Rows)
    chosen = page.selected_case_id()
    _search(qtbot, page, "申")                       # still among the first rows: kept
    assert page.selected_case_id() == chosen
    before = model.fetch_count
    page.search.clear()
    _search(qtbot, page, "2025")                    # not listed (a 2026 case): dropped, after
    assert page.selected_case_id() is None          # reading only the block on screen
    assert model.fetch_count - before == 1
