"""How a case ends and after: reply, withdrawal, delivery, archive, reopening.

Each action is one registered unit: its ``ActionSpec``, its precondition (why it is not legal
now, or None) and ``apply(case, values, actor, today) -> (summary, details)``, which changes the
case row in place; ``workflow.perform`` (the engine) checks, saves, recomputes and audits."""
from __future__ import annotations

from gkdesk import settings
from gkdesk.cases import numbering
from gkdesk.cases.actions._common import (DATE, REPLY_FIELDS, TODAY, choices, close, not_before, not_future,
                                          open_consultations, open_fees)
from gkdesk.cases.actions.spec import ActionSpec, FieldSpec, action
from gkdesk.db.models import Attachment, Case, Document
from gkdesk.domain import outcomes as oc
from gkdesk.domain import terms
from gkdesk.errors import ValidationError, WorkflowError


REPLY_LETTER_KINDS = ("reply", "termination", "not-request")


def missing_for_archive(case: Case) -> list[str]:
    """What the case file still lacks before it can be archived (empty when complete)."""
    missing = []
    if not case.outcome:
        missing.append("办理结果")
    if not case.reply_date:
        missing.append("答复日期")
    if not case.delivery_date or not case.delivery_method:
        missing.append("送达记录")
    has_letter = Document.select().where(Document.case == case, Document.kind.in_(REPLY_LETTER_KINDS),
                                         Document.status == "issued").exists()
    has_scan = Attachment.select().where(Attachment.case == case, Attachment.kind == "reply_letter").exists()
    if not (has_letter or has_scan or case.on_the_spot):
        missing.append("答复书（已出具的答复书或其扫描件）")
    if case.delivery_method in ("direct", "left"):
        has_proof = Document.select().where(Document.case == case, Document.kind == "service-proof",
                                            Document.status == "issued").exists() or \
            Attachment.select().where(Attachment.case == case, Attachment.kind == "service_proof").exists()
        if not has_proof:
            missing.append("送达回证")
    return missing


def _pre_reply(case, today):
    if open_consultations(case):
        return "征求意见尚未答复，请先登记第三方意见"
    if open_fees(case):
        return "信息处理费尚未缴纳"
    return None


@action(ActionSpec("reply", "作出答复（经批准）", ("leader",), ("handling",), REPLY_FIELDS,
               help="答复书经分管领导审批后编号、盖章"), precondition=_pre_reply)
def _reply(case, v, actor, today):
    o = oc.outcome(v["outcome"])
    if o.code in oc.TERMINATION_OUTCOMES:
        raise ValidationError("办理结果：逾期不补正、逾期未缴费请使用“终止办理”操作", "办理结果")
    if o.code == "unclear_after_correction" and not [c for c in case.corrections if c.received_date]:
        raise ValidationError("办理结果：“补正后申请内容仍不明确”只适用于已补正的申请", "办理结果")
    if o.needs_reason and not (v.get("outcome_reason") or "").strip():
        raise ValidationError("理由：不予公开、部分公开须写明理由", "理由")
    if o.group in ("disclose", "partial") and not (v.get("provided_description") or "").strip():
        raise ValidationError("提供的信息或获取方式：予以公开、部分公开须写明提供的信息或获取方式", "提供的信息或获取方式")
    if o.needs_agency and not (v.get("responsible_agency") or "").strip():
        raise ValidationError("负责公开的机关及联系方式：须告知负责公开的机关名称及联系方式", "负责公开的机关及联系方式")
    from gkdesk.cases import confidentiality

    confidentiality.check_before_reply(case, o.code)        # 保密审查 when the office requires it
    objecting = [c for c in case.consultations if c.objects]
    case.outcome_reason = v.get("outcome_reason") or ""
    case.provided_description = v.get("provided_description") or ""
    case.responsible_agency = v.get("responsible_agency") or ""
    case.outcome_articles = (v.get("outcome_articles") or "").strip() or o.basis
    close(case, o.code, v["reply_date"], today)
    extra = {"third_party_objected": [c.party for c in objecting]} if objecting else None
    return f"作出答复：{o.label}", extra


@action(ActionSpec("reply_on_spot", "当场答复", ("clerk", "leader"), ("registered",), REPLY_FIELDS,
               help="能够当场答复的，当场予以答复"))
def _reply_on_spot(case, v, actor, today):
    case.on_the_spot = True
    summary, extra = _reply(case, v, actor, today)
    return "当场" + summary, extra


@action(ActionSpec("withdraw", "申请人撤回申请", ("clerk", "reviewer"), ("registered", "correcting", "handling"), (
        FieldSpec("reply_date", "撤回日期", DATE, default=TODAY),
        FieldSpec("reason", "说明", "multiline", required=False, default="申请人撤回申请"),
    ), confirm="确定登记申请人撤回申请并结束办理？"))
def _withdraw(case, v, actor, today):
    close(case, "other", v["reply_date"], today, v.get("reason") or "申请人撤回申请")
    return "申请人撤回申请", None


@action(ActionSpec("deliver", "登记送达", ("clerk",), ("replied",), (
        FieldSpec("method", "送达方式", "choice", choices=choices(terms.DELIVERY_METHODS)),
        FieldSpec("delivery_date", "送达日期", DATE, default=TODAY,
                  help="邮寄送达以签收之日为送达日期"),
        FieldSpec("tracking_number", "邮件号（邮寄送达必填）", required=False),
        FieldSpec("witnesses", "见证人（留置送达必填）", required=False),
        FieldSpec("delivery_note", "备注", "multiline", required=False),
    )))
def _deliver(case, v, actor, today):
    not_future(v["delivery_date"], "送达日期", today)
    not_before(v["delivery_date"], case.reply_date, "送达日期", "答复日期")
    if v["method"] == "post" and not (v.get("tracking_number") or "").strip():
        raise ValidationError("邮件号：邮寄送达须填写邮件号", "邮件号")
    if v["method"] == "left" and not (v.get("witnesses") or "").strip():
        raise ValidationError("见证人：留置送达须填写见证人", "见证人")
    case.delivery_method = v["method"]
    case.delivery_date = v["delivery_date"]
    case.tracking_number = v.get("tracking_number") or ""
    case.witnesses = v.get("witnesses") or ""
    case.delivery_note = v.get("delivery_note") or ""
    case.stage = "delivered"
    return f"{terms.label_of(terms.DELIVERY_METHODS, v['method'])}，送达日期{v['delivery_date'].isoformat()}", None


@action(ActionSpec("archive", "归档", ("clerk", "admin"), ("delivered",), (
        FieldSpec("archive_date", "归档日期", DATE, default=TODAY),
        FieldSpec("retention_period", "保管期限", required=False),
    ), help="案卷齐全（申请、回执、各类告知书、答复书、送达回证）后归档，归档后只读"))
def _archive(case, v, actor, today):
    missing = missing_for_archive(case)
    if missing:
        raise WorkflowError(f"案卷不齐全，不能归档：缺少{'、'.join(missing)}")
    not_future(v["archive_date"], "归档日期", today)
    not_before(v["archive_date"], case.delivery_date, "归档日期", "送达日期")
    year = v["archive_date"].year
    serial = numbering.next_serial("archive", year)
    case.archive_number = numbering.format_number("归档", year, serial)
    case.archive_date = v["archive_date"]
    case.retention_period = v.get("retention_period") or settings.get("archive.retention_period")
    case.stage = "archived"
    return f"归档，档号{case.archive_number}，保管期限{case.retention_period}", None


@action(ActionSpec("reopen", "重新打开（管理员）", ("admin",), ("archived",), (
        FieldSpec("reason", "重新打开的理由", "multiline"),
    )))
def _reopen(case, v, actor, today):
    case.stage = "delivered"
    return f"管理员重新打开：{v['reason']}", None
