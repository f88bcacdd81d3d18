"""帮助 → 使用指南 (F1): the user guide (``docs/``, Markdown with screenshots) in a
non-modal window, opened on the page about what the clerk is looking at.

``QTextBrowser.setSource`` on a ``.md`` file renders it as Markdown; relative image paths
and links to the other guide pages resolve against the page's own URL, so the guide reads
the same here as in a Markdown viewer. Links to web sites open in the system browser.
"""
from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget,
)

from gkdesk import resources

# One help window per top-level window that asked for it (kept while it lives).
_PROPERTY = "_gkdesk_help_dialog"


class HelpDialog(QDialog):
    """The guide viewer: back/forward, 目录 (the table of contents), the page itself."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle("使用指南 — gkdesk")
        self.setModal(False)
        self.setWindowModality(Qt.NonModal)
        # A window of its own (minimise/maximise), not a box glued to its parent.
        self.setWindowFlags(Qt.Window | Qt.WindowTitleHint | Qt.WindowSystemMenuHint
                            | Qt.WindowMinMaxButtonsHint | Qt.WindowCloseButtonHint)

        self.browser = QTextBrowser()
        self.browser.setObjectName("helpBrowser")
        # Links are followed in _anchor_clicked: guide pages here, the web in the browser.
        self.browser.setOpenLinks(False)
        self.browser.setSearchPaths([str(resources.docs_dir())])
        self.browser.anchorClicked.connect(self._anchor_clicked)

        self.back_button = QPushButton("◀ 后退")
        self.back_button.setToolTip("回到上一页（Alt+←）")
        self.back_button.setShortcut(QKeySequence.Back)
        self.back_button.clicked.connect(self.browser.backward)
        self.forward_button = QPushButton("前进 ▶")
        self.forward_button.setToolTip("前进到下一页（Alt+→）")
        self.forward_button.setShortcut(QKeySequence.Forward)
        self.forward_button.clicked.connect(self.browser.forward)
        self.home_button = QPushButton("目录")
        self.home_button.setToolTip("使用指南的目录")
        self.home_button.clicked.connect(lambda: self.show_topic(None))
        self.close_button = QPushButton("关闭")
        self.close_button.setToolTip("关闭使用指南（Esc）")
        self.close_button.clicked.connect(self.close)
        self.page_label = QLabel()
        self.page_label.setObjectName("helpPageTitle")
        self.page_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        for b in (self.back_button, self.forward_button, self.home_button, self.close_button):
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.TabFocus)
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.browser.sourceChanged.connect(self._source_changed)

        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addWidget(self.forward_button)
        bar.addWidget(self.home_button)
        bar.addSpacing(12)
        bar.addWidget(self.page_label, 1)
        bar.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.addLayout(bar)
        lay.addWidget(self.browser, 1)
        self.resize(900, 760)

    # ------------------------------------------------------------------ navigation
    def show_topic(self, topic: str | None) -> Path:
        """Show the guide page of ``topic`` (a main-window page key or a dialog name; the
        table of contents when it has no page). Returns the file shown."""
        path = resources.guide_page(topic)
        self.show_file(path)
        return path

    def show_file(self, path: Path) -> None:
        url = QUrl.fromLocalFile(str(Path(path).resolve()))
        if self.browser.source() != url:
            self.browser.setSource(url)
        self.browser.setFocus()

    def current_file(self) -> Path | None:
        url = self.browser.source()
        return Path(url.toLocalFile()) if url.isLocalFile() else None

    def _fit_images(self) -> None:
        """Scale the screenshots down to the window's width (never up): QTextBrowser shows
        images at their natural size, which would need a horizontal scroll bar."""
        doc = self.browser.document()
        doc.setUndoRedoEnabled(False)
        room = max(200, self.browser.viewport().width() - 2 * int(doc.documentMargin()) - 24)
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                it += 1
                fmt = frag.charFormat()
                if not fmt.isImageFormat():
                    continue
                img_fmt = fmt.toImageFormat()
                image = doc.resource(QTextDocument.ImageResource, QUrl(img_fmt.name()))
                if image is None:
                    image = self.browser.loadResource(QTextDocument.ImageResource,
                                                      self.browser.source().resolved(QUrl(img_fmt.name())))
                size = getattr(image, "size", lambda: None)()
                if size is None or size.isEmpty():
                    continue
                width = min(size.width(), room)
                if abs(img_fmt.width() - width) < 1:
                    continue
                img_fmt.setWidth(width)
                img_fmt.setHeight(size.height() * width / size.width())
                cur = QTextCursor(doc)
                cur.setPosition(frag.position())
                cur.setPosition(frag.position() + frag.length(), QTextCursor.KeepAnchor)
                cur.setCharFormat(img_fmt)
            block = block.next()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_images()

    def _source_changed(self, url: QUrl) -> None:
        self._fit_images()
        title = self.browser.documentTitle()
        if not title:
            # Markdown has no <title>: the first heading names the page.
            block = self.browser.document().begin()
            while block.isValid() and not block.text().strip():
                block = block.next()
            title = block.text().strip() if block.isValid() else ""
        self.page_label.setText(title)
        self.setWindowTitle(f"使用指南 — {title}" if title else "使用指南 — gkdesk")

    def _anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        # Relative links ("02-correction.md", "../README.md", "#section") resolve against
        # the page showing; setSource keeps the back/forward history.
        target = self.browser.source().resolved(url)
        if target.isLocalFile() and not Path(target.toLocalFile()).is_file():
            return
        self.browser.setSource(target)


def open_help(topic: str | None, parent: QWidget | None = None) -> HelpDialog:
    """Open (or bring to front) the help window of ``parent`` on ``topic``'s page;
    non-blocking. Returns the window."""
    owner = parent.window() if parent is not None else None
    dlg = getattr(owner, _PROPERTY, None) if owner is not None else None
    if dlg is None or not shiboken6.isValid(dlg):
        dlg = HelpDialog(owner)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        if owner is not None:
            setattr(owner, _PROPERTY, dlg)
            dlg.destroyed.connect(lambda *_: setattr(owner, _PROPERTY, None))
    dlg.show_topic(topic)
    dlg.show()
    dlg.raise_()
    dlg.activateWindow()
    return dlg


def add_help_shortcut(widget: QWidget, topic: str) -> None:
    """F1 in a dialog of its own opens the guide on ``topic``."""
    from PySide6.QtGui import QAction

    act = QAction("使用指南", widget)
    act.setShortcut(QKeySequence.HelpContents)
    act.setShortcutContext(Qt.WindowShortcut)
    act.triggered.connect(lambda: open_help(topic, widget))
    widget.addAction(act)
