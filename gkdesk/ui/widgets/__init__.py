"""Small reusable widgets: term combo boxes, a Chinese date edit, invalid-field marking."""
from gkdesk.ui.widgets.fields import (  # noqa: F401
    ChineseDateEdit, TermCombo, is_invalid, set_invalid,
)


def alive(widget) -> bool:
    """False once the widget's C++ object is gone (a closed window deleted on close): a late
    read result or change signal must then be dropped, not shown."""
    import shiboken6

    return widget is not None and shiboken6.isValid(widget)
