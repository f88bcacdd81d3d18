"""设置: a form generated from the option declarations (``gkdesk.settings.OPTIONS``, through
``gkdesk.api.admin``), one tab per ``Option.group``.

Kinds: text / multiline / int (the declared bounds) / bool / choice (the declared choices) /
phone / email / postcode (checked as typed by the option's own ``clean``) / mapping (a
two-column table of document kind → 代字, labels from ``terms.DOCUMENT_KINDS``). 保存 calls
``gkdesk.settings.save(values, user)``, which runs every option's ``clean``; refused values
are listed and their fields turn red.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QFrame, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QScrollArea, QSpinBox,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from gkdesk.api import admin as admin_api
from gkdesk.api import documents as documents_api
from gkdesk.domain import terms
from gkdesk.errors import ValidationError
from gkdesk.ui.dialogs import messages
from gkdesk.ui.widgets.fields import set_invalid

_CHECKED_AS_TYPED = ("phone", "email", "postcode")


def create_page(ctx, parent):
    return SettingsPage(ctx, parent)


class MappingTable(QTableWidget):
    """Document kind → 代字. Rows for every document kind, plus any stored extra code."""

    def __init__(self, parent=None):
        super().__init__(0, 2, parent)
        self.setHorizontalHeaderLabels(["文书类别", "代字"])
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.Interactive)
        self.setColumnWidth(1, 140)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.AllEditTriggers)

    def set_value(self, mapping: dict) -> None:
        mapping = dict(mapping or {})
        codes = list(terms.DOCUMENT_KINDS) + [c for c in mapping if c not in terms.DOCUMENT_KINDS]
        self.setRowCount(len(codes))
        for row, code in enumerate(codes):
            label = terms.label_of(terms.DOCUMENT_KINDS, code, code)
            item = QTableWidgetItem(label)
            item.setData(Qt.UserRole, code)
            item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            item.setToolTip(code)
            self.setItem(row, 0, item)
            self.setItem(row, 1, QTableWidgetItem(str(mapping.get(code, ""))))
        self.setMinimumHeight(min(420, 30 + 28 * len(codes)))

    def value(self) -> dict:
        out = {}
        for row in range(self.rowCount()):
            code = self.item(row, 0).data(Qt.UserRole)
            text = (self.item(row, 1).text() if self.item(row, 1) else "").strip()
            if text:
                out[code] = text
        return out


class SealEditor(QWidget):
    """电子印章: the imported seal (preview or 「尚未导入印章」), its printed diameter, and
    「导入印章图片…」 calling ``gkdesk.documents.stamp.import_seal``. Administrators only."""

    PREVIEW = 220

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("sealEditor")
        self.preview = QLabel()
        self.preview.setObjectName("sealPreview")
        self.preview.setAlignment(Qt.AlignCenter)
        self.preview.setFixedSize(self.PREVIEW + 20, self.PREVIEW + 20)
        self.preview.setFrameShape(QFrame.StyledPanel)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.diameter = QDoubleSpinBox()
        self.diameter.setObjectName("sealDiameter")
        self.diameter.setRange(20.0, 60.0)
        self.diameter.setDecimals(1)
        self.diameter.setSingleStep(1.0)
        self.diameter.setSuffix(" 毫米")
        self.diameter.setMaximumWidth(160)
        self.import_button = QPushButton("导入印章图片…")
        self.import_button.setObjectName("importSeal")
        self.import_button.clicked.connect(lambda _c=False: self.import_seal())
        hint = QLabel("请使用本机关印章的扫描图片：背景透明的 PNG，接近正方形，至少 200×200 像素，"
                      "四周不留空白。印章直径（县级机关印章一般为 42 毫米）在导入时保存；"
                      "要改直径，请重新导入图片。导入后，出具文书时可选“出具并加盖电子印章”。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.admin_note = QLabel("只有管理员可以导入电子印章。")
        self.admin_note.setObjectName("hint")

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignTop)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        form.addRow("当前印章：", self.preview)
        form.addRow("", self.state_label)
        form.addRow("印章直径：", self.diameter)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 16, 18, 16)
        lay.addLayout(form)
        lay.addWidget(hint)
        lay.addWidget(self.admin_note)
        lay.addStretch(1)
        self.load()
        self.apply_permissions()

    def load(self) -> None:
        path = documents_api.seal_path()
        diameter = documents_api.seal_diameter_mm()
        self.diameter.setValue(diameter)
        pix = QPixmap(str(path)) if path is not None else QPixmap()
        if path is None or pix.isNull():
            self.preview.setPixmap(QPixmap())
            self.preview.setText("尚未导入印章")
            self.state_label.setText("尚未导入印章。出具文书时只能“打印待盖章 PDF…”后手工盖章。")
        else:
            self.preview.setText("")
            self.preview.setPixmap(pix.scaled(self.PREVIEW, self.PREVIEW, Qt.KeepAspectRatio,
                                              Qt.SmoothTransformation))
            self.state_label.setText(f"已导入（{pix.width()}×{pix.height()} 像素），"
                                     f"盖印直径 {diameter:g} 毫米。")

    def has_seal(self) -> bool:
        return not self.preview.pixmap().isNull()

    def apply_permissions(self) -> None:
        admin = self.ctx.actor is not None and self.ctx.actor.has("admin")
        self.import_button.setEnabled(admin)
        self.diameter.setEnabled(admin)
        self.admin_note.setVisible(not admin)

    def import_seal(self, path: str | None = None):
        """Import the seal image at ``path`` (asks with a file dialog when None); returns
        the stored path once it is stored (at once under the tests' synchronous runner;
        else None and the page shows it when the writer is done), None when refused."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "导入印章图片", "", "PNG 图片 (*.png)")
        if not path:
            return None
        actor, diameter, stored = self.ctx.actor, self.diameter.value(), []

        def done(dest):
            stored.append(dest)
            self.load()

        self.ctx.ops.write(lambda: documents_api.import_seal(path, actor, diameter), success=done,
                           failure=lambda exc: self.ctx.show_error(exc, self, "导入电子印章"),
                           initiator=self, parent=self, title="正在导入电子印章")
        return stored[0] if stored else None


class SettingsPage(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("settingsPage")
        self.editors: dict[str, QWidget] = {}
        self._dirty = False
        self._loading = False
        self._saving = False

        title = QLabel("设置")
        title.setObjectName("pageTitle")
        self.error_panel = QLabel()
        self.error_panel.setObjectName("errorPanel")
        self.error_panel.setWordWrap(True)
        self.error_panel.hide()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")

        groups: dict[str, list] = {}
        for opt in admin_api.settings_options():
            groups.setdefault(opt.group, []).append(opt)
        self.group_tabs: dict[str, int] = {}
        for group, opts in groups.items():
            inner = QWidget()
            form = QFormLayout(inner)
            form.setLabelAlignment(Qt.AlignRight | Qt.AlignTop)
            form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
            form.setHorizontalSpacing(14)
            form.setVerticalSpacing(10)
            form.setContentsMargins(18, 16, 18, 16)
            for opt in opts:
                editor = self._editor(opt)
                editor.setObjectName(f"setting_{opt.key}")
                self.editors[opt.key] = editor
                if opt.help:
                    editor.setProperty("normalToolTip", opt.help)
                    editor.setToolTip(opt.help)
                cell = editor
                if opt.help and opt.kind != "bool":
                    cell = QWidget()
                    v = QVBoxLayout(cell)
                    v.setContentsMargins(0, 0, 0, 0)
                    v.setSpacing(2)
                    v.addWidget(editor)
                    hint = QLabel(opt.help)
                    hint.setObjectName("hint")
                    hint.setWordWrap(True)
                    v.addWidget(hint)
                form.addRow(opt.title + "：", cell)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.NoFrame)
            scroll.setWidget(inner)
            self.group_tabs[group] = self.tabs.addTab(scroll, group)
        self._add_reasons_tab()
        self._add_seal_tab()
        self._add_optional_tabs()

        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("primaryButton")
        self.save_button.clicked.connect(self.save)
        self.reload_button = QPushButton("放弃修改")
        self.reload_button.clicked.connect(self.load)
        self.status_label = QLabel()
        self.status_label.setObjectName("hint")
        self.admin_note = QLabel("只有管理员可以修改设置。")
        self.admin_note.setObjectName("hint")

        buttons = QHBoxLayout()
        buttons.addWidget(self.admin_note)
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.save_button)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        lay.addWidget(title)
        lay.addWidget(self.error_panel)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(buttons)

        self.load()
        self._apply_permissions()
        self.tabs.currentChanged.connect(self._tab_changed)
        ctx.changed.actorChanged.connect(self._apply_permissions)
        ctx.changed.opDidExecute.connect(self.on_changes)

    # ---------------------------------------------------------------- editors
    def _editor(self, opt) -> QWidget:
        if opt.kind == "multiline":
            w = QPlainTextEdit()
            w.setTabChangesFocus(True)
            w.setMaximumHeight(110)
            w.textChanged.connect(self._mark_dirty)
        elif opt.kind == "int":
            w = QSpinBox()
            w.setRange(opt.minimum, opt.maximum)
            w.setMaximumWidth(160)
            w.valueChanged.connect(self._mark_dirty)
        elif opt.kind == "bool":
            w = QCheckBox(opt.help or "")
            w.toggled.connect(self._mark_dirty)
        elif opt.kind == "mapping":
            w = MappingTable()
            w.itemChanged.connect(self._mark_dirty)
        elif opt.kind == "choice":
            w = QComboBox()
            w.addItems(list(opt.choices))
            w.setMaximumWidth(260)
            w.currentTextChanged.connect(self._mark_dirty)
        else:
            w = QLineEdit()
            w.textChanged.connect(self._mark_dirty)
            if opt.kind in ("postcode", "phone"):
                w.setMaximumWidth(260)
            if opt.kind in _CHECKED_AS_TYPED:
                w.editingFinished.connect(lambda w=w, o=opt: self._live_check(w, o))
        return w

    def _live_check(self, w: QLineEdit, opt) -> None:
        text = w.text()
        if not text.strip():
            set_invalid(w, None)
            return
        try:
            opt.clean(text)
        except ValidationError as exc:
            set_invalid(w, exc.message)
        else:
            set_invalid(w, None)

    def _add_optional_tabs(self) -> None:
        """The 节假日 tab (the calendar through gkdesk.api.admin)."""
        from gkdesk.ui.widgets.holidays import HolidaysEditor

        self.holidays = HolidaysEditor(self.ctx, self)
        self.tabs.addTab(self.holidays, "节假日")

    def _add_reasons_tab(self) -> None:
        """理由库 (issue 19): saves itself; in a scroll area so it forces no minimum size."""
        from gkdesk.ui.pages.settings_reasons import ReasonsEditor

        self.reasons = ReasonsEditor(self.ctx, self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(self.reasons)
        self.reasons_tab = scroll
        self.tabs.addTab(scroll, "理由库")

    def _add_seal_tab(self) -> None:
        """The 电子印章 tab (the seal through gkdesk.api)."""
        self.seal = SealEditor(self.ctx, self)
        scroll = QScrollArea()          # no minimum height forced on the main window
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(self.seal)
        self.seal_tab = scroll
        self.tabs.addTab(scroll, "电子印章")

    def _tab_changed(self, _index: int) -> None:
        # The 节假日 tab saves itself; the page's 保存/放弃修改 are for the options.
        current = self.tabs.currentWidget()
        own = current is not None and current in (getattr(self, "holidays", None), getattr(self, "seal_tab", None),
                                                 getattr(self, "reasons_tab", None))
        for w in (self.save_button, self.reload_button, self.status_label):
            w.setVisible(not own)
        admin = self.ctx.actor is not None and self.ctx.actor.has("admin")
        self.admin_note.setVisible(not own and not admin)

    def _mark_dirty(self, *_a) -> None:
        if not self._loading:
            self._dirty = True
            self.status_label.setText("有未保存的修改")

    def _apply_permissions(self) -> None:
        admin = self.ctx.actor is not None and self.ctx.actor.has("admin")
        for w in self.editors.values():
            w.setEnabled(admin)
        self.save_button.setEnabled(admin)
        self.reload_button.setEnabled(admin)
        self.admin_note.setVisible(not admin)
        if getattr(self, "seal", None) is not None:
            self.seal.apply_permissions()

    def on_changes(self, changes, initiator) -> None:
        """Settings saved elsewhere (another window, another gkdesk): show them, unless
        edits are pending here or the save was this page's own."""
        if changes.touches("settings") and initiator is not self and not self._dirty and not self._saving:
            self.load()

    # ---------------------------------------------------------------- values
    def load(self) -> None:
        self._loading = True
        try:
            stored = admin_api.settings_values()
            for opt in admin_api.settings_options():
                w = self.editors[opt.key]
                value = stored.get(opt.key, opt.default)
                if opt.kind == "multiline":
                    w.setPlainText(str(value or ""))
                elif opt.kind == "int":
                    w.setValue(int(value or 0))
                elif opt.kind == "bool":
                    w.setChecked(bool(value))
                elif opt.kind == "mapping":
                    w.set_value(value or {})
                elif opt.kind == "choice":
                    text = "" if value is None else str(value)
                    if w.findText(text) < 0:        # a value stored before the choices were declared
                        w.addItem(text)
                    w.setCurrentText(text)
                else:
                    w.setText("" if value is None else str(value))
                set_invalid(w, None)
        finally:
            self._loading = False
        self._dirty = False
        self.error_panel.hide()
        self.status_label.setText("")

    def values(self) -> dict:
        out = {}
        for opt in admin_api.settings_options():
            w = self.editors[opt.key]
            if opt.kind == "multiline":
                out[opt.key] = w.toPlainText()
            elif opt.kind == "int":
                out[opt.key] = w.value()
            elif opt.kind == "bool":
                out[opt.key] = w.isChecked()
            elif opt.kind == "mapping":
                out[opt.key] = w.value()
            elif opt.kind == "choice":
                out[opt.key] = w.currentText()
            else:
                out[opt.key] = w.text()
        return out

    def save(self) -> bool:
        for w in self.editors.values():
            set_invalid(w, None)
        values, saved = self.values(), []

        def done(_result):
            saved.append(True)
            self._saving = False
            self.load()
            self.status_label.setText("已保存")

        def failed(exc):
            self._saving = False
            if isinstance(exc, ValidationError):
                self._show_problems(exc)
            else:
                self.ctx.show_error(exc, self)

        # the core refuses anyone but an administrator (the page is read-only for others)
        self._saving = True
        self.status_label.setText("正在保存…")
        self.ctx.ops.write(lambda: admin_api.save_settings(values, self.ctx.actor),
                           success=done, failure=failed, initiator=self, parent=self)
        return bool(saved)      # False when refused (or, on the writer thread, not done yet)

    def _show_problems(self, exc: ValidationError) -> None:
        problems = exc.problems or [str(exc)]
        self.error_panel.setText("未保存，请改正：\n" + "\n".join(f"• {p}" for p in problems))
        self.error_panel.show()
        first = None
        for opt in admin_api.settings_options():
            hits = [p for p in problems if p.startswith(opt.title + "：") or exc.field == opt.title]
            if hits:
                w = self.editors[opt.key]
                set_invalid(w, "；".join(hits))
                if first is None:
                    first = (opt, w)
        if first is not None:
            opt, w = first
            self.tabs.setCurrentIndex(self.group_tabs[opt.group])
            w.setFocus(Qt.OtherFocusReason)

    # ---------------------------------------------------------------- page contract
    def help_topic(self) -> str | None:
        return "reasons" if self.tabs.currentWidget() is getattr(self, "reasons_tab", None) else None

    def confirm_leave(self) -> bool:
        if not self._dirty:
            return True
        if messages.confirm(self, "设置尚未保存", "设置有未保存的修改，放弃这些修改吗？", yes="放弃修改", no="继续编辑"):
            self.load()
            return True
        return False
