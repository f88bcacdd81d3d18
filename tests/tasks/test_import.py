"""Every task, unit list and deadline of the three seed tables, read from .xlsx and .docx
laid out as offices paste them; unmatched phrases asked about; a broken file changes nothing."""
import datetime as dt

import pytest

from gkdesk.actors import SYSTEM
from gkdesk.db.models import CaseEvent, Unit
from gkdesk.db.tasks_models import Request, Task, TaskUnit
from gkdesk.errors import ImportError_, ValidationError
from gkdesk.tasks import service, unitphrase

from .helpers import UNITS_000, UNITS_001, UNITS_003, make_fixtures, make_units, seed_tables


def _expected_items(rows):
    out, no, title = [], "", ""
    for r in rows:
        if r is None:
            continue
        if r[0]:
            no, title = r[0], r[1]
        item_no, item = r[2][:r[2].index("）") + 1], r[2][r[2].index("）") + 1:]
        out.append((no, item_no, title, item, r[3], r[4], r[5]))
    return out


@pytest.mark.parametrize("name", ["000.xlsx", "000.docx"])
def test_000_every_item(db_path, tmp_path, name):
    ids = make_units(UNITS_000)
    path = make_fixtures.ALL[name](tmp_path / name)
    pv = service.preview_import(path)
    assert pv.year == 2020
    want = _expected_items(seed_tables.ROWS_000)
    assert len(pv.rows) == 18
    for row, (no, item_no, title, item, resp, guide, deadline) in zip(pv.rows, want):
        assert (row.number, row.item_number, row.title, row.item) == (no, item_no, title, item)
        assert row.deadline_text == deadline
        assert set(row.responsible) == ({n for n, k in UNITS_000 if k in ("section", "subordinate")}
                                        if resp == "各股室" else set(unitphrase.split(resp)))
        assert set(row.guide) == set(unitphrase.split(guide)), guide
        assert not row.unresolved
    assert pv.rows[4].guide == ("宣传部", "政府办", "网信办", "工信局")
    assert pv.rows[6].guide == ("工信局", "行政服务中心管委会")          # a name broken over two lines
    assert pv.rows[3].guide == ("政府办", "市场监管局")
    assert [r.due for r in pv.rows[:4]] == [dt.date(2020, 7, 20)] * 2 + [dt.date(2020, 10, 20), dt.date(2020, 10, 31)]
    assert pv.rows[6].due is None and pv.rows[6].due_label == "无固定期限"     # 长期
    assert pv.rows[4].due == dt.date(2021, 12, 31)
    assert not pv.unresolved
    # guiding units guide, they owe nothing: requests go to the responsible sections
    task_ids = service.save_import(path, SYSTEM)
    assert len(task_ids) == 18
    owed = {(r.task.item_number, r.unit.name) for r in Request.select().join(Task)}
    assert ("（1）", "审批股") in owed and ("（1）", "编办") not in owed
    assert {u.name for u in Unit.select().join(Request).join(Task).where(Task.item_number == "（10）")} == \
        {"审批股", "文化股", "综合股", "旅游股", "体育股", "图书馆"}               # 各股室
    assert TaskUnit.select().where(TaskUnit.role == "guide").count() == sum(
        len(unitphrase.split(r[4])) for r in seed_tables.ROWS_000)
    assert len(ids) == Unit.select().count()


@pytest.mark.parametrize("name", ["003.docx", "003.xlsx"])
def test_003_two_tables_lead_and_co_units(db_path, tmp_path, name):
    make_units(UNITS_003)
    path = make_fixtures.ALL[name](tmp_path / name)
    pv = service.preview_import(path)
    want = _expected_items(seed_tables.ROWS_003)
    assert len(pv.rows) == 16 == len(want)
    sections = {n for n, k in UNITS_003}
    for row, (no, item_no, title, item, lead, co, deadline) in zip(pv.rows, want):
        assert (row.number, row.item_number, row.title, row.item, row.deadline_text) == \
            (no, item_no, title, item, deadline)
        assert row.lead == tuple(unitphrase.split(lead))
        expect_co = sections if co == "局各股室（中队、站）" else {co}
        assert set(row.responsible) == expect_co
    assert pv.rows[7].lead == ("运管股（政策法规股）",)
    assert [r.due_label for r in pv.rows[4:7]] == ["2021年12月31日", "2021年12月31日", "无固定期限"]


@pytest.mark.parametrize("name", ["001.docx", "001.xlsx"])
def test_001_headings_numbers_lead_units_and_the_kind_phrase(db_path, tmp_path, name):
    make_units(UNITS_001)
    path = make_fixtures.ALL[name](tmp_path / name)
    pv = service.preview_import(path, default_due="2018年12月1日前")
    assert pv.year == 2018
    tasks = [r for r in seed_tables.ROWS_001 if r[0][:1].isdigit()]
    assert len(pv.rows) == 40 == len(tasks)
    everyone = {n for n, _ in UNITS_001}
    for row, (cell, lead, resp, req) in zip(pv.rows, tasks):
        no, title = cell.split(".", 1)
        assert (row.number, row.title) == (no, title.strip())
        assert row.lead == tuple("区" + x if not x.startswith("区") else x for x in lead.split()) or \
            row.lead == tuple(lead.split())
        assert row.responsible_text == resp and row.requirement == req
        assert set(row.responsible) | set(row.lead) == everyone | set(row.lead)
        assert set(row.responsible) == everyone
    first = pv.rows[0]
    assert first.heading == "一、着力加强公开解读回应工作\n(一) 围绕建设法治政府全面推进政务公开"
    assert pv.rows[34].heading.startswith("四、着力推进政务公开制度化规范化\n(十一)")
    assert pv.rows[4].lead == ("区市场监督管理局", "区审改办")
    assert pv.rows[26].lead == ("区审改办", "区经信局", "区行政服务中心管委会")
    # deadlines: the requirement's own date, a yearly duty, else the covering notice's date
    assert (pv.rows[37].due, pv.rows[37].due_source) == (dt.date(2018, 12, 31), "工作要求")
    assert pv.rows[10].due_kind == "recurring"                   # 每年至少 1 次
    assert pv.rows[25].due_source == "默认"                        # 「1 个工作日内」 is a duty, not the deadline
    assert {r.due for r in pv.rows if r.due_source == "默认"} == {dt.date(2018, 12, 1)}
    assert not pv.unresolved


def test_phrase_without_units_of_its_kind_is_asked_and_mapping_answers(db_path, tmp_path):
    spec = [u for u in UNITS_001 if u[1] != "enterprise"]
    make_units(spec)
    path = make_fixtures.write_001_docx(tmp_path / "001.docx")
    pv = service.preview_import(path)
    pieces = {(u.piece, u.role) for u in pv.unresolved}
    assert pieces == {("区属各国有企业", "responsible"), ("区属国有企业", "responsible")}
    assert all(u.kinds == ("enterprise",) and "国有企业" in u.why for u in pv.unresolved)
    assert len([u for u in pv.unresolved if u.piece == "区属各国有企业"][0].tasks) == 37
    dept = Unit.get(Unit.name == "区财政局").id
    pv2 = service.preview_import(path, mapping={"区属各国有企业": [], "区属国有企业": [dept]})
    assert not pv2.unresolved


def test_unknown_named_unit_asked_then_created(db_path, tmp_path):
    make_units([u for u in UNITS_000 if u[0] != "宣传部"])
    path = make_fixtures.write_000_xlsx(tmp_path / "000.xlsx")
    pv = service.preview_import(path)
    assert [(u.piece, u.role, u.kinds) for u in pv.unresolved] == [("宣传部", "guide", ())]
    service.save_import(path, SYSTEM, create_units=True)
    assert Unit.get(Unit.name == "宣传部").kind == "department"
    assert TaskUnit.select().join(Unit).where(Unit.name == "宣传部").count() == 2


def _state():
    return (Task.select().count(), Request.select().count(), TaskUnit.select().count(), Unit.select().count(),
            CaseEvent.select().count())


@pytest.mark.parametrize("content,match", [
    (b"not a workbook at all", "不是 .xlsx 或 .docx"),
    (b"PK\x03\x04garbage-zip", "无法(作为|打开)"),
])
def test_broken_file_changes_nothing(db_path, tmp_path, content, match):
    make_units(UNITS_000)
    before = _state()
    for suffix in (".xlsx", ".docx"):
        bad = tmp_path / f"bad{suffix}"
        bad.write_bytes(content)
        with pytest.raises(ImportError_, match=match):
            service.save_import(bad, SYSTEM)
    assert _state() == before


def test_table_without_header_or_tasks_changes_nothing(db_path, tmp_path):
    import openpyxl

    make_units(UNITS_000)
    before = _state()
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "职务"])
    wb.active.append(["张三", "科员"])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(ImportError_, match="没有找到任务分解表"):
        service.save_import(tmp_path / "x.xlsx", SYSTEM)
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "工作任务", "具体事项", "责任股室", "完成时间"])
    wb.save(tmp_path / "empty.xlsx")
    with pytest.raises(ImportError_, match="没有任务行"):
        service.save_import(tmp_path / "empty.xlsx", SYSTEM, year=2026)
    # the same table twice is refused, the first import kept whole
    good = make_fixtures.write_000_xlsx(tmp_path / "000.xlsx")
    service.save_import(good, SYSTEM)
    after_first = _state()
    with pytest.raises(ValidationError, match="已导入过"):
        service.save_import(good, SYSTEM)
    assert _state() == after_first
    assert before != after_first
