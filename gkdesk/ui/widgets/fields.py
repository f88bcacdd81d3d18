"""Field widgets shared by dialogs and pages."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QComboBox, QDateEdit, QWidget

from gkdesk.domain.terms import Term

INVALID_PROPERTY = "invalid"


def set_invalid(widget: QWidget, message: str | None) -> None:
    """Mark ``widget`` as holding a wrong value (light red, via the style sheet's
    ``*[invalid="true"]`` rule) with ``message`` as its tooltip; ``None`` clears it."""
    bad = bool(message)
    if bool(widget.property(INVALID_PROPERTY)) != bad:
        widget.setProperty(INVALID_PROPERTY, bad)
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
        widget.update()
    widget.setToolTip(message or widget.property("normalToolTip") or "")


def is_invalid(widget: QWidget) -> bool:
    return bool(widget.property(INVALID_PROPERTY))


class TermCombo(QComboBox):
    """A combo box of a ``gkdesk.domain.terms`` table: shows labels, answers codes."""

    def __init__(self, table: dict[str, Term], parent: QWidget | None = None, *,
                 include_all: str | None = None):
        super().__init__(parent)
        if include_all is not None:
            self.addItem(include_all, None)
        for term in table.values():
            self.addItem(term.label, term.code)

    def code(self):
        return self.currentData()

    def set_code(self, code) -> None:
        i = self.findData(code)
        if i >= 0:
            self.setCurrentIndex(i)


class ChineseDateEdit(QDateEdit):
    """A date edit showing 2026年3月16日 with a calendar pop-up; speaks ``datetime.date``."""

    def __init__(self, parent: QWidget | None = None, value: dt.date | None = None):
        super().__init__(parent)
        self.setLocale(QLocale(QLocale.Chinese, QLocale.China))
        self.setDisplayFormat("yyyy年M月d日")
        self.setCalendarPopup(True)
        self.set_date(value or dt.date.today())

    def date_value(self) -> dt.date:
        d = self.date()
        return dt.date(d.year(), d.month(), d.day())

    def set_date(self, value: dt.date) -> None:
        self.setDate(QDate(value.year, value.month, value.day))

    def set_maximum(self, value: dt.date) -> None:
        self.setMaximumDate(QDate(value.year, value.month, value.day))


def format_date(value: dt.date | None, chinese: bool = False) -> str:
    if value is None:
        return ""
    if chinese:
        return f"{value.year}年{value.month}月{value.day}日"
    return value.isoformat()
