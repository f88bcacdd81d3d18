"""催报通知 / 督办通知 to the units that are late, and the leader's one-page list — through
the document pipeline (templates ``reminder`` and ``supervision`` the office can edit,
numbered like every document, GB/T 9704 layout, frozen with their SHA-256).

A unit gets a 催报通知 for what it has not handed in by the due date; a unit whose every
late item was already in a 催报通知 gets a 督办通知 (``kind="auto"``), which names the
earlier notice. The letter lists exactly the late (task, unit) requests of that unit.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from gkdesk.domain import rules, terms
from gkdesk.errors import ValidationError

DEFAULT_CODES = {"reminder": "催", "supervision": "督"}
LEADER_LIST_TITLE = "工作任务逾期未报送情况一览"


@dataclass(frozen=True)
class IssuedLetter:
    document_id: int
    kind: str
    kind_label: str
    number: str
    unit_id: int
    unit_name: str
    request_ids: tuple
    path: str            # the copy written to the output folder ('' when none)


def _cell(text: str) -> str:
    return (text or "").replace("|", "｜").replace("\n", " ")


def _items(views) -> list[dict]:
    out = []
    for v in views:
        what = v.what + (f"（{v.period}）" if v.period else "")
        out.append({"task": _cell(v.task_label), "what": _cell(what),
                    "due": v.due.isoformat() if v.due else _cell(v.due_text),
                    "days_late": str(v.days_late), "state": v.state_label})
    return out


def _office_ns(s: dict):
    from gkdesk.documents import context

    return context.Namespace("office", {
        "name": s["office.name"], "disclosure_office": s["office.disclosure_office"],
        "address": s["office.address"], "postcode": s["office.postcode"], "phone": s["office.phone"],
        "email": s["office.email"], "hours": s["office.hours"]})


def _build(kind: str, unit_name: str, items: list[dict], *, number: str, date: dt.date, draft: bool,
           reply_by: str, reminded: str, settings_values: dict) -> dict:
    from gkdesk.documents import context

    return {
        "office": _office_ns(settings_values),
        "doc": context.Namespace("doc", {"number": number, "date": context.cn_date(date), "year": date.year,
                                         "title": terms.DOCUMENT_KINDS[kind].label, "draft": draft}),
        "unit": context.Namespace("unit", {"name": unit_name, "count": len(items), "reply_by": reply_by,
                                           "reminded": reminded}),
        "items": items,
    }


def number_for(kind: str, year: int, serial: int | None, settings_values: dict) -> str:
    from gkdesk.cases import numbering

    code = (settings_values.get("numbering.kind_codes") or {}).get(kind) or DEFAULT_CODES[kind]
    prefix = settings_values["numbering.doc_prefix"] + code
    if serial is None:
        return f"{prefix}〔{year}〕　　号"
    return numbering.format_number(prefix, year, serial)


def default_reply_by(on: dt.date) -> dt.date:
    from gkdesk.cases import deadlines

    return deadlines.calendar().add_working_days(on, rules.REMINDER_REPLY_WORKING_DAYS).date


def _lay(kind: str, ctx: dict, fields: dict, body: str | None = None, draft_mark: str = ""):
    from gkdesk.documents import fonts, layout, markup, templates

    src = templates.current(kind) if body is None else templates.TemplateSource(
        kind, body, -1, *templates.parse_header(kind, body)[:2])
    _, specs, _ = templates.parse_header(kind, src.body)
    values = {s.key: str(fields.get(s.key, "") or "") for s in specs}
    templates.check_required(src, values, specs)
    text = templates.render_text(src, ctx, values)
    blocks = markup.parse(text)
    laid = layout.layout(blocks, fonts.fontset(), draft_mark=draft_mark, source=f"模板“{src.title or kind}”")
    return src, text, blocks, laid


def render_sample(name: str, body: str):
    """(blocks, laid) of a reminder template filled with a made-up unit (template editor)."""
    from gkdesk import settings as _s

    values = {o.key: o.default for o in _s.OPTIONS}
    try:
        values |= _s.get_all()
    except Exception:
        pass
    items = [{"task": "1（1）梳理规范权责清单，动态调整更新", "what": "落实情况", "due": "2026-07-20",
              "days_late": "12", "state": "逾期"},
             {"task": "2（3）编制26个领域政务公开事项目录", "what": "实施方案", "due": "2026-07-31",
              "days_late": "1", "state": "退回"}]
    ctx = _build(name, "某某区示例局", items, number=number_for(name, 2026, 3, values), date=dt.date(2026, 8, 3),
                 draft=False, reply_by="2026年8月6日", reminded="某政办催〔2026〕1号", settings_values=values)
    _, _, blocks, laid = _lay(name, ctx, {"reply_by": "2026年8月6日", "extra": ""}, body=body,
                              draft_mark="示例（虚构单位）")
    return blocks, laid


def _reminded_before(unit_id: int, request_ids: set[int]) -> tuple[bool, str]:
    """(every one of ``request_ids`` was in an issued 催报通知, the latest such number)."""
    from gkdesk.db.models import Document

    covered: set[int] = set()
    last = ""
    for d in (Document.select().where((Document.kind == "reminder") & (Document.status == "issued")
                                      & Document.case.is_null()).order_by(Document.id)):
        f = d.fields or {}
        if f.get("unit_id") == unit_id:
            covered |= set(f.get("requests", []))
            last = d.number or last
    return bool(request_ids) and request_ids <= covered, last


def plan(*, unit=None, on: dt.date | None = None) -> list[tuple[int, str, list]]:
    """(unit id, unit name, its late requests) of every late unit (or of ``unit``)."""
    from gkdesk.tasks import service

    unit_id = None
    if unit is not None:
        from gkdesk.forms.units import get_unit

        unit_id = get_unit(unit).id
    late = service.overdue(on=on, unit_id=unit_id)
    by_unit: dict[int, list] = {}
    names = {}
    for v in late:
        by_unit.setdefault(v.unit_id, []).append(v)
        names[v.unit_id] = v.unit_name
    from gkdesk.forms.units import name_key

    return sorted(((uid, names[uid], vs) for uid, vs in by_unit.items()), key=lambda x: name_key(x[1]))


def issue_letters(actor, *, unit=None, kind: str = "auto", on: dt.date | None = None,
                  date: dt.date | None = None, reply_by: dt.date | None = None, extra: str = "",
                  folder: str | Path | None = None, progress=None) -> list[IssuedLetter]:
    """Issue one 催报/督办通知 per late unit (numbered, stored, frozen), in one transaction;
    with ``folder``, a copy of each PDF is written there. Nothing late → ValidationError."""
    import hashlib

    from gkdesk import audit, changes, settings
    from gkdesk.actors import require
    from gkdesk.cases import numbering
    from gkdesk.db import current, write_transaction
    from gkdesk.db.models import Document, utcnow
    from gkdesk.documents import kinds as doc_kinds
    from gkdesk.documents import pdf
    from gkdesk.fileio import atomic_write
    from gkdesk.tasks import service

    if kind not in ("auto", "reminder", "supervision"):
        raise ValidationError(f"通知种类：“{kind}”无效，可选 reminder（催报通知）、supervision（督办通知）或 auto",
                              "通知种类")
    actor = service._actor(actor)
    on = on or service.today()
    date = date or on
    units = plan(unit=unit, on=on)
    if not units:
        raise ValidationError(f"截至{on.isoformat()}没有逾期未报送的单位，无需催报", "逾期单位")
    office = settings.get_all()
    reply = reply_by or default_reply_by(date)
    reply_text = f"{reply.year}年{reply.month}月{reply.day}日"
    drafts = []
    for uid, name, views in units:
        ids = {v.id for v in views}
        again, last = _reminded_before(uid, ids)
        k = kind if kind != "auto" else ("supervision" if again else "reminder")
        require(actor, doc_kinds.spec(k).roles, f"出具{terms.DOCUMENT_KINDS[k].label}")
        items = _items(views)
        ctx = _build(k, name, items, number=number_for(k, date.year, None, office), date=date, draft=True,
                     reply_by=reply_text, reminded=last if k == "supervision" else "", settings_values=office)
        _lay(k, ctx, {"reply_by": reply_text, "extra": extra})   # refusals before any number is drawn
        drafts.append((uid, name, views, k, items, last))
    files = current().files_dir
    written: list[Path] = []
    out: list[IssuedLetter] = []
    try:
        with write_transaction():
            for n, (uid, name, views, k, items, last) in enumerate(drafts, 1):
                serial = numbering.next_serial(f"doc:{k}", date.year)
                number = number_for(k, date.year, serial, office)
                ctx = _build(k, name, items, number=number, date=date, draft=False, reply_by=reply_text,
                             reminded=last if k == "supervision" else "", settings_values=office)
                src, text, _blocks, laid = _lay(k, ctx, {"reply_by": reply_text, "extra": extra})
                title = src.title or terms.DOCUMENT_KINDS[k].label
                data = pdf.write(laid, pdf.PdfMeta(title=title, author=office["office.name"], subject=number,
                                                   keywords="政务公开 工作任务"))
                rel = Path("documents") / str(date.year) / "tasks" / f"{k}-{date.year}-{serial}.pdf"
                atomic_write(files / rel, data)
                written.append(files / rel)
                digest = hashlib.sha256(data).hexdigest()
                doc = Document.create(
                    case=None, kind=k, number=number, year=date.year, serial=serial, status="issued",
                    fields={"clerk": {"reply_by": reply_text, "extra": extra}, "markup": text, "title": title,
                            "date": date.isoformat(), "date_text": f"{date.year}年{date.month}月{date.day}日",
                            "template": k, "unit_id": uid, "unit_name": name,
                            "requests": sorted(v.id for v in views), "seal_mm": None},
                    template_version=src.version, stored_path=rel.as_posix(), sha256=digest,
                    issued_at=utcnow(), issued_by=actor.username)
                path = ""
                if folder is not None:
                    dest = Path(folder) / f"{name}-{terms.DOCUMENT_KINDS[k].label}-{number}.pdf"
                    atomic_write(dest, data)
                    written.append(dest)
                    path = str(dest)
                audit.record("document.issue", user=actor.username,
                             summary=f"出具{terms.DOCUMENT_KINDS[k].label} {number}（{name}，{len(views)}项）",
                             details={"document": doc.id, "kind": k, "number": number, "sha256": digest,
                                      "unit_id": uid, "requests": sorted(v.id for v in views)})
                out.append(IssuedLetter(doc.id, k, terms.DOCUMENT_KINDS[k].label, number, uid, name,
                                        tuple(sorted(v.id for v in views)), path))
                if progress is not None:
                    progress(n, len(drafts))
            changes.note("documents", "tasks")
    except BaseException:
        for p in written:
            p.unlink(missing_ok=True)
        raise
    return out


def letters_of(unit_id: int | None = None) -> list[dict]:
    """Issued 催报/督办通知 (newest first): id, kind, number, unit, date, requests."""
    from gkdesk.db.models import Document

    out = []
    for d in (Document.select().where(Document.kind.in_(list(terms.TASK_DOCUMENT_KINDS)) & Document.case.is_null())
              .order_by(Document.id.desc())):
        f = d.fields or {}
        if unit_id is not None and f.get("unit_id") != unit_id:
            continue
        out.append({"id": d.id, "kind": d.kind, "label": terms.DOCUMENT_KINDS[d.kind].label, "number": d.number,
                    "unit_id": f.get("unit_id"), "unit_name": f.get("unit_name", ""), "date": f.get("date", ""),
                    "status": d.status, "requests": tuple(f.get("requests", []))})
    return out


# ---------------------------------------------------------------- lists (not numbered)

def _table_pdf(title: str, subtitle: str, widths: list[int], header: list[str], rows: list[list[str]],
               footer: str = "") -> bytes:
    """A plain table on GB/T 9704 pages (title, a centred line, the table), through the
    document layout — the one PDF text path."""
    from gkdesk import settings
    from gkdesk.documents import fonts, layout, markup, pdf

    lines = [f"@title {title}", f"@center {subtitle}", "@cols " + ",".join(str(w) for w in widths),
             "@row " + " | ".join(header)]
    lines += ["@row " + " | ".join(_cell(c) or "—" for c in r) for r in rows]
    if footer:
        lines.append(f"@noindent {footer}")
    blocks = markup.parse("\n".join(lines))
    laid = layout.layout(blocks, fonts.fontset(), source=title)
    return pdf.write(laid, pdf.PdfMeta(title=title, author=settings.get("office.name"), subject=subtitle,
                                       keywords="政务公开 工作任务"))


def leader_list_pdf(on: dt.date | None = None) -> bytes:
    """One page for the leader: every late (task, unit) pair, by unit, with days late."""
    from gkdesk.tasks import service

    on = on or service.today()
    late = service.overdue(on=on)
    units = {v.unit_id for v in late}
    rows = [[v.unit_name, v.task_label, v.what, v.due.isoformat() if v.due else "", str(v.days_late)]
            for v in sorted(late, key=lambda v: (v.unit_name, v.due or dt.date.max))]
    subtitle = f"截至{on.year}年{on.month}月{on.day}日：{len(units)}个单位、{len(late)}项逾期"
    if not rows:
        rows = [["（无）", "没有逾期未报送的事项", "", "", ""]]
    return _table_pdf(LEADER_LIST_TITLE, subtitle, [6, 11, 4, 4, 3], ["单位", "工作任务", "报送内容", "截止", "逾期天数"],
                      rows)
