"""The office's own fields beyond the 26: added, renamed (items follow), retired (no new
items; old ones kept, labelled, exported) and brought back; the 26 cannot be touched; the
headless command; the 编制说明 template edited on the 文书模板 page is the one used."""
import pytest
from openpyxl import load_workbook

from gkdesk.actors import SYSTEM, Actor
from gkdesk.api import catalogue as api
from gkdesk.catalogue import explain, export
from gkdesk.catalogue import items as svc
from gkdesk.catalogue.items import ItemData
from gkdesk.db.models import CaseEvent
from gkdesk.documents import templates
from gkdesk.errors import PermissionDenied, ValidationError

from .helpers import by_name, compiled_unit

VIEWER = Actor("v", "查看员", frozenset({"viewer"}))


def _river(code):
    return ItemData(field=code, level1="河长制", level2="河长名单", content="县、乡、村三级河长名单",
                    basis="《关于全面推行河长制的意见》", time_limit="信息形成或变更之日起20个工作日内",
                    subject="县水利局", channel="■政府网站 ■公示栏", audience_public=True, mode_proactive=True,
                    level_county=True)


def test_add_rename_retire_restore(db_path, tmp_path):
    v, u, _ = compiled_unit(tmp_path)
    code = svc.add_field("河长制领域", SYSTEM)          # 领域 at the end is dropped
    assert svc.field_labels()[code] == "河长制" and dict(api.overview(v.id).fields)[code] == "河长制"
    it = svc.add_item(v, u, _river(code), SYSTEM, reason="本县增设")
    with pytest.raises(ValidationError, match="已有“河长制”"):
        svc.add_field("河长制", SYSTEM)

    assert svc.rename_field(code, "河湖长制", SYSTEM) == "河湖长制"
    assert api.items(v.id, u.id, code)[0].field_label == "河湖长制"       # the item follows (same code)
    with pytest.raises(ValidationError, match="已有“社会救助”"):
        svc.rename_field(code, "社会救助", SYSTEM)
    with pytest.raises(ValidationError, match="26个领域之一"):
        svc.rename_field("social_assistance", "救助", SYSTEM)
    with pytest.raises(ValidationError, match="26个领域之一"):
        svc.retire_field("social_assistance", SYSTEM)
    with pytest.raises(PermissionDenied):
        svc.rename_field(code, "水务", VIEWER)

    svc.retire_field(code, SYSTEM)
    assert [(f.label, f.retired, f.items) for f in api.office_fields()] == [("河湖长制", True, 1)]
    assert code not in dict(api.overview(v.id).fields)                  # not offered for new items
    other = ItemData(**{**_river(code).as_dict(), "level2": "河湖长制工作情况"})
    with pytest.raises(ValidationError, match="“河湖长制”领域已停用"):
        svc.add_item(v, u, other, SYSTEM)
    # an item moved into a retired field is refused; the one already there can still be edited
    relief = by_name(svc.unit_items(v, u), "最低生活保障", "办事指南")
    with pytest.raises(ValidationError, match="已停用"):
        svc.save_item(relief.id, ItemData(**{**ItemData.of(relief).as_dict(), "field": code}), "移入", SYSTEM)
    d = ItemData.of(svc.get_item(it.id))
    d.channel += " ■微信公众号"
    svc.save_item(it.id, d, "", SYSTEM)
    # still labelled and published
    out = export.export_county(v, tmp_path / "县目录.xlsx")
    wb = load_workbook(out)
    assert any("河湖长制" in ws.title or any("河湖长制" in str(c.value or "") for row in ws.iter_rows(max_row=3)
                                         for c in row) for ws in wb.worksheets)

    svc.retire_field(code, SYSTEM, retired=False)
    assert svc.add_item(v, u, other, SYSTEM).field == code
    summaries = [e.summary for e in CaseEvent.select().where(CaseEvent.action == "catalogue.field").order_by(CaseEvent.id)]
    assert summaries == ["新增标准目录领域“河长制”", "标准目录领域“河长制”改名为“河湖长制”",
                         "标准目录领域“河湖长制”停用", "标准目录领域“河湖长制”恢复使用"]


def test_cli_fields(run_cli, tmp_path):
    db = tmp_path / "f.sqlite3"
    r = run_cli("--db", db, "catalogue", "fields", "--create")       # a new database
    assert r.returncode == 0 and "没有新增领域" in r.stdout
    assert run_cli("--db", db, "catalogue", "fields", "--add", "河长制").returncode == 0
    r = run_cli("--db", db, "catalogue", "fields", "--rename", "河长制")
    assert r.returncode != 0 and "--label" in r.stderr
    assert run_cli("--db", db, "catalogue", "fields", "--rename", "河长制", "--label", "河湖长制").returncode == 0
    assert run_cli("--db", db, "catalogue", "fields", "--retire", "河湖长制").returncode == 0
    r = run_cli("--db", db, "catalogue", "fields", "--retire", "不存在的领域")
    assert r.returncode != 0 and "找不到“不存在的领域”" in r.stderr
    r = run_cli("--db", db, "catalogue", "fields")
    assert r.stdout.split("\t")[1:3] == ["河湖长制", "已停用"]


def test_the_explanation_template_is_listed_and_an_edited_one_is_used(db_path, tmp_path):
    from tests.documents.helpers import flat, pdftotext

    listed = {t.name: t for t in templates.list_templates()}
    assert listed["catalogue-explanation"].title == "政务公开事项标准目录编制说明"
    assert "annual_report" in listed
    body = templates.current("catalogue-explanation").body
    blocks, laid = templates.render_sample("catalogue-explanation", body)
    assert laid.pages and any("示例" in str(getattr(b, "text", "")) for b in blocks)
    with pytest.raises(Exception, match="行|模板"):
        templates.save("catalogue-explanation", body + "\n{% if %}", SYSTEM)
    edited = body.replace("现将对上级标准指引的删减变动情况逐项说明如下。", "现将删减变动情况逐项报告如下。")
    assert templates.save("catalogue-explanation", edited, SYSTEM).version == 1
    v, u, its = compiled_unit(tmp_path)
    svc.delete_item(by_name(its, "临时救助", "救助结果").id, "涉及个人隐私", SYSTEM)
    text = flat(pdftotext(explain.pdf_bytes(explain.build(v, u)), tmp_path))
    assert "现将删减变动情况逐项报告如下" in text and "涉及个人隐私" in text
