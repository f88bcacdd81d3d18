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
    source: str = "calendar"  # "task": from the requests of the year's annual-report task (issue 13)
    detail: str = ""          # e.g. 「已报 12/20，逾期 3」 when from the task
    task_id: int | None = None


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
    from gkdesk.api import tasks

    # each unit's request of the year's annual-report task (issue 13) becomes 已采用
    unit_reports.save(reps, actor, on_saved=lambda r, uid: tasks.record_unit_report(r, uid, actor))
    return tuple(_view(r) for r in reps)


# ------------------------------------------------------------------ reviews

def review_items(kind: str, year: int) -> tuple:
    """The year's review list with its decisions. Remembered until the database changes
    (``gkdesk.db.read_cache``): the list is found among every case of the year (1.3 s for
    17,000 withheld items, 10 s for the similar-request groups at 26,000 cases a year)."""
    from gkdesk.db import read_cache

    return read_cache.remembered(("annual.review_items", kind, year), lambda: _review_items(kind, year))


def _review_items(kind: str, year: int) -> tuple:
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

@dataclass(frozen=True)
class ConfidentialityView:
    """The 保密审查 of one case as the case window shows it."""
    case_id: int
    number: str
    required: bool           # the office's setting: a disclosing reply needs a review
    reviews: tuple           # gkdesk.cases.confidentiality.ReviewView, newest first
    conclusions: tuple       # ((code, label), …) for the form
    received: dt.date        # a review cannot be dated before the application arrived
    today: dt.date           # the calendar's today (the latest date a review may bear)

    @property
    def latest(self):
        return self.reviews[0] if self.reviews else None

    @property
    def allows_disclosure(self) -> bool:
        return self.latest is not None and self.latest.conclusion in supervision.CONFIDENTIALITY_ALLOWS_DISCLOSURE


def confidentiality(case_id: int) -> ConfidentialityView:
    from gkdesk.cases import confidentiality as conf
    from gkdesk.cases import deadlines
    from gkdesk.db.models import Case
    from gkdesk.errors import NotFound

    case = Case.get_or_none(Case.id == case_id)
    if case is None:
        raise NotFound(f"找不到案件（{case_id}）", field="案件")
    return ConfidentialityView(case.id, case.number, conf.required(), tuple(conf.reviews(case.id)),
                               tuple((t.code, t.label) for t in supervision.CONFIDENTIALITY_CONCLUSIONS.values()),
                               case.received_date, deadlines.today())


def record_confidentiality_review(case_id: int, actor, **values):
    from gkdesk.cases import confidentiality

    return confidentiality.record(case_id, actor, **values)


# ------------------------------------------------------------------ table 二 from the register

@dataclass(frozen=True)
class RegisterView:
    """The register of 规章 and 行政规范性文件 for one year, and table 二's counts from it."""
    year: int
    entries: tuple           # gkdesk.reports.regulations.RegulationView, newest first
    counts: dict             # {规章|行政规范性文件: {本年制发件数, 本年废止件数, 现行有效件数}}
    typed: dict              # the same cells as stored in table 二 now (None: not entered)
    total: int               # entries in the whole register
    kinds: tuple             # ((code, label), …)

    @property
    def differs(self) -> bool:
        """Table 二 as stored does not hold the register's counts."""
        return any(self.typed.get(row, {}).get(col) != n for row, cols in self.counts.items() for col, n in cols.items())


def register(year: int) -> RegisterView:
    from gkdesk.db.register_models import Regulation
    from gkdesk.reports import annual, regulations

    typed = {row: dict(cols) for row, cols in annual.table2(year).items() if row in regulations.counts(year)}
    return RegisterView(year, tuple(regulations.entries(year)), regulations.counts(year), typed,
                        Regulation.select().count(), tuple((c, t.label) for c, t in supervision.REGULATION_KINDS.items()))


def add_regulation(actor, **values):
    from gkdesk.reports import regulations

    return regulations.add(actor, **values)


def update_regulation(entry_id: int, actor, **values):
    from gkdesk.reports import regulations

    return regulations.update(entry_id, actor, **values)


def remove_regulation(entry_id: int, actor) -> None:
    from gkdesk.reports import regulations

    regulations.remove(entry_id, actor)


def import_register(path, actor) -> dict:
    from gkdesk.reports import regulations

    return regulations.import_xlsx(path, actor)


def apply_register_to_table2(year: int, actor) -> dict:
    from gkdesk.reports import regulations

    return regulations.apply_to_table2(year, actor)


# ------------------------------------------------------------------ deadlines

def report_deadlines(today: dt.date | None = None) -> tuple:
    """The two report deadlines ahead (Art. 49: units by 31 January; Art. 50: the county's
    published by 31 March); the year reported on is the last one whose deadline has not
    passed more than a month ago. When the year has a task collecting the units' reports
    (``gkdesk.api.tasks.collect_annual_reports``), the units' card comes from its requests
    (their due date, how many are in, how many late) and the county's card says how many
    units' reports it can draw on; without one, both come from the calendar."""
    from gkdesk.cases import deadlines
    from gkdesk.tasks import links

    today = today or deadlines.today()
    year = today.year - 1 if today <= dt.date(today.year, 4, 30) else today.year
    from gkdesk.db import current
    from gkdesk.errors import DatabaseError

    try:
        current()
        opened = True
    except DatabaseError:       # no database open (a bare widget): the calendar alone
        opened = False
    prog = links.annual_report_progress(year, on=today) if opened else None
    out = []
    for code, label, due in (("units", supervision.UNITS_DUE_LABEL, supervision.units_due(year)),
                             ("county", supervision.COUNTY_DUE_LABEL, supervision.county_due(year))):
        if prog is None:
            out.append(ReportDeadline(code, label, due, year, (due - today).days))
            continue
        c = prog["counts"]
        if code == "units":
            due = prog["due"]
            bits = [f"已报 {prog['in']}/{prog['total']}"]
            bits += [f"{terms_label(k)} {c[k]}" for k in ("overdue", "returned") if c[k]]
            detail = "，".join(bits)
        else:
            detail = f"可依据的单位年报 {c['accepted']}/{prog['total']} 份已采用"
        out.append(ReportDeadline(code, label, due, year, (due - today).days, "task", detail, prog["task_id"]))
    return tuple(out)


def terms_label(state: str) -> str:
    from gkdesk.domain import terms

    return terms.label_of(terms.REQUEST_STATES, state, state)
