"""Cleaning and checking what people type into Annex 1 and Annex 2."""
import pytest

from gkdesk.errors import ValidationError
from gkdesk.forms import records
from gkdesk.forms.records import FunctionsData, GroupMember, StaffRow


@pytest.mark.parametrize("value,expected", [
    (13800138000.0, "13800138000"),
    (13800138000, "13800138000"),
    ("１３８００１３８０００", "13800138000"),
    ("  张　三 ", "张 三"),
    (None, ""),
    (2.5, "2.5"),
])
def test_cell_text(value, expected):
    assert records.cell_text(value) == expected


def test_fold_width_keeps_chinese_punctuation():
    assert records.fold_width("负责全区（含开发区）工作，电话：０５９５") == "负责全区（含开发区）工作，电话：0595"


@pytest.mark.parametrize("raw,expected", [
    ("刘  冰", "刘冰"), ("刘　冰", "刘冰"), ("阿不都•热合曼", "阿不都·热合曼"), ("John  Smith", "John Smith")])
def test_clean_name(raw, expected):
    assert records.clean_name(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("13800138000", "13800138000"),
    ("138 0013 8000", "13800138000"),
    ("0595-22355669", "0595-22355669"),
    ("059522355669", "0595-22355669"),
    ("22355669", "22355669"),
    ("13800138000、0595-22355669", "13800138000、0595-22355669"),
    ("13800138000/22355669", "13800138000、22355669"),
])
def test_contact_accepts(raw, expected):
    assert records.check_contact(raw)[0] == expected


@pytest.mark.parametrize("raw", ["1380013", "12345", "138001380001", "abc", "10000000", "13800138000、123"])
def test_contact_refuses(raw):
    with pytest.raises(ValidationError) as e:
        records.check_contact(raw)
    assert "不是有效的电话号码" in str(e.value)


def test_landline_typed_as_number_gets_its_zero_back_with_a_warning():
    value, warnings = records.check_contact("59522355669", was_number=True)
    assert value == "0595-22355669"
    assert warnings and "区号前的0" in warnings[0]
    with pytest.raises(ValidationError):
        records.check_contact("59522355669", was_number=False)


def test_staff_validation_names_rows_and_fields():
    data, problems = records.validate_staff(
        [StaffRow("张三", "副局长", "13800138000"), StaffRow(), StaffRow("", "科员", "13900139000")],
        [StaffRow("李四", "", "1380013"), StaffRow("李四", "科员", "13700137000")])
    errors = {(p.where, p.message) for p in problems if p.is_error}
    assert (("leader", 2, "name"), "未填写姓名") in errors
    assert any(w == ("staff", 0, "contact") and "1380013" in m for w, m in errors)
    assert any(w == ("staff", 1, "name") and "重复" in m for w, m in errors)
    assert [r.name for r in data.leaders] == ["张三", ""]  # the blank row dropped


def test_staff_validation_clean_rows_pass():
    data, problems = records.validate_staff([StaffRow(" 张 三 ", " 副局长 ", "１３８００１３８０００")],
                                            [StaffRow("李四", "科员", "13900139000")])
    assert [p for p in problems if p.is_error] == []
    assert data.leaders == [StaffRow("张三", "副局长", "13800138000", "")]


def test_functions_required_fields():
    clean, problems = records.validate_functions(FunctionsData(address="某路"))
    missing = {p.where[1] for p in problems if p.is_error}
    assert missing == {"full_name", "phone", "head_name", "functions"}


def test_functions_multiline_cleaned_one_paragraph_a_line():
    clean, problems = records.validate_functions(FunctionsData(
        full_name="某局", phone="0595-22355669", head_name="刘 冰",
        functions="　　一、第一项。\r\n\r\n\r\n　　二、第二项。  \n", structure=""))
    assert [p for p in problems if p.is_error] == []
    assert clean.functions == "一、第一项。\n二、第二项。"
    assert clean.head_name == "刘冰"


def test_leading_group_one_head_and_sorted():
    clean, problems = records.validate_leading_group([
        GroupMember("member", "庄学民", "综合股负责人"), GroupMember("head", "刘冰", "党组书记、局长"),
        GroupMember("副组长", "丁思金", "副局长")])
    assert [p for p in problems if p.is_error] == []
    assert [m.role for m in clean] == ["head", "deputy", "member"]
    _, problems = records.validate_leading_group([GroupMember("head", "甲", ""), GroupMember("head", "乙", "")])
    assert any("只能有一名组长" in p.message for p in problems)
    _, problems = records.validate_leading_group([GroupMember("组员", "甲", "")])
    assert any("职务类别" in p.message for p in problems)
