"""The standard catalogue for screens: frozen view records, never peewee rows; every write
takes the acting user (the core checks the role) and runs through the catalogue services.

Reads: ``overview``, ``items``, ``compare_versions``, ``preview_return``.
Writes: ``create_version``, ``import_guidance``, ``start_unit``, ``save_item``,
``delete_item``, ``restore_item``, ``add_item``, ``apply_return``; the office's own fields:
``office_fields`` (read), ``add_field``, ``rename_field``, ``retire_field``.
Files: ``export_county``, ``export_html``, ``export_unit``, ``write_explanation``.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from gkdesk.actors import Actor
from gkdesk.catalogue import items as svc
from gkdesk.catalogue.items import ItemData
from gkdesk.domain import catalogue as dom
from gkdesk.domain.terms import label_of

FACT_KEYS: tuple[str, ...] = tuple(f.name for f in fields(ItemData))


@dataclass(frozen=True)
class VersionView:
    id: int
    name: str
    year: int
    based_on: str


@dataclass(frozen=True)
class UnitView:
    id: int
    name: str
    items: int            # items in its catalogue (deleted ones included)
    changed: int
    deleted: int
    added: int
    missing_reasons: int


@dataclass(frozen=True)
class ItemView:
    id: int
    unit_id: int | None
    field: str
    field_label: str
    facts: dict           # fact key → value (ItemData's fields)
    action: str
    action_label: str
    reason: str
    guidance: dict | None   # the guidance item's facts, for the comparison
    changed: tuple[str, ...]   # labels of the facts that differ from the guidance
    row_version: int

    @property
    def name(self) -> str:
        return ItemData(**self.facts).name({self.field: self.field_label})

    def text(self, key: str) -> str:
        return ItemData(**self.facts).fact_text(key)

    @property
    def needs_reason(self) -> bool:
        return self.action in dom.NEEDS_REASON and not self.reason.strip()


@dataclass(frozen=True)
class Overview:
    versions: tuple[VersionView, ...]
    version: VersionView | None
    guidance_count: int
    guidance_fields: tuple[tuple[str, str], ...]   # (code, label) of the fields with guidance
    units: tuple[UnitView, ...]                     # units with a catalogue in the version
    all_units: tuple[tuple[int, str], ...]          # active units, for 按指引编制
    fields: tuple[tuple[str, str], ...]             # every field a new item may use (code, label)


@dataclass(frozen=True)
class FieldView:
    """A field of the office's own (beyond the 26)."""
    code: str
    label: str
    retired: bool
    items: int            # items filed under it, every version

    @property
    def state(self) -> str:
        return "已停用" if self.retired else "使用中"


@dataclass(frozen=True)
class DeltaView:
    name: str
    unit: str
    kind: str
    kind_label: str
    change: str
    reason: str


@dataclass(frozen=True)
class ReturnPreview:
    display: str
    unit_name: str
    version_name: str
    ok: bool
    changes: tuple[str, ...]
    problems: tuple[str, ...]
    warnings: tuple[str, ...]


def _version_view(v) -> VersionView:
    r = svc._version_row(v)
    return VersionView(r.id, r.name, r.year, r.based_on)


def overview(version_id: int | None = None) -> Overview:
    """The 标准目录 page's read: versions, the chosen one's guidance and units. Remembered until
    the database changes (``gkdesk.db.read_cache``; issue 20)."""
    from gkdesk.db import read_cache

    return read_cache.remembered(("catalogue.overview", version_id), lambda: _overview(version_id))


def _overview(version_id: int | None) -> Overview:
    from gkdesk.errors import NotFound
    from gkdesk.forms.units import list_units

    labels = svc.field_labels()
    active = tuple(svc.active_field_labels().items())
    versions = tuple(VersionView(r.id, r.name, r.year, r.based_on) for r in svc.list_versions())
    all_units = tuple((u.id, u.name) for u in list_units(active=True))
    try:
        v = svc.get_version(version_id)
    except NotFound:
        return Overview(versions, None, 0, (), (), all_units, active)
    guide = svc.guidance_items(v)
    gfields = []
    for g in guide:
        if g.field not in gfields:
            gfields.append(g.field)
    units = []
    for u, count, missing in svc.unit_tallies(v):
        units.append(UnitView(u.id, u.name, sum(count.values()), count.get("change", 0), count.get("delete", 0),
                              count.get("add", 0), missing))
    return Overview(versions, _version_view(v), len(guide), tuple((c, labels.get(c, c)) for c in gfields),
                    tuple(units), all_units, active)


def items(version_id: int, unit_id: int | None = None, field: str | None = None) -> tuple[ItemView, ...]:
    """The guidance (``unit_id`` None) or a unit's catalogue, with each item's guidance."""
    labels = svc.field_labels()
    its = svc.unit_items(version_id, unit_id) if unit_id is not None else svc.guidance_items(version_id)
    guides = {g.id: g for g in svc.guidance_items(version_id)} if unit_id is not None else {}
    out = []
    for it in its:
        if field and it.field != field:
            continue
        data = ItemData.of(it)
        g = guides.get(it.guidance_id)
        gdata = ItemData.of(g) if g is not None else None
        changed = tuple(dom.FACT_LABELS.get(k, k) for k in gdata.differences(data)) if gdata is not None else ()
        out.append(ItemView(it.id, it.unit_id, it.field, labels.get(it.field, it.field), data.as_dict(), it.action,
                            label_of(dom.ACTIONS, it.action), it.reason, gdata.as_dict() if gdata else None,
                            changed, it.row_version))
    return tuple(out)


def compare_versions(old_id: int, new_id: int, unit_id: int | None = None) -> tuple[DeltaView, ...]:
    kinds = {"add": "新增", "delete": "删除", "change": "修改", "keep": "未变"}
    return tuple(DeltaView(d.name, d.unit, d.kind, kinds[d.kind], d.change_text(), d.reason)
                 for d in svc.compare_versions(old_id, new_id, unit_id))


# ---------------------------------------------------------------- writes

def create_version(name: str, actor: Actor, *, based_on_id: int | None = None) -> VersionView:
    return _version_view(svc.create_version(name, actor, based_on=based_on_id))


def import_guidance(path, version_name: str, actor: Actor, *, field: str | None = None,
                    unit_id: int | None = None) -> str:
    """Read and save an upstream guidance workbook; returns a one-line summary."""
    from gkdesk.catalogue import workbook
    from gkdesk.errors import ImportError_

    book = workbook.read_workbook(path, default_field=field)
    problems = workbook.guidance_problems(book)
    if problems:
        raise ImportError_(f"{book.display}有{len(problems)}处问题，未导入：{problems[0]}", problems)
    v = svc.add_guidance(version_name, [r.data for r in book.rows], actor, source=book.display)
    msg = f"已导入上级指引{len(book.rows)}项到“{v.name}”"
    if unit_id is not None:
        n = svc.start_unit(v, unit_id, actor, sorted({r.data.field for r in book.rows}))
        msg += f"，并按指引编制了单位目录（{n}项）"
    return msg


def start_unit(version_id: int, unit_id: int, actor: Actor, fields_: list[str] | None = None) -> int:
    return svc.start_unit(version_id, unit_id, actor, fields_)


def _data(facts: dict) -> ItemData:
    return ItemData(**{k: facts[k] for k in FACT_KEYS if k in facts})


def save_item(item_id: int, facts: dict, reason: str, actor: Actor, *, expected_version: int | None = None) -> str:
    return label_of(dom.ACTIONS, svc.save_item(item_id, _data(facts), reason, actor,
                                               expected_version=expected_version))


def delete_item(item_id: int, reason: str, actor: Actor, *, expected_version: int | None = None) -> None:
    svc.delete_item(item_id, reason, actor, expected_version=expected_version)


def restore_item(item_id: int, actor: Actor) -> None:
    svc.restore_item(item_id, actor)


def add_item(version_id: int, unit_id: int, facts: dict, actor: Actor, *, reason: str = "") -> int:
    return svc.add_item(version_id, unit_id, _data(facts), actor, reason=reason).id


def preview_return(path, version_id: int | None = None) -> ReturnPreview:
    from gkdesk.catalogue import returns

    d = returns.diff_return(path, version_id)
    return ReturnPreview(d.display, d.unit_name, d.version_name, d.ok, tuple(c.text() for c in d.changes),
                         tuple(d.problems), tuple(d.warnings))


def apply_return(path, version_id: int | None, actor: Actor) -> str:
    """Read the file again and save it if it still has no problems; returns a summary."""
    from gkdesk.catalogue import returns

    from gkdesk.api import tasks

    d = returns.diff_return(path, version_id)
    # the unit's request for its catalogue (issue 13) becomes 已采用, in the same transaction
    res = returns.apply_returns([d], actor, on_saved=lambda diff: tasks.record_catalogue_return(diff, actor))
    return f"已保存“{d.unit_name}”交回的目录（{res.changes}处变化）" if res.changes else f"“{d.unit_name}”交回的目录无变化"


# ---------------------------------------------------------------- the office's own fields

def national_fields() -> tuple[tuple[str, str], ...]:
    """The 26 fields of the national guidelines (code, label), which cannot be changed."""
    return tuple((c, t.label) for c, t in dom.FIELDS.items())


def office_fields() -> tuple[FieldView, ...]:
    return tuple(FieldView(f.code, f.label, f.retired, f.items) for f in svc.office_fields())


def add_field(label: str, actor: Actor) -> str:
    return svc.add_field(label, actor)


def rename_field(code: str, label: str, actor: Actor) -> str:
    return svc.rename_field(code, label, actor)


def retire_field(code: str, actor: Actor, *, retired: bool = True) -> None:
    svc.retire_field(code, actor, retired=retired)


# ---------------------------------------------------------------- files

def export_county(version_id: int, path) -> Path:
    from gkdesk.catalogue import export

    return export.export_county(version_id, path)


def export_html(version_id: int, folder) -> list[Path]:
    from gkdesk.catalogue import web

    return web.export_html(version_id, folder)


def export_unit(version_id: int, unit_id: int, path) -> Path:
    from gkdesk.catalogue import export

    return export.export_unit(version_id, unit_id, path)


def write_explanation(version_id: int, unit_id: int, path) -> Path:
    from gkdesk.catalogue import explain

    return explain.write(version_id, unit_id, path)


def mark_groups() -> tuple:
    return dom.MARK_GROUPS


def text_facts() -> tuple:
    return dom.TEXT_FACTS + (dom.REMARK,)
