"""The first start: is the default database brand new, and the separate demo database
offered then (``gkdesk`` without ``--db`` on a database with no users and no cases).

Core module: no Qt here. The GUI asks these questions; the demo data itself comes from
``gkdesk.demo.generate``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

DEMO_FILE_NAME = "demo.sqlite3"
DEMO_CASES = 300
DEMO_SEED = 1


def demo_database_path() -> Path:
    """Where the demo database lives: ``<data folder>/demo.sqlite3``, apart from the real one."""
    from gkdesk import settings

    return settings.data_dir() / DEMO_FILE_NAME


def is_new_database() -> bool:
    """True when the open database has no users and no cases (nothing entered yet)."""
    from gkdesk.db.models import Case, User

    return not User.select().exists() and not Case.select().exists()


def has_cases() -> bool:
    """True when the open database holds at least one case."""
    from gkdesk.db.models import Case

    return Case.select().exists()


def is_demo_database(path: str | os.PathLike | None) -> bool:
    """True when ``path`` is the demo database file (compared after resolving)."""
    if path is None:
        return False
    try:
        return Path(path).expanduser().resolve() == demo_database_path().expanduser().resolve()
    except (OSError, RuntimeError):  # pragma: no cover - unresolvable path
        return False


def discard_demo_database() -> list[Path]:
    """Delete the demo database (its file, SQLite's side files and its files folder) after a
    generation that was cancelled or failed, so the next try starts from nothing. Only
    generated data lives there. Call it with the demo database closed. Returns what was
    deleted; a file that cannot be deleted is left (and not listed)."""
    import shutil

    path = demo_database_path()
    removed = []
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            p.unlink()
            removed.append(p)
        except FileNotFoundError:
            pass
        except OSError:  # pragma: no cover - e.g. still open elsewhere on Windows
            pass
    files = path.parent / f"{path.stem}-files"
    if files.is_dir():
        shutil.rmtree(files, ignore_errors=True)
        if not files.exists():
            removed.append(files)
    return removed


def fill_demo_database(progress: Callable[[int, int], None] | None = None) -> dict:
    """Generate the demo cases and units into the open (demo) database, once: a database
    that already holds cases is left as it is. Returns ``gkdesk.demo.generate``'s counts
    (``{"cases": 0, "units": 0}`` when nothing was added). ``progress`` may raise to stop;
    the generation is one transaction, so nothing is left half-written."""
    from gkdesk.demo import generate

    if has_cases():
        return {"cases": 0, "units": 0}
    return generate(DEMO_CASES, seed=DEMO_SEED, progress=progress)
