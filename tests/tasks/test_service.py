"""Requests and their states with the clock fixed; receipts with files that survive a
restart and a backup/restore; 催报/督办 letters naming exactly the late pairs; the summary."""
import datetime as dt
import subprocess

import openpyxl
import pytest

from gkdesk.actors import SYSTEM, Actor
from gkdesk.cases import deadlines
from gkdesk.errors import PermissionDenied, ValidationError, WorkflowError
from gkdesk.tasks import letters, service, summary

from .helpers import UNITS_000, make_fixtures, make_units


def pdftext(data_or_path) -> str:
    if isinstance(data_or_path, bytes):
        r = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data_or_path, capture_output=True, check=True)
    else:
        r = subprocess.run(["pdftotext", "-layout", str(data_or_path), "-"], capture_output=True, check=True)
    return r.stdout.decode("utf-8")


@pytest.fixture
def office(db_path, tmp_path, monkeypatch):
    """The 文体旅局 table imported on 2020-07-16; the clock is then moved by ``at``."""
    ids = make_units(UNITS_000)
    path = make_fixtures.write_000_xlsx(tmp_path / "000.xlsx")
    clock = {"today": dt.date(2020, 7, 16)}
    monkeypatch.setattr(deadlines, "today", lambda: clock["today"])
    service.save_import(path, SYSTEM)

    def at(day):
        clock["today"] = day
    return ids, at, tmp_path


def _pairs(views):
    return sorted(((v.task_label.split()[0], v.unit_name) for v in views), key=lambda p: (len(p[0]), p))


def test_states_from_dates_and_the_exact_overdue_list(office):
    ids, at, tmp = office
    f = tmp / "清单.docx"
    f.write_bytes(b"PK\x03\x04 the list")
    r1 = service.find_request("1（1）", "审批股")
    assert r1.state == "pending" and r1.due == dt.date(2020, 7, 20)
    at(dt.date(2020, 7, 18))
    service.receive(r1.id, SYSTEM, str(f), received_on=dt.date(2020, 7, 18), submitted_by="庄桂卿")
    at(dt.date(2020, 7, 21))
    # due 7-20 and 7-31 (（18）); on 7-21 only the two of task 1 are due: 审批股 handed in （1）
    late = service.overdue()
    assert _pairs(late) == [("1（2）", "审批股")]
    assert late[0].days_late == 1 and late[0].state_label == "逾期"
    assert service.get_request(r1.id).state == "submitted"
    v = service.send_back(r1.id, "清单缺少事项编码", SYSTEM)
    assert (v.state, v.overdue, v.state_label, v.reason) == ("returned", True, "退回（已逾期）", "清单缺少事项编码")
    assert _pairs(service.overdue()) == [("1（1）", "审批股"), ("1（2）", "审批股")]
    with pytest.raises(WorkflowError, match="已退回"):
        service.accept(r1.id, SYSTEM)
    service.receive(r1.id, SYSTEM, str(f), received_on=dt.date(2020, 7, 21))
    v = service.accept(r1.id, SYSTEM)
    assert v.state == "accepted" and v.state_label == "已采用（逾期报送）" and len(v.submissions) == 2
    at(dt.date(2020, 8, 3))
    assert _pairs(service.overdue()) == [("1（2）", "审批股"), ("10（18）", "综合股")]
    d = service.dashboard()
    assert (d.overdue, d.returned) == (2, 0)
    at(dt.date(2020, 10, 19))
    assert service.dashboard().due_this_week == 1          # （3） 10-20 文化股; （4） 10-31 is next week
    owes = service.unit_owes("综合股")
    assert owes.overdue == 1 and owes.requests[0].overdue and owes.open == len(owes.requests)
    assert [v.state for v in owes.requests].count("overdue") == 1


def test_roles_and_bad_input(office):
    ids, at, tmp = office
    r = service.find_request("1（1）", "审批股")
    viewer = Actor("guest", "访客", frozenset({"reviewer"}))
    with pytest.raises(PermissionDenied):
        service.receive(r.id, viewer, None)
    with pytest.raises(ValidationError, match="退回原因"):
        service.send_back(r.id, "  ", SYSTEM)
    with pytest.raises(ValidationError, match="找不到文件"):
        service.receive(r.id, SYSTEM, str(tmp / "nope.pdf"))
    with pytest.raises(ValidationError, match="今天之后"):
        service.receive(r.id, SYSTEM, None, received_on=dt.date(2020, 8, 1))
    with pytest.raises(ValidationError, match="无法识别"):
        service.ask("1（1）", [ids["审批股"]], SYSTEM, what="实施方案", due="看情况")


def test_ask_by_working_days_and_quarterly(office):
    ids, at, tmp = office
    t = service.create_task(SYSTEM, "报送新媒体核查名单", year=2020)
    new = service.ask(f"#{t.id}", [ids["综合股"]], SYSTEM, what="新媒体核查名单", due="5个工作日内",
                      asked_on=dt.date(2020, 9, 28))
    v = service.get_request(new[0])
    assert v.due == dt.date(2020, 10, 12)        # National Day week: 9-29, 9-30, 10-9 (Sat, 调休), 10-10?, 10-12
    q = service.ask(f"#{t.id}", [ids["文化股"]], SYSTEM, what="工作进展", due="每季度")
    assert [service.get_request(i).period for i in q] == ["第一季度", "第二季度", "第三季度", "第四季度"]
    assert service.ask(f"#{t.id}", [ids["文化股"]], SYSTEM, what="工作进展", due="每季度") == []


def test_receipt_survives_restart_and_backup_restore(office, monkeypatch):
    from gkdesk import backup
    from gkdesk.db import close_database, current, open_database
    from gkdesk.integrity import run_check

    ids, at, tmp = office
    monkeypatch.setenv("GKDESK_DATA_DIR", str(tmp / "data"))
    f = tmp / "落实情况.pdf"
    f.write_bytes(b"%PDF-1.4 " + "审批股落实情况".encode() * 200)
    r = service.find_request("1（1）", "审批股")
    v = service.receive(r.id, SYSTEM, str(f), received_on=dt.date(2020, 7, 16), submitted_by="庄桂卿")
    sub = v.submissions[-1]
    path = current().path
    close_database()
    open_database(path)
    again = service.get_request(r.id)
    assert again.submissions[-1].sha256 == sub.sha256 and again.submitted_by == "庄桂卿"
    stored = service.submission_file(sub.id)
    assert stored.read_bytes() == f.read_bytes()
    assert run_check().ok
    b = backup.create_backup(kind="manual")
    service.accept(r.id, SYSTEM)
    stored.unlink()
    close_database()
    result = backup.restore(b.path, path)
    open_database(path)
    backup.record_restore(result)
    back = service.get_request(r.id)
    assert back.state == "submitted" and back.submissions[-1].sha256 == sub.sha256
    assert service.submission_file(sub.id).read_bytes() == f.read_bytes()


def test_reminder_letters_name_exactly_the_late_pairs(office):
    ids, at, tmp = office
    f = tmp / "a.pdf"
    f.write_bytes(b"x")
    service.receive(service.find_request("1（1）", "审批股").id, SYSTEM, str(f), received_on=dt.date(2020, 7, 16))
    at(dt.date(2020, 8, 3))
    late = service.overdue()
    assert _pairs(late) == [("1（2）", "审批股"), ("10（18）", "综合股")]
    out = tmp / "letters"
    issued = letters.issue_letters(SYSTEM, folder=out)
    assert [(x.kind, x.unit_name) for x in issued] == [("reminder", "审批股"), ("reminder", "综合股")]
    assert issued[0].number == "某政办催〔2020〕1号" or issued[0].number.endswith("催〔2020〕1号")
    text = {x.unit_name: pdftext(out / x.path.split("/")[-1]) for x in issued}
    assert "催报通知" in text["审批股"] and "审批股：" in text["审批股"]
    assert "1（2）" in text["审批股"] and "梳理规范公共服" in text["审批股"] and "2020-07-20" in text["审批股"]
    assert "1（1）" not in text["审批股"]                                # handed in: not named
    assert "10（18）" not in text["审批股"] and "10（18）" in text["综合股"] and "指定实施" in text["综合股"]
    assert "1（2）" not in text["综合股"] and "以下1项" in text["综合股"]
    assert "特此通知。" in text["综合股"]
    # a week later still nothing: 督办通知 naming the earlier 催报通知
    at(dt.date(2020, 8, 10))
    second = letters.issue_letters(SYSTEM, unit="综合股", folder=out)
    assert [(x.kind, x.unit_name) for x in second] == [("supervision", "综合股")]
    t2 = pdftext(out / second[0].path.split("/")[-1])
    assert "督办通知" in t2 and issued[1].number in "".join(t2.split()) and "10（18）" in t2 and "1（2）" not in t2
    lst = pdftext(letters.leader_list_pdf())
    assert "2个单位、2项逾期" in lst and "审批股" in lst and "综合股" in lst
    assert [d["number"] for d in letters.letters_of(ids["综合股"])] == [second[0].number, issued[1].number]
    subprocess.run(["pdffonts", str(out / second[0].path.split("/")[-1])], check=True, capture_output=True)


def test_no_late_unit_no_letter(office):
    with pytest.raises(ValidationError, match="没有逾期"):
        letters.issue_letters(SYSTEM)


def test_summary_xlsx_and_pdf(office):
    ids, at, tmp = office
    f = tmp / "a.pdf"
    f.write_bytes(b"x")
    r = service.find_request("1（1）", "审批股")
    service.receive(r.id, SYSTEM, str(f), received_on=dt.date(2020, 7, 16), submitted_by="庄桂卿", accept=True)
    at(dt.date(2020, 8, 3))
    path = summary.write_xlsx(tmp / "sum.xlsx", 2020)
    wb = openpyxl.load_workbook(path)
    ws = wb[summary.SHEET_DETAIL]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    n_requests = len(service.request_views(year=2020))
    assert len(rows) == n_requests
    first = next(r for r in rows if r[1] == "1（1）")
    assert first[5] == "审批股" and first[8] == "已采用" and first[9] == "2020-07-16" and first[10] == "庄桂卿"
    assert ws.page_setup.fitToWidth == 1
    by_unit = {r[1]: r for r in ([c.value for c in row] for row in wb[summary.SHEET_UNITS].iter_rows(min_row=2))}
    assert by_unit["综合股"][2] == 1          # 逾期 column
    text = pdftext(summary.pdf_bytes(2020))
    assert "2020年工作任务落实情况" in text and "已采用" in text and "审批股" in text


def test_api_another_area_asks_for_annual_reports(db_path, tmp_path, monkeypatch):
    """How the annual-report area builds on this: a task of kind annual_report, every unit asked."""
    import dataclasses

    from gkdesk.api import tasks as api

    ids = make_units(UNITS_000[:3])
    monkeypatch.setattr(deadlines, "today", lambda: dt.date(2027, 1, 10))
    t = api.create_task(SYSTEM, "2026年政府信息公开工作年度报告", year=2026, kind="annual_report",
                        deadline="2027年1月31日前")
    new = api.ask(f"#{t.id}", list(ids.values()), SYSTEM, what="政府信息公开工作年度报告")
    assert len(new) == 3
    rs = api.requests(task_id=t.id)
    assert {r.due for r in rs} == {dt.date(2027, 1, 31)} and {r.state for r in rs} == {"pending"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        rs[0].state = "accepted"
    f = tmp_path / "report.docx"
    f.write_bytes(b"PK\x03\x04 report")
    r = api.receive(rs[0].id, SYSTEM, str(f), submitted_by="联络员")
    assert r.state == "submitted" and api.submission_file(r.submissions[-1].id).read_bytes() == f.read_bytes()
    assert api.list_tasks(kind="annual_report")[0].counts == {"submitted": 1, "pending": 2}
