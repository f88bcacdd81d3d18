"""The one way a case changes: every action of the disclosure process.

``available_actions(case, actor)`` lists what is legal now (the GUI offers only those);
``perform(case_id, code, actor, **inputs)`` checks the stage, the role and the legal rules,
writes the change and its audit event in one transaction, recomputes the due date, and
raises ``WorkflowError``/``ValidationError``/``PermissionDenied`` with a clerk-readable reason.

Stages (terms.STAGES): registered 待审核 → (correcting 补正中 →) handling 办理中 →
replied 已答复 → delivered 已送达 → archived 已归档. Every way a case ends — a reply, a
termination for abandonment, a not-a-request notice, a withdrawal — sets an outcome and a
reply date, so the annual report counts every case exactly once.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from gkdesk import audit, changes, settings
from gkdesk.actors import Actor, require
from gkdesk.cases import deadlines, fees, numbering
from gkdesk.db import write_transaction
from gkdesk.db.models import (Attachment, Case, Consultation, Correction, Document, Extension, Fee,
                              Proceeding, utcnow)
from gkdesk.domain import outcomes as oc
from gkdesk.domain import rules, terms
from gkdesk.errors import ConflictError, NotFound, ValidationError, WorkflowError


# ------------------------------------------------------------------ action descriptions

@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = "text"            # text / multiline / date / int / bool / choice
    required: bool = True
    choices: tuple = ()           # ((code, label), ...) for kind == "choice"
    default: Any = None
    help: str = ""


@dataclass(frozen=True)
class ActionSpec:
    code: str
    label: str
    roles: tuple[str, ...]
    stages: tuple[str, ...]
    fields: tuple[FieldSpec, ...] = ()
    help: str = ""
    confirm: str = ""             # a question to confirm before performing, if any


def _choices(table) -> tuple:
    return tuple((t.code, t.label) for t in table.values())


def _outcome_choices(codes=None) -> tuple:
    codes = codes or [c for c in oc.OUTCOMES if c not in oc.TERMINATION_OUTCOMES]
    return tuple((c, f"{oc.OUTCOMES[c].group_label[3:]}：{oc.OUTCOMES[c].description}") for c in codes)


_DATE = "date"
_TODAY = "today"

REPLY_FIELDS = (
    FieldSpec("outcome", "办理结果", "choice", choices=_outcome_choices()),
    FieldSpec("reply_date", "答复日期", _DATE, default=_TODAY),
    FieldSpec("provided_description", "提供的信息或获取方式", "multiline", required=False,
              help="予以公开、部分公开时必填：提供的信息，或获取的方式、途径和时间"),
    FieldSpec("outcome_reason", "理由", "multiline", required=False,
              help="不予公开、部分公开时必填：不予公开的理由"),
    FieldSpec("outcome_articles", "法律依据（条款）", "text", required=False,
              help="默认按办理结果引用条例条款，可补充"),
    FieldSpec("responsible_agency", "负责公开的机关及联系方式", "multiline", required=False,
              help="不属于本机关负责公开时必填"),
)

ACTIONS: dict[str, ActionSpec] = {a.code: a for a in (
    ActionSpec("accept", "审核通过，转办理", ("reviewer",), ("registered",), (
        FieldSpec("section", "承办股室"),
        FieldSpec("handler", "承办人"),
    ), help="申请内容明确、属于本机关的政府信息公开申请，交承办股室办理"),
    ActionSpec("correction_notice", "发出补正告知", ("clerk", "reviewer"), ("registered",), (
        FieldSpec("notice_date", "告知日期", _DATE, default=_TODAY),
        FieldSpec("what_to_add", "需要补正的事项", "multiline"),
        FieldSpec("period_end", "补正期限（截止日期）", _DATE),
    ), help="条例第三十条：收到申请之日起7个工作日内一次性告知"),
    ActionSpec("correction_received", "收到补正后的申请", ("clerk", "reviewer"), ("correcting",), (
        FieldSpec("received_date", "收到补正日期", _DATE, default=_TODAY),
    ), help="答复期限自收到补正后的申请之日起重新计算"),
    ActionSpec("correction_abandon", "逾期未补正，终止办理", ("reviewer",), ("correcting",), (
        FieldSpec("reply_date", "终止日期", _DATE, default=_TODAY),
    ), confirm="申请人无正当理由逾期不补正，视为放弃申请，确定终止办理？"),
    ActionSpec("not_request", "告知非政府信息公开申请", ("reviewer",), ("registered",), (
        FieldSpec("outcome", "类别", "choice", choices=_outcome_choices(["petition", "publication"])),
        FieldSpec("outcome_reason", "告知内容（应通过的渠道）", "multiline", required=False),
        FieldSpec("reply_date", "告知日期", _DATE, default=_TODAY),
    ), help="信访、投诉、举报，或要求提供公开出版物（条例第三十九条）"),
    ActionSpec("excessive", "认定大量反复申请，确定答复期限", ("reviewer", "leader"),
               ("registered", "handling"), (
        FieldSpec("custom_due_date", "确定的答复期限", _DATE),
        FieldSpec("reason", "理由（申请人说明的理由及认定意见）", "multiline"),
    ), help="条例第三十五条：申请人说明理由合理的，可延迟答复并告知申请人"),
    ActionSpec("assign", "改派承办", ("reviewer",), ("handling",), (
        FieldSpec("section", "承办股室"),
        FieldSpec("handler", "承办人"),
    )),
    ActionSpec("consult", "征求第三方（或共同制作机关）意见", ("clerk",), ("handling",), (
        FieldSpec("kind", "征求对象类别", "choice", choices=_choices(terms.CONSULTATION_KINDS)),
        FieldSpec("party", "征求对象名称"),
        FieldSpec("party_address", "征求对象地址", required=False),
        FieldSpec("information", "涉及的政府信息", "multiline"),
        FieldSpec("sent_date", "发出征求意见日期", _DATE, default=_TODAY),
    ), help="条例第三十二条：第三方自收到之日起15个工作日内提出意见；征求意见期间不计入答复期限"),
    ActionSpec("consult_answer", "登记征求意见答复", ("clerk",), ("handling",), (
        FieldSpec("consultation_id", "征求意见", "choice"),
        FieldSpec("answer_date", "收到答复日期（逾期未答复的填期满日）", _DATE, default=_TODAY),
        FieldSpec("answer", "答复意见", "multiline", required=False, help="逾期未提出意见的，可填“逾期未答复”"),
        FieldSpec("objects", "第三方有合理理由不同意公开", "bool", required=False, default=False),
    )),
    ActionSpec("fee_notice", "发出收费通知", ("clerk",), ("handling",), (
        FieldSpec("method", "计收方式", "choice", choices=_choices(terms.FEE_METHODS)),
        FieldSpec("quantity", "件数或页数", "int"),
        FieldSpec("earlier_this_month", "本月此前已申请件数（按件计收）", "int", required=False, default=None,
                  help="留空则按本系统登记的该申请人本自然月申请自动计算"),
        FieldSpec("notice_date", "通知日期", _DATE, default=_TODAY),
        FieldSpec("notice_received_date", "申请人收到通知日期", _DATE, required=False,
                  help="留空按通知日期计算；缴费期限为收到通知次日起20个工作日"),
    ), help="条例第四十二条：按件、按量计收只能择一"),
    ActionSpec("fee_paid", "登记已缴费", ("clerk",), ("handling",), (
        FieldSpec("paid_date", "缴费日期", _DATE, default=_TODAY),
    )),
    ActionSpec("fee_abandon", "逾期未缴费，终止办理", ("reviewer",), ("handling",), (
        FieldSpec("reply_date", "终止日期", _DATE, default=_TODAY),
    ), confirm="申请人逾期未缴纳信息处理费，视为放弃申请，确定终止办理？"),
    ActionSpec("extend", "延期答复（经批准）", ("leader",), ("registered", "handling"), (
        FieldSpec("working_days", "延长工作日数", "int", default=rules.EXTENSION_MAX_WORKING_DAYS),
        FieldSpec("reason", "延期理由", "multiline"),
        FieldSpec("notice_date", "告知申请人日期", _DATE, default=_TODAY),
    ), help="条例第三十三条第二款：经政府信息公开工作机构负责人同意，延长不超过20个工作日，只能延长一次，并在原期限届满前告知申请人"),
    ActionSpec("reply", "作出答复（经批准）", ("leader",), ("handling",), REPLY_FIELDS,
               help="答复书经分管领导审批后编号、盖章"),
    ActionSpec("reply_on_spot", "当场答复", ("clerk", "leader"), ("registered",), REPLY_FIELDS,
               help="能够当场答复的，当场予以答复"),
    ActionSpec("withdraw", "申请人撤回申请", ("clerk", "reviewer"), ("registered", "correcting", "handling"), (
        FieldSpec("reply_date", "撤回日期", _DATE, default=_TODAY),
        FieldSpec("reason", "说明", "multiline", required=False, default="申请人撤回申请"),
    ), confirm="确定登记申请人撤回申请并结束办理？"),
    ActionSpec("deliver", "登记送达", ("clerk",), ("replied",), (
        FieldSpec("method", "送达方式", "choice", choices=_choices(terms.DELIVERY_METHODS)),
        FieldSpec("delivery_date", "送达日期", _DATE, default=_TODAY,
                  help="邮寄送达以签收之日为送达日期"),
        FieldSpec("tracking_number", "邮件号（邮寄送达必填）", required=False),
        FieldSpec("witnesses", "见证人（留置送达必填）", required=False),
        FieldSpec("delivery_note", "备注", "multiline", required=False),
    )),
    ActionSpec("archive", "归档", ("clerk", "admin"), ("delivered",), (
        FieldSpec("archive_date", "归档日期", _DATE, default=_TODAY),
        FieldSpec("retention_period", "保管期限", required=False),
    ), help="案卷齐全（申请、回执、各类告知书、答复书、送达回证）后归档，归档后只读"),
    ActionSpec("reopen", "重新打开（管理员）", ("admin",), ("archived",), (
        FieldSpec("reason", "重新打开的理由", "multiline"),
    )),
    ActionSpec("proceeding_add", "登记行政复议/行政诉讼", ("clerk", "reviewer"),
               ("replied", "delivered", "archived"), (
        FieldSpec("kind", "类别", "choice", choices=_choices(terms.PROCEEDING_KINDS)),
        FieldSpec("filed_date", "立案（申请）日期", _DATE),
        FieldSpec("body", "复议机关或法院"),
        FieldSpec("note", "备注", "multiline", required=False),
    )),
    ActionSpec("proceeding_result", "登记复议/诉讼结果", ("clerk", "reviewer"),
               ("replied", "delivered", "archived"), (
        FieldSpec("proceeding_id", "复议或诉讼", "choice"),
        FieldSpec("result", "结果", "choice", choices=_choices(terms.PROCEEDING_RESULTS)),
        FieldSpec("result_date", "结果日期", _DATE, default=_TODAY),
    )),
)}

# Actions allowed on an archived (read-only) case.
ARCHIVED_ALLOWED = ("reopen", "proceeding_add", "proceeding_result")


# ------------------------------------------------------------------ helpers

def get_case(case_id: int) -> Case:
    case = Case.get_or_none(Case.id == case_id)
    if case is None:
        raise NotFound(f"找不到案件（编号 {case_id}）")
    return case


def find_case(number: str) -> Case:
    case = Case.get_or_none(Case.number == number.strip())
    if case is None:
        raise NotFound(f"找不到受理编号为“{number}”的案件")
    return case


def _cal():
    return deadlines.calendar()


def _open_consultations(case) -> list[Consultation]:
    return [c for c in case.consultations if c.answer_date is None]


def _open_fees(case) -> list[Fee]:
    return [f for f in case.fees if f.paid_date is None and not f.abandoned]


def _precondition(case: Case, code: str, today: dt.date) -> str | None:
    """Why ``code`` is not legal for this case now (None when it is)."""
    if code == "correction_notice":
        if list(case.corrections):
            return "补正告知只能发出一次（条例第三十条）"
    if code == "consult_answer" and not _open_consultations(case):
        return "没有待答复的征求意见"
    if code == "fee_notice" and _open_fees(case):
        return "已有未缴费的收费通知"
    if code == "fee_paid" and not _open_fees(case):
        return "没有待缴费的收费通知"
    if code == "fee_abandon":
        open_f = _open_fees(case)
        if not open_f:
            return "没有待缴费的收费通知"
        if today <= open_f[0].pay_by:
            return f"缴费期限（{open_f[0].pay_by.isoformat()}）尚未届满"
    if code == "correction_abandon":
        corr = case.corrections.order_by(Correction.id.desc()).first()
        if corr and today <= corr.period_end:
            return f"补正期限（{corr.period_end.isoformat()}）尚未届满"
    if code == "extend" and list(case.extensions):
        return "延期答复只能延长一次（条例第三十三条第二款）"
    if code == "reply" and _open_consultations(case):
        return "征求意见尚未答复，请先登记第三方意见"
    if code == "reply" and _open_fees(case):
        return "信息处理费尚未缴纳"
    if code == "proceeding_result" and not [p for p in case.proceedings if p.result is None]:
        return "没有尚未审结的复议或诉讼"
    return None


def available_actions(case: Case, actor: Actor, today: dt.date | None = None) -> list[ActionSpec]:
    """The actions this actor may take on this case now, in process order."""
    today = today or deadlines.today()
    out = []
    for spec in ACTIONS.values():
        if case.stage not in spec.stages:
            continue
        if not actor.has(*spec.roles):
            continue
        if _precondition(case, spec.code, today):
            continue
        out.append(spec)
    return out


def field_choices(case: Case, spec: ActionSpec, fs: FieldSpec) -> tuple:
    """Choices of a field that depend on the case (open consultations, proceedings)."""
    if fs.name == "consultation_id":
        return tuple((c.id, f"{c.party}（{c.sent_date.isoformat()}发出，{c.answer_due.isoformat()}到期）")
                     for c in _open_consultations(case))
    if fs.name == "proceeding_id":
        return tuple((p.id, f"{terms.label_of(terms.PROCEEDING_KINDS, p.kind)} {p.body}（{p.filed_date.isoformat()}）")
                     for p in case.proceedings if p.result is None)
    return fs.choices


def _clean_inputs(spec: ActionSpec, inputs: dict, today: dt.date) -> dict:
    out: dict = {}
    problems: list[str] = []
    for fs in spec.fields:
        value = inputs.get(fs.name, None)
        if value is None and fs.default is not None:
            value = today if fs.default == _TODAY else fs.default
        if isinstance(value, str):
            value = value.strip()
            if fs.kind == _DATE and value:
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    problems.append(f"{fs.label}：日期格式应为 YYYY-MM-DD")
                    continue
            if fs.kind == "int" and value:
                try:
                    value = int(value)
                except ValueError:
                    problems.append(f"{fs.label}：请填写整数")
                    continue
        if value in (None, "") and fs.required:
            problems.append(f"{fs.label}：必须填写")
            continue
        if fs.kind == "choice" and fs.choices and value not in (None, "") and \
                value not in [c for c, _ in fs.choices]:
            problems.append(f"{fs.label}：“{value}”不是可选的值")
            continue
        if fs.kind == _DATE and value not in (None, "") and not isinstance(value, dt.date):
            problems.append(f"{fs.label}：请填写日期")
            continue
        out[fs.name] = value
    unknown = set(inputs) - {f.name for f in spec.fields}
    if unknown:
        problems.append(f"未知的输入项：{'、'.join(sorted(unknown))}")
    if problems:
        raise ValidationError("；".join(problems), problems[0].split("：")[0], problems)
    return out


def _not_future(value: dt.date, label: str, today: dt.date) -> None:
    if value > today:
        raise ValidationError(f"{label}：不能晚于今天（{today.isoformat()}）", label)


def _not_before(value: dt.date, floor: dt.date, label: str, floor_label: str) -> None:
    if value < floor:
        raise ValidationError(f"{label}：不能早于{floor_label}（{floor.isoformat()}）", label)


def _list_columns() -> frozenset[str]:
    from gkdesk.cases.query import LIST_FIELDS

    return frozenset(f.name for f in LIST_FIELDS) | {"applicant_initials", "id_number"}


# What the case list shows, sorts by or searches: a change to one of these recounts it.
LIST_COLUMNS = _list_columns()


def _snapshot(case: Case) -> dict:
    return {f: getattr(case, f) for f in case._meta.fields if f not in ("created_at", "updated_at")}


def _diff(before: dict, after: dict) -> dict:
    return {k: [before[k], after[k]] for k in before if before[k] != after[k] and k != "version"}


# ------------------------------------------------------------------ the service

def perform(case_id: int, code: str, actor: Actor, *, expected_version: int | None = None,
            today: dt.date | None = None, **inputs) -> Case:
    """Carry out action ``code`` on the case; returns the updated case."""
    spec = ACTIONS.get(code)
    if spec is None:
        raise WorkflowError(f"未知的操作：{code}")
    today = today or deadlines.today()
    with write_transaction():
        case = get_case(case_id)
        if expected_version is not None and case.version != expected_version:
            raise ConflictError(f"案件 {case.number} 已被他人修改（{case.updated_at:%Y-%m-%d %H:%M}），请刷新后重试")
        if case.stage == "archived" and code not in ARCHIVED_ALLOWED:
            raise WorkflowError(f"案件 {case.number} 已归档，只读；如需修改，请由管理员重新打开")
        require(actor, spec.roles, spec.label)
        if case.stage not in spec.stages:
            allowed = "、".join(terms.label_of(terms.STAGES, s) for s in spec.stages)
            raise WorkflowError(f"“{spec.label}”只能在{allowed}阶段进行，案件 {case.number} 当前为"
                                f"{terms.label_of(terms.STAGES, case.stage)}")
        why = _precondition(case, code, today)
        if why:
            raise WorkflowError(f"不能{spec.label}：{why}")
        values = _clean_inputs(spec, inputs, today)
        before = _snapshot(case)
        from_stage = case.stage
        summary, details = _HANDLERS[code](case, values, actor, today)
        _refresh_due(case, today)
        case.version += 1
        case.updated_at = utcnow()
        case.save()
        after = _snapshot(case)
        diff = _diff(before, after)
        audit.record(code, case=case, user=actor.username, from_stage=from_stage, to_stage=case.stage,
                     summary=summary, details={"inputs": values, "changes": diff, **(details or {})})
        # the case list is recounted only when what it shows, sorts or searches changed
        changes.note_case(case.id, list_changed=bool(LIST_COLUMNS.intersection(diff)))
    return case


def _refresh_due(case: Case, today: dt.date) -> None:
    deadlines.refresh(case, cal=_cal(), on=today)      # the one owner of due date / provisional / paused


# -- individual actions: each returns (summary, extra details) and mutates ``case`` --------

def _accept(case, v, actor, today):
    case.section, case.handler = v["section"], v["handler"]
    case.stage = "handling"
    return f"审核通过，交{v['section']}{v['handler']}办理", None


def _assign(case, v, actor, today):
    case.section, case.handler = v["section"], v["handler"]
    return f"改派{v['section']}{v['handler']}承办", None


def _correction_notice(case, v, actor, today):
    cal = _cal()
    notice = v["notice_date"]
    _not_future(notice, "告知日期", today)
    _not_before(notice, case.received_date, "告知日期", "收到申请日期")
    used = cal.working_days_between(case.received_date, notice)
    limit = rules.CORRECTION_NOTICE_WORKING_DAYS
    if used > limit:
        raise WorkflowError(f"补正告知须在收到申请后{limit}个工作日内发出，本案已超过{used - limit}个工作日"
                            "（可按实际情况作出答复）")
    if v["period_end"] <= notice:
        raise ValidationError("补正期限（截止日期）：应晚于告知日期", "补正期限（截止日期）")
    Correction.create(case=case, notice_date=notice, what_to_add=v["what_to_add"], period_end=v["period_end"])
    case.stage = "correcting"
    return f"发出补正告知，补正期限至{v['period_end'].isoformat()}", None


def _correction_received(case, v, actor, today):
    corr = case.corrections.order_by(Correction.id.desc()).first()
    received = v["received_date"]
    _not_future(received, "收到补正日期", today)
    _not_before(received, corr.notice_date, "收到补正日期", "补正告知日期")
    corr.received_date = received
    corr.save()
    case.clock_start = received
    case.stage = "registered"
    return f"收到补正后的申请，答复期限自{received.isoformat()}起重新计算", None


def _close(case, outcome_code: str, reply_date: dt.date, today: dt.date, reason: str = "") -> None:
    _not_future(reply_date, "答复日期", today)
    _not_before(reply_date, case.received_date, "答复日期", "收到申请日期")
    o = oc.outcome(outcome_code)
    case.outcome = o.code
    case.reply_date = reply_date
    case.outcome_articles = case.outcome_articles or o.basis
    if reason:
        case.outcome_reason = reason
    case.stage = "replied"


def _correction_abandon(case, v, actor, today):
    corr = case.corrections.order_by(Correction.id.desc()).first()
    corr.abandoned = True
    corr.save()
    _close(case, "no_correction", v["reply_date"], today,
           f"申请人未在补正期限（{corr.period_end.isoformat()}）内补正")
    return "申请人逾期未补正，终止办理", None


def _not_request(case, v, actor, today):
    _close(case, v["outcome"], v["reply_date"], today, v.get("outcome_reason") or "")
    return f"告知：{oc.outcome(v['outcome']).description}", None


def _excessive(case, v, actor, today):
    if v["custom_due_date"] <= (case.due_date or case.received_date):
        raise ValidationError("确定的答复期限：应晚于法定答复期限", "确定的答复期限")
    case.custom_due_date = v["custom_due_date"]
    case.custom_due_reason = v["reason"]
    return f"认定数量、频次明显超过合理范围，答复期限确定为{v['custom_due_date'].isoformat()}", None


def _consult(case, v, actor, today):
    _not_future(v["sent_date"], "发出征求意见日期", today)
    _not_before(v["sent_date"], case.clock_start, "发出征求意见日期", "收到申请日期")
    due = _cal().add_working_days(v["sent_date"], rules.CONSULTATION_WORKING_DAYS)
    Consultation.create(case=case, kind=v["kind"], party=v["party"], party_address=v.get("party_address") or "",
                        information=v["information"], sent_date=v["sent_date"], answer_due=due.date)
    return f"征求{v['party']}意见，{due.date.isoformat()}前答复；征求意见期间不计入答复期限", None


def _consult_answer(case, v, actor, today):
    cons = Consultation.get_or_none(Consultation.id == int(v["consultation_id"]), Consultation.case == case)
    if cons is None or cons.answer_date is not None:
        raise ValidationError("征求意见：请选择一项待答复的征求意见", "征求意见")
    _not_future(v["answer_date"], "收到答复日期", today)
    _not_before(v["answer_date"], cons.sent_date, "收到答复日期", "发出征求意见日期")
    cons.answer_date = v["answer_date"]
    cons.answer = v.get("answer") or ("逾期未答复" if v["answer_date"] >= cons.answer_due else "")
    cons.objects = bool(v.get("objects"))
    cons.save()
    return f"收到{cons.party}意见（{'不同意公开' if cons.objects else '无异议或未提出意见'}）", None


def _fee_notice(case, v, actor, today):
    _not_future(v["notice_date"], "通知日期", today)
    earlier = v.get("earlier_this_month")
    if v["method"] == "per_item" and earlier is None:
        earlier = applicant_items_this_month(case, v["notice_date"])
    q = fees.quote(v["method"], v["quantity"], earlier or 0)
    base = v.get("notice_received_date") or v["notice_date"]
    pay_by = _cal().add_working_days(base, rules.FEE_PAYMENT_WORKING_DAYS).date
    Fee.create(case=case, method=q.method, quantity=q.quantity, amount=q.amount, computation=q.computation,
               notice_date=v["notice_date"], pay_by=pay_by)
    return f"发出收费通知：{terms.label_of(terms.FEE_METHODS, q.method)}{q.amount}元，{pay_by.isoformat()}前缴纳", \
        {"computation": q.computation}


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


def _fee_paid(case, v, actor, today):
    fee = _open_fees(case)[0]
    _not_future(v["paid_date"], "缴费日期", today)
    _not_before(v["paid_date"], fee.notice_date, "缴费日期", "通知日期")
    fee.paid_date = v["paid_date"]
    fee.save()
    return f"申请人已缴纳信息处理费{fee.amount}元", None


def _fee_abandon(case, v, actor, today):
    fee = _open_fees(case)[0]
    fee.abandoned = True
    fee.save()
    _close(case, "fee_unpaid", v["reply_date"], today, f"申请人未在{fee.pay_by.isoformat()}前缴纳信息处理费")
    return "申请人逾期未缴费，终止办理", None


def _extend(case, v, actor, today):
    days = v["working_days"]
    if not 1 <= days <= rules.EXTENSION_MAX_WORKING_DAYS:
        raise ValidationError(f"延长工作日数：应为1至{rules.EXTENSION_MAX_WORKING_DAYS}个工作日", "延长工作日数")
    _not_future(v["notice_date"], "告知申请人日期", today)
    current_due = deadlines.compute_due(case, _cal(), on=today).date
    if v["notice_date"] > current_due:
        raise WorkflowError(f"延期须在原答复期限（{current_due.isoformat()}）届满前告知申请人，已经超过期限")
    Extension.create(case=case, working_days=days, reason=v["reason"], approver=actor.username,
                     notice_date=v["notice_date"])
    return f"经{actor.name}批准延期{days}个工作日", None


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
    _close(case, o.code, v["reply_date"], today)
    extra = {"third_party_objected": [c.party for c in objecting]} if objecting else None
    return f"作出答复：{o.label}", extra


def _reply_on_spot(case, v, actor, today):
    case.on_the_spot = True
    summary, extra = _reply(case, v, actor, today)
    return "当场" + summary, extra


def _withdraw(case, v, actor, today):
    _close(case, "other", v["reply_date"], today, v.get("reason") or "申请人撤回申请")
    return "申请人撤回申请", None


def _deliver(case, v, actor, today):
    _not_future(v["delivery_date"], "送达日期", today)
    _not_before(v["delivery_date"], case.reply_date, "送达日期", "答复日期")
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


def _archive(case, v, actor, today):
    missing = missing_for_archive(case)
    if missing:
        raise WorkflowError(f"案卷不齐全，不能归档：缺少{'、'.join(missing)}")
    _not_future(v["archive_date"], "归档日期", today)
    _not_before(v["archive_date"], case.delivery_date, "归档日期", "送达日期")
    year = v["archive_date"].year
    serial = numbering.next_serial("archive", year)
    case.archive_number = numbering.format_number("归档", year, serial)
    case.archive_date = v["archive_date"]
    case.retention_period = v.get("retention_period") or settings.get("archive.retention_period")
    case.stage = "archived"
    return f"归档，档号{case.archive_number}，保管期限{case.retention_period}", None


def _reopen(case, v, actor, today):
    case.stage = "delivered"
    return f"管理员重新打开：{v['reason']}", None


def _proceeding_add(case, v, actor, today):
    _not_future(v["filed_date"], "立案（申请）日期", today)
    _not_before(v["filed_date"], case.reply_date, "立案（申请）日期", "答复日期")
    Proceeding.create(case=case, kind=v["kind"], filed_date=v["filed_date"], body=v["body"],
                      note=v.get("note") or "")
    return f"登记{terms.label_of(terms.PROCEEDING_KINDS, v['kind'])}：{v['body']}", None


def _proceeding_result(case, v, actor, today):
    p = Proceeding.get_or_none(Proceeding.id == int(v["proceeding_id"]), Proceeding.case == case)
    if p is None or p.result is not None:
        raise ValidationError("复议或诉讼：请选择一项尚未审结的复议或诉讼", "复议或诉讼")
    _not_future(v["result_date"], "结果日期", today)
    _not_before(v["result_date"], p.filed_date, "结果日期", "立案（申请）日期")
    p.result, p.result_date = v["result"], v["result_date"]
    p.save()
    return f"{terms.label_of(terms.PROCEEDING_KINDS, p.kind)}结果：{terms.label_of(terms.PROCEEDING_RESULTS, p.result)}", None


_HANDLERS: dict[str, Callable] = {
    "accept": _accept, "assign": _assign, "correction_notice": _correction_notice,
    "correction_received": _correction_received, "correction_abandon": _correction_abandon,
    "not_request": _not_request, "excessive": _excessive, "consult": _consult,
    "consult_answer": _consult_answer, "fee_notice": _fee_notice, "fee_paid": _fee_paid,
    "fee_abandon": _fee_abandon, "extend": _extend, "reply": _reply, "reply_on_spot": _reply_on_spot,
    "withdraw": _withdraw, "deliver": _deliver, "archive": _archive, "reopen": _reopen,
    "proceeding_add": _proceeding_add, "proceeding_result": _proceeding_result,
}
assert set(_HANDLERS) == set(ACTIONS)


# ------------------------------------------------------------------ reading a case

@dataclass
class TimelineEntry:
    at: dt.datetime
    user: str
    action: str
    summary: str
    from_stage: str | None
    to_stage: str | None


def timeline(case: Case) -> list[TimelineEntry]:
    from gkdesk.db.models import CaseEvent

    from gkdesk.db.models import User

    names = {u.username: u.display_name for u in User.select(User.username, User.display_name)}
    names.setdefault("system", "系统")
    return [TimelineEntry(e.at, names.get(e.user, e.user), e.action, e.summary, e.from_stage, e.to_stage)
            for e in CaseEvent.select().where(CaseEvent.case == case).order_by(CaseEvent.id)]


def due_status(case: Case, on: dt.date | None = None) -> deadlines.DueStatus:
    """How the case's due date reads on ``on``; a paused case's date is live (moves daily)."""
    due, provisional = deadlines.shown_due(case, on)
    return deadlines.status(due, provisional, open_case=case.stage in terms.OPEN_STAGES,
                            paused=case.paused, on=on)


# ------------------------------------------------------------------ repeat requests

def _grams(text: str) -> set[str]:
    t = "".join((text or "").split())
    return {t[i:i + 2] for i in range(len(t) - 1)} or ({t} if t else set())


def similarity(a: str, b: str) -> float:
    ga, gb = _grams(a), _grams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / len(ga | gb)


@dataclass
class SimilarCase:
    case_id: int
    number: str
    received_date: dt.date
    stage: str
    outcome: str | None
    reply_date: dt.date | None
    score: float
    content: str


def similar_cases(applicant_name: str, id_number: str, content: str, exclude_id: int | None = None,
                  threshold: float = 0.5, limit: int = 10) -> list[SimilarCase]:
    """Earlier cases of the same applicant asking for similar information (Art. 36(6))."""
    cond = (Case.applicant_name == applicant_name.strip())
    if id_number:
        cond = cond | (Case.id_number == id_number.strip().upper())
    q = Case.select().where(cond)
    if exclude_id:
        q = q.where(Case.id != exclude_id)
    found = []
    for c in q.order_by(Case.received_date.desc()).limit(500):
        s = similarity(content, c.content)
        if s >= threshold:
            found.append(SimilarCase(c.id, c.number, c.received_date, c.stage, c.outcome, c.reply_date,
                                     round(s, 2), c.content))
    found.sort(key=lambda x: (-(x.reply_date is not None), -x.score))
    return found[:limit]


def repeat_warning(applicant_name: str, id_number: str, content: str, exclude_id: int | None = None) -> str:
    """The clerk's warning of likely repeat requests (Art. 36(6)); "" when there are none."""
    if not (applicant_name or "").strip() or not (content or "").strip():
        return ""
    found = similar_cases(applicant_name, id_number or "", content, exclude_id=exclude_id)
    if not found:
        return ""
    from gkdesk.cases import precedents

    parts = []
    for f in found[:3]:
        state = (f"已于{f.reply_date.isoformat()}答复（{oc.OUTCOMES[f.outcome].label}）"
                 if f.reply_date and f.outcome else terms.label_of(terms.STAGES, f.stage))
        if f.reply_date:
            letter, said = precedents.answer_of(f.case_id)     # the earlier answer, as the precedents show it
            state += (f"，答复书{letter}" if letter else "") + (f"：“{said}”" if said else "")
        parts.append(f"{f.number}，{state}，相似度{round(f.score * 100)}%")
    more = f"等{len(found)}件" if len(found) > 3 else ""
    return ("可能是重复申请（《条例》第三十六条第六项）：同一申请人的" + "；".join(parts) + more +
            "。请对照原答复决定是否按重复申请处理。")
