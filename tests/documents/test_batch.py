"""Many draft letters in one go (service.render_pdfs): each the same letter render_pdf
makes on its own, in the order given, with the office settings of the batch's start, and
a cancelled batch stops."""
from gkdesk import settings
from gkdesk.documents import service, templates

from tests.documents.helpers import CLERK, content_streams, pdftotext, ready_case

VARIANTS = sorted({n.split(".", 1)[1] for n in templates.TEMPLATE_NAMES if n.startswith("reply.")})


def _cases():
    return [ready_case(f"reply.{v}", name=f"申请人{i}") for i, v in enumerate(VARIANTS)]


def test_batch_gives_each_letter_as_render_pdf_does(db_path, tmp_path):
    cases = _cases()
    assert len(cases) >= 4
    got = list(service.render_pdfs([(c.id, CLERK) for c in cases], "reply"))
    assert [cid for cid, _ in got] == [c.id for c in cases]
    for case, (_, data) in zip(cases, got):
        alone = service.render_pdf(case, "reply", CLERK)
        assert content_streams(data) == content_streams(alone)
        text = pdftotext(data, tmp_path)
        assert case.applicant_name in text and "草稿" in text


def test_batch_uses_the_settings_it_started_with_and_stops_when_cancelled(db_path, tmp_path):
    cases = _cases()[:3]
    settings.save({"office.name": "甲区人民政府办公室"})
    batch = service.render_pdfs([(c.id, CLERK) for c in cases], "reply")
    first = next(batch)[1]
    settings.save({"office.name": "乙区人民政府办公室"})
    rest = [data for _, data in batch]
    for data in [first, *rest]:
        text = pdftotext(data, tmp_path)
        assert "甲区人民政府办公室" in text and "乙区" not in text
    assert "乙区人民政府办公室" in pdftotext(service.render_pdf(cases[0], "reply", CLERK), tmp_path)

    done = []
    for cid, _ in service.render_pdfs([(c.id, CLERK) for c in cases], "reply", cancelled=lambda: len(done) == 2):
        done.append(cid)
    assert done == [cases[0].id, cases[1].id]
