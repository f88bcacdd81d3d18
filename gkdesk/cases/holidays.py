"""The office's holiday table: a year's holidays and 调休 make-up workdays, typed or pasted
from the State Council notice. Entering a year makes its due dates no longer provisional:
every open case whose count touches that year is recomputed in the same transaction."""
from __future__ import annotations

import datetime as dt

from gkdesk import audit, changes
from gkdesk.actors import Actor, require
from gkdesk.cases import deadlines
from gkdesk.cases.workdays import parse_schedule_text, package_years
from gkdesk.db import write_transaction
from gkdesk.db.models import CalendarDay, CalendarYear, Case
from gkdesk.domain import terms
from gkdesk.errors import ValidationError


def year_status(year: int) -> str:
    """'office' (entered here), 'package' (chinese-calendar knows it) or 'unknown'."""
    if CalendarYear.get_or_none(CalendarYear.year == year):
        return "office"
    return "package" if year in package_years() else "unknown"


def year_entries(year: int) -> list[tuple[dt.date, bool, str]]:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return [(r.day, r.is_workday, r.name) for r in
            CalendarDay.select().where(CalendarDay.day.between(first, last)).order_by(CalendarDay.day)]


def year_as_text(year: int) -> str:
    return "\n".join(f"{d.isoformat()} {'班' if w else '休'}{(' ' + n) if n else ''}"
                     for d, w, n in year_entries(year))


def set_year(year: int, schedule: str | dict[dt.date, bool], actor: Actor, source: str = "") -> int:
    """Replace the office's schedule of ``year``; returns how many open cases changed due date."""
    require(actor, ("admin", "reviewer"), "录入节假日安排")
    if not 2000 <= year <= 2100:
        raise ValidationError("年份：应在2000至2100之间", "年份")
    days = parse_schedule_text(year, schedule) if isinstance(schedule, str) else dict(schedule)
    if not days:
        raise ValidationError("节假日安排：至少录入一天放假或调休上班", "节假日安排")
    for d, is_work in days.items():
        if d.year != year:
            raise ValidationError(f"节假日安排：日期{d.isoformat()}不在{year}年", "节假日安排")
    with write_transaction():
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        CalendarDay.delete().where(CalendarDay.day.between(first, last)).execute()
        CalendarDay.insert_many([{"day": d, "is_workday": w, "name": ""} for d, w in sorted(days.items())]).execute()
        CalendarYear.replace(year=year, source=source or "手工录入", entered_by=actor.username).execute()
        deadlines.invalidate_calendar()
        changed = recompute_open_cases()
        if changed:
            changes.note_case_list()      # open cases' due dates moved
        audit.record("holidays", user=actor.username, summary=f"录入{year}年节假日安排（{len(days)}天），"
                     f"{changed}件在办案件答复期限随之更新",
                     details={"year": year, "days": {d.isoformat(): w for d, w in sorted(days.items())}})
    return changed


def recompute_open_cases() -> int:
    """Recompute the stored due date of every open case; returns how many changed."""
    cal = deadlines.calendar()
    changed = 0
    for case in Case.select().where(Case.stage.in_(terms.OPEN_STAGES)).iterator():
        if deadlines.refresh(case, cal=cal):
            Case.update(due_date=case.due_date, due_provisional=case.due_provisional,
                        paused=case.paused).where(Case.id == case.id).execute()
            changed += 1
    return changed
