"""Small reusable widgets: term combo boxes, a Chinese date edit, invalid-field marking."""
from gkdesk.ui.widgets.fields import (  # noqa: F401
    ChineseDateEdit, TermCombo, is_invalid, set_invalid,
)
