"""The case window's 「作废…」 button (reason asked, empty reason refused, number kept,
audit event, only for issued documents and leaders/reviewers/admins) and the 设置 →
电子印章 tab (preview, import through the file dialog, bad images refused in Chinese,
administrators only) — real SQLite, real documents service, real seal import."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from gkdesk.actors import SYSTEM, Actor
from gkdesk.db.models import CaseEvent, Document
from tests.documents.helpers import CLERK, ready_case

SHOTS = Path("/work/notes/shots")


def _shot(widget, name: str) -> None:
    if SHOTS.is_dir():
        widget.grab().save(str(SHOTS / name))


def _issued_window(ctx, qtbot):
    from gkdesk.documents import service
    from gkdesk.ui.case_window import open_case_window

    case = ready_case("reply.disclose")
    receipt = service.issue(case, "receipt", {}, SYSTEM)
    reply = service.issue(case, "reply", CLERK, SYSTEM)
    cw = open_case_window(ctx, case.id)
    qtbot.addWidget(cw)
    cw.tabs.setCurrentIndex(2)
    return cw, receipt, reply


def _select(cw, doc_id: int) -> None:
    t = cw.documents
    for r in range(t.rowCount()):
        if t.item(r, 0).data(Qt.UserRole) == doc_id:
            t.selectRow(r)
            return
    raise AssertionError(f"document {doc_id} not in the table")


def _row_of(cw, doc_id: int) -> list[str]:
    t = cw.documents
    for r in range(t.rowCount()):
        if t.item(r, 0).data(Qt.UserRole) == doc_id:
            return [t.item(r, c).text() for c in range(t.columnCount())]
    raise AssertionError(f"document {doc_id} not in the table")


def _cancel_events():
    return list(CaseEvent.select().where(CaseEvent.action == "document.cancel"))


def test_cancel_through_the_button_keeps_the_number(ctx, qtbot, messages_log, monkeypatch):
    cw, receipt, reply = _issued_window(ctx, qtbot)
    assert not cw.cancel_doc_button.isEnabled()          # nothing selected yet (two rows)
    _select(cw, reply.id)
    assert cw.cancel_doc_button.isEnabled()
    asked = []
    monkeypatch.setattr(cw, "ask_cancel_reason",
                        lambda number: asked.append(number) or ("文号引用的条款有误，重新出具", True))
    timeline_before = cw.timeline.rowCount()
    qtbot.mouseClick(cw.cancel_doc_button, Qt.LeftButton)

    assert asked == [reply.number] and messages_log == []
    doc = Document.get_by_id(reply.id)
    assert doc.status == "cancelled" and doc.number == reply.number
    assert "文号引用的条款有误" in doc.note
    (ev,) = _cancel_events()
    assert ev.case_id == reply.case_id and reply.number in ev.summary and ev.user == ctx.actor.username
    # the tab and the timeline are refreshed; the cancelled document keeps its number
    assert _row_of(cw, reply.id)[:3] == [reply.number, "政府信息公开申请答复书", "已作废"]
    assert _row_of(cw, receipt.id)[2] == "已出具"
    assert cw.timeline.rowCount() == timeline_before + 1
    assert any(reply.number in cw.timeline.item(r, 2).text() for r in range(cw.timeline.rowCount()))
    # a cancelled document cannot be cancelled again: the button is off for it
    _select(cw, reply.id)
    assert not cw.cancel_doc_button.isEnabled()
    assert "已作废" in cw.cancel_doc_button.toolTip()
    _select(cw, receipt.id)
    assert cw.cancel_doc_button.isEnabled()
    _select(cw, reply.id)
    _shot(cw, "case-window-cancelled-document.png")


def test_empty_reason_is_refused(ctx, qtbot, messages_log, monkeypatch):
    cw, _receipt, reply = _issued_window(ctx, qtbot)
    _select(cw, reply.id)
    monkeypatch.setattr(cw, "ask_cancel_reason", lambda number: ("   ", True))
    qtbot.mouseClick(cw.cancel_doc_button, Qt.LeftButton)
    assert Document.get_by_id(reply.id).status == "issued"
    assert _cancel_events() == []
    assert messages_log and messages_log[-1][0] == "warning" and "作废原因" in messages_log[-1][2]
    assert _row_of(cw, reply.id)[2] == "已出具"
    # pressing 取消 in the prompt does nothing and says nothing
    messages_log.clear()
    monkeypatch.setattr(cw, "ask_cancel_reason", lambda number: ("", False))
    qtbot.mouseClick(cw.cancel_doc_button, Qt.LeftButton)
    assert messages_log == [] and Document.get_by_id(reply.id).status == "issued"


def test_reason_prompt_is_a_real_input_dialog(ctx, qtbot, messages_log, monkeypatch):
    """The default prompt goes through QInputDialog.getText (stubbed here)."""
    from PySide6.QtWidgets import QInputDialog

    cw, _receipt, reply = _issued_window(ctx, qtbot)
    _select(cw, reply.id)
    seen = []
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda parent, title, label, *a, **k: seen.append((title, label)) or ("重复出具", True))
    qtbot.mouseClick(cw.cancel_doc_button, Qt.LeftButton)
    assert seen and seen[0][0] == "作废文书" and reply.number in seen[0][1]
    assert Document.get_by_id(reply.id).status == "cancelled"


def test_cancel_needs_leader_reviewer_or_admin(ctx, qtbot, messages_log, monkeypatch):
    cw, _receipt, reply = _issued_window(ctx, qtbot)
    ctx.set_actor(Actor("clerk1", "经办人", frozenset({"clerk"})))
    _select(cw, reply.id)
    assert not cw.cancel_doc_button.isEnabled()
    assert "权限" in cw.cancel_doc_button.toolTip()
    # even if reached another way, the core refuses and the refusal is shown in Chinese
    monkeypatch.setattr(cw, "ask_cancel_reason", lambda number: ("写错了", True))
    assert cw.cancel_selected_document() is None
    assert Document.get_by_id(reply.id).status == "issued"
    assert messages_log and "作废文书" in messages_log[-1][2] and "权限" in messages_log[-1][2]
    ctx.set_actor(Actor("leader1", "领导", frozenset({"leader"})))
    _select(cw, reply.id)
    assert cw.cancel_doc_button.isEnabled()


# ---------------------------------------------------------------- 电子印章

@pytest.fixture
def seal_png(tmp_path):
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((4, 4, 396, 396), outline=(220, 20, 20, 255), width=14)
    d.regular_polygon((200, 200, 60), 5, fill=(220, 20, 20, 255))
    path = tmp_path / "seal.png"
    img.save(path)
    return path


def _seal_tab(main_window):
    page = main_window.show_page("settings")
    tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert "电子印章" in tabs
    page.tabs.setCurrentIndex(tabs.index("电子印章"))
    return page, page.seal


def test_seal_import_through_the_tab(main_window, ctx, qtbot, messages_log, monkeypatch, seal_png):
    from gkdesk.documents import stamp

    page, seal = _seal_tab(main_window)
    assert stamp.seal_path() is None
    assert seal.preview.text() == "尚未导入印章" and not seal.has_seal()
    assert seal.diameter.value() == stamp.DEFAULT_DIAMETER_MM
    assert not page.save_button.isVisible()              # the tab saves itself
    _shot(main_window, "settings-seal-empty.png")

    seal.diameter.setValue(40)
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: asked.append(a) or (str(seal_png), "PNG 图片 (*.png)"))
    before = len(ctx.ops.calls)
    qtbot.mouseClick(seal.import_button, Qt.LeftButton)
    assert asked and messages_log == []
    assert [k for k, _ in ctx.ops.calls[before:]] == ["write"]      # stored on the writer thread
    path = stamp.seal_path()
    assert path is not None and path.is_file()
    assert stamp.seal_diameter_mm() == 40.0
    assert seal.has_seal() and seal.preview.text() == ""
    assert not seal.preview.pixmap().isNull() and seal.preview.pixmap().width() <= seal.PREVIEW
    assert "40 毫米" in seal.state_label.text()
    assert CaseEvent.select().where(CaseEvent.action == "seal.import").count() == 1
    _shot(main_window, "settings-seal-imported.png")

    # a fresh page shows the stored seal and diameter
    from gkdesk.ui.pages.settings import SealEditor

    again = SealEditor(ctx)
    qtbot.addWidget(again)
    assert again.has_seal() and again.diameter.value() == 40.0


@pytest.mark.parametrize("size, mode, expected", [
    ((400, 400), "RGB", "没有透明背景"),
    ((120, 120), "RGBA", "图片太小"),
    ((400, 250), "RGBA", "接近正方形"),
])
def test_bad_seal_image_refused(main_window, qtbot, messages_log, monkeypatch, tmp_path, size, mode, expected):
    from PIL import Image

    from gkdesk.documents import stamp

    bad = tmp_path / "bad.png"
    Image.new(mode, size, (220, 20, 20) if mode == "RGB" else (0, 0, 0, 0)).save(bad)
    _page, seal = _seal_tab(main_window)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    qtbot.mouseClick(seal.import_button, Qt.LeftButton)
    assert stamp.seal_path() is None
    assert seal.preview.text() == "尚未导入印章"
    assert messages_log and messages_log[-1][0] == "warning"
    assert expected in messages_log[-1][2] and "电子印章图片" in messages_log[-1][2]


def test_seal_import_is_admin_only(main_window, ctx, qtbot, messages_log, seal_png):
    from gkdesk.documents import stamp

    _page, seal = _seal_tab(main_window)
    ctx.set_actor(Actor("clerk1", "经办人", frozenset({"clerk"})))
    assert not seal.import_button.isEnabled() and not seal.diameter.isEnabled()
    assert seal.admin_note.isVisibleTo(seal)
    assert seal.import_seal(str(seal_png)) is None      # the core refuses too
    assert stamp.seal_path() is None
    assert messages_log and "权限" in messages_log[-1][2]


def test_save_and_open_write_the_stored_pdf(ctx, qtbot, messages_log, monkeypatch, tmp_path):
    """另存 writes the issued PDF byte for byte where the clerk chose (the dialog offers the
    document's own name); 打开 hands the system viewer a copy under the temporary folder."""
    import subprocess

    from PySide6.QtGui import QDesktopServices

    from gkdesk.documents import service

    cw, _receipt, reply = _issued_window(ctx, qtbot)
    _select(cw, reply.id)
    offered = []
    target = tmp_path / "另存" / "答复.pdf"
    target.parent.mkdir()

    def fake_save(_parent, _title, name, _filter):
        offered.append(name)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    assert cw.save_selected_document() == str(target)
    stored = service.stored_pdf(Document.get_by_id(reply.id))
    assert target.read_bytes() == stored
    assert offered and offered[0].endswith(".pdf") and "/" not in offered[0]
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "答复" in text.replace(" ", "")

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    path = cw.open_selected_document()
    assert path is not None and path.parent.name == "gkdesk-open"
    assert path.read_bytes() == stored and opened == [str(path)]
    assert messages_log == []
