"""Errors that carry meaning: a Chinese message fit for a clerk, and the field at fault.

The UI shows ``str(err)``; the CLI prints it on stderr and exits non-zero.
"""
from __future__ import annotations


class GkError(Exception):
    """Base of every error gkdesk reports to a person."""

    exit_code = 1

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(GkError):
    """Input refused; ``field`` names it (the Chinese label of the field)."""

    exit_code = 2

    def __init__(self, message: str, field: str | None = None, problems: list[str] | None = None):
        super().__init__(message, field)
        self.problems = problems or [message]


class WorkflowError(GkError):
    """A change of stage the law, the role or the current stage does not allow."""


class PermissionDenied(WorkflowError):
    """The user's roles do not allow this action."""


class ConflictError(GkError):
    """Someone else changed the record since it was read (optimistic version check)."""


class NotFound(GkError):
    exit_code = 3


class TemplateError(GkError):
    """A template names an unknown field, lacks a required one, or does not parse."""


class ImportError_(GkError):
    """An imported file was refused; ``problems`` lists every problem found."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


class DatabaseError(GkError):
    """The database cannot be opened or used as asked (corrupt, locked, newer schema…)."""

    exit_code = 4
