"""Maintenance for the GUI: the first-run demo database (``gkdesk.firstrun``), the data
check (``gkdesk.integrity``) and backups (``gkdesk.backup``). Records are frozen
(``BackupInfo``, ``RestoreResult``, ``CheckResult``); restoring takes the acting user and
the core checks the administrator role itself."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gkdesk import backup as _backup
from gkdesk import firstrun as _firstrun
from gkdesk.actors import Actor
from gkdesk.backup import KEEP_DAILY, KEEP_MONTHLY, BackupCancelled, BackupInfo, RestoreResult

__all__ = ["DEMO_CASES", "demo_database_path", "is_new_database", "has_cases", "is_demo_database",
           "discard_demo_database", "fill_demo_database", "CheckResult", "run_check",
           "KEEP_DAILY", "KEEP_MONTHLY", "BackupCancelled", "BackupInfo", "RestoreResult", "backup_dir",
           "list_backups", "load_backup", "create_backup", "restore", "record_restore", "daily_backup"]

# ------------------------------------------------------------------ first run: the demo database
DEMO_CASES = _firstrun.DEMO_CASES


def demo_database_path() -> Path:
    return _firstrun.demo_database_path()


def is_new_database() -> bool:
    """The open database is new (no cases, no users beyond the first): offer the welcome."""
    return _firstrun.is_new_database()


def has_cases() -> bool:
    return _firstrun.has_cases()


def is_demo_database(path) -> bool:
    return _firstrun.is_demo_database(path)


def discard_demo_database() -> list[Path]:
    return _firstrun.discard_demo_database()


def fill_demo_database(progress=None) -> dict:
    """The demo cases and units generated into the open demo database, in one transaction."""
    return _firstrun.fill_demo_database(progress=progress)


# ------------------------------------------------------------------ the data check
@dataclass(frozen=True)
class CheckResult:
    ok: bool
    summary: str
    problems: tuple[str, ...]


def run_check(progress=None) -> CheckResult:
    """The whole data check (database file, stored files, audit anchors); read only."""
    from gkdesk import integrity

    report = integrity.run_check(progress)
    return CheckResult(ok=report.ok, summary=report.summary(), problems=tuple(report.problems))


# ------------------------------------------------------------------ backups
def backup_dir() -> Path:
    return _backup.backup_dir()


def list_backups(folder) -> list[BackupInfo]:
    return _backup.list_backups(folder)


def load_backup(path) -> BackupInfo:
    return _backup.load_backup(path)


def create_backup(folder, *, kind: str = "manual", progress=None, cancelled=None) -> BackupInfo:
    return _backup.create_backup(folder, kind=kind, progress=progress, cancelled=cancelled)


def restore(info: BackupInfo, actor: Actor, *, safety_dir=None, progress=None) -> RestoreResult:
    """Replace the open database with the backup (administrators only, checked here by
    the core); call ``record_restore`` once the restored database is open again."""
    return _backup.restore(info, actor=actor, safety_dir=safety_dir, progress=progress)


def record_restore(result: RestoreResult, actor: Actor) -> None:
    _backup.record_restore(result, actor)


def daily_backup(reason: str) -> BackupInfo | None:
    """The automatic backup at start (``"start"``) or exit (``"exit"``), when one is due."""
    return _backup.maybe_daily_backup(reason)
