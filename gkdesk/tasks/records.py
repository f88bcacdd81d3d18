"""Frozen view records of tasks and submissions: what screens, the CLI, letters and
exports read (never peewee rows). Built by ``gkdesk.tasks.service``; re-exported by
``gkdesk.api.tasks``."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gkdesk.domain import terms


@dataclass(frozen=True)
class TaskView:
    id: int
    kind: str
    year: int | None
    batch: str
    number: str
    item_number: str
    heading: str
    title: str
    item: str
    lead_text: str
    responsible_text: str
    guide_text: str
    requirement: str
    deadline_text: str
    closed: bool
    counts: dict = field(default_factory=dict)    # state code → number of requests
    total: int = 0

    @property
    def label(self) -> str:
        no = f"{self.number}{self.item_number}"
        return f"{no} {self.item or self.title}".strip()

    @property
    def kind_label(self) -> str:
        return terms.label_of(terms.TASK_KINDS, self.kind, self.kind)

    @property
    def overdue(self) -> int:
        return self.counts.get("overdue", 0)


@dataclass(frozen=True)
class SubmissionView:
    id: int
    received_on: dt.date
    recorded_by: str
    submitted_by: str
    filename: str
    stored_path: str
    sha256: str
    size: int
    note: str
    status: str                  # submitted / returned / accepted
    reason: str
    decided_by: str
    decided_at: dt.datetime | None


@dataclass(frozen=True)
class RequestView:
    id: int
    task_id: int
    task_kind: str
    task_label: str              # 「1（2）梳理规范公共服务清单…」
    task_title: str
    unit_id: int
    unit_name: str
    unit_active: bool
    what: str
    due_text: str
    due: dt.date | None          # the day it is due (None: no fixed date)
    due_provisional: bool        # counted in working days over a year whose holidays are not known
    period: str
    state: str                   # terms.REQUEST_STATES
    overdue: bool                # not in (or sent back) and the due date has passed
    days_late: int               # calendar days past due (0 when not overdue)
    received_on: dt.date | None  # the latest submission's day
    late_submission: bool        # that submission came after the due date
    submitted_by: str
    filename: str
    reason: str                  # why it was sent back (the latest return)
    submissions: tuple = ()      # SubmissionView, oldest first

    @property
    def state_label(self) -> str:
        base = terms.label_of(terms.REQUEST_STATES, self.state, self.state)
        if self.state == "returned" and self.overdue:
            return base + "（已逾期）"
        if self.state in ("submitted", "accepted") and self.late_submission:
            return base + "（逾期报送）"
        return base

    @property
    def due_label(self) -> str:
        if self.due is None:
            return self.due_text or "无固定期限"
        mark = "（暂定）" if self.due_provisional else ""
        return f"{self.due.isoformat()}{mark}"


@dataclass(frozen=True)
class UnitPiece:
    """A unit phrase of an import that matched no unit (or a kind with no units)."""

    piece: str
    role: str                    # lead / responsible / guide
    kinds: tuple = ()            # the unit kinds it names, when a kind phrase
    tasks: tuple = ()            # labels of the tasks naming it

    @property
    def why(self) -> str:
        if self.kinds:
            names = "、".join(terms.label_of(terms.UNIT_KINDS, k, k) for k in self.kinds)
            return f"本单位名单中没有“{names}”类的单位"
        return "单位名单中没有这个单位"


@dataclass(frozen=True)
class ParsedRow:
    """A task as the import read it, with the units it resolved to."""

    where: str
    label: str
    number: str
    item_number: str
    heading: str
    title: str
    item: str
    lead_text: str
    responsible_text: str
    guide_text: str
    requirement: str
    deadline_text: str
    due_kind: str
    due: dt.date | None
    due_label: str
    due_source: str
    lead: tuple = ()             # unit names
    responsible: tuple = ()
    guide: tuple = ()
    unresolved: tuple = ()       # pieces naming nothing


@dataclass(frozen=True)
class ImportPreview:
    source: str
    year: int
    rows: tuple                  # ParsedRow
    unresolved: tuple            # UnitPiece
    warnings: tuple
    requests: int                # (task, unit) requests saving would create


@dataclass(frozen=True)
class Dashboard:
    due_this_week: int
    overdue: int
    returned: int
    submitted: int               # in, waiting to be checked
    open_tasks: int


@dataclass(frozen=True)
class UnitOwes:
    unit_id: int
    unit_name: str
    requests: tuple              # RequestView, overdue first
    overdue: int
    open: int                    # not yet accepted
