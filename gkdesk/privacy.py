"""Applicants' personal data: masked wherever it is listed, shown in full only on request
to the roles whose work needs it, and every such viewing recorded.

Masked (``110105********1234``, ``138****8000``): the identity document number and the
phone number — in case lists, search results, exports, logs and the audit trail's details.
The annual report and statistics never read them at all.

Who may see them in full (``can_view_personal``): the 登记员 (clerk), who registers the
application, checks the identity document and telephones or posts to the applicant, and the
审核人 (reviewer), who checks that the applicant is who they say (Art. 29 of the
Regulations). 分管领导 (leader) approves decisions and 管理员 (admin) manages users and
settings: neither needs an applicant's ID number, so by least privilege they see it masked
(a person holding several roles gets the union).
"""
from __future__ import annotations

from gkdesk import audit
from gkdesk.actors import Actor, require
from gkdesk.db import write_transaction
from gkdesk.errors import NotFound, ValidationError
from gkdesk.validation import mask_id, mask_phone

VIEW_ROLES = ("clerk", "reviewer")
FIELDS = {
    "id_number": ("证件号码", mask_id),
    "phone": ("联系电话", mask_phone),
}


def can_view_personal(actor: Actor | None) -> bool:
    return actor is not None and actor.has(*VIEW_ROLES)


def mask(field: str, value) -> str:
    """The masked form of ``value`` for a personal ``field`` (other fields unchanged)."""
    spec = FIELDS.get(field)
    return spec[1](value or "") if spec else value


def mask_row(row: dict) -> dict:
    """A copy of a case row (dict) with every personal field masked."""
    out = dict(row)
    for key in FIELDS:
        if key in out and out[key]:
            out[key] = mask(key, out[key])
    return out


def reveal(case_id: int, actor: Actor, field: str) -> str:
    """The full value of ``field`` of the case, for an actor allowed to see it; the
    viewing is recorded in the audit trail ("查看个人信息")."""
    from gkdesk.db.models import Case

    if field not in FIELDS:
        raise ValidationError(f"“{field}”不是需要保护的个人信息字段", field)
    label = FIELDS[field][0]
    require(actor, VIEW_ROLES, f"查看完整{label}")
    with write_transaction():
        case = Case.get_or_none(Case.id == case_id)
        if case is None:
            raise NotFound(f"找不到案件（编号 {case_id}）")
        value = getattr(case, field) or ""
        audit.record("view_personal", case=case, user=actor.username,
                     summary=f"查看个人信息：{label}", details={"field": field})
    return value
