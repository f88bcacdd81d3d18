"""The warm-up after start-up loads every page's code and the letter fonts while the clerk
reads the start page, so a page's first opening does not wait for them; a failing module is
logged, never fatal."""
import sys

from gkdesk.ui import warmup


def test_the_warm_up_loads_every_page_module_and_the_fonts(ctx, qtbot, monkeypatch):
    import importlib
    import types

    from PySide6.QtWidgets import QWidget

    names = warmup.ui_modules()
    assert "gkdesk.ui.pages.templates" in names and "gkdesk.ui.pages.annual_document" in names
    loaded = []
    monkeypatch.setattr(warmup, "importlib", types.SimpleNamespace(
        import_module=lambda name: (loaded.append(name), importlib.import_module(name))[1]))
    from gkdesk.documents import fonts

    monkeypatch.setattr(fonts, "_fontset", None)
    window = QWidget()
    qtbot.addWidget(window)
    w = warmup.start(ctx, window)
    with qtbot.waitSignal(w.finished, timeout=60000):
        pass
    assert w.done and window.warmup is w
    assert loaded == names                                  # every page, one per turn of the loop
    assert fonts._fontset is not None                       # the letter fonts read on the reader
    assert "gkdesk.api.catalogue" in sys.modules


def test_a_module_that_fails_is_logged_and_the_rest_still_load(ctx, qtbot, monkeypatch, caplog):
    from PySide6.QtWidgets import QWidget

    monkeypatch.setattr(warmup, "ui_modules", lambda: ["gkdesk.ui.no_such_page", "gkdesk.ui.pages.settings"])
    window = QWidget()
    qtbot.addWidget(window)
    w = warmup.start(ctx, window)
    with qtbot.waitSignal(w.finished, timeout=60000):
        pass
    assert "gkdesk.ui.pages.settings" in sys.modules
    assert "gkdesk.ui.no_such_page" in caplog.text


def test_it_can_be_turned_off(ctx, monkeypatch):
    from PySide6.QtWidgets import QWidget

    monkeypatch.setenv("GKDESK_WARMUP", "0")
    assert warmup.start(ctx, QWidget()) is None
