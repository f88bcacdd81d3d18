"""出具文书: create, preview and issue a document of a case.

``open_document_dialog(ctx, case_id, kind, parent)`` is what the case window calls. The
dialog asks for what the clerk must write (``gkdesk.api.documents.document_setup``), shows
a live preview of the page (laid out by the core in the background and painted here with
the same fonts the PDF embeds), and offers: export draft PDF / DOCX, issue (numbered and
stored), issue with the electronic seal, and the "print for stamping" PDF.

``PagePreview`` (the page painter) is also used by the 文书模板 page.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QDate, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QDateEdit, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QScrollArea, QSizePolicy, QSplitter, QVBoxLayout, QWidget,
)

from gkdesk.api import documents as documents_api
from gkdesk.errors import GkError, WorkflowError

log = logging.getLogger(__name__)


class _Geometry:
    """The page geometry of the layout (points), read once from gkdesk.api.documents."""

    def __getattr__(self, name: str) -> float:
        values = documents_api.page_geometry()
        for key, value in values.items():
            setattr(self, key, value)
        return values[name]


layout = _Geometry()

_families: dict[str, str] = {}


def _family(font) -> str:
    """The Qt family name of a reportlab-loaded font (loaded into Qt from the same file)."""
    key = f"{font.path}#{font.index}"
    if key not in _families:
        fid = QFontDatabase.addApplicationFont(str(font.path))
        fams = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
        if font.family in fams:
            _families[key] = font.family
        elif fams:
            _families[key] = fams[min(font.index, len(fams) - 1)]
        else:
            _families[key] = font.family
    return _families[key]


def paint_page(painter: QPainter, page, scale: float, *, seal_image: QImage | None = None,
               seal_mark: bool = True) -> None:
    """Paint one laid-out page (points, origin top-left) at ``scale`` pixels per point."""
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing, True)
    painter.setRenderHint(QPainter.TextAntialiasing, True)
    painter.fillRect(QRectF(0, 0, layout.PAGE_W * scale, layout.PAGE_H * scale), QColor("white"))
    # the type area, faintly, so the margins can be judged
    painter.setPen(QPen(QColor(230, 236, 245), 1))
    painter.drawRect(QRectF(layout.LEFT * scale, layout.TOP * scale, layout.AREA_W * scale,
                            layout.AREA_H * scale))
    painter.setPen(QPen(QColor("black"), max(1.0, 0.75 * scale)))
    for r in page.rules:
        painter.drawLine(QPointF(r.x1 * scale, r.y1 * scale), QPointF(r.x2 * scale, r.y2 * scale))
    for run in page.runs:
        f = QFont(_family(run.font))
        f.setPixelSize(max(1, round(run.size * scale)))
        f.setBold(bool(run.bold))
        f.setStyleStrategy(QFont.PreferAntialias)
        painter.setFont(f)
        painter.setPen(QColor.fromRgbF(*run.color))
        for ch, x in zip(run.text, run.xs):
            painter.drawText(QPointF(x * scale, run.y * scale), ch)
    if page.seal is not None:
        s = page.seal
        rect = QRectF((s.cx - s.diameter / 2) * scale, (s.cy - s.diameter / 2) * scale,
                      s.diameter * scale, s.diameter * scale)
        if seal_image is not None and not seal_image.isNull():
            painter.drawImage(rect, seal_image)
        elif seal_mark:
            pen = QPen(QColor(200, 80, 80, 140), 1, Qt.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.NoBrush)
            painter.drawEllipse(rect)
    painter.restore()


class PagePreview(QWidget):
    """The pages of a ``Laid`` stacked vertically, scaled to the widget's width."""

    GAP = 12

    def __init__(self, parent=None):
        super().__init__(parent)
        self._laid = None
        self._message = "（尚无预览）"
        self._seal: QImage | None = None
        self._pixmaps: dict = {}
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.setMinimumWidth(300)

    def set_laid(self, laid, seal_image: QImage | None = None) -> None:
        self._pixmaps.clear()
        self._laid = laid
        self._seal = seal_image
        self._message = ""
        self.updateGeometry()
        self._resize_to_content()
        self.update()

    def set_message(self, text: str) -> None:
        self._pixmaps.clear()
        self._laid = None
        self._message = text
        self._resize_to_content()
        self.update()

    @property
    def page_count(self) -> int:
        return len(self._laid.pages) if self._laid else 0

    def scale(self) -> float:
        return max(0.2, (self.width() - 2 * self.GAP) / layout.PAGE_W)

    def _resize_to_content(self) -> None:
        if self._laid is None:
            self.setMinimumHeight(200)
            return
        h = int(len(self._laid.pages) * (layout.PAGE_H * self.scale() + self.GAP) + self.GAP)
        self.setMinimumHeight(h)

    def resizeEvent(self, event):  # noqa: N802 - Qt override
        self._resize_to_content()
        super().resizeEvent(event)

    def render_image(self, page_index: int = 0, width: int = 800) -> QImage:
        """One page as an image (tests, thumbnails)."""
        scale = width / layout.PAGE_W
        img = QImage(width, int(layout.PAGE_H * scale), QImage.Format_RGB32)
        img.fill(QColor("white"))
        p = QPainter(img)
        paint_page(p, self._laid.pages[page_index], scale, seal_image=self._seal)
        p.end()
        return img

    def paintEvent(self, event):  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(120, 126, 136))
        if self._laid is None:
            p.setPen(QColor("white"))
            p.drawText(self.rect().adjusted(20, 20, -20, -20), Qt.AlignCenter | Qt.TextWordWrap, self._message)
            p.end()
            return
        scale = self.scale()
        exposed = event.rect()
        y = self.GAP
        for i, page in enumerate(self._laid.pages):
            rect = QRect(self.GAP, int(y), int(layout.PAGE_W * scale) + 1, int(layout.PAGE_H * scale) + 1)
            if rect.intersects(exposed):          # in a scroll area most pages are out of sight
                p.drawPixmap(rect.topLeft(), self._page_pixmap(i, page, scale, rect.size()))
            y += layout.PAGE_H * scale + self.GAP
        p.end()

    PIXMAPS = 6      # pages kept drawn (≈ 2 MB each at a common width)

    def _page_pixmap(self, index: int, page, scale: float, size) -> QPixmap:
        """The page drawn once at this scale and kept: a repaint (the page shown again, a
        scroll) copies it instead of drawing every character again (a long annual report:
        ~200 ms a repaint at county scale, issue 20)."""
        dpr = self.devicePixelRatioF()
        key = (index, round(scale, 5), dpr)            # emptied by set_laid / set_message
        pm = self._pixmaps.pop(key, None)
        if pm is None:
            pm = QPixmap(max(1, round(size.width() * dpr)), max(1, round(size.height() * dpr)))
            pm.setDevicePixelRatio(dpr)
            pm.fill(QColor("white"))
            painter = QPainter(pm)
            paint_page(painter, page, scale, seal_image=self._seal)
            painter.end()
        self._pixmaps[key] = pm                     # most recently used last
        while len(self._pixmaps) > self.PIXMAPS:
            self._pixmaps.pop(next(iter(self._pixmaps)))
        return pm


def _seal_qimage() -> QImage | None:
    path = documents_api.seal_path()
    return QImage(str(path)) if path else None


class DocumentDialog(QDialog):
    """Fields form, live preview, and the issue / export buttons for one document."""

    issued = Signal(object)       # the issued DocumentView
    preview_ready = Signal()      # a preview (or its error) is shown

    def __init__(self, ctx, case_id: int, kind: str, parent=None, setup=None):
        super().__init__(parent)
        setup = setup or documents_api.document_setup(int(case_id), kind)
        self.ctx = ctx
        self.case_id = setup.case_id
        self.kind = kind
        self.setup = setup
        self.document = None          # the issued DocumentView
        self._issuing = False
        spec = setup
        self.setWindowTitle(f"{spec.label} — {setup.case_number} {setup.applicant_name}")
        self.resize(1180, 820)
        self.specs = list(setup.specs)

        form_box = QWidget()
        form = QFormLayout(form_box)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.WrapAllRows)
        head = QLabel(f"<b>{spec.label}</b><br>受理编号 {setup.case_number}　申请人 {setup.applicant_name}")
        head.setWordWrap(True)
        form.addRow(head)
        self.editors: dict[str, QWidget] = {}
        for s in self.specs:
            label = s.label + ("<span style='color:#c0392b'>＊</span>" if s.required else "")
            if s.key == "date":
                w = QDateEdit(QDate.currentDate())
                w.setCalendarPopup(True)
                w.setDisplayFormat("yyyy年M月d日")
                w.dateChanged.connect(self._schedule)
            elif s.multiline:
                w = QPlainTextEdit(s.default)
                w.setMinimumHeight(64)
                w.setMaximumHeight(130)
                w.setTabChangesFocus(True)
                w.textChanged.connect(self._schedule)
            else:
                w = QLineEdit(s.default)
                w.textChanged.connect(self._schedule)
            if s.help:
                w.setToolTip(s.help)
                if isinstance(w, (QLineEdit, QPlainTextEdit)):
                    w.setPlaceholderText(s.help)
            w.setObjectName(f"field_{s.key}")
            form.addRow(QLabel(label), w)
            self.editors[s.key] = w
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setObjectName("documentStatus")
        form.addRow(self.status)

        self.preview = PagePreview()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.preview)

        split = QSplitter()
        left = QScrollArea()
        left.setWidgetResizable(True)
        left.setWidget(form_box)
        split.addWidget(left)
        split.addWidget(scroll)
        split.setStretchFactor(1, 2)
        split.setSizes([420, 760])

        self.btn_pdf = QPushButton("导出草稿 PDF…")
        self.btn_docx = QPushButton("导出 DOCX…")
        self.btn_issue = QPushButton("出具（编号存档）")
        self.btn_issue_stamp = QPushButton("出具并加盖电子印章")
        self.btn_print = QPushButton("打印待盖章 PDF…")
        self.btn_print.setEnabled(False)
        self.btn_close = QPushButton("关闭")
        self.btn_issue.setDefault(False)
        self.btn_issue_stamp.setEnabled(_seal_qimage() is not None and spec.sealed)
        if not self.btn_issue_stamp.isEnabled():
            self.btn_issue_stamp.setToolTip("尚未导入电子印章（设置 → 电子印章），或此文书不加盖印章")
        for b, fn in ((self.btn_pdf, self.export_pdf), (self.btn_docx, self.export_docx),
                      (self.btn_issue, lambda: self.issue(False)), (self.btn_issue_stamp, lambda: self.issue(True)),
                      (self.btn_print, self.print_for_stamping), (self.btn_close, self.reject)):
            b.clicked.connect(fn)
        buttons = QHBoxLayout()
        for b in (self.btn_pdf, self.btn_docx, self.btn_print):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.btn_issue, self.btn_issue_stamp, self.btn_close):
            buttons.addWidget(b)

        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)
        lay.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self.refresh_preview)
        self.refresh_preview()

    # ---------------------------------------------------------------- fields
    def values(self) -> dict:
        out = {}
        for key, w in self.editors.items():
            if isinstance(w, QDateEdit):
                out[key] = w.date().toPython().isoformat()
            elif isinstance(w, QPlainTextEdit):
                out[key] = w.toPlainText()
            else:
                out[key] = w.text()
        return out

    def set_value(self, key: str, value: str) -> None:
        w = self.editors[key]
        if isinstance(w, QPlainTextEdit):
            w.setPlainText(value)
        elif isinstance(w, QDateEdit):
            w.setDate(QDate.fromString(value, "yyyy-MM-dd"))
        else:
            w.setText(value)

    def _schedule(self, *_):
        self._timer.start()

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color:#a12a1a;" if error else "color:#2e5e2e;")

    # ---------------------------------------------------------------- preview
    def refresh_preview(self) -> None:
        values = self.values()
        case_id, kind = self.case_id, self.kind
        if self.preview.page_count == 0:
            self.preview.set_message("正在排版预览…")

        missing = [s for s in self.specs if s.required and not str(values.get(s.key, "")).strip()]
        shown = dict(values)
        for s in missing:     # on screen only: a visible marker where the clerk must still write
            shown[s.key] = f"【待填写：{s.label}】"

        def work():
            return documents_api.preview(case_id, kind, shown)

        def done(laid):
            if self.document is not None:      # issued meanwhile: the issued layout stays
                return
            self.preview.set_laid(laid)
            if missing:
                self._set_status("请填写：" + "、".join(s.label for s in missing) + "（预览中以【待填写】标出）",
                                 error=True)
            else:
                self._set_status(f"预览：共{len(laid.pages)}页（草稿，出具时取得文号）")
            self.preview_ready.emit()

        def failed(exc):
            self.preview.set_message(str(exc))
            self._set_status(str(exc), error=True)
            self.preview_ready.emit()

        # typing asks again and again: only the latest preview of this dialog is shown
        self.ctx.ops.read(("document.preview", id(self)), work, success=done, failure=failed, parent=self)

    # ---------------------------------------------------------------- actions
    def _ask_save(self, title: str, suggested: str, pattern: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, suggested, pattern)
        return path

    def _suggest(self, suffix: str) -> str:
        name = f"{self.setup.label}-{self.setup.case_number}{suffix}"
        return str(Path.home() / name)

    def _save(self, path: str, data: bytes) -> None:
        documents_api.save_file(path, data)
        self._set_status(f"已保存：{path}")

    def export_pdf(self, path: str | None = None) -> str | None:
        path = path or self._ask_save("导出草稿 PDF", self._suggest("-草稿.pdf"), "PDF (*.pdf)")
        if not path:
            return None
        try:
            self._save(path, documents_api.draft_pdf(self.case_id, self.kind, self.values()))
        except Exception as exc:  # noqa: BLE001 - shown to the clerk
            self.ctx.show_error(exc, self)
            return None
        return path

    def export_docx(self, path: str | None = None) -> str | None:
        path = path or self._ask_save("导出 DOCX", self._suggest(".docx"), "Word 文档 (*.docx)")
        if not path:
            return None
        try:
            if self.document is not None:
                data = documents_api.issued_docx(self.document.id)
            else:
                data = documents_api.draft_docx(self.case_id, self.kind, self.values())
            self._save(path, data)
        except Exception as exc:  # noqa: BLE001
            self.ctx.show_error(exc, self)
            return None
        return path

    def issue(self, stamp: bool = False, confirm: bool = True):
        """Issue the document on the writer thread (numbered, stored, frozen; the core checks
        the role). Returns the issued ``DocumentView`` once it is done — at once under the
        tests' synchronous runner, else None and ``issued`` is emitted when it is."""
        from gkdesk.ui.dialogs import messages

        if self.ctx.actor is None:
            messages.warning(self, "出具文书", "请先登录")
            return None
        if self._issuing or self.document is not None:
            return self.document
        label = self.setup.label
        if confirm and not messages.confirm(
                self, "出具文书", f"出具{label}后将取得文号并存档，之后不能修改（只能作废或出具新版本）。确定出具吗？",
                yes="出具"):
            return None
        case_id, kind, values, actor = self.case_id, self.kind, self.values(), self.ctx.actor
        self._issuing = True
        for b in (self.btn_issue, self.btn_issue_stamp):
            b.setEnabled(False)
        self._set_status("正在出具…")

        def work():
            doc = documents_api.issue(case_id, kind, values, actor, stamp=stamp)
            try:
                laid = documents_api.issued_layout(doc.id)
            except Exception:  # pragma: no cover - preview only
                log.exception("preview of issued document")
                laid = None
            return doc, laid

        def failed(exc):
            self._issuing = False
            self.btn_issue.setEnabled(True)
            self.btn_issue_stamp.setEnabled(_seal_qimage() is not None and self.setup.sealed)
            self._set_status(str(exc), error=True)
            self.ctx.show_error(exc, self)

        self.ctx.ops.write(work, success=lambda got: self._issued(got, stamp), failure=failed,
                           initiator=self, parent=self, title="正在出具文书")
        return self.document

    def _issued(self, got, stamp: bool) -> None:
        doc, laid = got
        self._issuing = False
        self.document = doc
        self._set_status(f"已出具 {doc.number}" + ("（已加盖电子印章）" if stamp else "")
                         + "。可导出 DOCX 或打印待盖章 PDF。")
        for w in self.editors.values():
            w.setEnabled(False)
        self.btn_issue.setEnabled(False)
        self.btn_issue_stamp.setEnabled(False)
        self.btn_pdf.setEnabled(False)
        self.btn_print.setEnabled(True)
        self.ctx.ops.drop(("document.preview", id(self)))
        self.issued.emit(doc)      # the case window follows from the change feed
        if laid is not None:
            self.preview.set_laid(laid, _seal_qimage() if stamp else None)

    def print_for_stamping(self, path: str | None = None) -> str | None:
        if self.document is None:
            return None
        path = path or self._ask_save("打印待盖章 PDF", self._suggest("-待盖章.pdf"), "PDF (*.pdf)")
        if not path:
            return None
        try:
            self._save(path, documents_api.for_stamping_pdf([self.document.id]))
        except Exception as exc:  # noqa: BLE001
            self.ctx.show_error(exc, self)
            return None
        return path


def open_document_dialog(ctx, case_id: int, kind: str, parent=None, *, modal: bool = True):
    """Open the dialog for ``kind`` of case ``case_id``. A document the case is not ready
    for is refused with the reason (a message box) and None is returned. Modal: returns
    the issued DocumentView or None; otherwise the (shown) dialog."""
    try:
        setup = documents_api.document_setup(int(case_id), kind)
        if setup.refusal:
            raise WorkflowError(setup.refusal, field=setup.label)
        dlg = DocumentDialog(ctx, setup.case_id, kind, parent, setup=setup)
    except GkError as exc:
        ctx.show_error(exc, parent)
        return None
    if not modal:
        dlg.show()
        return dlg
    dlg.exec()
    return dlg.document
