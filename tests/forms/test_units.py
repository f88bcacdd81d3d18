"""Units: add, rename, merge, retire; Annex 1/2 and leading group edits with history and audit."""
import pytest

from gkdesk import audit
from gkdesk.actors import SYSTEM, Actor
from gkdesk.db.models import CaseEvent, StaffMember, Unit, UnitHistory
from gkdesk.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from gkdesk.forms import units
from gkdesk.forms.records import GroupMember, StaffRow

from .helpers import FUNCTIONS, LEADERS, STAFF, make_unit

READER = Actor("reader", "只读", frozenset({"reviewer"}))


def test_add_list_and_kind_guess(db_path):
    units.add_unit("民政局", SYSTEM)
    units.add_unit("东海街道办事处", SYSTEM)
    units.add_unit("高新区管委会", SYSTEM)
    info = {u.name: u for u in units.list_units()}
    assert info["东海街道办事处"].kind == "street"
    assert info["高新区管委会"].kind == "committee"
    assert info["民政局"].kind == "department"
    with pytest.raises(ValidationError, match="已有名为“民政局”"):
        units.add_unit(" 民政局 ", SYSTEM)
    with pytest.raises(ValidationError, match="单位类型"):
        units.add_unit("某某", SYSTEM, kind="公司")
    assert Unit.select().count() == 3
    assert UnitHistory.select().where(UnitHistory.action == "create").count() == 3


def test_set_staff_records_history_and_audit(db_path):
    u = make_unit()
    assert units.get_staff(u).leaders == LEADERS
    assert units.get_staff(u).staff == STAFF
    h = [x for x in units.history(u) if x.action == "staff"][-1]
    assert h.before == {"leader": [], "staff": []}
    assert h.after["staff"][0]["name"] == "李四"
    assert CaseEvent.select().where(CaseEvent.action == "unit.staff").count() == 1
    assert audit.verify_chain() == []
    v = units.get_unit(u.id).version
    # saving the same rows again changes nothing
    units.set_staff(u, LEADERS, STAFF, SYSTEM)
    assert units.get_unit(u.id).version == v


def test_set_staff_refuses_with_every_problem_and_changes_nothing(db_path):
    u = make_unit()
    before = units.snapshot(u)
    with pytest.raises(ValidationError) as e:
        units.set_staff(u, [StaffRow("张三", "副局长", "1380013")],
                        [StaffRow("李四", "科员", "13900139000"), StaffRow("李四", "科员", "13700137000"),
                         StaffRow("", "科员", "13700137001")], SYSTEM)
    msgs = e.value.problems
    assert any(m.startswith("分管领导第1行：联系方式“1380013”") for m in msgs)
    assert any(m.startswith("工作人员第2行：姓名“李四”在工作人员中重复") for m in msgs)
    assert "工作人员第3行：未填写姓名" in msgs
    assert units.snapshot(u) == before


def test_version_conflict(db_path):
    u = make_unit()
    v = units.get_unit(u.id).version
    units.set_staff(u, LEADERS, STAFF[:1], SYSTEM, expected_version=v)
    with pytest.raises(ConflictError):
        units.set_staff(u, LEADERS, STAFF, SYSTEM, expected_version=v)
    assert len(units.get_staff(u).staff) == 1


def test_permissions(db_path):
    u = make_unit()
    with pytest.raises(PermissionDenied):
        units.set_staff(u, LEADERS, [], READER)
    with pytest.raises(PermissionDenied):
        units.add_unit("新单位", READER)


def test_functions_required_and_saved(db_path):
    u = make_unit(functions=None)
    with pytest.raises(ValidationError) as e:
        units.set_functions(u, {"full_name": "某某区民政局"}, SYSTEM)
    assert "工作职能清单：未填写联系电话" in e.value.problems
    assert units.get_functions(u) is None
    saved = units.set_functions(u, FUNCTIONS, SYSTEM)
    assert units.get_functions(u) == saved == FUNCTIONS


def test_leading_group(db_path):
    u = make_unit()
    units.set_leading_group(u, [GroupMember("member", "庄学民", "综合股负责人"),
                                GroupMember("head", "刘  冰", "党组书记、局长"),
                                ("deputy", "丁思金", "副局长、二级主任科员")], SYSTEM)
    g = units.get_leading_group(u)
    assert [(m.role, m.name) for m in g] == [("head", "刘冰"), ("deputy", "丁思金"), ("member", "庄学民")]
    with pytest.raises(ValidationError, match="组长"):
        units.set_leading_group(u, [("head", "甲", ""), ("head", "乙", "")], SYSTEM)
    assert len(units.get_leading_group(u)) == 3


def test_rename_keeps_history(db_path):
    u = make_unit()
    units.rename_unit(u, "民政和社会事务局", SYSTEM)
    assert units.get_unit(u.id).name == "民政和社会事务局"
    h = units.history(u)[-1]
    assert (h.action, h.before, h.after) == ("rename", {"name": "民政局"}, {"name": "民政和社会事务局"})
    make_unit("信访局", functions=None)
    with pytest.raises(ValidationError):
        units.rename_unit(u, "信访局", SYSTEM)


def test_merge_copies_staff_and_retires_source(db_path):
    target = make_unit("民政局")
    source = make_unit("老龄办", leaders=[StaffRow("张三", "副局长", "13800138000")],
                       staff=[StaffRow("赵六", "科员", "13600136000"), StaffRow("李四", "办公室主任", "0595-22355669")],
                       functions=None)
    units.merge_units(source, target, SYSTEM)
    src = units.get_unit(source.id)
    assert not src.active and src.merged_into_id == target.id and src.retired_at is not None
    staff = units.get_staff(target)
    assert [r.name for r in staff.leaders] == ["张三"]                  # duplicate not copied
    assert [r.name for r in staff.staff] == ["李四", "王五", "赵六"]    # appended
    assert units.get_functions(target) == FUNCTIONS                    # target keeps its Annex 2
    assert [r.name for r in units.get_staff(src).staff] == ["赵六", "李四"]  # source keeps its last return
    assert units.history(src)[-1].action == "merge"
    assert units.history(target)[-1].after["merged_from"] == "老龄办"
    assert [u.name for u in units.list_units()] == ["民政局"]
    with pytest.raises(ValidationError, match="已撤销"):
        units.set_staff(src, [], [], SYSTEM)


def test_retire_and_restore(db_path):
    u = make_unit()
    units.retire_unit(u, SYSTEM)
    assert units.list_units() == []
    assert [x.name for x in units.list_units(None)] == ["民政局"]
    assert StaffMember.select().where(StaffMember.unit == u.id).count() == 3
    units.restore_unit(u, SYSTEM)
    assert units.get_unit("民政局").active


def test_get_unit_not_found(db_path):
    with pytest.raises(NotFound, match="找不到单位"):
        units.get_unit("不存在的局")
