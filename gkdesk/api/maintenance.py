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
           "list_backups", "load_backup", "create_backup", "restore", "record_restore", "daily_backup",
           "WARM_MODULES", "warm_up"]

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


# ------------------------------------------------------------------ warm-up after start-up
# What the first letter, preview or export would otherwise load while the clerk waits: the
# core's area modules behind the pages, the PDF and xlsx libraries, and the letter fonts
# (reading and parsing the TrueType files). Qt-free, so it runs on a reader thread once the
# window is up (gkdesk.ui.warmup); everything is loaded once per process and kept.
WARM_MODULES = ("gkdesk.api.annual", "gkdesk.api.catalogue", "gkdesk.api.documents", "gkdesk.api.forms",
                "gkdesk.api.reports", "gkdesk.api.tasks", "gkdesk.api.reasons", "gkdesk.api.handoffs",
                "gkdesk.api.post", "gkdesk.api.precedents", "gkdesk.api.batch",
                "reportlab.pdfgen.canvas", "openpyxl", "pypinyin")


def warm_up() -> tuple[str, ...]:
    """Load what the pages' first use needs; returns what could not be loaded (logged, never
    fatal: the page then loads it itself when opened, as without the warm-up)."""
    import importlib
    import logging

    missing = []
    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - a warm-up must not break the app
            logging.getLogger(__name__).warning("预加载 %s 失败：%s", name, exc)
            missing.append(name)
    try:
        # the units' names in pinyin order, as every list of units sorts them (pypinyin's
        # dictionaries took 0.6 s on the first 附件一 opening)
        from gkdesk.forms.units import list_units, name_key

        for u in list_units():
            name_key(u.name)
    except Exception as exc:  # noqa: BLE001
        logging.getLogger(__name__).warning("预加载单位排序失败：%s", exc)
        missing.append("units")
    try:
        # the first reads of the supervision pages (工作任务: this year; 标准目录: the newest
        # version), remembered until the database changes (gkdesk.db.read_cache): ~0.1 s each
        # at county scale, so their first opening finds them read
        from gkdesk.api import catalogue, tasks

        tasks.tasks_and_requests(year=tasks.today().year)
        catalogue.overview(None)
    except Exception as exc:  # noqa: BLE001
        logging.getLogger(__name__).warning("预读工作任务、标准目录失败：%s", exc)
        missing.append("reads")
    try:
        # one template laid out against the built-in sample: the fonts read and parsed, the
        # layout's first-use tables built (the 文书模板 page's first preview took 790 ms)
        from gkdesk.api import documents

        first = documents.list_templates()[0].name
        documents.preview_template(first, documents.template(first).body)
    except Exception as exc:  # noqa: BLE001 - no usable font: the letter says so when made
        logging.getLogger(__name__).warning("预加载文书排版失败：%s", exc)
        missing.append("layout")
    return tuple(missing)
