"""Which document a case is ready for: kind → check (None when ready, else the reason).

The workflow service may consult ``refusal(kind, case)`` before offering an action; the
document service refuses to issue or preview a document the case is not ready for.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from gkdesk.domain import terms
from gkdesk.domain.outcomes import OUTCOMES, TERMINATION_OUTCOMES


def _always(case) -> str | None:
    return None


def _open(case) -> str | None:
    if case.stage not in terms.OPEN_STAGES:
        return f"案件已处于“{terms.label_of(terms.STAGES, case.stage)}”阶段，不能再出具此文书"
    return None


def _has(model_name: str, what: str, hint: str) -> Callable:
    def check(case) -> str | None:
        from gkdesk.db import models

        model = getattr(models, model_name)
        if not model.select().where(model.case == case).exists():
            return f"案件没有{what}记录，{hint}"
        return None
    return check


def _correction(case) -> str | None:
    return _open(case) or _has("Correction", "补正", "请先登记补正（需补正的内容和补正期限）")(case)


def _consultation(case) -> str | None:
    return _has("Consultation", "征求意见", "请先登记征求意见（对象、涉及的信息、期限）")(case)


def _extension(case) -> str | None:
    return _has("Extension", "延期答复", "请先登记延期（理由、延长天数、批准人）")(case)


def _fee(case) -> str | None:
    return _has("Fee", "信息处理费", "请先登记收费（计收方式、数量、金额）")(case)


def _reply(case) -> str | None:
    if not case.outcome:
        return "案件尚未确定办理结果，请先选择办理结果再出具答复书"
    if case.outcome not in OUTCOMES:
        return f"未知的办理结果“{case.outcome}”"
    return None


def _termination(case) -> str | None:
    from gkdesk.db.models import Correction, Fee

    if case.outcome in TERMINATION_OUTCOMES:
        return None
    if Correction.select().where((Correction.case == case) & Correction.abandoned).exists():
        return None
    if Fee.select().where((Fee.case == case) & Fee.abandoned).exists():
        return None
    return "只有申请人逾期不补正或逾期未缴费（视为放弃申请）时才能出具终止办理告知书"


def _service_proof(case) -> str | None:
    from gkdesk.db.models import Document

    if not Document.select().where((Document.case == case) & (Document.status == "issued")
                                   & (Document.kind != "service-proof")).exists():
        return "案件还没有已发出的文书，无法制作送达回证（请先出具答复书等文书）"
    return None


def _not_of_a_case(case) -> str | None:
    return "催报通知、督办通知发给单位，不属于案件；请在“工作任务”中出具"


@dataclass(frozen=True)
class KindSpec:
    code: str
    check: Callable
    sealed: bool = True                       # carries the office seal over the date
    roles: tuple[str, ...] = ("clerk", "reviewer", "leader", "admin")
    of_case: bool = True                      # False: issued to a unit (gkdesk/tasks/letters.py)

    @property
    def label(self) -> str:
        return terms.DOCUMENT_KINDS[self.code].label


def _handoff(case) -> str | None:
    from gkdesk.db.desk_models import Handoff

    if not Handoff.select().where(Handoff.case == case).exists():
        return "案件没有交办记录，请先交办（承办单位、内部办理期限）"
    return None


KINDS: dict[str, KindSpec] = {k.code: k for k in (
    KindSpec("application_form", _always, sealed=False),
    KindSpec("receipt", _always),
    KindSpec("correction", _correction),
    KindSpec("not-request", _open),
    KindSpec("consultation", _consultation),
    KindSpec("consultation-notice", _consultation),
    KindSpec("extension", _extension, roles=("reviewer", "leader", "admin")),
    KindSpec("fee", _fee),
    KindSpec("reply", _reply, roles=("leader", "reviewer", "admin")),
    KindSpec("termination", _termination, roles=("leader", "reviewer", "admin")),
    KindSpec("service-proof", _service_proof),
    KindSpec("handoff", _handoff, sealed=True),
    KindSpec("reminder", _not_of_a_case, of_case=False),
    KindSpec("supervision", _not_of_a_case, of_case=False, roles=("leader", "reviewer", "admin", "clerk")),
)}
assert set(KINDS) == set(terms.DOCUMENT_KINDS), "every document kind needs a readiness check"


def spec(kind: str) -> KindSpec:
    from gkdesk.errors import TemplateError

    try:
        return KINDS[kind]
    except KeyError:
        raise TemplateError(f"未知的文书种类“{kind}”。可用：" + "、".join(
            f"{k}（{v.label}）" for k, v in KINDS.items()), field="文书种类") from None


def refusal(kind: str, case) -> str | None:
    """Why ``case`` is not ready for a document of ``kind`` (None when it is)."""
    return spec(kind).check(case)


def template_name(kind: str, case) -> str:
    """The template a document of ``kind`` uses for ``case`` (reply → its outcome's variant)."""
    spec(kind)
    if kind == "reply":
        reason = _reply(case)
        if reason:
            from gkdesk.errors import WorkflowError

            raise WorkflowError(reason, field="办理结果")
        return f"reply.{OUTCOMES[case.outcome].letter}"
    return kind


def available(case) -> dict[str, str | None]:
    """kind → None (ready) or the reason it is not, for menus (documents of a case only)."""
    return {k: refusal(k, case) for k, v in KINDS.items() if v.of_case}
