"""Personal data: masked by default, shown in full only to roles that need it, every
viewing recorded; the audit trail never carries the full ID or phone number."""
from __future__ import annotations

import pytest

from gkdesk.actors import Actor
from tests.reliability.helpers import application

CLERK = Actor("wang", "小王", frozenset({"clerk"}))
REVIEWER = Actor("li", "李审核", frozenset({"reviewer"}))
LEADER = Actor("zhao", "赵主任", frozenset({"leader"}))
ADMIN = Actor("admin", "管理员", frozenset({"admin"}))


def test_who_may_see():
    from gkdesk.privacy import can_view_personal

    assert can_view_personal(CLERK) and can_view_personal(REVIEWER)
    assert not can_view_personal(LEADER) and not can_view_personal(ADMIN)
    assert can_view_personal(Actor("x", "", frozenset({"leader", "clerk"})))
    assert not can_view_personal(None)


def test_masks():
    from gkdesk.privacy import mask, mask_row

    assert mask("id_number", "110105199001011234") == "110105********1234"
    assert mask("phone", "13800138000") == "138****8000"
    assert mask("applicant_name", "张三") == "张三"
    row = {"applicant_name": "张三", "id_number": "110105199001011234", "phone": "0595-22355669"}
    masked = mask_row(row)
    assert masked == {"applicant_name": "张三", "id_number": "110105********1234", "phone": "059*****5669"}
    assert row["id_number"] == "110105199001011234"     # the original is untouched


def test_reveal_records_and_refuses(db_path):
    from gkdesk import privacy
    from gkdesk.cases.registry import register
    from gkdesk.db.models import CaseEvent
    from gkdesk.errors import NotFound, PermissionDenied, ValidationError

    case = register(application(7, phone="13912345678"), "wang")
    n = CaseEvent.select().count()
    assert privacy.reveal(case.id, REVIEWER, "phone") == "13912345678"
    ev = CaseEvent.select().order_by(CaseEvent.id.desc()).first()
    assert (ev.action, ev.user, ev.case_id, ev.summary) == ("view_personal", "li", case.id, "查看个人信息：联系电话")
    assert "13912345678" not in str(ev.details)
    for actor in (LEADER, ADMIN):
        with pytest.raises(PermissionDenied, match="查看完整证件号码”需要登记员或审核人权限"):
            privacy.reveal(case.id, actor, "id_number")
    with pytest.raises(ValidationError):
        privacy.reveal(case.id, CLERK, "address")
    with pytest.raises(NotFound):
        privacy.reveal(99999, CLERK, "id_number")
    assert CaseEvent.select().count() == n + 1          # refusals record nothing


def test_audit_trail_holds_no_full_personal_numbers(db_path):
    from gkdesk.cases.registry import register
    from gkdesk.db.models import CaseEvent

    cases = [register(application(i, phone=f"1391234{i:04d}"), "wang") for i in range(5)]
    text = " ".join(f"{e.summary} {e.details}" for e in CaseEvent.select())
    for c in cases:
        assert c.id_number not in text and c.phone not in text
