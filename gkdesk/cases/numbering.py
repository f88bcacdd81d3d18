"""Gap-free serial numbers per scope and year: case numbers and document numbers.

``next_serial`` must run inside a write transaction (``gkdesk.db.write_transaction``) that
also writes the record carrying the number, so a failed write rolls the number back and
two processes can never draw the same one.
"""
from __future__ import annotations

from gkdesk.db.models import NumberSequence


def next_serial(scope: str, year: int) -> int:
    seq, _ = NumberSequence.get_or_create(scope=scope, year=year, defaults={"last": 0})
    updated = (NumberSequence
               .update(last=NumberSequence.last + 1)
               .where(NumberSequence.id == seq.id)
               .execute())
    assert updated == 1
    return NumberSequence.get_by_id(seq.id).last


def peek_next(scope: str, year: int) -> int:
    """The serial ``next_serial`` would draw now: a guess, read without the write lock, for
    work that can be done before taking it (a letter laid out with its likely number). The
    number itself is still drawn by ``next_serial`` inside the write transaction."""
    seq = NumberSequence.get_or_none((NumberSequence.scope == scope) & (NumberSequence.year == year))
    return (seq.last if seq is not None else 0) + 1


def reserve_serials(scope: str, year: int, count: int) -> int:
    """Draw ``count`` consecutive serials at once (for imports); returns the first. Same rule
    as ``next_serial``: inside the write transaction that writes the records."""
    seq, _ = NumberSequence.get_or_create(scope=scope, year=year, defaults={"last": 0})
    if count <= 0:
        return NumberSequence.get_by_id(seq.id).last + 1
    updated = (NumberSequence
               .update(last=NumberSequence.last + count)
               .where(NumberSequence.id == seq.id)
               .execute())
    assert updated == 1
    return NumberSequence.get_by_id(seq.id).last - count + 1


def format_number(prefix: str, year: int, serial: int) -> str:
    """``依申〔2026〕17号`` — full year in 六角括号, serial without leading zeros, no 第."""
    return f"{prefix}〔{year}〕{int(serial)}号"


def case_number(year: int, serial: int) -> str:
    from gkdesk import settings

    return format_number(settings.get("numbering.case_prefix"), year, serial)


def document_number(kind: str, year: int, serial: int) -> str:
    """``某政办依复〔2026〕12号``: office prefix + kind code (both settings)."""
    from gkdesk import settings

    codes = settings.get("numbering.kind_codes") or {}
    prefix = settings.get("numbering.doc_prefix") + codes.get(kind, "")
    return format_number(prefix, year, serial)
