"""Where other areas meet tasks and submissions (no Qt; screens reach this through
``gkdesk.api.tasks``):

- the units' annual reports (Art. 49, due 31 January) as the requests of one task of the
  year, kind ``annual_report`` — made on demand (「向各单位征集年报」);
- a unit's returned catalogue (issue 14) or annual report recorded as its submission,
  called inside the other area's save transaction;
- the year's progress in a few sentences per task, for the annual report's text (issue 15).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from gkdesk.actors import require
from gkdesk.domain import supervision, terms
from gkdesk.tasks import service

ANNUAL_REPORT_WHAT = "政府信息公开工作年度报告"
CATALOGUE_WHAT = "政务公开事项标准目录"


def annual_report_title(year: int) -> str:
    return f"{year}年度政府信息公开工作年度报告"


# ---------------------------------------------------------------- the units' annual reports

def annual_report_task_row(year: int):
    """The open task collecting the units' annual reports on ``year`` (or None)."""
    from gkdesk.db.tasks_models import Task

    return (Task.select().where((Task.kind == "annual_report") & (Task.year == year) & (Task.closed == False))  # noqa: E712
            .order_by(Task.id).first())


def collect_annual_reports(year: int, actor, unit_ids=None, *, asked_on: dt.date | None = None):
    """Ask every active unit (or ``unit_ids``) for its annual report on ``year``, due
    31 January of the next year (Art. 49): the task is made if the year has none; units
    already asked are left as they are. One transaction. Returns (TaskView, new request ids)."""
    from gkdesk.db import write_transaction
    from gkdesk.db.models import Unit
    from gkdesk.errors import ValidationError

    actor = service._actor(actor)
    require(actor, service.EDIT_ROLES, "向各单位征集年度报告")
    if not isinstance(year, int) or not 1990 <= year <= 2100:
        raise ValidationError("年度：请填写四位年份，如 2026", "年度")
    if unit_ids is None:
        unit_ids = [u.id for u in Unit.select(Unit.id).where(Unit.active == True).order_by(Unit.id)]  # noqa: E712
    if not unit_ids:
        raise ValidationError("报送单位：还没有在用的单位，请先在“附件一”页面新增单位", "报送单位")
    due = supervision.units_due(year)
    with write_transaction():
        t = annual_report_task_row(year)
        if t is None:
            tv = service.create_task(actor, annual_report_title(year), year=year, kind="annual_report",
                                     requirement="依据《政府信息公开条例》第四十九条，各单位于每年1月31日前"
                                                 "向本级政府信息公开工作主管部门报送本单位上一年度年度报告。",
                                     deadline=f"{due.year}年{due.month}月{due.day}日前")
            task_ref = f"#{tv.id}"
        else:
            task_ref = f"#{t.id}"
        new = service.ask(task_ref, unit_ids, actor, what=ANNUAL_REPORT_WHAT, due=due, asked_on=asked_on)
    return service.get_task(task_ref), new


# ---------------------------------------------------------------- submissions from other areas

def _open_request(unit_id: int, *, kinds: tuple, what: str, year: int | None):
    """The earliest open (not accepted) request of the unit for ``what`` or a task of ``kinds``."""
    from gkdesk.db.tasks_models import Request, Task

    q = (Request.select(Request.id).join(Task)
         .where((Request.unit == unit_id) & (Task.closed == False)  # noqa: E712
                & ((Task.kind.in_(list(kinds))) | (Request.what == what))))
    if year is not None:
        q = q.where(Task.year == year)
    ids = [r.id for r in q]
    views = [v for v in service.request_views(request_ids=ids) if v.state != "accepted"]
    views.sort(key=lambda v: (v.due or dt.date.max, v.id))
    return views[0] if views else None


def record_handed_in(unit_id: int, path, actor, *, kinds: tuple, what: str, year: int | None = None,
                     note: str = "", accept: bool = True):
    """Record ``path`` as what the unit handed in for its open request of ``what`` (or of a
    task of ``kinds``), accepted at once when the office has already checked and saved it.
    Called inside the other area's transaction; no such request → None (nothing asked)."""
    from gkdesk.errors import PermissionDenied

    if unit_id is None:
        return None
    try:
        require(service._actor(actor), service.EDIT_ROLES, "登记报送材料")
    except PermissionDenied:
        return None          # a reviewer saving the other area's work: the clerk records the receipt
    req = _open_request(int(unit_id), kinds=kinds, what=what, year=year)
    if req is None:
        return None
    p = Path(path) if path else None
    return service.receive(req.id, actor, str(p) if p is not None and p.is_file() else None,
                           received_on=service.today(), note=note, accept=accept)


def record_catalogue_return(diff, actor):
    """A unit's returned catalogue (``gkdesk.catalogue.returns.ReturnDiff``) saved: its
    request for the catalogue becomes 已采用 (the hook ``apply_returns(on_saved=...)``)."""
    return record_handed_in(diff.unit_id, diff.source, actor, kinds=("catalogue",), what=CATALOGUE_WHAT,
                            note=f"导入交回的标准目录（{diff.display}，{diff.version_name}）")


def record_unit_report(report, unit_id: int | None, actor):
    """A unit's annual report (``gkdesk.reports.unit_reports.UnitReportFile``) checked and
    kept: its request of the year's annual-report task becomes 已采用."""
    return record_handed_in(unit_id, report.path, actor, kinds=("annual_report",), what=ANNUAL_REPORT_WHAT,
                            year=report.year, note=f"导入单位年度报告（{report.display}）")


# ---------------------------------------------------------------- the report deadlines

def annual_report_progress(year: int, on: dt.date | None = None) -> dict | None:
    """How the units' reports on ``year`` stand, from the task's requests (None: no task)."""
    t = annual_report_task_row(year)
    if t is None:
        return None
    views = service.request_views(task_ids=[t.id], on=on)
    counts = {k: 0 for k in terms.REQUEST_STATES}
    for v in views:
        counts[v.state] += 1
    due = min((v.due for v in views if v.due), default=supervision.units_due(year))
    return {"task_id": t.id, "due": due, "total": len(views), "counts": counts,
            "in": counts["submitted"] + counts["accepted"]}


# ---------------------------------------------------------------- the annual report's text

def _date_cn(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


def progress_lines(year: int, on: dt.date | None = None) -> list[str]:
    """The year's tasks in a few sentences each: what each unit handed in and when, who is
    still out — the 落实情况 the annual report's text prints. Annex rounds are left out."""
    tasks = [t for t in service.list_tasks(year=year, on=on) if t.kind != "annex"]
    if not tasks:
        return []
    views = service.request_views(task_ids=[t.id for t in tasks], on=on, include_closed=True)
    by_task: dict[int, list] = {}
    for v in views:
        by_task.setdefault(v.task_id, []).append(v)
    lines = []
    for t in tasks:
        mine = by_task.get(t.id, [])
        head = t.label                      # 「1（2）梳理规范…」, the task's number as written
        if t.deadline_text:
            head += f"（完成时间：{t.deadline_text}）"
        if not mine:
            lines.append(head + "：未向单位布置报送。")
            continue
        units = sorted({v.unit_name for v in mine})
        done = [v for v in mine if v.state in ("submitted", "accepted")]
        parts = [f"{head}：涉及{len(units)}个单位，应报{len(mine)}项，已报送{len(done)}项"
                 f"（其中已采用{sum(1 for v in mine if v.state == 'accepted')}项）"]
        if done:
            done.sort(key=lambda v: (v.received_on or dt.date.min, v.unit_name))
            parts.append("；".join(
                f"{v.unit_name}于{_date_cn(v.received_on)}报送{v.what}{('（' + v.period + '）') if v.period else ''}"
                + ("，逾期报送" if v.late_submission else "")
                for v in done if v.received_on))
        late = [v for v in mine if v.overdue]
        if late:
            parts.append("逾期未报：" + "、".join(dict.fromkeys(v.unit_name for v in late)))
        returned = [v for v in mine if v.state == "returned" and not v.overdue]
        if returned:
            parts.append("退回修改：" + "、".join(dict.fromkeys(v.unit_name for v in returned)))
        lines.append("；".join(parts) + "。")
    return lines

