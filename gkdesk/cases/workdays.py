"""Working days on the Chinese calendar — the one module that counts them.

Sources, strongest first:
1. the office's own holiday table (``CalendarDay``/``CalendarYear``), typed or pasted from
   the State Council notice — it overrides everything for the days it lists;
2. the ``chinese-calendar`` package, which knows the published schedules of 2004–2026
   (it raises NotImplementedError for later years, so it is only asked inside its range);
3. otherwise Monday–Friday, and every date counted that way is **provisional**.

A year is *known* when the office has entered it or ``chinese-calendar`` covers it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from gkdesk.errors import ValidationError


@lru_cache(maxsize=1)
def _package_schedule() -> tuple[dict, dict, frozenset]:
    """(holidays, make-up workdays, covered years) from chinese-calendar, read once."""
    try:
        from chinese_calendar import constants
    except Exception:  # pragma: no cover - the package is a dependency
        return {}, {}, frozenset()
    holidays = {d: n for d, n in constants.holidays.items()}
    workdays = {d: n for d, n in constants.workdays.items()}
    years = {d.year for d in holidays} | {d.year for d in workdays}
    covered = frozenset(range(min(years), max(years) + 1)) if years else frozenset()
    return holidays, workdays, covered


def package_years() -> frozenset:
    return _package_schedule()[2]


@dataclass(frozen=True)
class DueDate:
    date: dt.date
    provisional: bool     # some day counted falls in a year whose schedule is not known


class WorkCalendar:
    """Answers ``is_workday`` for any date; cheap to query, build one per use or cache it."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None,
                 office_years: set[int] | frozenset | None = None):
        self.overrides = dict(overrides or {})
        self.office_years = frozenset(office_years or ())
        self._holidays, self._workdays, self._package_years = _package_schedule()

    @classmethod
    def from_database(cls) -> "WorkCalendar":
        from gkdesk.db.models import CalendarDay, CalendarYear

        overrides = {row.day: row.is_workday for row in CalendarDay.select()}
        years = {row.year for row in CalendarYear.select()}
        return cls(overrides, years)

    def year_known(self, year: int) -> bool:
        return year in self.office_years or year in self._package_years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in self._package_years and day.year not in self.office_years:
            if day in self._holidays:
                return False
            if day in self._workdays:
                return True
        return day.weekday() < 5

    def day_name(self, day: dt.date) -> str:
        if day in self._holidays:
            return str(self._holidays[day])
        if day in self._workdays:
            return "调休上班"
        return ""

    # -- counting --------------------------------------------------------------------

    def add_working_days(self, start: dt.date, n: int,
                         excluded: list[tuple[dt.date, dt.date]] | tuple = ()) -> DueDate:
        """The ``n``-th working day after ``start`` (``start`` itself not counted),
        skipping every day inside an ``excluded`` span (both ends included)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day = start
        provisional = not self.year_known(start.year) and n > 0
        counted = 0
        spans = sorted(excluded)
        one = dt.timedelta(days=1)
        while counted < n:
            day += one
            if not provisional and not self.year_known(day.year):
                provisional = True
            if spans and any(a <= day <= b for a, b in spans):
                continue
            if self.is_workday(day):
                counted += 1
        return DueDate(day, provisional)

    def working_days_before(self, end: dt.date, n: int) -> DueDate:
        """The working day that is ``n`` working days before ``end`` (``end`` itself not
        counted): the day whose ``add_working_days(day, n)`` reaches ``end``'s working day."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day = end
        provisional = not self.year_known(end.year) and n > 0
        counted = 0
        while counted < n:
            day -= dt.timedelta(days=1)
            if not self.year_known(day.year):
                provisional = True
            if self.is_workday(day):
                counted += 1
        return DueDate(day, provisional)

    def working_days_between(self, start: dt.date, end: dt.date,
                             excluded: list[tuple[dt.date, dt.date]] | tuple = ()) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end``
        is before ``start`` (so 'days left' goes below zero once a case is overdue)."""
        if end == start:
            return 0
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if any(a <= day <= b for a, b in excluded):
                continue
            if self.is_workday(day):
                count += 1
        return sign * count


# -------------------------------------------------------------- the office's holiday table

_DATE_RE = re.compile(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?")
_MD_RE = re.compile(r"(\d{1,2})月(\d{1,2})日")


def parse_schedule_text(year: int, text: str) -> dict[dt.date, bool]:
    """Read a year's schedule typed by the clerk, one entry per line:

    ``2027-01-01 休`` / ``2027-02-06 班`` / ``2027-02-10 至 2027-02-17 休 春节``
    (``休``/``假``/``holiday`` = a day off; ``班``/``上班``/``workday`` = a make-up workday).
    Lines of the State Council notice style ``1月1日至3日放假`` are also understood.
    Returns date → is_workday. Raises ValidationError naming the line at fault.
    """
    result: dict[dt.date, bool] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        full = [dt.date(int(y), int(m), int(d)) for y, m, d in _parse_dates(_DATE_RE, line, lineno)]
        if not full:
            full = [dt.date(year, int(m), int(d)) for m, d in _parse_md(line, lineno, year)]
        if not full:
            raise ValidationError(f"节假日安排第{lineno}行：未找到日期（格式如 2027-01-01 休）", "节假日安排")
        work = bool(re.search(r"班|workday|上班", line))
        off = bool(re.search(r"休|假|holiday", line))
        if work == off:
            raise ValidationError(
                f"节假日安排第{lineno}行：请注明“休”（放假）或“班”（调休上班）", "节假日安排")
        days = full
        if len(full) == 2 and re.search(r"至|到|~|—|–|-{2}|－", line.replace(full[0].isoformat(), "", 1)):
            a, b = sorted(full)
            days = [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]
        for d in days:
            if d.year != year:
                raise ValidationError(
                    f"节假日安排第{lineno}行：日期{d.isoformat()}不在{year}年", "节假日安排")
            result[d] = work
    return result


def _parse_dates(regex, line, lineno):
    out = []
    for y, m, d in regex.findall(line):
        try:
            dt.date(int(y), int(m), int(d))
        except ValueError:
            raise ValidationError(f"节假日安排第{lineno}行：日期{y}-{m}-{d}无效", "节假日安排") from None
        out.append((y, m, d))
    return out


def _parse_md(line, lineno, year):
    out = []
    pairs = _MD_RE.findall(line)
    # "1月1日至3日" — a range whose end gives only the day
    m = re.search(r"(\d{1,2})月(\d{1,2})日(?:至|到|—|-)(\d{1,2})日", line)
    if m and len(pairs) == 1:
        pairs.append((m.group(1), m.group(3)))
    for mo, d in pairs:
        try:
            dt.date(year, int(mo), int(d))
        except ValueError:
            raise ValidationError(f"节假日安排第{lineno}行：日期{mo}月{d}日无效", "节假日安排") from None
        out.append((mo, d))
    return out
