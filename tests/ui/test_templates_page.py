"""文书模板 page: lists every template, previews in the background (sample case or a real
one), refuses a broken template naming the field, saves versions, restores the default."""
from __future__ import annotations

from PySide6.QtCore import Qt

from gkdesk.documents import templates

NAME_ROLE = Qt.UserRole + 1


def make_page(ctx, qtbot):
    from gkdesk.ui.pages.templates import TemplatesPage

    page = TemplatesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    return page


def _select(page, qtbot, name):
    for i in range(page.list.count()):
        if page.list.item(i).data(NAME_ROLE) == name:
            with qtbot.waitSignal(page.preview_ready, timeout=20000):
                page.list.setCurrentRow(i)
            return
    raise AssertionError(name)


def _ink(img) -> int:
    """Dark pixels on a rendered page (text drawn)."""
    n = 0
    for y in range(0, img.height(), 3):
        for x in range(0, img.width(), 3):
            c = img.pixelColor(x, y)
            if c.red() < 100 and c.green() < 100 and c.blue() < 100:
                n += 1
    return n


def test_lists_every_template_and_previews_the_sample(ctx, qtbot):
    page = make_page(ctx, qtbot)
    assert page.list.count() == len(templates.TEMPLATE_NAMES)
    _select(page, qtbot, "reply.partial")
    assert page.preview.page_count >= 1
    assert _ink(page.preview.render_image(0, 600)) > 200
    assert "部分公开" in page.title.text()
    # the field catalogue holds the clerk fields of this template
    top = page.fields.topLevelItem(0)
    keys = {top.child(i).text(0) for i in range(top.childCount())}
    assert {"fields.provided", "fields.withheld", "fields.reason"} <= keys


def test_broken_template_refused_naming_field(ctx, qtbot, messages_log):
    page = make_page(ctx, qtbot)
    _select(page, qtbot, "receipt")
    page.editor.setPlainText(page.editor.toPlainText() + "{{ case.shoe_size }}\n")
    assert page.check() is False
    assert "case.shoe_size" in page.message.text()
    assert page.save(note="坏的") is False
    assert templates.current("receipt").version == 0


def test_save_version_and_restore_default(ctx, qtbot, messages_log):
    page = make_page(ctx, qtbot)
    _select(page, qtbot, "receipt")
    page.editor.setPlainText(page.editor.toPlainText().replace("如有疑问", "如有任何疑问"))
    assert page.check()
    assert page.save(note="措辞调整")
    assert templates.current("receipt").version == 1
    assert "如有任何疑问" in templates.current("receipt").body
    item = page.list.currentItem()
    assert item.data(NAME_ROLE) == "receipt" and "第1版" in item.text()
    assert page.restore_default(confirm=False)
    assert templates.current("receipt").version == 2
    assert page.editor.toPlainText() == templates.default_body("receipt")


def test_double_click_inserts_a_field(ctx, qtbot):
    page = make_page(ctx, qtbot)
    _select(page, qtbot, "receipt")
    case_top = next(page.fields.topLevelItem(i) for i in range(page.fields.topLevelItemCount())
                    if page.fields.topLevelItem(i).text(0) == "case")
    item = next(case_top.child(i) for i in range(case_top.childCount()) if case_top.child(i).text(0) == "case.email")
    page.editor.moveCursor(page.editor.textCursor().MoveOperation.End)
    page._insert_field(item, 0)
    assert page.editor.toPlainText().endswith("{{ case.email }}")


def test_preview_against_a_real_case(ctx, qtbot):
    from tests.documents.helpers import ready_case

    case = ready_case("reply.disclose", name="欧阳赟")
    page = make_page(ctx, qtbot)
    page._fill_cases()
    idx = page.case_box.findData(case.id)
    assert idx > 0
    page.case_box.setCurrentIndex(idx)
    _select(page, qtbot, "reply.disclose")
    with qtbot.waitSignal(page.preview_ready, timeout=20000):
        page.refresh_preview()
    assert page.preview.page_count >= 1
    runs = "".join(r.text for p in page.preview._laid.pages for r in p.runs)
    assert "欧阳赟" in runs


def test_save_and_restore_run_on_the_writer_and_refresh_another_page(ctx, qtbot, messages_log):
    from gkdesk.api import documents as documents_api

    page = make_page(ctx, qtbot)
    other = make_page(ctx, qtbot)
    _select(page, qtbot, "receipt")
    _select(other, qtbot, "receipt")
    before = len(ctx.ops.calls)
    page.editor.setPlainText(page.editor.toPlainText().replace("如有疑问", "如有任何疑问"))
    assert page.save(note="措辞")
    writes = [fn for kind, fn in ctx.ops.calls[before:] if kind == "write"]
    assert len(writes) == 1
    assert documents_api.template("receipt").version == 1
    # the other open page follows from the change feed (its editor had no edits of its own)
    assert "第1版" in other.list.currentItem().text()
    assert "如有任何疑问" in other.editor.toPlainText()
    before = len(ctx.ops.calls)
    assert page.restore_default(confirm=False)
    assert [k for k, _ in ctx.ops.calls[before:]].count("write") == 1
    assert "第2版" in other.list.currentItem().text()


def test_a_clerk_cannot_save_a_template_even_through_the_api(db_path):
    import pytest

    from gkdesk.actors import Actor
    from gkdesk.api import documents as documents_api
    from gkdesk.errors import GkError

    clerk = Actor("clerk1", roles=frozenset({"clerk"}))
    with pytest.raises(GkError):
        documents_api.save_template("receipt", documents_api.template("receipt").body, clerk)
    assert documents_api.template("receipt").version == 0
