"""Where things live on this computer: the data folder, the default database, the bundled
resources. No database, no options: the store (gkdesk.db) reads its default path here, and
gkdesk.settings re-exports these for older callers."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def data_dir() -> Path:
    """The user's data folder; ``GKDESK_DATA_DIR`` overrides it (tests, portable installs)."""
    env = os.environ.get("GKDESK_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir("gkdesk", appauthor=False))


def default_database_path() -> Path:
    return data_dir() / "gkdesk.sqlite3"


def resources_dir() -> Path:
    """The ``resources/`` folder (source checkout, wheel or frozen app): gkdesk.resources
    is the one place that knows where it is."""
    from gkdesk import resources

    return resources.resources_dir()
