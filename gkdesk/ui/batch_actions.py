"""Several cases at once, in the case list: the selection (Shift/Ctrl, or every case that
matches the search, by filter — never loaded as rows) and the batch menu. Every batch
runs on the writer thread with progress and 取消, through ``gkdesk.api.batch`` and
``gkdesk.api.post``; its result lists what was done and what was refused, and why."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QMenu, QPlainTextEdit, QPushButton, QToolButton, QVBoxLayout, QWidget)

from gkdesk.api import batch as api
from gkdesk.api import post as post_api
from gkdesk.ui.dialogs import messages
from gkdesk.ui.models.case_table import CASE_ID_ROLE


class BatchBar(QWidget):
    """The bar above the case list: how many are selected, 全选符合条件, 批量操作 ▾."""

    def __init__(self, page, parent=None):
        super().__init__(parent)
        self.page = page
        self.ctx = page.ctx
        self.all_matching = False
        self.label = QLabel()
        self.label.setObjectName("selectionLabel")
        self.select_all_button = QPushButton("全选符合条件的案件")
        self.select_all_button.setToolTip("选中当前检索和筛选条件下的全部案件（Ctrl+Shift+A），不必逐页加载")
        self.select_all_button.clicked.connect(self.select_all_matching)
        self.menu = QMenu(self)
        self.actions: dict[str, QAction] = {}
        for key, text, slot in (
                ("print", "打印答复书及送达回证（合并为一个PDF）…", self.print_letters),
                ("archive", "归档（案卷齐全的）…", self.archive),
                ("assign", "改派承办…", self.assign),
                ("ledger", "导出为台账（xlsx）…", self.export_ledger),
                (None, None, None),
                ("env_dl", "打印信封（DL 220×110）…", lambda: self.envelopes("DL")),
                ("env_c5", "打印信封（C5 229×162）…", lambda: self.envelopes("C5")),
                ("post_list", "制作交寄清单…", self.post_list),
                ("tracking", "登记邮件号（粘贴清单）…", self.tracking)):
            if key is None:
                self.menu.addSeparator()
                continue
            act = self.menu.addAction(text)
            act.triggered.connect(slot)
            self.actions[key] = act
        self.menu_button = QToolButton()
        self.menu_button.setText("批量操作")
        self.menu_button.setPopupMode(QToolButton.InstantPopup)
        self.menu_button.setMenu(self.menu)
        self.menu_button.setToolTip("对选中的多件案件一并操作（按住Ctrl或Shift点选多行）")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.select_all_button)
        lay.addStretch(1)
        lay.addWidget(self.menu_button)
        sa = QAction(self)
        sa.setShortcut(QKeySequence("Ctrl+Shift+A"))
        sa.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        sa.triggered.connect(self.select_all_matching)
        page.addAction(sa)
        page.model.modelReset.connect(self._model_reset)
        self.update_label()

    def _model_reset(self) -> None:
        self.all_matching = False        # a new search or filter: the old "all" no longer holds
        self.update_label()

    # ---------------------------------------------------------------- the selection
    def on_selection_changed(self, *_a) -> None:
        if self.all_matching and not self._in_select_all:
            self.all_matching = False
        self.update_label()

    _in_select_all = False

    def select_all_matching(self) -> None:
        self._in_select_all = True
        try:
            self.page.view.selectAll()
            self.all_matching = True
        finally:
            self._in_select_all = False
        self.update_label()

    def selected_ids(self) -> tuple[int, ...]:
        sel = self.page.view.selectionModel()
        rows = sorted(i.row() for i in sel.selectedRows()) if sel is not None else []
        return tuple(self.page.model.data(self.page.model.index(r, 0), CASE_ID_ROLE) for r in rows)

    def selection(self) -> api.Selection:
        if self.all_matching:
            return api.Selection(filter=self.page._current_filter())
        return api.Selection(ids=self.selected_ids())

    def update_label(self) -> None:
        if self.all_matching:
            n = self.page.model.rowCount()
            exact = self.page.model.count_exact
            self.label.setText(f"已选中符合条件的全部 {n:,}{'' if exact else '+'} 件")
        else:
            n = len(self.page.view.selectionModel().selectedRows()) if self.page.view.selectionModel() else 0
            self.label.setText(f"已选 {n} 件" if n > 1 else "按住 Ctrl 或 Shift 可选多件")
        self.menu_button.setEnabled(self.all_matching or n >= 1)

    # ---------------------------------------------------------------- helpers
    def ask_path(self, title: str, name: str, pattern: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, name, pattern)
        return path

    def _need_selection(self) -> api.Selection | None:
        sel = self.selection()
        if sel.ids is not None and not sel.ids:
            messages.info(self, "批量操作", "请先在列表中选中案件（按住 Ctrl 或 Shift 可选多件）。")
            return None
        return sel

    def _run(self, fn, title: str, show) -> None:
        self.ctx.ops.write(fn, success=show, initiator=self.page, progress=True, title=title, parent=self)

    def show_result(self, res) -> None:
        lines = [f"{o.number}：{o.message}" for o in res.refused]
        text = res.summary + (f"\n文件：{res.path}" if res.path else "")
        if lines:
            messages.warning(self, res.action, text, "未能办理的案件：\n" + "\n".join(lines[:50]) +
                             (f"\n……等{len(lines)}件" if len(lines) > 50 else ""))
        else:
            messages.info(self, res.action, text)
        self.page.refresh()

    # ---------------------------------------------------------------- the actions
    def print_letters(self) -> None:
        sel = self._need_selection()
        if sel is None:
            return
        path = self.ask_path("保存待打印文书", f"待打印文书-{dt.date.today().isoformat()}.pdf", "PDF 文件 (*.pdf)")
        if not path:
            return
        actor = self.ctx.actor
        self._run(lambda progress=None, cancelled=None: api.print_letters(sel, path, actor, progress, cancelled),
                  "正在生成待打印文书", self.show_result)

    def archive(self) -> None:
        sel = self._need_selection()
        if sel is None:
            return
        if not messages.confirm(self, "批量归档", f"将选中的 {api.count(sel)} 件中已送达且案卷齐全的案件归档，"
                                                  "归档后只读。不齐全的将列出缺少的材料。确定？"):
            return
        actor = self.ctx.actor
        self._run(lambda progress=None, cancelled=None: api.archive(sel, actor, progress, cancelled),
                  "正在归档", self.show_result)

    def assign(self) -> None:
        sel = self._need_selection()
        if sel is None:
            return
        dlg = AssignDialog(self)
        if dlg.exec() != QDialog.Accepted:
            return
        section, handler = dlg.values()
        actor = self.ctx.actor
        self._run(lambda progress=None, cancelled=None: api.assign(sel, actor, section, handler, progress, cancelled),
                  "正在改派承办", self.show_result)

    def export_ledger(self) -> None:
        sel = self._need_selection()
        if sel is None:
            return
        path = self.ask_path("导出台账", f"台账-所选案件-{dt.date.today().isoformat()}.xlsx", "Excel 文件 (*.xlsx)")
        if not path:
            return
        actor = self.ctx.actor
        self.ctx.ops.read(("batch-ledger", path),
                          lambda progress=None, cancelled=None: api.export_ledger(sel, path, actor, progress, cancelled),
                          success=lambda n: messages.info(self, "导出台账", f"已导出 {n} 件案件到\n{path}"),
                          failure=lambda exc: messages.show_exception(self, exc), progress=True, title="正在导出台账",
                          parent=self)

    def envelopes(self, size: str) -> None:
        sel = self._need_selection()
        if sel is None:
            return
        path = self.ask_path("保存信封", f"信封-{size}-{dt.date.today().isoformat()}.pdf", "PDF 文件 (*.pdf)")
        if not path:
            return
        actor = self.ctx.actor
        self.ctx.ops.read(("envelopes", path), lambda: post_api.envelopes(sel, path, actor, size),
                          success=self.show_result, failure=lambda exc: messages.show_exception(self, exc),
                          progress=True, title="正在生成信封", parent=self)

    def post_list(self) -> None:
        sel = self._need_selection()
        if sel is None:
            return
        path = self.ask_path("保存交寄清单", f"交寄清单-{dt.date.today().isoformat()}.pdf", "PDF 文件 (*.pdf)")
        if not path:
            return
        actor = self.ctx.actor
        self._run(lambda: post_api.post_list(sel, path, actor), "正在制作交寄清单", self.show_result)

    def tracking(self) -> None:
        dlg = TrackingDialog(self)
        if dlg.exec() != QDialog.Accepted:
            return
        text = dlg.text()
        actor = self.ctx.actor
        self._run(lambda: post_api.record_tracking(text, actor), "正在登记邮件号",
                  lambda n: (messages.info(self, "登记邮件号", f"已登记 {n} 件的邮件号。"), self.page.refresh()))


class AssignDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("批量改派承办")
        self.section = QLineEdit()
        self.handler = QLineEdit()
        form = QFormLayout(self)
        form.addRow("承办股室", self.section)
        form.addRow("承办人", self.handler)
        bb = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        bb.button(QDialogButtonBox.Ok).setText("改派")
        bb.button(QDialogButtonBox.Cancel).setText("取消")
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        form.addRow(bb)

    def values(self) -> tuple[str, str]:
        return self.section.text().strip(), self.handler.text().strip()


class TrackingDialog(QDialog):
    """Paste ``受理编号 邮件号`` lines; bad lines are named before anything is saved."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("登记邮件号")
        self.resize(560, 360)
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText("每行一件：受理编号 邮件号（可从 Excel 或邮局清单粘贴，以空格、Tab 或逗号分隔）\n"
                                     "依申〔2026〕17号\tXA123456789CN")
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color:#b00020")
        bb = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok = bb.button(QDialogButtonBox.Ok)
        self.ok.setText("登记")
        bb.button(QDialogButtonBox.Cancel).setText("取消")
        bb.accepted.connect(self._check)
        bb.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.problems)
        lay.addWidget(bb)
        from gkdesk.ui.dialogs.help_dialog import add_help_shortcut

        add_help_shortcut(self, "post")

    def text(self) -> str:
        return self.edit.toPlainText()

    def _check(self) -> None:
        bad = post_api.check_tracking(self.text())
        if not self.text().strip():
            self.problems.setText("请粘贴受理编号和邮件号。")
            return
        if bad:
            self.problems.setText(f"有 {len(bad)} 行需要改正，未做任何登记：\n" + "\n".join(f"第{n}行：{p}" for n, p in bad))
            return
        self.accept()

