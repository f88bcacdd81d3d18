"""Reports for the screens: the annual report's tables as plain values (dicts of counts,
the layout as label constants), its checks and drill-down, table 二 saved with the acting
user (the core checks the role: ``annual.TABLE2_ROLES``), exports, the ledger out and in
(import: clerk or administrator, checked in the core), statistics and the yearly reviews.
The annual-report document and the units' reports are ``gkdesk.api.annual``."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from gkdesk.actors import Actor
from gkdesk.reports import Cancelled
from gkdesk.reports.annual import (  # the tables' layout: labels and keys, plain values
    COUNTING_NOTES, HEADER_APPLICANTS, HEADER_NOTE, HEADER_ORGANISATIONS, LITIGATION, NATURAL_COLUMN,
    ORG_COLUMNS, RECONSIDERATION, RESULTS_HEADING, ROW_CARRIED_IN, ROW_NEW, TABLE2, TABLE2_CONTENT_HEADER,
    TABLE2_ROLES, TABLE3_COLUMNS, TABLE4_COLUMNS, TABLE4_KEYS, TOTAL_COLUMN, LayoutRow, Problem,
)
from gkdesk.reports.annual_xlsx import ReportCheckError
from gkdesk.reports.reviews import WithheldItem
from gkdesk.reports.stats import MONTHS, GroupStats, Stats

__all__ = [
    "COUNTING_NOTES", "HEADER_APPLICANTS", "HEADER_NOTE", "HEADER_ORGANISATIONS", "LITIGATION", "MONTHS",
    "NATURAL_COLUMN", "ORG_COLUMNS", "RECONSIDERATION", "RESULTS_HEADING", "ROW_CARRIED_IN", "ROW_NEW",
    "TABLE2", "TABLE2_CONTENT_HEADER", "TABLE2_ROLES", "TABLE3_COLUMNS", "TABLE4_COLUMNS", "TABLE4_KEYS",
    "TOTAL_COLUMN", "Cancelled", "GroupStats", "LayoutRow", "Problem", "ReportCheckError", "Stats",
    "WithheldItem",
]


# ---------------------------------------------------------------- the annual report's tables

def table3_layout() -> tuple[LayoutRow, ...]:
    from gkdesk.reports import annual

    return tuple(annual.table3_layout())


def annual_tables(year: int) -> dict:
    """Tables 三, 四 and 二 of ``year`` as dicts of counts, and the problems of the check."""
    from gkdesk.reports import annual

    t3 = annual.table3(year)
    return {"year": year, "table3": t3, "table4": annual.table4(year), "table2": annual.table2(year),
            "problems": annual.check(year, t3)}


def cases_in(year: int, row_key: str, column: str = TOTAL_COLUMN) -> list[int]:
    """The ids of the cases counted in one cell of table 三 (the drill-down)."""
    from gkdesk.reports import annual

    return annual.cases_in(year, row_key, column)


def save_table2(year: int, values: dict, actor: Actor) -> dict:
    """Table 二 as typed, in one transaction; the changed cells. The core checks the role."""
    from gkdesk.reports import annual

    return annual.save_table2(year, values, actor)


def export_annual(year: int, path: str) -> Path:
    """Tables 二–四 to ``path``: the official xlsx layout (refused with ``ReportCheckError``
    when the check fails), or JSON when ``path`` ends in .json."""
    from gkdesk.reports import annual, annual_xlsx

    if str(path).lower().endswith(".json"):
        from gkdesk.fileio import atomic_write

        atomic_write(path, json.dumps(annual.report(year), ensure_ascii=False, indent=1).encode("utf-8"))
        return Path(path)
    return annual_xlsx.export(year, path)


# ---------------------------------------------------------------- ledger

def export_ledger(path, start: dt.date | None, end: dt.date | None, *, progress=None, cancelled=None,
                  personal_for: Actor | None = None):
    from gkdesk.reports import ledger

    return ledger.export_ledger(path, start, end, progress=progress, cancelled=cancelled,
                                personal_for=personal_for)


def import_ledger(path, actor: Actor, *, progress=None, cancelled=None):
    """Read the ledger workbook and register what it holds (clerk or administrator)."""
    from gkdesk.reports import ledger

    return ledger.import_ledger(path, actor, progress=progress, cancelled=cancelled)


def can_export_personal(actor: Actor | None) -> bool:
    from gkdesk import privacy

    return privacy.can_view_personal(actor)


# ---------------------------------------------------------------- statistics and reviews

def statistics(year: int) -> Stats:
    from gkdesk.reports import stats

    return stats.compute(year)


def export_statistics(st: Stats, path) -> Path:
    from gkdesk.reports import stats

    return stats.export_xlsx(st, path)


def reviews(year: int | None, *, cancelled=None) -> tuple[list, list]:
    """(withheld items, frequently requested groups) of ``year``."""
    from gkdesk.reports import reviews as rv

    return rv.withheld(year), rv.frequent(year, cancelled=cancelled)


def export_withheld(items, path, year):
    from gkdesk.reports import reviews as rv

    return rv.export_withheld(items, path, year)


def export_frequent(groups, path, year):
    from gkdesk.reports import reviews as rv

    return rv.export_frequent(groups, path, year)


# ---------------------------------------------------------------- shared

def today() -> dt.date:
    from gkdesk.cases import deadlines

    return deadlines.today()


def case_years() -> list[int]:
    from gkdesk.cases import query

    return query.years()


def case_rows(ids, limit: int) -> list[dict]:
    """The list's rows (plain dicts) of the cases ``ids``, oldest first."""
    from gkdesk.cases import query

    return query.list_cases(query.CaseFilter(ids=tuple(ids[:limit])), sort="received", descending=False,
                            limit=limit) if ids else []


def summary(text: str, width: int = 40) -> str:
    from gkdesk.cases import query

    return query.summary(text, width)
