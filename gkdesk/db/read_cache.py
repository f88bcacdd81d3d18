"""Reads remembered until the database changes: the answer of a page's read (the year's task
requests, the catalogue's overview) is kept and handed out again while nothing at all has
been committed to the database since — by this process or by any other on the same file.

How "nothing has changed" is known (SQLite): ``PRAGMA data_version`` on a connection of its
own, which this module opens read-only and never writes through. Its value changes whenever
any *other* connection commits — the app's writer thread, its readers, another gkdesk on the
same file — so an unchanged value means an unchanged database. The value is read before the
answer is computed: a commit while it is computed changes it, and the next call computes
again. On a server database (PostgreSQL) there is no such cheap, exact signal: nothing is
remembered and every call reads.

Use only for reads whose answer is immutable (frozen view records, tuples) and depends on
nothing but the database and the arguments (put ``today`` in the arguments when dates
matter). At county scale the 工作任务 page's read took 70–110 ms each time the page was
shown (issue 20); remembered, reopening the page costs a pragma.
"""
from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable

_lock = threading.Lock()
_conn: sqlite3.Connection | None = None
_conn_for: str | None = None
_watched: str | None = None       # the SQLite file the store has open (set by gkdesk.db.connection)
_uri: str | None = None
_answers: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
MAX_ANSWERS = 64


def _generation() -> int | None:
    """The data version of the open database, or None if it cannot be known cheaply."""
    global _conn, _conn_for
    key = _watched
    if key is None:
        return None
    if _conn is None or _conn_for != key:
        _forget_locked()
        try:
            _conn = sqlite3.connect(_uri, uri=True, check_same_thread=False, isolation_level=None)
        except sqlite3.Error:
            return None
        _conn_for = key
    try:
        return _conn.execute("PRAGMA data_version").fetchone()[0]
    except sqlite3.Error:
        _forget_locked()
        return None


def _forget_locked() -> None:
    global _conn, _conn_for
    _answers.clear()
    if _conn is not None:
        try:
            _conn.close()
        except sqlite3.Error:  # pragma: no cover
            pass
    _conn, _conn_for = None, None


def watch(path, uri: str | None = None) -> None:
    """The store opened the SQLite file ``path`` (read-only ``uri`` to watch it by), or a
    server database or none (``path`` None): drop every remembered answer and the watching
    connection (a database closed, replaced by a restore, or migrated is read anew)."""
    global _watched, _uri
    with _lock:
        _forget_locked()
        _watched = str(path) if path is not None else None
        _uri = uri


def forget() -> None:
    """Drop every remembered answer (and the watching connection)."""
    with _lock:
        _forget_locked()


def remembered(key: Hashable, compute: Callable[[], Any]) -> Any:
    """``compute()``, or the answer it gave for ``key`` if the database has not changed since."""
    with _lock:
        gen = _generation()
        if gen is not None:
            hit = _answers.get(key)
            if hit is not None and hit[0] == gen:
                _answers.move_to_end(key)
                return hit[1]
        watched = _conn_for
    value = compute()
    if gen is not None:
        with _lock:
            if _conn_for == watched:
                _answers[key] = (gen, value)
                _answers.move_to_end(key)
                while len(_answers) > MAX_ANSWERS:
                    _answers.popitem(last=False)
    return value
