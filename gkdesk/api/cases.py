"""Cases for the screens: a case with its attachments, documents and consultations as one
frozen ``CaseView``; the dashboard's alerts as plain counts; registration, workflow actions
and attachments, each taking the acting user (the core checks the role)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from gkdesk.actors import Actor
from gkdesk.api._records import from_row, record_type
from gkdesk.cases import alerts, deadlines, query, registry, workflow
from gkdesk.cases.deadlines import DueStatus
from gkdesk.cases.query import CaseFilter
from gkdesk.cases.registry import ApplicationInput
from gkdesk.cases.workflow import ACTIONS, ActionSpec, FieldSpec, TimelineEntry
from gkdesk.db.models import Attachment, Case, Consultation, Document
from gkdesk.domain import terms

__all__ = [
    "ACTIONS", "ActionSpec", "ApplicationInput", "AttachmentView", "CaseFilter", "CaseRef",
    "CaseView", "ConsultationView", "DocumentView", "DueStatus", "FieldSpec", "TimelineEntry",
]

AttachmentView = record_type("AttachmentView", Attachment, exclude=("sha256",))
ConsultationView = record_type("ConsultationView", Consultation)
DocumentView = record_type("DocumentView", Document,
                           exclude=("fields",))

CaseView = record_type("CaseView", Case, extra=(
    ("attachments", tuple, field(default=())),
    ("documents", tuple, field(default=())),
    ("consultations", tuple, field(default=())),
    ("timeline", tuple, field(default=())),
    ("due", Any, field(default=None)),             # DueStatus of today
    ("actions", tuple, field(default=())),         # ActionSpecs the actor may carry out now
    ("issuable", tuple, field(default=())),        # (document kind, None or why not)
    ("repeat_warning", str, field(default="")),
    ("choices", tuple, field(default=())),         # (field name, ((code, label), …)) from the case
), doc="One case as its window shows it: every fact, its records, what can be done now.")


# Labels of a case's fields as the registration form shows them (errors name fields by these).
FIELD_LABELS = registry.FIELD_LABELS
PROVISIONAL_NOTE = deadlines.PROVISIONAL_NOTE


@dataclass(frozen=True)
class CaseRef:
    id: int
    number: str


def _case_choices(case: Case) -> tuple:
    out = []
    seen = set()
    for spec in ACTIONS.values():
        for fs in spec.fields:
            if fs.name in ("consultation_id", "proceeding_id") and fs.name not in seen:
                seen.add(fs.name)
                out.append((fs.name, tuple(workflow.field_choices(case, spec, fs))))
    return tuple(out)


def case_view(case_id: int, actor: Actor | None, today: dt.date | None = None) -> CaseView:
    """Everything the case window shows of ``case_id`` for ``actor``, read in one go."""
    from gkdesk.documents import kinds, service

    case = workflow.get_case(case_id)
    atts = tuple(from_row(AttachmentView, a) for a in case.attachments.order_by(Attachment.id))
    docs = tuple(from_row(DocumentView, d) for d in service.case_documents(case))
    cons = tuple(from_row(ConsultationView, c) for c in case.consultations.order_by(Consultation.id))
    repeat = ""
    if case.stage in ("registered", "correcting"):
        repeat = workflow.repeat_warning(case.applicant_name, case.id_number, case.content, exclude_id=case.id)
    return from_row(
        CaseView, case, attachments=atts, documents=docs, consultations=cons,
        timeline=tuple(workflow.timeline(case)), due=workflow.due_status(case, today),
        actions=tuple(workflow.available_actions(case, actor, today) if actor is not None else ()),
        issuable=tuple(kinds.available(case).items()), repeat_warning=repeat,
        choices=_case_choices(case))


def field_choices(view: CaseView, fs: FieldSpec) -> tuple:
    """The choices of an action's field for this case (its open consultations, …). Takes a
    ``CaseView``; anything else with an ``id`` (an older caller's case) is read afresh."""
    choices = getattr(view, "choices", None)
    if choices is None:
        choices = _case_choices(workflow.get_case(view.id))
    return dict(choices).get(fs.name, fs.choices)


def handlers() -> tuple[str, ...]:
    return tuple(query.handlers())


def due_status_of(due_date, provisional: bool, *, open_case: bool, paused: bool,
                  on: dt.date | None = None, cal=None) -> DueStatus:
    """The due-date status the list and the case window show (colour level and text)."""
    return deadlines.status(due_date, provisional, open_case=open_case, paused=paused, on=on, cal=cal)


def due_from(received: dt.date) -> DueStatus:
    return deadlines.due_from(received)


# ------------------------------------------------------------------ writes

def register(app: ApplicationInput, actor: Actor, *, today: dt.date | None = None) -> CaseView:
    """Register the application; returns the new case as its window would show it."""
    case = registry.register(app, actor, today=today)
    return case_view(case.id, actor, today)


def repeat_warning(applicant_name: str, id_number: str, content: str, exclude_id: int | None = None) -> str:
    return workflow.repeat_warning(applicant_name, id_number, content, exclude_id=exclude_id)


def perform(case_id: int, code: str, actor: Actor, *, expected_version: int | None = None,
            today: dt.date | None = None, **inputs) -> CaseRef:
    case = workflow.perform(case_id, code, actor, expected_version=expected_version, today=today, **inputs)
    return CaseRef(case.id, case.number)


def add_attachments(case_id: int, paths, actor: Actor, kind: str = "scan") -> int:
    """Keep each file with the case (each in its own transaction, as the clerk adds them);
    returns how many were kept before any refusal, which is raised."""
    case = workflow.get_case(case_id)
    n = 0
    for p in paths:
        registry.add_attachment(case, str(p), actor, kind=kind)
        n += 1
    return n


def attachment_file(attachment_id: int):
    """The path of an attachment's stored file."""
    att = Attachment.get_by_id(attachment_id)
    return registry.stored_file_path(att.stored_path)


def reveal(case_id: int, actor: Actor, field_name: str) -> str:
    from gkdesk import privacy

    return privacy.reveal(case_id, actor, field_name)


def can_view_personal(actor: Actor | None) -> bool:
    from gkdesk import privacy

    return privacy.can_view_personal(actor)


# ------------------------------------------------------------------ dashboard

@dataclass(frozen=True)
class AlertCard:
    code: str
    label: str
    level: str


@dataclass(frozen=True)
class DashboardCounts:
    counts: tuple[tuple[str, int], ...]     # (alert code, count)
    open_count: int
    year_count: int

    def count(self, code: str) -> int:
        return dict(self.counts).get(code, 0)


def alert_cards(actor: Actor | None, today: dt.date) -> tuple[AlertCard, ...]:
    """The dashboard's cards (no counting: cheap enough for the UI thread)."""
    return tuple(AlertCard(a.code, a.label, a.level) for a in alerts.compute(actor, today))


def dashboard_counts(actor: Actor | None, today: dt.date) -> DashboardCounts:
    found = alerts.compute(actor, today)
    counts = tuple((a.code, a.count) for a in found)
    return DashboardCounts(counts, query.count_cases(CaseFilter(stages=terms.OPEN_STAGES)),
                           query.count_cases(CaseFilter(year=today.year)))


def alert_case_ids(code: str, actor: Actor | None, today: dt.date) -> tuple[int, ...]:
    for a in alerts.compute(actor, today):
        if a.code == code:
            return tuple(a.case_ids)
    return ()


def today() -> dt.date:
    return deadlines.today()


# ------------------------------------------------------------------ the case list
# The list pages through the database: rows are plain dicts of the listed columns.
SORT_KEYS = query.SORT_KEYS
COUNT_CAP = query.COUNT_CAP
CountCancelled = query.CountCancelled


def list_cases(flt: CaseFilter, sort: str = "received", descending: bool = True, *,
               offset: int = 0, limit: int = 200) -> list[dict]:
    return query.list_cases(flt, sort, descending, offset=offset, limit=limit)


def count_cases(flt: CaseFilter, *, cancelled=None) -> int:
    """The exact count; ``cancelled()`` turning True interrupts the running SQL
    (``CountCancelled``)."""
    return query.count_cases(flt, cancelled=cancelled)


def count_cases_upto(flt: CaseFilter, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, exact): at most ``cap`` matches counted at once."""
    return query.count_cases_upto(flt, cap)


def years() -> list[int]:
    """The registration years present, newest first (the list's year filter)."""
    return query.years()


def summary(content: str, width: int = 40) -> str:
    return query.summary(content, width)


def work_calendar():
    """The working-day calendar (official schedules and the office's holidays), to pass
    to ``due_status_of(..., cal=)`` for many rows."""
    return deadlines.calendar()
