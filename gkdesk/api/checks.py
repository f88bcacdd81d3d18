"""Field checks and masks for the screens: the core's own validators (``gkdesk.validation``),
so a form judges a field while the clerk types exactly as the save will judge it. Pure
functions on text; no database."""
from __future__ import annotations

from gkdesk.validation import (
    _USCC_CHARS,
    check_email,
    check_phone,
    check_postcode,
    check_resident_id,
    check_uscc,
    mask_id,
    mask_phone,
    normalise,
)

__all__ = ["check_email", "check_phone", "check_postcode", "check_resident_id", "check_uscc",
           "mask_id", "mask_phone", "normalise", "ID_CHARS"]

# The characters an unfinished 18-character number of each type may hold so far (a number
# still being typed is not yet wrong).
ID_CHARS = {"resident_id": "0123456789X", "uscc": _USCC_CHARS}
