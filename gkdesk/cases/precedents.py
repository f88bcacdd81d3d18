"""Precedents: how did we answer before? Search the text of replies (the reason, what was
provided, the responsible agency, the article) and of issued letters, not only applicants
and requests.

SQLite's FTS5 trigram tokenizer finds nothing for 1–2 character queries (docs/pitfalls.md #8), so
these indexes take the approach of gkdesk/cases/search_text.py: every character is its own
token, a query is the phrase of its characters, and each hit is re-checked against the
real text so results are exact. Two indexes, kept by triggers (their DDL is the store's,
gkdesk/db/search_index.py):

``reply_chars``  rowid = case id, the case's reply texts;
``letter_chars`` rowid = document id, the markup of each issued letter (not receipts,
                 forms or proofs of service); a cancelled or superseded letter leaves it.

A search walks each index newest first (``ORDER BY rowid DESC`` lets FTS5 stop early) and
re-checks candidates in chunks until it has ``limit`` cases, so a common two-character term
costs a few chunks, not a pass over 100,000 cases. PostgreSQL scans with ILIKE.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from gkdesk.cases.search_text import match_phrase
from gkdesk.db.models import Case, Document, db
from gkdesk.db.search_index import LETTER_KINDS
from gkdesk.db.search_index import create_precedents_index as create_index  # noqa: F401  (tests, benchmarks)
from gkdesk.domain import outcomes as oc
from gkdesk.domain import terms

CHUNK = 200


@dataclass(frozen=True)
class Precedent:
    case_id: int
    number: str
    applicant_name: str
    content: str
    outcome: str
    outcome_label: str
    reply_date: dt.date | None
    letter_number: str          # the letter the hit is in, or the case's 答复文号
    letter_title: str
    where: str                  # 答复理由 / 提供的信息 / 负责公开的机关 / the letter's title
    excerpt: str                # the text around the hit


def _excerpt(text: str, q: str, width: int = 36) -> str:
    flat = " ".join((text or "").replace("\u2028", " ").split())
    i = flat.find(q)
    if i < 0:
        return flat[:width * 2]
    a = max(0, i - width // 2)
    b = min(len(flat), i + len(q) + width)
    return ("…" if a else "") + flat[a:b] + ("…" if b < len(flat) else "")


def _letter_text(markup: str) -> str:
    lines = []
    for line in (markup or "").split("\n"):
        s = line.strip()
        if s.startswith("@"):
            head, _, rest = s.partition(" ")
            if head in ("@cols", "@blank", "@pagebreak"):
                continue
            s = rest
        lines.append(s.replace("|", " "))
    return "\n".join(lines)


_CASE_FIELDS = (("outcome_reason", "答复理由"), ("provided_description", "提供的信息"),
                ("responsible_agency", "负责公开的机关"), ("outcome_articles", "法律依据"))


def _case_hits(q: str, phrase: str | None, limit: int, before: int | None) -> dict[int, tuple[str, str, str, str]]:
    """case id → (where, excerpt, letter number, letter title) from the reply texts."""
    found: dict[int, tuple] = {}
    cond = pw.SQL("0")
    for name, _ in _CASE_FIELDS:
        cond = cond | getattr(Case, name).contains(q)
    for ids in _candidate_chunks("reply_chars", phrase, before):
        q_ = Case.select(Case.id, Case.outcome_reason, Case.provided_description, Case.responsible_agency,
                         Case.outcome_articles, Case.reply_number).where(cond)
        q_ = q_.where(Case.id.in_(ids)) if ids is not None else q_.order_by(Case.id.desc()).limit(limit)
        for c in q_:
            for name, label in _CASE_FIELDS:
                text = getattr(c, name) or ""
                if q in text:
                    found[c.id] = (label, _excerpt(text, q), c.reply_number, "")
                    break
        if len(found) >= limit or ids is None:
            break
    return found


def _letter_hits(q: str, phrase: str | None, limit: int) -> dict[int, tuple[str, str, str, str]]:
    found: dict[int, tuple] = {}
    for ids in _candidate_chunks("letter_chars", phrase, None):
        dq = (Document.select(Document.id, Document.case, Document.number, Document.kind, Document.fields)
              .where(Document.status == "issued", Document.kind.in_(LETTER_KINDS), Document.case.is_null(False)))
        dq = dq.where(Document.id.in_(ids)) if ids is not None else dq.order_by(Document.id.desc())
        for d in dq.iterator():
            f = d.fields or {}
            text = _letter_text(f.get("markup", ""))
            if q in text and d.case_id not in found:
                title = f.get("title") or terms.label_of(terms.DOCUMENT_KINDS, d.kind)
                found[d.case_id] = (title, _excerpt(text, q), d.number or "", title)
                if ids is None and len(found) >= limit:
                    break
        if len(found) >= limit or ids is None:
            break
    return found


def _candidate_chunks(table: str, phrase: str | None, before: int | None):
    """Chunks of candidate rowids, newest first; one ``None`` when the index cannot answer
    (PostgreSQL, or a query of punctuation only): the caller then scans."""
    if phrase is None or not isinstance(db.obj, pw.SqliteDatabase):
        yield None
        return
    last = before
    while True:
        if last is None:
            rows = db.execute_sql(f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
                                  (phrase, CHUNK)).fetchall()
        else:
            rows = db.execute_sql(f"SELECT rowid FROM {table} WHERE {table} MATCH ? AND rowid < ? "
                                  f"ORDER BY rowid DESC LIMIT ?", (phrase, last, CHUNK)).fetchall()
        if not rows:
            return
        ids = [r[0] for r in rows]
        yield ids
        last = ids[-1]
        if len(ids) < CHUNK:
            return


def search(text: str, *, limit: int = 50, outcome_codes: tuple[str, ...] = ()) -> list[Precedent]:
    """Cases whose reply or issued letters hold ``text`` (exact substring), newest first."""
    q = (text or "").strip()
    if not q:
        return []
    phrase = match_phrase(q)
    hits = _letter_hits(q, phrase, limit)
    for cid, h in _case_hits(q, phrase, limit, None).items():
        hits.setdefault(cid, h)
    if not hits:
        return []
    rows = {c.id: c for c in Case.select(Case.id, Case.number, Case.applicant_name, Case.content, Case.outcome,
                                          Case.reply_date, Case.reply_number).where(Case.id.in_(list(hits)))}
    out = []
    for cid in sorted(hits, reverse=True):
        c = rows.get(cid)
        if c is None or (outcome_codes and c.outcome not in outcome_codes):
            continue
        where, excerpt, letter_no, title = hits[cid]
        o = oc.OUTCOMES.get(c.outcome) if c.outcome else None
        out.append(Precedent(c.id, c.number, c.applicant_name, c.content, c.outcome or "",
                             o.label if o else "尚未答复", c.reply_date, letter_no or c.reply_number,
                             title or ("答复书" if c.reply_number else ""), where, excerpt))
    return out[:limit]


def answer_of(case_id: int) -> tuple[str, str]:
    """(letter number, the first words of the reply) of an answered case, for warnings."""
    c = Case.get_or_none(Case.id == case_id)
    if c is None:
        return "", ""
    text = c.outcome_reason or c.provided_description or c.responsible_agency
    if not text:
        d = (Document.select(Document.fields).where(Document.case == case_id, Document.status == "issued",
                                                    Document.kind.in_(("reply", "not-request", "termination")))
             .order_by(Document.id.desc()).first())
        if d is not None:
            text = _letter_text((d.fields or {}).get("markup", ""))
    flat = " ".join((text or "").split())
    return c.reply_number, (flat[:40] + "…") if len(flat) > 40 else flat
