"""Users and login: salted memory-hard hashes, lockout, roles for managing users, audit."""
from __future__ import annotations

import datetime as dt

import pytest

from gkdesk.actors import Actor

ADMIN_PW = "Gongkai#2026"
REAL_COST = {"test_password_stored_only_as_salted_scrypt", "test_weak_hash_parameters_upgraded_on_login",
             "test_cli_users_add_and_list"}


@pytest.fixture(autouse=True)
def cheaper_hash(request, monkeypatch):
    """The production cost (N=2^17, 128 MiB, ~0.5 s) is checked by the tests named in
    ``REAL_COST``; the others exercise the same code at N=2^12 to keep the suite fast."""
    from gkdesk import auth

    if request.node.name not in REAL_COST:
        monkeypatch.setattr(auth, "SCRYPT_LOG_N", 12)


@pytest.fixture
def admin(db_path):
    from gkdesk import auth

    assert auth.first_run()
    auth.create_user(None, "admin", "管理员老张", "admin", ADMIN_PW)
    assert not auth.first_run()
    return auth.authenticate("admin", ADMIN_PW)


def test_first_user_must_be_admin(db_path):
    from gkdesk import auth
    from gkdesk.errors import ValidationError

    with pytest.raises(ValidationError, match="第一个用户必须是管理员"):
        auth.create_user(None, "clerk1", "小王", "clerk", "abcdefgh1")
    assert auth.first_run()


def test_password_stored_only_as_salted_scrypt(admin):
    from gkdesk import auth
    from gkdesk.db.models import CaseEvent, User

    auth.create_user(admin, "wang", "小王", "clerk", ADMIN_PW)
    a, w = User.get(User.username == "admin"), User.get(User.username == "wang")
    for u in (a, w):
        assert u.password_hash.startswith("scrypt$17$8$1$")
        assert ADMIN_PW not in u.password_hash
    assert a.password_hash != w.password_hash            # salted: same password, other hash
    assert auth.verify_password(ADMIN_PW, w.password_hash)
    assert not auth.verify_password(ADMIN_PW + "x", w.password_hash)
    for ev in CaseEvent.select():
        assert ADMIN_PW not in (ev.summary + str(ev.details))


def test_authenticate_returns_actor_with_roles(admin):
    from gkdesk import auth

    auth.create_user(admin, "li", "李审核", "clerk,reviewer", "shenhe-2026")
    actor = auth.authenticate("li", "shenhe-2026")
    assert actor == Actor("li", "李审核", frozenset({"clerk", "reviewer"}))
    assert admin.has("admin")


def test_lockout_after_five_failures_for_fifteen_minutes(admin):
    from gkdesk import auth
    from gkdesk.auth import AuthError
    from gkdesk.db.models import CaseEvent, User

    auth.create_user(admin, "wang", "小王", "clerk", "dengji-2026")
    now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)
    for left in (4, 3, 2, 1):
        with pytest.raises(AuthError, match=f"再错{left}次"):
            auth.authenticate("wang", "wrong-password", now=now)
    with pytest.raises(AuthError, match="已被锁定") as exc:
        auth.authenticate("wang", "wrong-password", now=now)
    local = (now + dt.timedelta(minutes=15)).astimezone()
    assert f"{local:%H:%M} 后再试" in str(exc.value)
    # Locked: even the right password is refused, until the 15 minutes are over.
    with pytest.raises(AuthError, match="已被锁定"):
        auth.authenticate("wang", "dengji-2026", now=now + dt.timedelta(minutes=14))
    actor = auth.authenticate("wang", "dengji-2026", now=now + dt.timedelta(minutes=15, seconds=1))
    assert actor.username == "wang"
    u = User.get(User.username == "wang")
    assert u.failed_logins == 0 and u.locked_until is None
    actions = [e.action for e in CaseEvent.select().where(CaseEvent.user == "wang").order_by(CaseEvent.id)]
    assert actions == ["login_failed"] * 4 + ["user_locked", "login"]


def test_admin_unlocks(admin):
    from gkdesk import auth
    from gkdesk.auth import AuthError

    auth.create_user(admin, "wang", "小王", "clerk", "dengji-2026")
    for _ in range(5):
        with pytest.raises(AuthError):
            auth.authenticate("wang", "nope-nope")
    with pytest.raises(AuthError, match="已被锁定"):
        auth.authenticate("wang", "dengji-2026")
    auth.unlock_user(admin, "wang")
    assert auth.authenticate("wang", "dengji-2026").username == "wang"


def test_unknown_user_and_disabled_account(admin):
    from gkdesk import auth
    from gkdesk.auth import AuthError

    with pytest.raises(AuthError, match="^用户名或密码不正确$"):
        auth.authenticate("nobody", "whatever1")
    auth.create_user(admin, "old", "老同志", "clerk", "tuixiu-2026")
    auth.update_user(admin, "old", active=False)
    with pytest.raises(AuthError, match="已停用"):
        auth.authenticate("old", "tuixiu-2026")


def test_only_admins_manage_users_and_one_admin_stays(admin):
    from gkdesk import auth
    from gkdesk.errors import PermissionDenied, ValidationError

    auth.create_user(admin, "wang", "小王", "clerk", "dengji-2026")
    clerk = auth.authenticate("wang", "dengji-2026")
    with pytest.raises(PermissionDenied, match="“添加用户”需要管理员权限"):
        auth.create_user(clerk, "zhao", "小赵", "clerk", "dengji-2027")
    with pytest.raises(PermissionDenied):
        auth.update_user(clerk, "wang", roles="clerk,admin")
    with pytest.raises(PermissionDenied):
        auth.set_password(clerk, "admin", "takeover-1")
    with pytest.raises(ValidationError, match="至少要保留一个启用的管理员"):
        auth.update_user(admin, "admin", roles="clerk")
    with pytest.raises(ValidationError, match="至少要保留一个启用的管理员"):
        auth.update_user(admin, "admin", active=False)
    with pytest.raises(ValidationError, match="已存在"):
        auth.create_user(admin, "wang", "又一个小王", "clerk", "dengji-2028")
    with pytest.raises(ValidationError, match="未知的角色“boss”"):
        auth.create_user(admin, "zhao", "小赵", "clerk,boss", "dengji-2027")
    with pytest.raises(ValidationError, match="至少8个字符"):
        auth.create_user(admin, "zhao", "小赵", "clerk", "short")


def test_change_own_password_needs_old_one(admin):
    from gkdesk import auth
    from gkdesk.auth import AuthError

    auth.create_user(admin, "wang", "小王", "clerk", "dengji-2026")
    me = auth.authenticate("wang", "dengji-2026")
    with pytest.raises(AuthError, match="原密码不正确"):
        auth.set_password(me, "wang", "xinmima-2026", old_password="guess-guess")
    auth.set_password(me, "wang", "xinmima-2026", old_password="dengji-2026")
    assert auth.authenticate("wang", "xinmima-2026").username == "wang"


def test_weak_hash_parameters_upgraded_on_login(admin):
    from gkdesk import auth
    from gkdesk.db.models import User

    auth.create_user(admin, "wang", "小王", "clerk", "dengji-2026")
    User.update(password_hash=auth.hash_password("dengji-2026", log_n=14)).where(User.username == "wang").execute()
    auth.authenticate("wang", "dengji-2026")
    assert User.get(User.username == "wang").password_hash.startswith("scrypt$17$")


def test_cli_users_add_and_list(tmp_path, run_cli):
    db = tmp_path / "u.sqlite3"
    assert run_cli("--db", db, "init").returncode == 0
    r = run_cli("users", "add", "admin", "--roles", "admin", "--name", "管理员", "--password-stdin",
                "--db", db, input="Gongkai#2026\n")
    assert r.returncode == 0, r.stderr
    r = run_cli("users", "add", "wang", "--roles", "clerk,reviewer", "--password-stdin", "--db", db,
                input="dengji-2026\n")
    assert r.returncode == 0, r.stderr
    r = run_cli("users", "add", "zhao", "--roles", "clerk,boss", "--password-stdin", "--db", db, input="dengji-2026\n")
    assert r.returncode != 0 and "未知的角色“boss”" in r.stderr
    r = run_cli("users", "add", "qian", "--roles", "clerk", "--password-stdin", "--db", db, input="short\n")
    assert r.returncode != 0 and "至少8个字符" in r.stderr
    r = run_cli("users", "list", "--db", db)
    assert r.returncode == 0
    assert r.stdout.splitlines() == ["admin\t管理员\t管理员\t启用", "wang\twang\t登记员、审核人\t启用"]
