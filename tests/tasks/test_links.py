"""Tasks wired to the other areas: a unit's returned catalogue (issue 14) and its annual report
(issue 15) recorded as its submission inside the other area's save; the units' annual
reports collected as the requests of a task of the year, which the report-deadline cards
then show; the year's progress printed in the annual report's text."""
import datetime as dt

import openpyxl
import pytest

from gkdesk.actors import SYSTEM, Actor
from gkdesk.api import annual as annual_api
from gkdesk.api import catalogue as catalogue_api
from gkdesk.api import tasks
from gkdesk.cases import deadlines
from gkdesk.catalogue import export
from gkdesk.errors import PermissionDenied
from gkdesk.forms import units
from gkdesk.reports import annual_doc
from tests.catalogue.helpers import col_of, compiled_unit, row_of


@pytest.fixture
def clock(monkeypatch):
    c = {"today": dt.date(2026, 6, 1)}
    monkeypatch.setattr(deadlines, "today", lambda: c["today"])
    return c


def test_a_returned_catalogue_marks_the_units_request_accepted(db_path, tmp_path, clock):
    v, u, _ = compiled_unit(tmp_path)                         # 民政局
    uid = u.id
    other = units.add_unit("财政局", SYSTEM).id
    t = tasks.create_task(SYSTEM, "编制本单位政务公开事项标准目录", year=2026, kind="catalogue", deadline="2026年6月30日前")
    tasks.ask(f"#{t.id}", [uid, other], SYSTEM, what="政务公开事项标准目录")
    assert {r.unit_name: r.state for r in tasks.requests(task_id=t.id)} == {"民政局": "pending", "财政局": "pending"}

    sent = export.export_unit(v, uid, tmp_path / "民政局.xlsx")
    wb = openpyxl.load_workbook(sent)
    ws = wb["社会救助"]
    ws.cell(row_of(ws, "办事指南"), col_of(ws, "变动情况")).value = "删除"
    ws.cell(row_of(ws, "办事指南"), col_of(ws, "变动原因（删除或修改必填）")).value = "不再单独公开"
    wb.save(sent)
    clock["today"] = dt.date(2026, 6, 12)
    msg = catalogue_api.apply_return(str(sent), v, SYSTEM)
    assert "1处变化" in msg

    got = {r.unit_name: r for r in tasks.requests(task_id=t.id)}
    assert got["民政局"].state == "accepted" and got["民政局"].received_on == dt.date(2026, 6, 12)
    assert got["民政局"].filename == "民政局.xlsx"
    assert tasks.submission_file(got["民政局"].submissions[-1].id).read_bytes() == sent.read_bytes()
    assert got["财政局"].state == "pending"                   # only the unit that returned
    # returned again after acceptance: the catalogue is saved, the accepted request left alone
    ws.cell(row_of(ws, "办事指南"), col_of(ws, "变动原因（删除或修改必填）")).value = "在村务公开栏公开"
    wb.save(sent)
    assert "已保存" in catalogue_api.apply_return(str(sent), v, SYSTEM)
    assert len(tasks.requests(task_id=t.id, unit_id=uid)[0].submissions) == 1


def test_a_catalogue_return_without_a_request_saves_as_before(db_path, tmp_path, clock):
    v, u, _ = compiled_unit(tmp_path)
    uid = u.id
    sent = export.export_unit(v, uid, tmp_path / "民政局.xlsx")
    assert "无变化" in catalogue_api.apply_return(str(sent), v, SYSTEM)
    assert tasks.requests(unit_id=uid) == []


def test_collecting_annual_reports_feeds_the_deadline_cards(db_path, clock):
    a = units.add_unit("民政局", SYSTEM).id
    b = units.add_unit("财政局", SYSTEM).id
    clock["today"] = dt.date(2027, 1, 10)
    before = annual_api.report_deadlines()
    assert [d.source for d in before] == ["calendar", "calendar"] and before[0].report_year == 2026

    with pytest.raises(PermissionDenied, match="征集"):
        tasks.collect_annual_reports(2026, Actor("r", "审核员", frozenset({"reviewer"})))
    t, new = tasks.collect_annual_reports(2026, SYSTEM)
    assert t.kind == "annual_report" and len(new) == 2
    again, new2 = tasks.collect_annual_reports(2026, SYSTEM)          # once per unit, one task
    assert again.id == t.id and new2 == []
    reqs = tasks.requests(task_id=t.id)
    assert {r.due for r in reqs} == {dt.date(2027, 1, 31)} and {r.what for r in reqs} == {"政府信息公开工作年度报告"}

    f = db_path.parent / "民政局2026年报.xlsx"
    f.write_bytes(b"PK\x03\x04 report")
    tasks.receive(tasks.find_request(f"#{t.id}", a).id, SYSTEM, str(f), submitted_by="张三")
    clock["today"] = dt.date(2027, 2, 2)
    units_card, county_card = annual_api.report_deadlines()
    assert (units_card.source, units_card.task_id, units_card.due) == ("task", t.id, dt.date(2027, 1, 31))
    assert units_card.detail == "已报 1/2，逾期 1" and units_card.days_left == -2
    assert county_card.source == "task" and county_card.due == dt.date(2027, 3, 31)
    assert county_card.detail == "可依据的单位年报 0/2 份已采用"
    assert b in {r.unit_id for r in tasks.overdue()}


def test_progress_lines_are_printed_in_the_annual_report(db_path, tmp_path, clock):
    from docx import Document

    a = units.add_unit("民政局", SYSTEM).id
    b = units.add_unit("财政局", SYSTEM).id
    t = tasks.create_task(SYSTEM, "梳理规范权责清单", year=2026, number="1", deadline="2026年7月20日前")
    tasks.ask(f"#{t.id}", [a, b], SYSTEM)
    f = tmp_path / "清单.docx"
    f.write_bytes(b"PK\x03\x04 list")
    clock["today"] = dt.date(2026, 7, 18)
    tasks.receive(tasks.find_request(f"#{t.id}", a).id, SYSTEM, str(f), accept=True)
    clock["today"] = dt.date(2026, 8, 1)
    lines = tasks.progress_lines(2026)
    assert lines == ["1 梳理规范权责清单（完成时间：2026年7月20日前）：涉及2个单位，应报2项，已报送1项（其中已采用1项）；"
                     "民政局于7月18日报送落实情况；逾期未报：财政局。"]
    assert annual_doc.task_lines(2026) == lines
    out = tmp_path / "年报.docx"
    annual_doc.export(2026, out)
    body = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "民政局于7月18日报送落实情况" in body and "逾期未报：财政局" in body
    assert "本年度未登记工作任务" not in body
    assert annual_doc.task_lines(2025) == []                     # another year: the hook's own words stay


def test_a_units_annual_report_imported_is_its_submission(db_path, tmp_path, clock):
    from gkdesk import settings
    from gkdesk.reports import annual_xlsx
    from tests.reports import scenario

    scenario.build()
    settings.save({"office.name": "某某区民政局"})
    uid = units.add_unit("某某区民政局", SYSTEM).id
    other = units.add_unit("某某区财政局", SYSTEM).id
    clock["today"] = dt.date(2026, 1, 5)
    t, _ = tasks.collect_annual_reports(2025, SYSTEM, [uid, other])
    book = annual_xlsx.export(2025, tmp_path / "in" / "民政局.xlsx")
    clock["today"] = dt.date(2026, 1, 20)
    views = annual_api.sum_unit_reports(book.parent, tmp_path / "汇总.xlsx", SYSTEM, year=2025)
    assert [v.unit_name for v in views] == ["某某区民政局"] and views[0].ok
    got = {r.unit_name: r for r in tasks.requests(task_id=t.id)}
    assert got["某某区民政局"].state == "accepted" and got["某某区民政局"].received_on == dt.date(2026, 1, 20)
    assert got["某某区财政局"].state == "pending"
    assert annual_api.report_deadlines()[1].detail == "可依据的单位年报 1/2 份已采用"
