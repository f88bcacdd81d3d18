"""The reasons library: kept texts, each with its article, per category of
gkdesk.domain.reasons. Defaults ship with gkdesk (version 0, never stored); every edit,
retirement, restoration or new entry is a stored version with who and when, so an old
letter's text can always be traced (like document templates).

    entries(category=None)            → the texts in use, newest version of each
    save(actor, key=None, ...)        → a new version of ``key`` (or a new entry)
    retire(actor, key) / restore_default(actor, key)
    history(key)                      → every version, newest first
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

import peewee as pw

from gkdesk import audit, changes
from gkdesk.actors import Actor, require
from gkdesk.db import write_transaction
from gkdesk.db.desk_models import ReasonText
from gkdesk.domain import outcomes as oc
from gkdesk.domain import reasons as dr
from gkdesk.errors import NotFound, ValidationError

EDIT_ROLES = ("reviewer", "leader", "admin")       # change or retire a kept text
ADD_ROLES = ("clerk", "reviewer", "leader", "admin")  # save a typed text as a new entry
TEXT_MAX = 2000


@dataclass(frozen=True)
class Entry:
    key: str
    version: int                 # 0 = gkdesk's default
    category: str
    outcome: str
    title: str
    text: str
    article: str
    retired: bool = False
    created_by: str = ""
    created_at: str = ""
    note: str = ""

    @property
    def is_default(self) -> bool:
        return self.version == 0

    @property
    def category_label(self) -> str:
        return dr.CATEGORIES.get(self.category, self.category)


def _from_default(d: dr.DefaultReason) -> Entry:
    return Entry(d.key, 0, d.category, d.outcome, d.title, d.text, d.article)


def _from_row(r: ReasonText) -> Entry:
    return Entry(r.key, r.version, r.category, r.outcome, r.title, r.text, r.article, r.retired,
                 r.created_by, r.created_at.isoformat(timespec="seconds") if r.created_at else "", r.note)


def _latest_rows() -> dict[str, ReasonText]:
    latest = (ReasonText.select(ReasonText.key, pw.fn.MAX(ReasonText.version).alias("v"))
              .group_by(ReasonText.key))
    rows = (ReasonText.select().join(latest, on=((ReasonText.key == latest.c.key)
                                                 & (ReasonText.version == latest.c.v))))
    return {r.key: r for r in rows}


def entries(category: str | None = None, *, outcome: str | None = None,
            include_retired: bool = False) -> list[Entry]:
    """The texts in use (defaults first, in domain order, then the office's own)."""
    stored = _latest_rows()
    out: list[Entry] = []
    for d in dr.defaults():
        r = stored.pop(d.key, None)
        out.append(_from_row(r) if r is not None else _from_default(d))
    out.extend(_from_row(r) for r in sorted(stored.values(), key=lambda r: r.id))
    if category:
        out = [e for e in out if e.category == category]
    if outcome:
        # texts of this outcome first, then the category's general ones
        out = [e for e in out if e.outcome in (outcome, "")]
        out.sort(key=lambda e: e.outcome != outcome)
    if not include_retired:
        out = [e for e in out if not e.retired]
    return out


def get(key: str) -> Entry:
    for e in entries(include_retired=True):
        if e.key == key:
            return e
    raise NotFound(f"理由库中没有“{key}”这一条", field="理由")


def history(key: str) -> list[Entry]:
    rows = [_from_row(r) for r in ReasonText.select().where(ReasonText.key == key)
            .order_by(ReasonText.version.desc())]
    d = next((d for d in dr.defaults() if d.key == key), None)
    return rows + ([_from_default(d)] if d else [])


def _clean(category: str, outcome: str, title: str, text: str, article: str) -> tuple[str, str, str, str, str]:
    problems = []
    if category not in dr.CATEGORIES:
        problems.append(f"类别：请从{'、'.join(dr.CATEGORIES.values())}中选择")
    outcome = (outcome or "").strip()
    if outcome and (outcome not in oc.OUTCOMES or dr.category_of_outcome(outcome) != category):
        problems.append("办理结果：与所选类别不符")
    text = (text or "").strip()
    title = " ".join((title or "").split()) or text[:24]
    article = (article or "").strip()
    if not text:
        problems.append("理由：必须填写（写明具体理由）")
    elif len(text) > TEXT_MAX:
        problems.append(f"理由：不能超过{TEXT_MAX}字（现有{len(text)}字）")
    if len(title) > 200:
        problems.append("标题：不能超过200字")
    if problems:
        raise ValidationError("；".join(problems), problems[0].split("：")[0], problems)
    return category, outcome, title, text, article


def save(actor: Actor, *, key: str | None = None, category: str, outcome: str = "", title: str = "",
         text: str, article: str = "", note: str = "") -> Entry:
    """Store a new version of entry ``key``, or a new entry when ``key`` is None."""
    require(actor, EDIT_ROLES if key else ADD_ROLES, "修改理由库" if key else "保存到理由库")
    category, outcome, title, text, article = _clean(category, outcome, title, text, article)
    with write_transaction():
        if key is None:
            same = [e for e in entries(category) if e.text == text]
            if same:
                raise ValidationError(f"理由：理由库中已有相同的理由（“{same[0].title}”）", "理由")
            key = f"office:{uuid.uuid4().hex[:12]}"
            last = 0
        else:
            get(key)
            last = ReasonText.select(pw.fn.MAX(ReasonText.version)).where(ReasonText.key == key).scalar() or 0
        row = ReasonText.create(key=key, version=last + 1, category=category, outcome=outcome, title=title,
                                text=text, article=article, created_by=actor.username, note=note)
        changes.note("reasons")
        audit.record("reasons.save", user=actor.username,
                     summary=f"理由库：{'新增' if last == 0 else '修改'}“{title}”（第{row.version}版）",
                     details={"key": key, "version": row.version, "category": category, "text": text,
                              "article": article})
    return _from_row(row)


def retire(actor: Actor, key: str) -> Entry:
    """Take an entry out of the pick lists (a new version; older letters keep their text)."""
    e = get(key)
    require(actor, EDIT_ROLES, "停用理由库中的理由")
    with write_transaction():
        last = ReasonText.select(pw.fn.MAX(ReasonText.version)).where(ReasonText.key == key).scalar() or 0
        row = ReasonText.create(key=key, version=last + 1, category=e.category, outcome=e.outcome, title=e.title,
                                text=e.text, article=e.article, retired=True, created_by=actor.username,
                                note="停用")
        changes.note("reasons")
        audit.record("reasons.retire", user=actor.username, summary=f"理由库：停用“{e.title}”",
                     details={"key": key, "version": row.version})
    return _from_row(row)


def restore_default(actor: Actor, key: str) -> Entry:
    d = next((d for d in dr.defaults() if d.key == key), None)
    if d is None:
        raise NotFound("这一条不是 gkdesk 自带的理由，没有默认文字", field="理由")
    return save(actor, key=key, category=d.category, outcome=d.outcome, title=d.title, text=d.text,
                article=d.article, note="恢复默认")


def restore_version(actor: Actor, key: str, version: int) -> Entry:
    """Bring back an earlier version of ``key`` as its newest (version 0: gkdesk's default)."""
    if version == 0:
        return restore_default(actor, key)
    old = next((e for e in history(key) if e.version == version), None)
    if old is None:
        raise NotFound(f"理由库中“{key}”没有第{version}版", field="理由")
    return save(actor, key=key, category=old.category, outcome=old.outcome, title=old.title, text=old.text,
                article=old.article, note=f"恢复第{version}版")
