"""Issuing: gap-free numbers (also across two writer processes), frozen files with their
SHA-256, cancel keeps the number, a change is a new version, batches, .docx, audit."""
import hashlib
import os
import subprocess
import sys
import textwrap

import pytest

from gkdesk.actors import SYSTEM, Actor
from gkdesk.db import current
from gkdesk.db.models import CaseEvent, Document, NumberSequence
from gkdesk.documents import markup, service
from gkdesk.errors import PermissionDenied, WorkflowError

from tests.documents.helpers import CLERK, flat, pdftotext, ready_case

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_issue_stores_frozen_file_with_sha256(db_path, tmp_path):
    case = ready_case("reply.disclose")
    doc = service.issue(case, "reply", CLERK, SYSTEM)
    path = current().files_dir / doc.stored_path
    assert path.is_file() and not os.path.isabs(doc.stored_path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == doc.sha256
    assert doc.status == "issued" and doc.variant == "disclose" and doc.number == "某政办依复〔2026〕1号"
    ev = CaseEvent.get(CaseEvent.action == "document.issue")
    assert ev.case_id == case.id and doc.number in ev.summary
    # a tampered file is detected
    path.write_bytes(path.read_bytes() + b"%tampered")
    with pytest.raises(WorkflowError, match="SHA-256"):
        service.stored_pdf(doc)


def test_numbers_per_kind_and_year_without_gaps(db_path):
    case = ready_case("reply.disclose")
    a = service.issue(case, "receipt", {}, SYSTEM)
    b = service.issue(case, "receipt", {}, SYSTEM)
    r = service.issue(case, "reply", CLERK, SYSTEM)
    c = service.issue(case, "receipt", {"date": "2027-01-04"}, SYSTEM)
    assert [a.serial, b.serial, r.serial, c.serial] == [1, 2, 1, 1]
    assert a.number == "某政办依收〔2026〕1号" and b.number == "某政办依收〔2026〕2号"
    assert c.number == "某政办依收〔2027〕1号"


def test_refused_issue_does_not_use_a_number(db_path):
    case = ready_case("reply.withhold")
    case.outcome_reason = ""
    case.save()
    from gkdesk.errors import GkError

    with pytest.raises(GkError):
        service.issue(case, "reply", {}, SYSTEM)
    ok = service.issue(case, "reply", {"reason": "涉及国家秘密"}, SYSTEM)
    assert ok.serial == 1


def test_cancel_keeps_number_and_reason(db_path):
    case = ready_case("receipt")
    a = service.issue(case, "receipt", {}, SYSTEM)
    with pytest.raises(WorkflowError):
        service.cancel(a, "  ", SYSTEM)
    cancelled = service.cancel(a, "申请人姓名录入错误", SYSTEM)
    assert cancelled.status == "cancelled" and "申请人姓名录入错误" in cancelled.note
    b = service.issue(case, "receipt", {}, SYSTEM)
    assert b.serial == 2                      # the cancelled number is never reused
    with pytest.raises(WorkflowError):
        service.cancel(a, "再次作废", SYSTEM)
    with pytest.raises(WorkflowError):
        service.batch_pdf([a.id])


def test_change_is_a_new_version_superseding_the_old(db_path, tmp_path):
    case = ready_case("reply.disclose")
    old = service.issue(case, "reply", CLERK, SYSTEM)
    old_bytes = service.stored_pdf(old)
    new = service.issue(case, "reply", dict(CLERK, provided="更正后的提供内容"), SYSTEM, supersedes=old.id)
    old = Document.get_by_id(old.id)
    assert new.version == 2 and new.supersedes_id == old.id and new.number != old.number
    assert old.status == "superseded" and new.number in old.note
    assert service.stored_pdf(old) == old_bytes           # the old file is untouched
    assert "更正后的提供内容" in flat(pdftotext(service.stored_pdf(new), tmp_path))
    with pytest.raises(WorkflowError):
        service.issue(case, "reply", CLERK, SYSTEM, supersedes=old.id)   # already replaced


def test_roles(db_path):
    case = ready_case("reply.disclose")
    clerk = Actor("c", "登记员甲", frozenset({"clerk"}))
    service.issue(case, "receipt", {}, clerk)
    with pytest.raises(PermissionDenied):
        service.issue(case, "reply", CLERK, clerk)


def test_batch_pdf_in_print_order_with_marks(db_path, tmp_path):
    case = ready_case("reply.disclose")
    r = service.issue(case, "receipt", {}, SYSTEM)
    rep = service.issue(case, "reply", CLERK, SYSTEM)
    data = service.batch_pdf([rep.id, r.id])
    f = tmp_path / "b.pdf"
    f.write_bytes(data)
    pages = len(service.issued_layout(rep).pages) + len(service.issued_layout(r).pages)
    info = subprocess.run(["pdfinfo", str(f)], capture_output=True, text=True).stdout
    assert f"Pages:          {pages}" in info or f"Pages: {pages}" in " ".join(info.split())
    text = pdftotext(data, tmp_path)
    assert text.index(rep.number) < text.index(r.number)


def test_stamped_copy_needs_a_seal(db_path):
    case = ready_case("receipt")
    a = service.issue(case, "receipt", {}, SYSTEM)
    with pytest.raises(WorkflowError, match="电子印章"):
        service.stamped_copy(a, SYSTEM)
    with pytest.raises(WorkflowError, match="电子印章"):
        service.issue(case, "receipt", {}, SYSTEM, stamp=True)


def test_seal_import_refuses_bad_images(db_path, tmp_path):
    from PIL import Image

    from gkdesk.documents import stamp
    from gkdesk.errors import ValidationError

    opaque = tmp_path / "opaque.png"
    Image.new("RGB", (300, 300), "white").save(opaque)
    small = tmp_path / "small.png"
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(small)
    text = tmp_path / "x.png"
    text.write_text("not an image")
    for bad, word in ((opaque, "透明"), (small, "太小"), (text, "图片"), (tmp_path / "nope.png", "找不到")):
        with pytest.raises(ValidationError, match=word):
            stamp.import_seal(bad, SYSTEM)
    assert stamp.seal_path() is None
    clerk = Actor("c", "登记员甲", frozenset({"clerk"}))
    with pytest.raises(PermissionDenied):
        stamp.import_seal(opaque, clerk)


def test_docx_reopens_with_the_same_text(db_path, tmp_path):
    import io

    import docx

    case = ready_case("reply.partial")
    doc = service.issue(case, "reply", CLERK, SYSTEM)
    data = service.document_docx(doc)
    d = docx.Document(io.BytesIO(data))
    paras = [p.text for p in d.paragraphs if p.text]
    expected = [ln for ln in markup.plain_lines(markup.parse(doc.fields["markup"])) if ln]
    assert paras == expected
    sec = d.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    assert round(sec.top_margin.mm) == 37 and round(sec.left_margin.mm) == 28
    assert round(sec.right_margin.mm) == 26 and round(sec.bottom_margin.mm) == 35
    assert d.core_properties.title


def test_docx_tables_for_forms(db_path):
    import io

    import docx

    case = ready_case("service-proof")
    data = service.render_docx(case, "service-proof", CLERK)
    d = docx.Document(io.BytesIO(data))
    assert d.tables
    cells = [c.text for row in d.tables[0].rows for c in row.cells]
    assert "受送达人" in cells and case.applicant_name in cells


def test_numbering_gap_free_across_two_writer_processes(db_path, tmp_path):
    case = ready_case("receipt")
    script = tmp_path / "writer.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        from gkdesk.db import open_database
        from gkdesk.documents import service
        from gkdesk.actors import SYSTEM
        open_database(sys.argv[1])
        for i in range(int(sys.argv[2])):
            service.issue({case.id}, "receipt", {{}}, SYSTEM)
    """))
    env = dict(os.environ, PYTHONPATH=REPO)
    n = 6
    procs = [subprocess.Popen([sys.executable, str(script), str(db_path), str(n)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    serials = sorted(d.serial for d in Document.select().where(Document.kind == "receipt"))
    assert serials == list(range(1, 2 * n + 1))
    assert NumberSequence.get(NumberSequence.scope == "doc:receipt").last == 2 * n
    for d in Document.select():
        assert (current().files_dir / d.stored_path).is_file()
