"""A guidance workbook typed by hand in the published layout imports with every item and
every mark; bad workbooks are refused naming the cell."""
import openpyxl
import pytest

from gkdesk.actors import SYSTEM, Actor
from gkdesk.catalogue import items as svc
from gkdesk.catalogue import workbook
from gkdesk.domain import catalogue as dom
from gkdesk.errors import PermissionDenied, ValidationError

from .guidance_fixture import COUNT, GUIDANCE
from .helpers import guidance_file

MARK_ORDER = ("audience_public", "audience_specific", "mode_proactive", "mode_request", "level_county",
              "level_township")


def _norm(text):
    return " ".join(text.split())


def test_every_item_and_mark_imported(db_path, tmp_path):
    path = guidance_file(tmp_path)
    book = workbook.read_workbook(path)
    assert book.problems == [] and book.warnings == []
    v = svc.add_guidance("2020年目录", [r.data for r in book.rows], SYSTEM, source=path.name)
    labels = svc.field_labels()
    saved = svc.guidance_items(v)
    assert len(saved) == COUNT == 8
    expected = [(f, r) for f, rows in GUIDANCE.items() for r in rows]
    for it, (field_label, row) in zip(saved, expected):
        assert labels[it.field] == field_label
        # 一级事项 and 公开主体 were merged down: every item has them
        assert (it.level1, it.level2, it.subject) == (row.level1, row.level2, row.subject)
        assert it.content == row.content and it.basis == row.basis and it.time_limit == row.time_limit
        assert it.channel == _norm(row.channel) and it.remark == row.remark
        assert tuple(getattr(it, k) for k in MARK_ORDER) == tuple(bool(m) for m in row.marks), it.level2
        assert it.action == "guidance" and it.unit_id is None
    # √ and ■ both read as marks
    assert {m for _, r in expected for m in r.marks} == {"√", "■", ""}


def test_same_field_twice_refused(db_path, tmp_path):
    book = workbook.read_workbook(guidance_file(tmp_path))
    svc.add_guidance("2020年目录", [r.data for r in book.rows], SYSTEM)
    with pytest.raises(ValidationError, match="已有“社会救助、养老服务”领域的上级指引"):
        svc.add_guidance("2020年目录", [r.data for r in book.rows], SYSTEM)
    assert len(svc.guidance_items("2020年目录")) == COUNT


def test_clerk_role_required(db_path, tmp_path):
    book = workbook.read_workbook(guidance_file(tmp_path))
    reader = Actor("zhao", "赵六", frozenset({"reviewer"}))
    with pytest.raises(PermissionDenied, match="导入上级标准指引.*登记员或管理员"):
        svc.add_guidance("2020年目录", [r.data for r in book.rows], reader)


def test_problems_name_the_cell(db_path, tmp_path):
    path = guidance_file(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["社会救助"]
    ws["K7"] = "可以"          # 主动 of row 7: not a mark
    ws["F8"] = None            # 公开时限 of row 8 missing
    ws["I9"] = ws["J9"] = None  # no 公开对象 at all on row 9
    ws["E10"] = "=E9"          # a formula
    wb.save(path)
    text = "\n".join(workbook.guidance_problems(workbook.read_workbook(path)))
    assert "社会救助等领域标准指引.xlsx!社会救助!K7：公开方式（主动）“可以”不是勾选标记" in text
    assert "社会救助!F8：“社会救助·最低生活保障·审批结果”的公开时限：必须填写（每个公开事项都要写明时限）" in text
    assert "社会救助!I9：“社会救助·特困人员救助供养·政策法规文件”的公开对象：至少勾选“全社会”或“特定群体”之一" in text
    assert "社会救助!E10：公开依据是公式" in text


@pytest.mark.parametrize("typed,expected", [("是", True), ("√", True), ("■", True), ("✓", True), ("✔", True),
                                            ("", False), ("否", False), ("×", False), (" √ ", True)])
def test_marks_as_typed(typed, expected):
    assert dom.read_mark(typed) is expected


def test_not_an_xlsx_refused(db_path, tmp_path):
    bad = tmp_path / "目录.xlsx"
    bad.write_text("这不是表格", encoding="utf-8")
    book = workbook.read_workbook(bad)
    assert book.rows == [] and "不是 xlsx 文件" in book.problems[0]
    old = tmp_path / "目录.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert "另存为" in workbook.read_workbook(old).problems[0]


def test_field_from_caller_when_title_lacks_it(db_path, tmp_path):
    path = guidance_file(tmp_path)
    wb = openpyxl.load_workbook(path)
    del wb["养老服务"]
    ws = wb["社会救助"]
    ws.title = "Sheet1"
    ws["A1"] = "基层政务公开标准目录"
    wb.save(path)
    assert "无法确定这一行属于哪个领域" in workbook.read_workbook(path).problems[0]
    book = workbook.read_workbook(path, default_field="社会救助")
    assert book.problems == [] and {r.data.field for r in book.rows} == {"social_assistance"}
