"""保密审查 before a disclosing reply (docs/supervision.md §4): who reviewed, when, the
conclusion, and whether personal data were removed (去标识化). With the setting
``process.require_confidentiality_review`` on, the workflow refuses a reply that discloses
(予以公开、部分公开) until the case has a review whose conclusion allows it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gkdesk import audit
from gkdesk.actors import Actor, require
from gkdesk.db import write_transaction
from gkdesk.domain import outcomes, supervision
from gkdesk.errors import NotFound, ValidationError, WorkflowError

SETTING = "process.require_confidentiality_review"


@dataclass(frozen=True)
class ReviewView:
    id: int
    case_id: int
    reviewer: str
    review_date: dt.date
    conclusion: str
    conclusion_label: str
    deidentified: bool
    note: str
    recorded_by: str


def _view(r) -> ReviewView:
    return ReviewView(r.id, r.case_id, r.reviewer, r.review_date, r.conclusion,
                      supervision.label(supervision.CONFIDENTIALITY_CONCLUSIONS, r.conclusion),
                      bool(r.deidentified), r.note, r.recorded_by)


def reviews(case_id: int) -> list[ReviewView]:
    from gkdesk.db.annual_models import ConfidentialityReview as CR

    q = CR.select().where(CR.case == case_id).order_by(CR.review_date.desc(), CR.id.desc())
    return [_view(r) for r in q]


def record(case_id: int, actor: Actor, *, reviewer: str, review_date, conclusion: str,
           deidentified: bool, note: str = "", today: dt.date | None = None) -> ReviewView:
    """Record a confidentiality review on the case; one transaction, one audit event."""
    from gkdesk.cases import deadlines
    from gkdesk.db.annual_models import ConfidentialityReview as CR
    from gkdesk.db.models import Case

    require(actor, ("clerk", "reviewer", "leader", "admin"), "登记保密审查")
    today = today or deadlines.today()
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise ValidationError("审查人：请填写进行保密审查的人员", "审查人")
    if isinstance(review_date, str):
        try:
            review_date = dt.date.fromisoformat(review_date.strip())
        except ValueError:
            raise ValidationError(f"审查日期：“{review_date}”格式不对，应为 YYYY-MM-DD", "审查日期") from None
    if not isinstance(review_date, dt.date):
        raise ValidationError("审查日期：请填写审查日期", "审查日期")
    if review_date > today:
        raise ValidationError(f"审查日期：{review_date.isoformat()} 晚于今天", "审查日期")
    if conclusion not in supervision.CONFIDENTIALITY_CONCLUSIONS:
        raise ValidationError("审查结论：请选择" + "、".join(
            f"“{t.label}”" for t in supervision.CONFIDENTIALITY_CONCLUSIONS.values()), "审查结论")
    with write_transaction():
        case = Case.get_or_none(Case.id == case_id)
        if case is None:
            raise NotFound(f"找不到案件（{case_id}）", field="案件")
        if review_date < case.received_date:
            raise ValidationError(f"审查日期：{review_date.isoformat()} 早于收到申请日期", "审查日期")
        row = CR.create(case=case, reviewer=reviewer, review_date=review_date, conclusion=conclusion,
                        deidentified=bool(deidentified), note=(note or "").strip(), recorded_by=actor.username)
        label = supervision.label(supervision.CONFIDENTIALITY_CONCLUSIONS, conclusion)
        audit.record("confidentiality_review", case=case, user=actor.username,
                     summary=f"保密审查：{label}（审查人{reviewer}，{'已' if deidentified else '未'}去标识化）",
                     details={"reviewer": reviewer, "review_date": review_date.isoformat(),
                              "conclusion": conclusion, "deidentified": bool(deidentified)})
    return _view(row)


def required() -> bool:
    from gkdesk import settings

    return bool(settings.get(SETTING))


def check_before_reply(case, outcome_code: str) -> None:
    """Refuse (WorkflowError) a disclosing reply without a confidentiality review that
    allows it, when the office's setting requires one."""
    o = outcomes.OUTCOMES.get(outcome_code)
    if o is None or o.group not in outcomes.DISCLOSING_GROUPS or not required():
        return
    got = reviews(case.id)
    if not got:
        raise WorkflowError(
            f"本机关已设置“答复公开前须经保密审查”，案件 {case.number} 尚无保密审查记录，不能作出“{o.label}”的答复。"
            "请先在案件中登记保密审查（审查人、审查日期、审查结论、是否已去标识化）。", field="保密审查")
    last = got[0]
    if last.conclusion not in supervision.CONFIDENTIALITY_ALLOWS_DISCLOSURE:
        raise WorkflowError(
            f"案件 {case.number} 最近一次保密审查（{last.review_date.isoformat()}，{last.reviewer}）的结论为"
            f"“{last.conclusion_label}”，不能作出“{o.label}”的答复。", field="保密审查")
