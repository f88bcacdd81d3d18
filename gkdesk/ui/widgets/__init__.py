"""Small reusable widgets: term combo boxes, a Chinese date edit, invalid-field marking."""
from gkdesk.ui.widgets.fields import (  # noqa: F401
    ChineseDateEdit, TermCombo, is_invalid, set_invalid,
)


def alive(widget) -> bool:
    """False once the widget's C++ object is gone (a closed window deleted on close): a late
    read result or change signal must then be dropped, not shown."""
    import shiboken6

    return widget is not None and shiboken6.isValid(widget)


def read_failed(what: str):
    """A ``failure`` callback for a screen's refresh read: logged, never a message box (a
    refresh that fails — the case deleted, the database closed — leaves the old content)."""
    import logging

    def failed(exc: BaseException) -> None:
        logging.getLogger("gkdesk.ui").warning("%s：读取失败：%s", what, exc)
    return failed
