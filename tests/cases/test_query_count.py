"""Counting and listing a search stay exactly a LIKE scan, whichever plan serves them:
the index's candidates fetched by id (rare terms), the table walked in the sort's order
(common terms), the count stopped at a cap (what the case list shows first), and the exact
count on a worker thread that a newer keystroke interrupts."""
from __future__ import annotations

import threading

import pytest

from gkdesk.cases import query
from gkdesk.cases.query import CaseFilter, CountCancelled, count_cases, count_cases_upto, list_cases
from gkdesk.db.models import Case, db
from tests.ui.helpers import bulk_cases

# Common and rare terms, case-number fragments (punctuation the index drops), pinyin
# initials in either case, a phrase that only the index's run-together text holds
# ("号" ends the number, a surname starts the applicant), and nothing at all.
TERMS = ["申", "公开", "依申〔2025〕", "〔", "〔2026〕1", "环评", "拆迁补偿标准", "zw", "ZW", "w", "L",
         "号张", "第12号", "不存在的内容",
         # characters the index's tokenizer treats otherwise than Python's isalnum: a
         # private-use character (a token to FTS5), a circled figure, fullwidth digits
         "文\ue000件", "㈠", "２０２５"]


@pytest.fixture
def rows(db_path):
    bulk_cases(1200, seed=3)
    # stored initials in capitals (older data, a direct edit): LIKE still finds them
    Case.update(applicant_initials="ZWX").where(Case.id.in_([5, 6])).execute()
    for i, content in ((7, "申请公开文\ue000件（造字）"), (8, "申请公开㈠号文件"), (9, "申请公开２０２５年预算")):
        Case.update(content=content).where(Case.id == i).execute()
    return list(Case.select(Case.id, Case.number, Case.serial, Case.applicant_name, Case.applicant_initials,
                            Case.content, Case.received_date, Case.stage).dicts())


def brute(rows, text, stage=None):
    def like(hay):
        return text.lower() in hay.lower() if text.isascii() else text in hay
    out = [r for r in rows if (like(r["applicant_name"]) or like(r["content"]) or like(r["number"])
                               or (text.isascii() and text.isalpha()
                                   and r["applicant_initials"].lower().startswith(text.lower())))
           and (stage is None or r["stage"] == stage)]
    return sorted(out, key=lambda r: (r["received_date"], r["serial"], r["id"]), reverse=True)


@pytest.fixture(params=["rare", "common"])
def plan(request, monkeypatch):
    """"rare": every term's candidates fetched by id (or walked, past WALK_MIN);
    "common": every term tested row by row and counted through the index's candidates."""
    if request.param == "common":
        monkeypatch.setattr(query, "INDEX_CANDIDATES_MAX", 0)
    else:
        monkeypatch.setattr(query, "WALK_MIN", 20)
    return request.param


@pytest.mark.parametrize("text", TERMS)
def test_count_and_pages_are_a_like_scan(rows, plan, text):
    expected = brute(rows, text)
    flt = CaseFilter(text=text)
    assert count_cases(flt) == len(expected)
    assert count_cases_upto(flt, cap=100) == ((len(expected), True) if len(expected) <= 100 else (100, False))
    got = []
    while len(page := list_cases(flt, offset=len(got), limit=150)) > 0:
        got += [r["id"] for r in page]
    assert got == [r["id"] for r in expected]                 # same rows, in the list's order
    by_name = [r["id"] for r in list_cases(flt, sort="applicant", descending=False, limit=2000)]
    assert by_name == [r["id"] for r in sorted(expected, key=lambda r: (r["applicant_name"], r["id"]))]


def test_search_with_other_filters(rows, plan):
    expected = brute(rows, "申请公开", stage="handling")
    flt = CaseFilter(text="申请公开", stages=("handling",))
    assert 0 < len(expected) < len(rows)
    assert count_cases(flt) == len(expected)
    assert [r["id"] for r in list_cases(flt, limit=5000)] == [r["id"] for r in expected]


def test_capped_count_says_exact_or_more(rows):
    assert count_cases_upto(CaseFilter(text="申")) == (1000, False)         # 1,200 match
    assert count_cases_upto(CaseFilter(text="申"), cap=1200) == (1200, True)
    assert count_cases_upto(CaseFilter(text="申"), cap=1199) == (1199, False)
    assert count_cases_upto(CaseFilter()) == (1200, True)                  # no text: always exact


def test_exact_count_on_a_worker_thread(rows):
    """A worker thread gets its own connection with gkdesk's pragmas and functions; the
    count's small page cache is put back afterwards."""
    out = {}

    def work():
        try:
            out["n"] = count_cases(CaseFilter(text="公开"), cancelled=lambda: False)
            out["fk"] = db.execute_sql("PRAGMA foreign_keys").fetchone()[0]
            out["busy"] = db.execute_sql("PRAGMA busy_timeout").fetchone()[0]
            out["cache"] = db.execute_sql("PRAGMA cache_size").fetchone()[0]
            out["fn"] = db.execute_sql("SELECT gk_search_body('依申', '张三', '公 开')").fetchone()[0]
        finally:
            db.close()

    th = threading.Thread(target=work)
    th.start()
    th.join(60)
    assert out == {"n": len(brute(rows, "公开")), "fk": 1, "busy": 10000, "cache": -32000,
                   "fn": "依 申 张 三 公 开"}


def test_a_cancelled_count_stops_and_the_connection_still_works(rows):
    with pytest.raises(CountCancelled):
        count_cases(CaseFilter(text="申"), cancelled=lambda: True)
    calls = []

    def cancelled():            # false when asked before the query, true while it runs
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(CountCancelled):
        count_cases(CaseFilter(text="申"), cancelled=cancelled)
    assert count_cases(CaseFilter(text="申")) == 1200
    assert db.execute_sql("PRAGMA cache_size").fetchone()[0] == -32000
