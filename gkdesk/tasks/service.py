"""Tasks and the requests of each unit: every write checks the role, writes in one
``write_transaction()`` and records an audit event; reads return frozen view records.

A request's state is computed, never stored: from its latest submission (submitted /
returned / accepted) and its due date against today —

    accepted  → 已采用            submitted → 已报
    returned  → 退回 (and overdue once the due date has passed)
    nothing   → 未报, or 逾期 once the due date has passed

A due date written as 「N个工作日内」 is counted on the case calendar
(``gkdesk.cases.deadlines.calendar()``) from the day the request was made, each time it
is read, so a holiday table entered later moves it.
"""
from __future__ import annotations

import datetime as dt
from collections import namedtuple
from pathlib import Path

from gkdesk import audit, changes
from gkdesk.actors import Actor, require
from gkdesk.domain import terms
from gkdesk.errors import NotFound, ValidationError, WorkflowError
from gkdesk.tasks import dates, unitphrase
from gkdesk.tasks.records import (
    Dashboard,
    ImportPreview,
    ParsedRow,
    RequestView,
    SubmissionView,
    TaskView,
    UnitOwes,
    UnitPiece,
)

EDIT_ROLES = ("clerk", "admin")
DECIDE_ROLES = ("clerk", "reviewer", "leader", "admin")
STATE_ORDER = {code: i for i, code in enumerate(terms.REQUEST_STATES)}
PERIOD_LABELS = {"quarterly": ("第一季度", "第二季度", "第三季度", "第四季度"),
                 "half_yearly": ("上半年", "下半年"), "yearly": ("全年",),
                 "monthly": tuple(f"{m}月" for m in range(1, 13))}


def today() -> dt.date:
    from gkdesk.cases import deadlines

    return deadlines.today()


def _actor(actor) -> Actor:
    """An ``Actor``, or a username: the user's roles are read from the database."""
    if isinstance(actor, Actor):
        return actor
    from gkdesk.db.models import User
    from gkdesk.errors import PermissionDenied

    user = User.get_or_none((User.username == str(actor)) & (User.active == True))  # noqa: E712
    if user is None:
        raise PermissionDenied(f"用户“{actor}”不存在或已停用")
    return Actor.from_user(user)


# ---------------------------------------------------------------- reading

def _due(req, cal) -> tuple[dt.date | None, bool]:
    if req.due_workdays is not None and req.asked_on is not None:
        d = cal.add_working_days(req.asked_on, int(req.due_workdays))
        return d.date, d.provisional
    return req.due_date, False


def _state(due: dt.date | None, latest, on: dt.date) -> tuple[str, bool, int]:
    """(state, overdue, calendar days late) of a request."""
    past = due is not None and on > due
    days = (on - due).days if past else 0
    if latest is None:
        return ("overdue" if past else "pending"), past, days
    if latest.status == "accepted":
        return "accepted", False, 0
    if latest.status == "submitted":
        return "submitted", False, 0
    return "returned", past, days


def _sub_view(s) -> SubmissionView:
    return SubmissionView(s.id, s.received_on, s.recorded_by, s.submitted_by, s.filename, s.stored_path,
                          s.sha256, s.size, s.note, s.status, s.reason, s.decided_by, s.decided_at)


def _task_label(t) -> str:
    no = f"{t.number}{t.item_number}"
    return f"{no} {t.item or t.title}".strip()


_ReqRow = namedtuple("_ReqRow", "id task_id unit_id what due_text due_date due_workdays asked_on period "
                                "kind number item_number item title year position unit_name unit_active")


def _iso_date(v) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def request_views(*, task_ids=None, unit_id: int | None = None, request_ids=None, on: dt.date | None = None,
                  include_closed: bool = False, kind: str | None = None, year: int | None = None) -> list[RequestView]:
    """Requests with their computed state, overdue first (then by due date, task, unit)."""
    from gkdesk.cases import deadlines
    from gkdesk.db.models import Unit
    from gkdesk.db.tasks_models import Request, Submission, Task

    on = on or today()
    # only the columns a view needs, as plain tuples: building 3,000 Request+Task+Unit model
    # rows was three quarters of the 工作任务 page's read at county scale (issue 20)
    q = (Request.select(Request.id, Request.task.alias("task_id"), Request.unit.alias("unit_id"), Request.what,
                        Request.due_text, Request.due_date, Request.due_workdays, Request.asked_on, Request.period,
                        Task.kind, Task.number, Task.item_number, Task.item, Task.title, Task.year, Task.position,
                        Unit.name.alias("unit_name"), Unit.active.alias("unit_active"))
         .join(Task).switch(Request).join(Unit))
    if task_ids is not None:
        q = q.where(Request.task.in_(list(task_ids) or [0]))
    if request_ids is not None:
        q = q.where(Request.id.in_(list(request_ids) or [0]))
    if unit_id is not None:
        q = q.where(Request.unit == unit_id)
    if not include_closed:
        q = q.where(Task.closed == False)  # noqa: E712
    if kind is not None:
        q = q.where(Task.kind == kind)
    if year is not None:
        q = q.where(Task.year == year)
    # the rows straight off the cursor (peewee's per-value conversion was half of this read at
    # county scale); the two dates are ISO text in SQLite
    reqs = [_ReqRow(*row[:5], _iso_date(row[5]), row[6], _iso_date(row[7]), *row[8:])
            for row in Request._meta.database.execute(q)]
    subs: dict[int, list] = {}
    if reqs:                                          # the same filters as a subquery: one query
        for s in (Submission.select().where(Submission.request.in_(q.columns(Request.id)))
                  .order_by(Submission.received_on, Submission.id)):
            subs.setdefault(s.request_id, []).append(s)
    cal = deadlines.calendar()
    out = []
    for r in reqs:
        due, prov = _due(r, cal)
        mine = subs.get(r.id, [])
        latest = mine[-1] if mine else None
        state, overdue, days = _state(due, latest, on)
        out.append(RequestView(
            r.id, r.task_id, r.kind, _task_label(r), r.title, r.unit_id, r.unit_name,
            bool(r.unit_active), r.what, r.due_text, due, prov, r.period, state, overdue, days,
            latest.received_on if latest else None,
            bool(latest and due and latest.received_on > due), latest.submitted_by if latest else "",
            latest.filename if latest else "",
            next((s.reason for s in reversed(mine) if s.status == "returned"), "") if latest else "",
            tuple(_sub_view(s) for s in mine)))
    positions = {r.task_id: (r.year or 0, r.position, r.task_id) for r in reqs}
    out.sort(key=lambda v: (not v.overdue, STATE_ORDER[v.state], v.due or dt.date.max,
                            positions[v.task_id], v.unit_name))
    return out


def get_request(ref) -> RequestView:
    views = request_views(request_ids=[int(ref)], include_closed=True)
    if not views:
        raise NotFound(f"找不到报送要求（#{ref}）", field="报送要求")
    return views[0]


def _task_view(t, counts: dict, total: int) -> TaskView:
    return TaskView(t.id, t.kind, t.year, t.batch, t.number, t.item_number, t.heading, t.title, t.item,
                    t.lead_text, t.responsible_text, t.guide_text, t.requirement, t.deadline_text,
                    bool(t.closed), counts, total)


def _tasks_with_views(year, kind, include_closed, on) -> tuple[list[TaskView], list[RequestView]]:
    from gkdesk.db.tasks_models import Task

    q = Task.select()
    if year is not None:
        q = q.where(Task.year == year)
    if kind is not None:
        q = q.where(Task.kind == kind)
    if not include_closed:
        q = q.where(Task.closed == False)  # noqa: E712
    tasks = list(q.order_by(Task.year.desc(), Task.batch, Task.position, Task.id))
    per: dict[int, dict] = {t.id: {} for t in tasks}
    # the same filters as the tasks (not an IN list of their ids): one query however many tasks
    views = request_views(on=on, include_closed=include_closed, kind=kind, year=year)
    for v in views:
        c = per[v.task_id]
        c[v.state] = c.get(v.state, 0) + 1
    return [_task_view(t, per[t.id], sum(per[t.id].values())) for t in tasks], views


def list_tasks(*, year: int | None = None, kind: str | None = None, include_closed: bool = True,
               on: dt.date | None = None) -> list[TaskView]:
    """Tasks in table order, each with how many of its requests are in each state."""
    return _tasks_with_views(year, kind, include_closed, on)[0]


def tasks_and_requests(*, year: int | None = None, on: dt.date | None = None
                       ) -> tuple[tuple[TaskView, ...], tuple[RequestView, ...]]:
    """The 工作任务 page's read: the year's tasks with their counts (closed ones too) and the
    requests of its open tasks, overdue first — the requests read and their states computed
    once for both (issue 20). Remembered until the database changes (``gkdesk.db.read_cache``):
    showing the page again with nothing changed does not read again."""
    from gkdesk.db import read_cache

    day = on or today()

    def read():
        tasks, views = _tasks_with_views(year, None, True, day)
        closed = {t.id for t in tasks if t.closed}
        return tuple(tasks), tuple(v for v in views if v.task_id not in closed)

    return read_cache.remembered(("tasks.tasks_and_requests", year, day), read)


def get_task_row(ref):
    """A Task by ``#id``, id, or its number as written (「3」, 「1（2）」) among open tasks."""
    from gkdesk.db.tasks_models import Task

    if hasattr(ref, "id") and not isinstance(ref, (str, int)):
        return Task.get_by_id(ref.id)
    s = str(ref).strip()
    if s.startswith("#") and s[1:].isdigit():
        t = Task.get_or_none(Task.id == int(s[1:]))
        if t is None:
            raise NotFound(f"找不到任务 {s}", field="任务")
        return t
    if isinstance(ref, int):
        t = Task.get_or_none(Task.id == ref)
        if t is None:
            raise NotFound(f"找不到任务 #{ref}", field="任务")
        return t
    import re

    m = re.fullmatch(r"(\d+)\s*([(（]\s*\d+\s*[)）])?", s)
    if m:
        q = Task.select().where((Task.number == m.group(1)) & (Task.closed == False))  # noqa: E712
        if m.group(2):
            item = re.sub(r"\s+", "", m.group(2)).replace("(", "（").replace(")", "）")
            q = q.where(Task.item_number == item)
        found = list(q.order_by(Task.year.desc(), Task.id))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            if m.group(2) is None and len({t.item_number for t in found}) > 1 and len({t.batch for t in found}) == 1:
                raise ValidationError(f"任务“{s}”有{len(found)}个具体事项，请写明事项，如“{s}（1）”，或用编号："
                                      + "、".join(f"#{t.id}" for t in found), "任务")
            raise ValidationError(f"有{len(found)}个任务的序号是“{s}”，请用编号指明：" + "、".join(
                f"#{t.id}（{t.year}年 {_task_label(t)[:16]}）" for t in found), "任务")
    t = Task.select().where(Task.title == s).order_by(Task.id.desc()).first()
    if t is None:
        raise NotFound(f"找不到任务“{s}”（可用 gkdesk tasks list 查看任务及编号）", field="任务")
    return t


def get_task(ref) -> TaskView:
    t = get_task_row(ref)
    return next(v for v in list_tasks(year=t.year, kind=t.kind) if v.id == t.id)


def overdue(on: dt.date | None = None, unit_id: int | None = None) -> list[RequestView]:
    """Every (task, unit) request past its due date and not in — the late pairs."""
    return [v for v in request_views(on=on, unit_id=unit_id) if v.overdue]


def unit_owes(unit, on: dt.date | None = None) -> UnitOwes:
    from gkdesk.forms.units import get_unit

    u = get_unit(unit)
    views = tuple(request_views(unit_id=u.id, on=on))
    return UnitOwes(u.id, u.name, views, sum(1 for v in views if v.overdue),
                    sum(1 for v in views if v.state != "accepted"))


def dashboard(on: dt.date | None = None) -> Dashboard:
    from gkdesk.db.tasks_models import Task

    on = on or today()
    week_end = on + dt.timedelta(days=6 - on.weekday())
    views = request_views(on=on)
    return Dashboard(
        due_this_week=sum(1 for v in views if v.state in ("pending", "returned") and v.due is not None
                          and on <= v.due <= week_end),
        overdue=sum(1 for v in views if v.overdue),
        returned=sum(1 for v in views if v.state == "returned"),
        submitted=sum(1 for v in views if v.state == "submitted"),
        open_tasks=Task.select().where(Task.closed == False).count())  # noqa: E712


# ---------------------------------------------------------------- import

def _read(path, year, default_due):
    from gkdesk.tasks import table_import

    path = Path(path)
    tables = table_import.read_tables(path)
    return table_import.parse_tables(tables, year=year, default_due=default_due, source_name=path.name)


def _resolve_rows(parsed, index, mapping):
    """[(ParsedTask, {role: [Resolved]})] and the unresolved pieces."""
    rows = []
    pieces: dict[tuple[str, str], dict] = {}
    for p in parsed:
        per = {}
        for role, text in (("lead", p.lead_text), ("responsible", p.responsible_text), ("guide", p.guide_text)):
            per[role] = unitphrase.resolve(text, index, mapping)
            for r in per[role]:
                if r.unresolved:
                    e = pieces.setdefault((r.piece, role), {"kinds": r.by_kind, "tasks": []})
                    e["tasks"].append(p.label)
        rows.append((p, per))
    unresolved = tuple(UnitPiece(piece, role, e["kinds"], tuple(e["tasks"])) for (piece, role), e in pieces.items())
    return rows, unresolved


def _occurrences(p, year: int) -> list[tuple[str, dt.date | None, int | None]]:
    """(period label, due date, working days) of the requests one task makes of a unit."""
    due = p.due
    if due.kind == "recurring":
        labels = PERIOD_LABELS[due.recurrence]
        return list(zip(labels, due.occurrences(year), [None] * len(labels)))
    if due.kind == "workdays":
        return [("", None, due.workdays)]
    return [("", due.date, None)]


def preview_import(path, *, year: int | None = None, default_due: str = "",
                   mapping: dict[str, list[int]] | None = None) -> ImportPreview:
    """What importing ``path`` would save: every task with its units and deadline, and the
    unit phrases that match nothing. Writes nothing."""
    parsed, year, warnings = _read(path, year, default_due)
    index = unitphrase.UnitIndex.load()
    rows, unresolved = _resolve_rows(parsed, index, mapping)
    out, n_requests = [], 0
    for p, per in rows:
        names = {role: tuple(index.names[i] for r in per[role] for i in r.unit_ids) for role in per}
        owing = {i for role in terms.OWING_ROLES for r in per[role] for i in r.unit_ids}
        n_requests += len(owing) * len(_occurrences(p, year))
        out.append(ParsedRow(p.where, p.label, p.number, p.item_number, p.heading, p.title, p.item, p.lead_text,
                             p.responsible_text, p.guide_text, p.requirement, p.deadline_text, p.due.kind,
                             p.due.date, p.due.label, p.due_source,
                             tuple(dict.fromkeys(names["lead"])), tuple(dict.fromkeys(names["responsible"])),
                             tuple(dict.fromkeys(names["guide"])),
                             tuple(r.piece for role in per for r in per[role] if r.unresolved)))
    return ImportPreview(Path(path).name, year, tuple(out), unresolved, tuple(warnings), n_requests)


def save_import(path, actor, *, year: int | None = None, default_due: str = "",
                mapping: dict[str, list[int]] | None = None, what: str = terms.DEFAULT_DELIVERABLE,
                create_units: bool = False, asked_on: dt.date | None = None) -> list[int]:
    """Save the tasks of ``path`` and ask every lead and responsible unit for ``what`` by
    each task's deadline. ``mapping`` answers unresolved phrases (piece → unit ids);
    ``create_units`` adds a unit for each name that matches none. All in one transaction:
    a broken file or a refusal changes nothing. Returns the new task ids."""
    from gkdesk.db import write_transaction
    from gkdesk.db.tasks_models import Request, Task, TaskUnit
    from gkdesk.forms import units as units_mod

    actor = _actor(actor)
    require(actor, EDIT_ROLES, "导入工作任务")
    what = (what or "").strip() or terms.DEFAULT_DELIVERABLE
    parsed, year, warnings = _read(path, year, default_due)     # refused here: nothing written
    batch = Path(path).name
    asked_on = asked_on or today()
    mapping = dict(mapping or {})
    with write_transaction():
        if Task.select().where((Task.batch == batch) & (Task.year == year) & (Task.kind == "task")).exists():
            raise ValidationError(f"文件“{batch}”的{year}年任务已导入过。如需重新导入，请先关闭原有任务，"
                                  "或将文件改名后导入", "文件")
        index = unitphrase.UnitIndex.load()
        if create_units:
            _, unresolved = _resolve_rows(parsed, index, mapping)
            for piece in unresolved:
                if piece.kinds or piece.piece in mapping or unitphrase.looks_like_kind(piece.piece):
                    continue
                u = units_mod.add_unit(piece.piece, actor)
                index.add(u.id, u.name, u.kind)
        rows, unresolved = _resolve_rows(parsed, index, mapping)
        start = (Task.select(Task.position).where(Task.year == year).order_by(Task.position.desc()).scalar() or 0)
        ids, n_requests = [], 0
        for pos, (p, per) in enumerate(rows, start=start + 1):
            t = Task.create(kind="task", year=year, batch=batch, position=pos, number=p.number,
                            item_number=p.item_number, heading=p.heading, title=p.title, item=p.item,
                            lead_text=p.lead_text, responsible_text=p.responsible_text, guide_text=p.guide_text,
                            requirement=p.requirement, deadline_text=p.deadline_text or p.due.text,
                            created_by=actor.username)
            ids.append(t.id)
            seen = set()
            for role, resolved in per.items():
                for r in resolved:
                    for uid in r.unit_ids:
                        if (uid, role) not in seen:
                            seen.add((uid, role))
                            TaskUnit.create(task=t, unit=uid, role=role, phrase=r.piece[:200])
            owing = list(dict.fromkeys(uid for role in terms.OWING_ROLES for r in per[role] for uid in r.unit_ids))
            for uid in owing:
                for period, due, wd in _occurrences(p, year):
                    Request.create(task=t, unit=uid, what=what, due_text=(p.deadline_text or p.due.text)[:200],
                                   due_date=due, due_workdays=wd, asked_on=asked_on, period=period,
                                   created_by=actor.username)
                    n_requests += 1
        changes.note("tasks")
        audit.record("task.import", user=actor.username,
                     summary=f"导入工作任务“{batch}”（{year}年）{len(ids)}项，报送要求{n_requests}条",
                     details={"file": batch, "year": year, "tasks": len(ids), "requests": n_requests,
                              "unresolved": [u.piece for u in unresolved], "mapping": mapping})
    return ids


# ---------------------------------------------------------------- tasks by hand, asking

def _clean(text: str) -> str:
    from gkdesk.forms.records import clean_multiline

    return clean_multiline(text or "")


def create_task(actor, title: str, *, year: int, kind: str = "task", number: str = "", item: str = "",
                lead: str = "", responsible: str = "", guide: str = "", requirement: str = "",
                deadline: str = "", options: dict | None = None) -> TaskView:
    """A task typed in by hand (units as written; ask them with ``ask``)."""
    from gkdesk.db import write_transaction
    from gkdesk.db.tasks_models import Task
    from gkdesk.forms.records import clean_line

    actor = _actor(actor)
    require(actor, EDIT_ROLES, "新建工作任务")
    title = clean_line(title)
    problems = []
    if not title:
        problems.append("工作任务：必须填写任务名称")
    if kind not in terms.TASK_KINDS:
        problems.append(f"任务类别：“{kind}”无效，可选：" + "、".join(terms.TASK_KINDS))
    if not isinstance(year, int) or not 1990 <= year <= 2100:
        problems.append("年度：请填写四位年份，如 2026")
    if problems:
        raise ValidationError(problems[0], problems[0].split("：")[0], problems)
    with write_transaction():
        pos = (Task.select(Task.position).where(Task.year == year).order_by(Task.position.desc()).scalar() or 0) + 1
        t = Task.create(kind=kind, year=year, batch="手工录入" if kind == "task" else "", position=pos,
                        number=clean_line(number), title=title, item=_clean(item), lead_text=clean_line(lead),
                        responsible_text=clean_line(responsible), guide_text=clean_line(guide),
                        requirement=_clean(requirement), deadline_text=clean_line(deadline), options=options,
                        created_by=actor.username)
        changes.note("tasks")
        audit.record("task.create", user=actor.username, summary=f"新建{terms.TASK_KINDS[kind].label}“{title}”",
                     details={"task_id": t.id, "kind": kind, "year": year})
    return _task_view(t, {}, 0)


def ask(task, unit_ids, actor, *, what: str = terms.DEFAULT_DELIVERABLE, due: str | dt.date | None = None,
        asked_on: dt.date | None = None) -> list[int]:
    """Ask each unit of ``unit_ids`` for ``what`` of ``task`` by ``due`` (a date, a phrase
    such as 「7月底前」「5个工作日内」「每季度」, or None for the task's own deadline).
    A unit already asked for the same thing is left as it is. Returns the new request ids."""
    from gkdesk.db import write_transaction
    from gkdesk.db.models import Unit
    from gkdesk.db.tasks_models import Request
    from gkdesk.tasks.table_import import ParsedTask

    actor = _actor(actor)
    require(actor, EDIT_ROLES, "向单位布置报送")
    t = get_task_row(task)
    what = (what or "").strip()
    if not what:
        raise ValidationError("报送内容：必须填写（如“落实情况”“实施方案”）", "报送内容")
    year = t.year or today().year
    if isinstance(due, dt.date):
        phrase = dates.DuePhrase(due.isoformat(), "date", date=due)
    else:
        text = (due if due is not None else t.deadline_text) or ""
        phrase = dates.parse(text, year)
        if text and not phrase.understood:
            raise ValidationError(f"截止时间：“{text}”无法识别，请写成“2026年7月20日前”“7月底前”"
                                  "“5个工作日内”“每季度”或“长期”", "截止时间")
    unit_ids = list(dict.fromkeys(int(u) for u in unit_ids))
    if not unit_ids:
        raise ValidationError("报送单位：请至少选择一个单位", "报送单位")
    known = {u.id: u for u in Unit.select().where(Unit.id.in_(unit_ids))}
    missing = [u for u in unit_ids if u not in known]
    if missing:
        raise NotFound(f"找不到单位（编号 {missing[0]}）", field="报送单位")
    fake = ParsedTask("", "", "", "", "", "", "", "", "", "", phrase.text, phrase, "")
    asked_on = asked_on or today()
    new = []
    with write_transaction():
        for uid in unit_ids:
            for period, d, wd in _occurrences(fake, year):
                exists = Request.select().where((Request.task == t.id) & (Request.unit == uid) & (Request.what == what)
                                                & (Request.period == period)).exists()
                if exists:
                    continue
                r = Request.create(task=t.id, unit=uid, what=what, due_text=phrase.text[:200], due_date=d,
                                   due_workdays=wd, asked_on=asked_on, period=period, created_by=actor.username)
                new.append(r.id)
        changes.note("tasks", *(("rounds",) if t.kind == "annex" else ()))
        audit.record("task.ask", user=actor.username,
                     summary=f"向{len(unit_ids)}个单位布置报送“{what}”（{_task_label(t)[:30]}，{phrase.label}）",
                     details={"task_id": t.id, "units": unit_ids, "what": what, "due": phrase.text,
                              "requests": new})
    return new


def find_request(task, unit, what: str | None = None) -> RequestView:
    """The request of ``unit`` for ``task`` (the earliest open one when there are several)."""
    from gkdesk.db.tasks_models import Request
    from gkdesk.forms.units import get_unit

    t = get_task_row(task)
    u = get_unit(unit)
    q = Request.select(Request.id).where((Request.task == t.id) & (Request.unit == u.id))
    if what:
        q = q.where(Request.what == what)
    ids = [r.id for r in q]
    if not ids:
        raise NotFound(f"任务“{_task_label(t)[:30]}”没有向“{u.name}”布置报送", field="报送单位")
    views = request_views(request_ids=ids, include_closed=True)
    open_ = [v for v in views if v.state != "accepted"]
    pick = sorted(open_ or views, key=lambda v: (v.due or dt.date.max, v.id))[0]
    return pick


# ---------------------------------------------------------------- submissions

def receive(request_id: int, actor, path: str | None = None, *, received_on: dt.date | None = None,
            submitted_by: str = "", note: str = "", accept: bool = False) -> RequestView:
    """Record what a unit handed in: the file (kept by SHA-256 in the file store), the day,
    who handed it in. ``accept`` also accepts it at once."""
    from gkdesk.cases.registry import store_file
    from gkdesk.db import write_transaction
    from gkdesk.db.tasks_models import Request, Submission
    from gkdesk.forms.records import clean_line

    actor = _actor(actor)
    require(actor, EDIT_ROLES, "登记报送材料")
    received_on = received_on or today()
    if received_on > today():
        raise ValidationError(f"收到日期：{received_on.isoformat()} 在今天之后，请核对", "收到日期")
    stored = None
    if path:
        p = Path(path)
        if not p.is_file():
            raise ValidationError(f"报送材料：找不到文件“{path}”", "报送材料")
        stored = store_file(p, subdir="submissions")
    with write_transaction():
        req = Request.get_or_none(Request.id == int(request_id))
        if req is None:
            raise NotFound(f"找不到报送要求（#{request_id}）", field="报送要求")
        last = (Submission.select().where(Submission.request == req.id)
                .order_by(Submission.received_on.desc(), Submission.id.desc()).first())
        if last is not None and last.status == "accepted":
            raise WorkflowError(f"“{req.unit.name}”的“{req.what}”已采用，不能再登记报送；"
                                "如需改报，请先撤销采用", field="报送状态")
        if req.task.closed:
            raise WorkflowError(f"任务“{_task_label(req.task)[:30]}”已关闭，不能再登记报送", field="任务")
        fields = dict(request=req.id, received_on=received_on, recorded_by=actor.username,
                      submitted_by=clean_line(submitted_by)[:100], note=_clean(note))
        if stored:
            rel, digest, size = stored
            fields.update(filename=Path(path).name[:300], stored_path=rel.as_posix(), sha256=digest, size=size)
        if accept:
            from gkdesk.db.models import utcnow

            fields.update(status="accepted", decided_at=utcnow(), decided_by=actor.username)
        s = Submission.create(**fields)
        changes.note("tasks", *(("rounds",) if req.task.kind == "annex" else ()))
        audit.record("submission.receive", user=actor.username,
                     summary=f"收到“{req.unit.name}”报送的“{req.what}”（{_task_label(req.task)[:30]}）"
                             + ("，已采用" if accept else ""),
                     details={"request_id": req.id, "submission_id": s.id, "file": fields.get("filename", ""),
                              "sha256": fields.get("sha256", ""), "received_on": received_on.isoformat()})
    return get_request(request_id)


def _decide(request_id: int, actor, status: str, reason: str = "") -> RequestView:
    from gkdesk.db import write_transaction
    from gkdesk.db.models import utcnow
    from gkdesk.db.tasks_models import Request, Submission

    actor = _actor(actor)
    verb = "退回" if status == "returned" else "采用"
    require(actor, DECIDE_ROLES, f"{verb}报送材料")
    reason = _clean(reason)
    if status == "returned" and not reason:
        raise ValidationError("退回原因：必须写明退回修改的原因", "退回原因")
    with write_transaction():
        req = Request.get_or_none(Request.id == int(request_id))
        if req is None:
            raise NotFound(f"找不到报送要求（#{request_id}）", field="报送要求")
        last = (Submission.select().where(Submission.request == req.id)
                .order_by(Submission.received_on.desc(), Submission.id.desc()).first())
        if last is None or last.status != "submitted":
            now = "尚未报送" if last is None else ("已采用" if last.status == "accepted" else "已退回")
            raise WorkflowError(f"“{req.unit.name}”的“{req.what}”{now}，没有待审核的材料可{verb}", field="报送状态")
        Submission.update(status=status, reason=reason, decided_at=utcnow(), decided_by=actor.username).where(
            Submission.id == last.id).execute()
        changes.note("tasks", *(("rounds",) if req.task.kind == "annex" else ()))
        audit.record(f"submission.{'return' if status == 'returned' else 'accept'}", user=actor.username,
                     summary=f"{verb}“{req.unit.name}”报送的“{req.what}”" + (f"：{reason}" if reason else ""),
                     details={"request_id": req.id, "submission_id": last.id, "reason": reason})
    return get_request(request_id)


def send_back(request_id: int, reason: str, actor) -> RequestView:
    """Send the latest submission back for rework, with the reason."""
    return _decide(request_id, actor, "returned", reason)


def accept(request_id: int, actor) -> RequestView:
    return _decide(request_id, actor, "accepted")


def submission_file(submission_id: int) -> Path:
    """The stored file of a submission, checked against its SHA-256."""
    from gkdesk.db import current
    from gkdesk.db.tasks_models import Submission
    from gkdesk.fileio import sha256_file

    s = Submission.get_or_none(Submission.id == int(submission_id))
    if s is None or not s.stored_path:
        raise NotFound("这次报送没有附件", field="报送材料")
    path = current().files_dir / s.stored_path
    if not path.is_file():
        raise NotFound(f"报送材料“{s.filename}”的文件不见了（{path}），请从备份恢复", field="报送材料")
    if sha256_file(path) != s.sha256:
        raise WorkflowError(f"报送材料“{s.filename}”与登记的SHA-256不符，文件可能被改动，请从备份恢复",
                            field="报送材料")
    return path


def close_task(task, actor) -> TaskView:
    from gkdesk.db import write_transaction
    from gkdesk.db.tasks_models import Task

    actor = _actor(actor)
    require(actor, EDIT_ROLES, "关闭工作任务")
    t = get_task_row(task)
    with write_transaction():
        Task.update(closed=True).where(Task.id == t.id).execute()
        changes.note("tasks", *(("rounds",) if t.kind == "annex" else ()))
        audit.record("task.close", user=actor.username, summary=f"关闭任务“{_task_label(t)[:40]}”",
                     details={"task_id": t.id})
    return get_task(f"#{t.id}")
