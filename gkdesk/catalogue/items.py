"""Catalogue items and versions: the checks and the service functions.

``ItemData`` is an item's facts as plain values (what the importer, the editor and the
service pass around); ``validate`` cleans them and names every missing required fact of
seed 002 (名称、内容、依据、时限、主体、方式、渠道、公开对象) by its label. Every write takes
the acting user, checks the role, runs in one ``write_transaction`` with an audit event,
and notes the ``catalogue`` topic.

A unit's catalogue is compiled from the guidance of its version: ``start_unit`` copies
the guidance items of the unit's fields; then each item is kept, changed (facts differ
from the guidance item), deleted (kept, marked) or added. 修改 and 删除 need a reason: a
write that would leave one without is refused, naming the item.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace

from gkdesk import audit, changes
from gkdesk.actors import Actor, require
from gkdesk.db import write_transaction
from gkdesk.db.catalogue_models import CatalogueField, CatalogueItem, CatalogueVersion
from gkdesk.db.models import Unit, utcnow
from gkdesk.domain import catalogue as dom
from gkdesk.domain.terms import label_of
from gkdesk.errors import ConflictError, NotFound, ValidationError
from gkdesk.forms.records import clean_line, clean_multiline, label_key

EDIT_ROLES = ("clerk", "admin")
MULTILINE = ("content", "basis", "channel", "remark")


# ---------------------------------------------------------------- fields (领域)

def field_labels() -> dict[str, str]:
    """code → label: the 26 of the domain layer, then the office's own, in order."""
    out = {code: t.label for code, t in dom.FIELDS.items()}
    for f in CatalogueField.select().order_by(CatalogueField.position, CatalogueField.id):
        out[f.code] = f.label
    return out


def field_order() -> dict[str, int]:
    return {code: i for i, code in enumerate(field_labels())}


def field_code(text: str, labels: dict[str, str] | None = None) -> str | None:
    """The field a text names: a code, a label, or a label with 领域 around it."""
    labels = labels if labels is not None else field_labels()
    if text in labels:
        return text
    key = label_key(text).removesuffix("领域")
    for code, label in labels.items():
        if label_key(label) == key:
            return code
    return None


def field_in(text: str, labels: dict[str, str] | None = None) -> str | None:
    """The field named anywhere in a title (「某某县社会救助领域基层政务公开标准目录」)."""
    labels = labels if labels is not None else field_labels()
    key = label_key(text)
    hits = [(len(label), code) for code, label in labels.items() if label_key(label) in key]
    return max(hits)[1] if hits else None


def add_field(label: str, actor: Actor) -> str:
    """Add a field of the office's own; returns its code."""
    require(actor, EDIT_ROLES, "新增标准目录领域")
    label = clean_line(label).removesuffix("领域")
    if not label:
        raise ValidationError("领域名称：必须填写", "领域名称")
    if len(label) > 50:
        raise ValidationError("领域名称：不能超过50个字", "领域名称")
    with write_transaction():
        if field_code(label) is not None:
            raise ValidationError(f"领域名称：已有“{label}”领域", "领域名称")
        n = CatalogueField.select().count() + 1
        code = f"custom_{n}"
        while CatalogueField.select().where(CatalogueField.code == code).exists():
            n += 1
            code = f"custom_{n}"
        CatalogueField.create(code=code, label=label, position=n)
        audit.record("catalogue.field", user=actor.username, summary=f"新增标准目录领域“{label}”",
                     details={"code": code, "label": label})
        changes.note("catalogue")
    return code


@dataclass(frozen=True)
class FieldRow:
    code: str
    label: str
    retired: bool
    items: int            # items of every version filed under it (guidance and units)


def office_fields() -> list[FieldRow]:
    """The office's own fields, in order, with how many items use each."""
    from peewee import fn

    used = dict(CatalogueItem.select(CatalogueItem.field, fn.COUNT(CatalogueItem.id))
                .group_by(CatalogueItem.field).tuples())
    return [FieldRow(f.code, f.label, bool(f.retired), used.get(f.code, 0))
            for f in CatalogueField.select().order_by(CatalogueField.position, CatalogueField.id)]


def retired_fields() -> set[str]:
    return {f.code for f in CatalogueField.select(CatalogueField.code).where(CatalogueField.retired == True)}  # noqa: E712


def active_field_labels() -> dict[str, str]:
    """``field_labels`` without the retired fields: what a new item may be filed under."""
    gone = retired_fields()
    return {c: lbl for c, lbl in field_labels().items() if c not in gone}


def _refuse_retired(code: str, labels: dict[str, str] | None = None) -> None:
    if code in retired_fields():
        label = (labels or field_labels()).get(code, code)
        raise ValidationError(f"领域：“{label}”领域已停用，不能再新增事项；如需使用请先在“领域设置”中恢复", "领域")


def _office_field(code: str) -> CatalogueField:
    if code in dom.FIELDS:
        raise ValidationError(f"领域：“{dom.FIELDS[code].label}”是国家规定的26个领域之一，不能改名或停用", "领域")
    f = CatalogueField.get_or_none(CatalogueField.code == code)
    if f is None:
        raise NotFound(f"找不到领域“{code}”", field="领域")
    return f


def rename_field(code: str, label: str, actor: Actor) -> str:
    """Rename a field of the office's own (its items follow: they keep the code)."""
    require(actor, EDIT_ROLES, "修改标准目录领域")
    label = clean_line(label).removesuffix("领域")
    if not label:
        raise ValidationError("领域名称：必须填写", "领域名称")
    if len(label) > 50:
        raise ValidationError("领域名称：不能超过50个字", "领域名称")
    with write_transaction():
        f = _office_field(code)
        other = field_code(label)
        if other is not None and other != code:
            raise ValidationError(f"领域名称：已有“{label}”领域", "领域名称")
        old = f.label
        if old == label:
            return label
        CatalogueField.update(label=label).where(CatalogueField.id == f.id).execute()
        audit.record("catalogue.field", user=actor.username, summary=f"标准目录领域“{old}”改名为“{label}”",
                     details={"code": code, "before": old, "label": label})
        changes.note("catalogue")
    return label


def retire_field(code: str, actor: Actor, *, retired: bool = True) -> None:
    """Retire (停用) a field of the office's own, or bring it back (``retired=False``).
    A retired field takes no new items; the items already filed under it stay, labelled."""
    require(actor, EDIT_ROLES, "停用标准目录领域")
    with write_transaction():
        f = _office_field(code)
        if bool(f.retired) == retired:
            return
        CatalogueField.update(retired=retired).where(CatalogueField.id == f.id).execute()
        audit.record("catalogue.field", user=actor.username,
                     summary=f"标准目录领域“{f.label}”{'停用' if retired else '恢复使用'}",
                     details={"code": code, "retired": retired})
        changes.note("catalogue")


# ---------------------------------------------------------------- an item's facts

@dataclass
class ItemData:
    field: str = ""
    level1: str = ""
    level2: str = ""
    content: str = ""
    basis: str = ""
    time_limit: str = ""
    subject: str = ""
    channel: str = ""
    audience_public: bool = False
    audience_specific: bool = False
    mode_proactive: bool = False
    mode_request: bool = False
    level_county: bool = False
    level_township: bool = False
    remark: str = ""

    @classmethod
    def of(cls, row) -> "ItemData":
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def key(self) -> tuple[str, str, str]:
        """What identifies an item within a unit and a version: field, 一级, 二级 事项."""
        return (self.field, label_key(self.level1), label_key(self.level2))

    def name(self, labels: dict[str, str] | None = None) -> str:
        labels = labels if labels is not None else field_labels()
        parts = [labels.get(self.field, self.field), self.level1]
        if self.level2:
            parts.append(self.level2)
        return "·".join(p for p in parts if p)

    def marks_text(self, group: str) -> str:
        g = next(x for x in dom.MARK_GROUPS if x.key == group)
        return "、".join(m.label for m in g.marks if getattr(self, m.key))

    def fact_text(self, key: str) -> str:
        if any(g.key == key for g in dom.MARK_GROUPS):
            return self.marks_text(key)
        return str(getattr(self, key))

    def differences(self, other: "ItemData") -> list[str]:
        """Fact keys (text facts and mark groups) in which ``other`` differs from this."""
        out = []
        for f in dom.FACTS:
            if self.fact_text(f.key) != other.fact_text(f.key):
                out.append(f.key)
        if self.field != other.field:
            out.insert(0, "field")
        return out


def validate(data: ItemData, labels: dict[str, str] | None = None) -> tuple[ItemData, list[tuple[str, str]]]:
    """The cleaned facts and the problems as (fact key, message naming the fact)."""
    labels = labels if labels is not None else field_labels()
    clean = replace(data)
    for k in dom.TEXT_KEYS:
        v = getattr(clean, k) or ""
        setattr(clean, k, clean_multiline(str(v)) if k in MULTILINE else clean_line(str(v)))
    problems: list[tuple[str, str]] = []
    if not clean.field:
        problems.append(("field", "领域：必须选择（26个领域之一或本办新增的领域）"))
    elif clean.field not in labels:
        code = field_code(clean.field, labels)
        if code is None:
            problems.append(("field", f"领域：“{clean.field}”不是已知的领域，请选择26个领域之一，或先新增该领域"))
        else:
            clean.field = code
    for f in dom.TEXT_FACTS:
        if f.required and not getattr(clean, f.key):
            problems.append((f.key, f"{f.label}：必须填写（每个公开事项都要写明{dom.REQUIRED_FACTS[f.key]}）"))
    for g in dom.MARK_GROUPS:
        if g.required and not any(getattr(clean, m.key) for m in g.marks):
            labels_ = "或".join(f"“{m.label}”" for m in g.marks)
            problems.append((g.key, f"{g.label}：至少勾选{labels_}之一（每个公开事项都要写明{dom.REQUIRED_FACTS[g.key]}）"))
    for k, n in dom.MAX_LEN.items():
        if len(getattr(clean, k)) > n:
            problems.append((k, f"{dom.FACT_LABELS[k]}：不能超过{n}个字（现有{len(getattr(clean, k))}个字）"))
    return clean, problems


def check(data: ItemData, where: str = "") -> ItemData:
    """``validate`` that raises: the first message names the item and the fact."""
    clean, problems = validate(data)
    if problems:
        prefix = f"“{where or clean.name()}”" if (where or clean.level1) else "公开事项"
        msgs = [f"{prefix}的{m}" for _, m in problems]
        raise ValidationError(msgs[0], dom.FACT_LABELS.get(problems[0][0], problems[0][0]), msgs)
    return clean


# ---------------------------------------------------------------- versions

@dataclass(frozen=True)
class VersionRow:
    id: int
    name: str
    year: int
    based_on: str
    note: str


def _version_row(v: CatalogueVersion) -> VersionRow:
    base = CatalogueVersion.get_or_none(CatalogueVersion.id == v.based_on_id) if v.based_on_id else None
    return VersionRow(v.id, v.name, v.year, base.name if base else "", v.note)


def get_version(ref=None) -> CatalogueVersion:
    """A version by id, name or object; None → the latest one."""
    if isinstance(ref, CatalogueVersion):
        return ref
    if ref is None or ref == "":
        v = CatalogueVersion.select().order_by(CatalogueVersion.year.desc(), CatalogueVersion.id.desc()).first()
        if v is None:
            raise NotFound("还没有标准目录版本，请先导入上级标准指引（gkdesk catalogue import … --guidance --version 名称）")
        return v
    v = CatalogueVersion.get_or_none(CatalogueVersion.name == clean_line(str(ref)))
    if v is None and str(ref).isdigit():
        v = CatalogueVersion.get_or_none(CatalogueVersion.id == int(ref))
        if v is None:
            v = (CatalogueVersion.select().where(CatalogueVersion.year == int(ref))
                 .order_by(CatalogueVersion.id.desc()).first())
    if v is None:
        raise NotFound(f"找不到标准目录版本“{ref}”", "版本")
    return v


def list_versions() -> list[VersionRow]:
    return [_version_row(v) for v in
            CatalogueVersion.select().order_by(CatalogueVersion.year, CatalogueVersion.id)]


def _year_of(name: str) -> int | None:
    import re

    m = re.search(r"(19|20)\d\d", name)
    return int(m.group(0)) if m else None


def create_version(name: str, actor: Actor, *, year: int | None = None, based_on=None, note: str = "") -> CatalogueVersion:
    """A new version; ``based_on`` copies every item (guidance and units') of that version,
    so a revision starts from what was published and its changes can be shown."""
    require(actor, EDIT_ROLES, "新建标准目录版本")
    name = clean_line(name)
    if not name:
        raise ValidationError("版本名称：必须填写（如“2022年修订”）", "版本名称")
    year = year or _year_of(name) or dt.date.today().year
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(f"年度：{year} 不是有效的年份", "年度")
    with write_transaction():
        if CatalogueVersion.select().where(CatalogueVersion.name == name).exists():
            raise ValidationError(f"版本名称：已有名为“{name}”的版本", "版本名称")
        base = get_version(based_on) if based_on is not None else None
        v = CatalogueVersion.create(name=name, year=int(year), based_on=base, note=clean_multiline(note))
        copied = 0
        if base is not None:
            mapping: dict[int, int] = {}
            old = list(CatalogueItem.select().where(CatalogueItem.version == base)
                       .order_by(CatalogueItem.unit.is_null(False), CatalogueItem.id))
            for it in old:
                data = {f.name: getattr(it, f.name) for f in CatalogueItem._meta.sorted_fields
                        if f.name not in ("id", "version", "guidance", "updated_at", "row_version")}
                new = CatalogueItem.create(version=v, guidance=mapping.get(it.guidance_id), **data)
                mapping[it.id] = new.id
                copied += 1
        audit.record("catalogue.version", user=actor.username,
                     summary=f"新建标准目录版本“{name}”" + (f"（以“{base.name}”为基础，复制{copied}项）" if base else ""),
                     details={"version_id": v.id, "based_on": base.id if base else None, "copied": copied})
        changes.note("catalogue")
    return v


def _ensure_version(ref, actor: Actor) -> CatalogueVersion:
    try:
        return get_version(ref)
    except NotFound:
        if ref is None or ref == "":
            raise
        return create_version(str(ref), actor)


# ---------------------------------------------------------------- reading items

def _desc(item: CatalogueItem, labels: dict[str, str] | None = None) -> str:
    return ItemData.of(item).name(labels)


def get_item(item_id) -> CatalogueItem:
    it = CatalogueItem.get_or_none(CatalogueItem.id == int(item_id))
    if it is None:
        raise NotFound(f"找不到编号为 {item_id} 的公开事项", "事项编号")
    return it


def _ordered(q):
    items = list(q)
    order = field_order()
    items.sort(key=lambda i: (order.get(i.field, 999), i.position, i.id))
    return items


def guidance_items(version, field_code_: str | None = None) -> list[CatalogueItem]:
    v = get_version(version)
    q = CatalogueItem.select().where((CatalogueItem.version == v) & CatalogueItem.unit.is_null())
    if field_code_:
        q = q.where(CatalogueItem.field == field_code_)
    return _ordered(q)


def unit_items(version, unit, *, include_deleted: bool = True) -> list[CatalogueItem]:
    from gkdesk.forms.units import get_unit

    v, u = get_version(version), get_unit(unit)
    q = CatalogueItem.select().where((CatalogueItem.version == v) & (CatalogueItem.unit == u))
    if not include_deleted:
        q = q.where(CatalogueItem.action != "delete")
    return _ordered(q)


def county_items(version) -> list[CatalogueItem]:
    """What the county publishes: every unit's items but the deleted, by field and unit."""
    v = get_version(version)
    q = (CatalogueItem.select().where((CatalogueItem.version == v) & CatalogueItem.unit.is_null(False)
                                      & (CatalogueItem.action != "delete")))
    items = list(q)
    order = field_order()
    names = {u.id: u.name for u in Unit.select(Unit.id, Unit.name)}
    items.sort(key=lambda i: (order.get(i.field, 999), names.get(i.unit_id, ""), i.position, i.id))
    return items


def catalogue_units(version) -> list[Unit]:
    v = get_version(version)
    ids = {uid for (uid,) in CatalogueItem.select(CatalogueItem.unit).where(
        (CatalogueItem.version == v) & CatalogueItem.unit.is_null(False)).distinct().tuples()}
    from gkdesk.forms.units import name_key

    return sorted(Unit.select().where(Unit.id.in_(list(ids))), key=lambda u: name_key(u.name)) if ids else []


def unit_tallies(version) -> list[tuple[Unit, dict[str, int], int]]:
    """Each unit with a catalogue in ``version`` (as ``catalogue_units`` orders them), the
    number of its items by action and how many of them still lack a needed reason: one
    query for the whole county (the overview of 300 units read each unit's items, 0.3 s)."""
    v = get_version(version)
    tally: dict[int, dict[str, int]] = {}
    missing: dict[int, int] = {}
    for uid, action, reason in (CatalogueItem.select(CatalogueItem.unit, CatalogueItem.action, CatalogueItem.reason)
                                .where((CatalogueItem.version == v) & CatalogueItem.unit.is_null(False)).tuples()):
        t = tally.setdefault(uid, {})
        t[action] = t.get(action, 0) + 1
        if action in dom.NEEDS_REASON and not (reason or "").strip():
            missing[uid] = missing.get(uid, 0) + 1
    if not tally:
        return []
    from gkdesk.forms.units import name_key

    units = sorted(Unit.select().where(Unit.id.in_(list(tally))), key=lambda u: name_key(u.name))
    return [(u, tally[u.id], missing.get(u.id, 0)) for u in units]


def action_for(data: ItemData, guidance: CatalogueItem | None, deleted: bool = False) -> str:
    if deleted:
        return "delete"
    if guidance is None:
        return "add"
    return "keep" if not ItemData.of(guidance).differences(data) else "change"


def missing_reasons(version, unit) -> list[str]:
    """The changed or deleted items of a unit's catalogue that have no reason yet."""
    labels = field_labels()
    return [f"“{_desc(i, labels)}”（{label_of(dom.ACTIONS, i.action)}）" for i in unit_items(version, unit)
            if i.action in dom.NEEDS_REASON and not i.reason.strip()]


def _reason_refusal(action: str, name: str) -> ValidationError:
    what = "删除" if action == "delete" else "修改"
    return ValidationError(f"“{name}”是上级指引中的事项，{what}必须逐项说明原因（将写入编制说明），请填写{what}原因",
                           "变动原因")


# ---------------------------------------------------------------- writing

def _next_position(version_id: int, unit_id: int | None, fcode: str) -> int:
    from peewee import fn

    q = CatalogueItem.select(fn.MAX(CatalogueItem.position)).where(
        (CatalogueItem.version == version_id) & (CatalogueItem.field == fcode))
    q = q.where(CatalogueItem.unit.is_null() if unit_id is None else CatalogueItem.unit == unit_id)
    return (q.scalar() or 0) + 1


def _require_active(unit: Unit) -> None:
    if not unit.active:
        raise ValidationError(f"单位“{unit.name}”已撤销，不能编制标准目录", "单位")


def add_guidance(version, items: list[ItemData], actor: Actor, *, source: str = "") -> CatalogueVersion:
    """Save the items of an upstream guidance workbook as the guidance of ``version`` (made
    when missing). A field that already has guidance in that version is refused."""
    require(actor, EDIT_ROLES, "导入上级标准指引")
    labels = field_labels()
    clean = [check(d, d.name(labels)) for d in items]
    if not clean:
        raise ValidationError("没有可导入的公开事项", "公开事项")
    with write_transaction():
        for c in sorted({d.field for d in clean}):
            _refuse_retired(c, labels)
        v = _ensure_version(version, actor)
        present = {f for (f,) in CatalogueItem.select(CatalogueItem.field).where(
            (CatalogueItem.version == v) & CatalogueItem.unit.is_null()).distinct().tuples()}
        clash = sorted({d.field for d in clean} & present, key=lambda c: field_order().get(c, 999))
        if clash:
            raise ValidationError(f"版本“{v.name}”已有“{'、'.join(labels[c] for c in clash)}”领域的上级指引，"
                                  "不能重复导入。如需替换，请新建版本", "领域")
        pos: dict[str, int] = {}
        for d in clean:
            pos[d.field] = pos.get(d.field, 0) + 1
            CatalogueItem.create(version=v, unit=None, action="guidance", position=pos[d.field], source=source,
                                 **d.as_dict())
        audit.record("catalogue.guidance", user=actor.username,
                     summary=f"导入标准目录上级指引{len(clean)}项到“{v.name}”" + (f"（{source}）" if source else ""),
                     details={"version_id": v.id, "count": len(clean), "source": source,
                              "fields": sorted({d.field for d in clean})})
        changes.note("catalogue")
    return v


def start_unit(version, unit, actor: Actor, fields_: list[str] | None = None) -> int:
    """Compile a unit's catalogue from the guidance: copy the guidance items of ``fields_``
    (default: every field with guidance) the unit does not have yet, as 保留. Returns how many."""
    from gkdesk.forms.units import get_unit

    require(actor, EDIT_ROLES, "编制单位标准目录")
    labels = field_labels()
    with write_transaction():
        v, u = get_version(version), get_unit(unit)
        _require_active(u)
        codes = None
        if fields_:
            codes = []
            for f in fields_:
                c = field_code(f, labels)
                if c is None:
                    raise ValidationError(f"领域：“{f}”不是已知的领域", "领域")
                codes.append(c)
        guide = [g for g in guidance_items(v) if codes is None or g.field in codes]
        if not guide:
            what = "、".join(labels[c] for c in codes) if codes else ""
            raise ValidationError(f"版本“{v.name}”还没有{what}上级指引，请先导入上级标准指引", "上级指引")
        have = {gid for (gid,) in CatalogueItem.select(CatalogueItem.guidance).where(
            (CatalogueItem.version == v) & (CatalogueItem.unit == u)).tuples()}
        n = 0
        for g in guide:
            if g.id in have:
                continue
            CatalogueItem.create(version=v, unit=u, guidance=g, action="keep",
                                 position=_next_position(v.id, u.id, g.field), **ItemData.of(g).as_dict())
            n += 1
        audit.record("catalogue.start", user=actor.username,
                     summary=f"“{u.name}”按上级指引编制“{v.name}”标准目录（{n}项）",
                     details={"version_id": v.id, "unit_id": u.id, "count": n})
        changes.note("catalogue")
    return n


def _check_row_version(item: CatalogueItem, expected: int | None) -> None:
    if expected is not None and item.row_version != expected:
        raise ConflictError(f"“{_desc(item)}”已被其他人修改，请刷新后再改")


def _write(item: CatalogueItem, data: ItemData, action: str, reason: str) -> None:
    CatalogueItem.update(**data.as_dict(), action=action, reason=reason, updated_at=utcnow(),
                         row_version=CatalogueItem.row_version + 1).where(CatalogueItem.id == item.id).execute()


def save_item(item_id, data: ItemData, reason: str, actor: Actor, *, expected_version: int | None = None,
              source: str = "") -> str:
    """Write an item's facts (and its reason); returns the resulting action. Inside or
    outside a caller's transaction."""
    require(actor, EDIT_ROLES, "修改标准目录事项")
    with write_transaction():
        item = get_item(item_id)
        _check_row_version(item, expected_version)
        if item.unit_id is None:
            raise ValidationError("上级指引的事项不能在单位目录中修改；请修改单位目录中对应的事项", "事项")
        _require_active(Unit.get_by_id(item.unit_id))
        clean = check(data, _desc(item))
        if clean.field != item.field:
            _refuse_retired(clean.field)
        guidance = CatalogueItem.get_or_none(CatalogueItem.id == item.guidance_id) if item.guidance_id else None
        action = action_for(clean, guidance)
        reason = clean_multiline(reason or "")
        if action == "change" and not reason:
            raise _reason_refusal(action, _desc(item))
        before = ItemData.of(item)
        _write(item, clean, action, reason if action != "keep" or not guidance else "")
        audit.record("catalogue.item", user=actor.username,
                     summary=f"“{_desc(item)}”：{label_of(dom.ACTIONS, action)}" + (f"（{source}）" if source else ""),
                     details={"item_id": item.id, "action": action, "reason": reason,
                              "changed": before.differences(clean), "before": before.as_dict(),
                              "after": clean.as_dict()})
        changes.note("catalogue")
    return action


def delete_item(item_id, reason: str, actor: Actor, *, expected_version: int | None = None, source: str = "") -> None:
    """Mark an item of a unit's catalogue deleted. A guidance item needs the reason; an item
    the unit added itself is removed outright."""
    require(actor, EDIT_ROLES, "删除标准目录事项")
    with write_transaction():
        item = get_item(item_id)
        _check_row_version(item, expected_version)
        if item.unit_id is None:
            raise ValidationError("上级指引的事项不能删除；请在单位目录中删除对应的事项并说明原因", "事项")
        name = _desc(item)
        reason = clean_multiline(reason or "")
        if item.guidance_id is None:
            details = {"item_id": item.id, "action": "remove", "before": ItemData.of(item).as_dict()}
            item.delete_instance()
            audit.record("catalogue.item", user=actor.username, summary=f"“{name}”：移除本单位新增的事项",
                         details=details)
        else:
            if not reason:
                raise _reason_refusal("delete", name)
            CatalogueItem.update(action="delete", reason=reason, updated_at=utcnow(),
                                 row_version=CatalogueItem.row_version + 1).where(
                CatalogueItem.id == item.id).execute()
            audit.record("catalogue.item", user=actor.username,
                         summary=f"“{name}”：删除" + (f"（{source}）" if source else ""),
                         details={"item_id": item.id, "action": "delete", "reason": reason})
        changes.note("catalogue")


def restore_item(item_id, actor: Actor) -> None:
    """Back to the guidance item's facts (保留), reason cleared."""
    require(actor, EDIT_ROLES, "恢复标准目录事项")
    with write_transaction():
        item = get_item(item_id)
        guidance = CatalogueItem.get_or_none(CatalogueItem.id == item.guidance_id) if item.guidance_id else None
        if item.unit_id is None or guidance is None:
            raise ValidationError(f"“{_desc(item)}”不是按上级指引编制的事项，无法恢复为指引内容", "事项")
        before = ItemData.of(item)
        _write(item, ItemData.of(guidance), "keep", "")
        audit.record("catalogue.item", user=actor.username, summary=f"“{_desc(item)}”：恢复为上级指引的内容",
                     details={"item_id": item.id, "action": "keep", "before": before.as_dict()})
        changes.note("catalogue")


def add_item(version, unit, data: ItemData, actor: Actor, *, reason: str = "", source: str = "") -> CatalogueItem:
    """An item the unit adds beyond the guidance (新增)."""
    from gkdesk.forms.units import get_unit

    require(actor, EDIT_ROLES, "新增标准目录事项")
    with write_transaction():
        v, u = get_version(version), get_unit(unit)
        _require_active(u)
        clean = check(data)
        _refuse_retired(clean.field)
        dup = [i for i in unit_items(v, u) if ItemData.of(i).key() == clean.key()]
        if dup:
            raise ValidationError(f"“{u.name}”的目录中已有“{clean.name()}”，不能重复新增", "一级事项")
        it = CatalogueItem.create(version=v, unit=u, guidance=None, action="add", reason=clean_multiline(reason),
                                  position=_next_position(v.id, u.id, clean.field), source=source,
                                  **clean.as_dict())
        audit.record("catalogue.item", user=actor.username,
                     summary=f"“{u.name}”新增事项“{clean.name()}”" + (f"（{source}）" if source else ""),
                     details={"item_id": it.id, "action": "add", "after": clean.as_dict()})
        changes.note("catalogue")
    return it


def set_reason(item_id, reason: str, actor: Actor) -> None:
    require(actor, EDIT_ROLES, "填写变动原因")
    with write_transaction():
        item = get_item(item_id)
        reason = clean_multiline(reason or "")
        if item.action in dom.NEEDS_REASON and not reason:
            raise _reason_refusal(item.action, _desc(item))
        CatalogueItem.update(reason=reason, updated_at=utcnow(), row_version=CatalogueItem.row_version + 1).where(
            CatalogueItem.id == item.id).execute()
        audit.record("catalogue.item", user=actor.username, summary=f"“{_desc(item)}”：填写变动原因",
                     details={"item_id": item.id, "reason": reason})
        changes.note("catalogue")


# ---------------------------------------------------------------- comparing

@dataclass(frozen=True)
class Delta:
    """One item compared: with its guidance (kind = action) or across versions."""

    name: str
    field: str
    kind: str                  # keep/change/delete/add, or for versions: add/delete/change/keep
    changed: tuple[str, ...]   # fact keys that differ
    before: dict | None
    after: dict | None
    reason: str = ""
    unit: str = ""
    item_id: int | None = None

    def change_text(self) -> str:
        """「公开时限由“20个工作日”改为“10个工作日”；公开方式由“主动”改为“主动、依申请”」."""
        if not self.before or not self.after:
            return ""
        b, a = ItemData(**self.before), ItemData(**self.after)
        parts = []
        for k in self.changed:
            label = dom.FACT_LABELS.get(k, k)
            if k == "field":
                labels = field_labels()
                parts.append(f"{label}由“{labels.get(b.field, b.field)}”改为“{labels.get(a.field, a.field)}”")
            else:
                parts.append(f"{label}由“{_short(b.fact_text(k)) or '空'}”改为“{_short(a.fact_text(k)) or '空'}”")
        return "；".join(parts)


def _short(text: str, n: int = 60) -> str:
    t = text.replace("\n", " ")
    return t if len(t) <= n else t[:n] + "…"


def against_guidance(version, unit) -> list[Delta]:
    """Each item of the unit's catalogue next to its guidance item: what the unit did, and why."""
    from gkdesk.forms.units import get_unit

    u = get_unit(unit)
    labels = field_labels()
    out = []
    guides = {g.id: g for g in guidance_items(version)}
    for it in unit_items(version, u):
        g = guides.get(it.guidance_id)
        data = ItemData.of(it)
        gdata = ItemData.of(g) if g is not None else None
        changed = tuple(gdata.differences(data)) if gdata is not None and it.action == "change" else ()
        out.append(Delta(data.name(labels) if it.action != "delete" or gdata is None else gdata.name(labels),
                         it.field, it.action, changed, gdata.as_dict() if gdata else None, data.as_dict(),
                         it.reason, u.name, it.id))
    return out


def compare_versions(old, new, unit=None) -> list[Delta]:
    """The catalogue of ``old`` and of ``new`` side by side: items added, deleted, changed
    (matched by unit, field, 一级 and 二级事项); deleted items of a unit count as absent.
    ``unit`` None compares the county's catalogues (every unit)."""
    from gkdesk.forms.units import get_unit

    labels = field_labels()
    vo, vn = get_version(old), get_version(new)

    def items(v):
        if unit is None:
            its = county_items(v)
        else:
            its = unit_items(v, get_unit(unit), include_deleted=False)
        return {(i.unit_id,) + ItemData.of(i).key(): i for i in its}

    a, b = items(vo), items(vn)
    # why an item is gone: the new version keeps its deleted items with their reasons
    gone = {(i.unit_id,) + ItemData.of(i).key(): i.reason for i in CatalogueItem.select().where(
        (CatalogueItem.version == vn) & (CatalogueItem.action == "delete"))}
    names = {u.id: u.name for u in Unit.select(Unit.id, Unit.name)}
    out: list[Delta] = []
    order = field_order()
    for key in sorted(set(a) | set(b), key=lambda k: (order.get(k[1], 999), names.get(k[0], ""), k[2], k[3])):
        o, n = a.get(key), b.get(key)
        od = ItemData.of(o) if o else None
        nd = ItemData.of(n) if n else None
        if o is None:
            kind, changed = "add", ()
        elif n is None:
            kind, changed = "delete", ()
        else:
            changed = tuple(od.differences(nd))
            kind = "change" if changed else "keep"
        d = nd or od
        out.append(Delta(d.name(labels), d.field, kind, changed, od.as_dict() if od else None,
                         nd.as_dict() if nd else None, (n.reason if n else gone.get(key, "")), names.get(key[0], ""),
                         (n or o).id))
    return out


def counts(deltas: list[Delta]) -> dict[str, int]:
    out = {k: 0 for k in ("keep", "change", "delete", "add")}
    for d in deltas:
        if d.kind in out:
            out[d.kind] += 1
    return out

