"""The disclosure process (pure Python, no Qt): registration, deadlines, workflow, queries."""
from gkdesk.cases.registry import ApplicationInput, register  # noqa: F401
