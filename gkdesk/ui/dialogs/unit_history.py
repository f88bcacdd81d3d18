"""A unit's history (更名、合并、附件修改…), newest first, with before → after of each change."""
from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QTextBrowser,
    QVBoxLayout,
)

from gkdesk.domain import terms
from gkdesk.api import forms as api

log = logging.getLogger(__name__)


ACTION_LABELS = {"create": "新增单位", "rename": "更名", "update": "修改单位信息", "retire": "撤销",
                 "restore": "恢复", "merge": "并入其他单位", "merge_in": "其他单位并入", "staff": "修改附件一",
                 "functions": "修改附件二", "leading_group": "修改领导小组", "staff_import": "导入附件一",
                 "functions_import": "导入附件二"}


class HistoryDialog(QDialog):
    """The unit's UnitHistory, newest first, with before → after of each change."""

    def __init__(self, unit_id: int, parent=None):
        super().__init__(parent)
        unit = api.unit(unit_id)
        self.setWindowTitle(f"“{unit.name}”的修改记录")
        self.resize(760, 520)
        self.view = QTextBrowser()
        rows = []
        for h in reversed(api.history(unit_id)):
            when = h.at.astimezone().strftime("%Y-%m-%d %H:%M") if h.at else ""
            rows.append(f"<p><b>{when}　{ACTION_LABELS.get(h.action, h.action)}</b>　{h.user}</p>"
                        f"<p style='color:#555'>{_summarise(h.before)} → {_summarise(h.after)}</p>")
        self.view.setHtml("".join(rows) or "<p>没有记录</p>")
        box = QDialogButtonBox(QDialogButtonBox.Close)
        box.button(QDialogButtonBox.Close).setText("关闭")
        box.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.view)
        lay.addWidget(box)


def _summarise(data) -> str:
    from html import escape

    if data is None:
        return "（无）"
    if isinstance(data, dict) and set(data) <= {"leader", "staff"}:
        return escape("；".join(f"{terms.STAFF_GROUPS[g].label}：" + "、".join(r["name"] for r in data.get(g, []))
                               for g in ("leader", "staff")))
    if isinstance(data, dict) and "functions" in data and "full_name" in data:
        return escape(f"{data.get('full_name')}，{data.get('phone')}，负责人{data.get('head_name')}")
    if isinstance(data, list):
        return escape("、".join(f"{terms.label_of(terms.LEADING_GROUP_ROLES, m.get('role'))}{m.get('name')}"
                               for m in data))
    text = str({k: v for k, v in data.items() if k != "snapshot"}) if isinstance(data, dict) else str(data)
    return escape(text[:300])
