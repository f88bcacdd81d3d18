"""Administration for the screens: office settings (administrators only, checked in the
core), the database being open, users (frozen ``UserView`` records; every change an
administrator's, checked in ``gkdesk.auth``), the office's holiday table (reviewers and
administrators, checked in ``gkdesk.cases.holidays``). Returns plain values."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from gkdesk.actors import Actor

__all__ = ["save_settings", "settings_values", "open_database", "close_database", "current_database",
           "close_thread_connection", "missing_database", "quick_check_deferred", "DatabaseLocked", "DatabaseReadOnly", "utcnow",
           "UserView", "HolidayYear"]

from gkdesk.db.connection import DatabaseLocked, DatabaseReadOnly  # noqa: E402  (errors the GUI tells apart)
from gkdesk.db.models import utcnow  # noqa: E402


def data_dir():
    """The user's data folder (logs, fonts, backups by default)."""
    from gkdesk.settings import data_dir as core

    return core()


def settings_options() -> tuple:
    """The office's options (frozen ``gkdesk.settings.Option``: key, title, default, kind, group)."""
    from gkdesk import settings

    return settings.OPTIONS


def setting(key: str) -> Any:
    """One office setting's value (its default when not set)."""
    from gkdesk import settings

    return settings.get(key)


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


# ---------------------------------------------------------------------- users
def first_run() -> bool:
    """True while no user exists: the GUI then asks for the first administrator."""
    from gkdesk import auth

    return auth.first_run()


def authenticate(username: str, password: str, *, purpose: str = "login") -> Actor:
    """The ``Actor`` of the user whose name and password these are, else ``AuthError``
    (a wrong password counts towards the lockout: a write)."""
    from gkdesk import auth

    return auth.authenticate(username, password, purpose=purpose)


def create_first_admin(username: str, display_name: str, password: str) -> Actor:
    """First run: create the administrator (refused once any user exists) and log in."""
    from gkdesk import auth

    auth.create_user(None, username, display_name, ["admin"], password)
    return auth.authenticate(username, password)


@dataclass(frozen=True)
class UserView:
    username: str
    display_name: str
    roles: frozenset
    active: bool
    locked_until: dt.datetime | None      # aware; None when not locked now

    @property
    def role_set(self) -> frozenset:
        return self.roles


def _user_view(u, now=None) -> UserView:
    from gkdesk import auth

    locked = auth._aware(u.locked_until)
    if locked is not None and locked <= (now or utcnow()):
        locked = None
    return UserView(u.username, u.display_name or "", frozenset(u.role_set), bool(u.active), locked)


def list_users() -> tuple[UserView, ...]:
    from gkdesk import auth

    now = utcnow()
    return tuple(_user_view(u, now) for u in auth.list_users())


def check_username(username: str) -> str:
    from gkdesk import auth

    return auth.check_username(username)


def check_roles(roles) -> list[str]:
    from gkdesk import auth

    return auth.check_roles(roles)


def check_password(password: str, username: str = "", field: str = "密码") -> str:
    from gkdesk import auth

    return auth.check_password(password, username, field)


def create_user(actor: Actor, username: str, display_name: str, roles, password: str) -> UserView:
    from gkdesk import auth

    return _user_view(auth.create_user(actor, username, display_name, roles, password))


def update_user(actor: Actor, username: str, *, display_name: str | None = None, roles=None,
                active: bool | None = None) -> UserView:
    from gkdesk import auth

    return _user_view(auth.update_user(actor, username, display_name=display_name, roles=roles, active=active))


def set_password(actor: Actor, username: str, new_password: str) -> None:
    from gkdesk import auth

    auth.set_password(actor, username, new_password)


def unlock_user(actor: Actor, username: str) -> None:
    from gkdesk import auth

    auth.unlock_user(actor, username)


# ---------------------------------------------------------------------- holidays
@dataclass(frozen=True)
class HolidayYear:
    year: int
    status: str            # "office" (entered here), "package" (chinese-calendar), "unknown"
    text: str              # the office's entries as editable lines ("" unless status is office)


def today() -> dt.date:
    from gkdesk.cases import deadlines

    return deadlines.today()


def holiday_year(year: int) -> HolidayYear:
    from gkdesk.cases import holidays

    status = holidays.year_status(year)
    return HolidayYear(year, status, holidays.year_as_text(year) if status == "office" else "")


def set_holidays(year: int, text: str, actor: Actor, source: str = "手工录入") -> int:
    """Save a year's holidays and 调休 workdays; returns how many open cases' due dates moved
    (reviewers and administrators; one transaction)."""
    from gkdesk.cases import holidays

    return holidays.set_year(year, text, actor, source=source)
