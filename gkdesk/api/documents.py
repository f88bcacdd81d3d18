"""Documents for the screens: issued documents as frozen records, their stored PDF, and
cancelling one (the core checks the role: leader, reviewer or administrator)."""
from __future__ import annotations

from gkdesk.actors import Actor
from gkdesk.api._records import from_row
from gkdesk.api.cases import DocumentView
from gkdesk.domain import terms

__all__ = ["DocumentView", "CANCEL_ROLES"]

# Who may cancel an issued document (gkdesk.documents.service.cancel checks it).
CANCEL_ROLES = ("leader", "reviewer", "admin")


def get(document_id: int) -> DocumentView:
    from gkdesk.documents import service

    return from_row(DocumentView, service.get_document(document_id))


def pdf(document_id: int, case_number: str = "") -> tuple[str, bytes]:
    """(a file name for it, the issued PDF's bytes as stored)."""
    from gkdesk.documents import service

    doc = service.get_document(document_id)
    label = terms.label_of(terms.DOCUMENT_KINDS, doc.kind, doc.kind)
    name = f"{doc.number or case_number}-{label}.pdf".replace("/", "_")
    return name, service.stored_pdf(doc)


def cancel(document_id: int, reason: str, actor: Actor) -> DocumentView:
    from gkdesk.documents import service

    return from_row(DocumentView, service.cancel(document_id, reason, actor))
