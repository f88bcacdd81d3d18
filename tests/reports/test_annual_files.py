"""The annual report as files: xlsx in the official layout (reopened with openpyxl and
converted by LibreOffice), PDF (pdftotext/pdffonts), refusal when the check fails."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from gkdesk.reports import annual_xlsx

from . import scenario
from .conftest import make_case
from .test_annual import EXPECTED_2025, EXPECTED_T4_2025, KEYS, COLS

D = dt.date


@pytest.fixture
def ids(db_path):
    return scenario.build()


def _merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def test_xlsx_layout_and_numbers(ids, tmp_path):
    out = annual_xlsx.export(2025, tmp_path / "年报.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["二、主动公开政府信息情况", "三、收到和处理申请情况", "四、行政复议行政诉讼情况"]
    ws = wb["三、收到和处理申请情况"]
    m = _merged(ws)
    assert ws["A1"].value == "三、收到和处理政府信息公开申请情况"
    # header block exactly as the format
    assert "A3:C5" in m and ws["A3"].value == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert "D3:J3" in m and ws["D3"].value == "申请人情况"
    assert "D4:D5" in m and ws["D4"].value == "自然人"
    assert "E4:I4" in m and ws["E4"].value == "法人或其他组织"
    assert "J4:J5" in m and ws["J4"].value == "总计"
    assert [ws.cell(5, c).value for c in range(5, 10)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    # row labels: 一 and 二 across A:C, results heading down column A, group headings in B
    assert "A6:C6" in m and ws["A6"].value == "一、本年新收政府信息公开申请数量"
    assert "A7:C7" in m and ws["A7"].value == "二、上年结转政府信息公开申请数量"
    assert "A8:A29" in m and ws["A8"].value == "三、本年度办理结果"
    assert "B8:C8" in m and ws["B8"].value == "（一）予以公开"
    assert "B9:C9" in m and ws["B9"].value == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert "B10:B17" in m and ws["B10"].value == "（三）不予公开"
    assert ws["C10"].value == "1.属于国家秘密" and ws["C17"].value == "8.属于行政查询事项"
    assert "B18:B20" in m and ws["B18"].value == "（四）无法提供"
    assert "B21:B25" in m and ws["B21"].value == "（五）不予处理"
    assert "B26:B28" in m and ws["B26"].value == "（六）其他处理"
    assert ws["C28"].value == "3.其他"
    assert "B29:C29" in m and ws["B29"].value == "（七）总计"
    assert "A30:C30" in m and ws["A30"].value == "四、结转下年度继续办理"
    # the numbers: row r ↔ KEYS[r-6], column D.. ↔ COLS
    for i, key in enumerate(KEYS):
        assert [ws.cell(6 + i, 4 + j).value for j in range(7)] == [EXPECTED_2025[key][c] for c in COLS], key
    # borders, font, page setup
    assert ws["E12"].border.left.style == "thin" and ws["A3"].border.top.style == "thin"
    assert ws["D6"].font.name == "宋体"
    assert int(ws.page_setup.paperSize) == 9          # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_area.startswith("'三、收到和处理申请情况'!$A$1:$J$")

    ws4 = wb["四、行政复议行政诉讼情况"]
    m4 = _merged(ws4)
    assert ws4.page_setup.orientation == "landscape"
    assert "A3:E3" in m4 and ws4["A3"].value == "行政复议"
    assert "F3:O3" in m4 and ws4["F3"].value == "行政诉讼"
    assert "F4:J4" in m4 and ws4["F4"].value == "未经复议直接起诉"
    assert "K4:O4" in m4 and ws4["K4"].value == "复议后起诉"
    assert "A4:A5" in m4 and ws4["A4"].value == "结果维持" and ws4["D4"].value == "尚未审结"
    assert [ws4.cell(5, c).value for c in range(6, 11)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    nums = [ws4.cell(6, c).value for c in range(1, 16)]
    expected = [EXPECTED_T4_2025[k][c] for k in ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
                for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
    assert nums == expected

    # no personal data anywhere in the workbook
    values = [str(c.value) for w in wb for row in w.iter_rows() for c in row if c.value is not None]
    for personal in ("张三", "某某有限公司", "李四", "13800138000"):
        assert not any(personal in v for v in values), personal

    ws2 = wb["二、主动公开政府信息情况"]
    labels = [ws2.cell(r, 1).value for r in range(3, ws2.max_row + 1)]
    assert labels == ["第二十条第（一）项", "信息内容", "规章", "行政规范性文件",
                      "第二十条第（五）项", "信息内容", "行政许可",
                      "第二十条第（六）项", "信息内容", "行政处罚", "行政强制",
                      "第二十条第（八）项", "信息内容", "行政事业性收费"]
    assert [ws2.cell(4, c).value for c in (2, 3, 4)] == ["本年制发件数", "本年废止件数", "现行有效件数"]


def test_table2_values_in_xlsx(db_path, tmp_path):
    from gkdesk.actors import SYSTEM
    from gkdesk.reports import annual

    annual.save_table2(2025, {"规章/现行有效件数": 7, "行政处罚/本年处理决定数量": 88}, SYSTEM)
    wb = load_workbook(annual_xlsx.export(2025, tmp_path / "t2.xlsx"))
    ws2 = wb["二、主动公开政府信息情况"]
    assert ws2["D5"].value == 7
    assert ws2["B12"].value == 88 and "B12:D12" in _merged(ws2)


def test_export_refused_when_check_fails(db_path, tmp_path):
    make_case(D(2025, 3, 3), reply=D(2025, 3, 12))       # replied, no outcome
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(annual_xlsx.ReportCheckError) as ei:
        annual_xlsx.export(2025, target)
    assert "未选择办理结果" in str(ei.value) and ei.value.case_ids
    assert target.read_bytes() == b"old"                # nothing overwritten
    assert not (tmp_path / "r.pdf").exists()
    with pytest.raises(annual_xlsx.ReportCheckError):
        annual_xlsx.export(2025, tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []   # no temp files left


def test_pdf_has_the_tables_and_embeds_fonts(ids, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")
    out = annual_xlsx.export(2025, tmp_path / "年报.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    for label in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "申请人情况", "法人或其他组织",
                  "本年新收政府信息公开申请数量", "结转下年度继续办理", "属于国家秘密", "尚未审结"):
        assert label in text.replace(" ", ""), label
    line = next(l for l in text.splitlines() if "本年新收" in l)
    assert line.split()[-7:] == ["5", "4", "4", "5", "4", "3", "25"]
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    cjk = [l for l in fonts.splitlines()[2:] if "TrueType" in l]
    assert cjk and all(" yes " in l for l in cjk)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "3", str(out)], capture_output=True, text=True).stdout
    sizes = [l for l in info.splitlines() if l.startswith("Page") and "size" in l]
    assert "595" in sizes[1].split(":")[1].split("x")[0]          # table 三 portrait
    assert "841" in sizes[2].split(":")[1].split("x")[0]          # table 四 landscape


def test_pdf_with_only_the_bundled_font_breaks_lines_by_the_rules(ids, tmp_path, monkeypatch):
    """No system font visible (gkdesk's own font only), the office name full of rare
    characters: the PDF is made with the document pipeline's fonts, every character is
    drawn, and no line starts with a comma (禁则)."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")
    from gkdesk import settings
    from gkdesk.documents import fonts

    empty = tmp_path / "nofonts"
    empty.mkdir()
    monkeypatch.setenv("GKDESK_FONT_DIRS", str(empty))
    settings.save({"office.name": "赟喆堃昇垚旻彧珺〇县人民政府办公室"}, user="admin")
    out = annual_xlsx.export(2025, tmp_path / "年报.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    assert "赟喆堃昇垚旻彧珺〇县人民政府办公室" in text.replace(" ", "")
    raw = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    starts = [ln for ln in raw.splitlines() if ln.strip() and ln.strip()[0] in "，。、；：）"]
    assert not starts, starts
    ff = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert ff and all("LXGW" in ln and " yes " in ln for ln in ff), ff
    assert fonts.fontset().all_fonts[0].path.name == fonts.BUNDLED_FONT


@pytest.mark.libreoffice
def test_libreoffice_converts_one_page_per_table(ids, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) not installed")
    src = annual_xlsx.export(2025, tmp_path / "annual.xlsx")
    outdir = tmp_path / "pdf"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(src)],
                   capture_output=True, text=True, timeout=180)
    pdf = outdir / "annual.pdf"
    assert pdf.is_file(), "LibreOffice produced no PDF"
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "5", str(pdf)], capture_output=True, text=True).stdout
    pages = int(next(l for l in info.splitlines() if l.startswith("Pages:")).split()[1])
    # one page per sheet: nothing spills over to a second page across or down
    assert pages == 3
    sizes = [l.split(":", 1)[1] for l in info.splitlines() if l.startswith("Page") and "size" in l]
    assert sizes[1].strip().startswith("595") and sizes[2].strip().startswith("841")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "勾稽关系" in text and "结转下年度继续办理" in text.replace(" ", "")
