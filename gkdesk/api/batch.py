"""Several cases at once (gkdesk.cases.batch) for the GUI: frozen results."""
from __future__ import annotations

from dataclasses import dataclass

from gkdesk.actors import Actor
from gkdesk.cases import batch as core
from gkdesk.cases.batch import Selection
from gkdesk.cases.query import CaseFilter

__all__ = ["Selection", "CaseFilter", "BatchView", "ItemView", "count", "print_letters", "archive", "assign",
           "export_ledger"]


@dataclass(frozen=True)
class ItemView:
    case_id: int
    number: str
    message: str


@dataclass(frozen=True)
class BatchView:
    action: str
    total: int
    done: tuple[ItemView, ...]
    refused: tuple[ItemView, ...]
    cancelled: bool
    path: str
    summary: str


def view(res: core.BatchResult) -> BatchView:
    return BatchView(res.action, res.total, tuple(ItemView(o.case_id, o.number, o.message) for o in res.done),
                     tuple(ItemView(o.case_id, o.number, o.message) for o in res.refused), res.cancelled, res.path,
                     res.summary())


def count(sel: Selection) -> int:
    return sel.count()


def print_letters(sel: Selection, path, actor: Actor, progress=None, cancelled=None) -> BatchView:
    return view(core.print_letters(sel, path, actor, progress=progress, cancelled=cancelled))


def archive(sel: Selection, actor: Actor, progress=None, cancelled=None) -> BatchView:
    return view(core.archive(sel, actor, progress=progress, cancelled=cancelled))


def assign(sel: Selection, actor: Actor, section: str, handler: str, progress=None, cancelled=None) -> BatchView:
    return view(core.assign(sel, actor, section=section, handler=handler, progress=progress, cancelled=cancelled))


def export_ledger(sel: Selection, path, actor: Actor, progress=None, cancelled=None) -> int:
    return core.export_ledger(sel, path, actor, progress=progress, cancelled=cancelled)
