"""Validators of what clerks type (examples worked by hand; fuzzing lives in tests/reliability)."""
import pytest

from gkdesk import validation as v
from gkdesk.errors import ValidationError


@pytest.mark.parametrize("raw, clean", [
    ("13800138000", "13800138000"), ("138 0013 8000", "13800138000"), ("+86 138-0013-8000", "13800138000"),
    ("0595-22355669", "0595-22355669"), ("059522355669", "0595-22355669"), ("22355669", "22355669"),
    ("０５９５－２２３５５６６９", "0595-22355669"),
])
def test_phone_accepted(raw, clean):
    assert v.check_phone(raw) == clean


@pytest.mark.parametrize("raw", ["1380013", "12345678901", "0123456", "abc", "", "1380013800"])
def test_phone_refused_naming_the_field(raw):
    with pytest.raises(ValidationError, match="联系电话"):
        v.check_phone(raw)


def test_id_check_digit_examples():
    # GB 11643 example: 11010519491231002X (sum of weighted digits mod 11 = 2 → X)
    assert v.id_check_digit("11010519491231002") == "X"
    assert v.check_resident_id("11010519491231002x") == "11010519491231002X"


def test_masks():
    assert v.mask_id("11010519491231002X") == "110105********002X"
    assert v.mask_phone("13800138000") == "138****8000"


def test_normalise_keeps_chinese_punctuation():
    assert v.normalise(" 申请公开（新）文件，共３份 ") == "申请公开（新）文件，共3份"
    assert v.normalise("ｇｋ＠ｅｘａｍｐｌｅ．ｃｎ") == "gk@example.cn"


def test_normalise_maps_every_full_width_character_inside_chinese_text():
    # each mapped character alone, and amid Chinese text (the path that searches before translating)
    wide = [chr(c) for c in range(0xFF10, 0xFF1A)] + [chr(c) for c in range(0xFF21, 0xFF3B)] + \
        [chr(c) for c in range(0xFF41, 0xFF5B)] + ["\u3000", "＠", "．", "－", "＋", "＿"]
    half = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" + " @.-+_"
    for w, h in zip(wide, half, strict=True):
        assert v.normalise(f"申请{w}文件") == f"申请{h}文件"
    assert v.normalise("".join(wide)) == half
    assert v.normalise("　张三（新）：第一份，共二份　") == "张三（新）：第一份，共二份"


def test_generated_files_name_the_version(db_path, tmp_path):
    """Every generated file carries 'gkdesk <version>' in its metadata."""
    import openpyxl

    import gkdesk
    from gkdesk.reports import ledger

    out = tmp_path / "l.xlsx"
    ledger.export_ledger(out)
    assert openpyxl.load_workbook(out).properties.creator == f"gkdesk {gkdesk.__version__}"
