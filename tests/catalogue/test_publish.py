"""The county's catalogue for the government website: xlsx in the published layout (opens
in LibreOffice, reads back as it was published), and static HTML5 pages (html5lib's strict
parser accepts them; every item is shown; no scripts)."""
import re
import shutil
import subprocess

import html5lib
import openpyxl
import pytest

from gkdesk.actors import SYSTEM
from gkdesk.catalogue import export, web, workbook
from gkdesk.catalogue import items as svc
from gkdesk.catalogue.items import ItemData

from .helpers import SOFFICE, by_name, compiled_unit, lo_convert


def _county(tmp_path):
    v, u, its = compiled_unit(tmp_path)
    svc.delete_item(by_name(its, "临时救助", "救助结果").id, "涉及个人隐私", SYSTEM)
    d = ItemData.of(its[0])
    d.level1, d.level2, d.content = "最低生活保障", "资金使用情况", "年度资金使用总额 <按季度> & 结余"
    svc.add_item(v, u, d, SYSTEM)
    return v, svc.county_items(v)


def test_county_xlsx_in_published_layout(db_path, tmp_path):
    v, items = _county(tmp_path)
    path = export.export_county(v, tmp_path / "目录.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["社会救助", "养老服务"]
    ws = wb["社会救助"]
    assert ws["A1"].value == "某某区社会救助领域基层政务公开标准目录（2020年目录）"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"B3:C3", "I3:J3", "K3:L3", "M3:N3", "A3:A4", "D3:D4"} <= merged   # two-row headers
    assert "B5:B8" in merged        # 最低生活保障's items (3 + the added one) merged down
    assert ws.print_title_rows == "$3:$4" or ws.print_title_rows == "3:4"
    # read back by gkdesk's own reader: every published item, every mark
    book = workbook.read_workbook(path)
    assert book.problems == []
    assert sorted(r.data.key() for r in book.rows) == sorted(ItemData.of(i).key() for i in items)
    for r in book.rows:
        item = next(i for i in items if ItemData.of(i).key() == r.data.key())
        assert r.data == ItemData.of(item)
    assert not any(r.data.level2 == "救助结果" for r in book.rows)     # deleted items are not published


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_export_opens_in_libreoffice(db_path, tmp_path):
    v, items = _county(tmp_path)
    path = export.export_county(v, tmp_path / "目录.xlsx")
    r = lo_convert(path, "pdf", tmp_path / "pdf", tmp_path / "lo-profile")
    pdf = tmp_path / "pdf" / "目录.pdf"
    assert pdf.exists(), r.stdout + r.stderr
    if shutil.which("pdftotext"):
        text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                                 text=True).stdout)
        for it in items:
            assert it.level2 in text
        assert "社会救助领域基层政务公开标准目录" in text


def test_html_validates_and_shows_every_item(db_path, tmp_path):
    v, items = _county(tmp_path)
    files = web.export_html(v, tmp_path / "web")
    assert [f.name for f in files] == ["index.html", "social_assistance.html", "elderly_care.html"]
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    shown = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>")
        doc = parser.parse(text)          # raises on any HTML5 parse error
        assert parser.errors == []
        assert doc.findall(".//script") == [] and "javascript:" not in text
        assert doc.find("head/meta").get("charset") == "utf-8"
        for tr in doc.findall(".//tbody/tr"):
            cells = ["".join(td.itertext()) for td in tr.findall("td")]
            shown.append(cells)
    index = parser.parse((tmp_path / "web" / "index.html").read_text(encoding="utf-8"))
    assert [a.get("href") for a in index.findall(".//a")] == ["social_assistance.html", "elderly_care.html"]
    assert len(shown) == len(items)
    all_text = "\n".join("|".join(c) for c in shown)
    for it in items:
        assert it.level2 in all_text and it.content in all_text   # escaped text reads back as typed
    page = parser.parse((tmp_path / "web" / "social_assistance.html").read_text(encoding="utf-8"))
    first_row = page.findall(".//tbody/tr")[0]
    assert first_row.findall("td")[1].get("rowspan") == "4"        # 一级事项 spans its items
    head = page.findall(".//thead/tr")
    assert [th.text for th in head[1].findall("th")] == ["一级事项", "二级事项", "全社会", "特定群体", "主动",
                                                         "依申请", "县级", "乡级"]
