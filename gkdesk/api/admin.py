"""Administration for the screens: office settings (administrators only, checked in the
core), the database being open, users. Returns plain values."""
from __future__ import annotations

from typing import Any

from gkdesk.actors import Actor

__all__ = ["save_settings", "settings_values", "open_database", "close_database", "current_database",
           "close_thread_connection", "missing_database", "quick_check_deferred", "DatabaseLocked", "DatabaseReadOnly", "utcnow"]

from gkdesk.db.connection import DatabaseLocked, DatabaseReadOnly  # noqa: E402  (errors the GUI tells apart)
from gkdesk.db.models import utcnow  # noqa: E402


def settings_values() -> dict[str, Any]:
    from gkdesk import settings

    return settings.get_all()


def save_settings(values: dict[str, Any], actor: Actor) -> None:
    """Validate and save the office's settings in one transaction; only an administrator."""
    from gkdesk import settings

    settings.save(values, actor)


def open_database(target, **kwargs):
    from gkdesk.db import open_database as _open

    return _open(target, **kwargs)


def close_database() -> None:
    from gkdesk.db import close_database as _close

    _close()


def current_database():
    from gkdesk.db import current

    return current()


def missing_database(target):
    """The path of ``target`` when it names a database file that does not exist, else None."""
    from gkdesk.db.connection import missing_database as _missing

    return _missing(target)


def quick_check_deferred():
    from gkdesk.db.connection import quick_check_deferred as _check

    return _check()


def close_thread_connection() -> None:
    """peewee keeps one connection per thread: close this (worker) thread's one."""
    from gkdesk.db.models import db

    if db.obj is not None and not db.is_closed():
        db.close()
