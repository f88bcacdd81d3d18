"""Annex 1 / Annex 2 for the screens: units with their forms as frozen records, collection
rounds, the checks the editors run as the clerk types, exports and imports. Every write
takes the acting user; the core (``gkdesk.forms``) checks the role (clerk or administrator)
and runs in one transaction (Annex 1's staff and leading group together).

The form contents travel as the forms area's own value types (``StaffRow``, ``GroupMember``,
``FunctionsData``, ``StaffData``: plain dataclasses, no database rows); a unit is a frozen
``UnitView``, a unit with its forms a frozen ``UnitForms``."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gkdesk.actors import Actor
from gkdesk.api._records import from_row, record_type
from gkdesk.db.models import Unit, UnitHistory
from gkdesk.forms import records, rounds, units
from gkdesk.forms.records import (
    FUNCTION_FIELDS, FUNCTION_MULTILINE, FUNCTION_REQUIRED, STAFF_FIELDS, FunctionsData, GroupMember,
    Problem, StaffData, StaffRow,
)
from gkdesk.forms.rounds import STATUS_LABELS, Round, UnitStatus
from gkdesk.forms.units import UnitInfo

__all__ = [
    "FUNCTION_FIELDS", "FUNCTION_MULTILINE", "FUNCTION_REQUIRED", "STAFF_FIELDS", "STATUS_LABELS",
    "FunctionsData", "GroupMember", "HistoryView", "Problem", "Round", "RoundSummary", "StaffData",
    "StaffRow", "UnitForms", "UnitInfo", "UnitStatus", "UnitView",
]

EDIT_ROLES = units.EDIT_ROLES

UnitView = record_type("UnitView", Unit, doc="A read-only copy of one unit (单位).")
HistoryView = record_type("HistoryView", UnitHistory, doc="One change of a unit, with before and after.")


@dataclass(frozen=True)
class UnitForms:
    """A unit with its forms as the editors show them, read in one go."""
    unit: Any                          # UnitView
    staff: StaffData
    leading_group: tuple               # GroupMember, …
    functions: FunctionsData | None


@dataclass(frozen=True)
class RoundSummary:
    """The open (or a given) round with its per-unit status and the counts by status."""
    round: Round
    statuses: tuple                    # UnitStatus, …
    counts: dict

    @property
    def counts_text(self) -> str:
        return "，".join(f"{STATUS_LABELS[k]} {v}" for k, v in self.counts.items())


# ---------------------------------------------------------------- reading

def list_units(active: bool | None = True, search: str = "") -> tuple[UnitInfo, ...]:
    return tuple(units.list_units(active, search))


def unit(unit_id: int) -> UnitView:
    return from_row(UnitView, units.get_unit(unit_id))


def unit_forms(unit_id: int) -> UnitForms:
    u = units.get_unit(unit_id)
    return UnitForms(from_row(UnitView, u), units.get_staff(u), tuple(units.get_leading_group(u)),
                     units.get_functions(u))


def history(unit_id: int) -> tuple:
    return tuple(from_row(HistoryView, h) for h in units.history(unit_id))


def list_rounds() -> tuple[Round, ...]:
    return tuple(rounds.list_rounds())


def get_round(round_id: int) -> Round:
    return rounds.get_round(round_id)


def open_round() -> Round | None:
    return rounds.open_round()


def round_summary(rnd: Round | int | None = None) -> RoundSummary | None:
    """The status of every unit in ``rnd`` (the open round when None; None without one)."""
    rnd = rounds.open_round() if rnd is None else rounds.get_round(rnd)
    if rnd is None:
        return None
    statuses = rounds.round_status(rnd)
    return RoundSummary(rnd, tuple(statuses), rounds.status_counts(statuses))


def note_text(rnd) -> str:
    """The note printed on the forms of ``rnd`` (a Round, or any object with its fields)."""
    return rounds.note_text(rnd)


def office_email() -> str:
    from gkdesk import settings

    return settings.get("office.email") or ""


# ---------------------------------------------------------------- checks as typed (no writes)

check_contact = records.check_contact
validate_staff = records.validate_staff
validate_leading_group = records.validate_leading_group
validate_functions = records.validate_functions
place_of = records.place_of


# ---------------------------------------------------------------- writes (the core checks the role)

def add_unit(name: str, actor: Actor) -> UnitView:
    return from_row(UnitView, units.add_unit(name, actor))


def rename_unit(unit_id: int, name: str, actor: Actor, expected_version: int | None = None) -> UnitView:
    return from_row(UnitView, units.rename_unit(unit_id, name, actor, expected_version=expected_version))


def merge_units(source_id: int, target_id: int, actor: Actor) -> UnitView:
    return from_row(UnitView, units.merge_units(source_id, target_id, actor))


def retire_unit(unit_id: int, actor: Actor, expected_version: int | None = None) -> UnitView:
    return from_row(UnitView, units.retire_unit(unit_id, actor, expected_version=expected_version))


def restore_unit(unit_id: int, actor: Actor) -> UnitView:
    return from_row(UnitView, units.restore_unit(unit_id, actor))


def save_annex1(unit_id: int, leaders, staff, members, actor: Actor, expected_version: int | None) -> int:
    """Staff and leading group in ONE transaction; the unit's new version."""
    return units.save_annex1(unit_id, leaders, staff, members, actor, expected_version=expected_version)


def save_annex2(unit_id: int, data: FunctionsData, actor: Actor, expected_version: int | None) -> int:
    """The functions list; the unit's new version."""
    units.set_functions(unit_id, data, actor, expected_version=expected_version)
    return units.get_unit(unit_id).version


def create_round(name: str, deadline: dt.date, actor: Actor, **options) -> Round:
    return rounds.create_round(name, deadline, actor, **options)


def close_round(rnd: Round | int, actor: Actor) -> Round:
    return rounds.close_round(rnd, actor)


# ---------------------------------------------------------------- files

def safe_filename(name: str) -> str:
    from gkdesk.forms.xlsx_export import safe_filename as _safe

    return _safe(name)


def export_unit(unit_id: int, path) -> Path:
    from gkdesk.forms import xlsx_export

    return xlsx_export.export_unit(unit_id, path)


def export_all(folder, rnd: Round | None, *, blank: bool = False, progress=None, cancelled=None) -> list[Path]:
    from gkdesk.forms import xlsx_export

    return xlsx_export.export_all(folder, rnd, blank=blank, progress=progress, cancelled=cancelled)


def unit_pdf(unit_id: int, path) -> Path:
    from gkdesk.forms import pdf

    return pdf.render_unit(unit_id, path)


def summary_xlsx(path) -> Path:
    from gkdesk.forms.summary import summary

    return summary(path)


def read_returns(path, *, progress=None, cancelled=None) -> list:
    """Read a returned workbook or a folder of them: one diff per file (nothing saved)."""
    from gkdesk.forms import xlsx_import

    return xlsx_import.diff_paths(path, progress=progress, cancelled=cancelled)


def save_returns(diffs, actor: Actor, rnd: Round | None, *, record_problems: bool = True):
    """Save the accepted diffs (the core checks the role); the ApplyResult."""
    from gkdesk.forms import xlsx_import

    return xlsx_import.apply(diffs, actor, rnd, record_problems=record_problems)
