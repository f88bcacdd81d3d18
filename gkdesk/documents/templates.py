"""Document templates: defaults in ``resources/templates/<name>.j2``, the office's edited
versions in the ``Template`` table (every save is a new version; restoring the default is
a new version too).

A template is Jinja2 text in a sandbox (``jinja2.sandbox.SandboxedEnvironment``: it cannot
run code) with ``StrictUndefined`` (an unknown name is an error naming it). It begins with
``##`` header lines that name it and declare what the clerk must write:

    ## 名称：政府信息公开申请答复书（予以公开）
    ## 字段：provided                         a known field (label and default from gkdesk)
    ## 字段：bank | 收款账户 | 多行 | 可选     a field of the office's own

Filled-in values never start a markup line: their newlines become U+2028, which the
layout reads as a line break inside the block.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from gkdesk.documents import context, markup
from gkdesk.domain import terms
from gkdesk.domain.outcomes import OUTCOMES
from gkdesk.errors import TemplateError

LETTER_VARIANTS = ("disclose", "disclose_proactive", "partial", "withhold", "not_held", "other_agency",
                   "cannot", "not_handled", "termination", "other")
assert set(LETTER_VARIANTS) == {o.letter for o in OUTCOMES.values()}, "outcome letters changed"

# Templates of documents that belong to no case (the annual report: gkdesk/reports/annual_doc.py;
# a unit's 编制说明 of its standard catalogue: gkdesk/catalogue/explain.py).
REPORT_TEMPLATES: dict[str, str] = {"annual_report": "政府信息公开工作年度报告",
                                    "catalogue-explanation": "政务公开事项标准目录编制说明"}
# The templates of a case's documents, and all of them (the case's and the reports').
_KIND_TEMPLATES: tuple[str, ...] = tuple(
    [k for k in terms.DOCUMENT_KINDS if k != "reply"] + [f"reply.{v}" for v in LETTER_VARIANTS])
# the templates of a case's documents (letters to units: gkdesk/tasks/letters.py)
CASE_TEMPLATE_NAMES: tuple[str, ...] = tuple(n for n in _KIND_TEMPLATES if n not in terms.TASK_DOCUMENT_KINDS)
TEMPLATE_NAMES: tuple[str, ...] = _KIND_TEMPLATES + tuple(REPORT_TEMPLATES)


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    multiline: bool = False
    required: bool = True
    help: str = ""
    default: str = ""


# Fields a clerk writes, known to gkdesk (label, multi-line, help). Templates choose which
# they need; defaults come from the case (``_DEFAULTS``).
KNOWN_FIELDS: dict[str, FieldSpec] = {f.key: f for f in (
    FieldSpec("date", "成文日期", False, False, "留空为今天；可写 2026-11-23 或 2026年11月23日"),
    FieldSpec("provided", "提供的信息及获取方式、途径和时间", True, True,
              "写明提供了哪些信息（名称、件数），或告知获取的方式、途径和时间"),
    FieldSpec("where", "已主动公开信息的获取途径", True, True, "如：某某区人民政府门户网站“政府信息公开”栏目，网址……"),
    FieldSpec("withheld", "不予公开的部分", True, True, "写明哪些部分不予公开"),
    FieldSpec("reason", "理由", True, True, "写明具体理由"),
    FieldSpec("articles", "引用条款（可补充）", False, False, "留空则引用办理结果对应的条款"),
    FieldSpec("agency", "负责公开的机关及联系方式", True, True, "写明机关名称、地址和联系电话"),
    FieldSpec("search", "检索情况", True, False, "写明检索的范围和方式"),
    FieldSpec("unclear", "申请内容不明确之处", True, True, "写明申请中哪些内容不明确"),
    FieldSpec("why", "征求意见的理由", True, True, "写明为何认为公开可能损害其合法权益"),
    FieldSpec("channel", "可以提出诉求的渠道", True, False, "如信访、投诉举报的受理机关及联系方式"),
    FieldSpec("payment", "缴费方式", True, True, "收款单位、账号或缴费地点"),
    FieldSpec("served_document", "送达文书名称及文号", False, True),
    FieldSpec("recipient", "受送达人", False, True),
    FieldSpec("method", "送达方式", False, True),
    FieldSpec("place", "送达地点", False, True),
    FieldSpec("served_at", "送达时间", False, False, "如：2026年11月24日10时"),
    FieldSpec("remark", "备注", True, False),
    FieldSpec("unit", "承办单位", False, True),
    FieldSpec("unit_due", "内部办理期限", False, True),
    FieldSpec("instructions", "交办事项", True, False),
)}


def _served_document(case, rec) -> str:
    sv = rec.served
    if sv is None:
        return ""
    title = (sv.fields or {}).get("title") or terms.label_of(terms.DOCUMENT_KINDS, sv.kind)
    return f"{title}（{sv.number}）" if sv.number else title


def _latest_handoff(case):
    from gkdesk.db.desk_models import Handoff

    if getattr(case, "id", None) is None:
        return None
    return Handoff.select().where(Handoff.case == case.id).order_by(Handoff.id.desc()).first()


def _handoff_value(attr):
    def get(case, rec) -> str:
        h = _latest_handoff(case)
        if h is None:
            return ""
        value = getattr(h, attr)
        return context.cn_date(value) if isinstance(value, dt.date) else (value or "")
    return get


_DEFAULTS = {
    "provided": lambda case, rec: case.provided_description,
    "where": lambda case, rec: case.provided_description,
    "reason": lambda case, rec: case.outcome_reason,
    "articles": lambda case, rec: case.outcome_articles,
    "agency": lambda case, rec: case.responsible_agency,
    "served_document": _served_document,
    "recipient": lambda case, rec: case.applicant_name,
    "method": lambda case, rec: terms.label_of(terms.DELIVERY_METHODS, case.delivery_method, ""),
    "place": lambda case, rec: case.address,
    "unit": _handoff_value("unit_name"),
    "unit_due": _handoff_value("internal_due"),
    "instructions": _handoff_value("instructions"),
}


@dataclass
class TemplateSource:
    name: str
    body: str
    version: int                 # 0 = the default shipped with gkdesk
    title: str = ""
    fields: list[FieldSpec] = field(default_factory=list)

    @property
    def is_default(self) -> bool:
        return self.version == 0


_META = re.compile(r"^##\s*([^：:]+)[：:]\s*(.*)$")


def parse_header(name: str, body: str) -> tuple[str, list[FieldSpec], str]:
    """(title, declared fields, body with header lines blanked — line numbers kept)."""
    title = ""
    specs: list[FieldSpec] = []
    out_lines = []
    for lineno, line in enumerate(body.split("\n"), start=1):
        if not line.startswith("##"):
            out_lines.append(line)
            continue
        out_lines.append("")
        m = _META.match(line)
        if not m:
            continue  # a plain ## comment
        key, value = m.group(1).strip(), m.group(2).strip()
        if key == "名称":
            title = value
        elif key in ("字段", "可选字段"):
            parts = [p.strip() for p in value.split("|")]
            fkey = parts[0]
            if not re.fullmatch(r"[a-z][a-z0-9_]*", fkey):
                raise TemplateError(f"模板“{name}”第{lineno}行：字段名“{fkey}”应由小写英文字母、数字和下划线组成",
                                    field=fkey)
            known = KNOWN_FIELDS.get(fkey)
            label = parts[1] if len(parts) > 1 and parts[1] else (known.label if known else "")
            if not label:
                raise TemplateError(f"模板“{name}”第{lineno}行：自定义字段“{fkey}”需要写明名称，"
                                    f"如“## 字段：{fkey} | 名称”", field=fkey)
            flags = set(parts[2:])
            multiline = "多行" in flags or (known.multiline if known and "单行" not in flags else False)
            required = not ("可选" in flags or key == "可选字段") and (known.required if known and "必填" not in flags
                                                                   else True)
            if "必填" in flags:
                required = True
            specs.append(FieldSpec(fkey, label, multiline, required, known.help if known else ""))
    if not any(s.key == "date" for s in specs):
        specs.insert(0, KNOWN_FIELDS["date"])
    return title, specs, "\n".join(out_lines)


def default_path(name: str) -> Path:
    from gkdesk import settings

    return settings.resources_dir() / "templates" / f"{name}.j2"


def default_body(name: str) -> str:
    if name not in TEMPLATE_NAMES:
        raise TemplateError(f"未知的文书模板“{name}”", field=name)
    path = default_path(name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(f"找不到默认模板文件“{path}”，安装可能不完整", field=name) from None


def current(name: str) -> TemplateSource:
    """The template in use: the latest saved version, else the default."""
    from gkdesk.documents import rows

    row = rows.latest_template(name)
    if row is None:
        body, version = default_body(name), 0
    else:
        body, version = row.body, row.version
    title, specs, _ = parse_header(name, body)
    return TemplateSource(name, body, version, title, specs)


def at_version(name: str, version: int | None) -> TemplateSource:
    from gkdesk.db.models import Template

    if not version:
        body = default_body(name)
        vv = 0
    else:
        row = Template.get_or_none((Template.name == name) & (Template.version == version))
        if row is None:
            raise TemplateError(f"模板“{name}”没有第{version}版", field=name)
        body, vv = row.body, row.version
    title, specs, _ = parse_header(name, body)
    return TemplateSource(name, body, vv, title, specs)


def versions(name: str) -> list:
    from gkdesk.db.models import Template

    return list(Template.select().where(Template.name == name).order_by(Template.version.desc()))


# ---------------------------------------------------------------- rendering

def _finalize(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dt.date,)):
        return context.cn_date(value)
    text = str(value)   # a Blank raises TemplateError here, naming its field
    # a value can neither start a markup line nor split a table row
    text = text.replace("|", "｜")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", markup.BREAK)


def _environment():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class Undefined(StrictUndefined):
        @property
        def _undefined_message(self):  # noqa: D401 - jinja hook
            name = self._undefined_name
            if self._undefined_obj is not None and not isinstance(self._undefined_obj, type(None)):
                return f"模板使用了未知的字段“{name}”"
            return f"模板使用了未知的字段“{name}”"

    env = SandboxedEnvironment(undefined=Undefined, autoescape=False, finalize=_finalize,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["cn_date"] = context.cn_date
    env.filters["sentence"] = sentence
    return env


_SENTENCE_END = tuple("。！？；…”’）)!?;")


def sentence(value) -> str:
    """Clerk text as a full sentence: a final 。 is added unless it ends with one."""
    text = _finalize(value).rstrip().rstrip("，,、：:")
    if text and not text.endswith(_SENTENCE_END):
        text += "。"
    return text


def _template_line(tb, filename: str) -> int | None:
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


@functools.lru_cache(maxsize=64)
def _compiled(name: str, body: str, filename: str):
    """The compiled template, kept per (name, text): a batch of letters compiles each
    template once (benchmarks: compiling on every letter cost ~3 ms of ~22 ms)."""
    env = _environment()
    # compiled with our file name so errors can be traced to a template line
    code = env.compile(body, name=name, filename=filename)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def render_text(src: TemplateSource, ctx: dict, fields: dict) -> str:
    """Fill the template: the markup text, or TemplateError naming the field and line."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    _, specs, body = parse_header(src.name, src.body)
    filename = f"<gkdesk-template {src.name}>"
    where = f"模板“{src.title or src.name}”"
    try:
        tpl = _compiled(src.name, body, filename)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{where}第{exc.lineno}行语法错误：{exc.message}", field=f"第{exc.lineno}行") from None
    declared = {s.key for s in specs}
    values = {k: ("" if v is None else v) for k, v in fields.items() if k in declared}
    for s in specs:
        values.setdefault(s.key, "")
    fields_ns = context.Namespace("fields", values, labels={s.key: s.label for s in specs})
    full = dict(ctx)
    full["fields"] = _FieldsNamespace(fields_ns, specs, where)
    try:
        text = tpl.render(full)
    except TemplateError as exc:
        line = _template_line(sys.exc_info()[2], filename)
        at = f"（{where}第{line}行）" if line else ""
        raise TemplateError(f"{exc.message}{at}", field=exc.field) from None
    except UndefinedError as exc:
        line = _template_line(sys.exc_info()[2], filename)
        m = re.search(r"“(.+?)”", str(exc))
        name = m.group(1) if m else ""
        raise TemplateError(f"{where}第{line}行：{exc}" if line else f"{where}：{exc}", field=name) from None
    except SecurityError as exc:
        line = _template_line(sys.exc_info()[2], filename)
        raise TemplateError(f"{where}第{line}行：模板不允许执行此操作（{exc}）", field=f"第{line}行") from None
    except Exception as exc:  # a filter misused, a type error in an expression…
        line = _template_line(sys.exc_info()[2], filename)
        raise TemplateError(f"{where}第{line}行出错：{exc}", field=f"第{line}行") from None
    for lineno, line_text in enumerate(text.split("\n"), start=1):
        if "{{" in line_text or "{%" in line_text or "}}" in line_text:
            raise TemplateError(f"{where}生成的文字中仍有未处理的占位符：“{line_text.strip()[:40]}”",
                                field="占位符")
    return text


class _FieldsNamespace:
    def __init__(self, ns: context.Namespace, specs: list[FieldSpec], where: str):
        self._ns = ns
        self._specs = {s.key: s for s in specs}
        self._where = where

    def __getattr__(self, attr):
        if attr.startswith("_"):
            raise AttributeError(attr)
        spec = self._specs.get(attr)
        if spec is None:
            raise TemplateError(f"{self._where}使用了未声明的字段“fields.{attr}”：请在模板开头加一行"
                                f"“## 字段：{attr} | 名称”", field=f"fields.{attr}")
        v = self._ns._values.get(attr, "")
        if isinstance(v, str) and not v.strip():
            return "" if not spec.required else context.Blank(f"fields.{attr}", spec.label)
        return v


def resolve_fields(src: TemplateSource, case, records, given: dict | None) -> tuple[dict, list[FieldSpec]]:
    """The clerk fields with defaults from the case; specs carry the defaults."""
    given = dict(given or {})
    out: dict = {}
    specs = []
    for s in src.fields:
        default = ""
        fn = _DEFAULTS.get(s.key)
        if fn is not None and case is not None:
            try:
                default = fn(case, records) or ""
            except Exception:  # pragma: no cover - defaults are conveniences
                default = ""
        specs.append(replace(s, default=str(default)))
        v = given.get(s.key)
        if v is None:
            v = default
        out[s.key] = str(v).strip() if v is not None else ""
    return out, specs


def check_required(src: TemplateSource, values: dict, specs: list[FieldSpec]) -> None:
    missing = [s for s in specs if s.required and not str(values.get(s.key, "")).strip()]
    if missing:
        names = "、".join(f"“{s.label}”" for s in missing)
        raise TemplateError(f"请先填写{names}，{src.title or src.name}需要这些内容。", field=missing[0].label)


def parse_date(text: str) -> dt.date:
    text = (text or "").strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not m:
        raise TemplateError(f"成文日期“{text}”无法识别，请写作 2026-11-23 或 2026年11月23日", field="成文日期")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise TemplateError(f"成文日期“{text}”不是有效的日期", field="成文日期") from None


# ---------------------------------------------------------------- editing

def validate(name: str, body: str) -> list[markup.Block]:
    """Refuse a broken template: it must parse, and render against a sample case with
    every declared field filled, into markup the layout accepts."""
    return render_sample(name, body)[0]


def render_sample(name: str, body: str):
    """(blocks, laid-out pages) of ``body`` filled from a made-up sample case."""
    from gkdesk.documents import fonts, layout

    if name not in TEMPLATE_NAMES:
        raise TemplateError(f"未知的文书模板“{name}”", field=name)
    if name in terms.TASK_DOCUMENT_KINDS:   # a letter to a unit, not of a case
        from gkdesk.tasks import letters

        return letters.render_sample(name, body)
    title, specs, _ = parse_header(name, body)
    src = TemplateSource(name, body, -1, title, specs)
    if name == "catalogue-explanation":
        from gkdesk.catalogue import explain

        return explain.render_sample(src)
    if name in REPORT_TEMPLATES:
        return _render_report_sample(src)
    case = context.sample_case()
    recs = context.sample_records()
    kind = name.split(".")[0]
    if name.startswith("reply."):
        variant = name.split(".", 1)[1]
        case.outcome = next(o.code for o in OUTCOMES.values() if o.letter == variant)
    from gkdesk import settings as _s

    ctx = context.build(case, recs, {}, number="某政办依复〔2026〕12号", date=dt.date(2026, 11, 23), kind=kind,
                        draft=False, settings_values={o.key: o.default for o in _s.OPTIONS} | _safe_settings(),
                        extension_dates=(dt.date(2026, 11, 30), dt.date(2026, 12, 28)))
    sample_fields = {s.key: f"（示例：{s.label}）" for s in specs}
    sample_fields["date"] = ""
    text = render_text(src, ctx, sample_fields)
    blocks = markup.parse(text)
    if not any(b.kind != "blank" for b in blocks):
        raise TemplateError(f"模板“{title or name}”生成的文书是空的", field=name)
    laid = layout.layout(blocks, fonts.fontset(), source=f"模板“{title or name}”", draft_mark="示例（虚构案件）")
    return blocks, laid


def _render_report_sample(src: TemplateSource):
    """The annual-report template filled with a made-up year (all zeros) and its tables."""
    from gkdesk.documents import fonts, layout
    from gkdesk.reports import annual_doc

    ctx, grids = annual_doc.sample_context()
    text = render_text(src, ctx, {s.key: f"（示例：{s.label}）" for s in src.fields})
    blocks = markup.attach_tables(markup.parse(text), grids)
    if not any(b.kind != "blank" for b in blocks):
        raise TemplateError(f"模板“{src.title or src.name}”生成的文书是空的", field=src.name)
    laid = layout.layout(blocks, fonts.fontset(), source=f"模板“{src.title or src.name}”", draft_mark="示例（虚构数据）")
    return blocks, laid


def _safe_settings() -> dict:
    try:
        from gkdesk import settings

        return settings.get_all()
    except Exception:
        return {}


def save(name: str, body: str, actor, note: str = ""):
    """Validate and store ``body`` as the next version of template ``name``."""
    from gkdesk import audit
    from gkdesk.actors import require
    from gkdesk.db import write_transaction
    from gkdesk.db.models import Template

    require(actor, ("admin", "leader", "reviewer"), "修改文书模板")
    body = body.replace("\r\n", "\n")
    validate(name, body)
    with write_transaction():
        last = (Template.select(Template.version).where(Template.name == name)
                .order_by(Template.version.desc()).scalar()) or 0
        row = Template.create(name=name, version=last + 1, body=body, created_by=actor.username, note=note)
        audit.record("template.save", user=actor.username, summary=f"修改文书模板“{name}”为第{row.version}版",
                     details={"name": name, "version": row.version, "note": note})
    return row


def restore_default(name: str, actor):
    """Make the shipped default the template in use again (as a new version)."""
    return save(name, default_body(name), actor, note="恢复默认模板")


@dataclass
class TemplateInfo:
    name: str
    title: str
    kind_label: str
    version: int
    fields: list[FieldSpec]
    placeholders: list[str]


def placeholders_in(body: str) -> list[str]:
    """The ``namespace.attr`` names a template body uses, in order of first use."""
    found: list[str] = []
    for m in re.finditer(r"\b(office|remedy|case|outcome|doc|correction|consultation|extension|fee|served|law|fields|report|unit)"
                         r"\.([a-z_][a-z0-9_]*)", body):
        name = f"{m.group(1)}.{m.group(2)}"
        if name not in found:
            found.append(name)
    return found


def template_title(name: str) -> str:
    if name in REPORT_TEMPLATES:
        return REPORT_TEMPLATES[name]
    kind = name.split(".")[0]
    base = terms.label_of(terms.DOCUMENT_KINDS, kind, name)
    if name.startswith("reply."):
        variant = name.split(".", 1)[1]
        labels = [o.label for o in OUTCOMES.values() if o.letter == variant]
        return f"{base}（{VARIANT_LABELS.get(variant, variant)}）" if labels else base
    return base


VARIANT_LABELS = {
    "disclose": "予以公开", "disclose_proactive": "已主动公开", "partial": "部分公开", "withhold": "不予公开",
    "not_held": "本机关不掌握", "other_agency": "非本机关负责公开", "cannot": "无法提供",
    "not_handled": "不予处理", "termination": "终止办理", "other": "其他处理",
}


def list_templates() -> list[TemplateInfo]:
    out = []
    for name in TEMPLATE_NAMES:
        src = current(name)
        out.append(TemplateInfo(name, src.title or template_title(name),
                                REPORT_TEMPLATES.get(name) or terms.label_of(terms.DOCUMENT_KINDS, name.split(".")[0], name),
                                src.version, src.fields, placeholders_in(src.body)))
    return out
