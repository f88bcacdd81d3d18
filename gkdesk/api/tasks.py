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

from gkdesk.tasks import letters as _letters
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
           "UnitOwes", "UnitPiece", "accept", "ask", "close_task", "create_task", "dashboard", "find_request",
           "get_request", "get_task", "issue_letters", "leader_list_pdf", "letters_of", "list_tasks", "overdue",
           "preview_import", "receive", "requests", "save_import", "send_back", "submission_file",
           "summary_pdf", "summary_xlsx", "unit_owes"]

# ---- reads
list_tasks = _service.list_tasks
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


def summary_xlsx(path, year: int, on: dt.date | None = None):
    return _summary.write_xlsx(path, year, on)


def summary_pdf(path, year: int, on: dt.date | None = None):
    return _summary.write_pdf(path, year, on)
