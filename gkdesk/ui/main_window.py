"""The main window: navigation on the left, pages on the right, status bar, menus.

Pages are built lazily on first visit from ``gkdesk.ui.pages.PAGES``; a page that cannot
be built (its module missing, or its factory raising) shows 页面加载失败 with the reason,
logged, and fails the self-test. The window remembers its geometry in ``QSettings``.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget,
    QToolBar, QVBoxLayout, QWidget,
)

from gkdesk import APP_TITLE
from gkdesk.domain import terms
from gkdesk.ui import pages as page_registry

log = logging.getLogger(__name__)

WINDOW_TITLE = f"{APP_TITLE} — gkdesk"
DEMO_TITLE_SUFFIX = "【演示数据】"


class ErrorPage(QWidget):
    """Shown when a page could not be built (module missing, factory raised): the window
    keeps working, the reason is on the page and in the log, the self-test fails."""

    def __init__(self, title: str, parent: QWidget | None = None, detail: str = ""):
        super().__init__(parent)
        self.setObjectName("errorPage")
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        for text, name in ((title, "pageTitle"), (self.TEXT, "errorText"), (detail, "hint")):
            if not text:
                continue
            label = QLabel(text)
            label.setObjectName(name)
            label.setAlignment(Qt.AlignCenter)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)
            lay.addWidget(label)
        lay.addStretch(2)
        self.detail = detail

    TEXT = "页面加载失败"


class MainWindow(QMainWindow):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        from gkdesk.ui.app import apply_style

        apply_style(QApplication.instance())
        self.ctx = ctx
        ctx.main_window = self
        self.is_demo = self._is_demo_database()
        self.setWindowTitle(WINDOW_TITLE + (f" {DEMO_TITLE_SUFFIX}" if self.is_demo else ""))
        self.setObjectName("mainWindow")
        self._pages: dict[str, QWidget] = {}
        self._dialogs: list = []
        self.register_dialog = None

        # ---- navigation + pages
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFocusPolicy(Qt.StrongFocus)
        self.nav.setUniformItemSizes(True)
        for spec in page_registry.PAGES:
            item = QListWidgetItem(spec.title)
            item.setData(Qt.UserRole, spec.key)
            item.setSizeHint(QSize(0, 40))
            self.nav.addItem(item)
        self.nav.setFixedWidth(max(210, self.nav.sizeHintForColumn(0) + 36))
        self.stack = QStackedWidget()
        self.stack.setObjectName("pageStack")
        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.nav)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._nav_changed)

        # ---- actions, menus, toolbar
        self.register_action = QAction("登记申请…", self)
        self.register_action.setShortcut(QKeySequence.New)
        self.register_action.setToolTip("登记一件新的政府信息公开申请（Ctrl+N）")
        self.register_action.triggered.connect(self.open_register_dialog)
        self.quit_action = QAction("退出", self)
        self.quit_action.setShortcut(QKeySequence.Quit)
        self.quit_action.setToolTip("关闭 gkdesk（Ctrl+Q）；未保存的修改会先询问")
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction("关于 gkdesk", self)
        self.about_action.setToolTip("版本、当前数据库和运行环境")
        self.about_action.triggered.connect(self.show_about)
        self.help_action = QAction("使用指南", self)
        self.help_action.setShortcut(QKeySequence.HelpContents)
        self.help_action.setShortcutContext(Qt.WindowShortcut)
        self.help_action.setToolTip("打开使用指南中讲当前页面的一节（F1）")
        self.help_action.triggered.connect(self.show_help)
        self.addAction(self.help_action)

        file_menu = self.menuBar().addMenu("文件(&F)")
        file_menu.addAction(self.register_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        go_menu = self.menuBar().addMenu("转到(&G)")
        self.page_actions = {}
        for i, spec in enumerate(page_registry.PAGES):
            act = QAction(spec.title, self)
            if i < 9:
                act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
                act.setToolTip(f"转到“{spec.title}”（Ctrl+{i + 1}）")
            else:
                act.setToolTip(f"转到“{spec.title}”")
            act.triggered.connect(lambda _c=False, k=spec.key: self.show_page(k))
            go_menu.addAction(act)
            self.page_actions[spec.key] = act
        tools_menu = self.menuBar().addMenu("维护(&M)")
        self.backup_action = QAction("备份与恢复…", self)
        self.backup_action.setToolTip("立即备份、查看备份、从备份恢复")
        self.backup_action.triggered.connect(self.open_backups)
        self.users_action = QAction("用户管理…", self)
        self.users_action.setToolTip("添加用户、分配角色、重设密码（管理员）")
        self.users_action.triggered.connect(self.open_users)
        self.check_action = QAction("数据检查", self)
        self.check_action.setToolTip("检查数据库完整性、存档文件的 SHA-256 和审计记录链")
        self.check_action.triggered.connect(self.run_check)
        for act in (self.backup_action, self.users_action, self.check_action):
            tools_menu.addAction(act)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        help_menu.addAction(self.help_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        for menu in (file_menu, go_menu, tools_menu, help_menu):
            menu.setToolTipsVisible(True)

        self.toolbar = QToolBar("常用")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.toolbar.addAction(self.register_action)
        self.register_action.setIconText("登记申请")
        self.addToolBar(Qt.TopToolBarArea, self.toolbar)

        # ---- status bar
        self.db_label = QLabel()
        self.db_label.setObjectName("statusDatabase")
        self.user_label = QLabel()
        self.user_label.setObjectName("statusUser")
        self.statusBar().addPermanentWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)
        self.update_status()
        ctx.changed.actorChanged.connect(self.update_status)

        self._restore_geometry()
        start = self.ctx.settings.value("mainWindow/page", "dashboard")
        self.show_page(start if start in page_registry.PAGES_BY_KEY else "dashboard")

    # ---------------------------------------------------------------- status
    def _is_demo_database(self) -> bool:
        from gkdesk.api import maintenance

        return maintenance.is_demo_database(getattr(self.ctx.db, "path", None))

    def update_status(self) -> None:
        db = self.ctx.db
        if db is None:
            self.db_label.setText("数据库：未打开")
            self.db_label.setToolTip(self.db_label.text())
        elif self.is_demo:
            self.db_label.setText(f"演示数据库（练习用，与正式数据分开保存）：{db.display}")
            self.db_label.setToolTip("这是生成的演示数据，不是正式数据，可以随意练习。正式数据库是"
                                     "数据文件夹中的 gkdesk.sqlite3：关闭程序后重新打开，在欢迎窗口中"
                                     "选择“开始使用（空白数据库）”。")
        else:
            self.db_label.setText(f"数据库：{db.display}")
            self.db_label.setToolTip(self.db_label.text())
        self.db_label.setProperty("demo", self.is_demo)
        if self.is_demo:
            self.db_label.setStyleSheet("QLabel { background: #fff3cd; color: #7a4b00; padding: 0 6px; "
                                        "font-weight: bold; }")
        actor = self.ctx.actor
        if actor is None:
            self.user_label.setText("当前用户：未登录")
        else:
            roles = "、".join(terms.label_of(terms.ROLES, r) for r in terms.ROLES if r in actor.roles)
            self.user_label.setText(f"当前用户：{actor.name}" + (f"（{roles}）" if roles else ""))

    # ---------------------------------------------------------------- pages
    def page(self, key: str, create: bool = True) -> QWidget | None:
        """The page widget of ``key`` (built on first request)."""
        if key in self._pages:
            return self._pages[key]
        if not create:
            return None
        spec = page_registry.PAGES_BY_KEY[key]
        try:
            widget = page_registry.create(spec, self.ctx, self.stack)
        except Exception as exc:  # noqa: BLE001 - a broken page must not take the window down
            log.exception("页面 %s 创建失败", key)
            widget = ErrorPage(spec.title, self.stack, detail=f"{type(exc).__name__}: {exc}")
        widget.setProperty("pageKey", key)
        self._pages[key] = widget
        self.stack.addWidget(widget)
        return widget

    def current_page_key(self) -> str | None:
        item = self.nav.currentItem()
        return item.data(Qt.UserRole) if item else None

    def show_page(self, key: str, **options) -> QWidget:
        row = next(i for i, s in enumerate(page_registry.PAGES) if s.key == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)   # → _nav_changed builds and shows it
        widget = self.page(key)
        if self.stack.currentWidget() is not widget:
            self.stack.setCurrentWidget(widget)
        if options and hasattr(widget, "navigate"):
            widget.navigate(**options)
        return widget

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        key = page_registry.PAGES[row].key
        current = self.stack.currentWidget()
        if current is not None and current.property("pageKey") != key and hasattr(current, "confirm_leave"):
            if not current.confirm_leave():
                back = next(i for i, s in enumerate(page_registry.PAGES)
                            if s.key == current.property("pageKey"))
                self.nav.blockSignals(True)
                self.nav.setCurrentRow(back)
                self.nav.blockSignals(False)
                return
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        if hasattr(widget, "activate"):
            widget.activate()
        self.ctx.settings.setValue("mainWindow/page", key)

    # ---------------------------------------------------------------- cases
    def open_register_dialog(self):
        """Open the 登记 dialog (window-modal, non-blocking); returns it."""
        from gkdesk.ui.dialogs.register import RegisterDialog

        if self.register_dialog is not None and self.register_dialog.isVisible():
            self.register_dialog.raise_()
            return self.register_dialog
        dlg = RegisterDialog(self.ctx, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.accepted.connect(lambda d=dlg: self._registered(d.case))
        dlg.destroyed.connect(lambda *_: setattr(self, "register_dialog", None))
        self.register_dialog = dlg
        dlg.open()
        return dlg

    def _registered(self, case) -> None:
        if case is None:
            return
        page = self.show_page("cases")
        if hasattr(page, "select_case"):
            page.select_case(case.id, case.number)

    def open_case(self, case_id: int):
        """Open the window of one case (non-blocking); returns it."""
        try:
            from gkdesk.ui.case_window import open_case_window
        except ModuleNotFoundError as exc:
            if exc.name != "gkdesk.ui.case_window":
                raise
            from gkdesk.ui.dialogs.case_detail import CaseDetailDialog

            dlg = CaseDetailDialog(self.ctx, case_id, self)
            dlg.setAttribute(Qt.WA_DeleteOnClose)
            dlg.show()
            return dlg
        return open_case_window(self.ctx, case_id, self)

    # ---------------------------------------------------------------- misc
    def help_topic(self) -> str:
        """The guide topic of what the window shows: the current page's own topic (a page
        may say, e.g. 设置 on its 理由库 tab), else the page's key."""
        page = self._pages.get(self.current_page_key() or "")
        topic = page.help_topic() if page is not None and hasattr(page, "help_topic") else None
        return topic or self.current_page_key() or "dashboard"

    def show_help(self, topic: str | None = None):
        """Open the user guide on ``topic`` (default: the current page), non-blocking;
        returns the help window."""
        from gkdesk.ui.dialogs.help_dialog import open_help

        return open_help(topic or self.help_topic(), self)

    def show_about(self):
        from gkdesk.ui.dialogs.about import AboutDialog

        dlg = AboutDialog(self.ctx, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def _restore_geometry(self) -> None:
        geo = self.ctx.settings.value("mainWindow/geometry")
        if isinstance(geo, QByteArray) and not geo.isEmpty() and self.restoreGeometry(geo):
            return
        self.resize(1280, 800)

    # ---------------------------------------------------------------- maintenance
    def open_backups(self) -> None:
        from gkdesk.ui.dialogs.backup_dialog import open_backup_dialog

        open_backup_dialog(self.ctx, self)

    def open_users(self) -> None:
        from gkdesk.ui.dialogs import messages
        from gkdesk.ui.dialogs.users_dialog import open_users_dialog

        if self.ctx.actor is None or not self.ctx.actor.has("admin"):
            messages.warning(self, "用户管理", "用户管理需要管理员权限。")
            return
        open_users_dialog(self.ctx, self)

    def run_check(self) -> None:
        from gkdesk.api import maintenance
        from gkdesk.ui.dialogs import messages

        def job(progress, cancelled):
            return maintenance.run_check(progress)

        def done(report):
            if report.ok:
                messages.info(self, "数据检查", report.summary)
            else:
                messages.warning(self, "数据检查", report.summary, "\n".join(report.problems[:50]))

        self.ctx.run_in_background(job, done, title="正在检查数据", parent=self)

    def closeEvent(self, event) -> None:  # noqa: N802
        for widget in self._pages.values():
            if hasattr(widget, "confirm_leave") and not widget.confirm_leave():
                event.ignore()
                return
        self.ctx.settings.setValue("mainWindow/geometry", self.saveGeometry())
        self.ctx.settings.sync()
        super().closeEvent(event)
