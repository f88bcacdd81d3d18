"""Reconsideration and litigation records (复议、诉讼).

Each action is one registered unit: its ``ActionSpec``, its precondition (why it is not legal
now, or None) and ``apply(case, values, actor, today) -> (summary, details)``, which changes the
case row in place; ``workflow.perform`` (the engine) checks, saves, recomputes and audits."""
from __future__ import annotations

from gkdesk.cases.actions._common import DATE, TODAY, choices, not_before, not_future
from gkdesk.cases.actions.spec import ActionSpec, FieldSpec, action
from gkdesk.db.models import Proceeding
from gkdesk.domain import terms
from gkdesk.errors import ValidationError


@action(ActionSpec("proceeding_add", "登记行政复议/行政诉讼", ("clerk", "reviewer"),
               ("replied", "delivered", "archived"), (
        FieldSpec("kind", "类别", "choice", choices=choices(terms.PROCEEDING_KINDS)),
        FieldSpec("filed_date", "立案（申请）日期", DATE),
        FieldSpec("body", "复议机关或法院"),
        FieldSpec("note", "备注", "multiline", required=False),
    )))
def _proceeding_add(case, v, actor, today):
    not_future(v["filed_date"], "立案（申请）日期", today)
    not_before(v["filed_date"], case.reply_date, "立案（申请）日期", "答复日期")
    Proceeding.create(case=case, kind=v["kind"], filed_date=v["filed_date"], body=v["body"],
                      note=v.get("note") or "")
    return f"登记{terms.label_of(terms.PROCEEDING_KINDS, v['kind'])}：{v['body']}", None


def _pre_proceeding_result(case, today):
    return None if [p for p in case.proceedings if p.result is None] else "没有尚未审结的复议或诉讼"


@action(ActionSpec("proceeding_result", "登记复议/诉讼结果", ("clerk", "reviewer"),
               ("replied", "delivered", "archived"), (
        FieldSpec("proceeding_id", "复议或诉讼", "choice"),
        FieldSpec("result", "结果", "choice", choices=choices(terms.PROCEEDING_RESULTS)),
        FieldSpec("result_date", "结果日期", DATE, default=TODAY),
    )), precondition=_pre_proceeding_result)
def _proceeding_result(case, v, actor, today):
    p = Proceeding.get_or_none(Proceeding.id == int(v["proceeding_id"]), Proceeding.case == case)
    if p is None or p.result is not None:
        raise ValidationError("复议或诉讼：请选择一项尚未审结的复议或诉讼", "复议或诉讼")
    not_future(v["result_date"], "结果日期", today)
    not_before(v["result_date"], p.filed_date, "结果日期", "立案（申请）日期")
    p.result, p.result_date = v["result"], v["result_date"]
    p.save()
    return f"{terms.label_of(terms.PROCEEDING_KINDS, p.kind)}结果：{terms.label_of(terms.PROCEEDING_RESULTS, p.result)}", None
