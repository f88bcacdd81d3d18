"""The page preview draws each page once per scale and copies it on later repaints; what it
shows is the laid-out letter, the same after a repaint, and a new layout replaces it."""
from gkdesk.api import documents as documents_api
from gkdesk.ui.dialogs.document_dialog import PagePreview


def _dark_pixels(img) -> int:
    return sum(1 for y in range(0, img.height(), 4) for x in range(0, img.width(), 4)
               if img.pixelColor(x, y).lightness() < 100)


def _laid(ctx):
    name = documents_api.list_templates()[0].name
    return documents_api.preview_template(name, documents_api.template(name).body)


def test_the_preview_shows_the_pages_and_repaints_from_what_it_drew(ctx, qtbot):
    w = PagePreview()
    qtbot.addWidget(w)
    w.resize(500, 900)
    w.set_laid(_laid(ctx))
    w.show()
    first = w.grab().toImage()
    assert _dark_pixels(first) > 50                       # the letter's text is on the page
    drawn = dict(w._pixmaps)
    assert drawn and len(drawn) <= w.PIXMAPS
    again = w.grab().toImage()
    assert again == first and all(w._pixmaps[k] is drawn[k] for k in drawn)   # copied, not redrawn
    w.set_message("（无预览）")
    assert w._pixmaps == {} and _dark_pixels(w.grab().toImage()) < _dark_pixels(first)
