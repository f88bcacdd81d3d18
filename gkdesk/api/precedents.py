"""Precedents (gkdesk.cases.precedents) for the GUI: already frozen records."""
from __future__ import annotations

from gkdesk.cases.precedents import Precedent, search

__all__ = ["Precedent", "search"]
