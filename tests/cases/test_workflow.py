"""The workflow service: stages, legal rules, roles, audit, read-only archive."""
import datetime as dt

import pytest

from gkdesk import audit
from gkdesk.actors import Actor, SYSTEM
from gkdesk.cases import workflow as wf
from gkdesk.db.models import Case, CaseEvent
from gkdesk.errors import ConflictError, PermissionDenied, ValidationError, WorkflowError

from .helpers import TODAY, new_case

D = dt.date
CLERK = Actor("clerk1", "王丽", frozenset({"clerk"}))
REVIEWER = Actor("rev", "陈审核", frozenset({"reviewer"}))
LEADER = Actor("lead", "林领导", frozenset({"leader"}))
ADMIN = Actor("admin", "管理员", frozenset({"admin"}))


def go(case, code, actor=SYSTEM, today=TODAY, **kw):
    return wf.perform(case.id, code, actor, today=today, **kw)


def test_walk_from_registration_to_archive_with_every_event(db_path, tmp_path):
    c = new_case()
    assert c.stage == "registered" and c.due_date == D(2026, 10, 29)
    c = go(c, "accept", REVIEWER, section="综合股", handler="王丽")
    c = go(c, "reply", LEADER, outcome="disclosed", reply_date=D(2026, 10, 20),
           provided_description="提供补偿方案复印件一份")
    assert c.stage == "replied" and c.outcome == "disclosed"
    assert "第三十六条第二项" in c.outcome_articles
    c = go(c, "deliver", CLERK, method="post", delivery_date=D(2026, 10, 23), tracking_number="EA123CN")
    with pytest.raises(WorkflowError, match="缺少答复书"):
        go(c, "archive", CLERK)
    scan = tmp_path / "reply.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    from gkdesk.cases.registry import add_attachment

    add_attachment(c, str(scan), "clerk1", kind="reply_letter")
    c = go(c, "archive", CLERK, archive_date=D(2026, 11, 2))
    assert c.stage == "archived" and c.archive_number == "归档〔2026〕1号" and c.retention_period == "10年"
    actions = [e.action for e in wf.timeline(c)]
    assert actions == ["register", "accept", "reply", "deliver", "attach", "archive"]
    ev = CaseEvent.select().where(CaseEvent.action == "accept").get()
    assert ev.user == "rev" and ev.from_stage == "registered" and ev.to_stage == "handling"
    assert ev.details["changes"]["handler"] == ["", "王丽"]
    assert audit.verify_chain() == []


def test_archived_case_is_read_only_until_an_admin_reopens_it(db_path, tmp_path):
    c = new_case()
    c = go(c, "reply_on_spot", CLERK, outcome="disclosed_proactive", reply_date=D(2026, 9, 24),
           provided_description="已在区政府网站主动公开，网址……")
    c = go(c, "deliver", CLERK, method="electronic", delivery_date=D(2026, 9, 24))
    c = go(c, "archive", CLERK, archive_date=D(2026, 9, 30))
    with pytest.raises(WorkflowError, match="已归档"):
        go(c, "deliver", CLERK, method="post", delivery_date=D(2026, 9, 30), tracking_number="x")
    with pytest.raises(PermissionDenied, match="管理员"):
        go(c, "reopen", CLERK, reason="补充材料")
    with pytest.raises(ValidationError, match="理由"):
        go(c, "reopen", ADMIN)
    c = go(c, "reopen", ADMIN, reason="补充送达回证")
    assert c.stage == "delivered"
    assert wf.timeline(c)[-1].summary == "管理员重新打开：补充送达回证"


def test_wrong_role_is_refused_by_the_service(db_path):
    c = new_case()
    with pytest.raises(PermissionDenied, match="审核人"):
        go(c, "accept", CLERK, section="综合股", handler="王丽")
    c = go(c, "accept", REVIEWER, section="综合股", handler="王丽")
    with pytest.raises(PermissionDenied, match="分管领导"):
        go(c, "reply", CLERK, outcome="not_held", reply_date=TODAY)
    with pytest.raises(PermissionDenied):
        go(c, "extend", REVIEWER, working_days=5, reason="x", notice_date=TODAY)
    assert Case.get_by_id(c.id).stage == "handling"
    assert [a.code for a in wf.available_actions(c, CLERK)] == ["consult", "fee_notice", "withdraw"]


def test_correction_notice_must_come_within_seven_working_days_and_only_once(db_path):
    c = new_case(received=D(2026, 9, 24))
    # 28,29,30 Sep, 8, 9, 10 (Sat, worked), 12 Oct = 7 working days: still allowed on 12 Oct;
    # 14 Oct is the 9th working day → 2 too many.
    with pytest.raises(WorkflowError, match="补正告知须在收到申请后7个工作日内发出，本案已超过2个工作日"):
        go(c, "correction_notice", what_to_add="请明确文号", notice_date=D(2026, 10, 14),
           period_end=D(2026, 10, 30))
    c = go(c, "correction_notice", what_to_add="请明确文号", notice_date=D(2026, 10, 12),
           period_end=D(2026, 10, 27))
    assert c.stage == "correcting"
    c = go(c, "correction_received", received_date=D(2026, 10, 20))
    assert c.stage == "registered" and c.clock_start == D(2026, 10, 20)
    # 21,22,23,26–30 (8), 2–6 Nov (13), 9–13 (18), 16, 17 Nov (20)
    assert c.due_date == D(2026, 11, 17)
    assert "correction_notice" not in [a.code for a in wf.available_actions(c, SYSTEM)]
    with pytest.raises(WorkflowError, match="只能发出一次"):
        go(c, "correction_notice", what_to_add="x", notice_date=D(2026, 10, 21), period_end=D(2026, 10, 30))


def test_correction_abandoned_only_after_the_period(db_path):
    c = new_case(received=D(2026, 11, 2))
    c = go(c, "correction_notice", what_to_add="请明确文号", notice_date=D(2026, 11, 4), period_end=D(2026, 11, 18),
           today=D(2026, 11, 4))
    with pytest.raises(WorkflowError, match="尚未届满"):
        go(c, "correction_abandon", today=D(2026, 11, 18))
    c = go(c, "correction_abandon", today=D(2026, 11, 20), reply_date=D(2026, 11, 20))
    assert c.stage == "replied" and c.outcome == "no_correction"


def test_consultation_pauses_and_extension_adds_once(db_path):
    c = new_case(received=D(2026, 9, 24))
    c = go(c, "accept", section="综合股", handler="王丽")
    c = go(c, "consult", kind="third_party", party="某公司", information="合同", sent_date=D(2026, 10, 12))
    assert c.paused
    cons = c.consultations[0]
    # 15 working days from Mon 12 Oct: 13–16 (4), 19–23 (9), 26–30 (14), 2 Nov (15)
    assert cons.answer_due == D(2026, 11, 2)
    with pytest.raises(WorkflowError, match="征求意见尚未答复"):
        go(c, "reply", outcome="disclosed", provided_description="x")
    c = go(c, "consult_answer", consultation_id=cons.id, answer_date=D(2026, 10, 16), answer="不同意", objects=True)
    # 12–16 Oct (5 working days) do not count: 29 Oct + 5 → 30 Oct, 2, 3, 4, 5 Nov
    assert not c.paused and c.due_date == D(2026, 11, 5)
    with pytest.raises(WorkflowError, match="已经超过期限"):
        go(c, "extend", working_days=10, reason="检索", notice_date=D(2026, 11, 6))
    c = go(c, "extend", working_days=10, reason="检索档案", notice_date=D(2026, 11, 5))
    assert c.due_date == D(2026, 11, 19)
    assert c.extensions[0].approver == "system"
    with pytest.raises(WorkflowError, match="只能延长一次"):
        go(c, "extend", working_days=5, reason="again", notice_date=D(2026, 11, 6))
    with pytest.raises(ValidationError, match="理由"):
        go(c, "reply", outcome="third_party", reply_date=D(2026, 11, 18))
    c = go(c, "reply", outcome="third_party", reply_date=D(2026, 11, 18), outcome_reason="第三方不同意公开")
    assert c.outcome == "third_party" and "第十五条" in c.outcome_articles


def test_fee_notice_pause_payment_and_abandonment(db_path):
    c = new_case(received=D(2026, 9, 24))
    c = go(c, "accept", section="综合股", handler="王丽")
    c = go(c, "fee_notice", method="per_volume", quantity=2219, notice_date=D(2026, 10, 9))
    fee = c.fees[0]
    assert fee.amount == 83460 and "合计83460元" in fee.computation
    # pay within 20 working days from the day after receipt (9 Oct): 10 (Sat, worked), 12–16,
    # 19–23, 26–30 (16), 2, 3, 4, 5 Nov (20) → 5 Nov
    assert fee.pay_by == D(2026, 11, 5)
    assert c.paused
    with pytest.raises(WorkflowError, match="尚未届满"):
        go(c, "fee_abandon", today=D(2026, 11, 5))
    c = go(c, "fee_abandon", today=D(2026, 11, 6), reply_date=D(2026, 11, 6))
    assert c.outcome == "fee_unpaid" and c.stage == "replied"


def test_per_item_fee_counts_the_applicants_calendar_month(db_path):
    a = new_case(received=D(2026, 10, 8), name="赵六", content="申请公开甲项目全部审批文件")
    b = new_case(received=D(2026, 10, 9), name="赵六", content="申请公开乙项目全部审批文件")
    for c in (a, b):
        go(c, "accept", section="综合股", handler="王丽")
    go(a, "fee_notice", method="per_item", quantity=25, notice_date=D(2026, 10, 12))
    b = go(b, "fee_notice", method="per_item", quantity=10, notice_date=D(2026, 10, 20))
    # items 26–30 at 100 元, 31–35 at 200 元 → 1,500 元
    assert b.fees[0].amount == 1500


def test_not_request_withdrawal_and_excessive(db_path):
    c = new_case()
    c = go(c, "not_request", outcome="petition", reply_date=D(2026, 9, 25), outcome_reason="请向信访部门反映")
    assert c.outcome == "petition" and c.stage == "replied"
    c2 = new_case(received=D(2026, 11, 2))
    c2 = go(c2, "excessive", custom_due_date=D(2027, 1, 29), reason="一个月内申请120件", today=D(2026, 11, 4))
    assert c2.due_date == D(2027, 1, 29)
    c2 = go(c2, "withdraw", today=D(2026, 11, 5), reply_date=D(2026, 11, 5))
    assert c2.outcome == "other" and c2.outcome_reason == "申请人撤回申请"


def test_delivery_rules(db_path):
    c = new_case()
    c = go(c, "reply_on_spot", outcome="not_held", reply_date=D(2026, 9, 24))
    with pytest.raises(ValidationError, match="邮件号"):
        go(c, "deliver", method="post", delivery_date=D(2026, 9, 28))
    with pytest.raises(ValidationError, match="见证人"):
        go(c, "deliver", method="left", delivery_date=D(2026, 9, 28))
    with pytest.raises(ValidationError, match="不能早于答复日期"):
        go(c, "deliver", method="direct", delivery_date=D(2026, 9, 20))
    c = go(c, "deliver", method="left", delivery_date=D(2026, 9, 28), witnesses="张某、李某")
    with pytest.raises(WorkflowError, match="送达回证"):
        go(c, "archive")


def test_proceedings_are_recorded_even_after_archive(db_path):
    c = new_case()
    c = go(c, "reply_on_spot", outcome="not_held", reply_date=D(2026, 9, 24))
    c = go(c, "deliver", method="electronic", delivery_date=D(2026, 9, 25))
    c = go(c, "archive", archive_date=D(2026, 9, 30))
    c = go(c, "proceeding_add", kind="reconsideration", filed_date=D(2026, 10, 20), body="某某区人民政府")
    p = c.proceedings[0]
    c = go(c, "proceeding_result", proceeding_id=p.id, result="upheld", result_date=D(2026, 11, 16))
    assert c.proceedings[0].result == "upheld" and c.stage == "archived"


def test_optimistic_version_check(db_path):
    c = new_case()
    v = c.version
    go(c, "accept", section="综合股", handler="王丽")
    with pytest.raises(ConflictError, match="已被他人修改"):
        wf.perform(c.id, "assign", SYSTEM, expected_version=v, today=TODAY, section="x", handler="y")


def test_similar_requests_are_flagged(db_path):
    a = new_case(received=D(2026, 9, 1), content="申请公开泉港区某某路拆迁补偿方案")
    go(a, "reply_on_spot", outcome="disclosed", reply_date=D(2026, 9, 1), provided_description="x")
    new_case(received=D(2026, 9, 2), name="李四", content="申请公开泉港区某某路拆迁补偿方案")
    found = wf.similar_cases("张三", "", "请公开泉港区某某路的拆迁补偿方案")
    assert [f.number for f in found] == [a.number]
    assert wf.similar_cases("张三", "", "申请公开2025年财政预算") == []


def test_required_inputs_named_in_errors(db_path):
    c = new_case()
    with pytest.raises(ValidationError) as e:
        go(c, "accept")
    assert "承办股室：必须填写" in str(e.value) and "承办人：必须填写" in str(e.value)
    with pytest.raises(ValidationError, match="日期格式"):
        go(c, "correction_notice", what_to_add="x", period_end="2026-13-01")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        go(c, "reply_on_spot", outcome="not_held", reply_date=D(2026, 12, 1))


def test_no_attachment_on_an_archived_case_and_timeline_shows_display_names(db_path, tmp_path):
    from gkdesk.auth import create_user  # users are the reliability area's; display names come from them
    from gkdesk.cases.registry import add_attachment

    c = new_case()
    c = go(c, "reply_on_spot", CLERK, outcome="not_held", reply_date=D(2026, 9, 24))
    c = go(c, "deliver", CLERK, method="electronic", delivery_date=D(2026, 9, 25))
    c = go(c, "archive", CLERK, archive_date=D(2026, 9, 30))
    f = tmp_path / "late.pdf"
    f.write_bytes(b"%PDF late")
    with pytest.raises(WorkflowError, match="已归档"):
        add_attachment(c, str(f), "clerk1", kind="other")
    with pytest.raises(ValidationError, match="材料类别"):
        add_attachment(c, str(f), "clerk1", kind="nonsense")
    assert [e.user for e in wf.timeline(c)][:2] == ["clerk1", "clerk1"]
    create_user(None, "clerk1", "王丽", ["admin", "clerk"], "a-long-password-1")
    assert [e.user for e in wf.timeline(c)][:2] == ["王丽", "王丽"]
