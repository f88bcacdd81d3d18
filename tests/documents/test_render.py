"""Every default template renders against a real case; the PDF carries the facts, embeds
its fonts, and its text comes back out with pdftotext."""
import pytest

from gkdesk.actors import SYSTEM
from gkdesk.documents import kinds, service, templates
from gkdesk.domain import terms
from gkdesk.domain.outcomes import OUTCOMES

from tests.documents.helpers import CLERK, content_streams, flat, pdffonts, pdftotext, ready_case


def test_one_template_per_kind_and_per_reply_letter():
    names = set(templates.TEMPLATE_NAMES)
    for kind in terms.DOCUMENT_KINDS:
        if kind != "reply":
            assert kind in names
    for o in OUTCOMES.values():
        assert f"reply.{o.letter}" in names
    for name in names:
        assert templates.default_path(name).is_file(), name


@pytest.mark.parametrize("name", templates.TEMPLATE_NAMES)
def test_default_template_validates(db_path, name):
    templates.validate(name, templates.default_body(name))


@pytest.mark.parametrize("name", templates.CASE_TEMPLATE_NAMES)   # letters to units: tests/tasks
def test_every_template_renders_and_issues(db_path, tmp_path, name):
    case = ready_case(name, name="李赟喆")
    kind = name.split(".")[0]
    assert kinds.template_name(kind, case) == name
    draft = service.render_pdf(case, kind, CLERK)
    text = flat(pdftotext(draft, tmp_path))
    assert "李赟喆" in text or kind == "consultation"   # a third party is not told who asked
    assert case.number in text or kind == "service-proof"
    assert "{{" not in text and "{%" not in text
    assert "草稿" in text
    if kind != "application_form":
        assert "2026年3月2日" in text or kind == "service-proof"
    if name.startswith("reply."):
        oc = OUTCOMES[case.outcome]
        if oc.basis:
            assert flat(oc.basis) in text
        assert "行政复议" in text and "某某区人民法院" in text

    doc = service.issue(case, kind, CLERK, SYSTEM)
    issued = service.stored_pdf(doc)
    itext = flat(pdftotext(issued, tmp_path))
    if kind != "application_form":
        assert doc.number in itext, (doc.number, itext[:200])
    assert doc.number.endswith("〔2026〕1号") or kind == "receipt"
    assert "草稿" not in itext
    for row in pdffonts(issued, tmp_path):
        assert row["emb"] == "yes" and row["uni"] == "yes", row


def test_reply_without_outcome_is_refused(db_path):
    from gkdesk.errors import WorkflowError

    case = ready_case("receipt")
    with pytest.raises(WorkflowError, match="办理结果"):
        service.render_pdf(case, "reply", CLERK)


@pytest.mark.parametrize("kind, word", [("extension", "延期"), ("fee", "信息处理费"), ("correction", "补正"),
                                        ("consultation", "征求意见"), ("termination", "放弃申请"),
                                        ("service-proof", "已发出的文书")])
def test_document_the_case_is_not_ready_for_is_refused(db_path, kind, word):
    from gkdesk.errors import WorkflowError

    case = ready_case("receipt")
    with pytest.raises(WorkflowError) as err:
        service.issue(case, kind, CLERK, SYSTEM)
    assert word in str(err.value)
    from gkdesk.db.models import Document, NumberSequence

    assert Document.select().count() == 0
    assert not NumberSequence.select().where(NumberSequence.scope == f"doc:{kind}").exists() or \
        NumberSequence.get(NumberSequence.scope == f"doc:{kind}").last == 0


def test_title_is_drawn_bold_when_no_bold_face(db_path):
    from gkdesk.documents import fonts

    fs = fonts.fontset()
    font, fake_bold = fs.primary("title")
    case = ready_case("receipt")
    data = service.render_pdf(case, "receipt", {})
    streams = content_streams(data)
    if fake_bold:
        assert b" 2 Tr" in streams   # stroke-and-fill rendering (docs/pitfalls.md #12)
    else:
        assert b" 2 Tr" not in streams


def test_pdf_metadata(db_path, tmp_path):
    import subprocess

    from tests.documents.helpers import need

    need("pdfinfo")
    case = ready_case("receipt")
    doc = service.issue(case, "receipt", {}, SYSTEM)
    f = tmp_path / "m.pdf"
    f.write_bytes(service.stored_pdf(doc))
    info = subprocess.run(["pdfinfo", str(f)], capture_output=True, text=True, check=True).stdout
    assert "政府信息公开申请接收回执" in info
    assert "某某区人民政府办公室" in info          # author = office name (settings default)
    assert "gkdesk" in info
    assert "A4" in info


def test_clerk_text_cannot_inject_markup(db_path, tmp_path):
    case = ready_case("reply.disclose")
    fields = dict(CLERK, provided="第一行\n@title 伪造的标题\n@sign 假机关 | 2020年1月1日")
    p = service.prepare(case, "reply", fields)
    kinds_ = [b.kind for b in p.blocks]
    assert kinds_.count("title") == 1 and kinds_.count("sign") == 1
    text = flat(pdftotext(service.render_pdf(case, "reply", fields), tmp_path))
    assert "@title伪造的标题" in text      # printed as text, not obeyed


def test_dates_are_chinese_without_leading_zeros(db_path, tmp_path):
    import datetime as dt

    case = ready_case("receipt", received=dt.date(2026, 1, 5))
    text = flat(pdftotext(service.render_pdf(case, "receipt", {"date": "2026-02-03"}), tmp_path))
    assert "2026年1月5日" in text and "2026年2月3日" in text
    assert "01月" not in text and "05日" not in text
