"""Finding cases: filter, sort, search as you type, one page at a time.

Search matches a Chinese substring of the applicant or the content, the case number, or
the pinyin initials of the applicant's name. On SQLite a character-level FTS5 index
(gkdesk/cases/search_text.py) answers every query of letters or digits, 1–2 characters
included; PostgreSQL uses ILIKE with its trigram indexes.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


# Above this many index candidates a search scans the table instead (measured at 100,000
# cases: fetching 10,000+ rows by id through the index is slower than one pass).
INDEX_CANDIDATES_MAX = 5000


def _search_condition(text: str):
    text = text.strip()
    if not text:
        return None
    ascii_alpha = re.fullmatch(r"[A-Za-z]+", text) is not None
    phrase = match_phrase(text) if isinstance(db.obj, pw.SqliteDatabase) else None
    if phrase is not None:
        # exact test (the tokenizer drops punctuation and folds ASCII case, as LIKE did)
        exact = Case.applicant_name.contains(text) | Case.content.contains(text) | Case.number.contains(text)
        candidates = db.execute_sql("SELECT count(*) FROM case_chars WHERE case_chars MATCH ?",
                                    (phrase,)).fetchone()[0]
        if candidates <= INDEX_CANDIDATES_MAX:
            # a rare term: fetch only the index's candidates and re-check them
            ids = pw.SQL("(SELECT rowid FROM case_chars WHERE case_chars MATCH ?)", (phrase,))
            cond = Case.id.in_(ids) & exact
        else:
            # a common term (申, 公开…): fetching most rows through the index costs more than
            # one pass over the table; a page sorted by date stops after its rows anyway
            cond = exact
    else:
        cond = (Case.applicant_name.contains(text) | Case.content.contains(text) | Case.number.contains(text))
    if ascii_alpha:
        cond = cond | Case.applicant_initials.startswith(text.lower())
    return cond


def build_query(flt: CaseFilter, fields=None):
    q = Case.select(*(fields or ()))
    cond = _search_condition(flt.text)
    if cond is not None:
        q = q.where(cond)
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


LIST_FIELDS = (Case.id, Case.number, Case.year, Case.serial, Case.applicant_kind, Case.applicant_name,
               Case.content, Case.received_date, Case.stage, Case.handler, Case.due_date,
               Case.due_provisional, Case.paused, Case.outcome, Case.reply_date, Case.section)


def count_cases(flt: CaseFilter) -> int:
    return build_query(flt, (Case.id,)).count()


def list_cases(flt: CaseFilter, sort: str = "received", descending: bool = True,
               offset: int = 0, limit: int = 200) -> list[dict]:
    """One page of cases as plain dicts (the fields of ``LIST_FIELDS``)."""
    cols = SORT_KEYS.get(sort, SORT_KEYS["received"])
    order = [c.desc() if descending else c.asc() for c in cols] + [Case.id.desc() if descending else Case.id]
    q = build_query(flt, LIST_FIELDS).order_by(*order).offset(offset).limit(limit)
    return list(q.dicts())


def summary(content: str, width: int = 40) -> str:
    text = " ".join((content or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def years() -> list[int]:
    return [r.year for r in Case.select(Case.year).distinct().order_by(Case.year.desc())]


def handlers() -> list[str]:
    return [r.handler for r in Case.select(Case.handler).where(Case.handler != "").distinct()
            .order_by(Case.handler)]
