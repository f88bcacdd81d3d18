"""The one way a case changes: every action of the disclosure process.

``available_actions(case, actor)`` lists what is legal now (the GUI offers only those);
``perform(case_id, code, actor, **inputs)`` checks the stage, the role and the legal rules,
writes the change and its audit event in one transaction, recomputes the due date, and
raises ``WorkflowError``/``ValidationError``/``PermissionDenied`` with a clerk-readable reason.

Stages (terms.STAGES): registered 待审核 → (correcting 补正中 →) handling 办理中 →
replied 已答复 → delivered 已送达 → archived 已归档. Every way a case ends — a reply, a
termination for abandonment, a not-a-request notice, a withdrawal — sets an outcome and a
reply date, so the annual report counts every case exactly once.

Each action is one registered unit in ``gkdesk/cases/actions/`` (its ``ActionSpec``, its
precondition, its ``apply``); this module is the engine that runs them and keeps the public
API (``ACTIONS``, ``available_actions``, ``field_choices``, ``perform``…). No module outside
gkdesk/cases writes a case's columns (tests/test_architecture.py checks it).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gkdesk import audit, changes
from gkdesk.actors import Actor, require
from gkdesk.cases import deadlines
from gkdesk.cases.actions import REGISTRY, Action, ActionSpec, FieldSpec  # noqa: F401  (public API)
from gkdesk.cases.actions._common import DATE as _DATE
from gkdesk.cases.actions._common import TODAY as _TODAY
from gkdesk.cases.actions._common import open_consultations
from gkdesk.cases.actions.closing import REPLY_LETTER_KINDS, missing_for_archive  # noqa: F401  (public API)
from gkdesk.cases.actions.handling import applicant_items_this_month  # noqa: F401  (public API)
from gkdesk.db import write_transaction
from gkdesk.db.models import Case, utcnow
from gkdesk.domain import outcomes as oc
from gkdesk.domain import terms
from gkdesk.errors import ConflictError, NotFound, ValidationError, WorkflowError


# ------------------------------------------------------------------ action descriptions


ACTIONS: dict[str, ActionSpec] = {code: a.spec for code, a in REGISTRY.items()}
"""Every action's description, in process order (the registry in gkdesk/cases/actions/)."""

# Actions allowed on an archived (read-only) case.
ARCHIVED_ALLOWED = ("reopen", "proceeding_add", "proceeding_result")


# ------------------------------------------------------------------ helpers

def get_case(case_id: int) -> Case:
    case = Case.get_or_none(Case.id == case_id)
    if case is None:
        raise NotFound(f"找不到案件（编号 {case_id}）")
    return case


def find_case(number: str) -> Case:
    case = Case.get_or_none(Case.number == number.strip())
    if case is None:
        raise NotFound(f"找不到受理编号为“{number}”的案件")
    return case


def available_actions(case: Case, actor: Actor, today: dt.date | None = None) -> list[ActionSpec]:
    """The actions this actor may take on this case now, in process order."""
    today = today or deadlines.today()
    out = []
    for spec in ACTIONS.values():
        if case.stage not in spec.stages:
            continue
        if not actor.has(*spec.roles):
            continue
        if REGISTRY[spec.code].precondition(case, today):
            continue
        out.append(spec)
    return out


def field_choices(case: Case, spec: ActionSpec, fs: FieldSpec) -> tuple:
    """Choices of a field that depend on the case (open consultations, proceedings)."""
    if fs.name == "consultation_id":
        return tuple((c.id, f"{c.party}（{c.sent_date.isoformat()}发出，{c.answer_due.isoformat()}到期）")
                     for c in open_consultations(case))
    if fs.name == "proceeding_id":
        return tuple((p.id, f"{terms.label_of(terms.PROCEEDING_KINDS, p.kind)} {p.body}（{p.filed_date.isoformat()}）")
                     for p in case.proceedings if p.result is None)
    return fs.choices


def _clean_inputs(spec: ActionSpec, inputs: dict, today: dt.date) -> dict:
    out: dict = {}
    problems: list[str] = []
    for fs in spec.fields:
        value = inputs.get(fs.name, None)
        if value is None and fs.default is not None:
            value = today if fs.default == _TODAY else fs.default
        if isinstance(value, str):
            value = value.strip()
            if fs.kind == _DATE and value:
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    problems.append(f"{fs.label}：日期格式应为 YYYY-MM-DD")
                    continue
            if fs.kind == "int" and value:
                try:
                    value = int(value)
                except ValueError:
                    problems.append(f"{fs.label}：请填写整数")
                    continue
        if value in (None, "") and fs.required:
            problems.append(f"{fs.label}：必须填写")
            continue
        if fs.kind == "choice" and fs.choices and value not in (None, "") and \
                value not in [c for c, _ in fs.choices]:
            problems.append(f"{fs.label}：“{value}”不是可选的值")
            continue
        if fs.kind == _DATE and value not in (None, "") and not isinstance(value, dt.date):
            problems.append(f"{fs.label}：请填写日期")
            continue
        out[fs.name] = value
    unknown = set(inputs) - {f.name for f in spec.fields}
    if unknown:
        problems.append(f"未知的输入项：{'、'.join(sorted(unknown))}")
    if problems:
        raise ValidationError("；".join(problems), problems[0].split("：")[0], problems)
    return out


def _list_columns() -> frozenset[str]:
    from gkdesk.cases.query import LIST_FIELDS

    return frozenset(f.name for f in LIST_FIELDS) | {"applicant_initials", "id_number"}


# What the case list shows, sorts by or searches: a change to one of these recounts it.
LIST_COLUMNS = _list_columns()


def _snapshot(case: Case) -> dict:
    return {f: getattr(case, f) for f in case._meta.fields if f not in ("created_at", "updated_at")}


def _diff(before: dict, after: dict) -> dict:
    return {k: [before[k], after[k]] for k in before if before[k] != after[k] and k != "version"}


# ------------------------------------------------------------------ the service

def perform(case_id: int, code: str, actor: Actor, *, expected_version: int | None = None,
            today: dt.date | None = None, **inputs) -> Case:
    """Carry out action ``code`` on the case; returns the updated case."""
    spec = ACTIONS.get(code)
    if spec is None:
        raise WorkflowError(f"未知的操作：{code}")
    today = today or deadlines.today()
    with write_transaction():
        case = get_case(case_id)
        if expected_version is not None and case.version != expected_version:
            raise ConflictError(f"案件 {case.number} 已被他人修改（{case.updated_at:%Y-%m-%d %H:%M}），请刷新后重试")
        if case.stage == "archived" and code not in ARCHIVED_ALLOWED:
            raise WorkflowError(f"案件 {case.number} 已归档，只读；如需修改，请由管理员重新打开")
        require(actor, spec.roles, spec.label)
        if case.stage not in spec.stages:
            allowed = "、".join(terms.label_of(terms.STAGES, s) for s in spec.stages)
            raise WorkflowError(f"“{spec.label}”只能在{allowed}阶段进行，案件 {case.number} 当前为"
                                f"{terms.label_of(terms.STAGES, case.stage)}")
        act: Action = REGISTRY[code]
        why = act.precondition(case, today)
        if why:
            raise WorkflowError(f"不能{spec.label}：{why}")
        values = _clean_inputs(spec, inputs, today)
        before = _snapshot(case)
        from_stage = case.stage
        summary, details = act.apply(case, values, actor, today)
        _refresh_due(case, today)
        case.version += 1
        case.updated_at = utcnow()
        case.save()
        after = _snapshot(case)
        diff = _diff(before, after)
        audit.record(code, case=case, user=actor.username, from_stage=from_stage, to_stage=case.stage,
                     summary=summary, details={"inputs": values, "changes": diff, **(details or {})})
        # the case list is recounted only when what it shows, sorts or searches changed
        changes.note_case(case.id, list_changed=bool(LIST_COLUMNS.intersection(diff)))
    return case


def record_reply_letter(case_id: int, number: str) -> None:
    """The letter carrying the decision gives the case its 答复文号 (a ledger column). Called by
    ``documents.service.issue`` inside its transaction: the one write of a case's columns
    outside an action, kept here so that no module outside gkdesk/cases writes them."""
    with write_transaction():
        Case.update(reply_number=number, version=Case.version + 1, updated_at=utcnow()).where(
            Case.id == case_id).execute()
        changes.note_case(case_id, list_changed="reply_number" in LIST_COLUMNS)


def _refresh_due(case: Case, today: dt.date) -> None:
    deadlines.refresh(case, cal=deadlines.calendar(), on=today)      # the one owner of due date / provisional / paused


# -- individual actions: each returns (summary, extra details) and mutates ``case`` --------


# ------------------------------------------------------------------ reading a case

@dataclass
class TimelineEntry:
    at: dt.datetime
    user: str
    action: str
    summary: str
    from_stage: str | None
    to_stage: str | None


def timeline(case: Case) -> list[TimelineEntry]:
    from gkdesk.db.models import CaseEvent

    from gkdesk.db.models import User

    names = {u.username: u.display_name for u in User.select(User.username, User.display_name)}
    names.setdefault("system", "系统")
    return [TimelineEntry(e.at, names.get(e.user, e.user), e.action, e.summary, e.from_stage, e.to_stage)
            for e in CaseEvent.select().where(CaseEvent.case == case).order_by(CaseEvent.id)]


def due_status(case: Case, on: dt.date | None = None) -> deadlines.DueStatus:
    """How the case's due date reads on ``on``; a paused case's date is live (moves daily)."""
    due, provisional = deadlines.shown_due(case, on)
    return deadlines.status(due, provisional, open_case=case.stage in terms.OPEN_STAGES,
                            paused=case.paused, on=on)


# ------------------------------------------------------------------ repeat requests

def _grams(text: str) -> set[str]:
    t = "".join((text or "").split())
    return {t[i:i + 2] for i in range(len(t) - 1)} or ({t} if t else set())


def similarity(a: str, b: str) -> float:
    ga, gb = _grams(a), _grams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / len(ga | gb)


@dataclass
class SimilarCase:
    case_id: int
    number: str
    received_date: dt.date
    stage: str
    outcome: str | None
    reply_date: dt.date | None
    score: float
    content: str


def similar_cases(applicant_name: str, id_number: str, content: str, exclude_id: int | None = None,
                  threshold: float = 0.5, limit: int = 10) -> list[SimilarCase]:
    """Earlier cases of the same applicant asking for similar information (Art. 36(6))."""
    cond = (Case.applicant_name == applicant_name.strip())
    if id_number:
        cond = cond | (Case.id_number == id_number.strip().upper())
    q = Case.select().where(cond)
    if exclude_id:
        q = q.where(Case.id != exclude_id)
    found = []
    for c in q.order_by(Case.received_date.desc()).limit(500):
        s = similarity(content, c.content)
        if s >= threshold:
            found.append(SimilarCase(c.id, c.number, c.received_date, c.stage, c.outcome, c.reply_date,
                                     round(s, 2), c.content))
    found.sort(key=lambda x: (-(x.reply_date is not None), -x.score))
    return found[:limit]


def repeat_warning(applicant_name: str, id_number: str, content: str, exclude_id: int | None = None) -> str:
    """The clerk's warning of likely repeat requests (Art. 36(6)); "" when there are none."""
    if not (applicant_name or "").strip() or not (content or "").strip():
        return ""
    found = similar_cases(applicant_name, id_number or "", content, exclude_id=exclude_id)
    if not found:
        return ""
    from gkdesk.cases import precedents

    parts = []
    for f in found[:3]:
        state = (f"已于{f.reply_date.isoformat()}答复（{oc.OUTCOMES[f.outcome].label}）"
                 if f.reply_date and f.outcome else terms.label_of(terms.STAGES, f.stage))
        if f.reply_date:
            letter, said = precedents.answer_of(f.case_id)     # the earlier answer, as the precedents show it
            state += (f"，答复书{letter}" if letter else "") + (f"：“{said}”" if said else "")
        parts.append(f"{f.number}，{state}，相似度{round(f.score * 100)}%")
    more = f"等{len(found)}件" if len(found) > 3 else ""
    return ("可能是重复申请（《条例》第三十六条第六项）：同一申请人的" + "；".join(parts) + more +
            "。请对照原答复决定是否按重复申请处理。")
