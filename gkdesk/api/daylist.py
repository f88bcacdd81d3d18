"""The day's list (gkdesk.cases.daylist) for the GUI: already frozen records."""
from __future__ import annotations

from gkdesk.cases.daylist import LEVELS, DayList, DueItem, HandlerGroup, compute, write_pdf

__all__ = ["LEVELS", "DayList", "DueItem", "HandlerGroup", "compute", "write_pdf"]
