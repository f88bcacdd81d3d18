"""What a write changed: a Qt-free change feed from the core to whoever shows the data.

Every write of gkdesk runs in ``gkdesk.db.connection.write_transaction()``. While it is
open, the core notes what it changes (``note_case``, ``note``); ``audit.record`` notes the
case of every event by itself. When the outermost write transaction commits, the collected
``Changes`` are published to every subscriber with the *initiator* of the write (an opaque
token the caller set with ``initiated_by``; the GUI's operations pass the screen that asked
for the write, so a screen can skip the refresh of a change it made itself). A rolled-back
transaction publishes nothing.

Subscribers are called on the thread that committed; the GUI bridges them to a Qt signal
delivered on the UI thread (``gkdesk.ui.ops``). The core never imports Qt.

Topics are the areas a screen can show; ``TOPICS`` lists them with their Chinese names.
A case change that alters what the case list shows or counts (a new case, a stage, a
due date, an applicant's name) sets ``case_list``; a change to a case's inner records only
(an attachment, a document, a note) names the case and leaves ``case_list`` false, so the
list is not recounted.
"""
from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

log = logging.getLogger(__name__)

# Every topic a write can name. Keep the keys stable: screens subscribe by them.
TOPICS: dict[str, str] = {
    "cases": "案件",
    "documents": "文书",
    "units": "单位与附件表",
    "rounds": "收集轮次",
    "settings": "设置",
    "templates": "文书模板",
    "calendar": "节假日",
    "users": "用户",
    "reports": "年度报告与台账",
    "reviews": "年度评查",
    "tasks": "工作任务与报送",
    "catalogue": "标准目录",
    "annual_document": "年度报告正文",
    "register": "主动公开登记（表二）",
    "reasons": "理由库",
    "handoffs": "交办",
    "post": "邮寄",
    "restore": "恢复备份",
}


@dataclass(frozen=True)
class Changes:
    """What one committed write changed. Falsy when nothing was noted."""

    cases: frozenset[int] = frozenset()   # ids of cases whose facts or records changed
    case_list: bool = False               # the case list's rows or counts may differ
    topics: frozenset[str] = frozenset()  # other areas touched (keys of TOPICS)
    everything: bool = False              # e.g. a restore: every screen reloads

    def __bool__(self) -> bool:
        return bool(self.cases or self.case_list or self.topics or self.everything)

    def touches(self, *topics: str) -> bool:
        """True when any of ``topics`` changed ("cases" is true for any case change)."""
        if self.everything:
            return True
        for t in topics:
            if t in self.topics or (t == "cases" and (self.cases or self.case_list)):
                return True
        return False

    def touches_case(self, case_id: int) -> bool:
        return self.everything or case_id in self.cases

    def merge(self, other: "Changes") -> "Changes":
        return Changes(self.cases | other.cases, self.case_list or other.case_list,
                       self.topics | other.topics, self.everything or other.everything)


EVERYTHING = Changes(everything=True)


@dataclass
class _Pending:
    cases: set[int] = field(default_factory=set)
    case_list: bool = False
    topics: set[str] = field(default_factory=set)
    everything: bool = False

    def freeze(self) -> Changes:
        return Changes(frozenset(self.cases), self.case_list, frozenset(self.topics), self.everything)


_local = threading.local()
_initiator: contextvars.ContextVar[Any] = contextvars.ContextVar("gkdesk_change_initiator", default=None)
_subscribers: list[Callable[[Changes, Any], None]] = []
_sub_lock = threading.Lock()


def _stack() -> list[_Pending]:
    st = getattr(_local, "stack", None)
    if st is None:
        st = _local.stack = []
    return st


def _current() -> _Pending | None:
    st = _stack()
    return st[0] if st else None


def _check_topic(topic: str) -> None:
    if topic not in TOPICS:
        raise ValueError(f"unknown change topic {topic!r}; add it to gkdesk.changes.TOPICS")


def note(*topics: str) -> None:
    """Note that the running write transaction changes these areas (no-op outside one)."""
    p = _current()
    for t in topics:
        _check_topic(t)
        if p is not None:
            p.topics.add(t)


def note_case(case_id: int | None, *, list_changed: bool = False) -> None:
    """Note a change to one case; ``list_changed`` when the case list's rows or counts may
    differ (new case, stage, due date, list columns)."""
    p = _current()
    if p is None:
        return
    if case_id is not None:
        p.cases.add(int(case_id))
    if list_changed:
        p.case_list = True


def note_case_list() -> None:
    """Note that the case list may differ without naming cases (bulk import, calendar)."""
    p = _current()
    if p is not None:
        p.case_list = True


def note_everything() -> None:
    """Every screen reloads after this write (a restore, a database swap)."""
    p = _current()
    if p is not None:
        p.everything = True


@contextlib.contextmanager
def collecting() -> Iterator[None]:
    """Wrap one write transaction: collect what it notes, publish after it commits.

    Nested uses (a service calling another service inside its transaction) merge into the
    outermost one, which publishes once. Used by ``write_transaction``; other callers only
    for writes that do not go through it.
    """
    st = _stack()
    outer = not st
    st.append(_Pending() if outer else st[0])
    ok = False
    try:
        yield
        ok = True
    finally:
        pending = st.pop()
        if outer and ok:
            changes = pending.freeze()
            if changes:
                publish(changes)


@contextlib.contextmanager
def initiated_by(token: Any) -> Iterator[None]:
    """Writes made inside carry ``token`` as their initiator (e.g. the screen that asked)."""
    reset = _initiator.set(token)
    try:
        yield
    finally:
        _initiator.reset(reset)


def current_initiator() -> Any:
    return _initiator.get()


def publish(changes: Changes, initiator: Any = None) -> None:
    """Tell every subscriber; exceptions of one subscriber are logged, not raised."""
    if initiator is None:
        initiator = _initiator.get()
    with _sub_lock:
        subs = list(_subscribers)
    for fn in subs:
        try:
            fn(changes, initiator)
        except Exception:  # noqa: BLE001 - one bad listener must not undo a committed write
            log.exception("变更通知的订阅者出错")


def subscribe(fn: Callable[[Changes, Any], None]) -> Callable[[], None]:
    """Call ``fn(changes, initiator)`` after every committed write; returns unsubscribe."""
    with _sub_lock:
        _subscribers.append(fn)

    def unsubscribe() -> None:
        with _sub_lock:
            if fn in _subscribers:
                _subscribers.remove(fn)

    return unsubscribe


def combine(items: Iterable[Changes]) -> Changes:
    out = Changes()
    for c in items:
        out = out.merge(c)
    return out
