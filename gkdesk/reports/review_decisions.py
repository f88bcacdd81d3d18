"""The yearly reviews kept as decisions (docs/supervision.md §4): for each withheld case and
each group of often-requested information, a decision — keep withheld, or publish
proactively (where, by when, decided by whom). Decisions are recorded here, or filled in
the exported sheet and imported back; the next year's list leaves out what was decided.

- withheld: the review of year Y lists every case replied by 31 December Y with a
  不予公开/部分公开 outcome, except those decided in an earlier year's review;
- frequent: the groups of year Y's requests (``reviews.frequent``), except groups like one
  decided in an earlier year (their typical requests share most of their trigrams).
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from gkdesk import audit, changes
from gkdesk.db import write_transaction
from gkdesk.domain import supervision
from gkdesk.errors import ImportError_, ValidationError
from gkdesk.reports import reviews

KEY_HEADER = "编号（请勿修改）"
DECISION_HEADERS = ("复查结论", "公开渠道（转为主动公开时填写）", "公开时间（转为主动公开时填写）", "决定人", "备注")
SIMILAR = 0.5


@dataclass(frozen=True)
class Decision:
    kind: str
    item_key: str
    year: int
    decision: str
    decision_label: str
    place: str
    publish_by: dt.date | None
    decided_by: str
    note: str


@dataclass(frozen=True)
class ReviewItem:
    kind: str
    key: str
    columns: tuple            # what the sheet shows about the item (see HEADERS)
    sample: str
    decision: Decision | None


HEADERS = {
    "withheld": ("受理编号", "答复日期", "办理结果", "不予公开理由", "依据条款", "申请内容"),
    "frequent": ("申请件数", "申请人数", "共同内容", "典型申请内容", "受理编号"),
}


def _decision_view(r) -> Decision:
    return Decision(r.kind, r.item_key, r.year, r.decision,
                    supervision.label(supervision.REVIEW_DECISIONS, r.decision), r.place, r.publish_by,
                    r.decided_by, r.note)


def decisions(kind: str) -> dict[str, Decision]:
    from gkdesk.db.annual_models import ReviewDecision as RD

    return {r.item_key: _decision_view(r) for r in RD.select().where(RD.kind == kind)}


def _dice(a: set, b: set) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def items(kind: str, year: int) -> list[ReviewItem]:
    """The review list of ``year``: items with this year's decision (if any), without
    those decided in an earlier year."""
    _kind(kind)
    done = decisions(kind)
    out = []
    if kind == "withheld":
        end = dt.date(year, 12, 31)
        for it in reviews.withheld(None):
            if it.reply_date is None or it.reply_date > end:
                continue
            d = done.get(it.number)
            if d is not None and d.year < year:
                continue
            out.append(ReviewItem(kind, it.number, (it.number, it.reply_date, it.outcome_label, it.reason,
                                                    it.articles, it.content), it.content, d))
        return out
    from gkdesk.db.annual_models import ReviewDecision as RD

    earlier = [reviews.trigrams(r.sample) for r in RD.select().where((RD.kind == kind) & (RD.year < year))]
    for g in reviews.frequent(year):
        grams = reviews.trigrams(g.sample)
        if any(_dice(grams, e) >= SIMILAR for e in earlier):
            continue
        key = g.numbers[0]
        d = done.get(key)
        out.append(ReviewItem(kind, key, (g.size, g.applicants, "、".join(g.phrases), g.sample, "、".join(g.numbers)),
                              g.sample, d if d is not None and d.year == year else None))
    return out


def _kind(kind: str) -> None:
    if kind not in supervision.REVIEW_KINDS:
        raise ValidationError(f"复查类别：只能是 withheld 或 frequent，现为“{kind}”", "复查类别")


def _parse_decision(text) -> str | None:
    t = str(text or "").strip()
    if not t:
        return None
    for code, term in supervision.REVIEW_DECISIONS.items():
        if t in (code, term.label) or (code == "keep" and t in ("继续不公开", "保持不公开", "不予公开")) or (
                code == "publish" and t in ("主动公开", "公开", "拟主动公开")):
            return code
    raise ValidationError("复查结论：只能填“" + "”或“".join(t.label for t in supervision.REVIEW_DECISIONS.values())
                          + f"”，现为“{t}”", "复查结论")


def _parse_date(value, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    from gkdesk.documents.templates import parse_date
    from gkdesk.errors import TemplateError

    try:
        return parse_date(str(value))
    except TemplateError:
        raise ValidationError(f"{label}：“{value}”不是日期，请写作 2026-03-31 或 2026年3月31日", label) from None


def _clean(decision, place, publish_by, decided_by, note) -> dict:
    code = _parse_decision(decision)
    if code is None:
        raise ValidationError("复查结论：请选择复查结论", "复查结论")
    place = str(place or "").strip()
    when = _parse_date(publish_by, "公开时间")
    if code == "publish" and (not place or when is None):
        raise ValidationError("转为主动公开须写明公开渠道（在何处公开）和公开时间", "公开渠道" if not place else "公开时间")
    decided_by = str(decided_by or "").strip()
    if not decided_by:
        raise ValidationError("决定人：请填写作出复查结论的人员", "决定人")
    return {"decision": code, "place": place, "publish_by": when, "decided_by": decided_by,
            "note": str(note or "").strip()}


def _write(kind: str, year: int, rows: dict[str, dict], actor, sample: dict[str, str]) -> None:
    from gkdesk.db.annual_models import ReviewDecision as RD
    from gkdesk.db.models import utcnow

    user = getattr(actor, "username", str(actor or ""))
    for key, v in rows.items():
        (RD.insert(kind=kind, item_key=key, year=year, sample=sample.get(key, ""), recorded_by=user,
                   recorded_at=utcnow(), **v)
         .on_conflict(conflict_target=[RD.kind, RD.item_key],
                      update={RD.year: year, RD.decision: v["decision"], RD.place: v["place"],
                              RD.publish_by: v["publish_by"], RD.decided_by: v["decided_by"], RD.note: v["note"],
                              RD.recorded_by: user, RD.recorded_at: utcnow()})
         .execute())
    audit.record("review.decide", user=user,
                 summary=f"{year}年度{supervision.label(supervision.REVIEW_KINDS, kind)}：记录复查结论{len(rows)}项",
                 details={"kind": kind, "year": year, "items": {k: v["decision"] for k, v in rows.items()}})
    changes.note("reviews")


def record(kind: str, year: int, key: str, actor, *, decision, place="", publish_by=None, decided_by="",
           note="") -> Decision:
    """Record (or change) the decision on one item of year ``year``'s review."""
    from gkdesk.actors import Actor, require

    _kind(kind)
    if isinstance(actor, Actor):
        require(actor, ("reviewer", "leader", "admin"), "记录复查结论")
    listed = {it.key: it for it in items(kind, year)}
    if key not in listed:
        raise ValidationError(f"{year}年度复查清单中没有“{key}”", "编号")
    v = _clean(decision, place, publish_by, decided_by, note)
    with write_transaction():
        _write(kind, year, {key: v}, actor, {key: listed[key].sample})
    return decisions(kind)[key]


# ------------------------------------------------------------------ the sheet out and back

def export(kind: str, year: int, path: str | os.PathLike) -> Path:
    """The review list with its decision columns (a drop-down for 复查结论), to fill in."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from gkdesk import creator
    from gkdesk.fileio import atomic_path

    _kind(kind)
    its = items(kind, year)
    wb = Workbook()
    wb.properties.creator = creator()
    ws = wb.active
    ws.title = "复查结论"
    ws["A1"] = f"{year}年度{supervision.label(supervision.REVIEW_KINDS, kind)}（请填写右侧复查结论各栏后导回 gkdesk）"
    ws["A1"].font = Font(bold=True, size=14)
    headers = (KEY_HEADER, *HEADERS[kind], *DECISION_HEADERS)
    ws.append(list(headers))
    for c in ws[2]:
        c.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for it in its:
        d = it.decision
        ws.append([it.key, *it.columns,
                   d.decision_label if d else None, d.place if d else None, d.publish_by if d else None,
                   d.decided_by if d else None, d.note if d else None])
        for cell in ws[ws.max_row]:
            cell.alignment = wrap
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    first_decision = 2 + len(HEADERS[kind])
    from openpyxl.utils import get_column_letter as L

    dv = DataValidation(type="list", allow_blank=True,
                        formula1='"' + ",".join(t.label for t in supervision.REVIEW_DECISIONS.values()) + '"')
    ws.add_data_validation(dv)
    if its:
        dv.add(f"{L(first_decision)}3:{L(first_decision)}{ws.max_row}")
    for i, _h in enumerate(headers, start=1):
        ws.column_dimensions[L(i)].width = 16 if i < first_decision else 22
    ws.freeze_panes = "B3"
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def import_sheet(kind: str, year: int, path, actor) -> int:
    """Read the filled sheet back; every decision row is checked first (problems name the
    cell); all are saved in one transaction or none. Returns how many were recorded."""
    from openpyxl.utils import get_column_letter as L

    from gkdesk.actors import Actor, require
    from gkdesk.forms.records import cell_text, label_key

    _kind(kind)
    if isinstance(actor, Actor):
        require(actor, ("reviewer", "leader", "admin"), "导入复查结论")
    path = Path(path)
    from gkdesk.reports import unit_reports

    sheets = unit_reports.load(path, path.name, "复查结论表")
    listed = {it.key: it for it in items(kind, year)}
    found = None
    for sh in sheets:
        for (r, c), cell in sh.cells.items():
            if isinstance(cell.value, str) and label_key(cell.value) == label_key(KEY_HEADER):
                found = (sh, r, c)
                break
        if found:
            break
    if found is None:
        raise ImportError_(f"{path.name}：找不到“{KEY_HEADER}”一列，不是 gkdesk 导出的复查结论表")
    sh, hr, kc = found
    cols = {}
    for (r, c), cell in sh.cells.items():
        if r == hr and isinstance(cell.value, str):
            cols[label_key(cell.value)] = c
    want = {h: cols.get(label_key(h)) for h in DECISION_HEADERS}
    missing = [h for h, c in want.items() if c is None]
    if missing:
        raise ImportError_(f"{path.name}!{sh.title}：缺少“{missing[0]}”一列")
    problems: list[str] = []
    rows: dict[str, dict] = {}
    for r in sorted({r for r, _ in sh.cells if r > hr}):
        key = sh.text(r, kc)
        vals = [sh.cells.get((r, want[h])) for h in DECISION_HEADERS]
        if not key or all(v is None for v in vals):
            continue
        where = f"{path.name}!{sh.title}!"
        if key not in listed:
            problems.append(f"{where}{L(kc)}{r}：{year}年度复查清单中没有“{key}”（编号请勿修改）")
            continue
        raw = [None if v is None else (v.value if isinstance(v.value, (dt.date, dt.datetime)) else cell_text(v.value))
               for v in vals]
        try:
            rows[key] = _clean(*raw)
        except ValidationError as exc:
            col = {"复查结论": 0, "公开渠道": 1, "公开时间": 2, "决定人": 3}.get(exc.field, 0)
            problems.append(f"{where}{L(want[DECISION_HEADERS[col]])}{r}：{exc.message}")
    if problems:
        raise ImportError_(f"复查结论表有{len(problems)}处问题，未导入：{problems[0]}", problems)
    if rows:
        with write_transaction():
            _write(kind, year, rows, actor, {k: listed[k].sample for k in rows})
    return len(rows)
