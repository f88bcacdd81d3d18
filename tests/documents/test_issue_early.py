"""A letter is drawn before the write lock with the number the sequence would give (issue
20); under the lock the number is drawn for real. These prove the early file is used only
when it is still right: another issue in between, or a changed office name, makes the
letter be drawn again with its true number and text, and nothing staged is left behind."""
import hashlib

import pytest

from gkdesk import settings
from gkdesk.actors import SYSTEM
from gkdesk.db import current
from gkdesk.documents import service

from tests.documents.helpers import CLERK, flat, pdftotext, ready_case


def _leftovers():
    return sorted(p.name for p in (current().files_dir / "documents").rglob("*.tmp"))


def _between(monkeypatch, action):
    """Run ``action`` after the early drawing, before the write lock (another clerk)."""
    real = service._draw_early
    calls = []

    def draw(*a, **k):
        early = real(*a, **k)
        if not calls:
            calls.append(early)
            action()
        return early

    monkeypatch.setattr(service, "_draw_early", draw)
    return calls


def _check(doc, tmp_path):
    data = (current().files_dir / doc.stored_path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == doc.sha256
    return flat(pdftotext(data, tmp_path))


def test_the_early_file_is_the_issued_one_when_nothing_came_between(db_path, tmp_path, monkeypatch):
    case = ready_case("reply.disclose")
    calls = _between(monkeypatch, lambda: None)
    doc = service.issue(case, "reply", CLERK, SYSTEM)
    assert calls[0].serial == doc.serial == 1
    data = (current().files_dir / doc.stored_path).read_bytes()
    assert data == calls[0].data                       # the early drawing, not a second one
    assert doc.number in _check(doc, tmp_path)
    assert _leftovers() == []


def test_a_letter_issued_in_between_makes_it_drawn_again_with_its_own_number(db_path, tmp_path,
                                                                               monkeypatch):
    mine = ready_case("reply.disclose")
    other = ready_case("reply.disclose", name="李四")
    got = {}
    _between(monkeypatch, lambda: got.setdefault("other", service.issue(other, "reply", CLERK, SYSTEM)))
    doc = service.issue(mine, "reply", CLERK, SYSTEM)
    assert got["other"].serial == 1 and doc.serial == 2             # no gap, no repeat
    text = _check(doc, tmp_path)
    assert "某政办依复〔2026〕2号" in text and "某政办依复〔2026〕1号" not in text
    assert "某政办依复〔2026〕1号" in _check(got["other"], tmp_path)
    assert _leftovers() == []


def test_a_changed_office_name_in_between_is_in_the_issued_letter(db_path, tmp_path, monkeypatch):
    case = ready_case("reply.disclose")
    _between(monkeypatch, lambda: settings.save({"office.name": "某县人民政府办公室（新名称）"}, SYSTEM))
    doc = service.issue(case, "reply", CLERK, SYSTEM)
    assert "新名称" in _check(doc, tmp_path)
    assert _leftovers() == []


def test_a_failure_under_the_lock_leaves_no_file_and_no_number(db_path, monkeypatch):
    case = ready_case("reply.disclose")
    from gkdesk import audit

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", boom)
    with pytest.raises(RuntimeError):
        service.issue(case, "reply", CLERK, SYSTEM)
    assert [p for p in (current().files_dir / "documents").rglob("*") if p.is_file()] == []
    monkeypatch.undo()
    assert service.issue(case, "reply", CLERK, SYSTEM).serial == 1
