"""The reasons library (gkdesk.cases.reasons) for the GUI: frozen ``Entry`` records."""
from __future__ import annotations

from gkdesk.actors import Actor
from gkdesk.cases import reasons as core
from gkdesk.cases.reasons import Entry
from gkdesk.domain.reasons import ACTION_FIELDS, CATEGORIES, categories_for_action

__all__ = ["Entry", "CATEGORIES", "ACTION_FIELDS", "for_action", "entries", "history", "save", "retire",
           "restore_default", "restore_version", "outcomes_of", "categories_for_action"]


def for_action(action: str, outcome: str | None = None) -> tuple[Entry, ...]:
    """The kept texts that fit the reason field of a workflow action (outcome's own first)."""
    out: list[Entry] = []
    for cat in categories_for_action(action, outcome):
        out += core.entries(cat, outcome=outcome if action in ("reply", "reply_on_spot") else None)
    return tuple(out)


def entries(category: str | None = None, include_retired: bool = False) -> tuple[Entry, ...]:
    return tuple(core.entries(category, include_retired=include_retired))


def history(key: str) -> tuple[Entry, ...]:
    return tuple(core.history(key))


def save(actor: Actor, **kw) -> Entry:
    return core.save(actor, **kw)


def retire(actor: Actor, key: str) -> Entry:
    return core.retire(actor, key)


def restore_default(actor: Actor, key: str) -> Entry:
    return core.restore_default(actor, key)


def restore_version(actor: Actor, key: str, version: int) -> Entry:
    return core.restore_version(actor, key, version)


def outcomes_of(category: str) -> tuple[tuple[str, str], ...]:
    """(code, label) of the outcomes whose reasons fall in ``category`` (empty for the notices)."""
    from gkdesk.domain import outcomes as oc
    from gkdesk.domain.reasons import category_of_outcome

    return tuple((code, o.description) for code, o in oc.OUTCOMES.items()
                 if category_of_outcome(code) == category)
