"""Deadlines as the task tables write them (完成时间), parsed into what gkdesk can count.

    「2020年7月20日前」  → a date            「7月底前」「12月底」 → the month's last day
    「2020年底前」「年底前」 → 31 December    「上半年」 → 30 June, 「下半年」 → 31 December
    「一季度」 → 31 March …                 「1 个工作日内」 → N working days (counted on
                                            the case calendar from the day it is asked)
    「每季度」「每月」「每半年」「每年」 → a recurring date: the period ends of the year
    「长期」「持续推进」「及时」 → no date (never late)

A year missing from the phrase is the table's year. The words stay as written next to what
was parsed (``DuePhrase.text``); a phrase gkdesk cannot read is kept with ``understood``
false, so the import shows it and the clerk decides.
"""
from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from dataclasses import dataclass

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

# words meaning "no fixed date" — a task that goes on
NO_DATE_WORDS = ("长期", "持续推进", "持续", "常态化", "及时", "随时", "适时", "经常性", "动态调整")
RECURRING_WORDS = (("每季度", "quarterly"), ("每个季度", "quarterly"), ("按季度", "quarterly"),
                   ("每半年", "half_yearly"), ("每月", "monthly"), ("每个月", "monthly"), ("按月", "monthly"),
                   ("每年", "yearly"), ("每一年", "yearly"))


@dataclass(frozen=True)
class DuePhrase:
    text: str                          # as written
    kind: str                          # date / workdays / recurring / none (terms.DUE_KINDS)
    date: dt.date | None = None        # kind date: the day it is due (inclusive)
    recurrence: str | None = None      # kind recurring: terms.RECURRENCES code
    workdays: int | None = None        # kind workdays: how many working days
    understood: bool = True            # False: words gkdesk could not read (kept, no date)
    matched: str = ""                  # the part of ``text`` that gave the date

    def occurrences(self, year: int) -> list[dt.date]:
        """The due dates of a recurring phrase within ``year`` (period ends)."""
        if self.kind != "recurring":
            return [self.date] if self.date else []
        months = {"monthly": range(1, 13), "quarterly": (3, 6, 9, 12), "half_yearly": (6, 12),
                  "yearly": (12,)}[self.recurrence]
        return [month_end(year, m) for m in months]

    @property
    def label(self) -> str:
        """How gkdesk read it, in words (shown beside the words as written)."""
        from gkdesk.domain import terms

        if self.kind == "date" and self.date:
            return f"{self.date.year}年{self.date.month}月{self.date.day}日"
        if self.kind == "workdays":
            return f"{self.workdays}个工作日内"
        if self.kind == "recurring":
            return terms.label_of(terms.RECURRENCES, self.recurrence)
        return "无固定期限" if self.understood else "未能识别"


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _calendar.monthrange(year, month)[1])


def _num(s: str) -> int:
    s = s.strip()
    if s.isdigit():
        return int(s)
    # 十二, 二十, 二十八, 十, 三十一
    total, cur = 0, 0
    for ch in s:
        if ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch in _CN_DIGITS:
            cur = _CN_DIGITS[ch]
        else:
            raise ValueError(s)
    return total + cur


def normalize(text: str) -> str:
    """Drop spaces (「8 月 28 日」), full-width digits to ASCII, ﹝﹞ kept."""
    t = (text or "").translate(_FULLWIDTH)
    return re.sub(r"[\s\u3000]+", "", t)


_N = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_Y = r"(?:(\d{4})年)?"
_DATE = re.compile(_Y + _N + r"月" + _N + r"[日号]")
_MONTH_END = re.compile(_Y + _N + r"月(?:份)?(?:底|末|末前|底前)")
_MONTH_BEFORE = re.compile(_Y + _N + r"月(?:份)?(?:前|以前|之前)")   # 「7月前」: before July → 30 June
_YEAR_END = re.compile(r"(?:(\d{4})年?|本年|今年|年)(?:底|末)")
_HALF = re.compile(_Y + r"(上|下)半年")
_QUARTER = re.compile(_Y + r"第?([一二三四1-4])季度")
_WORKDAYS = re.compile(r"(\d{1,3}|[一二三四五六七八九十]{1,3})个?工作日")


def _year(g: str | None, default: int | None) -> int:
    if g:
        return int(g)
    if default is None:
        raise ValueError("no year")
    return default


def parse(text: str, year: int | None = None) -> DuePhrase:
    """Read a 完成时间 cell (or any text naming a deadline). ``year``: the table's year,
    used where the phrase has none."""
    raw = (text or "").strip()
    t = normalize(raw)
    if not t:
        return DuePhrase(raw, "none", understood=True)
    for word, code in RECURRING_WORDS:
        if word in t:
            return DuePhrase(raw, "recurring", recurrence=code, matched=word)
    found = _first_date(t, year)
    if found is not None:
        date, matched = found
        return DuePhrase(raw, "date", date=date, matched=matched)
    m = _WORKDAYS.search(t)
    if m:
        return DuePhrase(raw, "workdays", workdays=_num(m.group(1)), matched=m.group(0))
    for word in NO_DATE_WORDS:
        if word in t:
            return DuePhrase(raw, "none", matched=word)
    return DuePhrase(raw, "none", understood=False)


def _first_date(t: str, year: int | None) -> tuple[dt.date, str] | None:
    """The earliest-placed date phrase in normalized text ``t``: (date, matched words)."""
    hits: list[tuple[int, dt.date, str]] = []
    try:
        for m in _DATE.finditer(t):
            hits.append((m.start(), dt.date(_year(m.group(1), year), _num(m.group(2)), _num(m.group(3))),
                         m.group(0)))
            break
        for m in _MONTH_END.finditer(t):
            hits.append((m.start(), month_end(_year(m.group(1), year), _num(m.group(2))), m.group(0)))
            break
        for m in _MONTH_BEFORE.finditer(t):
            y, mo = _year(m.group(1), year), _num(m.group(2))
            hits.append((m.start(), dt.date(y, mo, 1) - dt.timedelta(days=1), m.group(0)))
            break
        for m in _YEAR_END.finditer(t):
            y = int(m.group(1)) if m.group(1) else _year(None, year)
            hits.append((m.start(), dt.date(y, 12, 31), m.group(0)))
            break
        for m in _HALF.finditer(t):
            y = _year(m.group(1), year)
            hits.append((m.start(), dt.date(y, 6, 30) if m.group(2) == "上" else dt.date(y, 12, 31), m.group(0)))
            break
        for m in _QUARTER.finditer(t):
            q = _num(m.group(2)) if not m.group(2).isdigit() else int(m.group(2))
            hits.append((m.start(), month_end(_year(m.group(1), year), q * 3), m.group(0)))
            break
    except ValueError:
        return None   # a year is needed and none is known, or 2月30日
    if not hits:
        return None
    # 「2020年10月31日前」 also matches the month-end pattern? no; but 「10月20日」 inside a
    # longer one is found once: take the first by position, the longest at a tie
    hits.sort(key=lambda h: (h[0], -len(h[2])))
    return hits[0][1], hits[0][2]


def find_in_text(text: str, year: int | None = None) -> DuePhrase | None:
    """A deadline written inside free text (「…于2018年7月20日前书面报…」): the phrase
    found, or None when the text names no date or period."""
    t = normalize(text)
    if not t:
        return None
    p = parse(t, year)
    if p.kind in ("date", "recurring", "workdays"):
        return DuePhrase(p.matched or p.text, p.kind, p.date, p.recurrence, p.workdays, True, p.matched)
    return None


def year_in(text: str) -> int | None:
    """The first plausible year (1990–2099) written in ``text``: 「2018 年政务公开…」."""
    m = re.search(r"((?:19|20)\d{2})\s*年", (text or "").translate(_FULLWIDTH))
    return int(m.group(1)) if m else None
