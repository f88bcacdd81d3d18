"""The main window: navigation entries in order, a missing page reported loudly, status
bar, title, geometry remembered, about dialog, errors shown instead of crashing."""
from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from gkdesk import __version__
from gkdesk.ui import pages as page_registry
from gkdesk.ui.main_window import ErrorPage

EXPECTED_NAV = ["工作台", "案件办理", "附件一 工作人员情况表", "附件二 工作职能清单", "工作任务", "标准目录", "文书模板", "统计报表", "设置"]


def test_navigation_entries_and_every_page_opens(main_window, qtbot):
    nav = main_window.nav
    assert [nav.item(i).text() for i in range(nav.count())] == EXPECTED_NAV
    assert [p.key for p in page_registry.PAGES] == [
        "dashboard", "cases", "annex1", "annex2", "tasks", "catalogue", "templates", "reports", "settings"]
    # Pages are built lazily: only the start page exists before any visit.
    assert set(main_window._pages) == {"dashboard"}
    for i, spec in enumerate(page_registry.PAGES):
        nav.setCurrentRow(i)
        widget = main_window.stack.currentWidget()
        assert widget is main_window.page(spec.key)
        assert not isinstance(widget, ErrorPage), (spec.key, getattr(widget, "detail", ""))
    assert set(main_window._pages) == {p.key for p in page_registry.PAGES}


def test_a_missing_page_module_or_factory_is_a_loud_error(main_window, monkeypatch):
    """No 本功能正在建设中 fallback: a page missing from the install is reported on the page,
    in the log and by the self-test, never replaced by an empty placeholder."""
    fake = (
        page_registry.PageSpec("ghost", "幽灵页", "gkdesk.ui.pages.no_such_module_xyz", "create_page"),
        page_registry.PageSpec("nofactory", "无工厂", "gkdesk.ui.pages.cases", "create_nothing"),
    )
    for spec, missing in zip(fake, ("gkdesk.ui.pages.no_such_module_xyz", "create_nothing")):
        monkeypatch.setitem(page_registry.PAGES_BY_KEY, spec.key, spec)
        with pytest.raises(page_registry.PageMissing, match=missing):
            page_registry.load_factory(spec)
        w = main_window.page(spec.key)
        assert isinstance(w, ErrorPage)
        texts = " ".join(lb.text() for lb in w.findChildren(QLabel))
        assert "页面加载失败" in texts and spec.title in texts and missing in texts
        assert "建设中" not in texts


def test_the_self_test_fails_naming_a_page_whose_module_is_missing(db_path, qapp, monkeypatch, tmp_path):
    from gkdesk.selftest import SelfTestFailure
    from gkdesk.ui import selftest as ui_selftest

    ghost = page_registry.PageSpec("ghost", "幽灵页", "gkdesk.ui.pages.no_such_module_xyz", "create_page")
    monkeypatch.setattr(page_registry, "PAGES", page_registry.PAGES + (ghost,))
    monkeypatch.setitem(page_registry.PAGES_BY_KEY, "ghost", ghost)
    from gkdesk.db import current

    with pytest.raises(SelfTestFailure, match="幽灵页.*no_such_module_xyz"):
        ui_selftest.check_gui(tmp_path, current())


def test_a_page_that_fails_to_build_does_not_take_the_window_down(main_window, monkeypatch):
    import types

    mod = types.ModuleType("gkdesk.ui.pages._broken_for_test")

    def create_page(ctx, parent):
        raise RuntimeError("boom")

    mod.create_page = create_page
    monkeypatch.setitem(sys.modules, mod.__name__, mod)
    spec = page_registry.PageSpec("broken", "坏页面", mod.__name__, "create_page")
    monkeypatch.setitem(page_registry.PAGES_BY_KEY, "broken", spec)
    w = main_window.page("broken")
    assert isinstance(w, ErrorPage)
    assert any("boom" in lb.text() for lb in w.findChildren(QLabel))


def test_an_import_error_inside_a_page_module_is_not_hidden(monkeypatch):
    import types

    spec = page_registry.PageSpec("x", "x", "gkdesk.ui.pages._imports_missing_thing", "create_page")

    def fake_import(name):
        raise ModuleNotFoundError("No module named 'lxmlz'", name="lxmlz")

    monkeypatch.setattr(page_registry.importlib, "import_module", fake_import)
    with pytest.raises(ModuleNotFoundError):
        page_registry.load_factory(spec)
    del types


def test_title_status_bar_and_actor(main_window, db_path):
    assert main_window.windowTitle() == "政府信息公开办公桌 — gkdesk"
    assert str(db_path) in main_window.db_label.text()
    assert main_window.db_label.text().startswith("数据库：")
    assert "测试员" in main_window.user_label.text()
    assert "管理员" in main_window.user_label.text()
    from gkdesk.actors import Actor

    main_window.ctx.set_actor(Actor("li", "李登记", frozenset({"clerk"})))
    assert main_window.user_label.text() == "当前用户：李登记（登记员）"


def test_geometry_and_last_page_remembered(ctx, qtbot, qsettings):
    from gkdesk.ui.main_window import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    # a size of its own (not the default), above the window's minimum and inside the
    # 800×600 offscreen screen (restoreGeometry clamps to the screen)
    size = (max(701, w.minimumSizeHint().width() + 7), 503)
    assert size[0] < 800
    w.resize(*size)
    w.show_page("settings")
    w.close()
    assert qsettings.value("mainWindow/geometry") is not None
    w2 = MainWindow(ctx)
    qtbot.addWidget(w2)
    assert (w2.width(), w2.height()) == size
    assert w2.current_page_key() == "settings"


def test_about_dialog_shows_version(main_window, qtbot):
    dlg = main_window.show_about()
    qtbot.waitExposed(dlg)
    assert __version__ in dlg.version_label.text()
    dlg.accept()


@pytest.mark.qt_no_exception_capture
def test_unexpected_exception_is_shown_and_logged(main_window, qtbot, messages_log, caplog):
    from gkdesk.ui import app as ui_app

    old = sys.excepthook
    ui_app.install_excepthook()
    try:
        def explode():
            raise ZeroDivisionError("division by zero in a slot")

        QTimer.singleShot(0, explode)
        qtbot.waitUntil(lambda: bool(messages_log), timeout=3000)
    finally:
        sys.excepthook = old
    kind, title, text = messages_log[0]
    assert kind == "error" and title == "意外错误"
    assert "ZeroDivisionError" in text and "日志" in text
    assert main_window.isVisible()
    assert any("ZeroDivisionError" in r.getMessage() for r in caplog.records)


def test_gk_error_shown_in_chinese(main_window, qtbot, messages_log):
    from gkdesk.errors import WorkflowError
    from gkdesk.ui import app as ui_app

    ui_app.excepthook(WorkflowError, WorkflowError("已归档的案件不能修改"), None)
    assert messages_log == [("warning", "不能执行此操作", "已归档的案件不能修改")]


def test_run_gui_refuses_a_bad_database(tmp_path, qapp, messages_log, monkeypatch):
    from gkdesk.ui import app as ui_app

    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_bytes(b"this is not sqlite at all, just text" * 10)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)   # restored after the test
    rc = ui_app.run_gui(str(bad))
    assert rc != 0
    assert messages_log and messages_log[0][0] == "error"
    assert "不是 gkdesk 数据库" in messages_log[0][2]
    assert bad.read_bytes().startswith(b"this is not sqlite")   # untouched


def test_run_gui_uses_login_module_and_exits_when_it_gives_up(tmp_path, qapp, monkeypatch):
    import types

    from gkdesk.ui import app as ui_app

    calls = []
    mod = types.ModuleType("gkdesk.ui.login")
    mod.ensure_login = lambda ctx: calls.append(ctx) or None
    monkeypatch.setitem(sys.modules, "gkdesk.ui.login", mod)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    rc = ui_app.run_gui(str(tmp_path / "fresh.sqlite3"), create=True)
    assert rc == 0 and len(calls) == 1
    assert calls[0].db.path == (tmp_path / "fresh.sqlite3").absolute()


def test_font_is_a_cjk_family(qapp):
    from gkdesk.ui.app import apply_style, choose_font_family

    assert choose_font_family(["DejaVu Sans", "WenQuanYi Micro Hei", "Noto Sans CJK SC"]) == "Noto Sans CJK SC"
    assert choose_font_family(["DejaVu Sans", "Microsoft YaHei"]) == "Microsoft YaHei"
    assert choose_font_family(["DejaVu Sans"]) is None
    apply_style(qapp)
    family = choose_font_family()
    if family is None:
        pytest.skip("no CJK font installed on this machine")
    from PySide6.QtGui import QFontInfo

    assert QFontInfo(qapp.font()).family() == family


def test_work_after_show_waits_for_the_first_paint(qapp, qtbot):
    """run_gui starts the daily backup, the deferred file check and the idle lock through
    call_after_first_paint: they run after the window has painted, never before."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QLabel, QMainWindow

    from gkdesk.ui import app as ui_app

    win = QMainWindow()
    qtbot.addWidget(win)
    win.setCentralWidget(QLabel("正文"))
    painted, calls = [], []

    class Spy(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                painted.append(obj)
            return False

    spy = Spy()
    qapp.installEventFilter(spy)
    try:
        ui_app.call_after_first_paint(win, lambda: calls.append(len(painted)))
        qapp.processEvents()
        assert calls == []                  # not shown: nothing painted, nothing run
        win.show()
        qtbot.waitUntil(lambda: bool(calls), timeout=5000)
        assert calls[0] >= 1                # ran after at least one paint
        win.update()
        qtbot.wait(50)
        assert len(calls) == 1              # once only
    finally:
        qapp.removeEventFilter(spy)


def _answer_missing_database(monkeypatch, *choices):
    """Answer the 「数据库文件不存在」 question with the buttons named, in turn."""
    from PySide6.QtWidgets import QMessageBox

    asked = []

    def exec_(box):
        asked.append((box.windowTitle(), box.text(), [b.text() for b in box.buttons()]))
        want = choices[len(asked) - 1]
        next(b for b in box.buttons() if b.text().startswith(want)).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return asked


def test_run_gui_asks_before_creating_a_missing_database(tmp_path, qapp, monkeypatch):
    """A mistyped --db path: the clerk is asked (新建 / 选择其他文件 / 退出); 退出 creates
    nothing (no file, no folder); 选择其他文件 opens the file chosen; 新建 creates it."""
    import types

    from PySide6.QtWidgets import QFileDialog

    from gkdesk.db import close_database, open_database
    from gkdesk.ui import app as ui_app

    opened = []
    mod = types.ModuleType("gkdesk.ui.login")
    mod.ensure_login = lambda ctx: opened.append(ctx.db.path) or None
    monkeypatch.setitem(sys.modules, "gkdesk.ui.login", mod)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    typo = tmp_path / "typo" / "demo.dbb"
    asked = _answer_missing_database(monkeypatch, "退出")
    assert ui_app.run_gui(str(typo)) == 0
    assert asked[0][0] == "数据库文件不存在" and str(typo) in asked[0][1]
    assert sorted(t.rstrip("…") for t in asked[0][2]) == sorted(["新建", "选择其他文件", "退出"])
    assert not typo.parent.exists() and opened == []

    real = tmp_path / "real.sqlite3"
    open_database(real)
    close_database()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(real), "")))
    _answer_missing_database(monkeypatch, "选择其他文件")
    assert ui_app.run_gui(str(typo)) == 0
    assert opened == [real.absolute()] and not typo.parent.exists()

    _answer_missing_database(monkeypatch, "新建")
    assert ui_app.run_gui(str(typo)) == 0
    assert typo.exists() and opened[-1] == typo.absolute()
