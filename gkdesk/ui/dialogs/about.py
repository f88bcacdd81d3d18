"""帮助 → 关于."""
from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from gkdesk import APP_TITLE, __version__


class AboutDialog(QDialog):
    def __init__(self, ctx=None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("关于 gkdesk")
        title = QLabel(f"{APP_TITLE}（gkdesk）")
        title.setObjectName("pageTitle")
        self.version_label = QLabel(f"版本 {__version__}")
        db = getattr(getattr(ctx, "db", None), "display", "")
        info = QLabel(
            "供政府信息公开工作机构使用的单机办公软件：依申请公开登记、审核、办理、答复、送达、归档，"
            "文书制作，附件一、附件二收集，年度报告统计。"
            + (f"<br><br>当前数据库：{db}" if db else "")
            + f"<br>Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}")
        info.setWordWrap(True)
        info.setTextFormat(Qt.RichText)
        info.setTextInteractionFlags(Qt.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok)
        buttons.button(QDialogButtonBox.Ok).setText("确定")
        buttons.accepted.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 16)
        lay.setSpacing(10)
        lay.addWidget(title)
        lay.addWidget(self.version_label)
        lay.addWidget(info)
        lay.addWidget(buttons)
        self.setMinimumWidth(460)
