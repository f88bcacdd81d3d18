"""The document service: what a document needs, drafts (preview), issuing (numbered,
stored, frozen), cancelling, superseding, stamped copies, batches and .docx.

    required_fields(kind, case)              → the clerk fields, with defaults from the case
    render_pdf(case, kind, fields)           → a draft PDF (no number yet, marked 草稿)
    issue(case, kind, fields, actor, stamp)  → Document: numbered, stored with its SHA-256
    cancel(document, reason, actor)          → keeps the number, with the reason
    batch_pdf(document_ids)                  → one PDF in print order, seal positions marked

An issued document is frozen: its PDF is stored in the file store and its filled-in text
(the markup) is kept in ``Document.fields`` so stamped copies, batches and .docx are made
from exactly the issued text. A change is a new document that ``supersedes`` the old.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from gkdesk.documents import context, fonts, kinds, layout, markup, pdf, rows, templates
from gkdesk.documents.templates import FieldSpec, TemplateSource
from gkdesk.domain import terms
from gkdesk.errors import NotFound, TemplateError, WorkflowError

DRAFT_MARK = "草稿（未发文，无文号）"


@dataclass
class Prepared:
    kind: str
    case: object
    template: TemplateSource
    fields: dict
    specs: list[FieldSpec]
    date: dt.date
    number: str
    text: str
    blocks: list
    laid: layout.Laid | None          # None when prepared for the .docx (lay_out=False)
    draft: bool
    settings: dict | None = None     # the office settings it was filled with (one read)

    @property
    def title(self) -> str:
        return self.template.title or templates.template_title(self.template.name)


def get_case(ref):
    """A Case from a Case, an id or a case number (受理编号)."""
    from gkdesk.db.models import Case

    if isinstance(ref, Case):
        return ref
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        case = rows.case_by("id", int(ref))
        if case is None and isinstance(ref, str):
            case = rows.case_by("number", ref)
    else:
        case = rows.case_by("number", str(ref).strip())
    if case is None:
        raise NotFound(f"找不到案件“{ref}”，请检查受理编号", field="受理编号")
    return case


def _template_for(kind: str, case, template_body: str | None, template_name: str | None = None) -> TemplateSource:
    name = template_name if (template_name and template_body is not None) else kinds.template_name(kind, case)
    if template_body is None:
        return templates.current(name)
    title, specs, _ = templates.parse_header(name, template_body)
    return TemplateSource(name, template_body, -1, title, specs)


def required_fields(kind: str, case, template_body: str | None = None) -> list[FieldSpec]:
    """What the clerk writes for this document, with defaults taken from the case."""
    case = get_case(case)
    reason = kinds.refusal(kind, case)
    if reason and kind != "reply":
        raise WorkflowError(reason, field=kinds.spec(kind).label)
    src = _template_for(kind, case, template_body)
    _, specs = templates.resolve_fields(src, case, context.records_for(case), {})
    return specs


def _draft_number(kind: str, year: int, office: dict) -> str:
    """The number a draft shows: the office's prefix and code, the year, no serial yet."""
    codes = office["numbering.kind_codes"] or {}
    return f"{office['numbering.doc_prefix']}{codes.get(kind, '')}〔{year}〕　　号"


def _extension_dates(case, records):
    if records.extension is None:
        return None
    return context.original_due_date(case), case.due_date


def _name_missing_char(exc: fonts.FontMissing, ctx: dict, values: dict, specs) -> TemplateError:
    ch = exc.field or ""
    if len(ch) == 1:
        labels = {s.key: s.label for s in specs}
        pairs = context.strings_of(ctx) + [(labels.get(k, k), str(v)) for k, v in values.items()]
        for label, text in pairs:
            if ch in text:
                return fonts.FontMissing(fonts.missing_message(label, ch), field=label)
    return exc


def prepare(case, kind: str, fields: dict | None = None, *, number: str | None = None,
            date: dt.date | None = None, template_body: str | None = None, check_ready: bool = True,
            seal_mm: float | None = None, template_name: str | None = None,
            lay_out: bool = True) -> Prepared:
    """Fill the template for ``case`` and lay it out (no database writes). The office
    settings are read once, in one query. ``lay_out=False`` (the .docx, which names its
    fonts for Word/WPS and embeds none) skips the PDF layout and so needs no PDF font."""
    from gkdesk.documents import stamp

    case = get_case(case)
    spec = kinds.spec(kind)
    if check_ready:
        reason = spec.check(case)
        if reason:
            raise WorkflowError(reason, field=spec.label)
    src = _template_for(kind, case, template_body, template_name)
    records = context.records_for(case)
    values, specs = templates.resolve_fields(src, case, records, fields)
    given_date = (fields or {}).get("date")
    if date is None:
        date = templates.parse_date(str(given_date)) if given_date else dt.date.today()
    values["date"] = context.cn_date(date)
    templates.check_required(src, values, specs)
    from gkdesk import settings

    office = settings.get_all()        # every office setting the letter uses, one query
    draft = number is None
    if number is None:
        number = _draft_number(kind, date.year, office)
    ctx = context.build(case, records, values, number=number, date=date, kind=kind, draft=draft,
                        settings_values=office, extension_dates=_extension_dates(case, records))
    text = templates.render_text(src, ctx, values)
    blocks = markup.parse(text)
    if not lay_out:
        return Prepared(kind, case, src, values, specs, date, number, text, blocks, None, draft, office)
    fs = fonts.fontset()
    fs.require_usable()
    if seal_mm is None:
        seal_mm = stamp.seal_diameter_mm()
    try:
        laid = layout.layout(blocks, fs, seal_mm=seal_mm, draft_mark=DRAFT_MARK if draft else "",
                             source=f"模板“{src.title or src.name}”")
    except fonts.FontMissing as exc:
        raise _name_missing_char(exc, ctx, values, specs) from None
    return Prepared(kind, case, src, values, specs, date, number, text, blocks, laid, draft, office)


def preview_template(name: str, body: str, case=None) -> Prepared | layout.Laid:
    """Lay out a template being edited: against ``case`` (clerk fields filled with their
    defaults or their labels), or against the made-up sample case when ``case`` is None."""
    if case is None or name in templates.REPORT_TEMPLATES:
        return templates.render_sample(name, body)[1]
    case = get_case(case)
    kind = name.split(".")[0]
    title, specs, _ = templates.parse_header(name, body)
    src = TemplateSource(name, body, -1, title, specs)
    values, specs = templates.resolve_fields(src, case, context.records_for(case), {})
    fields = {s.key: (values.get(s.key) or f"（{s.label}）") for s in specs if s.key != "date"}
    return prepare(case, kind, fields, template_body=body, template_name=name)


def _meta(title: str, number: str = "", values: dict | None = None) -> pdf.PdfMeta:
    from gkdesk import settings

    author = values["office.name"] if values is not None else settings.get("office.name")
    return pdf.PdfMeta(title=title, author=author, subject=number, keywords="政府信息公开")


def render_pdf(case, kind: str, fields: dict | None = None, *, seal_mark: bool = False,
               template_body: str | None = None) -> bytes:
    """A draft (preview) PDF: no number drawn yet, marked 草稿 in the top margin."""
    p = prepare(case, kind, fields, template_body=template_body)
    return pdf.write(p.laid, _meta(p.title, values=p.settings), seal_mark=seal_mark)


def _require_seal() -> Path:
    from gkdesk.documents import stamp

    path = stamp.seal_path()
    if path is None:
        raise WorkflowError("尚未导入电子印章。请由管理员在“设置 → 电子印章”中导入背景透明的印章图片，"
                            "或选择“打印后手工盖章”。", field="电子印章")
    return path


def _store_path(case, kind: str, year: int, serial: int, version: int) -> Path:
    rel = Path("documents") / str(year) / f"case-{case.id}" / f"{kind}-{year}-{serial}-v{version}.pdf"
    return rel


def issue(case, kind: str, fields: dict | None, actor, stamp: bool = False, *,
          supersedes=None, date: dt.date | None = None):
    """Number, render and store a document; returns the frozen ``Document``."""
    import hashlib

    from gkdesk import audit
    from gkdesk.actors import require
    from gkdesk.cases import numbering
    from gkdesk.db import current, write_transaction
    from gkdesk.db.models import Document, utcnow
    from gkdesk.fileio import atomic_write, commit_staged

    case = get_case(case)
    spec = kinds.spec(kind)
    require(actor, spec.roles, f"出具{spec.label}")
    seal_image = _require_seal() if stamp else None
    # Everything that can be refused is checked before the number is drawn (the layout's
    # refusals, a character no font has, by the early drawing below).
    draft = prepare(case, kind, fields, date=date, lay_out=False)
    old = None
    if supersedes is not None:
        old = supersedes if isinstance(supersedes, Document) else Document.get_or_none(Document.id == int(supersedes))
        if old is None:
            raise NotFound(f"找不到要替换的文书（{supersedes}）", field="文书")
        if old.case_id != case.id or old.kind != kind:
            raise WorkflowError("只能用同一案件、同一种类的文书替换", field="文书")
        if old.status != "issued":
            raise WorkflowError(f"文书 {old.number} 已{_status_label(old.status)}，不能再被替换", field="文书")
    files = current().files_dir
    year = draft.date.year
    version = (old.version + 1) if old is not None else 1
    # The slow half — laying out, drawing and fsyncing the PDF — is done before the write
    # lock, with the number the sequence will most likely give (read without the lock): on
    # a shared server the lock serialises every clerk's writes, and a letter drawn inside it
    # made them all wait (issue 20). The number is still drawn under the lock; the early
    # file is used only if it is that number and the letter's text, template and seal size
    # are unchanged, otherwise the letter is drawn again under the lock as before.
    early = _draw_early(case, kind, fields, draft.date, version, seal_image, files)
    written: Path | None = None
    try:
        with write_transaction():
            serial = numbering.next_serial(f"doc:{kind}", year)
            number = numbering.document_number(kind, year, serial)
            rel = _store_path(case, kind, year, serial, version)
            p = None
            if early.serial == serial:
                check = prepare(case, kind, fields, number=number, date=draft.date, lay_out=False)
                if _fingerprint(check, _seal_mm()) == early.key:
                    p, data = early.prepared, early.data
                    written = commit_staged(early.staged, files / rel)
                    early = early._replace(staged=None)
            if p is None:
                p = prepare(case, kind, fields, number=number, date=draft.date)
                data = pdf.write(p.laid, _meta(p.title, number, p.settings), seal_image=seal_image)
                written = files / rel
                atomic_write(written, data)
            digest = hashlib.sha256(data).hexdigest()
            doc = Document.create(
                case=case, kind=kind, variant=p.template.name.split(".", 1)[1] if "." in p.template.name else "",
                number=number, year=year, serial=serial, version=version, status="issued",
                fields={"clerk": {k: v for k, v in p.fields.items()}, "markup": p.text, "title": p.title,
                        "date": p.date.isoformat(), "date_text": context.cn_date(p.date),
                        "template": p.template.name,
                        "seal_mm": p.laid.seal[1].diameter / layout.MM if p.laid.seal else None},
                template_version=p.template.version, stored_path=rel.as_posix(), sha256=digest,
                stamped=bool(stamp), issued_at=utcnow(), issued_by=actor.username, supersedes=old)
            if kind in ("reply", "termination", "not-request"):
                # The letter carrying the decision gives the case its 答复文号 (ledger column).
                from gkdesk.cases import workflow

                workflow.record_reply_letter(case.id, number)
            if old is not None:
                Document.update(status="superseded",
                                note=(old.note + "；" if old.note else "") + f"已由 {number} 替换").where(
                    Document.id == old.id).execute()
            audit.record("document.issue", case=case, user=actor.username,
                         summary=f"出具{spec.label} {number}" + ("（电子盖章）" if stamp else ""),
                         details={"document": doc.id, "kind": kind, "number": number, "sha256": digest,
                                  "template": p.template.name, "template_version": p.template.version,
                                  "supersedes": old.number if old is not None else None})
    except BaseException:
        if written is not None:
            written.unlink(missing_ok=True)
        raise
    finally:
        if early.staged is not None:
            early.staged.unlink(missing_ok=True)
    return doc


class _Early(NamedTuple):
    serial: int
    prepared: Prepared
    data: bytes
    staged: Path | None
    key: tuple


def _fingerprint(p: Prepared, seal_mm: float) -> tuple:
    """What an issued PDF is drawn from, besides the fonts and the seal image."""
    return (p.number, p.text, p.title, p.template.name, p.template.version,
            (p.settings or {}).get("office.name"), seal_mm)


def _draw_early(case, kind: str, fields, date: dt.date, version: int, seal_image, files: Path) -> _Early:
    """The letter numbered with the serial the sequence would give now, drawn and staged
    (fsynced beside its final name) outside the write lock; see ``issue``."""
    from gkdesk.cases import numbering
    from gkdesk.fileio import stage

    year = date.year
    serial = numbering.peek_next(f"doc:{kind}", year)
    number = numbering.document_number(kind, year, serial)
    seal_mm = _seal_mm()
    p = prepare(case, kind, fields, number=number, date=date, seal_mm=seal_mm)
    data = pdf.write(p.laid, _meta(p.title, number, p.settings), seal_image=seal_image)
    staged = stage(files / _store_path(case, kind, year, serial, version), data)
    return _Early(serial, p, data, staged, _fingerprint(p, seal_mm))


def _seal_mm() -> float:
    from gkdesk.documents import stamp

    return stamp.seal_diameter_mm()


def _status_label(status: str) -> str:
    return {"issued": "发出", "cancelled": "作废", "superseded": "被替换", "draft": "草稿"}.get(status, status)


def get_document(ref):
    from gkdesk.db.models import Document

    if isinstance(ref, Document):
        return ref
    doc = Document.get_or_none(Document.id == int(ref))
    if doc is None:
        raise NotFound(f"找不到文书（{ref}）", field="文书")
    return doc


def cancel(document, reason: str, actor):
    """Cancel an issued document. Its number is never reused; the reason is kept."""
    from gkdesk import audit
    from gkdesk.actors import require
    from gkdesk.db import write_transaction
    from gkdesk.db.models import Document

    doc = get_document(document)
    require(actor, ("leader", "reviewer", "admin"), "作废文书")
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("请写明作废原因", field="作废原因")
    with write_transaction():
        doc = Document.get_by_id(doc.id)
        if doc.status != "issued":
            raise WorkflowError(f"文书 {doc.number} 已{_status_label(doc.status)}，不能作废", field="文书")
        note = (doc.note + "；" if doc.note else "") + f"作废：{reason}"
        Document.update(status="cancelled", note=note).where(Document.id == doc.id).execute()
        audit.record("document.cancel", case=doc.case_id and doc.case, user=actor.username,
                     summary=f"作废文书 {doc.number}：{reason}", details={"document": doc.id, "number": doc.number})
    return Document.get_by_id(doc.id)


def stored_pdf(document) -> bytes:
    """The issued file, checked against its SHA-256."""
    import hashlib

    from gkdesk.db import current

    doc = get_document(document)
    if not doc.stored_path:
        raise NotFound(f"文书 {doc.number} 没有存档文件", field="文书")
    path = current().files_dir / doc.stored_path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"文书 {doc.number} 的存档文件“{path}”不见了，请从备份恢复", field="文书") from None
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        raise WorkflowError(f"文书 {doc.number} 的存档文件与登记的SHA-256不符，文件可能被改动，请从备份恢复",
                            field="文书")
    return data


def issued_layout(document, *, page_numbers: bool = True) -> layout.Laid:
    """Lay out the frozen text of an issued document again (stamped copies, batches)."""
    doc = get_document(document)
    f = doc.fields or {}
    text = f.get("markup")
    if not text:
        raise WorkflowError(f"文书 {doc.number} 没有保存正文，无法重新排版", field="文书")
    seal_mm = f.get("seal_mm") or layout.DEFAULT_SEAL_MM
    return layout.layout(markup.parse(text), fonts.fontset(), seal_mm=seal_mm, page_numbers=page_numbers,
                         source=f"文书 {doc.number}")


def stamped_copy(document, actor) -> bytes:
    """A copy of an issued document with the electronic seal (recorded in the audit trail)."""
    from gkdesk import audit
    from gkdesk.actors import require
    from gkdesk.db import write_transaction

    doc = get_document(document)
    require(actor, ("leader", "reviewer", "admin"), "加盖电子印章")
    if doc.status != "issued":
        raise WorkflowError(f"文书 {doc.number} 已{_status_label(doc.status)}，不能盖章", field="文书")
    seal = _require_seal()
    if not kinds.spec(doc.kind).sealed:
        raise WorkflowError(f"{kinds.spec(doc.kind).label}不加盖印章", field="文书")
    laid = issued_layout(doc)
    data = pdf.write(laid, _meta((doc.fields or {}).get("title", ""), doc.number), seal_image=seal)
    with write_transaction():
        audit.record("document.stamp", case=doc.case, user=actor.username,
                     summary=f"生成加盖电子印章的文书 {doc.number}", details={"document": doc.id})
    return data


def batch_pdf(document_ids, *, seal_mark: bool = True) -> bytes:
    """All documents in one file, in the order given, for printing and stamping by hand.
    Each keeps its own page numbers; the seal position is marked lightly."""
    pages: list[layout.Page] = []
    first_title = ""
    for ref in document_ids:
        doc = get_document(ref)
        if doc.status != "issued":
            raise WorkflowError(f"文书 {doc.number} 已{_status_label(doc.status)}，不能打印", field="文书")
        laid = issued_layout(doc)
        first_title = first_title or laid.title
        pages.extend(laid.pages)
    if not pages:
        raise WorkflowError("没有选择要打印的文书", field="文书")
    return pdf.write(layout.Laid(pages, first_title), _meta(f"待盖章文书（{len(document_ids)}份）"),
                     seal_mark=seal_mark)


def case_documents(case) -> list:
    from gkdesk.db.models import Document

    case = get_case(case)
    return list(Document.select().where(Document.case == case).order_by(Document.issued_at, Document.id))


def render_docx(case, kind: str, fields: dict | None = None) -> bytes:
    from gkdesk.documents import docx_export

    p = prepare(case, kind, fields, lay_out=False)
    return docx_export.build(p.blocks, title=p.title, author=_meta(p.title, values=p.settings).author,
                             sealed=kinds.spec(kind).sealed)


def document_docx(document) -> bytes:
    from gkdesk.documents import docx_export

    doc = get_document(document)
    f = doc.fields or {}
    return docx_export.build(markup.parse(f.get("markup", "")), title=f.get("title", ""),
                             author=_meta("").author, sealed=kinds.spec(doc.kind).sealed)


def kind_choices() -> list[tuple[str, str]]:
    return [(k, v.label) for k, v in terms.DOCUMENT_KINDS.items()]


def selftest_render(case_id) -> bytes:
    """For ``gkdesk --self-test``: the case's reply letter (or receipt) as a draft PDF."""
    case = get_case(int(case_id))
    kind = "reply" if case.outcome else "receipt"
    return render_pdf(case, kind, {})
