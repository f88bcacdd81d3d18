"""LibreOffice headless opens the exported workbook: converts it to PDF (one page per annex,
thanks to fit-to-width and the print area) and re-saves it as xlsx the way another office
suite would — which then imports with no problems and no changes."""
import shutil
import subprocess

import pytest

from gkdesk.forms import xlsx_export, xlsx_import

from .helpers import make_unit

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")]


def _convert(src, to, outdir, profile):
    r = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", to, "--outdir", str(outdir), str(src)],
                       capture_output=True, text=True, timeout=180)
    return r


def test_libreoffice_converts_export_to_pdf(db_path, tmp_path):
    unit = make_unit()
    src = xlsx_export.export_unit(unit, tmp_path / "民政局.xlsx")
    out = tmp_path / "pdf"
    r = _convert(src, "pdf", out, tmp_path / "lo-profile")
    pdf = out / "民政局.pdf"
    assert pdf.exists(), r.stdout + r.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout if shutil.which("pdfinfo") else ""
    if info:
        pages = int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")))
        assert pages == 2, info     # one page per annex: fitted to width, print area set
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "工作人员情况表" in text and "单位（盖章）：民政局" in text and "13800138000" in text


def test_resaved_by_libreoffice_imports_unchanged(db_path, tmp_path):
    unit = make_unit()
    src = xlsx_export.export_unit(unit, tmp_path / "src" / "民政局.xlsx")
    out = tmp_path / "resaved"
    r = _convert(src, "xlsx:Calc MS Excel 2007 XML", out, tmp_path / "lo-profile2")
    resaved = out / "民政局.xlsx"
    assert resaved.exists(), r.stdout + r.stderr
    diffs = xlsx_import.diff_paths(resaved)
    assert diffs[0].problems == []
    assert diffs[0].unit_id == unit.id
    assert diffs[0].changes == []
