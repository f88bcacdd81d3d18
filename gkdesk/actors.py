"""Who is acting: the user and the roles the service layer checks.

Roles (gkdesk.domain.terms.ROLES): clerk 登记员 (registers, handles), reviewer 审核人
(reviews, approves notices), leader 分管领导 (approves extensions and replies), admin 管理员
(users, settings, reopening). One person may hold several.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from gkdesk.domain import terms
from gkdesk.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    username: str
    display_name: str = ""
    roles: frozenset = field(default_factory=frozenset)

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @classmethod
    def from_user(cls, user) -> "Actor":
        return cls(user.username, user.display_name, frozenset(user.role_set))


ALL_ROLES = frozenset(terms.ROLES)
# The actor used by headless commands and demo data: every role, recorded as "系统".
SYSTEM = Actor("system", "系统", ALL_ROLES)


def require(actor: Actor, roles: tuple[str, ...] | str, action: str) -> None:
    """Refuse unless ``actor`` holds one of ``roles``; the message names the action and roles."""
    if isinstance(roles, str):
        roles = (roles,)
    if not actor.has(*roles):
        need = "或".join(terms.ROLES[r].label for r in roles)
        raise PermissionDenied(f"“{action}”需要{need}权限，当前用户“{actor.name}”没有该权限")
