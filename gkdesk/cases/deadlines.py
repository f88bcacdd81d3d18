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
from gkdesk.domain import rules

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


def compute_due(case, cal: WorkCalendar | None = None, on: dt.date | None = None) -> DueDate:
    """The case's reply due date as things stand; a running pause is counted up to ``on``."""
    cal = cal or calendar()
    if case.custom_due_date:
        return DueDate(case.custom_due_date, not cal.year_known(case.custom_due_date.year))
    on = on or today()
    spans = []
    for p in case_pauses(case):
        end = p.end if p.end is not None else max(on, p.start)
        spans.append((p.start, end))
    extend = sum(e.working_days for e in case.extensions)
    return due_from(case.clock_start, spans, extend, cal)


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
