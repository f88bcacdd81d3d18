"""The case list pages through the database: few blocks fetched while scrolling, and
sorting, filters and search as you type give the rows the core's query gives."""
from __future__ import annotations

from PySide6.QtCore import Qt

from gkdesk.cases import query
from gkdesk.cases.query import CaseFilter
from gkdesk.ui.models.case_table import CASE_ID_ROLE, COLUMN_INDEX
from tests.ui.helpers import bulk_cases, type_text

N = 3000


def test_scrolling_fetches_only_a_few_blocks(ctx, qtbot):
    from gkdesk.ui.pages.cases import CasesPage

    bulk_cases(N)
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    model, view = page.model, page.view
    assert model.rowCount() == N
    assert page.count_label.text() == f"共 {N:,} 件"
    qtbot.wait(50)
    first = model.fetch_count
    assert 1 <= first <= 2                       # only the visible top rows
    bar = view.verticalScrollBar()
    for value in (bar.maximum() // 3, bar.maximum() // 2, bar.maximum()):
        bar.setValue(value)
        qtbot.wait(20)
    print("fetches:", first, model.fetch_count)
    assert model.fetch_count <= first + 6       # a handful of 200-row blocks, not 15
    assert len(model.cached_blocks()) <= model.max_blocks
    # The last row really is the last case in the order (received date desc, id desc).
    last = view.model().index(N - 1, 0).data()
    expect = query.list_cases(CaseFilter(), "received", True, offset=N - 1, limit=1)[0]["number"]
    assert last == expect


def test_lru_keeps_at_most_max_blocks(db_path, qapp):
    from gkdesk.ui.models.case_table import CaseTableModel

    bulk_cases(1000)
    model = CaseTableModel(block_size=100, max_blocks=3)
    for r in range(0, 1000, 100):
        model.index(r, 0).data()
    assert model.fetch_count == 10
    assert model.cached_blocks() == [7, 8, 9]
    model.index(950, 1).data()                   # cached: no query
    assert model.fetch_count == 10
    model.index(5, 1).data()                     # evicted: fetched again
    assert model.fetch_count == 11


def _column(model, key, n=None):
    c = COLUMN_INDEX[key]
    n = model.rowCount() if n is None else n
    return [model.index(r, c).data() for r in range(n)]


def test_sort_by_header_is_done_by_the_database(ctx, qtbot):
    from gkdesk.ui.pages.cases import CasesPage

    bulk_cases(600)
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    model = page.model
    page.view.sortByColumn(COLUMN_INDEX["applicant"], Qt.AscendingOrder)
    assert (model.sort_key, model.descending) == ("applicant", False)
    expect = [r["applicant_name"] for r in query.list_cases(CaseFilter(), "applicant", False, 0, 600)]
    assert _column(model, "applicant") == expect
    page.view.sortByColumn(COLUMN_INDEX["number"], Qt.DescendingOrder)
    numbers = _column(model, "number", 5)
    expect = [r["number"] for r in query.list_cases(CaseFilter(), "number", True, 0, 5)]
    assert numbers == expect and numbers[0] == "依申〔2026〕300号"
    # The summary column cannot sort: clicking it keeps the database order.
    page.view.sortByColumn(COLUMN_INDEX["summary"], Qt.AscendingOrder)
    assert (model.sort_key, model.descending) == ("number", True)
    assert page.view.horizontalHeader().sortIndicatorSection() == COLUMN_INDEX["number"]


def test_filters_and_search_as_you_type(ctx, qtbot):
    from gkdesk.ui.pages.cases import CasesPage

    rows = bulk_cases(800)
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    model = page.model

    # Stage filter.
    page.stage_combo.setCurrentIndex(page.stage_combo.findData("handling"))
    n_handling = sum(1 for r in rows if r["stage"] == "handling")
    assert model.rowCount() == n_handling > 0
    assert set(_column(model, "stage")) == {"办理中"}
    # 未答复 = the three open stages.
    page.stage_combo.setCurrentIndex(1)
    assert model.rowCount() == sum(1 for r in rows if r["stage"] in ("registered", "correcting", "handling"))
    page.stage_combo.setCurrentIndex(0)
    assert model.rowCount() == 800

    # Year filter (years come from the data).
    assert [page.year_combo.itemData(i) for i in range(page.year_combo.count())] == [None, 2026, 2025]
    page.year_combo.setCurrentIndex(page.year_combo.findData(2025))
    assert model.rowCount() == sum(1 for r in rows if r["year"] == 2025)
    assert all(n.startswith("依申〔2025〕") for n in _column(model, "number"))

    # Search: a Chinese substring of the content (2 characters → LIKE) …
    page.year_combo.setCurrentIndex(0)
    type_text(qtbot, page.search, "环评")
    qtbot.waitUntil(lambda: model.filter.text == "环评", timeout=2000)
    want = {r["number"] for r in rows if "环评" in r["content"] or "环评" in r["applicant_name"]}
    assert set(_column(model, "number")) == want and want
    assert page.count_label.text() == f"共 {len(want)} 件"
    # … 3+ characters (FTS trigram), an applicant's full name …
    name = rows[17]["applicant_name"]
    page.search.clear()
    type_text(qtbot, page.search, "河道整治")
    qtbot.waitUntil(lambda: model.filter.text == "河道整治", timeout=2000)
    assert set(_column(model, "number")) == {r["number"] for r in rows if "河道整治" in r["content"]}
    page.search.clear()
    type_text(qtbot, page.search, name)
    qtbot.waitUntil(lambda: model.filter.text == name, timeout=2000)
    got = set(_column(model, "number"))
    assert rows[17]["number"] in got
    assert got == {r["number"] for r in rows if name in r["applicant_name"] or name in r["content"]}
    # … a case number …
    page.search.clear()
    type_text(qtbot, page.search, "依申〔2025〕7号")
    qtbot.waitUntil(lambda: model.filter.text == "依申〔2025〕7号", timeout=2000)
    assert _column(model, "number") == ["依申〔2025〕7号"]
    # … and pinyin initials.
    initials = rows[3]["applicant_initials"]
    page.search.clear()
    type_text(qtbot, page.search, initials.upper())
    qtbot.waitUntil(lambda: model.filter.text == initials.upper(), timeout=2000)
    assert set(_column(model, "number")) == {r["number"] for r in rows
                                              if r["applicant_initials"].startswith(initials)}


def test_search_is_debounced(ctx, qtbot):
    from gkdesk.ui.pages.cases import CasesPage

    bulk_cases(200)
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    before = page.model.count_queries
    type_text(qtbot, page.search, "zhang")           # five keystrokes in quick succession
    assert page.model.count_queries == before        # nothing queried while typing
    qtbot.waitUntil(lambda: page.model.count_queries > before, timeout=2000)
    qtbot.wait(300)
    assert page.model.count_queries == before + 1    # one query for the whole word


def test_ctrl_f_focuses_search_and_enter_opens_case(main_window, qtbot, monkeypatch):
    bulk_cases(20)
    page = main_window.show_page("cases")
    qtbot.waitExposed(main_window)
    main_window.activateWindow()
    page.view.setFocus()
    opened = []
    monkeypatch.setattr(main_window, "open_case", lambda cid: opened.append(cid))
    page.find_shortcut.activated.emit()
    assert page.search.hasFocus() or main_window.focusWidget() is page.search
    idx = page.model.index(2, 0)
    page.view.setCurrentIndex(idx)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key_Return)
    assert opened == [page.model.data(idx, CASE_ID_ROLE)]


def test_navigation_filter_from_another_page(ctx, qtbot):
    from gkdesk.ui.pages.cases import CasesPage

    rows = bulk_cases(300)
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.navigate(filter=CaseFilter(stages=("replied",)), title="已答复未送达")
    assert page.extra_label.isVisible() and "已答复未送达" in page.extra_label.text()
    assert page.model.rowCount() == sum(1 for r in rows if r["stage"] == "replied")
    page.clear_navigation_filter()
    assert page.model.rowCount() == 300 and not page.extra_label.isVisible()


def test_list_refreshes_when_cases_change(ctx, qtbot):
    from gkdesk.ui.pages.cases import CasesPage

    bulk_cases(5)
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 5
    bulk_cases(3, seed=99, years=(2024,))
    from tests.ui.helpers import changed_elsewhere

    changed_elsewhere(case_list=True)
    assert page.model.rowCount() == 8
    assert page.year_combo.findData(2024) > 0
