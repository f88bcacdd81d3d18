"""Fixtures for GUI tests: an AppContext on the real SQLite file of ``db_path``, private
QSettings, a main window, and fast bulk creation of realistic cases."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")


@pytest.fixture
def qsettings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "gkdesk-ui.ini"), QSettings.IniFormat)


@pytest.fixture
def actor():
    from gkdesk.actors import ALL_ROLES, Actor

    return Actor("tester", "测试员", ALL_ROLES)


@pytest.fixture
def ctx(db_path, qapp, qsettings, actor):
    """A context whose operations run synchronously (``ops.SyncRunner``): a screen's write or
    read has finished, callbacks and change signal included, when the call returns."""
    from gkdesk.db import current
    from gkdesk.ui.context import AppContext
    from gkdesk.ui.ops import SyncRunner

    context = AppContext(current(), actor, qsettings, ops=SyncRunner())
    yield context
    context.wait_for_background(10000)
    context.close()


@pytest.fixture
def threaded_ctx(db_path, qapp, qsettings, actor):
    """A context with the real writer thread and reader pool."""
    from gkdesk.db import current
    from gkdesk.ui.context import AppContext

    context = AppContext(current(), actor, qsettings)
    yield context
    context.wait_for_background(10000)
    context.close()


@pytest.fixture
def main_window(ctx, qtbot):
    from gkdesk.ui.main_window import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def messages_log(monkeypatch):
    """Replace every message box by a record of what it would have said."""
    from gkdesk.ui.dialogs import messages

    log: list[tuple[str, str, str]] = []
    monkeypatch.setattr(messages, "info", lambda p, t, text, informative="": log.append(("info", t, f"{text}\n{informative}")))
    monkeypatch.setattr(messages, "warning", lambda p, t, text, informative="": log.append(("warning", t, text)))
    monkeypatch.setattr(messages, "error", lambda p, t, text, detail="": log.append(("error", t, text)))
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: log.append(("confirm", a[1], a[2])) or True)
    return log


