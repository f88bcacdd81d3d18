"""What an action is: its description (``ActionSpec`` with its ``FieldSpec``s) and the
registered unit (``Action``: spec, precondition, apply). ``action(spec, precondition=…)``
registers the function it decorates as the action's ``apply``; each code is registered once."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable


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


Precondition = Callable[[Any, dt.date], "str | None"]
"""``(case, today) -> why the action is not legal now`` (None when it is)."""
Apply = Callable[[Any, dict, Any, dt.date], "tuple[str, dict | None]"]
"""``(case, values, actor, today) -> (summary, extra audit details)``; changes the case row."""


def _always(case, today) -> None:
    return None


@dataclass(frozen=True)
class Action:
    spec: ActionSpec
    precondition: Precondition
    apply: Apply

    @property
    def code(self) -> str:
        return self.spec.code


REGISTRY: dict[str, Action] = {}
"""Every action by code, in process order (the order the modules register them)."""


def action(spec: ActionSpec, *, precondition: Precondition | None = None):
    """Register the decorated ``apply`` as the action ``spec.code`` (once)."""
    def register(apply: Apply) -> Apply:
        if spec.code in REGISTRY:
            raise RuntimeError(f"action {spec.code!r} registered twice")
        REGISTRY[spec.code] = Action(spec, precondition or _always, apply)
        return apply
    return register
