"""Review of a new application: accept, correction, not-a-request, Art. 35 deadline.

Each action is one registered unit: its ``ActionSpec``, its precondition (why it is not legal
now, or None) and ``apply(case, values, actor, today) -> (summary, details)``, which changes the
case row in place; ``workflow.perform`` (the engine) checks, saves, recomputes and audits."""
from __future__ import annotations

from gkdesk.cases.actions._common import DATE, TODAY, cal, close, not_before, not_future, outcome_choices
from gkdesk.cases.actions.spec import ActionSpec, FieldSpec, action
from gkdesk.db.models import Correction
from gkdesk.domain import outcomes as oc
from gkdesk.domain import rules
from gkdesk.errors import ValidationError, WorkflowError


@action(ActionSpec("accept", "审核通过，转办理", ("reviewer",), ("registered",), (
        FieldSpec("section", "承办股室"),
        FieldSpec("handler", "承办人"),
    ), help="申请内容明确、属于本机关的政府信息公开申请，交承办股室办理"))
def _accept(case, v, actor, today):
    case.section, case.handler = v["section"], v["handler"]
    case.stage = "handling"
    return f"审核通过，交{v['section']}{v['handler']}办理", None


def _pre_correction_notice(case, today):
    if list(case.corrections):
        return "补正告知只能发出一次（条例第三十条）"
    return None


@action(ActionSpec("correction_notice", "发出补正告知", ("clerk", "reviewer"), ("registered",), (
        FieldSpec("notice_date", "告知日期", DATE, default=TODAY),
        FieldSpec("what_to_add", "需要补正的事项", "multiline"),
        FieldSpec("period_end", "补正期限（截止日期）", DATE),
    ), help="条例第三十条：收到申请之日起7个工作日内一次性告知"), precondition=_pre_correction_notice)
def _correction_notice(case, v, actor, today):
    c = cal()
    notice = v["notice_date"]
    not_future(notice, "告知日期", today)
    not_before(notice, case.received_date, "告知日期", "收到申请日期")
    used = c.working_days_between(case.received_date, notice)
    limit = rules.CORRECTION_NOTICE_WORKING_DAYS
    if used > limit:
        raise WorkflowError(f"补正告知须在收到申请后{limit}个工作日内发出，本案已超过{used - limit}个工作日"
                            "（可按实际情况作出答复）")
    if v["period_end"] <= notice:
        raise ValidationError("补正期限（截止日期）：应晚于告知日期", "补正期限（截止日期）")
    Correction.create(case=case, notice_date=notice, what_to_add=v["what_to_add"], period_end=v["period_end"])
    case.stage = "correcting"
    return f"发出补正告知，补正期限至{v['period_end'].isoformat()}", None


@action(ActionSpec("correction_received", "收到补正后的申请", ("clerk", "reviewer"), ("correcting",), (
        FieldSpec("received_date", "收到补正日期", DATE, default=TODAY),
    ), help="答复期限自收到补正后的申请之日起重新计算"))
def _correction_received(case, v, actor, today):
    corr = case.corrections.order_by(Correction.id.desc()).first()
    received = v["received_date"]
    not_future(received, "收到补正日期", today)
    not_before(received, corr.notice_date, "收到补正日期", "补正告知日期")
    corr.received_date = received
    corr.save()
    case.clock_start = received
    case.stage = "registered"
    return f"收到补正后的申请，答复期限自{received.isoformat()}起重新计算", None


def _pre_correction_abandon(case, today):
    corr = case.corrections.order_by(Correction.id.desc()).first()
    if corr and today <= corr.period_end:
        return f"补正期限（{corr.period_end.isoformat()}）尚未届满"
    return None


@action(ActionSpec("correction_abandon", "逾期未补正，终止办理", ("reviewer",), ("correcting",), (
        FieldSpec("reply_date", "终止日期", DATE, default=TODAY),
    ), confirm="申请人无正当理由逾期不补正，视为放弃申请，确定终止办理？"), precondition=_pre_correction_abandon)
def _correction_abandon(case, v, actor, today):
    corr = case.corrections.order_by(Correction.id.desc()).first()
    corr.abandoned = True
    corr.save()
    close(case, "no_correction", v["reply_date"], today,
           f"申请人未在补正期限（{corr.period_end.isoformat()}）内补正")
    return "申请人逾期未补正，终止办理", None


@action(ActionSpec("not_request", "告知非政府信息公开申请", ("reviewer",), ("registered",), (
        FieldSpec("outcome", "类别", "choice", choices=outcome_choices(["petition", "publication"])),
        FieldSpec("outcome_reason", "告知内容（应通过的渠道）", "multiline", required=False),
        FieldSpec("reply_date", "告知日期", DATE, default=TODAY),
    ), help="信访、投诉、举报，或要求提供公开出版物（条例第三十九条）"))
def _not_request(case, v, actor, today):
    close(case, v["outcome"], v["reply_date"], today, v.get("outcome_reason") or "")
    return f"告知：{oc.outcome(v['outcome']).description}", None


@action(ActionSpec("excessive", "认定大量反复申请，确定答复期限", ("reviewer", "leader"),
               ("registered", "handling"), (
        FieldSpec("custom_due_date", "确定的答复期限", DATE),
        FieldSpec("reason", "理由（申请人说明的理由及认定意见）", "multiline"),
    ), help="条例第三十五条：申请人说明理由合理的，可延迟答复并告知申请人"))
def _excessive(case, v, actor, today):
    if v["custom_due_date"] <= (case.due_date or case.received_date):
        raise ValidationError("确定的答复期限：应晚于法定答复期限", "确定的答复期限")
    case.custom_due_date = v["custom_due_date"]
    case.custom_due_reason = v["reason"]
    return f"认定数量、频次明显超过合理范围，答复期限确定为{v['custom_due_date'].isoformat()}", None
