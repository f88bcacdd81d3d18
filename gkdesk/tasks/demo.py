"""A small set of demonstration tasks (``gkdesk demo``): a few tasks of this year asked of
some units, with receipts, a return, acceptances and late units, so the 工作任务 page and
the 工作台's cards have something to show. Written through the service functions."""
from __future__ import annotations

import datetime as dt
import random

DEMO_TASKS = (
    ("1", "梳理规范权责清单，动态调整更新", "各单位", -40, "落实情况"),
    ("2", "编制本单位政务公开事项标准目录", "各单位", -10, "政务公开事项标准目录"),
    ("3", "报送新媒体核查名单", "各单位", 3, "新媒体核查名单"),
    ("4", "推进重点领域信息公开，报送工作进展", "各单位", 25, "工作进展"),
)


def generate_tasks(rng: random.Random, actor, today: dt.date, max_units: int = 8) -> int:
    """Add the demo tasks (skipped when the year already has tasks); returns how many."""
    from gkdesk.db.models import Unit
    from gkdesk.db.tasks_models import Task
    from gkdesk.tasks import service

    if Task.select().where((Task.year == today.year) & (Task.kind != "annex")).exists():
        return 0
    units = [u.id for u in Unit.select(Unit.id).where(Unit.active == True).order_by(Unit.id)]  # noqa: E712
    if not units:
        return 0
    units = units[:max_units]
    made = 0
    for number, title, who, offset, what in DEMO_TASKS:
        due = today + dt.timedelta(days=offset)
        kind = "catalogue" if "标准目录" in title else "task"
        t = service.create_task(actor, title, year=today.year, number=number, kind=kind, responsible=who,
                                deadline=f"{due.year}年{due.month}月{due.day}日前")
        asked = min(today, due - dt.timedelta(days=20))
        service.ask(f"#{t.id}", units, actor, what=what, due=due, asked_on=asked)
        for i, r in enumerate(service.request_views(task_ids=[t.id])):
            roll = 0.3 if (number, i) == ("1", 0) else rng.random()     # one sent back, at least
            if offset > 0 and roll < 0.6:
                continue                              # not due yet: most still out
            if roll < 0.25:
                continue                              # late (or not yet in)
            day = min(today, asked + dt.timedelta(days=rng.randrange(3, 25)))
            service.receive(r.id, actor, None, received_on=day, submitted_by=rng.choice(["张敏", "李强", "陈静", "王磊"]),
                            accept=roll > 0.7)
            if 0.25 <= roll < 0.4:
                service.send_back(r.id, rng.choice(["缺少单位盖章", "未按模板填写", "数据与上年不一致，请核对"]), actor)
        made += 1
    return made
