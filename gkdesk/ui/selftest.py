"""The GUI half of ``gkdesk --self-test`` (see ``gkdesk/selftest.py``, which calls
``check_gui`` in its throw-away folder): the QApplication with the app's font, style sheet
and icon, Qt's Chinese translation, the main window with every page, and the About box
showing the version. Owned by the shipping work (issue 8), kept here because only
``gkdesk.ui`` may import Qt.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QSettings, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon, QImageReader
from PySide6.QtWidgets import QLabel

from gkdesk.selftest import check


def icon_problem(path: Path) -> str | None:
    """What keeps the icon at ``path`` from showing, told apart: the file is missing, Qt has
    no SVG image plugin, or the file is no image; None when it shows."""
    path = Path(path)
    if not path.is_file():
        return f"应用图标文件缺失：{path}"
    fmt = path.suffix.lower().lstrip(".").encode()
    if fmt and fmt not in {bytes(f).lower() for f in QImageReader.supportedImageFormats()}:
        return (f"无法显示应用图标 {path.name}：Qt 缺少 {fmt.decode().upper()} 图像插件"
                "（PySide6 的 imageformats 插件，如 qsvg），请重新安装程序")
    if QIcon(str(path)).pixmap(32, 32).isNull():
        return f"应用图标无法显示：{path} 不是有效的图像文件（文件可能已损坏）"
    return None


def check_gui(folder: Path, opened, screenshot: Path | None = None) -> str:
    """Open and close the main window on the database ``opened``; Qt settings go to an INI
    file in ``folder``; ``screenshot``: the main window (cases page) grabbed to that PNG.
    Returns the line the self-test prints; raises on failure."""
    from gkdesk import __version__, resources
    from gkdesk.actors import SYSTEM
    from gkdesk.ui import pages as page_registry
    from gkdesk.ui.app import create_application
    from gkdesk.ui.context import AppContext
    from gkdesk.ui.main_window import ErrorPage, MainWindow

    app = create_application()
    platform_name = QGuiApplication.platformName()
    # Qt's own words (standard buttons, file dialogs, context menus) in Chinese
    qm_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    check(QTranslator().load("qtbase_zh_CN", qm_dir), f"找不到 Qt 中文翻译 qtbase_zh_CN.qm（{qm_dir}）")
    problem = icon_problem(resources.app_icon())
    check(problem is None, problem or "")

    qsettings = QSettings(str(Path(folder) / "qt-settings.ini"), QSettings.IniFormat)
    ctx = AppContext(opened, SYSTEM, settings=qsettings)
    window = MainWindow(ctx)
    window.show()
    app.processEvents()
    broken = []
    for spec in page_registry.PAGES:
        page = window.show_page(spec.key)
        app.processEvents()
        if isinstance(page, ErrorPage):
            broken.append(f"{spec.title}（{page.detail or ErrorPage.TEXT}）")
    shot = ""
    if screenshot is not None:
        window.resize(1280, 800)
        window.show_page("cases")
        for _ in range(5):
            app.processEvents()
        ctx.wait_for_background(10000)
        app.processEvents()
        image = window.grab().toImage()
        check(not image.isNull() and image.width() > 200, "主窗口截图为空")
        Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
        check(image.save(str(screenshot), "PNG"), f"截图无法保存到 {screenshot}")
        shot = f"，主窗口截图 {image.width()}×{image.height()} 已存到 {screenshot}"
    family = app.font().family()
    about = ""
    if hasattr(window, "show_about"):
        dlg = window.show_about()
        app.processEvents()
        shown = " ".join(label.text() for label in dlg.findChildren(QLabel))
        dlg.close()
        check(__version__ in shown, f"“关于”窗口中没有显示版本号 {__version__}")
        about = f"，“关于”显示版本 {__version__}"
    window.close()
    ctx.wait_for_background(10000)
    app.processEvents()
    check(not broken, "页面加载失败：" + "；".join(broken))
    pages = len(page_registry.PAGES)
    return (f"Qt 平台 {platform_name}，界面字体 {family}，中文翻译可用；主窗口已打开并关闭，"
            f"{pages}个页面{about}{shot}")
