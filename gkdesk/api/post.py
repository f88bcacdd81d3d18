"""Post (gkdesk.cases.post) for the GUI."""
from __future__ import annotations

import datetime as dt

from gkdesk.actors import Actor
from gkdesk.api.batch import BatchView, view
from gkdesk.cases import post as core
from gkdesk.cases.batch import Selection
from gkdesk.cases.post import CasePost
from gkdesk.documents.envelope import SIZES

SIZE_CHOICES = tuple((s.code, s.label) for s in SIZES.values())


def envelopes(sel: Selection, path, actor: Actor, size: str = "DL") -> BatchView:
    return view(core.envelopes(sel, path, actor, size=size))


def post_list(sel: Selection, path, actor: Actor, posted_on: dt.date | None = None) -> BatchView:
    return view(core.post_list(sel, path, actor, posted_on=posted_on))


def record_tracking(text: str, actor: Actor) -> int:
    return len(core.record_tracking(text, actor))


def check_tracking(text: str) -> tuple[tuple[int, str], ...]:
    """(line, problem) of each bad line of a pasted list (empty when all are fine)."""
    return tuple((ln.line, ln.problem) for ln in core.parse_tracking(text) if ln.problem)


def case_post(case_id: int) -> CasePost:
    """How one case was served by post (tracking number, date, the postal lists it is on)."""
    return core.case_post(case_id)
