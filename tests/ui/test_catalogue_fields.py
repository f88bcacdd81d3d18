"""领域设置 from the 标准目录 page: the 26 shown fixed, a field of the office's own added,
renamed and retired (the button turns into 恢复使用), the page's item form no longer
offering it — through ctx.ops; and the 编制说明 template on the 文书模板 page."""
import pytest
from PySide6.QtCore import Qt

from gkdesk.actors import SYSTEM
from gkdesk.api import catalogue as api
from gkdesk.forms import units


@pytest.fixture
def page(ctx, qtbot, messages_log):
    from gkdesk.ui.pages.catalogue import CataloguePage

    units.add_unit("民政局", SYSTEM)
    p = CataloguePage(ctx)
    qtbot.addWidget(p)
    p.show()
    return p


def _row_of(dlg, label):
    return next(r for r in range(dlg.table.rowCount()) if dlg.table.item(r, 0).text() == label)


def test_fields_dialog_add_rename_retire(page, ctx, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    qtbot.mouseClick(page.b_fields, Qt.LeftButton)
    dlg = page.fields_dialog
    assert dlg.isVisible() and dlg.table.rowCount() == 26
    assert dlg.table.item(0, 0).text() == "城乡规划" and dlg.table.item(0, 1).text() == "国家规定"
    dlg.table.selectRow(0)
    assert not dlg.b_rename.isEnabled() and not dlg.b_retire.isEnabled()   # the 26 are fixed

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("河长制", True)))
    qtbot.mouseClick(dlg.b_add, Qt.LeftButton)
    assert dlg.table.rowCount() == 27
    r = _row_of(dlg, "河长制")
    assert [dlg.table.item(r, c).text() for c in range(4)] == ["河长制", "本办新增", "使用中", "0"]
    assert dlg.current() is not None and dlg.current().label == "河长制"   # the new one is selected
    assert "河长制" in dict(page.overview_.fields).values()                  # the page followed the change feed

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("河湖长制", True)))
    qtbot.mouseClick(dlg.b_rename, Qt.LeftButton)
    r = _row_of(dlg, "河湖长制")
    assert dlg.current().label == "河湖长制"

    assert dlg.b_retire.text() == "停用"
    qtbot.mouseClick(dlg.b_retire, Qt.LeftButton)
    assert dlg.table.item(r, 2).text() == "已停用" and dlg.b_retire.text() == "恢复使用"
    assert [(f.label, f.retired) for f in api.office_fields()] == [("河湖长制", True)]
    assert "河湖长制" not in dict(page.overview_.fields).values()             # no new items under it

    # a name already taken is refused with the core's message, nothing changed
    shown = []
    monkeypatch.setattr(ctx, "show_error", lambda exc, parent=None, title="": shown.append(str(exc)))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("社会救助", True)))
    qtbot.mouseClick(dlg.b_rename, Qt.LeftButton)
    assert shown and "已有“社会救助”" in shown[0]
    assert [f.label for f in api.office_fields()] == ["河湖长制"]

    qtbot.mouseClick(dlg.b_retire, Qt.LeftButton)
    assert dlg.table.item(r, 2).text() == "使用中"


def test_explanation_template_on_the_templates_page(ctx, qtbot, messages_log):
    from gkdesk.ui.pages.templates import NAME_ROLE, TemplatesPage

    p = TemplatesPage(ctx)
    qtbot.addWidget(p)
    names = [p.list.item(i).data(NAME_ROLE) for i in range(p.list.count())]
    assert "catalogue-explanation" in names and "annual_report" in names
    p.list.setCurrentRow(names.index("catalogue-explanation"))
    assert p.title.text() == "政务公开事项标准目录编制说明"
    assert "编制说明" in p.editor.toPlainText()
    p.editor.setPlainText(p.editor.toPlainText().replace("逐项说明如下", "逐项报告如下"))
    assert p.save(note="改一句")
    from gkdesk.documents import templates

    assert "逐项报告如下" in templates.current("catalogue-explanation").body
