"""The PDF of a unit's forms: the annex layout, text extractable, fonts embedded."""
import shutil
import subprocess

import pytest

from gkdesk.forms import pdf, units
from gkdesk.forms.records import StaffRow

from .helpers import make_unit

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")


def _text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_text_and_fonts(db_path, tmp_path):
    from gkdesk.actors import SYSTEM
    u = make_unit()
    units.set_staff(u, [StaffRow("王赟", "副局长", "13800138000")],
                    [StaffRow("李喆", "办公室主任", "0595-22355669", "信息公开联络员"),
                     StaffRow("张堃", "科员", "13900139000")], SYSTEM)
    out = pdf.render_unit(u, tmp_path / "民政局.pdf")
    text = _text(out)
    for needle in ("附件 1", "工作人员情况表", "单位（盖章）：民政局", "分管领导", "工作人员", "姓名", "联系方式",
                   "王赟", "李喆", "张堃", "0595-22355669", "信息公开联络员",
                   "附件 2", "工作职能清单", "某某区民政局", "负责人姓名", "刘冰", "二、负责婚姻登记和殡葬管理。",
                   "注：请核对"):
        assert needle in text, needle
    pages = text.split("\f")
    assert "工作人员情况表" in pages[0] and "工作职能清单" in pages[1]
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = [ln.split() for ln in fonts.splitlines()[2:] if ln.strip()]
    assert rows and all("yes" == r[-5] for r in rows), fonts   # every font embedded
    assert "Helvetica" not in fonts


def test_no_line_starts_with_closing_punctuation(db_path, tmp_path):
    from gkdesk.actors import SYSTEM
    u = make_unit()
    long = "一、" + "负责全区社会救助和社会福利工作，" * 12 + "组织实施。"
    f = units.get_functions(u)
    f.functions = long
    units.set_functions(u, f, SYSTEM)
    text = _text(pdf.render_unit(u, tmp_path / "a.pdf"))
    lines = [ln.strip() for ln in text.splitlines() if "负责全区" in ln or ln.strip().startswith(("，", "。"))]
    assert len(lines) > 3
    assert not any(ln.startswith(("，", "。", "、")) for ln in lines)


def test_blank_pdf_and_long_table(db_path, tmp_path):
    from gkdesk.actors import SYSTEM
    u = make_unit()
    out = pdf.render_unit(u, tmp_path / "blank.pdf", blank=True)
    text = _text(out)
    assert "单位（盖章）：民政局" in text and "张三" not in text
    many = [StaffRow(f"人员{i:02d}", "科员", f"139{i:08d}") for i in range(45)]
    units.set_staff(u, [StaffRow("张三", "副局长", "13800138000")], many, SYSTEM)
    text = _text(pdf.render_unit(u, tmp_path / "long.pdf"))
    assert "人员00" in text and "人员44" in text
    assert text.count("姓名") >= 2            # the header repeats on the next page
