"""Reports: annual-report tables 二/三/四, the ledger (台账) in and out, statistics and the
two yearly reviews. Pure Python, no Qt."""
from gkdesk.errors import GkError


class Cancelled(GkError):
    """The user stopped a long report job; nothing was written."""
