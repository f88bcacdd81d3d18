"""The audit trail lives with the store (gkdesk/db/audit.py: the migrations record the
database's identity in it, so it sits beside them, below every area). This name stays for
callers: ``gkdesk.audit`` is that same module."""
import sys

from gkdesk.db import audit as _audit

sys.modules[__name__] = _audit
