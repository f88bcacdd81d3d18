"""The year's annual report as the document the office publishes (docs/annual-report.md):
sections 一 to 六 of the national format from the editable template ``annual_report``
(the template system of gkdesk/documents), the year's facts filled in, tables 二、三、四
laid in exactly as ``annual`` computes them, as a GB/T 9704 PDF (the document pipeline:
its fonts, layout and 禁则 line breaking) or a .docx with real tables.

What the clerk writes for the year (总体情况的补充、主动公开情况、存在的主要问题、改进情况、
其他事项) is kept per year (``ReportInput`` keys ``doc/…``); last year's 存在的主要问题 is
printed beside this year's 改进情况. Export refuses a year whose tables do not add up
(``annual_xlsx.ReportCheckError``), as the xlsx export does.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import peewee as pw

from gkdesk import audit, changes
from gkdesk.db import write_transaction
from gkdesk.db.models import Fee, ReportInput
from gkdesk.documents.tables import Cell, Grid
from gkdesk.domain import outcomes, supervision
from gkdesk.errors import ValidationError
from gkdesk.reports import annual

TEMPLATE = "annual_report"
_PREFIX = "doc/"

# What the clerk writes per year: key → label. The template declares them as fields.
TEXT_FIELDS: dict[str, str] = {
    "overview": "总体情况（补充说明）",
    "proactive": "主动公开政府信息情况（文字说明）",
    "problems": "本年度存在的主要问题",
    "improvements": "改进情况（针对上年度存在的问题）",
    "other": "其他需要报告的事项",
}
NOT_WRITTEN = "（未填写）"


# ------------------------------------------------------------------ what the clerk writes

def texts(year: int) -> dict[str, str]:
    stored = {r.key[len(_PREFIX):]: r.value for r in
              ReportInput.select().where(ReportInput.year == year, ReportInput.key.startswith(_PREFIX))}
    return {k: str(stored.get(k) or "") for k in TEXT_FIELDS}


def save_texts(year: int, values: dict, actor) -> dict:
    """Store the clerk's texts of the year's report (unknown keys refused); one
    transaction, one audit event; returns what changed."""
    from gkdesk.actors import Actor, require

    if isinstance(actor, Actor):
        require(actor, ("clerk", "reviewer", "leader", "admin"), "编写年度报告")
    if not 1990 <= int(year) <= 2200:
        raise ValidationError(f"年度：{year} 不是有效的年度", "年度")
    bad = [k for k in values if k not in TEXT_FIELDS]
    if bad:
        raise ValidationError(f"年度报告没有“{bad[0]}”这一部分", bad[0])
    before = texts(year)
    new = {k: str(v or "").replace("\r\n", "\n").strip() for k, v in values.items()}
    changed = {k: [before[k], v] for k, v in new.items() if before[k] != v}
    if not changed:
        return {}
    with write_transaction():
        for k, (_old, v) in changed.items():
            key = _PREFIX + k
            if not v:
                ReportInput.delete().where(ReportInput.year == year, ReportInput.key == key).execute()
            else:
                (ReportInput.insert(year=year, key=key, value=v)
                 .on_conflict(conflict_target=[ReportInput.year, ReportInput.key], update={ReportInput.value: v})
                 .execute())
        audit.record("annual_document", user=getattr(actor, "username", str(actor or "")),
                     summary=f"编写{year}年度报告正文（{'、'.join(TEXT_FIELDS[k] for k in changed)}）",
                     details={"year": year, "changed": sorted(changed)})
        changes.note("annual_document")
    return changed


# ------------------------------------------------------------------ the facts

def fees(year: int) -> tuple[int, int]:
    """(fee notices sent in the year, their amount in 元)."""
    a, b = dt.date(year, 1, 1), dt.date(year, 12, 31)
    n, amount = (Fee.select(pw.fn.COUNT(Fee.id), pw.fn.COALESCE(pw.fn.SUM(Fee.amount), 0))
                 .where(Fee.notice_date.between(a, b)).tuples().get())
    return int(n or 0), int(amount or 0)


def task_lines(year: int) -> list[str]:
    """The year's task progress as lines (``gkdesk.tasks.links.progress_lines``, issue 13);
    an area reads another area's core, not the screens' API (import-linter layers)."""
    from gkdesk.tasks import links

    return list(links.progress_lines(year))


def _rate(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def _group_total(t3: dict, group_label: str) -> int:
    return sum(row[annual.TOTAL_COLUMN] for key, row in t3.items()
               if key == group_label or key.startswith(group_label + "/"))


def facts(year: int, data: dict) -> dict:
    """The values of the ``report`` namespace the template prints (numbers as computed)."""
    from gkdesk.reports import stats

    t3, t4 = data["table3"], data["table4"]
    total = annual.TOTAL_COLUMN
    # the replies on time: one aggregate, not the whole statistics page (stats.compute counts
    # every day, section and handler: 1.3 s at 26,000 cases a year; issue 20)
    timely = stats.on_time(year)
    n_fee, fee_amount = fees(year)
    tasks = task_lines(year)
    last = texts(year - 1)
    recon = t4[annual.RECONSIDERATION]
    lit = [t4[k] for k in annual.TABLE4_KEYS[1:]]
    g = outcomes.GROUPS
    return {
        "year": year, "last_year": year - 1,
        "received": t3[annual.ROW_NEW][total], "carried_in": t3[annual.ROW_CARRIED_IN][total],
        "replied": t3[annual.ROW_TOTAL][total], "carried_out": t3[annual.ROW_CARRIED_OUT][total],
        "natural": t3[annual.ROW_NEW][annual.NATURAL_COLUMN],
        "organisations": t3[annual.ROW_NEW][total] - t3[annual.ROW_NEW][annual.NATURAL_COLUMN],
        "disclosed": _group_total(t3, g["disclose"]), "partial": _group_total(t3, g["partial"]),
        "withheld": _group_total(t3, g["withhold"]), "cannot": _group_total(t3, g["cannot"]),
        "not_handled": _group_total(t3, g["not_handled"]), "other": _group_total(t3, g["other"]),
        "on_time_rate": _rate(timely.on_time_rate), "on_time": timely.on_time,
        "reconsiderations": recon[total], "reconsiderations_corrected": recon[terms_corrected()],
        "lawsuits": sum(r[total] for r in lit), "lawsuits_corrected": sum(r[terms_corrected()] for r in lit),
        "fee_notices": n_fee, "fee_amount": fee_amount,
        "tasks": "\n".join(tasks) if tasks else supervision.NO_TASKS_TEXT, "has_tasks": bool(tasks),
        "last_year_problems": last["problems"] or f"（{year - 1}年度报告未在本系统填写存在的主要问题）",
    }


def terms_corrected() -> str:
    from gkdesk.domain import terms

    return terms.PROCEEDING_RESULTS["corrected"].label


# ------------------------------------------------------------------ the tables as grids

def fmt(v) -> str:
    """A number as the tables print it: whole numbers plain, amounts without trailing zeros."""
    if v is None:
        return ""
    if isinstance(v, float):
        d = Decimal(str(v)).normalize()
        return format(d, "f")
    return str(v)


def grid3(t3: dict) -> Grid:
    cols = annual.TABLE3_COLUMNS
    rows: list[list[Cell]] = [
        [Cell(annual.HEADER_NOTE, colspan=3, rowspan=3), Cell(annual.HEADER_APPLICANTS, colspan=len(cols), head=True)],
        [Cell(annual.NATURAL_COLUMN, rowspan=2, head=True),
         Cell(annual.HEADER_ORGANISATIONS, colspan=len(annual.ORG_COLUMNS), head=True),
         Cell(annual.TOTAL_COLUMN, rowspan=2, head=True)],
        [Cell(c, head=True) for c in annual.ORG_COLUMNS],
    ]
    layout = annual.table3_layout()
    n_results = sum(1 for lr in layout if lr.section == annual.RESULTS_HEADING)
    seen_section = seen_group = None
    for i, lr in enumerate(layout):
        row: list[Cell] = []
        if lr.section != annual.RESULTS_HEADING:
            row.append(Cell(lr.label, colspan=3, align="left"))
        else:
            if seen_section != lr.section:
                row.append(Cell(lr.section, rowspan=n_results))
                seen_section = lr.section
            if lr.group is None:
                row.append(Cell(lr.label, colspan=2, align="left"))
                seen_group = None
            else:
                if seen_group != lr.group:
                    span = sum(1 for x in layout[i:] if x.group == lr.group)
                    row.append(Cell(lr.group, rowspan=span, align="left"))
                    seen_group = lr.group
                row.append(Cell(lr.label, align="left"))
        row += [Cell(fmt(t3[lr.key][c]), key=(lr.key, c)) for c in cols]
        rows.append(row)
    return Grid("table3", [8, 20, 50] + [11] * len(cols), rows, header_rows=3, size=10.5,
                title=annual.TABLE3_TITLE)


def grid4(t4: dict) -> Grid:
    cols = annual.TABLE4_COLUMNS
    n = len(cols)
    lit = annual.TABLE4_KEYS[1:]
    rows = [
        [Cell(annual.RECONSIDERATION, colspan=n, head=True), Cell(annual.LITIGATION, colspan=n * len(lit), head=True)],
        [Cell(c, rowspan=2, head=True) for c in cols] + [Cell(k.split("/", 1)[1], colspan=n, head=True) for k in lit],
        [Cell(c, head=True) for _k in lit for c in cols],
        [Cell(fmt(t4[k][c]), key=(k, c)) for k in annual.TABLE4_KEYS for c in cols],
    ]
    return Grid("table4", [1] * (n * len(annual.TABLE4_KEYS)), rows, header_rows=3, size=9,
                title=annual.TABLE4_TITLE)


def grid2(t2: dict) -> Grid:
    rows: list[list[Cell]] = []
    width = max(len(s.columns) for s in annual.TABLE2)
    for sec in annual.TABLE2:
        rows.append([Cell(sec.heading, colspan=width + 1, head=True)])
        if len(sec.columns) == 1:
            rows.append([Cell(annual.TABLE2_CONTENT_HEADER, head=True), Cell(sec.columns[0], colspan=width, head=True)])
        else:
            rows.append([Cell(annual.TABLE2_CONTENT_HEADER, head=True)] + [Cell(c, head=True) for c in sec.columns])
        for r in sec.rows:
            if len(sec.columns) == 1:
                c = sec.columns[0]
                rows.append([Cell(r), Cell(fmt(t2[r][c]), colspan=width, key=(r, c))])
            else:
                rows.append([Cell(r)] + [Cell(fmt(t2[r][c]), key=(r, c)) for c in sec.columns])
    return Grid("table2", [4] + [3] * width, rows, size=10.5, title=annual.TABLE2_TITLE)


def grids(data: dict) -> dict[str, Grid]:
    return {"table2": grid2(data["table2"]), "table3": grid3(data["table3"]), "table4": grid4(data["table4"])}


# ------------------------------------------------------------------ filling the template

@dataclass
class Prepared:
    year: int
    text: str
    blocks: list
    laid: object
    data: dict
    title: str


def context_for(year: int, data: dict, date: dt.date) -> dict:
    from gkdesk import settings
    from gkdesk.documents import context

    s = settings.get_all()
    office = context.Namespace("office", {
        "name": s["office.name"], "disclosure_office": s["office.disclosure_office"],
        "address": s["office.address"], "postcode": s["office.postcode"], "phone": s["office.phone"],
        "email": s["office.email"], "hours": s["office.hours"]})
    report = context.Namespace("report", facts(year, data), labels=dict(context.CATALOGUE_REPORT_LABELS))
    doc = context.Namespace("doc", {"number": "", "date": context.cn_date(date), "year": year,
                                    "title": f"{year}年政府信息公开工作年度报告", "draft": False})
    return {"office": office, "report": report, "doc": doc}


def prepare(year: int, values: dict | None = None, *, checked: bool = True, template_body: str | None = None,
            date: dt.date | None = None, draft_mark: str = "") -> Prepared:
    """Fill the template for ``year`` and lay it out (no writes). ``values`` overrides the
    stored texts (the editor's unsaved text); ``checked`` refuses figures that do not add up."""
    from gkdesk.cases import deadlines
    from gkdesk.documents import fonts, layout, markup, templates
    from gkdesk.reports import annual_xlsx

    import copy

    from gkdesk.db import read_cache

    # tables 二–四 of the year, remembered until the database changes (see facts); a copy,
    # so that nothing done with this document's data reaches the remembered answer
    data = copy.deepcopy(read_cache.remembered(("annual_doc.gather", year, checked, deadlines.today()),
                                               lambda: annual_xlsx.gather(year, checked=checked)))
    src = templates.current(TEMPLATE) if template_body is None else templates.TemplateSource(
        TEMPLATE, template_body, -1, *templates.parse_header(TEMPLATE, template_body)[:2])
    fields = texts(year)
    fields.update({k: v for k, v in (values or {}).items() if k in TEXT_FIELDS})
    date = date or deadlines.today()
    ctx = context_for(year, data, date)
    text = templates.render_text(src, ctx, fields)
    blocks = markup.attach_tables(markup.parse(text), grids(data))
    laid = layout.layout(blocks, fonts.fontset(), source=f"模板“{src.title or TEMPLATE}”", draft_mark=draft_mark)
    return Prepared(year, text, blocks, laid, data, laid.title or f"{year}年政府信息公开工作年度报告")


def sample_context() -> tuple[dict, dict]:
    """(context, tables) of a made-up year for checking an edited template."""
    from gkdesk.documents import context

    t3 = {k: {c: 0 for c in annual.TABLE3_COLUMNS} for k in annual.TABLE3_KEYS}
    t4 = {k: {c: 0 for c in annual.TABLE4_COLUMNS} for k in annual.TABLE4_KEYS}
    t2 = {r: {c: None for c in s.columns} for s in annual.TABLE2 for r in s.rows}
    data = {"year": 2026, "office": "", "table2": t2, "table3": t3, "table4": t4}
    f = {k: 0 for k in ("received", "carried_in", "replied", "carried_out", "natural", "organisations",
                        "disclosed", "partial", "withheld", "cannot", "not_handled", "other", "on_time",
                        "reconsiderations", "reconsiderations_corrected", "lawsuits", "lawsuits_corrected",
                        "fee_notices", "fee_amount")}
    f.update(year=2026, last_year=2025, on_time_rate="100.0%", tasks=supervision.NO_TASKS_TEXT, has_tasks=False,
             last_year_problems="（示例：上年度存在的主要问题）")
    ctx = {"office": context.Namespace("office", {k: f"（示例：{v}）" for k, v in context.CATALOGUE["office"]}),
           "report": context.Namespace("report", f), "doc": context.Namespace(
               "doc", {"number": "", "date": "2027年1月20日", "year": 2026, "title": "年度报告", "draft": False})}
    return ctx, grids(data)


# ------------------------------------------------------------------ files

def export(year: int, path: str | os.PathLike) -> Path:
    """The year's report as .pdf (GB/T 9704, fonts embedded) or .docx (real tables);
    refused, nothing written, when the year's figures do not add up."""
    from gkdesk.documents import docx_export, pdf
    from gkdesk.fileio import atomic_write

    suffix = Path(path).suffix.lower()
    if suffix not in (".pdf", ".docx"):
        raise ValidationError(f"输出文件：年度报告只能导出为 .pdf 或 .docx，现为“{Path(path).name}”", "输出文件")
    p = prepare(year)
    office = p.data["office"]
    if suffix == ".pdf":
        content = pdf.write(p.laid, pdf.PdfMeta(title=p.title, author=office, subject=f"{year}年度",
                                                keywords="政府信息公开工作年度报告"))
    else:
        content = docx_export.build(p.blocks, title=p.title, author=office, sealed=False)
    atomic_write(Path(path), content)
    return Path(path)
