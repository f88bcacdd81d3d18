"""出具文书 dialog: fields from required_fields, live preview, issue, print for stamping,
DOCX export, refusal when the case is not ready."""
from __future__ import annotations

from gkdesk.db.models import Document

from tests.documents.helpers import CLERK, ready_case


def _wait_preview(dlg, qtbot):
    with qtbot.waitSignal(dlg.preview_ready, timeout=20000):
        dlg.refresh_preview()


def test_fields_preview_and_missing_field_marker(ctx, qtbot):
    case = ready_case("reply.partial")
    from gkdesk.ui.dialogs.document_dialog import DocumentDialog

    dlg = DocumentDialog(ctx, case.id, "reply")
    qtbot.addWidget(dlg)
    assert {"date", "provided", "withheld", "reason", "articles"} <= set(dlg.editors)
    assert dlg.values()["provided"] == CLERK["provided"]          # default from the case
    dlg.set_value("withheld", "")
    _wait_preview(dlg, qtbot)
    assert dlg.preview.page_count >= 1
    assert "不予公开的部分" in dlg.status.text()
    runs = "".join(r.text for p in dlg.preview._laid.pages for r in p.runs)
    assert "【待填写：不予公开的部分】" in runs
    # issuing with a required field empty is refused, nothing numbered
    messages = []
    ctx.show_error = lambda exc, parent=None, title="": messages.append(str(exc))
    assert dlg.issue(confirm=False) is None
    assert "不予公开的部分" in messages[0]
    assert Document.select().count() == 0


def test_issue_print_for_stamping_and_docx(ctx, qtbot, tmp_path):
    case = ready_case("reply.disclose")
    from gkdesk.ui.dialogs.document_dialog import DocumentDialog

    dlg = DocumentDialog(ctx, case.id, "reply")
    qtbot.addWidget(dlg)
    _wait_preview(dlg, qtbot)
    assert "预览：共" in dlg.status.text()
    changed = []
    ctx.changed.opDidExecute.connect(lambda c, _who: changed.extend(sorted(c.cases)))
    doc = dlg.issue(confirm=False)
    assert doc is not None and doc.number == "某政办依复〔2026〕1号"
    assert changed == [case.id]
    assert not dlg.btn_issue.isEnabled() and dlg.btn_print.isEnabled()
    out = dlg.print_for_stamping(str(tmp_path / "stamp.pdf"))
    assert out and (tmp_path / "stamp.pdf").read_bytes()[:5] == b"%PDF-"
    docx_path = dlg.export_docx(str(tmp_path / "r.docx"))
    import docx

    text = "\n".join(p.text for p in docx.Document(docx_path).paragraphs)
    assert doc.number in text


def test_refused_when_case_not_ready(ctx, qtbot):
    from gkdesk.ui.dialogs.document_dialog import open_document_dialog

    case = ready_case("receipt")
    shown = []
    ctx.show_error = lambda exc, parent=None, title="": shown.append(str(exc))
    assert open_document_dialog(ctx, case.id, "extension", None) is None
    assert shown and "延期" in shown[0]
    dlg = open_document_dialog(ctx, case.id, "receipt", None, modal=False)
    qtbot.addWidget(dlg)
    assert dlg.isVisible()


def test_issue_runs_on_the_writer_and_the_preview_is_a_keyed_read(ctx, qtbot):
    case = ready_case("reply.disclose")
    from gkdesk.ui.dialogs.document_dialog import DocumentDialog

    dlg = DocumentDialog(ctx, case.id, "reply")
    qtbot.addWidget(dlg)
    assert [k for k, _ in ctx.ops.calls] == ["read"]          # the first preview
    before = len(ctx.ops.calls)
    doc = dlg.issue(confirm=False)
    assert [k for k, _ in ctx.ops.calls[before:]] == ["write"]
    assert Document.get_by_id(doc.id).number == doc.number
    # a second click does not issue a second number
    assert dlg.issue(confirm=False) == doc
    assert Document.select().count() == 1
