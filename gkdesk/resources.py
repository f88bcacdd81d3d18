"""Where gkdesk finds the files it ships with — one place for a source checkout, an
installed package and the frozen (PyInstaller) app.

In the frozen one-folder app PyInstaller unpacks data next to the libraries and points
``sys._MEIPASS`` at that folder (``gkdesk/_internal`` since PyInstaller 6); the spec
(``installer/gkdesk.spec``) copies ``resources/`` and ``docs/`` there under the same
names they have in the repository, so every lookup below is "the bundle root, then the
same relative path".

Core module: no Qt here.
"""
from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent

# The user guide's page for each place in the app (the main window's page keys and the
# dialogs), so F1 can open the page about what the clerk is looking at. Paths are
# relative to ``docs_dir()``.
GUIDE_INDEX = "README.md"
GUIDE_PAGES: dict[str, str] = {
    "dashboard": "guide/00-overview.md",
    "cases": "guide/01-register.md",
    "register": "guide/01-register.md",
    "case": "guide/02-correction.md",
    "correction": "guide/02-correction.md",
    "extension": "guide/03-extension.md",
    "reply": "guide/04-reply-and-seal.md",
    "templates": "guide/04-reply-and-seal.md",
    "delivery": "guide/05-delivery-and-archive.md",
    "archive": "guide/05-delivery-and-archive.md",
    "annex1": "guide/06-annex-forms.md",
    "annex2": "guide/06-annex-forms.md",
    "catalogue": "guide/10-catalogue.md",
    "tasks": "guide/11-tasks.md",
    "reports": "guide/07-annual-report.md",
    "backup": "guide/08-backup-and-restore.md",
    "settings": "guide/08-backup-and-restore.md",
    "install": "guide/09-install.md",
    "reasons": "guide/10-clerks-day.md",
    "batch": "guide/10-clerks-day.md",
    "post": "guide/10-clerks-day.md",
    "handoffs": "guide/10-clerks-day.md",
    "daylist": "guide/10-clerks-day.md",
}


def is_frozen() -> bool:
    """True inside the PyInstaller-built app."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def bundle_root() -> Path:
    """The folder that holds ``resources/`` and ``docs/``: ``sys._MEIPASS`` in the frozen
    app, else the repository (the parent of the ``gkdesk`` package)."""
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        return Path(meipass)
    return _PACKAGE_DIR.parent


def _first_dir(name: str) -> Path:
    candidates = [bundle_root() / name, _PACKAGE_DIR.parent / name, _PACKAGE_DIR / name]
    for c in candidates:
        if c.is_dir():
            return c
    return candidates[0]


def resources_dir() -> Path:
    """The ``resources/`` folder (templates, fonts, icons, style sheets)."""
    return _first_dir("resources")


def resource(*parts: str) -> Path:
    """A path inside ``resources/``, e.g. ``resource("style", "gkdesk.qss")``. The file
    may not exist; callers check."""
    return resources_dir().joinpath(*parts)


def docs_dir() -> Path:
    """The user guide (``docs/``), shipped inside the app for F1 help."""
    return _first_dir("docs")


def guide_page(topic: str | None = None) -> Path:
    """The guide page for ``topic`` (a main-window page key or a dialog name), or the
    guide's table of contents when the topic has no page of its own."""
    rel = GUIDE_PAGES.get(topic or "", GUIDE_INDEX)
    path = docs_dir() / rel
    return path if path.is_file() else docs_dir() / GUIDE_INDEX


def app_icon() -> Path:
    """The application icon (SVG; the installers render PNG/ICO from it)."""
    return resource("icons", "gkdesk.svg")
