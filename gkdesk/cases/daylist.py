"""The day's list: what falls due today and this week (up to Sunday), by handler, with
what is already overdue on top, and the hand-offs whose internal due date falls in the
week. Shown on start and from the dashboard; printable as PDF (the document pipeline)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gkdesk import settings
from gkdesk.cases import deadlines
from gkdesk.db.desk_models import Handoff
from gkdesk.db.models import Case
from gkdesk.domain import terms

LEVELS = {"overdue": "已超期", "today": "今日到期", "week": "本周到期"}
NO_HANDLER = "（未分配承办人）"


@dataclass(frozen=True)
class DueItem:
    case_id: int
    number: str
    applicant: str
    due: dt.date
    level: str                 # key of LEVELS
    what: str                  # 答复期限 / 交办某单位 内部期限
    provisional: bool = False


@dataclass(frozen=True)
class HandlerGroup:
    handler: str
    items: tuple[DueItem, ...]


@dataclass(frozen=True)
class DayList:
    on: dt.date
    week_end: dt.date
    groups: tuple[HandlerGroup, ...]

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in self.groups)

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in LEVELS}
        for g in self.groups:
            for i in g.items:
                out[i.level] += 1
        return out


def _level(due: dt.date, on: dt.date) -> str:
    return "overdue" if due < on else "today" if due == on else "week"


def compute(on: dt.date | None = None, *, include_overdue: bool = True) -> DayList:
    on = on or deadlines.today()
    week_end = on + dt.timedelta(days=6 - on.weekday())
    by: dict[str, list[DueItem]] = {}
    q = Case.select(Case.id, Case.number, Case.applicant_name, Case.due_date, Case.due_provisional, Case.handler,
                    Case.paused, Case.stage).where(Case.stage.in_(terms.OPEN_STAGES), Case.due_date <= week_end)
    if not include_overdue:
        q = q.where(Case.due_date >= on)
    for c in q.order_by(Case.due_date, Case.serial):
        what = "答复期限" + ("（征求意见/缴费中，暂停计算）" if c.paused else "")
        by.setdefault(c.handler or NO_HANDLER, []).append(
            DueItem(c.id, c.number, c.applicant_name, c.due_date, _level(c.due_date, on), what, c.due_provisional))
    hq = (Handoff.select(Handoff, Case).join(Case)
          .where(Handoff.status == "sent", Handoff.internal_due <= week_end))
    if not include_overdue:
        hq = hq.where(Handoff.internal_due >= on)
    for h in hq.order_by(Handoff.internal_due):
        by.setdefault(h.case.handler or NO_HANDLER, []).append(
            DueItem(h.case.id, h.case.number, h.case.applicant_name, h.internal_due, _level(h.internal_due, on),
                    f"交办{h.unit_name}（{h.number}）内部期限"))
    groups = []
    for handler in sorted(by, key=lambda k: (k == NO_HANDLER, k)):
        items = sorted(by[handler], key=lambda i: (i.due, i.number))
        groups.append(HandlerGroup(handler, tuple(items)))
    return DayList(on, week_end, tuple(groups))


def _cell(text: str) -> str:
    return (text or "").replace("|", "｜").replace("\n", " ")


def markup_text(dl: DayList) -> str:
    from gkdesk.documents.context import cn_date

    c = dl.counts()
    lines = ["@title 今日及本周到期事项", f"@center {cn_date(dl.on)}（截至{cn_date(dl.week_end)}）",
             f"@noindent 已超期{c['overdue']}件，今日到期{c['today']}件，本周到期{c['week']}件。"]
    if not dl.groups:
        lines.append("@noindent 今日及本周没有到期的事项。")
    for g in dl.groups:
        lines += [f"@h1 {_cell(g.handler)}（{len(g.items)}件）", "@cols 9,5,5,9",
                  "@row 受理编号 | 申请人 | 期限 | 事项"]
        for i in g.items:
            due = f"{i.due.month}月{i.due.day}日" + ("（暂定）" if i.provisional else "")
            lines.append(f"@row {_cell(i.number)} | {_cell(i.applicant)} | {due} | {LEVELS[i.level]}：{_cell(i.what)}")
    return "\n".join(lines)


def pdf_bytes(dl: DayList) -> bytes:
    from gkdesk.documents import fonts, layout, markup, pdf

    laid = layout.layout(markup.parse(markup_text(dl)), fonts.fontset(), source="到期事项清单")
    return pdf.write(laid, pdf.PdfMeta(title="今日及本周到期事项", author=settings.get("office.name")))


def write_pdf(dl: DayList, path) -> None:
    from gkdesk.fileio import atomic_write

    atomic_write(path, pdf_bytes(dl))
