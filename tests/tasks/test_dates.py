"""Every deadline phrase of the seeds, read into a date, a recurring date, working days or none."""
import datetime as dt

import pytest

from gkdesk.tasks import dates

from .helpers import seed_tables


@pytest.mark.parametrize("phrase,year,kind,expected", seed_tables.DATE_PHRASES)
def test_phrase(phrase, year, kind, expected):
    p = dates.parse(phrase, year)
    assert p.kind == kind, p
    assert p.understood
    assert p.text == phrase                      # kept as written
    if kind == "date":
        assert p.date == dt.date.fromisoformat(expected)
    elif kind == "recurring":
        assert p.recurrence == expected
    elif kind == "workdays":
        assert p.workdays == expected
    else:
        assert p.date is None


def test_every_deadline_cell_of_the_tables_is_in_the_phrase_table():
    cells = {r[5] for r in seed_tables.ROWS_000 + [r for r in seed_tables.ROWS_003 if r]}
    listed = {p for p, *_ in seed_tables.DATE_PHRASES}
    assert cells <= listed


def test_recurring_occurrences_and_unknown_words():
    q = dates.parse("每季度", 2026)
    assert q.occurrences(2026) == [dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30),
                                   dt.date(2026, 12, 31)]
    assert dates.parse("每月", 2024).occurrences(2024)[1] == dt.date(2024, 2, 29)
    odd = dates.parse("视情况而定", 2026)
    assert (odd.kind, odd.understood, odd.label) == ("none", False, "未能识别")
    assert dates.parse("2月30日前", 2026).understood is False      # not a date
    assert dates.find_in_text("围绕“六保”做好解读", 2026) is None
    assert dates.parse("十二月底前", 2026).date == dt.date(2026, 12, 31)
    assert dates.parse("第三季度末", 2026).date == dt.date(2026, 9, 30)
