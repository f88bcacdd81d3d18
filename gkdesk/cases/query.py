"""Finding cases: filter, sort, search as you type, one page at a time.

Search matches a Chinese substring of the applicant or the content, the case number, or
the pinyin initials of the applicant's name — always exactly the rows a ``LIKE`` scan
finds. On SQLite a character-level FTS5 index (gkdesk/db/search_index.py, queried through
gkdesk/cases/search_text.py) narrows the rows to check for every query holding a letter or
digit, 1–2 characters included;
PostgreSQL uses ILIKE with its trigram indexes.

Counting every match of a common term (申, 公开, 2025) needs a pass over most of the table
(40–60 ms at 100,000 cases), too slow for each keystroke. ``count_cases_upto`` stops
counting past a cap (the case list shows "1,000+ 件" at once) and ``count_cases`` gives the
exact figure, interruptibly, for a worker thread.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import re
import sqlite3
import threading
from dataclasses import dataclass
from typing import Callable

import peewee as pw

from gkdesk.cases.search_text import match_phrase
from gkdesk.db.models import Case, db

SORT_KEYS = {
    "number": (Case.year, Case.serial),
    "applicant": (Case.applicant_name,),
    "received": (Case.received_date, Case.serial),
    "stage": (Case.stage,),
    "due": (Case.due_date,),
    "handler": (Case.handler,),
}


@dataclass
class CaseFilter:
    text: str = ""
    stages: tuple[str, ...] = ()
    year: int | None = None
    handler: str | None = None
    due_before: dt.date | None = None     # due on or before (open cases)
    overdue_on: dt.date | None = None     # open and due before this day
    outcome_codes: tuple[str, ...] = ()
    ids: tuple[int, ...] | None = None    # restrict to these case ids (drill-down from reports)


# Up to this many index candidates a term is "rare": its rows are fetched by id from the
# index's candidates and re-checked. Above it, fetching most rows by id costs more than one
# pass over the table (measured at 100,000 cases), and a page sorted by an indexed column
# stops after its rows anyway, since matches are dense.
INDEX_CANDIDATES_MAX = 5000
# A page of a rare term with more candidates than this walks the sort's index (each sort
# key has one) instead of fetching and sorting them all.
WALK_MIN = 1000
# Page cache of a count on a worker thread (KiB, as PRAGMA cache_size takes it: negative).
WORKER_CACHE_KIB = -2000
# The case list counts at most this many matches before its first paint ("1,000+ 件").
COUNT_CAP = 1000


class CountCancelled(Exception):
    """``count_cases(..., cancelled=...)`` stopped because ``cancelled()`` became true."""


@dataclass(frozen=True)
class _Search:
    match: pw.Expression                # the exact test (LIKE semantics)
    candidates: str | None = None       # SQLite: ids of a superset of the matches (a SELECT)
    params: tuple = ()
    n_candidates: int = 0               # how many, counted up to INDEX_CANDIDATES_MAX + 1

    @property
    def rare(self) -> bool:
        return self.candidates is not None and self.n_candidates <= INDEX_CANDIDATES_MAX


def _initials_candidates(text: str) -> tuple[str, tuple]:
    """Ids whose pinyin initials start with ``text`` in any letter case (a superset of
    ``LIKE 'text%'``): index ranges over the case variants of its first three letters."""
    head = text[:3]
    ranges = sorted({"".join(v) for v in itertools.product(*[(c.lower(), c.upper()) for c in head])})
    sql = " OR ".join("(applicant_initials >= ? AND applicant_initials < ?)" for _ in ranges)
    params = tuple(x for v in ranges for x in (v, v[:-1] + chr(ord(v[-1]) + 1)))
    return f'SELECT id FROM "case" WHERE {sql}', params


_plan_lock = threading.Lock()
_plan_cache: dict[tuple[int, int, str], int] = {}


def _candidate_count(sql: str, params: tuple, key: str) -> int:
    """Index candidates of a query, counted up to INDEX_CANDIDATES_MAX + 1 (cached per text:
    the figure only chooses a plan, results never depend on it)."""
    cache_key = (id(db.obj), INDEX_CANDIDATES_MAX, key)
    with _plan_lock:
        n = _plan_cache.get(cache_key)
    if n is None:
        n = db.execute_sql(f"SELECT count(*) FROM ({sql} LIMIT {INDEX_CANDIDATES_MAX + 1})", params).fetchone()[0]
        with _plan_lock:
            if len(_plan_cache) > 256:
                _plan_cache.clear()
            _plan_cache[cache_key] = n
    return n


def _search(text: str) -> _Search | None:
    text = text.strip()
    if not text:
        return None
    match = Case.applicant_name.contains(text) | Case.content.contains(text) | Case.number.contains(text)
    ascii_alpha = re.fullmatch(r"[A-Za-z]+", text) is not None
    if ascii_alpha:
        match = match | Case.applicant_initials.startswith(text.lower())
    phrase = match_phrase(text) if isinstance(db.obj, pw.SqliteDatabase) else None
    if phrase is None:
        return _Search(match)          # PostgreSQL, or punctuation only: LIKE decides alone
    # The index drops punctuation and folds case, and its text runs the fields together:
    # its hits are a superset of the matches, each re-checked with ``match``.
    sql, params = "SELECT rowid AS id FROM case_chars WHERE case_chars MATCH ?", (phrase,)
    if ascii_alpha:
        isql, iparams = _initials_candidates(text)
        sql, params = f"{sql} UNION {isql}", params + iparams
    return _Search(match, sql, params, _candidate_count(sql, params, text))


def _filtered(flt: CaseFilter, fields, search: _Search | None, how: str = ""):
    """The query of ``flt``. How a search uses the index's candidates:
    ``"join"``: go through them in index order, re-checking each (counting a common term:
    the cost follows the candidates, and a LIMIT stops it early); ``"walk"``: test each
    entry of the sort's index for membership, reading only the rows that pass (a page of
    a rare term with many candidates: no sort of them all); otherwise fetch a rare
    term's candidates by id, or test every row of a common one."""
    q = Case.select(*(fields or ()))
    if search is not None:
        if search.candidates is not None and how == "join":
            q = q.from_(Case, pw.SQL(f"({search.candidates}) AS gk_cand", search.params)) \
                .where(pw.SQL("gk_cand.id") == Case.id, search.match)
        elif search.rare:
            ids = Case.id + 0 if how == "walk" else Case.id     # "+ 0": not looked up by id
            q = q.where(ids.in_(pw.SQL(f"({search.candidates})", search.params)), search.match)
        else:
            q = q.where(search.match)
    if flt.stages:
        q = q.where(Case.stage.in_(flt.stages))
    if flt.year:
        q = q.where(Case.year == flt.year)
    if flt.handler:
        q = q.where(Case.handler == flt.handler)
    if flt.due_before:
        q = q.where(Case.due_date <= flt.due_before, Case.stage.in_(("registered", "correcting", "handling")))
    if flt.overdue_on:
        q = q.where(Case.due_date < flt.overdue_on, Case.stage.in_(("registered", "correcting", "handling")))
    if flt.outcome_codes:
        q = q.where(Case.outcome.in_(flt.outcome_codes))
    if flt.ids is not None:
        q = q.where(Case.id.in_(list(flt.ids)))
    return q


def build_query(flt: CaseFilter, fields=None):
    return _filtered(flt, fields, _search(flt.text))


LIST_FIELDS = (Case.id, Case.number, Case.year, Case.serial, Case.applicant_kind, Case.applicant_name,
               Case.content, Case.received_date, Case.stage, Case.handler, Case.due_date,
               Case.due_provisional, Case.paused, Case.outcome, Case.reply_date, Case.section)


@contextlib.contextmanager
def _on_worker(cancelled: Callable[[], bool] | None):
    """A statement run on a worker thread (``cancelled`` given): on SQLite it stops once
    ``cancelled()`` is true (CountCancelled), and uses a small page cache — a worker's
    connection lives for one count and reads each page once; the usual 32 MB would only
    add to the app's peak memory (measured: faster too)."""
    if cancelled is None:
        yield
        return
    if cancelled():
        raise CountCancelled
    conn = db.connection() if isinstance(db.obj, pw.SqliteDatabase) else None
    if conn is not None:
        cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = {WORKER_CACHE_KIB}")
        conn.set_progress_handler(lambda: 1 if cancelled() else 0, 50_000)
    try:
        yield
    except (pw.OperationalError, sqlite3.OperationalError):
        if cancelled():
            raise CountCancelled from None
        raise
    finally:
        if conn is not None:
            conn.set_progress_handler(None, 0)
            conn.execute(f"PRAGMA cache_size = {int(cache)}")
    if cancelled():
        raise CountCancelled


def count_cases(flt: CaseFilter, *, cancelled: Callable[[], bool] | None = None) -> int:
    """How many cases match, exactly. On a worker thread, pass ``cancelled``: the count
    stops soon after it becomes true, raising ``CountCancelled``."""
    search = _search(flt.text)
    with _on_worker(cancelled):
        return _filtered(flt, (Case.id,), search, how="" if search is None or search.rare else "join").count()


def count_cases_upto(flt: CaseFilter, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """``(n, True)`` when ``n`` cases match and ``n <= cap``; ``(cap, False)`` when more
    than ``cap`` do. Fast for any term: counting stops after ``cap + 1`` matches."""
    search = _search(flt.text)
    if search is None:
        return count_cases(flt), True          # no text: counted from indexes, exactly
    q = _filtered(flt, (Case.id,), search, how="" if search.rare else "join")
    n = q.limit(cap + 1).count()
    return (n, True) if n <= cap else (cap, False)


def list_cases(flt: CaseFilter, sort: str = "received", descending: bool = True,
               offset: int = 0, limit: int = 200) -> list[dict]:
    """One page of cases as plain dicts (the fields of ``LIST_FIELDS``)."""
    cols = SORT_KEYS.get(sort, SORT_KEYS["received"])
    order = [c.desc() if descending else c.asc() for c in cols] + [Case.id.desc() if descending else Case.id]
    search = _search(flt.text)
    walk = search is not None and search.rare and search.n_candidates > WALK_MIN
    q = _filtered(flt, LIST_FIELDS, search, "walk" if walk else "").order_by(*order).offset(offset).limit(limit)
    from gkdesk.cases import deadlines

    return deadlines.shown_dues(list(q.dicts()))     # a paused case's date moves with the calendar


def summary(content: str, width: int = 40) -> str:
    text = " ".join((content or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def years() -> list[int]:
    return [r.year for r in Case.select(Case.year).distinct().order_by(Case.year.desc())]


def handlers() -> list[str]:
    return [r.handler for r in Case.select(Case.handler).where(Case.handler != "").distinct()
            .order_by(Case.handler)]
