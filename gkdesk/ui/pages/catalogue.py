"""标准目录: the standard catalogue of disclosure items, on the seam (gkdesk.api.catalogue
through ``ctx.ops``; refreshed by ``ctx.changed.opDidExecute`` when another screen or
process changed the ``catalogue`` topic).

Top: the version (2020年目录, 2022年修订 …) and what can be done with it — 导入上级指引,
新建版本 (a revision copies the version), 版本对照, 导出全县目录 (xlsx in the published
layout), 导出网页 (one page per field). Left: 上级指引 and every unit with a catalogue in
the version (how many items changed / deleted / added, and how many still lack a reason),
按指引编制 for another unit. Right: the items of what is selected, by field, with the
comparison with the guidance and the reason below; 修改 / 删除 / 恢复为指引 / 新增事项,
and for a unit 导出发给单位, 导入交回, 编制说明 (PDF or DOCX for stamping).

Every read and write runs through ``ctx.ops`` (off the UI thread, one writer); file work
shows progress. Shortcuts: Ctrl+I 导入交回, Ctrl+E 导出发给单位, Enter 修改, Delete 删除.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGridLayout,
    QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
    QPushButton, QSplitter, QTableView, QTableWidget, QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget,
)

from gkdesk.api import catalogue as api
from gkdesk.ui.dialogs import messages
from gkdesk.ui.models.records import RecordTableModel

GUIDANCE = -1                      # the left list's entry for the guidance itself
ACTION_COLORS = {"change": "#b26a00", "delete": "#c62828", "add": "#1b5fb3", "keep": "#1b7f3b"}
COLUMNS = (("field_label", "领域"), ("level1", "一级事项"), ("level2", "二级事项"), ("time_limit", "公开时限"),
           ("audience", "公开对象"), ("mode", "公开方式"), ("level", "公开层级"), ("action_label", "变动"),
           ("reason", "变动原因"))


def create_page(ctx, parent):
    return CataloguePage(ctx, parent)


class ItemsModel(RecordTableModel):
    """The items of the selection (tens to a few hundred: a tuple of api.ItemView)."""

    columns = COLUMNS

    def cell(self, row: int, col: int) -> str:
        it = self.rows[row]
        key = COLUMNS[col][0]
        if key == "field_label":
            return it.field_label
        if key == "action_label":
            return it.action_label + ("（缺原因）" if it.needs_reason else "")
        if key == "reason":
            return it.reason.replace("\n", " ")
        return it.text(key)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        it = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return self.cell(index.row(), index.column())
        if role == Qt.ForegroundRole and COLUMNS[index.column()][0] == "action_label":
            color = "#c62828" if it.needs_reason else ACTION_COLORS.get(it.action)
            return QBrush(QColor(color)) if color else None
        if role == Qt.ToolTipRole:
            if COLUMNS[index.column()][0] in ("level1", "level2"):
                return "公开内容（要素）：" + it.facts.get("content", "")
            return self.cell(index.row(), index.column())
        return None


class ItemDialog(QDialog):
    """修改 / 新增 one item: every fact, the marks, and the reason."""

    def __init__(self, parent, fields: tuple, facts: dict | None, *, title: str, reason: str = "",
                 guidance: dict | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(720, 640)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.field = QComboBox()
        for code, label in fields:
            self.field.addItem(label, code)
        form.addRow("领域", self.field)
        self.edits: dict[str, QWidget] = {}
        for f in api.text_facts():
            w = QPlainTextEdit() if f.key in ("content", "basis", "channel", "remark") else QLineEdit()
            if isinstance(w, QPlainTextEdit):
                w.setTabChangesFocus(True)
                w.setFixedHeight(56)
            label = f.label + ("（必填）" if f.required else "")
            form.addRow(label, w)
            self.edits[f.key] = w
        marks = QGridLayout()
        self.marks: dict[str, QCheckBox] = {}
        for r, g in enumerate(api.mark_groups()):
            marks.addWidget(QLabel(g.label + ("（必选）" if g.required else "")), r, 0)
            for c, m in enumerate(g.marks, 1):
                box = QCheckBox(m.label)
                marks.addWidget(box, r, c)
                self.marks[m.key] = box
        form.addRow("勾选", _wrap(marks))
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(64)
        self.reason.setPlaceholderText("与上级指引不同时必填：将逐项写入编制说明")
        form.addRow("变动原因", self.reason)
        lay.addLayout(form)
        if guidance:
            hint = QLabel("上级指引：" + "；".join(f"{lbl}：{str(guidance.get(k, ''))[:30]}" for k, lbl in
                                              (("time_limit", "公开时限"), ("subject", "公开主体"))))
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            lay.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        if facts:
            self.set_facts(facts)
        self.reason.setPlainText(reason)

    def set_facts(self, facts: dict) -> None:
        i = self.field.findData(facts.get("field"))
        if i >= 0:
            self.field.setCurrentIndex(i)
        for k, w in self.edits.items():
            (w.setPlainText if isinstance(w, QPlainTextEdit) else w.setText)(str(facts.get(k, "")))
        for k, box in self.marks.items():
            box.setChecked(bool(facts.get(k)))

    def facts(self) -> dict:
        out = {"field": self.field.currentData()}
        for k, w in self.edits.items():
            out[k] = w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()
        for k, box in self.marks.items():
            out[k] = box.isChecked()
        return out


def _wrap(layout) -> QWidget:
    w = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    w.setLayout(layout)
    return w


class CataloguePage(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("cataloguePage")
        self.overview_: api.Overview | None = None
        self.version_id: int | None = None
        saved = ctx.settings.value("catalogue/selected", GUIDANCE)
        self.selected: int | None = int(saved) if str(saved).lstrip("-").isdigit() else GUIDANCE
        self._build()
        ctx.changed.opDidExecute.connect(self.on_changes)
        self.refresh()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        title = QLabel("标准目录")
        title.setObjectName("pageTitle")
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(QLabel("版本"))
        self.version_box = QComboBox()
        self.version_box.setMinimumWidth(160)
        self.version_box.setSizeAdjustPolicy(QComboBox.AdjustToContents)   # 「2022年修订（以2020年目录为基础）」
        self.version_box.currentIndexChanged.connect(self._version_picked)
        top.addWidget(self.version_box)
        self.b_import_guidance = self._button("导入上级指引…", self.ask_import_guidance, top)
        self.b_new_version = self._button("新建版本…", self.ask_new_version, top)
        self.b_compare = self._button("版本对照…", self.ask_compare, top)
        self.b_fields = self._button("领域设置…", self.ask_fields, top)
        top.addStretch(1)
        self.b_export_county = self._button("导出全县目录…", self.ask_export_county, top)
        self.b_export_html = self._button("导出网页…", self.ask_export_html, top)
        lay.addLayout(top)

        split = QSplitter(Qt.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.units = QListWidget()
        self.units.currentItemChanged.connect(self._unit_picked)
        ll.addWidget(self.units, 1)
        self.b_start = self._button("按指引编制单位目录…", self.ask_start_unit, ll)
        split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.heading = QLabel("")
        self.heading.setObjectName("sectionTitle")
        bar.addWidget(self.heading)
        bar.addStretch(1)
        bar.addWidget(QLabel("领域"))
        self.field_box = QComboBox()
        self.field_box.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.field_box.currentIndexChanged.connect(lambda _i: self.load_items())
        bar.addWidget(self.field_box)
        rl.addLayout(bar)
        self.model = ItemsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.Interactive)
        hh.setStretchLastSection(True)
        for c, w in enumerate((70, 110, 100, 130, 70, 84, 76, 64)):
            self.table.setColumnWidth(c, w)
        self.table.doubleClicked.connect(lambda _i: self.ask_edit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: (self._show_detail(), self._update_buttons()))
        rl.addWidget(self.table, 3)
        self.detail = QTextBrowser()
        self.detail.setObjectName("catalogueDetail")
        rl.addWidget(self.detail, 2)
        actions = QHBoxLayout()
        self.b_edit = self._button("修改…", self.ask_edit, actions)
        self.b_delete = self._button("删除…", self.ask_delete, actions)
        self.b_restore = self._button("恢复为指引", self.ask_restore, actions)
        self.b_add = self._button("新增事项…", self.ask_add, actions)
        actions.addStretch(1)
        self.b_export_unit = self._button("导出发给单位…", self.ask_export_unit, actions)
        self.b_import_return = self._button("导入交回…", self.ask_import_return, actions)
        self.b_explain = self._button("编制说明…", self.ask_explain, actions)
        rl.addLayout(actions)
        split.addWidget(right)
        split.setStretchFactor(1, 4)
        split.setSizes([240, 960])          # a unit's line: 「文化体育和旅游局（7项，改2，删2，增1）」
        lay.addWidget(split, 1)
        QShortcut(QKeySequence("Ctrl+I"), self, self.ask_import_return)
        QShortcut(QKeySequence("Ctrl+E"), self, self.ask_export_unit)
        for key, fn in ((Qt.Key_Delete, self.ask_delete), (Qt.Key_Return, self.ask_edit)):
            sc = QShortcut(QKeySequence(key), self.table, fn)
            sc.setContext(Qt.WidgetShortcut)

    def _button(self, text, fn, layout) -> QPushButton:
        b = QPushButton(text)
        b.clicked.connect(lambda _c=False: fn())
        layout.addWidget(b)
        return b

    # ------------------------------------------------------------------ reading
    def on_changes(self, changes, initiator) -> None:
        if changes.touches("catalogue", "units") and initiator is not self:
            self.refresh()

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        vid = self.version_id
        self.ctx.ops.read(("catalogue", "overview"), lambda: api.overview(vid), success=self._got_overview)

    def _got_overview(self, ov: api.Overview) -> None:
        self.overview_ = ov
        self.version_id = ov.version.id if ov.version else None
        self.version_box.blockSignals(True)
        self.version_box.clear()
        for v in ov.versions:
            self.version_box.addItem(v.name + (f"（以{v.based_on}为基础）" if v.based_on else ""), v.id)
        if ov.version:
            self.version_box.setCurrentIndex(self.version_box.findData(ov.version.id))
        self.version_box.blockSignals(False)
        keep = self.selected
        self.units.blockSignals(True)
        self.units.clear()
        if ov.version:
            g = QListWidgetItem(f"上级指引（{ov.guidance_count}项）")
            g.setData(Qt.UserRole, GUIDANCE)
            self.units.addItem(g)
            for u in ov.units:
                bits = [f"{u.items}项"]
                bits += [f"{lbl}{n}" for lbl, n in (("改", u.changed), ("删", u.deleted), ("增", u.added)) if n]
                text = f"{u.name}（{'，'.join(bits)}）" + (f"  缺原因{u.missing_reasons}" if u.missing_reasons else "")
                it = QListWidgetItem(text)
                it.setData(Qt.UserRole, u.id)
                if u.missing_reasons:
                    it.setForeground(QBrush(QColor("#c62828")))
                self.units.addItem(it)
        pick = 0
        for i in range(self.units.count()):
            if self.units.item(i).data(Qt.UserRole) == keep:
                pick = i
        self.units.blockSignals(False)
        self.field_box.blockSignals(True)
        current_field = self.field_box.currentData()
        self.field_box.clear()
        self.field_box.addItem("全部领域", None)
        for code, label in ov.guidance_fields:
            self.field_box.addItem(label, code)
        i = self.field_box.findData(current_field)
        self.field_box.setCurrentIndex(max(i, 0))
        self.field_box.blockSignals(False)
        if self.units.count():
            self.units.setCurrentRow(pick)
            self.selected = self.units.item(pick).data(Qt.UserRole)
        else:
            self.selected = None
        if not ov.version:
            self.heading.setText("还没有标准目录。请先“导入上级指引”（上级部门下发的标准目录表格）。")
        self.load_items()
        self._update_buttons()

    def _version_picked(self, _i) -> None:
        vid = self.version_box.currentData()
        if vid is not None and vid != self.version_id:
            self.version_id = vid
            self.selected = GUIDANCE
            self.refresh()

    def _unit_picked(self, cur, _prev) -> None:
        self.selected = cur.data(Qt.UserRole) if cur is not None else None
        if self.selected is not None:
            self.ctx.settings.setValue("catalogue/selected", self.selected)
        self.load_items()
        self._update_buttons()

    def load_items(self) -> None:
        if self.version_id is None or self.selected is None:
            self.model.set_rows(())
            self._show_detail()
            return
        vid, unit = self.version_id, (None if self.selected == GUIDANCE else self.selected)
        field = self.field_box.currentData()
        self.ctx.ops.read(("catalogue", "items"), lambda: api.items(vid, unit, field), success=self._got_items)

    def _got_items(self, rows) -> None:
        self.model.set_rows(rows)
        who = "上级指引" if self.selected == GUIDANCE else self._unit_name()
        self.heading.setText(f"{who}：{len(rows)}项")
        if rows:
            self.table.selectRow(0)
        self._show_detail()
        self._update_buttons()

    def _unit_name(self) -> str:
        if self.overview_ is None:
            return ""
        return next((u.name for u in self.overview_.units if u.id == self.selected), "")

    def current_item(self) -> api.ItemView | None:
        idx = self.table.currentIndex()
        if not idx.isValid() or idx.row() >= len(self.model.rows):
            return None
        return self.model.rows[idx.row()]

    def _show_detail(self) -> None:
        it = self.current_item()
        if it is None:
            self.detail.setHtml("")
            return
        from html import escape

        rows = []
        for f in api.text_facts():
            mine = it.text(f.key)
            base = str(it.guidance.get(f.key, "")) if it.guidance else None
            mark = base is not None and base != mine and it.action != "delete"
            cell = escape(mine).replace("\n", "<br>")
            if mark:
                cell = f"<b style='color:#b26a00'>{cell}</b><br><span style='color:#666'>指引：{escape(base)}</span>"
            rows.append(f"<tr><th align='left' width='110'>{escape(f.label)}</th><td>{cell}</td></tr>")
        for g in api.mark_groups():
            mine = it.text(g.key)
            rows.append(f"<tr><th align='left'>{escape(g.label)}</th><td>{escape(mine) or '（未勾选）'}</td></tr>")
        head = f"<p><b>{escape(it.name)}</b>　<span style='color:{ACTION_COLORS.get(it.action, '#333')}'>{escape(it.action_label)}</span>"
        if it.changed and it.action == "change":
            head += f"　修改了：{escape('、'.join(it.changed))}"
        head += "</p>"
        if it.unit_id is not None and it.action in ("change", "delete", "add"):
            reason = escape(it.reason) if it.reason else "<span style='color:#c62828'>未填写原因（修改、删除必填）</span>"
            head += f"<p>变动原因：{reason}</p>"
        self.detail.setHtml(head + "<table cellspacing='0' cellpadding='3'>" + "".join(rows) + "</table>")

    def _update_buttons(self) -> None:
        has_v = self.version_id is not None
        unit = self.selected not in (None, GUIDANCE)
        it = self.current_item()
        for b in (self.b_new_version, self.b_compare, self.b_export_county, self.b_export_html, self.b_start):
            b.setEnabled(has_v)
        for b in (self.b_add, self.b_export_unit, self.b_import_return, self.b_explain):
            b.setEnabled(has_v and unit)
        self.b_edit.setEnabled(unit and it is not None and it.action != "delete")
        self.b_delete.setEnabled(unit and it is not None and it.action != "delete")
        self.b_restore.setEnabled(unit and it is not None and it.guidance is not None and it.action != "keep")

    # ------------------------------------------------------------------ writing
    def _write(self, fn, done=None, *, progress=False, title="正在保存") -> None:
        self.ctx.ops.write(fn, success=lambda r: self._after_write(r, done), initiator=self, progress=progress,
                           title=title, parent=self)

    def _after_write(self, result, done) -> None:
        if done is not None:
            done(result)
        self.refresh()

    def ask_edit(self) -> None:
        it = self.current_item()
        if it is None or self.selected in (None, GUIDANCE) or it.action == "delete":
            return
        fields = self.overview_.fields
        if it.field not in dict(fields):        # a retired field: the item may stay in it
            fields = fields + ((it.field, f"{it.field_label}（已停用）"),)
        dlg = ItemDialog(self, fields, it.facts, title=f"修改事项：{it.name}", reason=it.reason,
                         guidance=it.guidance)
        if dlg.exec() == QDialog.Accepted:
            self.save_item(it, dlg.facts(), dlg.reason.toPlainText())

    def save_item(self, it: api.ItemView, facts: dict, reason: str) -> None:
        actor = self.ctx.actor
        self._write(lambda: api.save_item(it.id, facts, reason, actor, expected_version=it.row_version))

    def ask_delete(self) -> None:
        it = self.current_item()
        if it is None or self.selected in (None, GUIDANCE) or it.action == "delete":
            return
        if it.guidance is None:
            if messages.confirm(self, "删除事项", f"删除本单位新增的事项“{it.name}”？"):
                self.delete_item(it, "")
            return
        reason, ok = QInputDialog.getMultiLineText(self, "删除事项",
                                                   f"删除上级指引中的事项“{it.name}”\n删除原因（必填，将写入编制说明）：")
        if ok:
            self.delete_item(it, reason)

    def delete_item(self, it: api.ItemView, reason: str) -> None:
        actor = self.ctx.actor
        self._write(lambda: api.delete_item(it.id, reason, actor, expected_version=it.row_version))

    def ask_restore(self) -> None:
        it = self.current_item()
        if it is None or it.guidance is None:
            return
        if messages.confirm(self, "恢复为指引", f"把“{it.name}”恢复为上级指引的内容？已填写的变动原因将清除。"):
            actor = self.ctx.actor
            self._write(lambda: api.restore_item(it.id, actor))

    def ask_add(self) -> None:
        if self.selected in (None, GUIDANCE):
            return
        field = self.field_box.currentData()
        dlg = ItemDialog(self, self.overview_.fields, {"field": field} if field else None, title="新增事项")
        if dlg.exec() == QDialog.Accepted:
            self.add_item(dlg.facts(), dlg.reason.toPlainText())

    def add_item(self, facts: dict, reason: str = "") -> None:
        vid, uid, actor = self.version_id, self.selected, self.ctx.actor
        self._write(lambda: api.add_item(vid, uid, facts, actor, reason=reason))

    def ask_fields(self):
        """领域设置: the office's own fields (gkdesk/ui/dialogs/catalogue_fields.py)."""
        from gkdesk.ui.dialogs.catalogue_fields import FieldsDialog

        dlg = FieldsDialog(self.ctx, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.setWindowModality(Qt.WindowModal)
        self.fields_dialog = dlg
        dlg.show()
        return dlg

    def ask_new_version(self) -> None:
        name, ok = QInputDialog.getText(self, "新建版本", "版本名称（如“2022年修订”）：\n将复制当前版本的全部事项作为修订的基础。")
        if ok and name.strip():
            self.new_version(name, based_on=self.version_id)

    def new_version(self, name: str, based_on: int | None) -> None:
        actor = self.ctx.actor

        def done(v):
            self.version_id = v.id
            self.selected = GUIDANCE
        self._write(lambda: api.create_version(name, actor, based_on_id=based_on), done)

    def ask_start_unit(self) -> None:
        if self.overview_ is None or self.version_id is None:
            return
        names = [n for _, n in self.overview_.all_units]
        if not names:
            messages.info(self, "按指引编制", "还没有单位。请先在“附件一”页面新增单位。")
            return
        name, ok = QInputDialog.getItem(self, "按指引编制单位目录", "单位：", names, 0, False)
        if not ok:
            return
        fields = [c for c, _ in self.overview_.guidance_fields]
        if len(fields) > 1:
            labels = ["全部领域"] + [lbl for _, lbl in self.overview_.guidance_fields]
            pick, ok = QInputDialog.getItem(self, "按指引编制单位目录", "领域：", labels, 0, False)
            if not ok:
                return
            fields = fields if pick == "全部领域" else [c for c, lbl in self.overview_.guidance_fields if lbl == pick]
        uid = next(i for i, n in self.overview_.all_units if n == name)
        self.start_unit(uid, fields)

    def start_unit(self, unit_id: int, fields: list[str] | None = None) -> None:
        vid, actor = self.version_id, self.ctx.actor

        def done(_n):
            self.selected = unit_id
        self._write(lambda: api.start_unit(vid, unit_id, actor, fields), done)

    # ------------------------------------------------------------------ files
    def _save_name(self, title, name, filt) -> str:
        folder = self.ctx.settings.value("catalogue/folder", str(Path.home()))
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path(folder) / name), filt)
        if path:
            self.ctx.settings.setValue("catalogue/folder", str(Path(path).parent))
        return path

    def _open_name(self, title, filt) -> str:
        folder = self.ctx.settings.value("catalogue/folder", str(Path.home()))
        path, _ = QFileDialog.getOpenFileName(self, title, folder, filt)
        if path:
            self.ctx.settings.setValue("catalogue/folder", str(Path(path).parent))
        return path

    def _version_name(self) -> str:
        return self.overview_.version.name if self.overview_ and self.overview_.version else ""

    def ask_import_guidance(self) -> None:
        path = self._open_name("导入上级标准指引", "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        default = self._version_name() or "2020年目录"
        name, ok = QInputDialog.getText(self, "导入上级指引", "导入到版本（不存在则新建）：", text=default)
        if ok and name.strip():
            self.import_guidance(path, name)

    def import_guidance(self, path, version_name: str) -> None:
        actor = self.ctx.actor

        def done(msg):
            self.version_id = None if version_name != self._version_name() else self.version_id
            messages.info(self, "导入上级指引", msg)
        self._write(lambda: api.import_guidance(path, version_name, actor), done, progress=True, title="正在导入")

    def ask_export_county(self) -> None:
        path = self._save_name("导出全县目录", f"政务公开事项标准目录（{self._version_name()}）.xlsx", "Excel 工作簿 (*.xlsx)")
        if path:
            self.export_county(path)

    def export_county(self, path) -> None:
        vid = self.version_id
        self.ctx.ops.read(("catalogue", "file"), lambda: api.export_county(vid, path),
                          success=lambda p: messages.info(self, "导出完成", f"已导出到\n{p}"),
                          failure=lambda e: self.ctx.show_error(e, self), progress=True, title="正在导出", parent=self)

    def ask_export_html(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "导出网页到文件夹")
        if folder:
            self.export_html(folder)

    def export_html(self, folder) -> None:
        vid = self.version_id
        self.ctx.ops.read(("catalogue", "file"), lambda: api.export_html(vid, folder),
                          success=lambda fs: messages.info(self, "导出完成", f"已导出 {len(fs)} 个网页到\n{folder}",
                                                           "首页为 index.html，每个领域一页，可直接交给网站维护人员。"),
                          failure=lambda e: self.ctx.show_error(e, self), progress=True, title="正在导出", parent=self)

    def ask_export_unit(self) -> None:
        if self.selected in (None, GUIDANCE):
            return
        path = self._save_name("导出发给单位", f"{self._unit_name()}.xlsx", "Excel 工作簿 (*.xlsx)")
        if path:
            self.export_unit(path)

    def export_unit(self, path) -> None:
        vid, uid = self.version_id, self.selected
        self.ctx.ops.read(("catalogue", "file"), lambda: api.export_unit(vid, uid, path),
                          success=lambda p: messages.info(self, "导出完成", f"已导出到\n{p}",
                                                          "请发给单位填报：修改或删除上级指引中的事项须写明原因。"),
                          failure=lambda e: self.ctx.show_error(e, self), progress=True, title="正在导出", parent=self)

    def ask_explain(self) -> None:
        if self.selected in (None, GUIDANCE):
            return
        path = self._save_name("编制说明", f"{self._unit_name()}标准目录编制说明.pdf",
                               "PDF 文件 (*.pdf);;Word 文档 (*.docx)")
        if path:
            self.explain(path)

    def explain(self, path) -> None:
        vid, uid = self.version_id, self.selected
        self.ctx.ops.read(("catalogue", "file"), lambda: api.write_explanation(vid, uid, path),
                          success=lambda p: messages.info(self, "编制说明", f"已生成\n{p}", "打印后加盖公章，随目录报送。"),
                          failure=lambda e: self.ctx.show_error(e, self), progress=True, title="正在生成", parent=self)

    def ask_import_return(self) -> None:
        if self.version_id is None:
            return
        path = self._open_name("导入单位交回的目录", "Excel 工作簿 (*.xlsx)")
        if path:
            self.import_return(path)

    def import_return(self, path, *, confirm=None) -> None:
        """Read, show the diff, save when the clerk accepts (``confirm(preview) -> bool``)."""
        vid = self.version_id
        ask = confirm or self._confirm_return

        def got(preview: api.ReturnPreview):
            if ask(preview) and preview.ok and preview.changes:
                actor = self.ctx.actor
                self._write(lambda: api.apply_return(path, vid, actor),
                            lambda msg: messages.info(self, "导入完成", msg), progress=True, title="正在保存")
        self.ctx.ops.read(("catalogue", "return"), lambda: api.preview_return(path, vid), success=got,
                          failure=lambda e: self.ctx.show_error(e, self), progress=True, title="正在读取", parent=self)

    def _confirm_return(self, p: api.ReturnPreview) -> bool:
        dlg = ReturnDialog(self, p)
        return dlg.exec() == QDialog.Accepted

    def ask_compare(self) -> None:
        if self.overview_ is None or len(self.overview_.versions) < 2:
            messages.info(self, "版本对照", "只有一个版本。请先“新建版本”（如 2022年修订），修订后再对照。")
            return
        others = [v for v in self.overview_.versions if v.id != self.version_id]
        names = [v.name for v in others]
        name, ok = QInputDialog.getItem(self, "版本对照", f"“{self._version_name()}”与哪个版本对照：", names, 0, False)
        if ok:
            old = next(v for v in others if v.name == name)
            self.compare(old.id)

    def compare(self, old_id: int) -> None:
        new_id = self.version_id
        old_name = next(v.name for v in self.overview_.versions if v.id == old_id)
        self.ctx.ops.read(("catalogue", "compare"), lambda: api.compare_versions(old_id, new_id),
                          success=lambda ds: CompareDialog(self, old_name, self._version_name(), ds).exec())


class ReturnDialog(QDialog):
    def __init__(self, parent, p: api.ReturnPreview):
        super().__init__(parent)
        self.setWindowTitle(f"导入交回的目录：{p.display}")
        self.resize(760, 520)
        lay = QVBoxLayout(self)
        head = QLabel(f"{p.display} → {p.unit_name or '（未识别单位）'}（{p.version_name}）")
        head.setObjectName("sectionTitle")
        lay.addWidget(head)
        text = QTextBrowser()
        from html import escape

        parts = []
        if p.problems:
            parts.append("<p style='color:#c62828'><b>有问题，不能保存：</b></p><ul>" +
                         "".join(f"<li>{escape(x)}</li>" for x in p.problems) + "</ul>")
        if p.changes:
            parts.append("<p><b>变化：</b></p><ul>" + "".join(f"<li>{escape(x)}</li>" for x in p.changes) + "</ul>")
        elif not p.problems:
            parts.append("<p>与已有的目录相同，无变化。</p>")
        if p.warnings:
            parts.append("<p style='color:#666'>提示：</p><ul>" +
                         "".join(f"<li style='color:#666'>{escape(x)}</li>" for x in p.warnings) + "</ul>")
        text.setHtml("".join(parts))
        lay.addWidget(text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        ok = buttons.button(QDialogButtonBox.Ok)
        ok.setText("保存这些变化")
        ok.setEnabled(p.ok and bool(p.changes))
        buttons.button(QDialogButtonBox.Cancel).setText("不保存")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


class CompareDialog(QDialog):
    def __init__(self, parent, old: str, new: str, deltas):
        super().__init__(parent)
        self.setWindowTitle(f"版本对照：{old} → {new}")
        self.resize(900, 520)
        lay = QVBoxLayout(self)
        changed = [d for d in deltas if d.kind != "keep"]
        counts = {}
        for d in deltas:
            counts[d.kind_label] = counts.get(d.kind_label, 0) + 1
        lay.addWidget(QLabel("，".join(f"{k}{n}项" for k, n in counts.items()) or "两个版本都没有事项"))
        table = QTableWidget(len(changed), 5)
        table.setHorizontalHeaderLabels(["变化", "单位", "事项", "修改内容", "原因"])
        for r, d in enumerate(changed):
            for c, v in enumerate((d.kind_label, d.unit, d.name, d.change, d.reason)):
                table.setItem(r, c, QTableWidgetItem(v))
        table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        table.horizontalHeader().setStretchLastSection(True)
        table.setColumnWidth(2, 260)
        table.setColumnWidth(3, 260)
        self.table = table
        lay.addWidget(table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
