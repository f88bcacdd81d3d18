"""备份与恢复: the backups of this database with their date and case count, 立即备份, and
restore from a chosen backup after a confirmation (the current state is backed up first).
All work runs on the thread pool with a progress dialog.

``open_backup_dialog(ctx, parent)`` shows it modally.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QLabel,
                               QPushButton, QTableWidgetItem, QVBoxLayout, QWidget)

from gkdesk.api import maintenance as maint
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets.tables import list_table

log = logging.getLogger(__name__)

COLUMNS = ("备份时间", "类型", "案件数", "大小", "文件")


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return str(n)


class BackupDialog(QDialog):
    listed = Signal(list)          # the BackupInfo list shown
    backedUp = Signal(object)      # BackupInfo of a new backup
    restored = Signal(object)      # RestoreResult

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("备份与恢复")
        self.backups: list = []
        self.sqlite = getattr(ctx.db, "backend", "sqlite") == "sqlite"
        self.read_only = bool(getattr(ctx.db, "read_only", False))
        self.is_admin = ctx.actor is not None and ctx.actor.has("admin")

        self.folder = maint.backup_dir()
        head = QLabel()
        head.setWordWrap(True)
        if self.sqlite:
            head.setText(f"备份文件夹：{self.folder}\n"
                         f"自动备份：每天首次启动和退出（有改动时）各备份一次；保留最近{maint.KEEP_DAILY}天每天一份、"
                         f"最近{maint.KEEP_MONTHLY}个月每月一份。手动备份和恢复前的备份不会自动删除。"
                         "可在“设置 → 备份文件夹”中改到另一块硬盘或移动硬盘。")
        else:
            head.setText("当前使用 PostgreSQL 服务器数据库：请由服务器管理员用 pg_dump 定期备份，"
                         "用 pg_restore 恢复。")
        self.table = list_table(COLUMNS, fit_columns=True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda *_: self.restore_selected())
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.backup_button = QPushButton("立即备份")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("恢复所选备份…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton("从备份文件恢复…")
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.open_button = QPushButton("打开备份文件夹")
        self.open_button.clicked.connect(self.open_folder)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.backup_button, self.restore_button, self.restore_file_button, self.open_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)

        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        lay.addLayout(buttons)
        self.resize(760, 440)
        if not self.sqlite:
            for b in (self.backup_button, self.restore_button, self.restore_file_button, self.open_button):
                b.setEnabled(False)
        else:
            if self.read_only:
                self.restore_file_button.setEnabled(False)
                self.restore_file_button.setToolTip("数据库以只读方式打开，不能恢复")
            elif not self.is_admin:
                self.restore_file_button.setEnabled(False)
                self.restore_file_button.setToolTip("从备份恢复需要管理员权限")
            self.refresh()
        self._update_buttons()

    # ------------------------------------------------------------------ list
    def refresh(self) -> None:
        folder = self.folder
        self.ctx.run_in_background(lambda: maint.list_backups(folder), self._show, progress=False)

    def _show(self, infos: list) -> None:
        self.backups = infos
        self.table.setRowCount(len(infos))
        for row, b in enumerate(infos):
            cells = (f"{b.local_time:%Y-%m-%d %H:%M:%S}", b.kind_label, f"{b.case_count} 件", _size(b.size),
                     b.path.name)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col in (2, 3):
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(row, col, item)
        if not infos:
            self.status.setText("还没有备份。")
        self._update_buttons()
        self.listed.emit(infos)

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.backups[rows[0].row()]

    def _update_buttons(self) -> None:
        can_restore = self.sqlite and self.is_admin and not self.read_only
        self.restore_button.setEnabled(can_restore and self.selected() is not None)
        if not self.is_admin:
            self.restore_button.setToolTip("从备份恢复需要管理员权限")
        elif self.read_only:
            self.restore_button.setToolTip("数据库以只读方式打开，不能恢复")

    # ------------------------------------------------------------------ backup
    def backup_now(self) -> None:
        from gkdesk.ui.workers import Cancelled

        folder = self.folder

        def work(progress, cancelled):
            try:
                return maint.create_backup(folder, kind="manual", progress=progress, cancelled=cancelled)
            except maint.BackupCancelled:
                raise Cancelled() from None

        self.backup_button.setEnabled(False)
        self.status.setText("正在备份…")
        self.ctx.run_in_background(work, self._backed_up, self._failed, title="正在备份", parent=self,
                                   on_cancelled=self._cancelled)

    def _backed_up(self, info) -> None:
        self.backup_button.setEnabled(True)
        self.status.setText(f"已备份：{info.path}（案件 {info.case_count} 件）")
        self.backedUp.emit(info)
        self.refresh()

    def _cancelled(self) -> None:
        self.backup_button.setEnabled(True)
        self.status.setText("备份已取消，未写入任何文件。")

    def _failed(self, exc) -> None:
        self.backup_button.setEnabled(self.sqlite)
        self._update_buttons()
        self.status.setText("操作失败。")
        self.ctx.show_error(exc, self)

    # ------------------------------------------------------------------ restore
    def restore_selected(self) -> None:
        info = self.selected()
        if info is None or not self.restore_button.isEnabled():
            return
        self._restore(info)

    def restore_from_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(self.folder), "gkdesk 备份 (*.zip)")
        if not path:
            return
        try:
            info = maint.load_backup(path)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            self.ctx.show_error(exc, self)
            return
        self._restore(info)

    def _restore(self, info) -> None:
        text = (f"将用 {info.local_time:%Y-%m-%d %H:%M} 的备份（{info.kind_label}，案件 {info.case_count} 件）"
                f"替换当前数据库“{self.ctx.db.display}”。\n\n"
                "此后登记和修改的内容将被撤回；恢复前会先自动备份当前状态，需要时可再恢复回来。\n"
                "其他电脑上正在使用同一数据库的 gkdesk 请先关闭。\n\n确定恢复？")
        if not messages.confirm(self, "从备份恢复", text, yes="恢复", no="取消"):
            return
        actor = self.ctx.actor
        folder = self.folder

        def work(progress):
            return maint.restore(info, actor, safety_dir=folder, progress=progress)

        self.status.setText("正在恢复…")
        self.restore_button.setEnabled(False)
        self.ctx.run_in_background(work, self._restored, self._failed, title="正在从备份恢复", parent=self,
                                   write=True)

    def _restored(self, result) -> None:
        from gkdesk.api.admin import open_database

        try:
            # Reopen on this thread (a backup from an older gkdesk is migrated) ...
            opened = open_database(self.ctx.db.target)
            self.ctx.db = opened
        except Exception as exc:  # noqa: BLE001
            self._failed(exc)
            return
        actor = self.ctx.actor
        # ... and record it, on the writer thread like every write of the GUI
        self.ctx.ops.write(lambda: maint.record_restore(result, actor),
                           success=lambda _r: self._recorded(result), failure=self._failed,
                           initiator=self, parent=self)

    def _recorded(self, result) -> None:
        self.status.setText(
            f"已恢复到 {result.backup.local_time:%Y-%m-%d %H:%M} 的状态（案件 {result.backup.case_count} 件）。"
            + (f"恢复前的状态已备份为 {Path(result.safety_backup).name}。" if result.safety_backup else ""))
        self.restored.emit(result)    # record_restore told every screen (Changes.everything)
        self.refresh()

    def open_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))


def open_backup_dialog(ctx, parent: QWidget | None = None) -> BackupDialog:
    dialog = BackupDialog(ctx, parent or ctx.main_window)
    dialog.exec()
    return dialog
