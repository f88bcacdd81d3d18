"""Tasks and submissions, for screens and other areas (the catalogue, the annual report).

Reads return frozen records (``gkdesk.tasks.records``); every write takes the acting user
(an ``Actor`` or a username) and checks the role in the core. Writes note the ``tasks``
topic of the change feed (and ``rounds`` for Annex rounds, ``documents`` for letters).

Another area asks its units for a deliverable like this — e.g. each unit's annual report
due 31 January:

    t = tasks.create_task(actor, "2026年政府信息公开工作年度报告", year=2026, kind="annual_report",
                          deadline="2027年1月31日前")
    tasks.ask(f"#{t.id}", unit_ids, actor, what="政府信息公开工作年度报告")
    for r in tasks.requests(task_id=t.id): ... r.state, r.submissions[-1].stored_path
    tasks.receive(r.id, actor, path, submitted_by="…");  tasks.accept(r.id, actor)
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gkdesk.tasks import letters as _letters
from gkdesk.tasks import links as _links
from gkdesk.tasks import service as _service
from gkdesk.tasks import summary as _summary
from gkdesk.tasks.letters import IssuedLetter
from gkdesk.tasks.records import (
    Dashboard,
    ImportPreview,
    ParsedRow,
    RequestView,
    SubmissionView,
    TaskView,
    UnitOwes,
    UnitPiece,
)

__all__ = ["Dashboard", "ImportPreview", "IssuedLetter", "ParsedRow", "RequestView", "SubmissionView", "TaskView",
           "UnitChoice", "UnitOwes", "UnitPiece", "accept", "annual_report_progress", "ask", "close_task",
           "collect_annual_reports", "create_task", "dashboard", "find_request", "get_request", "get_task",
           "issue_letters", "leader_list_pdf", "letters_of", "list_tasks", "overdue", "preview_import",
           "progress_lines", "receive", "record_catalogue_return", "record_unit_report", "requests",
           "save_import", "send_back", "submission_file", "summary_pdf", "summary_xlsx", "tasks_and_requests",
           "today", "unit_owes", "units", "write_leader_list", "write_summary", "years"]

# ---- reads
list_tasks = _service.list_tasks
tasks_and_requests = _service.tasks_and_requests   # the 工作任务 page's one read (issue 20)
get_task = _service.get_task
get_request = _service.get_request
find_request = _service.find_request
overdue = _service.overdue
unit_owes = _service.unit_owes
dashboard = _service.dashboard
preview_import = _service.preview_import
submission_file = _service.submission_file
letters_of = _letters.letters_of
leader_list_pdf = _letters.leader_list_pdf
today = _service.today
progress_lines = _links.progress_lines                 # the annual report's 工作任务落实情况 (issue 15)
annual_report_progress = _links.annual_report_progress


@dataclass(frozen=True)
class UnitChoice:
    """A unit a task can ask: for pickers."""

    id: int
    name: str
    kind: str
    kind_label: str
    active: bool


def units(active: bool | None = True) -> tuple[UnitChoice, ...]:
    """The office's units (active ones by default), by kind then name."""
    from gkdesk.db.models import Unit
    from gkdesk.domain import terms
    from gkdesk.forms.units import name_key

    # four columns, not the forms area's list_units (whole rows and Annex counts a picker
    # does not show): a tenth of the time at 300 units (issue 20); the same order as it
    q = Unit.select(Unit.id, Unit.name, Unit.kind, Unit.active)
    if active is not None:
        q = q.where(Unit.active == active)
    order = {k: i for i, k in enumerate(terms.UNIT_KINDS)}
    rows = sorted(q.tuples(), key=lambda u: (not u[3], order.get(u[2], 99), name_key(u[1])))
    return tuple(UnitChoice(uid, name, kind, terms.label_of(terms.UNIT_KINDS, kind, kind), bool(on))
                 for uid, name, kind, on in rows)


def years() -> tuple[int, ...]:
    """The years that have tasks, newest first, and always the current year."""
    from gkdesk.db.tasks_models import Task

    ys = {y for (y,) in Task.select(Task.year).distinct().tuples() if y}
    ys.add(today().year)
    return tuple(sorted(ys, reverse=True))


def requests(*, task_id: int | None = None, unit_id: int | None = None, on: dt.date | None = None,
             kind: str | None = None, year: int | None = None, include_closed: bool = False) -> list[RequestView]:
    """Requests with their computed state, overdue first."""
    return _service.request_views(task_ids=[task_id] if task_id is not None else None, unit_id=unit_id, on=on,
                                  kind=kind, year=year, include_closed=include_closed)


# ---- writes (each takes the acting user)
save_import = _service.save_import
create_task = _service.create_task
ask = _service.ask
receive = _service.receive
send_back = _service.send_back
accept = _service.accept
close_task = _service.close_task
issue_letters = _letters.issue_letters
collect_annual_reports = _links.collect_annual_reports    # 向各单位征集年报 (Art. 49)
record_catalogue_return = _links.record_catalogue_return  # hook of the catalogue's returns (issue 14)
record_unit_report = _links.record_unit_report            # hook of the units' annual reports (issue 15)


def summary_xlsx(path, year: int, on: dt.date | None = None):
    return _summary.write_xlsx(path, year, on)


def summary_pdf(path, year: int, on: dt.date | None = None):
    return _summary.write_pdf(path, year, on)


def write_leader_list(path, on: dt.date | None = None):
    """The leader's one-page list of the late (task, unit) pairs, as a PDF file (atomic)."""
    from pathlib import Path

    from gkdesk.fileio import atomic_write

    return atomic_write(Path(path), leader_list_pdf(on))


def write_summary(path, year: int, on: dt.date | None = None):
    """The year's 落实情况 summary: .xlsx or .pdf by the file's suffix."""
    from pathlib import Path

    from gkdesk.errors import ValidationError

    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return summary_xlsx(path, year, on)
    if suffix == ".pdf":
        return summary_pdf(path, year, on)
    raise ValidationError(f"导出文件：只能导出为 .xlsx 或 .pdf，现为“{Path(path).name}”", "导出文件")
