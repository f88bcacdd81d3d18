"""Statistics of a year's work: applications per month, outcome mix, on-time rate, handling
time in working days, by section and by handler. Aggregates only — no applicant data.

Handling time is counted in working days from the date of receipt to the reply date
(``WorkCalendar.working_days_between``: the day of receipt not counted), pauses included,
so it is what the applicant waited. On time means replied on or before the due date.
Counts come from SQL ``GROUP BY``; working days use a prefix table over the calendar, so
100,000 replies cost one pass over the days of the span, not one loop per case.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import peewee as pw

from gkdesk import creator as gkdesk_creator
from gkdesk.cases import deadlines
from gkdesk.db.models import Case
from gkdesk.domain import outcomes, terms
from gkdesk.fileio import atomic_path

MONTHS = tuple(f"{m}月" for m in range(1, 13))
UNASSIGNED = "（未分配）"


@dataclass
class GroupStats:
    name: str
    received: int = 0
    replied: int = 0
    with_due: int = 0
    on_time: int = 0
    open: int = 0
    overdue: int = 0
    total_days: int = 0
    max_days: int | None = None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.with_due if self.with_due else None

    @property
    def avg_days(self) -> float | None:
        return self.total_days / self.replied if self.replied else None


@dataclass
class Stats:
    year: int
    received_by_month: list[int] = field(default_factory=lambda: [0] * 12)
    replied_by_month: list[int] = field(default_factory=lambda: [0] * 12)
    outcome_groups: list[tuple[str, int]] = field(default_factory=list)   # （一）…（六）
    outcome_rows: list[tuple[str, int]] = field(default_factory=list)     # table-三 rows
    overall: GroupStats = field(default_factory=lambda: GroupStats("合计"))
    by_section: list[GroupStats] = field(default_factory=list)
    by_handler: list[GroupStats] = field(default_factory=list)
    by_kind: list[tuple[str, int]] = field(default_factory=list)           # applicant kinds received
    today: dt.date | None = None


class _WorkdayIndex:
    """working_days_between(a, b) for many pairs: a prefix count of working days."""

    def __init__(self, start: dt.date, end: dt.date, cal):
        self.start = start
        self.prefix = [0]
        day = start
        n = 0
        while day < end:
            day += dt.timedelta(days=1)
            n += 1 if cal.is_workday(day) else 0
            self.prefix.append(n)

    def between(self, a: dt.date, b: dt.date) -> int:
        ia, ib = (a - self.start).days, (b - self.start).days
        return self.prefix[ib] - self.prefix[ia]


def on_time(year: int) -> GroupStats:
    """Of the cases replied in ``year``: how many had a due date, and how many of those were
    replied by it — ``compute(year).overall``'s ``with_due``/``on_time``/``on_time_rate``, in
    one aggregate (what the annual-report document prints; ``compute`` also counts every day,
    section and handler: 1.3 s at 26,000 cases a year)."""
    a, b = dt.date(year, 1, 1), dt.date(year, 12, 31)
    has_due = Case.due_date.is_null(False)
    with_due, n_on_time = (Case.select(pw.fn.SUM(pw.Case(None, [(has_due, 1)], 0)),
                                       pw.fn.SUM(pw.Case(None, [(has_due & (Case.reply_date <= Case.due_date), 1)], 0)))
                           .where(Case.reply_date.between(a, b)).tuples().get())
    return GroupStats("", with_due=int(with_due or 0), on_time=int(n_on_time or 0))


def compute(year: int, *, today: dt.date | None = None) -> Stats:
    today = today or deadlines.today()
    a, b = dt.date(year, 1, 1), dt.date(year, 12, 31)
    st = Stats(year, today=today)
    sections: dict[str, GroupStats] = {}
    handlers: dict[str, GroupStats] = {}

    def groups(section: str, handler: str):
        s = sections.setdefault(section or UNASSIGNED, GroupStats(section or UNASSIGNED))
        h = handlers.setdefault(handler or UNASSIGNED, GroupStats(handler or UNASSIGNED))
        return (st.overall, s, h)

    # received: per day (→ month), section, handler, kind, and whether open / overdue now
    is_open = Case.stage.in_(list(terms.OPEN_STAGES)) & Case.reply_date.is_null()
    overdue = is_open & Case.due_date.is_null(False) & (Case.due_date < today)
    q = (Case.select(Case.received_date, Case.section, Case.handler, Case.applicant_kind,
                     pw.fn.COUNT(Case.id),
                     pw.fn.SUM(pw.Case(None, [(is_open, 1)], 0)),
                     pw.fn.SUM(pw.Case(None, [(overdue, 1)], 0)))
         .where(Case.received_date.between(a, b))
         .group_by(Case.received_date, Case.section, Case.handler, Case.applicant_kind).tuples())
    kinds: dict[str, int] = {}
    for received, section, handler, kind, n, n_open, n_overdue in q:
        st.received_by_month[received.month - 1] += n
        label = terms.label_of(terms.APPLICANT_KINDS, kind, kind or "")
        kinds[label] = kinds.get(label, 0) + n
        for g in groups(section, handler):
            g.received += n
            g.open += int(n_open or 0)
            g.overdue += int(n_overdue or 0)
    st.by_kind = [(t.label, kinds.get(t.label, 0)) for t in terms.APPLICANT_KINDS.values()]

    # replied in the year: outcome, timeliness, working days from receipt to reply
    q = (Case.select(Case.received_date, Case.reply_date, Case.due_date, Case.outcome, Case.section,
                     Case.handler, pw.fn.COUNT(Case.id))
         .where(Case.reply_date.between(a, b))
         .group_by(Case.received_date, Case.reply_date, Case.due_date, Case.outcome, Case.section,
                   Case.handler).tuples())
    rows = list(q)
    by_key: dict[str, int] = {}
    by_group: dict[str, int] = {}
    if rows:
        first = min(r[0] for r in rows)
        last = max(max(r[0], r[1]) for r in rows)
        idx = _WorkdayIndex(first, last, deadlines.calendar())
    for received, reply, due, code, section, handler, n in rows:
        st.replied_by_month[reply.month - 1] += n
        o = outcomes.OUTCOMES.get(code)
        if o is not None:
            by_key[o.report_key] = by_key.get(o.report_key, 0) + n
            by_group[o.group_label] = by_group.get(o.group_label, 0) + n
        days = max(0, idx.between(received, reply)) if reply >= received else 0
        for g in groups(section, handler):
            g.replied += n
            g.total_days += days * n
            g.max_days = days if g.max_days is None else max(g.max_days, days)
            if due is not None:
                g.with_due += n
                if reply <= due:
                    g.on_time += n
    st.outcome_groups = [(label, by_group.get(label, 0)) for label in outcomes.GROUPS.values()]
    st.outcome_rows = [(k, by_key.get(k, 0)) for k in outcomes.table3_result_keys()]
    st.by_section = sorted(sections.values(), key=lambda g: (-g.received - g.replied, g.name))
    st.by_handler = sorted(handlers.values(), key=lambda g: (-g.received - g.replied, g.name))
    return st


# ------------------------------------------------------------------ export

GROUP_HEADERS = ("收到件数", "答复件数", "按期答复", "按期率", "平均办理工作日", "最长办理工作日", "未办结", "已超期")


def group_row(g: GroupStats) -> list:
    return [g.name, g.received, g.replied, g.on_time,
            None if g.on_time_rate is None else round(g.on_time_rate, 4),
            None if g.avg_days is None else round(g.avg_days, 1), g.max_days, g.open, g.overdue]


def export_xlsx(st: Stats, path: str | os.PathLike) -> Path:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, PieChart, Reference
    from openpyxl.styles import Font

    bold = Font(bold=True)
    wb = Workbook()
    wb.properties.creator = gkdesk_creator()
    ws = wb.active
    ws.title = "概况"
    o = st.overall
    ws.append([f"{st.year}年政府信息公开申请办理统计"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"统计时间：{st.today.isoformat() if st.today else ''}；办理工作日自收到申请之日的次日起算至答复之日"])
    ws.append([])
    for label, value in (("本年收到申请", o.received), ("本年答复", o.replied), ("按期答复", o.on_time),
                         ("按期率", None if o.on_time_rate is None else round(o.on_time_rate, 4)),
                         ("平均办理工作日", None if o.avg_days is None else round(o.avg_days, 1)),
                         ("最长办理工作日", o.max_days), ("尚未办结（本年收到）", o.open), ("已超期未办结", o.overdue)):
        ws.append([label, value])
        if label == "按期率" and value is not None:
            ws.cell(ws.max_row, 2).number_format = "0.0%"
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 14

    wm = wb.create_sheet("按月")
    wm.append(["月份", "收到件数", "答复件数"])
    for c in wm[1]:
        c.font = bold
    for i, m in enumerate(MONTHS):
        wm.append([m, st.received_by_month[i], st.replied_by_month[i]])
    chart = BarChart()
    chart.title = f"{st.year}年各月收到与答复件数"
    chart.add_data(Reference(wm, min_col=2, max_col=3, min_row=1, max_row=13), titles_from_data=True)
    chart.set_categories(Reference(wm, min_col=1, min_row=2, max_row=13))
    chart.width, chart.height = 18, 8
    wm.add_chart(chart, "E2")

    wo = wb.create_sheet("办理结果")
    wo.append(["办理结果", "件数"])
    for c in wo[1]:
        c.font = bold
    for label, n in st.outcome_groups:
        wo.append([label, n])
    pie = PieChart()
    pie.title = "办理结果构成"
    pie.add_data(Reference(wo, min_col=2, min_row=1, max_row=1 + len(st.outcome_groups)), titles_from_data=True)
    pie.set_categories(Reference(wo, min_col=1, min_row=2, max_row=1 + len(st.outcome_groups)))
    wo.add_chart(pie, "D2")
    wo.append([])
    wo.append(["明细（年度报告表三的栏目）", "件数"])
    wo.cell(wo.max_row, 1).font = bold
    for key, n in st.outcome_rows:
        wo.append([key, n])
    wo.column_dimensions["A"].width = 60

    for title, groups in (("按股室", st.by_section), ("按承办人", st.by_handler)):
        wg = wb.create_sheet(title)
        wg.append([title[1:]] + list(GROUP_HEADERS))
        for c in wg[1]:
            c.font = bold
        for g in groups:
            wg.append(group_row(g))
            wg.cell(wg.max_row, 5).number_format = "0.0%"
        wg.column_dimensions["A"].width = 18
        for col in "BCDEFGHI":
            wg.column_dimensions[col].width = 13
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)
