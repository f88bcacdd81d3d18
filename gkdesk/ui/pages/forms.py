"""The shared frame of the forms area's two pages, 附件一 工作人员情况表 (``pages.annex1``) and
附件二 工作职能清单 (``pages.annex2``).

Both pages show the unit list on the left (新增 / 更名 / 合并 / 撤销 / 恢复, and each unit's
status in the open collection round) and the unit's form on the right:

- 附件一: the staff table editor in two groups (分管领导, 工作人员: add, remove, move rows;
  联系方式 checked as it is typed — red with a tooltip when wrong) and the leading group
  roster (组长 / 副组长 / 成员);
- 附件二: the functions list (全称 … 联系电话 checked as typed; 工作职能, 机构设置 multi-line).

Both have 导出 xlsx, 导入 (file or folder → a dialog listing every unit's changes with
accept checkboxes and every problem), 打印 PDF, 汇总表 and 征集轮次 (status of every unit:
已交回 / 逾期交回 / 未交回 / 有问题). Reading, exporting and saving imports run in the
background with progress and 取消. The unit list and row tables are in ``gkdesk.ui.widgets``
(``unit_list``, ``row_table``), the import, rounds and history dialogs in ``gkdesk.ui.dialogs``.
"""
from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QMenu, QMessageBox, QPushButton, QSplitter, QToolButton, QVBoxLayout, QWidget,
)

from gkdesk.errors import GkError
from gkdesk.api import forms as api
from gkdesk.ui.workers import Cancelled
from gkdesk.ui.dialogs.forms_import import ImportDialog
from gkdesk.ui.dialogs.rounds import RoundsDialog
from gkdesk.ui.widgets.unit_list import UnitList

log = logging.getLogger(__name__)



class FormsPage(QWidget):
    """Unit list + editor + the forms actions (export, import, PDF, summary, rounds)."""

    title_text = ""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.unit_id: int | None = None
        self._active = False
        self._version: int | None = None
        self._dirty = False
        self._loading = False
        self.dialogs: list = []

        title = QLabel(self.title_text)
        title.setObjectName("pageTitle")
        self.round_label = QLabel()
        self.round_label.setObjectName("hint")
        self.round_btn = QPushButton("征集轮次…")
        self.export_btn = QToolButton()
        self.export_btn.setText("导出 xlsx")
        self.export_btn.setPopupMode(QToolButton.InstantPopup)
        em = QMenu(self.export_btn)
        self.export_unit_action = em.addAction("当前单位（预填已有信息）…")
        self.export_all_action = em.addAction("全部单位（预填已有信息）…")
        self.export_blank_action = em.addAction("全部单位（空白表）…")
        self.export_btn.setMenu(em)
        self.import_btn = QToolButton()
        self.import_btn.setText("导入")
        self.import_btn.setPopupMode(QToolButton.InstantPopup)
        im = QMenu(self.import_btn)
        self.import_file_action = im.addAction("导入文件…")
        self.import_folder_action = im.addAction("导入文件夹…")
        self.import_btn.setMenu(im)
        self.pdf_btn = QPushButton("打印 PDF…")
        self.summary_btn = QPushButton("汇总表…")

        self.round_label.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        for w in (self.export_btn, self.import_btn, self.pdf_btn, self.summary_btn, self.round_btn):
            head.addWidget(w)

        self.unit_list = UnitList(ctx)
        self.unit_list.set_guard(self.confirm_leave)
        self.unit_title = QLabel()
        self.unit_title.setObjectName("unitTitle")
        self.unit_title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.save_btn = QPushButton("保存")
        self.save_btn.setObjectName("primaryButton")
        self.revert_btn = QPushButton("撤销修改")
        self.status_label = QLabel()
        self.status_label.setObjectName("hint")
        self.status_label.setWordWrap(True)

        self.editor = QWidget()
        ed = QVBoxLayout(self.editor)
        ed.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.unit_title, 1)
        top.addWidget(self.revert_btn)
        top.addWidget(self.save_btn)
        ed.addLayout(top)
        self.build_editor(ed)
        ed.addWidget(self.status_label)

        split = QSplitter()
        split.addWidget(self.unit_list)
        split.addWidget(self.editor)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([280, 900])
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(self.round_label)
        lay.addWidget(split, 1)

        self.unit_list.unitSelected.connect(self.load_unit)
        self.save_btn.clicked.connect(lambda: self.save())
        self.revert_btn.clicked.connect(lambda: self.load_unit(self.unit_id))
        self.round_btn.clicked.connect(self.open_rounds)
        self.export_unit_action.triggered.connect(self.export_current)
        self.export_all_action.triggered.connect(lambda: self.export_all(blank=False))
        self.export_blank_action.triggered.connect(lambda: self.export_all(blank=True))
        self.import_file_action.triggered.connect(lambda: self.import_forms(folder=False))
        self.import_folder_action.triggered.connect(lambda: self.import_forms(folder=True))
        self.pdf_btn.clicked.connect(self.print_pdf)
        self.summary_btn.clicked.connect(self.export_summary)
        ctx.changed.opDidExecute.connect(self.on_changes)

        self.unit_list.refresh()
        self._update_round_label()
        if self.unit_list.tree.topLevelItemCount() and self.unit_list.current_id() is None:
            self.unit_list.tree.setCurrentItem(self.unit_list.tree.topLevelItem(0))
        if self.unit_id is None:
            self.load_unit(None)

    # ---- to be provided by the pages
    def build_editor(self, layout) -> None:
        raise NotImplementedError

    def fill(self, forms: api.UnitForms) -> None:
        raise NotImplementedError

    def clear_editor(self) -> None:
        raise NotImplementedError

    def prepare_save(self):
        """Check the editor on screen (raise ``ValidationError`` naming the problems) and
        return the write to run on the writer thread: ``fn() -> the unit's new version``."""
        raise NotImplementedError

    # ---- page contract
    def activate(self) -> None:
        if not self._dirty:
            self.unit_list.refresh()
            self._update_round_label()

    def navigate(self, unit_id: int | None = None, **_options) -> None:
        if unit_id is not None:
            self.unit_list.select(unit_id)

    def confirm_leave(self, proceed=None) -> bool:
        """May the clerk leave this unit's form now? 保存 starts the save on the writer
        thread: True when it has landed already, else False and ``proceed()`` runs once it
        lands (the switch the clerk asked for); a refused save keeps the edits and stays."""
        if not self._dirty:
            return True
        answer = self.ask_unsaved(self.unit_title.property("unitName") or "")
        if answer == "save":
            asked = {"returned": False}

            def then():                  # after the save landed: do what the clerk asked
                if asked["returned"] and proceed is not None:
                    proceed()

            landed = self.save(then=then)
            asked["returned"] = True
            return landed
        if answer == "discard":
            self.set_dirty(False)
            return True
        return False

    def ask_unsaved(self, name: str) -> str:
        """保存 / 放弃修改 / 取消 → "save" / "discard" / "cancel" (tests replace this)."""
        box = QMessageBox(QMessageBox.Question, "未保存的修改", f"“{name}”的修改还没有保存。", parent=self)
        save = box.addButton("保存", QMessageBox.AcceptRole)
        discard = box.addButton("放弃修改", QMessageBox.DestructiveRole)
        box.addButton("取消", QMessageBox.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    # ---- state
    def set_dirty(self, dirty: bool = True) -> None:
        if self._loading:
            return
        self._dirty = dirty
        self.save_btn.setEnabled(dirty and self.unit_id is not None and self._active)
        self.revert_btn.setEnabled(dirty)
        name = self.unit_title.property("unitName") or ""
        self.unit_title.setText(name + ("（未保存）" if dirty else ""))

    def load_unit(self, unit_id) -> None:
        self._loading = True
        try:
            self.unit_id = unit_id
            self._active = False
            if unit_id is None:
                self.unit_title.setProperty("unitName", "")
                self.unit_title.setText("请在左侧选择或新增单位")
                self.clear_editor()
                self.editor_enabled(False)
                self.status_label.setText("")
            else:
                forms = api.unit_forms(unit_id)
                unit = forms.unit
                self._version = unit.version
                self._active = unit.active
                name = unit.name + ("" if unit.active else "（已撤销，只读）")
                self.unit_title.setProperty("unitName", name)
                self.unit_title.setText(name)
                self.fill(forms)
                self.editor_enabled(unit.active)
                self.status_label.setText("")
        finally:
            self._loading = False
        self.set_dirty(False)

    def editor_enabled(self, enabled: bool) -> None:
        pass

    def save(self, then=None) -> bool:
        """Check, then save on the writer thread (in one transaction). True when there was
        nothing to save or the save has landed already; ``then()`` runs after it lands."""
        if self.unit_id is None or not self._dirty:
            if then is not None:
                then()
            return True
        try:
            work = self.prepare_save()
        except GkError as exc:
            self.ctx.show_error(exc, self)
            return False
        uid = self.unit_id
        landed = []
        self.save_btn.setEnabled(False)
        self.status_label.setText("正在保存…")

        def saved(version):
            landed.append(True)
            self._version = version
            if self.unit_id == uid:
                self.load_unit(uid)
            self.status_label.setText("已保存。")
            self.unit_list.refresh(uid)
            if then is not None:
                then()

        def failed(exc):
            self.status_label.setText("未保存：修改仍在表中，请处理后再保存。")
            self.set_dirty(True)
            self.ctx.show_error(exc, self)

        self.ctx.ops.write(work, success=saved, failure=failed, initiator=self, parent=self)
        return bool(landed)

    def on_changes(self, changes, initiator) -> None:
        """A unit or round changed (on the other forms page, in an import, in the list's
        actions): reload the list and, unless edits are pending, the form if its unit moved
        on. The page's own saves reload in their success callback."""
        if not changes.touches("units", "rounds") or initiator is self:
            return
        if not self._dirty:
            self.unit_list.refresh()
            if self.unit_id is not None:
                current = api.unit(self.unit_id)
                if current.version != self._version:
                    self.load_unit(self.unit_id)
        self._update_round_label()

    def _update_round_label(self) -> None:
        summary = api.round_summary()
        if summary is None:
            self.round_label.setText("当前没有进行中的征集")
            return
        rnd = summary.round
        self.round_label.setText(
            f"征集“{rnd.name}”截止 {rnd.deadline.month}月{rnd.deadline.day}日：" + summary.counts_text)

    # ---- file choosers (tests replace these)
    def ask_save_file(self, title: str, default_name: str, filt: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, default_name, filt)
        return path

    def ask_open_file(self, title: str, filt: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self, title, "", filt)
        return path

    def ask_folder(self, title: str) -> str:
        return QFileDialog.getExistingDirectory(self, title)

    # ---- actions
    def _done(self, text: str):
        def show(result):
            self.status_label.setText(text.format(result=result, n=len(result) if hasattr(result, "__len__") else ""))
        return show

    def export_current(self) -> None:
        if self.unit_id is None:
            return
        unit = api.unit(self.unit_id)
        path = self.ask_save_file("导出附件一、附件二", f"{api.safe_filename(unit.name)}.xlsx",
                                  "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        uid = self.unit_id
        self.ctx.run_in_background(lambda: api.export_unit(uid, path), self._done("已导出到 {result}"),
                                   title="正在导出表格", parent=self)

    def export_all(self, blank: bool) -> None:
        folder = self.ask_folder("选择导出到的文件夹（每个单位一个 xlsx）")
        if not folder:
            return
        rnd = api.open_round()

        def work(progress=None, cancelled=None):
            files = api.export_all(folder, rnd, blank=blank, progress=progress, cancelled=cancelled)
            if cancelled is not None and cancelled():
                raise Cancelled
            return files

        self.ctx.run_in_background(work, self._done(f"已导出 {{n}} 个单位的表格到 {folder}"),
                                   title="正在导出表格", parent=self,
                                   on_cancelled=lambda: self.status_label.setText("导出已取消（已导出的文件保留）"))

    def print_pdf(self) -> None:
        if self.unit_id is None:
            return
        unit = api.unit(self.unit_id)
        path = self.ask_save_file("打印 PDF（用于盖章）", f"{api.safe_filename(unit.name)}.pdf", "PDF 文件 (*.pdf)")
        if not path:
            return
        uid = self.unit_id
        self.ctx.run_in_background(lambda: api.unit_pdf(uid, path), self._done("已生成 PDF：{result}"),
                                   title="正在生成 PDF", parent=self)

    def export_summary(self) -> None:
        path = self.ask_save_file("导出全区汇总表", f"附件一附件二汇总表{dt.date.today():%Y%m%d}.xlsx",
                                  "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        self.ctx.run_in_background(lambda: api.summary_xlsx(path), self._done("已导出汇总表：{result}"),
                                   title="正在导出汇总表", parent=self)

    def import_forms(self, folder: bool, rnd=None) -> None:
        path = self.ask_folder("选择单位交回的表格所在文件夹") if folder else \
            self.ask_open_file("选择单位交回的表格", "Excel 工作簿 (*.xlsx *.xlsm);;所有文件 (*)")
        if not path:
            return
        if not self.confirm_leave(lambda: self.import_forms(folder, rnd)):
            return

        def work(progress=None, cancelled=None):
            return api.read_returns(path, progress=progress, cancelled=cancelled)

        self.ctx.run_in_background(work, lambda diffs: self.show_import(diffs, path, rnd),
                                   title="正在读取表格", parent=self)

    def show_import(self, diffs, path, rnd=None):
        dlg = ImportDialog(self.ctx, diffs, str(path), self, rnd=rnd)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.saved.connect(self._imported)
        self.dialogs.append(dlg)
        dlg.destroyed.connect(lambda *_: self.dialogs.remove(dlg) if dlg in self.dialogs else None)
        dlg.open()
        return dlg

    def _imported(self, result) -> None:
        # the change feed reloads the lists and this unit's form if it changed
        self.status_label.setText(f"导入完成：{len(result.saved)} 个单位有变化，{len(result.unchanged)} 个无变化，"
                                  f"登记交回 {result.returns_recorded} 份")

    def open_rounds(self):
        dlg = RoundsDialog(self.ctx, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        self.dialogs.append(dlg)
        dlg.destroyed.connect(lambda *_: self.dialogs.remove(dlg) if dlg in self.dialogs else None)
        dlg.open()
        return dlg
