"""Users, passwords and login: only the right people.

Passwords are stored only as salted, memory-hard **scrypt** hashes (``hashlib.scrypt``,
N=2^17, r=8, p=1: 128 MiB and about half a second per guess, the OWASP recommendation).
scrypt rather than argon2id because it is in Python's standard library: no compiled
dependency to ship in the Windows installer, and the same strength class for an office
desktop. The stored form names its parameters (``scrypt$17$8$1$salt$hash``), so they can
be raised later; ``authenticate`` re-hashes an old-parameter hash on the next login.

After ``MAX_FAILURES`` wrong passwords in a row an account is locked for
``LOCK_MINUTES``; an administrator can unlock it. The first user (``first_run()``) must
be an administrator; after that only administrators manage users. Every change and every
login (success, failure, lock) is recorded in the audit trail.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets as _secrets

from gkdesk import audit
from gkdesk.actors import ALL_ROLES, SYSTEM, Actor, require
from gkdesk.db import write_transaction
from gkdesk.db.models import User, utcnow
from gkdesk.domain import terms
from gkdesk.errors import GkError, NotFound, PermissionDenied, ValidationError

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8
SCRYPT_LOG_N = 17
SCRYPT_R = 8
SCRYPT_P = 1
_MAXMEM = 256 * 1024 * 1024
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}$")


class AuthError(GkError):
    """Login refused: wrong name or password, locked or disabled account."""


# ------------------------------------------------------------------ hashing

def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, log_n: int | None = None, r: int | None = None,
                  p: int | None = None) -> str:
    log_n, r, p = log_n or SCRYPT_LOG_N, r or SCRYPT_R, p or SCRYPT_P
    salt = _secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=1 << log_n, r=r, p=p,
                            maxmem=_MAXMEM, dklen=32)
    return f"scrypt${log_n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str | None) -> bool:
    try:
        scheme, log_n, r, p, salt, digest = (encoded or "").split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=1 << int(log_n),
                             r=int(r), p=int(p), maxmem=_MAXMEM, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def needs_rehash(encoded: str | None) -> bool:
    parts = (encoded or "").split("$")
    return len(parts) != 6 or parts[0] != "scrypt" or \
        (int(parts[1]), int(parts[2]), int(parts[3])) < (SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)


_DUMMY_HASH: str | None = None


def _dummy_verify(password: str) -> None:
    """Spend the time a real check takes, so a wrong user name is not faster to discover."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None or needs_rehash(_DUMMY_HASH) or not _DUMMY_HASH.startswith(f"scrypt${SCRYPT_LOG_N}$"):
        _DUMMY_HASH = hash_password("gkdesk-dummy-password")
    verify_password(password, _DUMMY_HASH)


# ------------------------------------------------------------------ checks

def check_password(password: str, username: str = "", field: str = "密码") -> str:
    if password is None or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"{field}：至少{MIN_PASSWORD_LENGTH}个字符", field)
    if len(set(password)) < 3:
        raise ValidationError(f"{field}：过于简单，请混用不同的字母、数字或符号", field)
    if username and password.casefold() == username.casefold():
        raise ValidationError(f"{field}：不能与用户名相同", field)
    return password


def check_username(username: str) -> str:
    name = (username or "").strip()
    if not USERNAME_RE.fullmatch(name):
        raise ValidationError("用户名：2至32个字符，只能用汉字、字母、数字、下划线、点或连字符", "用户名")
    return name


def check_roles(roles) -> list[str]:
    if isinstance(roles, str):
        roles = [r.strip() for r in roles.split(",")]
    roles = [r for r in (roles or []) if r]
    bad = [r for r in roles if r not in terms.ROLES]
    if bad:
        known = "、".join(f"{c}（{terms.ROLES[c].label}）" for c in terms.ROLES)
        raise ValidationError(f"角色：未知的角色“{bad[0]}”，可选：{known}", "角色")
    if not roles:
        raise ValidationError("角色：至少选择一个角色", "角色")
    return [r for r in terms.ROLES if r in roles]   # canonical order, no duplicates


def actor_of(user: Actor | str | None) -> Actor:
    """The acting user as an ``Actor``, so a service can check the role itself.

    An ``Actor`` is taken as it is; a user name is looked up (its roles, and refused when the
    account is disabled or unknown). Before the first account exists (headless use, a new
    database: nobody can log in yet) a name acts with every role, like the CLI's system user.
    """
    if isinstance(user, Actor):
        return user
    name = (user or "").strip()
    if name == SYSTEM.username:
        return SYSTEM
    row = User.get_or_none(User.username == name) if name else None
    if row is not None:
        if not row.active:
            raise PermissionDenied(f"用户“{row.display_name or name}”已停用，不能办理")
        return Actor.from_user(row)
    if not User.select().exists():
        return Actor(name or SYSTEM.username, name or SYSTEM.display_name, ALL_ROLES)
    raise PermissionDenied(f"没有名为“{name}”的在用用户，不能办理；请用自己的账号登录")


def _get(username: str) -> User:
    user = User.get_or_none(User.username == (username or "").strip())
    if user is None:
        raise NotFound(f"找不到用户“{username}”")
    return user


# ------------------------------------------------------------------ users

def first_run() -> bool:
    """True while no user exists: the GUI then asks for the first administrator."""
    return not User.select().exists()


def list_users() -> list[User]:
    return list(User.select().order_by(User.username))


def create_user(actor: Actor | None, username: str, display_name: str, roles, password: str) -> User:
    """Add a user. The very first user needs no actor but must be an administrator."""
    username = check_username(username)
    roles = check_roles(roles)
    display_name = (display_name or "").strip() or username
    if len(display_name) > 64:
        raise ValidationError("姓名：最多64个字符", "姓名")
    check_password(password, username)
    encoded = hash_password(password)
    with write_transaction():
        if first_run():
            if "admin" not in roles:
                raise ValidationError("角色：第一个用户必须是管理员（admin）", "角色")
            by = actor.username if actor else username
        else:
            if actor is None:
                raise AuthError("添加用户需要管理员登录")
            require(actor, "admin", "添加用户")
            by = actor.username
        if User.select().where(User.username == username).exists():
            raise ValidationError(f"用户名：“{username}”已存在", "用户名")
        user = User.create(username=username, display_name=display_name, roles=",".join(roles),
                           password_hash=encoded, active=True)
        audit.record("user_add", user=by, summary=f"添加用户 {username}（{display_name}）",
                     details={"username": username, "roles": roles})
    return user


def update_user(actor: Actor, username: str, *, display_name: str | None = None, roles=None,
                active: bool | None = None) -> User:
    require(actor, "admin", "修改用户")
    with write_transaction():
        user = _get(username)
        before = {"display_name": user.display_name, "roles": user.roles, "active": user.active}
        if display_name is not None:
            display_name = display_name.strip() or user.username
            if len(display_name) > 64:
                raise ValidationError("姓名：最多64个字符", "姓名")
            user.display_name = display_name
        if roles is not None:
            user.roles = ",".join(check_roles(roles))
        if active is not None:
            user.active = bool(active)
        _keep_an_admin(user)
        user.save()
        after = {"display_name": user.display_name, "roles": user.roles, "active": user.active}
        changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if changed:
            audit.record("user_change", user=actor.username, summary=f"修改用户 {user.username}",
                         details=changed)
    return user


def _keep_an_admin(changed: User) -> None:
    """Refuse a change that would leave no active administrator (nobody could manage users)."""
    others = (User.select().where(User.id != changed.id, User.active == True)  # noqa: E712
              .where(User.roles.contains("admin")))
    still_admin = changed.active and "admin" in changed.role_set
    if not still_admin and not any("admin" in u.role_set for u in others):
        raise ValidationError("至少要保留一个启用的管理员账户", "角色")


def set_password(actor: Actor, username: str, new_password: str, old_password: str | None = None) -> None:
    """An administrator sets anyone's password; a user changes their own with the old one."""
    own = actor.username == username
    if not own:
        require(actor, "admin", "重设他人密码")
    check_password(new_password, username, "新密码")
    encoded = hash_password(new_password)
    with write_transaction():
        user = _get(username)
        if own and not actor.has("admin"):
            if old_password is None or not verify_password(old_password, user.password_hash):
                raise AuthError("原密码不正确")
        user.password_hash = encoded
        user.failed_logins = 0
        user.locked_until = None
        user.save()
        audit.record("password_set", user=actor.username,
                     summary=("修改本人密码" if own else f"重设用户 {username} 的密码"))


def unlock_user(actor: Actor, username: str) -> None:
    require(actor, "admin", "解锁用户")
    with write_transaction():
        user = _get(username)
        user.failed_logins = 0
        user.locked_until = None
        user.save()
        audit.record("user_unlock", user=actor.username, summary=f"解锁用户 {username}")


# ------------------------------------------------------------------ login

def _aware(value):
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value


def lock_message(until: dt.datetime) -> str:
    local = until.astimezone()
    return (f"该账户因连续{MAX_FAILURES}次密码错误已被锁定，请于 {local:%H:%M} 后再试，"
            "或请管理员解锁")


def authenticate(username: str, password: str, *, now: dt.datetime | None = None,
                 purpose: str = "login") -> Actor:
    """The ``Actor`` of the user whose name and password these are, else ``AuthError``.

    ``purpose`` ``"unlock"`` is the idle-lock re-entry (recorded as such)."""
    now = now or utcnow()
    username = (username or "").strip()
    typed = username[:64]
    user = User.get_or_none(User.username == username) if username else None
    if user is None:
        _dummy_verify(password or "")
        from gkdesk.db import current

        if current().read_only:
            raise AuthError("用户名或密码不正确")
        with write_transaction():
            audit.record("login_failed", user=typed, summary="登录失败：用户名或密码不正确")
        raise AuthError("用户名或密码不正确")
    locked_until = _aware(user.locked_until)
    if locked_until is not None and locked_until > now:
        raise AuthError(lock_message(locked_until))
    if not user.active:
        raise AuthError("该账户已停用，请联系管理员")
    ok = verify_password(password or "", user.password_hash)
    from gkdesk.db import current

    if current().read_only:
        # Nothing can be recorded in a database opened read-only (no lockout counting
        # either): the password is still checked.
        if not ok:
            raise AuthError("用户名或密码不正确")
        return Actor.from_user(user)
    with write_transaction():
        user = User.get_by_id(user.id)   # fresh: another window may have counted a failure
        if not ok:
            failures = (user.failed_logins or 0) + 1
            if failures >= MAX_FAILURES:
                until = now + dt.timedelta(minutes=LOCK_MINUTES)
                User.update(failed_logins=0, locked_until=until).where(User.id == user.id).execute()
                audit.record("user_locked", user=user.username,
                             summary=f"连续{MAX_FAILURES}次密码错误，账户锁定{LOCK_MINUTES}分钟")
            else:
                User.update(failed_logins=failures).where(User.id == user.id).execute()
                audit.record("login_failed", user=user.username, summary="登录失败：密码不正确")
        else:
            changes = {"failed_logins": 0, "locked_until": None}
            if needs_rehash(user.password_hash):
                changes["password_hash"] = hash_password(password)
            User.update(**changes).where(User.id == user.id).execute()
            audit.record(purpose, user=user.username,
                         summary="解除闲置锁定" if purpose == "unlock" else "登录")
    if not ok:
        if failures >= MAX_FAILURES:
            raise AuthError(lock_message(until))
        left = MAX_FAILURES - failures
        raise AuthError(f"用户名或密码不正确（再错{left}次账户将被锁定{LOCK_MINUTES}分钟）")
    return Actor.from_user(user)
