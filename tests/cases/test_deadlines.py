"""Reply due dates, worked out by hand against the State Council's 2026 schedule.

2026 (国办发明电〔2025〕 schedule as held by chinese-calendar 1.11): 1 Jan–3 Jan off, Sun 4 Jan
worked; Sat 14 Feb worked, 15–23 Feb off, Sat 28 Feb worked; 4–6 Apr off; 1–5 May off, Sat
9 May worked; 19–21 Jun off; Sun 20 Sep worked, 25–27 Sep off, 1–7 Oct off, Sat 10 Oct worked.
The day of receipt is not counted; the due date is the 20th working day after it.
"""
import datetime as dt

import pytest

from gkdesk.cases import deadlines
from gkdesk.cases.workdays import WorkCalendar, parse_schedule_text
from gkdesk.errors import ValidationError

D = dt.date
CAL = WorkCalendar()


def due(received, pauses=(), extend=0, cal=CAL):
    return deadlines.due_from(received, list(pauses), extend, cal)


def test_mid_autumn_and_national_day():
    # Thu 24 Sep: 28,29,30 Sep (3), 8,9 Oct, Sat 10 Oct (6), 12–16 (11), 19–23 (16), 26–29 (20)
    r = due(D(2026, 9, 24))
    assert r.date == D(2026, 10, 29) and not r.provisional


def test_spring_festival_with_make_up_saturdays():
    # Tue 10 Feb: 11,12,13, Sat 14 (4), 24–27 Feb (8), Sat 28 Feb (9), 2–6 Mar (14), 9–13 (19), Mon 16 (20)
    assert due(D(2026, 2, 10)).date == D(2026, 3, 16)


def test_labour_day_without_and_with_a_consultation_pause():
    # Wed 22 Apr: 23,24,27,28,29,30 Apr (6), 6,7,8 May (9), Sat 9 May (10), 11–15 (15), 18–22 (20)
    assert due(D(2026, 4, 22)).date == D(2026, 5, 22)
    # Consultation 28 Apr – 8 May, both days excluded: 28,29,30 Apr and 6,7,8 May (6 working
    # days) do not count, so the due date moves 6 working days: 25,26,27,28,29 May, Mon 1 Jun.
    assert due(D(2026, 4, 22), [(D(2026, 4, 28), D(2026, 5, 8))]).date == D(2026, 6, 1)


def test_correction_restarts_the_count_from_the_corrected_application():
    # Corrected application received Thu 18 Jun: 19–21 Jun off (Dragon Boat), 22–26 (5),
    # 29 Jun–3 Jul (10), 6–10 (15), 13–17 Jul (20)
    assert due(D(2026, 6, 18)).date == D(2026, 7, 17)


def test_extension_continues_past_the_due_date():
    # Tue 15 Sep: 16,17,18, Sun 20 Sep worked (4), 21–24 (8), 28–30 (11), 8,9, Sat 10 Oct (14),
    # 12–16 (19), Mon 19 Oct (20). Extended by 20: 20–23 (4), 26–30 (9), 2–6 Nov (14),
    # 9–13 (19), Mon 16 Nov (20).
    assert due(D(2026, 9, 15)).date == D(2026, 10, 19)
    assert due(D(2026, 9, 15), extend=20).date == D(2026, 11, 16)


def test_new_year_with_sunday_make_up_day():
    # Mon 15 Dec 2025: 16–19 (4), 22–26 (9), 29–31 (12), 1–3 Jan off, Sun 4 Jan worked (13),
    # 5–9 (18), 12, Tue 13 Jan (20)
    assert due(D(2025, 12, 15)).date == D(2026, 1, 13)


def test_crossing_into_2027_is_provisional_then_final_once_entered():
    # Thu 10 Dec 2026: 11 (1), 14–18 (6), 21–25 (11), 28–31 (15), and 2027 unknown: counted
    # Mon–Fri: Fri 1 Jan (16), 4–7 Jan (20) → 7 Jan, provisional.
    r = due(D(2026, 12, 10))
    assert r.date == D(2027, 1, 7) and r.provisional
    # The office enters New Year's Day 2027 as a holiday: 1 Jan no longer counts → Fri 8 Jan.
    cal2027 = WorkCalendar(parse_schedule_text(2027, "2027-01-01 休 元旦"), {2027})
    r = due(D(2026, 12, 10), cal=cal2027)
    assert r.date == D(2027, 1, 8) and not r.provisional


def test_no_crash_far_beyond_the_package_range():
    r = due(D(2030, 6, 3))
    assert r.provisional and r.date == D(2030, 7, 1)  # 20 weekdays after Mon 3 Jun 2030


def test_working_days_between_counts_after_start_up_to_end():
    # Thu 24 Sep → Fri 9 Oct: 28,29,30 Sep, 8, 9 Oct = 5
    assert CAL.working_days_between(D(2026, 9, 24), D(2026, 10, 9)) == 5
    assert CAL.working_days_between(D(2026, 10, 9), D(2026, 9, 24)) == -5
    assert CAL.working_days_between(D(2026, 10, 9), D(2026, 10, 9)) == 0


def test_status_levels():
    due_date = D(2026, 10, 29)
    assert deadlines.status(due_date, False, on=D(2026, 10, 29), cal=CAL).level == "today"
    assert deadlines.status(due_date, False, on=D(2026, 10, 30), cal=CAL).level == "red"
    s = deadlines.status(due_date, False, on=D(2026, 10, 23), cal=CAL)
    assert s.level == "amber" and s.days_left == 4
    s = deadlines.status(due_date, False, on=D(2026, 10, 12), cal=CAL)
    assert s.level == "ok" and s.days_left == 13
    assert "暂定" in deadlines.status(due_date, True, on=D(2026, 10, 12), cal=CAL).text


def test_schedule_text_parsing():
    days = parse_schedule_text(2027, "# 2027年安排\n2027-02-06 至 2027-02-13 休 春节\n2027-02-14 班\n10月1日至7日放假")
    assert days[D(2027, 2, 6)] is False and days[D(2027, 2, 13)] is False and len(
        [d for d in days if d.month == 2]) == 9
    assert days[D(2027, 2, 14)] is True
    assert all(days[D(2027, 10, d)] is False for d in range(1, 8))
    with pytest.raises(ValidationError, match="第1行"):
        parse_schedule_text(2027, "2027-13-01 休")
    with pytest.raises(ValidationError, match="休.*班"):
        parse_schedule_text(2027, "2027-01-01")
    with pytest.raises(ValidationError, match="不在2027年"):
        parse_schedule_text(2027, "2028-01-01 休")


def test_due_cli_prints_the_date_last(run_cli):
    r = run_cli("due", "--received", "2026-04-22", "--pause", "2026-04-28:2026-05-08")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "2026-06-01"
    r = run_cli("due", "--received", "2026-06-12", "--restart", "2026-06-18")
    assert r.stdout.strip().splitlines()[-1] == "2026-07-17"
    r = run_cli("due", "--received", "2026-09-15", "--extend", "20")
    assert r.stdout.strip().splitlines()[-1] == "2026-11-16"
    r = run_cli("due", "--received", "2026-12-10")
    assert r.stdout.strip().splitlines()[-1] == "2027-01-07" and "暂定" in r.stderr
    r = run_cli("due", "--received", "2026-09-15", "--extend", "25")
    assert r.returncode != 0 and "--extend" in r.stderr
    r = run_cli("due", "--received", "2026-02-30")
    assert r.returncode != 0 and "YYYY-MM-DD" in r.stderr
