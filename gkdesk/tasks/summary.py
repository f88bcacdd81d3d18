"""The year's 落实情况 summary: each task, each unit, what was handed in and when — the
input the annual report's text needs. As xlsx (openpyxl, written atomically, fit to one
page wide) and as PDF (the document layout)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from gkdesk.domain import terms

SHEET_DETAIL = "落实情况"
SHEET_TASKS = "按任务汇总"
SHEET_UNITS = "按单位汇总"
DETAIL_HEADERS = ["序号", "任务序号", "工作任务", "具体事项", "完成时间（原文）", "单位", "报送内容", "截止日期",
                  "状态", "报送日期", "报送人", "附件", "退回原因"]


def _rows(year: int, on: dt.date | None):
    from gkdesk.tasks import service

    tasks = [t for t in service.list_tasks(year=year, on=on) if t.kind != "annex"]
    order = {t.id: i for i, t in enumerate(sorted(tasks, key=lambda t: (t.batch, t.id)))}
    views = [v for v in service.request_views(year=year, on=on, include_closed=True) if v.task_id in order]
    views.sort(key=lambda v: (order[v.task_id], v.unit_name, v.what, v.period))
    return tasks, views


def summary_data(year: int, on: dt.date | None = None) -> dict:
    """Counts per task and per unit, and every (task, unit) row, for the annual report."""
    tasks, views = _rows(year, on)
    by_unit: dict[str, dict] = {}
    for v in views:
        c = by_unit.setdefault(v.unit_name, {k: 0 for k in terms.REQUEST_STATES})
        c[v.state] += 1
    return {"year": year, "tasks": tasks, "requests": views, "by_unit": by_unit}


def write_xlsx(path, year: int, on: dt.date | None = None) -> Path:
    from openpyxl import Workbook

    from gkdesk.fileio import atomic_path
    from gkdesk.forms.summary import _sheet

    data = summary_data(year, on)
    tasks = {t.id: t for t in data["tasks"]}
    wb = Workbook()
    _sheet(wb.active, SHEET_DETAIL, DETAIL_HEADERS, [6, 8, 30, 36, 14, 20, 14, 12, 12, 12, 10, 24, 30],
           ([f"{tasks[v.task_id].number}{tasks[v.task_id].item_number}", tasks[v.task_id].title,
             tasks[v.task_id].item, tasks[v.task_id].deadline_text, v.unit_name,
             v.what + (f"（{v.period}）" if v.period else ""), v.due.isoformat() if v.due else "无固定期限",
             v.state_label, v.received_on.isoformat() if v.received_on else "", v.submitted_by, v.filename, v.reason]
            for v in data["requests"]), wrap_cols=(3, 4, 13))
    state_codes = list(terms.REQUEST_STATES)
    _sheet(wb.create_sheet(), SHEET_TASKS, ["序号", "任务序号", "工作任务", "具体事项", "完成时间（原文）", "应报单位数",
                                            *[terms.REQUEST_STATES[k].label for k in state_codes]],
           [6, 8, 30, 36, 14, 10, 8, 8, 8, 8, 8],
           ([f"{t.number}{t.item_number}", t.title, t.item, t.deadline_text, t.total,
             *[t.counts.get(k, 0) for k in state_codes]] for t in data["tasks"]), wrap_cols=(3, 4))
    _sheet(wb.create_sheet(), SHEET_UNITS, ["序号", "单位", *[terms.REQUEST_STATES[k].label for k in state_codes]],
           [6, 28, 8, 8, 8, 8, 8],
           ([name, *[c[k] for k in state_codes]] for name, c in sorted(data["by_unit"].items())))
    wb.properties.title = f"{year}年工作任务落实情况汇总"
    wb.properties.creator = "gkdesk"
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def pdf_bytes(year: int, on: dt.date | None = None) -> bytes:
    from gkdesk.tasks import letters, service

    on = on or service.today()
    data = summary_data(year, on)
    tasks = {t.id: t for t in data["tasks"]}
    rows = [[tasks[v.task_id].number + tasks[v.task_id].item_number + " " + (tasks[v.task_id].item
                                                                              or tasks[v.task_id].title),
             v.unit_name, v.state_label, v.received_on.isoformat() if v.received_on else ""]
            for v in data["requests"]]
    counts = {k: sum(c[k] for c in data["by_unit"].values()) for k in terms.REQUEST_STATES}
    subtitle = (f"截至{on.year}年{on.month}月{on.day}日，" +
                "，".join(f"{terms.REQUEST_STATES[k].label}{n}项" for k, n in counts.items()))
    if not rows:
        rows = [["（本年度没有工作任务）", "", "", ""]]
    return letters._table_pdf(f"{year}年工作任务落实情况", subtitle, [12, 7, 5, 4],
                              ["工作任务", "单位", "状态", "报送日期"], rows)


def write_pdf(path, year: int, on: dt.date | None = None) -> Path:
    from gkdesk.fileio import atomic_write

    return atomic_write(Path(path), pdf_bytes(year, on))
