"""Documents for the screens: issued documents as frozen records, their stored PDF, and
cancelling one (the core checks the role: leader, reviewer or administrator); the 出具文书
dialog (setup, preview, drafts, issuing) and the 文书模板 page (templates as frozen records,
saving a version). Layouts (``layout.Laid``) are plain values the preview paints."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gkdesk.actors import Actor
from gkdesk.api._records import from_row
from gkdesk.api.cases import DocumentView
from gkdesk.domain import terms

__all__ = ["DocumentView", "CANCEL_ROLES", "TEMPLATE_ROLES", "DocumentSetup", "TemplateItem", "TemplateView",
           "TemplateVersionView", "PlaceholderCatalogue", "CaseChoice"]

# Who may cancel an issued document (gkdesk.documents.service.cancel checks it).
CANCEL_ROLES = ("leader", "reviewer", "admin")


def get(document_id: int) -> DocumentView:
    from gkdesk.documents import service

    return from_row(DocumentView, service.get_document(document_id))


def bundled_font_path() -> Path:
    """gkdesk's own CJK font file (the PDFs' fallback; the GUI's on a machine without one)."""
    from gkdesk.documents.fonts import BUNDLED_FONT, bundled_dir

    return bundled_dir() / BUNDLED_FONT


def pdf(document_id: int, case_number: str = "") -> tuple[str, bytes]:
    """(a file name for it, the issued PDF's bytes as stored)."""
    from gkdesk.documents import service

    doc = service.get_document(document_id)
    label = terms.label_of(terms.DOCUMENT_KINDS, doc.kind, doc.kind)
    name = f"{doc.number or case_number}-{label}.pdf".replace("/", "_")
    return name, service.stored_pdf(doc)


def save_pdf(document_id: int, path, case_number: str = "") -> Path:
    """The issued PDF written (atomically) to ``path``, as stored."""
    from gkdesk.fileio import atomic_write

    _name, data = pdf(document_id, case_number)
    atomic_write(path, data)
    return Path(path)


def open_copy(document_id: int, case_number: str = "") -> Path:
    """A copy of the issued PDF under the temporary folder (``gkdesk-open``), named for
    the clerk, for the system viewer to open."""
    import tempfile

    from gkdesk.fileio import atomic_write

    name, data = pdf(document_id, case_number)
    folder = Path(tempfile.gettempdir()) / "gkdesk-open"
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / name, data)
    return folder / name


def cancel(document_id: int, reason: str, actor: Actor) -> DocumentView:
    from gkdesk.documents import service

    return from_row(DocumentView, service.cancel(document_id, reason, actor))


# ---------------------------------------------------------------------- the document dialog
@dataclass(frozen=True)
class DocumentSetup:
    """What the 出具文书 dialog needs of a case and a kind, read once when it opens."""

    case_id: int
    case_number: str
    applicant_name: str
    kind: str
    label: str
    sealed: bool
    specs: tuple                  # FieldSpec (frozen) the clerk writes
    refusal: str | None           # why the case is not ready for this kind, or None


# the page geometry the preview paints with (points; gkdesk.documents.layout, GB/T 9704)
def page_geometry() -> dict[str, float]:
    from gkdesk.documents import layout

    return {"PAGE_W": layout.PAGE_W, "PAGE_H": layout.PAGE_H, "LEFT": layout.LEFT, "TOP": layout.TOP,
            "AREA_W": layout.AREA_W, "AREA_H": layout.AREA_H}


def seal_path():
    """The imported electronic seal's image file, or None."""
    from gkdesk.documents import stamp

    return stamp.seal_path()


def seal_diameter_mm() -> float:
    from gkdesk.documents import stamp

    return stamp.seal_diameter_mm()


def import_seal(path, actor: Actor, diameter_mm: float) -> str:
    """Check and store the seal image (administrators only, checked in the core); its stored path."""
    from gkdesk.documents import stamp

    return str(stamp.import_seal(path, actor, diameter_mm))


def kind_label(kind: str) -> str:
    from gkdesk.documents import kinds

    return kinds.spec(kind).label


def document_setup(case_id: int, kind: str) -> DocumentSetup:
    from gkdesk.documents import kinds, service

    case = service.get_case(int(case_id))
    spec = kinds.spec(kind)
    return DocumentSetup(case.id, case.number, case.applicant_name, kind, spec.label, spec.sealed,
                         tuple(service.required_fields(kind, case)), kinds.refusal(kind, case))


def preview(case_id: int, kind: str, values: dict):
    """The draft laid out (``layout.Laid``: pages of positioned runs, plain values)."""
    from gkdesk.documents import service

    return service.prepare(int(case_id), kind, dict(values)).laid


def draft_pdf(case_id: int, kind: str, values: dict) -> bytes:
    from gkdesk.documents import service

    return service.render_pdf(int(case_id), kind, dict(values), seal_mark=True)


def draft_docx(case_id: int, kind: str, values: dict) -> bytes:
    from gkdesk.documents import service

    return service.render_docx(int(case_id), kind, dict(values))


def issue(case_id: int, kind: str, values: dict, actor: Actor, *, stamp: bool = False) -> DocumentView:
    """Number, store and freeze the document (the core checks the kind's roles)."""
    from gkdesk.documents import service

    return from_row(DocumentView, service.issue(int(case_id), kind, dict(values), actor, stamp=stamp))


def issued_layout(document_id: int):
    from gkdesk.documents import service

    return service.issued_layout(service.get_document(document_id))


def issued_docx(document_id: int) -> bytes:
    from gkdesk.documents import service

    return service.document_docx(service.get_document(document_id))


def for_stamping_pdf(document_ids) -> bytes:
    from gkdesk.documents import service

    return service.batch_pdf(list(document_ids), seal_mark=True)


def save_file(path, data: bytes) -> None:
    """Write an exported file atomically (gkdesk.fileio)."""
    from pathlib import Path

    from gkdesk.fileio import atomic_write

    atomic_write(Path(path), data)


# ---------------------------------------------------------------------- the templates page
# Who may change a template (gkdesk.documents.templates.save checks it).
TEMPLATE_ROLES = ("admin", "leader", "reviewer")


@dataclass(frozen=True)
class TemplateItem:
    name: str
    title: str
    version: int                  # 0 = the default shipped with gkdesk


@dataclass(frozen=True)
class TemplateVersionView:
    version: int
    created_at: Any
    created_by: str
    note: str


@dataclass(frozen=True)
class TemplateView:
    """One template as in use (or at a version), with its older versions."""

    name: str
    title: str
    body: str
    version: int
    fields: tuple                 # FieldSpec the template declares
    placeholders: tuple[str, ...]
    versions: tuple = ()          # TemplateVersionView, newest first, the current one left out


@dataclass(frozen=True)
class PlaceholderCatalogue:
    """The names a template may use: namespace labels and (namespace, ((attr, label), …))."""

    namespace_labels: dict
    namespaces: tuple


@dataclass(frozen=True)
class CaseChoice:
    case_id: int
    number: str
    applicant_name: str


def _template_view(src, with_versions: bool) -> TemplateView:
    from gkdesk.documents import templates

    versions: tuple = ()
    if with_versions:
        versions = tuple(TemplateVersionView(r.version, r.created_at, r.created_by or "", r.note or "")
                         for r in templates.versions(src.name)[1:])
    return TemplateView(src.name, src.title or templates.template_title(src.name), src.body, src.version,
                        tuple(src.fields), tuple(templates.placeholders_in(src.body)), versions)


def list_templates() -> tuple[TemplateItem, ...]:
    from gkdesk.documents import templates

    return tuple(TemplateItem(t.name, t.title, t.version) for t in templates.list_templates())


def template(name: str) -> TemplateView:
    """The template in use, with its version history."""
    from gkdesk.documents import templates

    return _template_view(templates.current(name), True)


def template_at(name: str, version: int) -> TemplateView:
    from gkdesk.documents import templates

    return _template_view(templates.at_version(name, version), False)


def placeholders_in(body: str) -> tuple[str, ...]:
    from gkdesk.documents import templates

    return tuple(templates.placeholders_in(body))


def placeholder_catalogue() -> PlaceholderCatalogue:
    from gkdesk.documents import context

    return PlaceholderCatalogue(dict(context.NAMESPACE_LABELS),
                                tuple((ns, tuple(items)) for ns, items in context.CATALOGUE.items()))


def check_template(name: str, body: str) -> None:
    """Raise the template's first problem (TemplateError naming the line) or return."""
    from gkdesk.documents import templates

    templates.validate(name, body)


def save_template(name: str, body: str, actor: Actor, note: str = "") -> TemplateItem:
    """Validate and store ``body`` as the next version (reviewers, leaders, administrators)."""
    from gkdesk.documents import templates

    row = templates.save(name, body, actor, note=note)
    return TemplateItem(name, templates.template_title(name), row.version)


def restore_default_template(name: str, actor: Actor) -> TemplateItem:
    from gkdesk.documents import templates

    row = templates.restore_default(name, actor)
    return TemplateItem(name, templates.template_title(name), row.version)


def preview_template(name: str, body: str, case_ref=None):
    """``body`` laid out against a real case (id or 受理编号) or the built-in sample."""
    from gkdesk.documents import service

    got = service.preview_template(name, body, case_ref)
    return getattr(got, "laid", got)


def preview_cases(limit: int = 50) -> tuple[CaseChoice, ...]:
    """The latest cases to preview a template against."""
    from gkdesk.cases import query

    rows = query.list_cases(query.CaseFilter(), limit=limit)
    return tuple(CaseChoice(r["id"], r["number"], r["applicant_name"]) for r in rows)
