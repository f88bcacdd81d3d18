"""The audit trail: every change is an event (who, when, what, before → after).

Events are append-only and hash-chained: each carries the SHA-256 of the previous event's
hash and its own content, so an edited or deleted event breaks the chain (``verify_chain``).
Call ``record`` inside the transaction that makes the change.
"""
from __future__ import annotations

import hashlib
import json

from gkdesk import changes
from gkdesk.db.models import CaseEvent, utcnow


def _digest(prev_hash: str, case_id, at: str, user: str, action: str, from_stage, to_stage,
            summary: str, details) -> str:
    payload = json.dumps([prev_hash, case_id, at, user, action, from_stage, to_stage, summary, details],
                         ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _last_hash() -> str:
    last = CaseEvent.select(CaseEvent.hash).order_by(CaseEvent.id.desc()).first()
    return last.hash if last else ""


def record(action: str, *, case=None, user: str = "", summary: str = "", from_stage=None,
           to_stage=None, details=None) -> CaseEvent:
    at = utcnow()
    at_s = CaseEvent.at.db_value(at)
    case_id = case.id if case is not None else None
    prev = _last_hash()
    details = json.loads(json.dumps(details, ensure_ascii=False, default=str)) if details is not None else None
    h = _digest(prev, case_id, at_s, user, action, from_stage, to_stage, summary, details)
    # every event's case is part of what the write changed; a change of stage alters the list
    changes.note_case(case_id, list_changed=from_stage != to_stage)
    return CaseEvent.create(case=case_id, at=at_s, user=user, action=action, from_stage=from_stage,
                            to_stage=to_stage, summary=summary, details=details, prev_hash=prev, hash=h)


def _plain(details) -> bool:
    """A dict of text, whole numbers and flags: the JSON round trip would give it back as is."""
    return type(details) is dict and all(type(k) is str and type(v) in (str, int, bool, type(None))
                                         for k, v in details.items())


def record_many(events: list[dict]) -> int:
    """Record many events at once (an import): each dict has the arguments of ``record``,
    with ``case_id`` for the case. The same rows and hash chain as calling ``record`` for
    each in turn, written with one executemany. Call inside the transaction."""
    from gkdesk.db.bulk import bulk_insert

    if not events:
        return 0
    prev = _last_hash()
    rows = []
    for e in events:
        at_s = CaseEvent.at.db_value(e.get("at") or utcnow())
        case_id = e.get("case_id")
        details = e.get("details")
        if details is not None and not _plain(details):
            details = json.loads(json.dumps(details, ensure_ascii=False, default=str))
        user, action, summary = e.get("user", ""), e["action"], e.get("summary", "")
        from_stage, to_stage = e.get("from_stage"), e.get("to_stage")
        h = _digest(prev, case_id, at_s, user, action, from_stage, to_stage, summary, details)
        changes.note_case(case_id, list_changed=from_stage != to_stage)
        rows.append({"case": case_id, "at": at_s, "user": user, "action": action, "from_stage": from_stage,
                     "to_stage": to_stage, "summary": summary, "details": details, "prev_hash": prev, "hash": h})
        prev = h
    bulk_insert(CaseEvent, rows)
    return len(rows)


def verify_chain() -> list[str]:
    """Problems found in the chain (empty when intact), in Chinese, naming the event ids."""
    problems: list[str] = []
    prev = ""
    for ev in CaseEvent.select().order_by(CaseEvent.id).iterator():
        at_s = CaseEvent.at.db_value(ev.at)
        expected = _digest(ev.prev_hash, ev.case_id, at_s, ev.user, ev.action, ev.from_stage,
                           ev.to_stage, ev.summary, ev.details)
        if ev.prev_hash != prev:
            problems.append(f"审计记录 #{ev.id} 之前的记录被删除或改动（链接断开）")
        if ev.hash != expected:
            problems.append(f"审计记录 #{ev.id} 的内容被改动（哈希不符）")
        prev = ev.hash
    return problems
