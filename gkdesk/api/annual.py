"""The annual-report work for screens (issue 15): the report's text and preview, the units'
reports checked and summed, the yearly reviews' decisions, confidentiality reviews, the
report deadlines. Frozen view records only; every write takes the acting user."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from gkdesk.domain import supervision


@dataclass(frozen=True)
class DocumentTexts:
    year: int
    fields: tuple            # ((key, label, text), …) in the report's order
    last_year_problems: str  # last year's 存在的主要问题, shown beside this year's 改进情况


@dataclass(frozen=True)
class DocumentPreview:
    year: int
    laid: object             # gkdesk.documents.layout.Laid: pages of positioned runs
    problems: tuple          # why the figures do not add up (export is refused while any)


@dataclass(frozen=True)
class UnitReportView:
    display: str
    unit_name: str
    year: int | None
    problems: tuple          # "sheet!A1：message"

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ReviewItemView:
    kind: str
    key: str
    columns: tuple
    headers: tuple
    decision: str            # label, "" when undecided
    place: str
    publish_by: dt.date | None
    decided_by: str
    note: str


@dataclass(frozen=True)
class ReportDeadline:
    code: str
    label: str
    due: dt.date
    report_year: int
    days_left: int           # calendar days from today (negative: past)


# ------------------------------------------------------------------ the document

def document_texts(year: int) -> DocumentTexts:
    from gkdesk.reports import annual_doc

    t = annual_doc.texts(year)
    last = annual_doc.texts(year - 1)["problems"]
    return DocumentTexts(year, tuple((k, label, t[k]) for k, label in annual_doc.TEXT_FIELDS.items()), last)


def save_document_texts(year: int, values: dict, actor) -> tuple:
    from gkdesk.reports import annual_doc

    return tuple(sorted(annual_doc.save_texts(year, values, actor)))


def preview_document(year: int, values: dict | None = None) -> DocumentPreview:
    from gkdesk.reports import annual, annual_doc

    problems = tuple(str(p) for p in annual.check(year))
    p = annual_doc.prepare(year, values, checked=False,
                           draft_mark="草稿（数据未通过核对，不能导出）" if problems else "预览")
    return DocumentPreview(year, p.laid, problems)


def export_document(year: int, path, actor) -> Path:
    from gkdesk import audit
    from gkdesk.db import write_transaction
    from gkdesk.reports import annual_doc

    out = annual_doc.export(year, path)
    with write_transaction():
        audit.record("annual_document.export", user=getattr(actor, "username", str(actor or "")),
                     summary=f"导出{year}年度报告全文（{Path(path).suffix.lstrip('.')}）", details={"file": str(path)})
    return out


# ------------------------------------------------------------------ units' reports

def _view(r) -> UnitReportView:
    return UnitReportView(r.display, r.unit_name, r.year, tuple(str(p) for p in r.problems))


def check_unit_reports(path, year: int | None = None, progress=None, cancelled=None) -> tuple:
    from gkdesk.reports import unit_reports

    return tuple(_view(r) for r in unit_reports.read_paths(path, year=year, progress=progress, cancelled=cancelled))


def sum_unit_reports(path, output, actor, year: int | None = None, progress=None, cancelled=None) -> tuple:
    """Read and check every workbook of ``path``; refuse if any has a problem; write the
    county's summed tables to ``output`` and keep the units' reports."""
    from gkdesk import settings
    from gkdesk.reports import unit_reports

    reps = unit_reports.read_paths(path, year=year, progress=progress, cancelled=cancelled)
    unit_reports.sum_to_xlsx(reps, output, office=settings.get("office.name"))
    unit_reports.save(reps, actor)
    return tuple(_view(r) for r in reps)


# ------------------------------------------------------------------ reviews

def review_items(kind: str, year: int) -> tuple:
    from gkdesk.reports import review_decisions as rd

    out = []
    for it in rd.items(kind, year):
        d = it.decision
        out.append(ReviewItemView(kind, it.key, tuple(it.columns), rd.HEADERS[kind],
                                  d.decision_label if d else "", d.place if d else "", d.publish_by if d else None,
                                  d.decided_by if d else "", d.note if d else ""))
    return tuple(out)


def record_review_decision(kind: str, year: int, key: str, actor, **values) -> None:
    from gkdesk.reports import review_decisions as rd

    rd.record(kind, year, key, actor, **values)


def export_review_sheet(kind: str, year: int, path) -> Path:
    from gkdesk.reports import review_decisions as rd

    return rd.export(kind, year, path)


def import_review_sheet(kind: str, year: int, path, actor) -> int:
    from gkdesk.reports import review_decisions as rd

    return rd.import_sheet(kind, year, path, actor)


# ------------------------------------------------------------------ confidentiality

def record_confidentiality_review(case_id: int, actor, **values):
    from gkdesk.cases import confidentiality

    return confidentiality.record(case_id, actor, **values)


# ------------------------------------------------------------------ deadlines

def report_deadlines(today: dt.date | None = None) -> tuple:
    """The two report deadlines ahead (Art. 49: units by 31 January; Art. 50: the county's
    published by 31 March), computed from the calendar: the year reported on is the last
    one whose deadline has not passed more than a month ago. (Issue 13's submissions will
    take their place when the tasks area lands.)"""
    from gkdesk.cases import deadlines

    today = today or deadlines.today()
    year = today.year - 1 if today <= dt.date(today.year, 4, 30) else today.year
    out = []
    for code, label, due in (("units", supervision.UNITS_DUE_LABEL, supervision.units_due(year)),
                             ("county", supervision.COUNTY_DUE_LABEL, supervision.county_due(year))):
        out.append(ReportDeadline(code, label, due, year, (due - today).days))
    return tuple(out)
