"""A unit deletes two items of the guidance and changes one: the 编制说明 lists exactly those
three with their reasons, in the DOCX (read back with python-docx) and the PDF (pdftotext);
a change or deletion without a reason is refused, naming the item."""
import re
import shutil
import subprocess

import docx
import pytest

from gkdesk.actors import SYSTEM
from gkdesk.catalogue import explain
from gkdesk.catalogue import items as svc
from gkdesk.catalogue.items import ItemData
from gkdesk.errors import ValidationError

from .helpers import by_name, compiled_unit

R1 = "本县最低生活保障审批结果在村（居）务公开栏公示，不在政府网站重复公开"
R2 = "临时救助结果涉及个人隐私，仅书面告知申请人"
R3 = "本县承诺时限短于上级指引"


def _three(tmp_path):
    v, u, its = compiled_unit(tmp_path)
    svc.delete_item(by_name(its, "最低生活保障", "审批结果").id, R1, SYSTEM)
    svc.delete_item(by_name(its, "临时救助", "救助结果").id, R2, SYSTEM)
    guide = by_name(its, "最低生活保障", "办事指南")
    d = ItemData.of(guide)
    d.time_limit = "自信息形成或变更之日起10个工作日内"
    assert svc.save_item(guide.id, d, R3, SYSTEM) == "change"
    return v, u


def _pdftext(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_explanation_lists_exactly_the_three(db_path, tmp_path):
    v, u = _three(tmp_path)
    pdf = explain.write(v, u, tmp_path / "编制说明.pdf")
    docx_path = explain.write(v, u, tmp_path / "编制说明.docx")

    paras = [p.text for p in docx.Document(str(docx_path)).paragraphs if p.text.strip()]
    items = [p for p in paras if re.match(r"^（\d+）", p)]
    assert items == [
        f"（1）社会救助·最低生活保障·审批结果。删除原因：{R1}。",
        f"（2）社会救助·临时救助·救助结果。删除原因：{R2}。",
        "（1）社会救助·最低生活保障·办事指南。修改内容：公开时限由“自信息形成或变更之日起20个工作日内”"
        f"改为“自信息形成或变更之日起10个工作日内”。修改原因：{R3}。",
    ]
    assert "民政局政务公开事项标准目录编制说明" in paras[0]
    assert any("共6项，其中保留5项、修改1项、删除2项、新增0项" in p for p in paras)
    assert "一、删除的事项（2项）" in paras and "二、修改的事项（1项）" in paras
    assert not any("新增的事项" in p for p in paras)

    if shutil.which("pdftotext"):
        text = re.sub(r"\s+", "", _pdftext(pdf))
        for reason in (R1, R2, R3):
            assert reason in text
        assert text.count("删除原因：") == 2 and text.count("修改原因：") == 1
        for kept in ("政策法规文件。", "特困人员救助供养", "高龄津贴"):
            assert kept not in text     # items kept as in the guidance are not listed
        assert "民政局政务公开事项标准目录编制说明" in text
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert all(" yes " in ln for ln in fonts.splitlines()[2:]), fonts   # every font embedded


def test_missing_reason_refused_naming_the_item(db_path, tmp_path):
    v, u, its = compiled_unit(tmp_path)
    item = by_name(its, "特困人员救助供养", "办事指南")
    with pytest.raises(ValidationError, match="“社会救助·特困人员救助供养·办事指南”.*删除必须逐项说明原因") as e:
        svc.delete_item(item.id, "  ", SYSTEM)
    assert e.value.field == "变动原因"
    d = ItemData.of(item)
    d.mode_request = True
    with pytest.raises(ValidationError, match="“社会救助·特困人员救助供养·办事指南”.*修改必须逐项说明原因"):
        svc.save_item(item.id, d, "", SYSTEM)
    # nothing was saved
    again = svc.get_item(item.id)
    assert again.action == "keep" and not again.mode_request
    # an item changed back to the guidance needs no reason: it is 保留 again
    d.mode_request = False
    assert svc.save_item(item.id, d, "", SYSTEM) == "keep"


def test_explanation_refused_while_a_reason_is_missing(db_path, tmp_path):
    from gkdesk.db.catalogue_models import CatalogueItem

    v, u, its = compiled_unit(tmp_path)
    item = by_name(its, "养老机构", "备案信息")
    svc.delete_item(item.id, "本县无养老机构备案事项", SYSTEM)
    # a reason lost by other means (an old import, a database edit) still blocks the 编制说明
    CatalogueItem.update(reason="").where(CatalogueItem.id == item.id).execute()
    with pytest.raises(ValidationError, match="“养老服务·养老机构·备案信息”（删除）") as e:
        explain.write(v, u, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
    assert e.value.field == "变动原因"


def test_unit_added_item_listed_as_added(db_path, tmp_path):
    v, u, its = compiled_unit(tmp_path)
    d = ItemData.of(its[0])
    d.level1, d.level2 = "最低生活保障", "资金使用情况"
    svc.add_item(v, u, d, SYSTEM, reason="本县增加资金使用情况的公开")
    exp = explain.build(v, u)
    assert [e.name for e in exp.added] == ["社会救助·最低生活保障·资金使用情况"]
    assert exp.deleted == [] and exp.changed == []
    assert "一、新增的事项（1项）" in exp.text
