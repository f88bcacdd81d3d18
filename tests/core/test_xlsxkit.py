"""The one safe xlsx opener: what it refuses, before openpyxl ever sees the file."""
import zipfile

import openpyxl
import pytest

from gkdesk import xlsxkit
from gkdesk.errors import ImportError_

LIMITS = xlsxkit.Limits(2 * 1024 * 1024, 1024 * 1024, "台账")


def _workbook(path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "受理编号"
    wb.save(path)
    return path


def test_a_sound_workbook_opens_read_only(tmp_path):
    wb = xlsxkit.open_workbook(_workbook(tmp_path / "ok.xlsx"), "ok.xlsx", LIMITS)
    try:
        assert wb.read_only and wb.active["A1"].value == "受理编号"
    finally:
        wb.close()


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path):
    p = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))   # 8 MB of zeros, ~8 KB packed
    assert p.stat().st_size < LIMITS.max_file_bytes
    with pytest.raises(ImportError_, match="bomb.xlsx：表格内容过大（解压后 8 MB"):
        xlsxkit.open_workbook(p, "bomb.xlsx", LIMITS)


def test_a_renamed_xls_and_an_old_suffix_are_refused_with_the_fix(tmp_path):
    renamed = tmp_path / "台账.xlsx"
    renamed.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(ImportError_, match="旧版 Excel（.xls）或加密.*另存为 .xlsx"):
        xlsxkit.check_container(renamed, renamed.name, LIMITS)
    old = tmp_path / "台账.xls"
    old.write_bytes(b"whatever")
    with pytest.raises(ImportError_, match="（.xls 格式）。请在 Excel 或 WPS 中“另存为”"):
        xlsxkit.check_container(old, old.name, LIMITS)


def test_other_zips_damaged_and_empty_files_are_refused(tmp_path):
    docx = tmp_path / "a.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    with pytest.raises(ImportError_, match="不是 Excel 工作簿"):
        xlsxkit.check_container(docx, docx.name, LIMITS)
    good = _workbook(tmp_path / "b.xlsx")
    data = bytearray(good.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = b"\xff" * 64       # damage a member's bytes
    damaged = tmp_path / "c.xlsx"
    damaged.write_bytes(bytes(data))
    with pytest.raises(ImportError_, match="c.xlsx：文件已损坏"):
        xlsxkit.open_workbook(damaged, damaged.name, LIMITS)
    empty = tmp_path / "d.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(ImportError_, match="文件是空的"):
        xlsxkit.check_container(empty, empty.name, LIMITS)


def test_too_large_a_file_names_the_limit(tmp_path):
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"PK" + b"\0" * (3 * 1024 * 1024))
    with pytest.raises(ImportError_, match="文件过大（3 MB，上限 2 MB）。台账"):
        xlsxkit.check_container(big, big.name, LIMITS)
