"""The audit trail: every change is an event (who, when, what, before → after).

Events are append-only and hash-chained: each carries the SHA-256 of the previous event's
hash and its own content, so an edited or deleted event breaks the chain (``verify_chain``).
Call ``record`` inside the transaction that makes the change.

``record`` also tells the change feed (``gkdesk.changes``) what the write touched: the
event's case (a change of stage alters the case list) and the area its action belongs to
(``TOPIC_OF_ACTION``), so every audited write reaches the screens without each service
noting it by hand. A service notes more itself when it changes more (e.g. due dates).

Each database has an identity (a UUID) fixed when it is created, recorded in its first
audit event (action ``IDENTITY_ACTION``; a database of an earlier release gets it on
migration, in the event recorded then) and kept in the setting ``IDENTITY_KEY`` for quick
reading. Backups carry it in their manifest, so their audit anchors are compared only with
the database they were taken of (gkdesk.integrity).
"""
from __future__ import annotations

import hashlib
import json

import uuid

from gkdesk import changes
from gkdesk.db.models import CaseEvent, Setting, utcnow

IDENTITY_ACTION = "database_identity"
IDENTITY_KEY = "database.id"


# The change-feed topic of each audited action, by its name or the prefix before the dot.
TOPIC_OF_ACTION: dict[str, str] = {
    "document": "documents",
    "unit": "units",
    "round": "rounds",
    "settings": "settings",
    "seal": "settings",
    "template": "templates",
    "holidays": "calendar",
    "user_add": "users", "user_change": "users", "user_locked": "users", "user_unlock": "users",
    "password_set": "users", "login_failed": "users",
    "report_input": "reports",
    "import": "reports",
}


def _note_changes(action: str, case_id, from_stage, to_stage) -> None:
    # every event's case is part of what the write changed; a change of stage alters the list
    changes.note_case(case_id, list_changed=from_stage != to_stage)
    topic = TOPIC_OF_ACTION.get(action) or TOPIC_OF_ACTION.get(action.split(".", 1)[0])
    if topic is not None:
        changes.note(topic)
    if action == "restore":
        changes.note_everything()


# json.dumps(…, ensure_ascii=False, sort_keys=True, default=str), the encoder built once
_PAYLOAD = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode


def _digest(prev_hash: str, case_id, at: str, user: str, action: str, from_stage, to_stage,
            summary: str, details) -> str:
    payload = _PAYLOAD([prev_hash, case_id, at, user, action, from_stage, to_stage, summary, details])
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
    _note_changes(action, case_id, from_stage, to_stage)
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


def create_identity() -> str:
    """Give the open database its identity (inside the migration that creates it or brings
    it to the schema with identities); returns it. Never changes an identity already given."""
    existing = database_id()
    if existing:
        return existing
    ident = str(uuid.uuid4())
    if Setting.get_or_none(Setting.key == IDENTITY_KEY) is None:
        Setting.create(key=IDENTITY_KEY, value=ident)
    else:                                  # an empty value left by hand: fill it
        Setting.update(value=ident).where(Setting.key == IDENTITY_KEY).execute()
    record(IDENTITY_ACTION, summary=f"数据库标识：{ident}", details={"database_id": ident})
    return ident


def database_id() -> str:
    """The open database's identity ("" for a database not yet migrated to have one)."""
    row = Setting.get_or_none(Setting.key == IDENTITY_KEY)
    return str(row.value) if row is not None and row.value else ""


def verify_identity() -> list[str]:
    """The identity setting must be the one the audit trail recorded."""
    ident = database_id()
    ev = (CaseEvent.select(CaseEvent.id, CaseEvent.details).where(CaseEvent.action == IDENTITY_ACTION)
          .order_by(CaseEvent.id).first())
    recorded = (ev.details or {}).get("database_id", "") if ev is not None else ""
    if not ident and not recorded:
        return []
    if ev is None:
        return ["审计记录中没有数据库标识的记录（被删除）"]
    if recorded != ident:
        return [f"数据库标识“{ident}”与审计记录 #{ev.id} 记载的“{recorded}”不一致（被改动）"]
    return []
