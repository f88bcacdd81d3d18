"""The 编制说明: each deletion and change of the upstream guidance with its reason, item by
item (seed 004), as PDF and DOCX for stamping — through gkdesk.documents: the template
``resources/templates/catalogue-explanation.j2`` (or the office's edited version of it,
saved under that name) filled in the sandbox, laid out to GB/T 9704 (fonts per role,
line breaking with 禁则, a missing glyph refused), drawn by the same PDF writer and made
editable by the same .docx builder as the letters.

Refused, naming the items, while any change or deletion has no reason.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from gkdesk.catalogue import items as svc
from gkdesk.documents import context, docx_export, fonts, layout, markup, pdf, templates
from gkdesk.documents.templates import TemplateSource
from gkdesk.errors import ValidationError
from gkdesk.fileio import atomic_write

TEMPLATE = "catalogue-explanation"
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Entry:
    no: int
    name: str
    reason: str
    change: str = ""


@dataclass
class Explanation:
    unit: str
    version: str
    deleted: list[Entry]
    changed: list[Entry]
    added: list[Entry]
    kept: int
    text: str
    blocks: list

    @property
    def title(self) -> str:
        return f"{self.unit}政务公开事项标准目录编制说明"


def template() -> TemplateSource:
    """The template in use: the office's latest saved version (文书模板 page), else the default."""
    return templates.current(TEMPLATE)


def render_sample(src: TemplateSource):
    """(blocks, laid-out pages) of ``src`` filled with a made-up unit, for the 文书模板 page's
    preview and for checking an edited template before it is saved."""
    from gkdesk.errors import TemplateError

    entries = {
        "deleted": [Entry(1, "社会救助·临时救助·审批流程（示例）", "本单位不承担该项审批职能")],
        "changed": [Entry(1, "社会救助·最低生活保障·办理结果（示例）", "按县级实际调整公开时限",
                          "公开时限：由“20个工作日内”改为“10个工作日内”")],
        "added": [Entry(1, "社会救助·残疾人两项补贴（示例）", "本县增设的公开事项")],
    }
    ctx = {"unit": "某某县民政局（示例）", "office": "某某县人民政府办公室", "version": "2022年修订", "total": 30,
           "kept": 28, "heads": {"deleted": "一", "changed": "二", "added": "三"},
           "date": context.cn_date(dt.date(2026, 11, 23)), **entries}
    blocks = markup.parse(templates.render_text(src, ctx, {}))
    if not any(b.kind != "blank" for b in blocks):
        raise TemplateError(f"模板“{src.title or src.name}”生成的文书是空的", field=src.name)
    laid = layout.layout(blocks, fonts.fontset(), source=f"模板“{src.title or src.name}”", draft_mark="示例（虚构单位）")
    return blocks, laid


def build(version, unit, *, date: dt.date | None = None) -> Explanation:
    """Fill the 编制说明 of ``unit``'s catalogue in ``version`` (no writes)."""
    from gkdesk import settings
    from gkdesk.forms.units import get_unit

    v, u = svc.get_version(version), get_unit(unit)
    deltas = svc.against_guidance(v, u)
    if not deltas:
        raise ValidationError(f"“{u.name}”在“{v.name}”中还没有标准目录事项，无法生成编制说明", "单位")
    missing = svc.missing_reasons(v, u)
    if missing:
        raise ValidationError(f"以下事项修改或删除了上级指引，但没有填写原因，无法生成编制说明：{'、'.join(missing)}",
                              "变动原因", [f"{m}：请填写变动原因" for m in missing])
    deleted = [d for d in deltas if d.kind == "delete"]
    changed = [d for d in deltas if d.kind == "change"]
    added = [d for d in deltas if d.kind == "add"]
    entries = {
        "deleted": [Entry(i, d.name, d.reason) for i, d in enumerate(deleted, 1)],
        "changed": [Entry(i, d.name, d.reason, d.change_text()) for i, d in enumerate(changed, 1)],
        "added": [Entry(i, d.name, d.reason) for i, d in enumerate(added, 1)],
    }
    heads, n = {}, 0
    for k in ("deleted", "changed", "added"):
        if entries[k]:
            heads[k] = NUMERALS[n]
            n += 1
    kept = sum(1 for d in deltas if d.kind == "keep")
    office = settings.get("office.disclosure_office") or settings.get("office.name") or "政务公开办"
    ctx = {"unit": u.name, "office": office, "version": v.name, "total": len(deltas) - len(deleted),
           "kept": kept, "heads": heads, "date": context.cn_date(date or dt.date.today()), **entries}
    src = template()
    text = templates.render_text(src, ctx, {})
    blocks = markup.parse(text)
    return Explanation(u.name, v.name, entries["deleted"], entries["changed"], entries["added"], kept, text, blocks)


def pdf_bytes(exp: Explanation) -> bytes:
    fs = fonts.fontset()
    laid = layout.layout(exp.blocks, fs, source=f"模板“{TEMPLATE}”")
    return pdf.write(laid, pdf.PdfMeta(title=exp.title, author=exp.unit, subject=exp.version,
                                       keywords="政务公开事项标准目录 编制说明"))


def docx_bytes(exp: Explanation) -> bytes:
    return docx_export.build(exp.blocks, title=exp.title, author=exp.unit, sealed=True)


def write(version, unit, path, *, date: dt.date | None = None) -> Path:
    """The 编制说明 as .pdf or .docx by the file's extension; written atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".docx"):
        raise ValidationError(f"输出文件“{path.name}”应以 .pdf 或 .docx 结尾", "输出文件")
    exp = build(version, unit, date=date)
    data = pdf_bytes(exp) if suffix == ".pdf" else docx_bytes(exp)
    return atomic_write(path, data)
