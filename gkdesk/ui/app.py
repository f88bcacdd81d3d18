"""The QApplication: font, style sheet, error hook, and ``run_gui`` (the ``gkdesk`` command
without arguments)."""
from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QObject, Qt, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from gkdesk import APP_NAME, APP_TITLE, __version__

log = logging.getLogger("gkdesk.ui")

# CJK fonts in order of preference (docs/pitfalls.md #3: Qt's own fallback picks a poor one).
PREFERRED_FONTS = (
    "Microsoft YaHei", "微软雅黑", "Microsoft YaHei UI",
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "PingFang SC", "WenQuanYi Micro Hei", "文泉驿微米黑", "WenQuanYi Zen Hei",
    "Droid Sans Fallback", "LXGW WenKai", "AR PL UMing CN", "SimSun", "宋体",
)


def choose_font_family(families: list[str] | None = None) -> str | None:
    """The first preferred CJK family among ``families`` (default: what is installed)."""
    installed = families is None
    if installed:
        families = QFontDatabase.families()
    available = {f.casefold(): f for f in families}
    for name in PREFERRED_FONTS:
        hit = available.get(name.casefold())
        if hit:
            return hit
    # Any family Qt says can write Simplified Chinese.
    if installed and QCoreApplication.instance() is not None:
        for f in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
            return f
    return None


def bundled_font_family() -> str | None:
    """Register gkdesk's own CJK font (the one the PDFs fall back to) with Qt and return
    its family: the GUI's font on a machine with no Chinese font (a fresh Linux install,
    Wine). None when the file is missing or Qt cannot read it."""
    from gkdesk.api.documents import bundled_font_path

    path = bundled_font_path()
    if not path.is_file():
        log.warning("gkdesk 自带的中文字体不在：%s（界面中文可能显示为方框）", path)
        return None
    fid = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
    if not families:
        log.warning("Qt 无法读取 gkdesk 自带的中文字体：%s", path)
        return None
    return families[0]


def setup_logging() -> Path | None:
    """Log to ``<data folder>/logs/gkdesk.log`` (rotated) and stderr."""
    from gkdesk.api.admin import data_dir

    root = logging.getLogger("gkdesk")
    if getattr(root, "_gkdesk_configured", False):
        return getattr(root, "_gkdesk_logfile", None)
    root.setLevel(logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    logfile = None
    try:
        logdir = data_dir() / "logs"
        logdir.mkdir(parents=True, exist_ok=True)
        logfile = logdir / "gkdesk.log"
        fh = logging.handlers.RotatingFileHandler(logfile, maxBytes=2_000_000, backupCount=3,
                                                  encoding="utf-8")
        fh.setFormatter(fmt)
        root.addHandler(fh)
    except OSError:  # pragma: no cover - unwritable data folder: stderr only
        logfile = None
    sh = logging.StreamHandler(sys.stderr)
    sh.setFormatter(fmt)
    sh.setLevel(logging.WARNING)
    root.addHandler(sh)
    root._gkdesk_configured = True
    root._gkdesk_logfile = logfile
    return logfile


def apply_style(app: QApplication) -> None:
    """Application font (a CJK family chosen from what is installed) and style sheet.
    Idempotent; the main window calls it too, so tests get the same look."""
    if app.property("gkdeskStyled"):
        return
    family = choose_font_family()
    if not family and os.environ.get("GKDESK_BUNDLED_FONT", "1") != "0":
        family = bundled_font_family()
    if family:
        font = QFont(family)
        size = app.font().pointSizeF()
        font.setPointSizeF(max(size, 10.0))
        app.setFont(font)
    from gkdesk.resources import resources_dir

    qss = resources_dir() / "style" / "gkdesk.qss"
    if qss.is_file():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    icon = resources_dir() / "icons" / "gkdesk.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    app.setProperty("gkdeskStyled", True)


# Qt's own texts (QMessageBox/QFileDialog buttons, context menus of text fields) in Chinese.
QT_TRANSLATIONS = ("qtbase_zh_CN",)
_translators: dict[str, QTranslator] = {}


def install_qt_translations(app: QCoreApplication) -> list[str]:
    """Load Qt's Simplified Chinese translations from Qt's translations folder, once per
    application; returns the names loaded. A missing file is logged and skipped (the
    buttons then read OK/Cancel; gkdesk's own texts are Chinese anyway)."""
    if app.property("gkdeskTranslations") is not None:
        return list(_translators)
    loaded = []
    qm_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in QT_TRANSLATIONS:
        translator = QTranslator(app)
        if translator.load(name, qm_dir) and app.installTranslator(translator):
            _translators[name] = translator   # kept alive while installed
            loaded.append(name)
        else:
            log.warning("找不到 Qt 中文翻译 %s.qm（%s），Qt 自带的按钮将显示英文", name, qm_dir)
    app.setProperty("gkdeskTranslations", ",".join(loaded))
    return loaded


def remove_qt_translations(app: QCoreApplication) -> None:
    """Undo ``install_qt_translations`` (tests that must not change the shared app)."""
    for translator in _translators.values():
        app.removeTranslator(translator)
    _translators.clear()
    app.setProperty("gkdeskTranslations", None)


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        args = list(argv if argv is not None else sys.argv[:1])
        plat = os.environ.get("QT_QPA_PLATFORM")
        if sys.platform == "win32" and plat and "-platform" not in args:
            # Passed as the argument too: measured under Wine 8, the variable set in-process
            # (the self-test's offscreen default) did not reach Qt, the argument did.
            args += ["-platform", plat]
        app = QApplication(args)
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    install_qt_translations(app)
    apply_style(app)
    return app


_in_hook = False


def excepthook(exc_type, exc, tb) -> None:
    """Unexpected errors: logged, shown in a message box, never a silent crash."""
    global _in_hook
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    import traceback

    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("未处理的异常：\n%s", text)
    if _in_hook or QApplication.instance() is None:
        sys.__excepthook__(exc_type, exc, tb)
        return
    _in_hook = True
    try:
        from gkdesk.ui.dialogs import messages

        exc.__traceback_text__ = text
        parent = QApplication.activeWindow()
        messages.show_exception(parent, exc)
    except Exception:  # pragma: no cover - never loop on a broken hook
        sys.__excepthook__(exc_type, exc, tb)
    finally:
        _in_hook = False


def install_excepthook() -> None:
    sys.excepthook = excepthook


def default_actor():
    """The user when no login screen is installed: this machine's account, every role."""
    import getpass

    from gkdesk.actors import ALL_ROLES, Actor

    try:
        name = getpass.getuser()
    except Exception:  # pragma: no cover
        name = "user"
    return Actor(name or "user", name or "本机用户", ALL_ROLES)


def login(ctx):
    """The actor to work as: ``gkdesk.ui.login.ensure_login(ctx)`` when that module exists
    (it returns an Actor, or None when the user gives up), else ``default_actor()``."""
    try:
        import importlib

        mod = importlib.import_module("gkdesk.ui.login")
    except ModuleNotFoundError as exc:
        if exc.name != "gkdesk.ui.login":
            raise
        return default_actor()
    ensure = getattr(mod, "ensure_login", None)
    if ensure is None:
        return default_actor()
    return ensure(ctx)


def confirm_new_database(db_path):
    """``--db`` names a file that does not exist: ask before creating it (a mistyped path
    must not quietly open a new, empty database). Returns the path to open — the one given
    (新建) or another chosen file (选择其他文件) — or None (退出)."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from gkdesk.api.admin import missing_database

    while (missing := missing_database(db_path)) is not None:
        box = QMessageBox(QMessageBox.Question, "数据库文件不存在", f"找不到数据库文件：\n{missing}")
        box.setInformativeText("如果路径写错了，请选择其他文件；确要在此新建一个空数据库，请点“新建”。")
        new = box.addButton("新建", QMessageBox.AcceptRole)
        other = box.addButton("选择其他文件…", QMessageBox.ActionRole)
        box.addButton("退出", QMessageBox.RejectRole)
        box.setDefaultButton(other)
        box.exec()
        if box.clickedButton() is new:
            return db_path
        if box.clickedButton() is not other:
            return None
        start = next((str(p) for p in missing.parents if p.is_dir()), "")
        chosen, _ = QFileDialog.getOpenFileName(None, "选择数据库文件", start,
                                                "gkdesk 数据库 (*.sqlite3 *.sqlite *.db);;所有文件 (*)")
        if chosen:
            db_path = chosen
    return db_path


def run_gui(db_path: str | os.PathLike | None = None, read_only: bool = False, create: bool = False) -> int:
    """Open the database (``read_only``: for reading only), log in, show the main window;
    returns the exit code. A ``db_path`` that does not exist is created only after asking
    (or with ``create``); the default database (``None``) is created as always."""
    from gkdesk.api.admin import close_database, open_database
    from gkdesk.errors import DatabaseError
    from gkdesk.ui.context import AppContext

    setup_logging()
    app = create_application()
    install_excepthook()
    if db_path is not None and not create and not read_only:
        db_path = confirm_new_database(db_path)
        if db_path is None:
            return 0
    try:
        opened = open_database(db_path, read_only=read_only)
    except DatabaseError as exc:
        log.error("无法打开数据库：%s", exc)
        opened = _offer_read_only(db_path, exc)
        if opened is None:
            return exc.exit_code
    try:
        if db_path is None:
            # First start on a brand-new default database: offer the demo database.
            from gkdesk.ui.dialogs.first_run import choose_database

            opened = choose_database(opened)
            if opened is None:
                return 0
        ctx = AppContext(opened, None)
        actor = login(ctx)
        if actor is None:
            return 0
        ctx.actor = actor
        from gkdesk.ui.main_window import MainWindow

        window = MainWindow(ctx)
        window.show()
        # The day's backup, the deferred file check and the idle lock start once the window
        # has painted: before that they would only delay the first paint.
        call_after_first_paint(window, lambda: _after_show(ctx, window))
        rc = app.exec()
        ctx.wait_for_background(10000)
        if not window.is_demo:   # practice data is not worth the space in the backup folder
            _backup_on_exit()
        return rc
    finally:
        close_database()


class _FirstPaintWatcher(QObject):
    """Calls ``fn`` (from a zero timer) after the first paint of any widget of ``window``."""

    def __init__(self, window, fn):
        super().__init__(window)
        self._window = window
        self._fn = fn
        self._done = False
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802
        if (not self._done and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget)
                and obj.window() is self._window):
            self._done = True
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, self._fn)
        return False


def call_after_first_paint(window, fn) -> None:
    """Run ``fn`` on the UI thread once ``window`` has painted for the first time (so work
    that is not needed for that first picture does not delay it)."""
    window._first_paint_watcher = _FirstPaintWatcher(window, fn)


def _offer_read_only(db_path, exc):
    """A locked or read-only database can still be read: offer that; anything else is
    reported with its way out (the message names it) and nothing is touched."""
    from PySide6.QtWidgets import QMessageBox

    from gkdesk.api.admin import DatabaseLocked, DatabaseReadOnly, open_database
    from gkdesk.errors import DatabaseError
    from gkdesk.ui.dialogs import messages

    if not isinstance(exc, (DatabaseLocked, DatabaseReadOnly)):
        messages.error(None, "无法打开数据库", str(exc))
        return None
    box = QMessageBox(QMessageBox.Warning, "无法写入数据库", str(exc))
    box.setInformativeText("可以只读打开：查看和导出案件，但不能修改。")
    ro = box.addButton("只读打开", QMessageBox.AcceptRole)
    box.addButton("退出", QMessageBox.RejectRole)
    box.exec()
    if box.clickedButton() is not ro:
        return None
    try:
        return open_database(db_path, read_only=True)
    except DatabaseError as exc2:
        messages.error(None, "无法打开数据库", str(exc2))
        return None


def settle_heap() -> None:
    """Once the window is up, move everything made so far (modules, Qt wrappers, the window)
    out of the garbage collector's sight: a full collection then scans only what came later,
    not the whole start-up heap — at county scale one took 78 ms in the middle of reopening
    the 工作任务 page (issue 20). Nothing of it is garbage; new objects are collected as before."""
    import gc

    gc.collect()
    gc.freeze()


def _after_show(ctx, window) -> None:
    """Once the window is up: the day's automatic backup in the background, the idle lock."""
    from gkdesk.api import maintenance

    settle_heap()
    from gkdesk.ui import warmup

    warmup.start(ctx, window)      # the other pages' code and the letter fonts, while idle

    if not getattr(window, "is_demo", False):
        def done(info):
            if info is not None:
                window.statusBar().showMessage(f"已自动备份：{info.path.name}", 8000)

        def failed(err):
            log.warning("自动备份失败：%s", err)
            window.statusBar().showMessage(f"自动备份失败：{err}", 15000)

        ctx.run_in_background(lambda *a, **k: maintenance.daily_backup("start"), done, failed, progress=False)
    if getattr(ctx.db, "integrity_deferred", False):
        from gkdesk.api.admin import quick_check_deferred

        def checked(problems):
            if problems:
                from gkdesk.ui.dialogs import messages

                messages.error(window, "数据库文件可能已损坏",
                               "后台检查发现数据库文件有损坏的页面。请立即用“维护—备份与恢复”恢复最近的备份，"
                               "或运行 gkdesk check 查看详情。", "\n".join(problems[:10]))

        ctx.run_in_background(lambda *a, **k: quick_check_deferred(), checked,
                              lambda err: log.warning("后台检查数据库失败：%s", err), progress=False)
    from gkdesk.ui.dialogs.day_list import offer_on_start

    offer_on_start(ctx, window)     # what is overdue or due today, unless switched off
    try:
        from gkdesk.ui.login import install_idle_lock
    except ImportError:  # pragma: no cover
        return
    install_idle_lock(window, ctx=ctx)


def _backup_on_exit() -> None:
    try:
        from gkdesk.api import maintenance

        maintenance.daily_backup("exit")
    except Exception as exc:  # a failed backup must not lose the session's work: it is saved
        log.warning("退出时自动备份失败：%s", exc)
