"""Several cases at once: print, archive, assign, export to the ledger.

A ``Selection`` is either the ids the clerk picked (Shift/Ctrl) or a search filter ("select
all that match", at 100,000 cases never loaded as rows: only ids are read). Each case goes
through the same service as one by one (its own transaction, its own audit event); a
refusal for one case is listed with its reason and leaves the others done. Every batch
takes ``progress(done, total)`` and ``cancelled()`` for a worker thread: a cancelled batch
stops between cases and says how far it got.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterable

from gkdesk import audit, changes
from gkdesk.actors import Actor, require
from gkdesk.cases import query
from gkdesk.db import write_transaction
from gkdesk.db.models import Case, Document
from gkdesk.domain import terms
from gkdesk.errors import GkError, ValidationError, WorkflowError

Progress = Callable[[int, int], None] | None
Cancelled = Callable[[], bool] | None

# the letters a batch prints: those carrying the decision (gkdesk.cases.workflow)
LETTER_KINDS = ("reply", "termination", "not-request")
_METHOD_BY_RECEIVE = {"post": "post", "pickup": "direct", "email": "electronic", "online": "electronic",
                      "fax": "electronic"}


@dataclass(frozen=True)
class Selection:
    """The cases a batch acts on: ``ids`` in the clerk's order, or every case of ``filter``."""

    ids: tuple[int, ...] | None = None
    filter: query.CaseFilter | None = None

    def case_ids(self) -> list[int]:
        if self.ids is not None:
            return list(dict.fromkeys(int(i) for i in self.ids))
        flt = self.filter or query.CaseFilter()
        q = query.build_query(flt, (Case.id,)).order_by(Case.year, Case.serial, Case.id)
        return [r[0] for r in q.tuples()]

    def condition(self):
        """A peewee condition selecting these cases (a subquery for a filter)."""
        if self.ids is not None:
            return Case.id.in_(list(self.ids))
        return Case.id.in_(query.build_query(self.filter or query.CaseFilter(), (Case.id,)))

    def count(self) -> int:
        if self.ids is not None:
            return len(set(self.ids))
        return query.count_cases(self.filter or query.CaseFilter())


@dataclass
class Outcome:
    case_id: int
    number: str
    message: str


@dataclass
class BatchResult:
    action: str
    total: int
    done: list[Outcome] = field(default_factory=list)
    refused: list[Outcome] = field(default_factory=list)
    cancelled: bool = False
    path: str = ""

    def summary(self) -> str:
        s = f"{self.action}：完成{len(self.done)}件"
        if self.refused:
            s += f"，未能办理{len(self.refused)}件"
        if self.cancelled:
            s += f"（已取消，其余{self.total - len(self.done) - len(self.refused)}件未处理）"
        return s


def _numbers(ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    out: dict[int, str] = {}
    for i in range(0, len(ids), 900):
        out.update(dict(Case.select(Case.id, Case.number).where(Case.id.in_(ids[i:i + 900])).tuples()))
    return out


def _each(action: str, sel: Selection, fn, progress: Progress, cancelled: Cancelled) -> BatchResult:
    ids = sel.case_ids()
    res = BatchResult(action, len(ids))
    numbers = _numbers(ids)
    for n, cid in enumerate(ids):
        if cancelled is not None and cancelled():
            res.cancelled = True
            break
        if progress is not None:
            progress(n, len(ids))
        number = numbers.get(cid, f"#{cid}")
        try:
            msg = fn(cid)
        except GkError as exc:
            res.refused.append(Outcome(cid, number, str(exc)))
        else:
            res.done.append(Outcome(cid, number, msg or ""))
    if progress is not None:
        progress(len(res.done) + len(res.refused), len(ids))
    return res


def archive(sel: Selection, actor: Actor, *, archive_date: dt.date | None = None, retention_period: str = "",
            progress: Progress = None, cancelled: Cancelled = None, today: dt.date | None = None) -> BatchResult:
    """Archive every delivered case whose file is complete; the others are listed with why."""
    from gkdesk.cases import workflow

    def one(cid):
        c = workflow.perform(cid, "archive", actor, today=today, archive_date=archive_date,
                             retention_period=retention_period or None)
        return f"档号{c.archive_number}"
    return _each("批量归档", sel, one, progress, cancelled)


def assign(sel: Selection, actor: Actor, *, section: str, handler: str, progress: Progress = None,
           cancelled: Cancelled = None) -> BatchResult:
    """Give every case in handling the same section and handler (改派承办)."""
    from gkdesk.cases import workflow

    if not (section or "").strip():
        raise ValidationError("承办股室：必须填写", "承办股室")
    if not (handler or "").strip():
        raise ValidationError("承办人：必须填写", "承办人")

    def one(cid):
        workflow.perform(cid, "assign", actor, section=section, handler=handler)
        return f"改派{section}{handler}承办"
    return _each("批量改派承办", sel, one, progress, cancelled)


def export_ledger(sel: Selection, path, actor: Actor, *, progress: Progress = None,
                  cancelled: Cancelled = None) -> int:
    """The selected cases as a ledger (台账) xlsx; returns the rows written."""
    from gkdesk.reports import ledger

    require(actor, ("clerk", "reviewer", "leader", "admin"), "导出台账")
    return ledger.export_ledger(path, progress=progress, cancelled=cancelled, where=sel.condition())


# ------------------------------------------------------------------ printing

def printed_ids(doc_ids: Iterable[int]) -> set[int]:
    from gkdesk.db.desk_models import DocumentPrint

    ids = list(doc_ids)
    return {r[0] for r in DocumentPrint.select(DocumentPrint.document).where(DocumentPrint.document.in_(ids)).tuples()}


def _unprinted_letters(case_id: int) -> list[Document]:
    docs = list(Document.select().where(Document.case == case_id, Document.status == "issued",
                                        Document.kind.in_(LETTER_KINDS)).order_by(Document.id))
    done = printed_ids(d.id for d in docs)
    return [d for d in docs if d.id not in done]


def _proof_for(case: Case, letter: Document, actor: Actor) -> Document:
    """The issued 送达回证 for ``letter``: the one already issued for it, or a new one."""
    from gkdesk.documents import service

    title = (letter.fields or {}).get("title") or terms.label_of(terms.DOCUMENT_KINDS, letter.kind)
    served = f"{title}（{letter.number}）"
    for d in Document.select().where(Document.case == case.id, Document.kind == "service-proof",
                                     Document.status == "issued").order_by(Document.id.desc()):
        if ((d.fields or {}).get("clerk") or {}).get("served_document") == served:
            return d
    method = case.delivery_method or _METHOD_BY_RECEIVE.get(case.receive_method, "direct")
    fields = {"served_document": served, "recipient": case.applicant_name,
              "method": terms.label_of(terms.DELIVERY_METHODS, method), "place": case.address or "　"}
    return service.issue(case, "service-proof", fields, actor)


def print_letters(sel: Selection, path, actor: Actor, *, progress: Progress = None,
                  cancelled: Cancelled = None) -> BatchResult:
    """Every issued-but-unprinted letter of the selected cases, each followed by its 送达回证
    (issued now where it has none), as one PDF in the cases' order, for stamping by hand.
    The letters and proofs printed are marked so, each case with its audit event."""
    from gkdesk.db.desk_models import DocumentPrint
    from gkdesk.documents import service
    from gkdesk.fileio import atomic_write

    require(actor, ("clerk", "reviewer", "leader", "admin"), "批量打印文书")
    order: dict[int, list[int]] = {}

    def one(cid):
        case = Case.get_by_id(cid)
        letters = _unprinted_letters(cid)
        if not letters:
            raise WorkflowError("没有已出具、尚未打印的答复书")
        ids = []
        for letter in letters:
            ids += [letter.id, _proof_for(case, letter, actor).id]
        order[cid] = ids
        return "、".join(d.number for d in letters)

    res = _each("批量打印", sel, one, progress, cancelled)
    res.action = "批量打印"
    if res.cancelled or not order:
        if not order and not res.cancelled:
            raise WorkflowError("所选案件中没有已出具、尚未打印的答复书：" +
                                "；".join(f"{o.number}：{o.message}" for o in res.refused[:5]), field="打印")
        return res
    doc_ids = [d for cid in order for d in order[cid]]
    atomic_write(path, service.batch_pdf(doc_ids))
    res.path = str(path)
    by_case = {o.case_id: o for o in res.done}
    with write_transaction():
        for cid, ids in order.items():
            for d in ids:
                DocumentPrint.create(document=d, printed_by=actor.username)
            audit.record("document.print", case=Case.get_by_id(cid), user=actor.username,
                         summary=f"打印文书（批量）：{by_case[cid].message}及送达回证",
                         details={"documents": ids, "file": str(path)})
        changes.note("documents")
    return res
