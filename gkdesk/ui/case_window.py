"""The window of one case: every fact, the due-date status, the timeline, documents,
attachments, and a button for exactly each action legal now
(``gkdesk.cases.workflow.available_actions``), each opening a form generated from its
``ActionSpec``. One window per case: opening it again raises the existing one.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QFrame, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMainWindow,
    QMenu, QPushButton, QScrollArea, QTableWidget, QTableWidgetItem, QTabWidget, QToolButton,
    QVBoxLayout, QWidget,
)

from gkdesk.api import cases as api
from gkdesk.api import documents as docs_api
from gkdesk.domain import terms
from gkdesk.ui.dialogs.action import ActionDialog
from gkdesk.ui.dialogs.case_detail import facts_widget
from gkdesk.ui.dialogs.help_dialog import open_help
from gkdesk.ui.models.case_table import LEVEL_COLOURS
from gkdesk.ui.widgets.fields import format_date

log = logging.getLogger(__name__)

# Kinds of files kept with a case (Attachment.kind), from the domain layer.
ATTACHMENT_KINDS = terms.ATTACHMENT_KINDS
DOC_STATUS = {"draft": "草稿", "issued": "已出具", "cancelled": "已作废"}
# Who may cancel an issued document (gkdesk.documents.service.cancel requires one of these).
CANCEL_ROLES = docs_api.CANCEL_ROLES
# Labels of a case's facts (the registration form's), for finding a revealed field's label.
FIELD_LABELS = api.FIELD_LABELS

def open_windows(ctx) -> dict[int, "CaseWindow"]:
    """The case windows open in this session, by case id."""
    return ctx.__dict__.setdefault("case_windows", {})


def open_case_window(ctx, case_id: int, parent: QWidget | None = None) -> "CaseWindow":
    """Show the window of ``case_id`` (raising it if already open); returns it."""
    windows = open_windows(ctx)
    win = windows.get(case_id)
    if win is not None:
        try:
            win.reload()
            win.show()
            win.raise_()
            win.activateWindow()
            return win
        except RuntimeError:  # its C++ object is gone
            windows.pop(case_id, None)
    win = CaseWindow(ctx, case_id, parent)
    windows[case_id] = win
    win.destroyed.connect(lambda *_a, w=windows, cid=case_id: w.pop(cid, None))
    win.show()
    return win


def _local(ts) -> str:
    if ts is None:
        return ""
    if isinstance(ts, str):
        ts = dt.datetime.fromisoformat(ts)
    if ts.tzinfo is not None:
        ts = ts.astimezone()
    return ts.strftime("%Y-%m-%d %H:%M")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setSelectionBehavior(QAbstractItemView.SelectRows)
    t.setSelectionMode(QAbstractItemView.SingleSelection)
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.setAlternatingRowColors(True)
    t.setWordWrap(True)
    t.horizontalHeader().setHighlightSections(False)
    return t


def _item(text: str, data=None) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    if data is not None:
        it.setData(Qt.UserRole, data)
    it.setToolTip(text)
    return it


class CaseWindow(QMainWindow):
    def __init__(self, ctx, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = int(case_id)
        self.case = None
        self.action_dialog: ActionDialog | None = None
        self.action_buttons: dict[str, QPushButton] = {}
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.setObjectName("caseWindow")

        # ---- header
        self.number_label = QLabel()
        self.number_label.setObjectName("pageTitle")
        self.applicant_label = QLabel()
        self.applicant_label.setObjectName("caseApplicant")
        self.stage_label = QLabel()
        self.stage_label.setObjectName("stageBadge")
        self.due_label = QLabel()
        self.due_label.setObjectName("dueStatus")
        self.due_note = QLabel()
        self.due_note.setObjectName("hint")
        self.due_note.setWordWrap(True)
        self.content_label = QLabel()
        self.content_label.setWordWrap(True)
        self.content_label.setObjectName("caseContent")
        top = QHBoxLayout()
        top.addWidget(self.number_label)
        top.addSpacing(12)
        top.addWidget(self.applicant_label)
        top.addSpacing(12)
        top.addWidget(self.stage_label)
        top.addStretch(1)
        top.addWidget(self.due_label)
        header = QVBoxLayout()
        header.addLayout(top)
        header.addWidget(self.content_label)
        header.addWidget(self.due_note)

        # ---- tabs
        self.tabs = QTabWidget()
        self.facts_scroll = QScrollArea()
        self.facts_scroll.setWidgetResizable(True)
        self.facts_scroll.setFrameShape(QFrame.NoFrame)
        facts_tab = QWidget()
        fl = QVBoxLayout(facts_tab)
        fl.setContentsMargins(0, 0, 0, 0)
        self.reveal_buttons: dict[str, QPushButton] = {}
        reveal_row = QHBoxLayout()
        reveal_row.setContentsMargins(8, 6, 8, 0)
        for field, text in (("id_number", "显示完整证件号码"), ("phone", "显示完整联系电话")):
            b = QPushButton(text)
            b.setToolTip("个人信息默认隐去部分号码；查看完整号码将记入审计记录")
            b.clicked.connect(lambda _c=False, f=field: self.reveal(f))
            self.reveal_buttons[field] = b
            reveal_row.addWidget(b)
        reveal_row.addStretch(1)
        fl.addLayout(reveal_row)
        fl.addWidget(self.facts_scroll, 1)
        self.tabs.addTab(facts_tab, "案件信息")

        self.timeline = _table(["时间", "操作人", "办理情况", "阶段"])
        hh = self.timeline.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        hh.setSectionResizeMode(2, QHeaderView.Stretch)
        hh.setSectionResizeMode(3, QHeaderView.ResizeToContents)
        self.tabs.addTab(self.timeline, "办理记录")

        docs = QWidget()
        dl = QVBoxLayout(docs)
        self.documents = _table(["文号", "文书", "状态", "出具时间", "出具人"])
        dh = self.documents.horizontalHeader()
        dh.setSectionResizeMode(1, QHeaderView.Stretch)
        for c in (0, 2, 3, 4):
            dh.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        self.documents.doubleClicked.connect(lambda _i: self.open_selected_document())
        self.issue_button = QToolButton()
        self.issue_button.setText("出具文书")
        self.issue_button.setPopupMode(QToolButton.InstantPopup)
        self.issue_menu = QMenu(self.issue_button)
        self.issue_menu.setToolTipsVisible(True)
        self.issue_button.setMenu(self.issue_menu)
        self.open_doc_button = QPushButton("打开")
        self.open_doc_button.clicked.connect(self.open_selected_document)
        self.save_doc_button = QPushButton("另存为…")
        self.save_doc_button.clicked.connect(self.save_selected_document)
        self.cancel_doc_button = QPushButton("作废…")
        self.cancel_doc_button.setObjectName("cancelDocument")
        self.cancel_doc_button.clicked.connect(lambda _c=False: self.cancel_selected_document())
        self.documents.itemSelectionChanged.connect(self._update_cancel_button)
        row = QHBoxLayout()
        row.addWidget(self.issue_button)
        row.addStretch(1)
        row.addWidget(self.open_doc_button)
        row.addWidget(self.save_doc_button)
        row.addWidget(self.cancel_doc_button)
        dl.addLayout(row)
        dl.addWidget(self.documents)
        self.tabs.addTab(docs, "文书")

        atts = QWidget()
        al = QVBoxLayout(atts)
        self.attachments = _table(["文件名", "类别", "大小", "添加时间", "添加人"])
        ah = self.attachments.horizontalHeader()
        ah.setSectionResizeMode(0, QHeaderView.Stretch)
        for c in (1, 2, 3, 4):
            ah.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        self.attachments.doubleClicked.connect(lambda _i: self.open_selected_attachment())
        self.add_att_button = QToolButton()
        self.add_att_button.setText("添加附件")
        self.add_att_button.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(self.add_att_button)
        for term in ATTACHMENT_KINDS.values():
            act = menu.addAction(term.label + "…")
            act.triggered.connect(lambda _c=False, k=term.code: self._choose_attachments(k))
        self.add_att_button.setMenu(menu)
        self.open_att_button = QPushButton("打开")
        self.open_att_button.clicked.connect(self.open_selected_attachment)
        row = QHBoxLayout()
        row.addWidget(self.add_att_button)
        row.addStretch(1)
        row.addWidget(self.open_att_button)
        al.addLayout(row)
        al.addWidget(self.attachments)
        self.tabs.addTab(atts, "附件")
        from gkdesk.ui.widgets.confidentiality import ConfidentialityPanel

        self.confidentiality = ConfidentialityPanel(ctx, self.case_id, self)   # 保密审查 (issue 15)
        self.tabs.addTab(self.confidentiality, "保密审查")
        from gkdesk.ui.widgets import case_desk

        case_desk.install(self)     # 交办 and 邮寄 (issue 19)

        # ---- actions panel
        self.actions_box = QFrame()
        self.actions_box.setObjectName("actionsPanel")
        self.actions_box.setMinimumWidth(230)
        self.actions_layout = QVBoxLayout(self.actions_box)
        self.actions_layout.setContentsMargins(12, 12, 12, 12)
        self.actions_layout.setSpacing(8)
        self.actions_title = QLabel("可办理的操作")
        self.actions_title.setObjectName("sectionTitle")

        body = QHBoxLayout()
        body.addWidget(self.tabs, 1)
        body.addWidget(self.actions_box)

        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(10)
        lay.addLayout(header)
        lay.addLayout(body, 1)
        self.setCentralWidget(central)

        close = QAction("关闭", self)
        close.setShortcut("Esc")
        close.triggered.connect(self.close)
        self.addAction(close)
        refresh = QAction("刷新", self)
        refresh.setShortcut("F5")
        refresh.triggered.connect(self.reload)
        self.addAction(refresh)
        guide = QAction("使用指南", self)
        guide.setShortcut(QKeySequence.HelpContents)
        guide.triggered.connect(lambda: open_help(self.help_topic(), self))
        self.addAction(guide)

        ctx.changed.opDidExecute.connect(self.on_changes)
        ctx.changed.actorChanged.connect(self.reload)
        geo = ctx.settings.value("caseWindow/geometry")
        if not (isinstance(geo, QByteArray) and not geo.isEmpty() and self.restoreGeometry(geo)):
            self.resize(1100, 760)
        self.reloads = 0        # how many times the case was read (tests: once per change)
        self.reload()

    # ---------------------------------------------------------------- content
    def reload(self) -> None:
        """Read the case (on the reader pool; only the latest read is shown) and show it."""
        self.reloads += 1
        self.ctx.ops.read(("case-window", self.case_id),
                          lambda: api.case_view(self.case_id, self.ctx.actor), success=self._show,
                          failure=lambda exc: self.ctx.show_error(exc, self))

    def _show(self, view) -> None:
        self.case = c = view
        self.setWindowTitle(f"{c.number} {c.applicant_name} — 案件办理")
        self.number_label.setText(c.number)
        self.applicant_label.setText(f"{c.applicant_name}（{terms.label_of(terms.APPLICANT_KINDS, c.applicant_kind)}）")
        self.stage_label.setText(terms.label_of(terms.STAGES, c.stage, c.stage))
        self.content_label.setText(c.content)
        self._show_due()
        old = self.facts_scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.facts_scroll.setWidget(facts_widget(c))
        allowed = api.can_view_personal(self.ctx.actor)
        for field, b in self.reveal_buttons.items():
            b.setVisible(allowed and bool(getattr(c, field)))
        self._fill_timeline()
        self._fill_documents()
        self._fill_attachments()
        self._fill_actions()

    def _show_due(self) -> None:
        c = self.case
        st = c.due
        if c.stage in terms.OPEN_STAGES and c.due_date:
            text = f"答复期限 {format_date(c.due_date, chinese=True)}"
            if st.text:
                text += f"　{st.text}"
        elif c.reply_date:
            text = f"已于 {format_date(c.reply_date, chinese=True)} 答复"
        else:
            text = ""
        self.due_label.setText(text)
        colours = LEVEL_COLOURS.get(st.level)
        if colours:
            bg, fg = colours
            self.due_label.setStyleSheet(f"background:{bg.name()}; color:{fg.name()}; border-radius:4px;"
                                         "padding:3px 10px; font-weight:bold;")
        else:
            self.due_label.setStyleSheet("padding:3px 10px; font-weight:bold; color:#23395d;")
        self.due_label.setProperty("level", st.level)
        notes = []
        if st.provisional and c.stage in terms.OPEN_STAGES:
            notes.append(api.PROVISIONAL_NOTE)
        if c.paused:
            notes.append("征求意见或等待缴费期间不计入答复期限，期限将在恢复计时后重新计算。")
        if c.custom_due_date:
            notes.append(f"已依条例第三十五条确定答复期限：{c.custom_due_reason}")
        if c.stage == "archived":
            notes.append("本案已归档，只读；如需修改，须由管理员重新打开。")
        if c.repeat_warning:
            notes.append(c.repeat_warning)
        self.due_note.setText("\n".join(notes))
        self.due_note.setVisible(bool(notes))

    def _fill_timeline(self) -> None:
        entries = self.case.timeline
        t = self.timeline
        t.setRowCount(len(entries))
        for r, e in enumerate(entries):
            stage = ""
            if e.to_stage and e.to_stage != e.from_stage:
                a = terms.label_of(terms.STAGES, e.from_stage, "") if e.from_stage else ""
                b = terms.label_of(terms.STAGES, e.to_stage, e.to_stage)
                stage = f"{a} → {b}" if a else b
            t.setItem(r, 0, _item(_local(e.at)))
            t.setItem(r, 1, _item(e.user))
            t.setItem(r, 2, _item(e.summary or e.action, e.action))
            t.setItem(r, 3, _item(stage))
        t.resizeRowsToContents()

    def _fill_documents(self) -> None:
        docs = self.case.documents
        t = self.documents
        t.setRowCount(len(docs))
        for r, d in enumerate(docs):
            t.setItem(r, 0, _item(d.number or "（无文号）", d.id))
            t.setItem(r, 1, _item(terms.label_of(terms.DOCUMENT_KINDS, d.kind, d.kind)))
            t.setItem(r, 2, _item(DOC_STATUS.get(d.status, d.status), d.status))
            t.setItem(r, 3, _item(_local(d.issued_at)))
            t.setItem(r, 4, _item(d.issued_by))
        self.issue_menu.clear()
        readonly = self.case.stage == "archived"
        for kind, why in self.case.issuable:
            act = self.issue_menu.addAction(terms.label_of(terms.DOCUMENT_KINDS, kind, kind) + "…")
            act.setData(kind)
            if why or readonly:
                act.setEnabled(False)
                act.setToolTip(why or "已归档，只读")
            act.triggered.connect(lambda _c=False, k=kind: self.issue_document(k))
        self.issue_button.setEnabled(not readonly)
        has = bool(docs)
        self.open_doc_button.setEnabled(has)
        self.save_doc_button.setEnabled(has)
        self._update_cancel_button()

    def _selected_document_status(self) -> str | None:
        t = self.documents
        rows = t.selectionModel().selectedRows()
        row = rows[0].row() if rows else (0 if t.rowCount() == 1 else -1)
        if row < 0 or t.item(row, 2) is None:
            return None
        return t.item(row, 2).data(Qt.UserRole)

    def _update_cancel_button(self) -> None:
        """「作废…」: only for an issued document, and only for a leader, reviewer or admin."""
        actor = self.ctx.actor
        allowed = actor is not None and actor.has(*CANCEL_ROLES)
        status = self._selected_document_status()
        self.cancel_doc_button.setEnabled(allowed and status == "issued")
        if not allowed:
            need = "或".join(terms.ROLES[r].label for r in CANCEL_ROLES)
            tip = f"作废文书需要{need}权限"
        elif status is None:
            tip = "请先选中要作废的文书"
        elif status != "issued":
            tip = f"该文书{DOC_STATUS.get(status, status)}，只有已出具的文书可以作废"
        else:
            tip = "作废选中的文书：原文号保留、不再使用，作废原因记入办理记录"
        self.cancel_doc_button.setToolTip(tip)

    def _fill_attachments(self) -> None:
        atts = self.case.attachments
        t = self.attachments
        t.setRowCount(len(atts))
        for r, a in enumerate(atts):
            t.setItem(r, 0, _item(a.filename, a.id))
            t.setItem(r, 1, _item(terms.label_of(ATTACHMENT_KINDS, a.kind, a.kind)))
            t.setItem(r, 2, _item(_size(a.size)))
            t.setItem(r, 3, _item(_local(a.added_at)))
            t.setItem(r, 4, _item(a.added_by))
        self.add_att_button.setEnabled(self.case.stage != "archived")
        self.open_att_button.setEnabled(bool(atts))

    def _fill_actions(self) -> None:
        while self.actions_layout.count():
            item = self.actions_layout.takeAt(0)
            w = item.widget()
            if w is not None and w is not self.actions_title:
                w.deleteLater()
        self.action_buttons = {}
        self.actions_layout.addWidget(self.actions_title)
        specs = self.case.actions        # those the current user may carry out now
        for spec in specs:
            b = QPushButton(spec.label)
            b.setObjectName(f"action_{spec.code}")
            if spec.help:
                b.setToolTip(spec.help)
            b.clicked.connect(lambda _c=False, code=spec.code: self.open_action(code))
            self.actions_layout.addWidget(b)
            self.action_buttons[spec.code] = b
        if not specs:
            note = QLabel("当前没有您可以办理的操作。" if self.case.stage != "archived"
                          else "已归档，只读。")
            note.setObjectName("hint")
            note.setWordWrap(True)
            self.actions_layout.addWidget(note)
        if self.case.stage == "registered":
            hint = QLabel("补正告知须在收到申请之日起7个工作日内一次性发出。")
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            self.actions_layout.addWidget(hint)
        self.actions_layout.addStretch(1)

    def help_topic(self) -> str:
        """F1: the guide on the tab in view (交办, 邮寄), else on the case."""
        current = self.tabs.currentWidget()
        if current is getattr(self, "handoffs_panel", None):
            return "handoffs"
        if current is getattr(self, "post_panel", None):
            return "post"
        return "case"

    def available_action_codes(self) -> list[str]:
        return list(self.action_buttons)

    def reveal(self, field: str) -> str | None:
        """Show the full ID number or phone (recorded in the audit trail by the core)."""
        revealed: list[str] = []

        def shown(value: str) -> None:
            revealed.append(value)
            label = FIELD_LABELS[field]
            target = self.facts_scroll.widget().findChild(QLabel, f"fact_{label}")
            if target is not None:
                target.setText(value)
            self.reveal_buttons[field].setEnabled(False)

        # a write (the audit event): the timeline follows from the change feed
        self.ctx.ops.write(lambda: api.reveal(self.case_id, self.ctx.actor, field), success=shown,
                           initiator=self, parent=self)
        return revealed[0] if revealed else None

    # ---------------------------------------------------------------- actions
    def open_action(self, code: str) -> ActionDialog:
        """Open the input form of action ``code`` (window-modal, non-blocking); returns it."""
        spec = api.ACTIONS[code]
        dlg = ActionDialog(self.ctx, self.case, spec, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self._performed(dlg.result_case))
        self.action_dialog = dlg
        dlg.open()
        return dlg

    def _performed(self, case) -> None:
        self.action_dialog = None      # the change feed reloads the window, once

    def on_changes(self, changes, initiator) -> None:
        """Reload when a committed write touched this case (whoever made it: the window's
        own actions reload here, once, instead of after the dialog as well)."""
        if changes.touches_case(self.case_id) or changes.touches("calendar", "users"):
            self.reload()

    # ---------------------------------------------------------------- documents
    def issue_document(self, kind: str):
        try:
            from gkdesk.ui.dialogs.document_dialog import open_document_dialog
        except ModuleNotFoundError as exc:
            if exc.name != "gkdesk.ui.dialogs.document_dialog":
                raise
            from gkdesk.ui.dialogs import messages

            messages.info(self, "出具文书", "出具文书功能正在建设中")
            return None
        return open_document_dialog(self.ctx, self.case_id, kind, self, modal=False)

    def _selected_id(self, table: QTableWidget) -> int | None:
        rows = table.selectionModel().selectedRows()
        row = rows[0].row() if rows else (0 if table.rowCount() == 1 else -1)
        if row < 0:
            return None
        return table.item(row, 0).data(Qt.UserRole)

    def _document_pdf(self, doc_id: int) -> tuple[str, bytes]:
        return docs_api.pdf(doc_id, self.case.number)

    def open_selected_document(self) -> Path | None:
        doc_id = self._selected_id(self.documents)
        if doc_id is None:
            return None
        try:
            path = docs_api.open_copy(doc_id, self.case.number)
        except Exception as exc:  # noqa: BLE001
            self.ctx.show_error(exc, self)
            return None
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def save_selected_document(self, path: str | None = None) -> str | None:
        doc_id = self._selected_id(self.documents)
        if doc_id is None:
            return None
        try:
            if path is None:
                name, _data = self._document_pdf(doc_id)
                path, _ = QFileDialog.getSaveFileName(self, "另存文书", name, "PDF (*.pdf)")
            if not path:
                return None
            docs_api.save_pdf(doc_id, path, self.case.number)
        except Exception as exc:  # noqa: BLE001
            self.ctx.show_error(exc, self)
            return None
        return path

    def ask_cancel_reason(self, number: str) -> tuple[str, bool]:
        """The reason for cancelling document ``number`` (text, whether 确定 was pressed)."""
        return QInputDialog.getText(
            self, "作废文书",
            f"作废文书 {number}。\n原文号保留、不再使用，作废后不能恢复。\n\n作废原因：")

    def cancel_selected_document(self):
        """Ask for the reason and cancel the selected issued document; returns it, or None."""
        doc_id = self._selected_id(self.documents)
        if doc_id is None or self.ctx.actor is None:
            return None
        doc = next((d for d in self.case.documents if d.id == doc_id), None)
        if doc is None:
            return None
        reason, ok = self.ask_cancel_reason(doc.number or "（无文号）")
        if not ok:
            return None
        done: list = []
        # refuses an empty reason; the change feed reloads this window
        self.ctx.ops.write(lambda: docs_api.cancel(doc_id, reason, self.ctx.actor), success=done.append,
                           failure=lambda exc: self.ctx.show_error(exc, self, "作废文书"),
                           initiator=self, parent=self, title="作废文书")
        return done[0] if done else None

    # ---------------------------------------------------------------- attachments
    def _choose_attachments(self, kind: str) -> None:
        label = terms.label_of(ATTACHMENT_KINDS, kind, kind)
        paths, _ = QFileDialog.getOpenFileNames(self, f"添加{label}", "",
                                                "扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.ofd);;所有文件 (*)")
        if paths:
            self.add_attachments(paths, kind)

    def add_attachments(self, paths, kind: str = "scan") -> int:
        """Keep files with the case (copied into the file store); returns how many."""
        done: list[int] = []
        paths = [str(p) for p in paths]
        self.ctx.ops.write(lambda: api.add_attachments(self.case_id, paths, self.ctx.actor, kind),
                           success=done.append, initiator=self, parent=self, title="正在添加附件")
        return done[0] if done else 0

    def open_selected_attachment(self) -> Path | None:
        att_id = self._selected_id(self.attachments)
        if att_id is None:
            return None
        att = next((a for a in self.case.attachments if a.id == att_id), None)
        if att is None:
            return None
        path = api.attachment_file(att.id)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    # ---------------------------------------------------------------- closing
    def closeEvent(self, event) -> None:  # noqa: N802
        self.ctx.settings.setValue("caseWindow/geometry", self.saveGeometry())
        if open_windows(self.ctx).get(self.case_id) is self:
            open_windows(self.ctx).pop(self.case_id, None)
        try:
            self.ctx.changed.opDidExecute.disconnect(self.on_changes)
            self.ctx.changed.actorChanged.disconnect(self.reload)
        except (RuntimeError, TypeError):
            pass
        super().closeEvent(event)
