"""The welcome at the very first start (``gkdesk`` without ``--db`` on a database with no
users and no cases): start with the empty real database, or look at the demo database
first — generated cases and units in a file of its own (``gkdesk.api.maintenance.demo_database_path()``),
so practice never mixes with real work.

Choosing the demo opens that file (creating it and generating the data on the operations
runner's writer thread — ``ops.standalone()``, as no ``AppContext`` exists yet; tests pass
``ops=`` — with progress and 取消, when it is new); ``dialog.opened`` is then the database to use. The
login (creating the first administrator) follows on whichever database was chosen.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton, QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout,
    QWidget,
)

from gkdesk.api import maintenance as firstrun
from gkdesk.ui import ops as ops_mod
from gkdesk.ui import workers

log = logging.getLogger(__name__)

BLANK = "blank"
DEMO = "demo"


class WelcomeDialog(QDialog):
    """欢迎使用 gkdesk: 开始使用（空白数据库） or 先看看演示数据."""

    _progressed = Signal(int, int)      # the generation's progress, from the writer thread

    def __init__(self, opened, parent: QWidget | None = None, ops=None):
        super().__init__(parent)
        self.ops = ops if ops is not None else ops_mod.standalone()
        self._progressed.connect(self._progress, Qt.QueuedConnection)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle("欢迎使用 gkdesk")
        self.real = opened          # the real (default) database, open now
        self.opened = opened        # what to use once accepted
        self.choice: str | None = None
        self.task = None            # the generation's ops.Handle while it runs
        self._busy = False

        title = QLabel("欢迎使用 gkdesk")
        title.setObjectName("pageTitle")
        intro = QLabel("这是第一次在本机使用“政府信息公开办公桌”，数据库中还没有用户和案件。"
                       "可以直接开始登记真实的申请，也可以先用演示数据熟悉一下。")
        intro.setWordWrap(True)

        self.blank_button = QCommandLinkButton(
            "开始使用（空白数据库）",
            "在正式数据库中创建管理员账户，开始登记真实的申请。\n"
            f"数据保存在：{getattr(opened, 'display', '')}")
        self.blank_button.setObjectName("startBlank")
        self.blank_button.clicked.connect(self.choose_blank)
        self.demo_button = QCommandLinkButton(
            "先看看演示数据",
            f"打开单独的演示数据库：{firstrun.DEMO_CASES} 件生成的案件和若干单位，与正式数据分开保存，可以随意练习。\n"
            "以后重新打开程序，在这里选择“开始使用”即可改用正式数据库。")
        self.demo_button.setObjectName("startDemo")
        self.demo_button.clicked.connect(self.choose_demo)
        for b in (self.blank_button, self.demo_button):
            b.setMinimumHeight(92)   # title and two lines of description, never clipped
        self.blank_button.setDefault(True)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("welcomeStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setToolTip("停止生成演示数据，回到选择")
        self.cancel_button.clicked.connect(self.cancel_generation)
        self.cancel_button.hide()
        self.quit_button = QPushButton("退出")
        self.quit_button.setToolTip("不做选择，关闭程序")
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.reject)

        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.cancel_button)
        bottom.addStretch(0)
        bottom.addWidget(self.quit_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 16)
        lay.setSpacing(12)
        lay.addWidget(title)
        lay.addWidget(intro)
        lay.addWidget(self.blank_button)
        lay.addWidget(self.demo_button)
        lay.addWidget(self.status)
        lay.addLayout(bottom)
        self.setMinimumWidth(680)

    # ------------------------------------------------------------------ choices
    def choose_blank(self) -> None:
        """Keep the real database (empty); the login then creates its administrator."""
        if self.busy():
            return
        self.choice = BLANK
        self.opened = self.real
        self.accept()

    def choose_demo(self) -> None:
        """Open the demo database; generate its data first when it has none (in the
        background). The dialog is accepted once it is ready."""
        from gkdesk.api.admin import open_database

        if self.busy():
            return
        self._set_busy(True, "正在打开演示数据库…")
        try:
            demo = open_database(firstrun.demo_database_path())
            ready = firstrun.has_cases()
        except Exception as exc:  # noqa: BLE001 - shown, and the real database reopened
            log.exception("打开演示数据库失败")
            self._back_to_real(f"无法打开演示数据库：{exc}")
            return
        self.opened = demo
        if ready:
            self._ready()
            return
        self.status.setText(f"正在生成演示数据（{firstrun.DEMO_CASES} 件案件）…")
        self.task = True            # generating (the handle follows: a synchronous runner is done first)
        handle = self.ops.write(self._generate, success=lambda _stats: self._ready(),
                                failure=lambda exc: self._back_to_real(f"生成演示数据失败：{exc}"),
                                on_cancelled=lambda: self._back_to_real("已取消生成演示数据。"),
                                title="正在生成演示数据")
        if self.task is True:
            self.task = handle

    def _generate(self, progress, cancelled):
        def report(done: int, total: int) -> None:
            if cancelled():
                raise workers.Cancelled()   # the one transaction is rolled back
            progress(done, total)
            self._report_progress(done, total)

        stats = firstrun.fill_demo_database(progress=report)
        if cancelled():   # pressed while the units were being made: discarded all the same
            raise workers.Cancelled()
        return stats

    def _report_progress(self, done: int, total: int) -> None:
        """From the writer thread: the bar follows through a queued signal."""
        self._progressed.emit(done, total)

    def cancel_generation(self) -> None:
        if self.task is not None and self.task is not True:
            self.task.cancel()
            self.status.setText("正在取消…")

    def busy(self) -> bool:
        return self._busy

    # ------------------------------------------------------------------ states
    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.blank_button.setEnabled(not busy)
        self.demo_button.setEnabled(not busy)
        self.quit_button.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if not busy:
            self.progress.setRange(0, 0)
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _ready(self) -> None:
        self.task = None
        self._set_busy(False)
        self.choice = DEMO
        self.accept()

    def _back_to_real(self, message: str) -> None:
        """Something went wrong (or was cancelled): the real database is open again (the
        demo one closed, and deleted when its generation did not finish) and both choices
        are offered again."""
        from gkdesk.api.admin import open_database

        generated = self.task is not None
        self.task = None
        try:
            self.real = self.opened = open_database(self.real.target)
        except Exception as exc:  # noqa: BLE001
            log.exception("重新打开数据库失败")
            message += f"\n重新打开正式数据库也失败了：{exc}"
        if generated:
            # Half-made practice data is no use: the next try starts from an empty file.
            firstrun.discard_demo_database()
        self._set_busy(False, message)

    # ------------------------------------------------------------------ closing
    def reject(self) -> None:
        if self.busy():
            self.cancel_generation()   # closing while generating stops it first
            return
        self.choice = None
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.busy():
            self.cancel_generation()
            event.ignore()
            return
        super().closeEvent(event)


def choose_database(opened, parent: QWidget | None = None):
    """At the first start on a brand-new real database, ask: blank or demo. Returns the
    database to use (``opened`` itself when there is nothing to ask), or None when the
    user closed the welcome (quit)."""
    if opened is None or opened.read_only or opened.backend != "sqlite" or not firstrun.is_new_database():
        return opened
    dialog = WelcomeDialog(opened, parent)
    try:
        if dialog.exec() != QDialog.Accepted:
            return None
        return dialog.opened
    finally:
        dialog.deleteLater()
