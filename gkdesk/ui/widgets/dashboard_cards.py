"""The 工作台's cards of other areas: ``TaskCards`` (工作任务: 本周到期, 逾期未报, 退回修改) and
``ReportDeadlines`` (the units' reports by 31 January, Art. 49; the county's by 31 March,
Art. 50). Kept apart from the 工作任务 and 年报正文 pages, and the area APIs imported only by
the reads themselves, so that the 工作台 — the first page shown — does not import those
pages at start-up (80 + 23 ms measured with ``python -X importtime``, issue 20) and computes
nothing of theirs on the UI thread: each card shows "…" and its counts arrive through
``ctx.ops.read`` like the 工作台's own cards."""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

ALL_YEARS = 0                         # 工作任务's year box: 全部年度

log = logging.getLogger(__name__)


def _repolish(*widgets) -> None:
    for w in widgets:                 # the style sheet keys on properties: re-apply it
        w.style().unpolish(w)
        w.style().polish(w)


def _task_dashboard():
    from gkdesk.api import tasks

    return tasks.dashboard()


def _report_deadlines(today):
    from gkdesk.api import annual

    return annual.report_deadlines(today)


class TaskCards(QWidget):
    """本周到期 / 逾期未报 / 退回修改: counts from ``api.tasks.dashboard()``, read through
    ``ctx.ops``; a click opens 工作任务 filtered to them. ``start=False``: the counts are
    read at the first ``refresh()`` (the 工作台 calls it after its first paint)."""

    CARDS = (("due_week", "工作任务 本周到期", "amber"), ("overdue", "工作任务 逾期未报", "red"),
             ("returned", "工作任务 退回修改", "amber"))

    def __init__(self, ctx, parent=None, *, start: bool = True):
        super().__init__(parent)
        self.ctx = ctx
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(14)
        self.counts: dict[str, QLabel] = {}
        self.frames: dict[str, QFrame] = {}
        self.values: dict[str, int] | None = None
        self.waiting = True           # until the latest read's counts are shown
        for code, label, level in self.CARDS:
            card = QFrame()
            card.setObjectName("dashCard")
            card.setCursor(Qt.PointingHandCursor)
            card.setMinimumSize(210, 90)
            card.setToolTip("点击在“工作任务”中查看")
            lay = QVBoxLayout(card)
            lay.setContentsMargins(16, 10, 16, 12)
            n = QLabel("…")
            n.setObjectName("dashCountZero")
            t = QLabel(label)
            t.setObjectName("dashTitle")
            lay.addWidget(n)
            lay.addWidget(t)
            card.setProperty("level", "none")
            card.setProperty("wantLevel", level)
            card.mouseReleaseEvent = lambda ev, code=code: self.open(code)
            self.counts[code] = n
            self.frames[code] = card
            row.addWidget(card)
        row.addStretch(1)
        ctx.changed.opDidExecute.connect(self.on_changes)
        if start:
            self.refresh()

    def on_changes(self, changes, _initiator) -> None:
        if changes.touches("tasks", "calendar"):
            self.refresh()

    def refresh(self) -> None:
        self.waiting = True
        self.ctx.ops.read(("tasks", "dashboard"), _task_dashboard, success=self._got,
                          failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.waiting = False
        for lab in self.counts.values():
            lab.setText("?")
            lab.setToolTip(f"统计失败：{exc}")

    def _got(self, d) -> None:
        self.waiting = False
        self.values = {"due_week": d.due_this_week, "overdue": d.overdue, "returned": d.returned}
        for code, n in self.values.items():
            lab, card = self.counts[code], self.frames[code]
            lab.setText(str(n))
            lab.setObjectName("dashCount" if n else "dashCountZero")
            card.setProperty("level", card.property("wantLevel") if n else "none")
            _repolish(card, lab)

    def open(self, code: str) -> None:
        self.ctx.show_page("tasks", state=code, year=ALL_YEARS, task_id=None, unit_id=None)


class ReportDeadlines(QWidget):
    """Two cards for the 工作台: the units' reports due 31 January (Art. 49) and the county's
    published by 31 March (Art. 50). With the year's task collecting the units' reports
    (工作任务), the units' card shows its requests (due date, how many in, how many late);
    without, both are computed from the calendar. A click emits ``clicked(code)``.

    With ``ctx`` the deadlines are read through ``ctx.ops.read`` (and only at the first
    ``refresh()`` when ``start`` is False); without, a bare widget computes them at once."""

    clicked = Signal(str)

    def __init__(self, parent=None, *, ctx=None, start: bool = True):
        super().__init__(parent)
        self.ctx = ctx
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(14)
        self.labels: list[QLabel] = []
        self.waiting = True           # until the latest read's deadlines are shown
        if start:
            self.refresh()

    def refresh(self, today=None) -> None:
        self.waiting = True
        if self.ctx is None:
            self._show(_report_deadlines(today))
        else:
            self.ctx.ops.read(("dashboard", "report-deadlines"), lambda: _report_deadlines(today),
                              success=self._show, failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.waiting = False
        log.warning("年报期限读取失败：%s", exc)

    def _show(self, deadlines) -> None:
        self.waiting = False
        while self.row.count():
            w = self.row.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.labels = []
        for d in deadlines:
            card = QFrame()
            card.setObjectName("dashCard")
            card.setProperty("level", "red" if d.days_left < 0 else "amber" if d.days_left <= 15 else "blue")
            card.setMinimumSize(210, 80)
            lay = QVBoxLayout(card)
            left = (f"已过期 {-d.days_left} 天" if d.days_left < 0 else "今天截止" if d.days_left == 0
                    else f"还有 {d.days_left} 天")
            text = f"{d.report_year}年度　{d.label}\n{d.due.year}年{d.due.month}月{d.due.day}日（{left}）"
            if d.detail:
                text += f"\n{d.detail}"
            elif d.code == "units":
                text += "\n尚未征集（工作任务 → 向各单位征集年报）"
            lab = QLabel(text)
            lab.setObjectName("dashTitle")
            lab.setWordWrap(True)
            lay.addWidget(lab)
            self.labels.append(lab)
            card.setCursor(Qt.PointingHandCursor)
            card.setToolTip("点击打开工作任务")
            card.mouseReleaseEvent = lambda ev, code=d.code: self.clicked.emit(code)
            self.row.addWidget(card)
        self.row.addStretch(1)
