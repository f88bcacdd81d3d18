"""The workflow's actions, each one registered unit (spec, precondition, apply).

``REGISTRY`` (code → ``Action``) is filled by importing the modules below, in process order;
``gkdesk.cases.workflow.perform`` is the engine that runs them. A new action is one function
in one of these modules, decorated with ``@action(ActionSpec(...), precondition=...)``."""
from gkdesk.cases.actions.spec import REGISTRY, Action, ActionSpec, FieldSpec, action
from gkdesk.cases.actions import review, handling, closing, proceedings  # noqa: F401,E402  (registers, in order)

__all__ = ["REGISTRY", "Action", "ActionSpec", "FieldSpec", "action"]
