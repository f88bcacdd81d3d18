"""The two yearly reviews the seeds ask for.

1. **Withheld information due for re-assessment** (不予公开信息复查): every case whose
   outcome withheld information — the 不予公开 rows and 部分公开 — with the reason and the
   article cited, so the office can disclose what has become disclosable.
2. **Frequently requested information** (高频申请): similar requests grouped, as candidates
   for proactive disclosure. Similarity is simple and deterministic: the contents are
   reduced to Chinese characters, letters and digits (boilerplate such as 申请公开/政府信息
   removed), cut into character trigrams, and two requests are similar when their trigram
   sets, weighted by rarity, overlap with a Dice coefficient of at least ``threshold``;
   groups are built around the most connected requests (see ``frequent``). Each group
   names the phrases most of its members share.

No applicant names appear; a group shows only how many different applicants asked.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from gkdesk import creator as gkdesk_creator
from gkdesk.db.models import Case
from gkdesk.domain import outcomes
from gkdesk.fileio import atomic_path
from gkdesk.reports import Cancelled

# ------------------------------------------------------------------ 1. withheld

WITHHELD_HEADERS = ("受理编号", "收到申请日期", "答复日期", "办理结果", "不予公开理由", "依据条款", "申请内容",
                    "承办股室", "承办人", "复查意见", "是否可以公开")


@dataclass(frozen=True)
class WithheldItem:
    case_id: int
    number: str
    received_date: dt.date
    reply_date: dt.date | None
    outcome: str
    outcome_label: str
    reason: str
    articles: str
    content: str
    section: str
    handler: str


def withheld(year: int | None = None) -> list[WithheldItem]:
    """Cases replied (in ``year``, or ever) with a 不予公开 or 部分公开 outcome."""
    q = (Case.select(Case.id, Case.number, Case.received_date, Case.reply_date, Case.outcome,
                     Case.outcome_reason, Case.outcome_articles, Case.content, Case.section, Case.handler)
         .where(Case.outcome.in_(list(outcomes.withheld_outcomes()))))
    if year is not None:
        q = q.where(Case.reply_date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    q = q.order_by(Case.reply_date, Case.year, Case.serial, Case.id)
    out = []
    for c in q.iterator():
        o = outcomes.OUTCOMES[c.outcome]
        out.append(WithheldItem(c.id, c.number, c.received_date, c.reply_date, c.outcome, o.label,
                                c.outcome_reason or "", c.outcome_articles or o.basis, c.content or "",
                                c.section or "", c.handler or ""))
    return out


# ------------------------------------------------------------------ 2. frequent

# Words every request carries; they say nothing about what is asked.
BOILERPLATE = (
    "申请公开", "请求公开", "要求公开", "依申请公开", "政府信息公开", "政府信息", "相关信息", "有关信息",
    "相关文件", "申请获取", "请提供", "要求提供", "申请提供", "本人", "我单位", "贵单位", "贵机关", "贵局",
    "关于", "有关", "相关", "以及", "及其", "的",
)
_KEEP = re.compile(r"[\u3400-\u9fffA-Za-z0-9]+")


def _normalise(text: str) -> list[str]:
    """The content as runs of meaningful characters (punctuation and boilerplate removed)."""
    t = unicodedata.normalize("NFKC", text or "").lower()
    for w in BOILERPLATE:
        t = t.replace(w, " ")
    return _KEEP.findall(t)


def trigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for run in _normalise(text):
        if len(run) < 3:
            if len(run) == 2:
                grams.add(run)
            continue
        grams.update(run[i:i + 3] for i in range(len(run) - 2))
    return grams


@dataclass
class RequestGroup:
    case_ids: list[int]
    numbers: list[str]
    phrases: list[str]            # what most members share
    sample: str                   # the most typical member's content
    applicants: int               # how many different applicants
    first_received: dt.date
    last_received: dt.date
    extra: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.case_ids)


FREQUENT_HEADERS = ("序号", "申请件数", "申请人数", "共同内容", "典型申请内容", "最早收到", "最近收到", "受理编号",
                    "是否拟主动公开")


def frequent(year: int | None = None, *, threshold: float = 0.55, min_size: int = 2,
             rare_k: int = 6, bucket_all: int = 100, window: int = 6,
             cancelled: Callable[[], bool] | None = None) -> list[RequestGroup]:
    """Groups of similar requests received in ``year`` (or ever), biggest first.

    Each trigram weighs ln(1 + N/df): words every request carries (请提供, 相关附件, a year)
    weigh little, the names of places, projects and documents a lot. Two requests are
    similar when the weighted Dice overlap of their trigrams reaches ``threshold``. Groups
    are stars, not chains: the request with most similar neighbours becomes a centre and
    takes its still-ungrouped neighbours, then the next, so every member resembles its
    group's centre (single linkage would chain unrelated requests through templates)."""
    q = Case.select(Case.id, Case.number, Case.content, Case.received_date, Case.applicant_name)
    if year is not None:
        q = q.where(Case.received_date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    docs = list(q.order_by(Case.received_date, Case.id).tuples())
    n = len(docs)
    text_grams = [trigrams(d[2]) for d in docs]
    # trigrams as small integers: set intersections and weight look-ups get cheap
    gram_id: dict[str, int] = {}
    grams: list[set[int]] = [{gram_id.setdefault(g, len(gram_id)) for g in gs} for gs in text_grams]
    postings: list[list[int]] = [[] for _ in gram_id]
    for i, gs in enumerate(grams):
        for g in gs:
            postings[g].append(i)
    weight = [math.log(1.0 + n / len(ids)) for ids in postings]
    mass = [sum(map(weight.__getitem__, gs)) for gs in grams]
    # Candidate pairs (prefix filtering): each request is indexed under its ``rare_k`` rarest
    # trigrams that at least one other request has; two requests are compared when they
    # share one of those. Near-identical requests share their rare trigrams, and the work
    # stays proportional to the number of requests, not its square.
    cap = max(50, n // 5)
    index: dict[int, list[int]] = {}
    signature: list[tuple] = []
    for i, gs in enumerate(grams):
        rare = sorted((g for g in gs if 2 <= len(postings[g]) <= cap), key=lambda g: (len(postings[g]), g))
        signature.append(tuple(rare[:rare_k]))
        for g in rare[:rare_k]:
            index.setdefault(g, []).append(i)
    # A small bucket is compared pair by pair; a big one (a template shared by thousands)
    # only between neighbours in the order of the requests' rare-trigram signatures, where
    # near-identical requests sit side by side. A pair (i, j), i < j, is kept as i * n + j.
    candidates: set[int] = set()
    for b, g in enumerate(sorted(index)):
        ids = index[g]
        if len(ids) <= bucket_all:
            for x in range(len(ids)):
                base = ids[x] * n
                candidates.update(base + j for j in ids[x + 1:])
        else:
            ordered = sorted(ids, key=lambda i: (signature[i], i))
            for x in range(len(ordered)):
                i = ordered[x]
                for j in ordered[x + 1:x + 1 + window]:
                    candidates.add(i * n + j if i < j else j * n + i)
        if cancelled is not None and b % 200 == 0 and cancelled():
            raise Cancelled("已取消")
    neighbours: dict[int, dict[int, float]] = {}
    wget = weight.__getitem__
    for k, pair in enumerate(candidates):
        if cancelled is not None and k % 50000 == 0 and cancelled():
            raise Cancelled("已取消")
        i, j = divmod(pair, n)
        inter = grams[i] & grams[j]
        d = 2.0 * sum(map(wget, inter)) / (mass[i] + mass[j]) if inter else 0.0
        if d >= threshold:
            neighbours.setdefault(i, {})[j] = d
            neighbours.setdefault(j, {})[i] = d
    everywhere = {g for g, i in gram_id.items() if len(postings[i]) > cap}
    order = sorted(neighbours, key=lambda i: (-len(neighbours[i]), -sum(neighbours[i].values()), i))
    assigned: set[int] = set()
    groups = []
    for centre in order:
        if centre in assigned:
            continue
        idxs = [centre] + sorted(j for j in neighbours[centre] if j not in assigned)
        if len(idxs) < min_size:
            continue
        assigned.update(idxs)
        idxs.sort()
        counts: dict[str, int] = {}
        for i in idxs:
            for g in text_grams[i]:
                counts[g] = counts.get(g, 0) + 1
        common = {g for g, c in counts.items() if c * 10 >= len(idxs) * 6}   # in ≥ 60% of members
        groups.append(RequestGroup(
            case_ids=[docs[i][0] for i in idxs], numbers=[docs[i][1] for i in idxs],
            phrases=_phrases(docs[centre][2], common, everywhere), sample=docs[centre][2],
            applicants=len({docs[i][4] for i in idxs}),
            first_received=min(docs[i][3] for i in idxs), last_received=max(docs[i][3] for i in idxs)))
    groups.sort(key=lambda g: (-g.size, g.first_received, g.case_ids[0]))
    return groups


def _phrases(text: str, common: set[str], everywhere: set[str] = frozenset()) -> list[str]:
    """Maximal runs of ``text`` covered by shared trigrams, longest first; runs shorter
    than three characters or made only of trigrams found everywhere (templates) dropped."""
    out: list[str] = []
    for run in _normalise(text):
        covered = [False] * len(run)
        for i in range(len(run) - 2):
            if run[i:i + 3] in common:
                covered[i] = covered[i + 1] = covered[i + 2] = True
        cur = ""
        for ch, c in zip(run, covered):
            if c:
                cur += ch
            elif cur:
                out.append(cur)
                cur = ""
        if cur:
            out.append(cur)
    seen: list[str] = []
    for p in sorted(out, key=lambda p: (-len(p), out.index(p))):
        if len(p) < 3 or p in seen:
            continue
        if everywhere and all(p[i:i + 3] in everywhere for i in range(len(p) - 2)):
            continue
        seen.append(p)
    return seen[:5]


# ------------------------------------------------------------------ export

def export_withheld(items: list[WithheldItem], path: str | os.PathLike, year: int | None = None) -> Path:
    from openpyxl import Workbook

    from gkdesk import xlsxstyle as xs

    wb = Workbook()
    wb.properties.creator = gkdesk_creator()
    ws = wb.active
    ws.title = "不予公开信息复查"
    ws["A1"] = f"{year}年度不予公开（含部分公开）信息复查清单" if year else "历年不予公开（含部分公开）信息复查清单"
    xs.apply(ws["A1"], xs.TITLE)
    ws.append(list(WITHHELD_HEADERS))
    for c in ws[2]:
        xs.apply(c, xs.BOLD)
    wrap = xs.openpyxl_style(xs.WRAP_TOP)["alignment"]
    for it in items:
        ws.append([it.number, it.received_date, it.reply_date, it.outcome_label, it.reason, it.articles,
                   it.content, it.section, it.handler, None, None])
        for col in (2, 3):
            ws.cell(ws.max_row, col).number_format = xs.DATE_FORMAT
        for col in (5, 6, 7):
            ws.cell(ws.max_row, col).alignment = wrap
    for col, w in zip("ABCDEFGHIJK", (18, 12, 12, 28, 30, 30, 40, 12, 10, 24, 12)):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "B3"
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def export_frequent(groups: list[RequestGroup], path: str | os.PathLike, year: int | None = None) -> Path:
    from openpyxl import Workbook

    from gkdesk import xlsxstyle as xs

    wb = Workbook()
    wb.properties.creator = gkdesk_creator()
    ws = wb.active
    ws.title = "高频申请"
    ws["A1"] = (f"{year}年度" if year else "历年") + "高频申请信息（拟主动公开候选）"
    xs.apply(ws["A1"], xs.TITLE)
    ws.append(list(FREQUENT_HEADERS))
    for c in ws[2]:
        xs.apply(c, xs.BOLD)
    wrap = xs.openpyxl_style(xs.WRAP_TOP)["alignment"]
    for i, g in enumerate(groups, start=1):
        ws.append([i, g.size, g.applicants, "、".join(g.phrases), g.sample, g.first_received, g.last_received,
                   "、".join(g.numbers), None])
        for col in (6, 7):
            ws.cell(ws.max_row, col).number_format = xs.DATE_FORMAT
        for col in (4, 5, 8):
            ws.cell(ws.max_row, col).alignment = wrap
    for col, w in zip("ABCDEFGHI", (6, 10, 10, 30, 40, 12, 12, 40, 14)):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A3"
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)
