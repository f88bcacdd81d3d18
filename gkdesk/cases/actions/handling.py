"""Handling: reassignment, third-party consultation, fees, the one extension.

Each action is one registered unit: its ``ActionSpec``, its precondition (why it is not legal
now, or None) and ``apply(case, values, actor, today) -> (summary, details)``, which changes the
case row in place; ``workflow.perform`` (the engine) checks, saves, recomputes and audits."""
from __future__ import annotations

import datetime as dt

from gkdesk.cases import deadlines, fees
from gkdesk.cases.actions._common import (DATE, TODAY, cal, choices, close, not_before, not_future,
                                          open_consultations, open_fees)
from gkdesk.cases.actions.spec import ActionSpec, FieldSpec, action
from gkdesk.db.models import Case, Consultation, Extension, Fee
from gkdesk.domain import rules, terms
from gkdesk.errors import ValidationError, WorkflowError


def applicant_items_this_month(case: Case, on: dt.date) -> int:
    """Items already charged per item to this applicant in ``on``'s calendar month."""
    first = on.replace(day=1)
    same = (Case.applicant_name == case.applicant_name)
    if case.id_number:
        same = same | (Case.id_number == case.id_number)
    q = (Fee.select(Fee.quantity).join(Case)
         .where(same, Fee.method == "per_item", Fee.notice_date >= first, Fee.notice_date <= on,
                Case.id != case.id))
    return sum(f.quantity for f in q)


@action(ActionSpec("assign", "改派承办", ("reviewer",), ("handling",), (
        FieldSpec("section", "承办股室"),
        FieldSpec("handler", "承办人"),
    )))
def _assign(case, v, actor, today):
    case.section, case.handler = v["section"], v["handler"]
    return f"改派{v['section']}{v['handler']}承办", None


@action(ActionSpec("consult", "征求第三方（或共同制作机关）意见", ("clerk",), ("handling",), (
        FieldSpec("kind", "征求对象类别", "choice", choices=choices(terms.CONSULTATION_KINDS)),
        FieldSpec("party", "征求对象名称"),
        FieldSpec("party_address", "征求对象地址", required=False),
        FieldSpec("information", "涉及的政府信息", "multiline"),
        FieldSpec("sent_date", "发出征求意见日期", DATE, default=TODAY),
    ), help="条例第三十二条：第三方自收到之日起15个工作日内提出意见；征求意见期间不计入答复期限"))
def _consult(case, v, actor, today):
    not_future(v["sent_date"], "发出征求意见日期", today)
    not_before(v["sent_date"], case.clock_start, "发出征求意见日期", "收到申请日期")
    due = cal().add_working_days(v["sent_date"], rules.CONSULTATION_WORKING_DAYS)
    Consultation.create(case=case, kind=v["kind"], party=v["party"], party_address=v.get("party_address") or "",
                        information=v["information"], sent_date=v["sent_date"], answer_due=due.date)
    return f"征求{v['party']}意见，{due.date.isoformat()}前答复；征求意见期间不计入答复期限", None


def _pre_consult_answer(case, today):
    return None if open_consultations(case) else "没有待答复的征求意见"


@action(ActionSpec("consult_answer", "登记征求意见答复", ("clerk",), ("handling",), (
        FieldSpec("consultation_id", "征求意见", "choice"),
        FieldSpec("answer_date", "收到答复日期（逾期未答复的填期满日）", DATE, default=TODAY),
        FieldSpec("answer", "答复意见", "multiline", required=False, help="逾期未提出意见的，可填“逾期未答复”"),
        FieldSpec("objects", "第三方有合理理由不同意公开", "bool", required=False, default=False),
    )), precondition=_pre_consult_answer)
def _consult_answer(case, v, actor, today):
    cons = Consultation.get_or_none(Consultation.id == int(v["consultation_id"]), Consultation.case == case)
    if cons is None or cons.answer_date is not None:
        raise ValidationError("征求意见：请选择一项待答复的征求意见", "征求意见")
    not_future(v["answer_date"], "收到答复日期", today)
    not_before(v["answer_date"], cons.sent_date, "收到答复日期", "发出征求意见日期")
    cons.answer_date = v["answer_date"]
    cons.answer = v.get("answer") or ("逾期未答复" if v["answer_date"] >= cons.answer_due else "")
    cons.objects = bool(v.get("objects"))
    cons.save()
    return f"收到{cons.party}意见（{'不同意公开' if cons.objects else '无异议或未提出意见'}）", None


def _pre_fee_notice(case, today):
    return "已有未缴费的收费通知" if open_fees(case) else None


@action(ActionSpec("fee_notice", "发出收费通知", ("clerk",), ("handling",), (
        FieldSpec("method", "计收方式", "choice", choices=choices(terms.FEE_METHODS)),
        FieldSpec("quantity", "件数或页数", "int"),
        FieldSpec("earlier_this_month", "本月此前已申请件数（按件计收）", "int", required=False, default=None,
                  help="留空则按本系统登记的该申请人本自然月申请自动计算"),
        FieldSpec("notice_date", "通知日期", DATE, default=TODAY),
        FieldSpec("notice_received_date", "申请人收到通知日期", DATE, required=False,
                  help="留空按通知日期计算；缴费期限为收到通知次日起20个工作日"),
        FieldSpec("reason", "收费理由", "multiline", required=False,
                  help="可从理由库选取；留空则通知书写“申请公开政府信息的数量、频次明显超过合理范围”"),
    ), help="条例第四十二条：按件、按量计收只能择一"), precondition=_pre_fee_notice)
def _fee_notice(case, v, actor, today):
    not_future(v["notice_date"], "通知日期", today)
    earlier = v.get("earlier_this_month")
    if v["method"] == "per_item" and earlier is None:
        earlier = applicant_items_this_month(case, v["notice_date"])
    q = fees.quote(v["method"], v["quantity"], earlier or 0)
    base = v.get("notice_received_date") or v["notice_date"]
    pay_by = cal().add_working_days(base, rules.FEE_PAYMENT_WORKING_DAYS).date
    Fee.create(case=case, method=q.method, quantity=q.quantity, amount=q.amount, computation=q.computation,
               reason=(v.get("reason") or "").strip(), notice_date=v["notice_date"], pay_by=pay_by)
    return f"发出收费通知：{terms.label_of(terms.FEE_METHODS, q.method)}{q.amount}元，{pay_by.isoformat()}前缴纳", \
        {"computation": q.computation}


def _pre_fee_paid(case, today):
    return None if open_fees(case) else "没有待缴费的收费通知"


@action(ActionSpec("fee_paid", "登记已缴费", ("clerk",), ("handling",), (
        FieldSpec("paid_date", "缴费日期", DATE, default=TODAY),
    )), precondition=_pre_fee_paid)
def _fee_paid(case, v, actor, today):
    fee = open_fees(case)[0]
    not_future(v["paid_date"], "缴费日期", today)
    not_before(v["paid_date"], fee.notice_date, "缴费日期", "通知日期")
    fee.paid_date = v["paid_date"]
    fee.save()
    return f"申请人已缴纳信息处理费{fee.amount}元", None


def _pre_fee_abandon(case, today):
    open_f = open_fees(case)
    if not open_f:
        return "没有待缴费的收费通知"
    if today <= open_f[0].pay_by:
        return f"缴费期限（{open_f[0].pay_by.isoformat()}）尚未届满"
    return None


@action(ActionSpec("fee_abandon", "逾期未缴费，终止办理", ("reviewer",), ("handling",), (
        FieldSpec("reply_date", "终止日期", DATE, default=TODAY),
    ), confirm="申请人逾期未缴纳信息处理费，视为放弃申请，确定终止办理？"), precondition=_pre_fee_abandon)
def _fee_abandon(case, v, actor, today):
    fee = open_fees(case)[0]
    fee.abandoned = True
    fee.save()
    close(case, "fee_unpaid", v["reply_date"], today, f"申请人未在{fee.pay_by.isoformat()}前缴纳信息处理费")
    return "申请人逾期未缴费，终止办理", None


def _pre_extend(case, today):
    return "延期答复只能延长一次（条例第三十三条第二款）" if list(case.extensions) else None


@action(ActionSpec("extend", "延期答复（经批准）", ("leader",), ("registered", "handling"), (
        FieldSpec("working_days", "延长工作日数", "int", default=rules.EXTENSION_MAX_WORKING_DAYS),
        FieldSpec("reason", "延期理由", "multiline"),
        FieldSpec("notice_date", "告知申请人日期", DATE, default=TODAY),
    ), help="条例第三十三条第二款：经政府信息公开工作机构负责人同意，延长不超过20个工作日，只能延长一次，并在原期限届满前告知申请人"), precondition=_pre_extend)
def _extend(case, v, actor, today):
    days = v["working_days"]
    if not 1 <= days <= rules.EXTENSION_MAX_WORKING_DAYS:
        raise ValidationError(f"延长工作日数：应为1至{rules.EXTENSION_MAX_WORKING_DAYS}个工作日", "延长工作日数")
    not_future(v["notice_date"], "告知申请人日期", today)
    current_due = deadlines.compute_due(case, cal(), on=today).date
    if v["notice_date"] > current_due:
        raise WorkflowError(f"延期须在原答复期限（{current_due.isoformat()}）届满前告知申请人，已经超过期限")
    Extension.create(case=case, working_days=days, reason=v["reason"], approver=actor.username,
                     notice_date=v["notice_date"])
    return f"经{actor.name}批准延期{days}个工作日", None
