"""The 标准目录 page on the seam: guidance imported, a unit compiled, an item deleted with
its reason (and refused without), the 编制说明 written, a unit's return previewed and saved,
refreshed when another screen changes the catalogue — all through ctx.ops (synchronous here)."""
import pytest

from gkdesk.actors import SYSTEM
from gkdesk.catalogue import export
from gkdesk.catalogue import items as svc
from gkdesk.forms import units
from tests.catalogue.guidance_fixture import write


@pytest.fixture
def errors(monkeypatch):
    from gkdesk.ui.dialogs import messages

    got = []
    monkeypatch.setattr(messages, "show_exception", lambda parent, exc, title="": got.append(str(exc)))
    return got


@pytest.fixture
def page(ctx, qtbot, messages_log, errors, tmp_path):
    from gkdesk.ui.pages.catalogue import CataloguePage

    units.add_unit("民政局", SYSTEM)
    p = CataloguePage(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    return p


def _row(page, level2):
    return next(i for i, r in enumerate(page.model.rows) if r.facts["level2"] == level2)


def test_empty_catalogue_says_what_to_do(page):
    assert "请先“导入上级指引”" in page.heading.text()
    assert not page.b_export_county.isEnabled() and page.b_import_guidance.isEnabled()


def test_guidance_unit_delete_explain(page, ctx, tmp_path, messages_log, errors):
    guide = tmp_path / "指引.xlsx"
    write(guide)
    page.import_guidance(str(guide), "2020年目录")
    assert messages_log[-1][2].startswith("已导入上级指引8项到“2020年目录”")
    assert page.version_box.currentText() == "2020年目录"
    assert page.units.item(0).text() == "上级指引（8项）" and page.model.rowCount() == 8

    uid = units.get_unit("民政局").id
    page.start_unit(uid)
    assert page.units.currentItem().text() == "民政局（8项）"
    assert page.model.rowCount() == 8 and page.b_explain.isEnabled()

    row = _row(page, "审批结果")
    page.table.selectRow(row)
    item = page.current_item()
    page.delete_item(item, "")                                   # no reason: refused, named
    assert "“社会救助·最低生活保障·审批结果”" in errors[-1] and "删除原因" in errors[-1]
    page.delete_item(item, "在村务公开栏公示")
    assert "删1" in page.units.currentItem().text()
    page.table.selectRow(_row(page, "审批结果"))
    assert page.current_item().action_label == "删除"
    assert "在村务公开栏公示" in page.detail.toPlainText()
    assert not page.b_delete.isEnabled() and page.b_restore.isEnabled()

    # the field filter
    page.field_box.setCurrentIndex(page.field_box.findText("养老服务"))
    assert page.model.rowCount() == 2

    out = tmp_path / "编制说明.pdf"
    page.explain(str(out))
    assert out.exists() and out.read_bytes().startswith(b"%PDF")

    # a unit's return: previewed, then saved on accept
    sent = export.export_unit(page.version_id, uid, tmp_path / "民政局.xlsx")
    import openpyxl

    wb = openpyxl.load_workbook(sent)
    ws = wb["养老服务"]
    ws["F5"] = "备案后10个工作日内"
    ws["Q5"] = "本县承诺更短时限"          # 变动原因
    wb.save(sent)
    seen = []
    page.import_return(str(sent), confirm=lambda p: seen.append(p) or True)
    assert seen[0].ok and seen[0].changes[0].startswith("修改“养老服务·养老机构·备案信息”：公开时限")
    assert messages_log[-1][2].startswith("已保存“民政局”交回的目录（1处变化）")
    assert "改1" in page.units.currentItem().text()


def test_refreshes_on_another_screens_change(page, ctx, tmp_path):
    guide = tmp_path / "指引.xlsx"
    write(guide)
    from gkdesk.catalogue import workbook

    # written elsewhere (another screen or the CLI): the feed tells the page
    book = workbook.read_workbook(guide)
    svc.add_guidance("2020年目录", [r.data for r in book.rows], SYSTEM)
    assert page.version_box.currentText() == "2020年目录"
    assert page.model.rowCount() == 8


def test_version_compare_dialog(page, ctx, tmp_path, monkeypatch):
    from gkdesk.catalogue import workbook
    from gkdesk.ui.pages import catalogue as mod

    guide = tmp_path / "指引.xlsx"
    write(guide)
    book = workbook.read_workbook(guide)
    v20 = svc.add_guidance("2020年目录", [r.data for r in book.rows], SYSTEM)
    u = units.get_unit("民政局")
    svc.start_unit(v20, u, SYSTEM)
    page.new_version("2022年修订", based_on=v20.id)
    assert page.version_box.currentText().startswith("2022年修订")
    v22 = svc.get_version("2022年修订")
    it = next(i for i in svc.unit_items(v22, u) if i.level2 == "救助结果")
    svc.delete_item(it.id, "并入最低生活保障", SYSTEM)
    shown = []
    monkeypatch.setattr(mod.CompareDialog, "exec", lambda self: shown.append(self) or 0)
    page.compare(v20.id)
    t = shown[0].table
    assert t.rowCount() == 1
    assert [t.item(0, c).text() for c in (0, 1, 2, 4)] == ["删除", "民政局", "社会救助·临时救助·救助结果", "并入最低生活保障"]
