"""F1 help (the guide page of the current page, links, back/forward), Qt's own texts in
Chinese, and the first start that offers the separate demo database."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, Qt
from PySide6.QtWidgets import QApplication

from gkdesk import resources


def _help_windows():
    from gkdesk.ui.dialogs.help_dialog import HelpDialog

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, HelpDialog) and w.isVisible()]


def _shown_file(dlg) -> Path:
    url = dlg.browser.source()
    assert url.isLocalFile(), url
    return Path(url.toLocalFile()).resolve()


# ------------------------------------------------------------------ F1 help

@pytest.mark.parametrize("key, expected", [
    ("cases", "guide/01-register.md"),
    ("reports", "guide/07-annual-report.md"),
    ("annex1", "guide/06-annex-forms.md"),
])
def test_f1_opens_guide_page_of_current_page(main_window, qtbot, key, expected):
    main_window.show_page(key)
    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main_window)
    qtbot.keyClick(main_window, Qt.Key_F1)
    qtbot.waitUntil(lambda: len(_help_windows()) == 1)
    dlg = _help_windows()[0]
    assert not dlg.isModal()
    assert dlg.browser.source().toString().endswith(expected)
    assert _shown_file(dlg) == (resources.docs_dir() / expected).resolve()
    # The Markdown was rendered (a heading became the page title), not shown as source.
    assert dlg.page_label.text()
    assert "](" not in dlg.browser.toPlainText()
    dlg.close()


def _images(browser) -> list[str]:
    doc = browser.document()
    names = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                names.append(fmt.toImageFormat().name())
            it += 1
        block = block.next()
    return names


def _link_point(browser, href_end: str):
    """The viewport point of the first link whose href ends with ``href_end``."""
    from PySide6.QtGui import QTextCursor

    doc = browser.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            fmt = frag.charFormat()
            if fmt.isAnchor() and fmt.anchorHref().endswith(href_end):
                cur = QTextCursor(doc)
                cur.setPosition(frag.position() + min(1, frag.length() - 1))
                browser.setTextCursor(cur)
                browser.ensureCursorVisible()
                return browser.cursorRect(cur).center()
            it += 1
        block = block.next()
    raise AssertionError(f"no link to {href_end}")


def test_help_links_back_forward_and_images(main_window, qtbot):
    from PySide6.QtGui import QTextDocument

    main_window.show_page("cases")
    dlg = main_window.show_help()
    qtbot.waitExposed(dlg)
    register = (resources.docs_dir() / "guide/01-register.md").resolve()
    assert _shown_file(dlg) == register
    # The screenshot of the page is loaded from docs/images (relative to the page).
    dlg.browser.grab()   # paint once: images are loaded while laying out
    images = _images(dlg.browser)
    assert "../images/register-dialog.png" in images
    pix = dlg.browser.document().resource(QTextDocument.ImageResource, "../images/register-dialog.png")
    assert pix is not None and not pix.isNull() and pix.width() > 100
    # Screenshots wider than the window are scaled down: no sideways scrolling.
    dlg.resize(700, 600)
    dlg.browser.grab()
    assert pix.width() > dlg.browser.viewport().width()
    assert dlg.browser.horizontalScrollBar().maximum() == 0
    assert not dlg.back_button.isEnabled()

    # A real click on the link to the correction page follows it inside the window.
    point = _link_point(dlg.browser, "02-correction.md")
    qtbot.mouseClick(dlg.browser.viewport(), Qt.LeftButton, pos=point)
    correction = (resources.docs_dir() / "guide/02-correction.md").resolve()
    qtbot.waitUntil(lambda: _shown_file(dlg) == correction)
    assert "补正" in dlg.page_label.text()
    assert dlg.back_button.isEnabled() and not dlg.forward_button.isEnabled()

    qtbot.mouseClick(dlg.back_button, Qt.LeftButton)
    assert _shown_file(dlg) == register
    assert dlg.forward_button.isEnabled()
    qtbot.mouseClick(dlg.forward_button, Qt.LeftButton)
    assert _shown_file(dlg) == correction

    # 目录 shows the table of contents; F1 again reuses the same window.
    qtbot.mouseClick(dlg.home_button, Qt.LeftButton)
    assert _shown_file(dlg) == (resources.docs_dir() / resources.GUIDE_INDEX).resolve()
    main_window.show_page("reports")
    again = main_window.show_help()
    assert again is dlg
    assert dlg.browser.source().toString().endswith("guide/07-annual-report.md")
    dlg.close()


def _register_case():
    import datetime as dt

    from gkdesk.cases import registry

    today = dt.date.today()
    return registry.register(registry.ApplicationInput(
        applicant_name="张三", id_type="none", phone="13800138000", content="申请公开某道路拓宽工程的立项批复",
        received_date=today), user="tester", today=today)


def test_f1_in_case_window_opens_case_handling_page(main_window, qtbot):
    case = _register_case()
    cw = main_window.open_case(case.id)
    qtbot.waitExposed(cw)
    cw.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is cw)
    qtbot.keyClick(cw, Qt.Key_F1)
    qtbot.waitUntil(lambda: len(_help_windows()) == 1)
    dlg = _help_windows()[0]
    assert dlg.parent() is cw
    assert _shown_file(dlg) == resources.guide_page("case").resolve()
    assert dlg.browser.source().toString().endswith(resources.GUIDE_PAGES["case"])
    dlg.close()
    cw.close()


def test_main_window_actions_have_tooltips(main_window):
    from PySide6.QtGui import QAction, QKeySequence

    actions = main_window.findChildren(QAction, options=Qt.FindDirectChildrenOnly)
    assert main_window.help_action in actions and len(actions) > 10
    missing = [a.text() for a in actions
               if a.text() and not a.isSeparator() and a.menu() is None
               and (not a.toolTip() or a.toolTip() == a.text().replace("&", ""))]
    assert missing == []
    assert main_window.help_action.shortcut().matches(QKeySequence(Qt.Key_F1)) == QKeySequence.ExactMatch


# ------------------------------------------------------------------ Qt's own texts in Chinese

def _qm_present() -> bool:
    return (Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / "qtbase_zh_CN.qm").is_file()


@pytest.fixture
def chinese_qt(qapp):
    from gkdesk.ui import app as gui_app

    if not _qm_present():
        pytest.skip("Qt 的翻译文件 qtbase_zh_CN.qm 不在 QLibraryInfo 的 TranslationsPath 中")
    gui_app.remove_qt_translations(qapp)
    yield gui_app
    gui_app.remove_qt_translations(qapp)   # leave the shared test application as it was


def test_create_application_installs_qt_chinese(chinese_qt, qtbot):
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"   # before
    app = chinese_qt.create_application()
    assert "qtbase_zh_CN" in chinese_qt.install_qt_translations(app)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    # A standard message box button, as the clerk sees it.
    box = QMessageBox(QMessageBox.Question, "标题", "正文", QMessageBox.Ok | QMessageBox.Cancel)
    qtbot.addWidget(box)
    assert box.button(QMessageBox.Cancel).text() == "取消"
    assert box.button(QMessageBox.Ok).text() in ("确定", "好")
    buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Close)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.Save).text().replace("&", "").startswith("保存")
    # Idempotent: a second call installs nothing more.
    assert chinese_qt.create_application() is app
    assert list(chinese_qt._translators) == ["qtbase_zh_CN"]


def test_missing_translation_file_keeps_the_app_working(qapp, monkeypatch, tmp_path, caplog):
    from gkdesk.ui import app as gui_app

    gui_app.remove_qt_translations(qapp)
    monkeypatch.setattr(gui_app.QLibraryInfo, "path", staticmethod(lambda *_: str(tmp_path)))
    try:
        assert gui_app.install_qt_translations(qapp) == []
        assert gui_app.create_application() is qapp
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
        assert "qtbase_zh_CN" in caplog.text
    finally:
        gui_app.remove_qt_translations(qapp)


# ------------------------------------------------------------------ first start: the demo database

@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A fresh, empty data folder (GKDESK_DATA_DIR), closed afterwards."""
    from gkdesk.db import close_database

    folder = tmp_path / "data"
    monkeypatch.setenv("GKDESK_DATA_DIR", str(folder))
    yield folder
    close_database()


def test_is_new_database_until_a_case_or_user_exists(db_path):
    from gkdesk import firstrun

    assert firstrun.is_new_database()
    _register_case()
    assert not firstrun.is_new_database()


def test_is_new_database_false_once_a_user_exists(db_path):
    from gkdesk import auth, firstrun

    auth.create_user(None, "admin", "管理员", ["admin"], "mima-12345678")
    assert not firstrun.is_new_database()


def test_welcome_demo_choice_generates_the_demo_database(data_dir, qtbot, actor, qsettings):
    from gkdesk import firstrun
    from gkdesk.db import current, open_database
    from gkdesk.db.models import Case
    from gkdesk.ui.context import AppContext
    from gkdesk.ui.dialogs.first_run import DEMO, WelcomeDialog
    from gkdesk.ui.main_window import MainWindow

    real = open_database(None)
    assert real.path == data_dir / "gkdesk.sqlite3"
    assert firstrun.is_new_database()
    dlg = WelcomeDialog(real)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.windowTitle() == "欢迎使用 gkdesk"
    assert dlg.blank_button.text() == "开始使用（空白数据库）"
    assert dlg.demo_button.text() == "先看看演示数据"
    assert "与正式数据分开保存" in dlg.demo_button.description()
    with qtbot.waitSignal(dlg.accepted, timeout=60000):
        qtbot.mouseClick(dlg.demo_button, Qt.LeftButton)
    assert dlg.choice == DEMO
    demo_path = firstrun.demo_database_path()
    assert demo_path == data_dir / "demo.sqlite3" and demo_path.is_file()
    assert dlg.opened.path == demo_path and current() is dlg.opened
    assert Case.select().count() == firstrun.DEMO_CASES

    window = MainWindow(AppContext(dlg.opened, actor, qsettings))
    qtbot.addWidget(window)
    assert window.is_demo
    assert "演示数据" in window.windowTitle()
    assert "演示数据库" in window.db_label.text() and str(demo_path) in window.db_label.text()
    window.close()

    # The real database was not touched: still new, so the welcome is offered again.
    open_database(None)
    assert firstrun.is_new_database()
    # Choosing the demo again opens the existing demo file without generating more.
    again = WelcomeDialog(current())
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.accepted, timeout=10000):
        again.choose_demo()
    assert Case.select().count() == firstrun.DEMO_CASES


def test_welcome_blank_choice_keeps_the_real_database(data_dir, qtbot, actor, qsettings):
    from gkdesk import firstrun
    from gkdesk.db import current, open_database
    from gkdesk.ui.context import AppContext
    from gkdesk.ui.dialogs.first_run import BLANK, WelcomeDialog
    from gkdesk.ui.main_window import MainWindow

    real = open_database(None)
    dlg = WelcomeDialog(real)
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        qtbot.mouseClick(dlg.blank_button, Qt.LeftButton)
    assert dlg.choice == BLANK and dlg.opened is real and current() is real
    assert not firstrun.demo_database_path().exists()
    window = MainWindow(AppContext(real, actor, qsettings))
    qtbot.addWidget(window)
    assert not window.is_demo and "演示" not in window.windowTitle()
    assert window.db_label.text() == f"数据库：{real.display}"


def test_welcome_is_not_offered_once_the_real_database_is_used(data_dir, qtbot, monkeypatch):
    from gkdesk.db import open_database
    from gkdesk.ui.dialogs import first_run

    real = open_database(None)
    _register_case()

    def no_dialog(*a, **k):   # pragma: no cover - reached only when the test fails
        raise AssertionError("the welcome must not be shown")

    monkeypatch.setattr(first_run.WelcomeDialog, "exec", no_dialog)
    assert first_run.choose_database(real) is real


def test_cancelling_demo_generation_leaves_nothing_and_reopens_the_real_database(data_dir, qtbot):
    from gkdesk import firstrun
    from gkdesk.db import current, open_database
    from gkdesk.db.models import Case
    from gkdesk.ui.dialogs.first_run import WelcomeDialog

    real = open_database(None)
    dlg = WelcomeDialog(real)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.choose_demo()
    assert dlg.busy() and not dlg.demo_button.isEnabled() and dlg.cancel_button.isVisible()
    dlg.reject()                       # closing while generating cancels, does not close
    assert dlg.isVisible()
    qtbot.waitUntil(lambda: not dlg.busy(), timeout=60000)
    assert dlg.choice is None and dlg.result() != dlg.DialogCode.Accepted
    assert "取消" in dlg.status.text()
    assert current().path == real.path and firstrun.is_new_database()
    # Nothing half-made is left: the next try generates the whole demo afresh.
    assert not firstrun.demo_database_path().exists()
    assert dlg.demo_button.isEnabled() and dlg.blank_button.isEnabled()
    with qtbot.waitSignal(dlg.accepted, timeout=60000):
        dlg.choose_demo()
    assert Case.select().count() == firstrun.DEMO_CASES


def test_run_gui_first_start_demo_then_first_administrator(data_dir, qapp, qtbot, monkeypatch, tmp_path):
    """``gkdesk`` without --db on a brand-new data folder: the welcome is answered with the
    demo, the (real) first-run login creates the administrator in the demo database, and
    the main window says 演示数据. Dialogs are answered by a timer, never left waiting."""
    import sys

    from PySide6.QtCore import QSettings, QTimer

    from gkdesk import firstrun
    from gkdesk.db import current
    from gkdesk.db.models import Case, User
    from gkdesk.ui import app as gui_app
    from gkdesk.ui import context
    from gkdesk.ui.dialogs.first_run import WelcomeDialog
    from gkdesk.ui.login import FirstRunDialog
    from gkdesk.ui.main_window import MainWindow

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(context, "QSettings",
                        lambda *a: QSettings(str(tmp_path / "ui.ini"), QSettings.IniFormat))
    seen: dict = {}

    def answer():
        for w in QApplication.topLevelWidgets():
            if not w.isVisible():
                continue
            if isinstance(w, WelcomeDialog) and "welcome" not in seen:
                seen["welcome"] = True
                w.demo_button.click()
            elif isinstance(w, FirstRunDialog) and "admin" not in seen:
                seen["admin"] = current().path
                w.display_name.setText("演示管理员")
                w.password.setText("lianxi-2024-ok")
                w.password2.setText("lianxi-2024-ok")
                w.submit()

    driver = QTimer()
    driver.timeout.connect(answer)
    driver.start(50)
    # Should anything go wrong, close whatever dialog is left rather than wait forever.
    QTimer.singleShot(60000, lambda: [w.reject() for w in QApplication.topLevelWidgets()
                                      if hasattr(w, "reject") and w.isVisible()])

    def fake_exec(*_):
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        seen["title"] = window.windowTitle()
        seen["status"] = window.db_label.text()
        seen["cases"] = Case.select().count()
        seen["users"] = [u.username for u in User.select()]
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(type(qapp), "exec", fake_exec)
    try:
        assert gui_app.run_gui(None) == 0
    finally:
        driver.stop()
        gui_app.remove_qt_translations(qapp)
    demo = firstrun.demo_database_path()
    assert seen["admin"] == demo                       # the administrator is created in the demo
    assert "演示数据" in seen["title"] and "演示数据库" in seen["status"]
    assert seen["cases"] == firstrun.DEMO_CASES and seen["users"] == ["admin"]
    # No automatic backup of practice data.
    backups = data_dir / "backups"
    assert not backups.exists() or list(backups.iterdir()) == []
    # The real database is still brand new: the welcome will be offered next time.
    from gkdesk.db import open_database

    open_database(None)
    assert firstrun.is_new_database()


def test_demo_generation_runs_on_the_writer_of_an_ops_runner(data_dir, qtbot):
    """Before any AppContext exists the welcome makes its data through an ops runner's
    writer (here the tests' synchronous one: done when the click returns, no polling)."""
    from gkdesk import firstrun
    from gkdesk.db import open_database
    from gkdesk.db.models import Case
    from gkdesk.ui.dialogs.first_run import DEMO, WelcomeDialog
    from gkdesk.ui.ops import SyncRunner

    runner = SyncRunner()
    dlg = WelcomeDialog(open_database(None), ops=runner)
    qtbot.addWidget(dlg)
    dlg.choose_demo()
    assert [k for k, _ in runner.calls] == ["write"]
    assert dlg.choice == DEMO and not dlg.busy()
    assert Case.select().count() == firstrun.DEMO_CASES
