"""Every write checks the role itself, in the core: calling the service directly is no way
around a screen that hides a button."""
import datetime as dt

import pytest

from gkdesk import auth, changes, settings
from gkdesk.actors import Actor
from gkdesk.cases import registry
from gkdesk.db.models import Attachment, Case, Setting
from gkdesk.errors import PermissionDenied
from gkdesk.forms import units
from gkdesk.reports import annual
from tests.cases.helpers import new_case

CLERK = Actor("wang", "小王", frozenset({"clerk"}))
LEADER = Actor("li", "李主任", frozenset({"leader"}))
ADMIN = Actor("admin", "管理员", frozenset({"admin"}))
NOBODY = Actor("guest", "来宾", frozenset())


@pytest.fixture
def accounts(db_path, monkeypatch):
    monkeypatch.setattr(auth, "SCRYPT_LOG_N", 4)
    auth.create_user(None, "admin", "管理员", ["admin"], "Gongkai#2026")
    auth.create_user(ADMIN, "wang", "小王", ["clerk"], "dengji-2026")
    auth.create_user(ADMIN, "li", "李主任", ["leader"], "lingdao-2026")
    return db_path


def _app():
    return registry.ApplicationInput(applicant_name="张三", content="某某路规划", id_type="none",
                                     phone="13800138000", received_date=dt.date(2026, 3, 2))


def _office_name():
    row = Setting.get_or_none(Setting.key == "office.name")
    return row.value if row else None


def test_a_clerk_cannot_change_settings_even_by_calling_the_service(accounts):
    before = _office_name()
    for who in (CLERK, "wang", LEADER, "li"):
        with pytest.raises(PermissionDenied, match="修改设置.*管理员"):
            settings.save({"office.name": "某某县人民政府办公室"}, user=who)
    assert _office_name() == before, "nothing was written"
    settings.save({"office.name": "某某县人民政府办公室"}, user="admin")
    assert settings.get("office.name") == "某某县人民政府办公室"


def test_an_unknown_or_disabled_name_is_refused_once_accounts_exist(accounts):
    with pytest.raises(PermissionDenied, match="没有名为“mallory”"):
        settings.save({"office.name": "x"}, user="mallory")
    auth.update_user(ADMIN, "wang", active=False)
    with pytest.raises(PermissionDenied, match="已停用"):
        registry.register(_app(), user="wang")


def test_registration_and_attachments_check_the_role(accounts, tmp_path):
    app = _app()
    with pytest.raises(PermissionDenied, match="登记申请"):
        registry.register(app, user=LEADER)
    assert Case.select().count() == 0
    case = registry.register(app, user=CLERK)
    assert case.registered_by == "wang"
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    with pytest.raises(PermissionDenied, match="添加附件"):
        registry.add_attachment(case, str(scan), user=NOBODY)
    assert Attachment.select().count() == 0
    registry.add_attachment(case, str(scan), user=LEADER)
    assert [a.added_by for a in Attachment.select()] == ["li"]


def test_table2_checks_the_role(accounts):
    with pytest.raises(PermissionDenied, match="表二"):
        annual.save_table2(2026, {}, NOBODY)


def test_without_any_account_a_headless_name_acts_with_every_role(db_path):
    """A new database (no login possible yet) and the CLI: the name is recorded as given."""
    settings.save({"office.name": "某某县人民政府办公室"}, user="setup")
    assert settings.get("office.name") == "某某县人民政府办公室"
    assert new_case().registered_by == "clerk1"


def test_settings_units_and_calendar_writes_name_their_topic(accounts):
    got = []
    unsubscribe = changes.subscribe(lambda c, who: got.append(c))
    try:
        settings.save({"office.phone": "0595-22355660"}, user=ADMIN)
        units.add_unit("区教育局", CLERK)
    finally:
        unsubscribe()
    assert [sorted(c.topics) for c in got] == [["settings"], ["units"]]
    assert not any(c.case_list or c.cases for c in got)


def test_an_action_that_changes_no_list_column_does_not_recount_the_list(db_path):
    from gkdesk.actors import SYSTEM
    from gkdesk.cases import workflow

    case = new_case()
    case = workflow.perform(case.id, "accept", SYSTEM, section="城建股", handler="张科员")
    got = []
    unsubscribe = changes.subscribe(lambda c, who: got.append(c))
    try:
        workflow.perform(case.id, "assign", SYSTEM, section="城建股", handler="张科员")   # same handler: only an event
        workflow.perform(case.id, "assign", SYSTEM, section="城建股", handler="李科员")   # the list shows the handler
    finally:
        unsubscribe()
    assert [c.cases for c in got] == [{case.id}, {case.id}]
    assert [c.case_list for c in got] == [False, True]
