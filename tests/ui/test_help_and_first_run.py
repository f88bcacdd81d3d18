"""F1 help (the guide page of the current page, links, back/forward), Qt's own texts in
Chinese, and the first start that offers the separate demo database."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, Qt, QUrl
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
