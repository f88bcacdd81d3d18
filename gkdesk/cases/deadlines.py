"""Every date of a case, computed here and nowhere else.

The reply is due 20 working days after the clock start (the date of receipt, or the day
the corrected application arrived). Consultation periods — and, when the setting says so,
the wait for a fee — do not count: every working day from the letter/notice to the
answer/payment, both days included, is skipped. One extension adds its working days.
Art. 35 lets the office set a longer deadline itself (``custom_due_date``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gkdesk.cases.workdays import DueDate, WorkCalendar
from gkdesk.domain import rules, terms

_cache: dict = {"key": None, "cal": None}


def calendar() -> WorkCalendar:
    """The working-day calendar of the open database (cached until the table changes)."""
    from gkdesk.db.models import CalendarDay, CalendarYear, db

    key = (id(db.obj), CalendarDay.select().count(), CalendarYear.select().count(),
           CalendarYear.select(CalendarYear.entered_at).order_by(CalendarYear.entered_at.desc()).scalar())
    if _cache["key"] != key:
        _cache["cal"] = WorkCalendar.from_database()
        _cache["key"] = key
    return _cache["cal"]


def invalidate_calendar() -> None:
    _cache["key"] = None


def today() -> dt.date:
    return dt.date.today()


@dataclass(frozen=True)
class Pause:
    start: dt.date
    end: dt.date | None   # None: still running
    kind: str             # consultation / fee
    label: str


def case_pauses(case, *, fee_pauses: bool | None = None) -> list[Pause]:
    from gkdesk import settings

    pauses = [Pause(c.sent_date, c.answer_date, "consultation", f"征求{c.party}意见")
              for c in case.consultations]
    if fee_pauses is None:
        fee_pauses = bool(settings.get("process.fee_pauses_clock"))
    if fee_pauses:
        pauses += [Pause(f.notice_date, f.paid_date, "fee", "等待缴纳信息处理费")
                   for f in case.fees if not f.abandoned]
    return pauses


def due_from(clock_start: dt.date, pauses: list[tuple[dt.date, dt.date]] = (), extend: int = 0,
             cal: WorkCalendar | None = None, base: int = rules.REPLY_WORKING_DAYS) -> DueDate:
    """The reply due date from its parts (used by ``gkdesk due`` and by cases)."""
    cal = cal or calendar()
    return cal.add_working_days(clock_start, base + extend, list(pauses))


# ------------------------------------------------------------------ the derived facts of a case
#
# A case's due date, its provisional flag and its paused state are derived from its facts
# (clock start, pauses, extensions, an Art. 35 deadline, its stage) by ``derive`` and by
# nothing else: registration, every workflow action, the holiday recompute, the ledger
# import and the demo all call it (``refresh`` for a case row). A running pause counts up to
# ``on`` (today), so the date shown for a paused case is ``shown_due`` — live, moving day by
# day with the calendar — not the date stored at the last action.

@dataclass(frozen=True)
class CaseFacts:
    """What a case's dates are derived from."""

    stage: str
    clock_start: dt.date
    custom_due_date: dt.date | None = None
    pauses: tuple[Pause, ...] = ()
    extension_days: int = 0


@dataclass(frozen=True)
class Derived:
    """The derived facts stored on a case (columns due_date, due_provisional, paused)."""

    due_date: dt.date
    due_provisional: bool
    paused: bool


def facts_of(case, *, fee_pauses: bool | None = None) -> CaseFacts:
    """The facts of a case row (its consultations, fees and extensions)."""
    return CaseFacts(case.stage, case.clock_start, case.custom_due_date,
                     tuple(case_pauses(case, fee_pauses=fee_pauses)),
                     sum(e.working_days for e in case.extensions))


def derive(facts: CaseFacts, *, cal: WorkCalendar | None = None, on: dt.date | None = None) -> Derived:
    """The one computation of a case's due date, provisional flag and paused state. A pause
    still running counts up to ``on`` (default today)."""
    cal = cal or calendar()
    running = any(p.end is None for p in facts.pauses)
    paused = running and facts.stage in terms.OPEN_STAGES
    if facts.custom_due_date:
        due = DueDate(facts.custom_due_date, not cal.year_known(facts.custom_due_date.year))
    else:
        on = on or today()
        spans = [(p.start, p.end if p.end is not None else max(on, p.start)) for p in facts.pauses]
        due = due_from(facts.clock_start, spans, facts.extension_days, cal)
    return Derived(due.date, due.provisional, paused)


def imported_facts(stage: str, clock_start: dt.date, consultation_start: dt.date | None = None,
                   consultation_end: dt.date | None = None, extension_days: int = 0) -> CaseFacts:
    """The facts of a case imported from a ledger row (one consultation at most), as the
    workflow records them: the import's Consultation and Extension rows say the same."""
    pauses = ((Pause(consultation_start, consultation_end, "consultation", ""),)
              if consultation_start else ())
    return CaseFacts(stage, clock_start, None, pauses, extension_days)


def refresh(case, *, cal: WorkCalendar | None = None, on: dt.date | None = None) -> bool:
    """Set the derived columns of a case row from its facts (not saved); True when they
    changed. A closed case keeps the due date it had when it closed and is never paused."""
    before = (case.due_date, case.due_provisional, case.paused)
    if case.stage in terms.OPEN_STAGES:
        d = derive(facts_of(case), cal=cal, on=on)
        case.due_date, case.due_provisional, case.paused = d.due_date, d.due_provisional, d.paused
    else:
        case.paused = False
    return (case.due_date, case.due_provisional, case.paused) != before


def compute_due(case, cal: WorkCalendar | None = None, on: dt.date | None = None) -> DueDate:
    """The case's reply due date as things stand; a running pause is counted up to ``on``."""
    d = derive(facts_of(case), cal=cal, on=on)
    return DueDate(d.due_date, d.due_provisional)


def shown_due(case, on: dt.date | None = None, cal: WorkCalendar | None = None) -> tuple[dt.date | None, bool]:
    """The due date to show today: the stored one, or for a paused case the live one (its
    running pause counted up to ``on``), so it moves with the calendar."""
    if not case.paused or case.due_date is None:
        return case.due_date, bool(case.due_provisional)
    d = derive(facts_of(case), cal=cal, on=on)
    return d.due_date, d.due_provisional


def shown_dues(rows: list[dict], on: dt.date | None = None) -> list[dict]:
    """``shown_due`` for list rows (dicts with id, due_date, due_provisional, paused): the
    paused rows get their live date; the others are left as they are."""
    paused = [r["id"] for r in rows if r.get("paused") and r.get("due_date") is not None]
    if not paused:
        return rows
    from gkdesk.db.models import Case

    cal = calendar()
    live = {c.id: shown_due(c, on, cal) for c in Case.select().where(Case.id.in_(paused))}
    for r in rows:
        if r["id"] in live:
            r["due_date"], r["due_provisional"] = live[r["id"]]
    return rows


@dataclass(frozen=True)
class DueStatus:
    due: dt.date | None
    provisional: bool
    days_left: int | None     # working days from today to the due date; negative = overdue
    level: str                # none / ok / amber / today / red / paused
    text: str                 # what the list and the case window show

    @property
    def overdue(self) -> bool:
        return self.level == "red"


def status(due: dt.date | None, provisional: bool, *, open_case: bool = True, paused: bool = False,
           on: dt.date | None = None, cal: WorkCalendar | None = None) -> DueStatus:
    """How a due date reads today: days left, colour level, and the words shown."""
    if due is None or not open_case:
        return DueStatus(due, provisional, None, "none", "")
    cal = cal or calendar()
    on = on or today()
    left = cal.working_days_between(on, due)
    mark = "（暂定）" if provisional else ""
    if paused:
        level, text = "paused", f"暂停计时{mark}"
    elif on > due:
        level, text = "red", f"已超期{-left}个工作日{mark}"
    elif on == due:
        level, text = "today", f"今日到期{mark}"
    elif left <= rules.AMBER_WORKING_DAYS:
        level, text = "amber", f"剩{left}个工作日{mark}"
    else:
        level, text = "ok", f"剩{left}个工作日{mark}"
    return DueStatus(due, provisional, left, level, text)


PROVISIONAL_NOTE = "暂定：该年度节假日安排尚未录入，按周一至周五计算，请在“设置—节假日”录入后自动更正"
