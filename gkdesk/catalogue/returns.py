"""What a unit returns: its catalogue workbook read back, compared item by item with what the
office has, and saved only when accepted — as the Annex import does.

``diff_return(path)`` reads and compares WITHOUT saving: the unit (from the 填报单位 line,
the file name or the workbook's keywords, as the Annex import finds it), the version (the
keywords, else the latest), each item matched by its 编号 or by 领域 + 一级 + 二级事项, and
for each a change: 修改 (which facts), 删除 (with the reason), 新增, 恢复. Problems name the
file, sheet and cell (``民政局.xlsx!社会救助!F7：“最低生活保障·办事指南”的公开时限：必须填写…``);
a changed or deleted guidance item without a reason, or a row deleted instead of marked
删除, is a problem naming the item. ``apply_returns(diffs, actor)`` saves the accepted
diffs in ONE transaction (all or nothing); rejected ones change nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gkdesk.actors import Actor, require
from gkdesk.catalogue import items as svc
from gkdesk.catalogue.items import ItemData
from gkdesk.catalogue.workbook import ParsedRow, read_workbook
from gkdesk.db import write_transaction
from gkdesk.db.catalogue_models import CatalogueItem, CatalogueVersion
from gkdesk.domain import catalogue as dom
from gkdesk.errors import ImportError_, NotFound, ValidationError
from gkdesk.forms.records import clean_multiline

KIND_LABELS = {"change": "修改", "delete": "删除", "add": "新增", "restore": "恢复", "remove": "移除",
               "reason": "原因"}


@dataclass
class ItemChange:
    kind: str                          # change / delete / add / restore / remove / reason
    name: str
    item_id: int | None
    after: ItemData | None
    before: ItemData | None
    changed: list[str]                 # fact keys that differ from what the office has
    reason: str = ""
    where: str = ""
    row_version: int | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def text(self) -> str:
        if self.kind == "change" and self.before and self.after:
            parts = [f"{dom.FACT_LABELS.get(k, k)}“{_short(self.before.fact_text(k))}”→“{_short(self.after.fact_text(k))}”"
                     for k in self.changed]
            out = f"修改“{self.name}”：" + "；".join(parts)
        else:
            out = f"{self.kind_label}“{self.name}”"
        if self.reason and self.kind in ("change", "delete", "add", "reason"):
            out += f"（原因：{_short(self.reason, 40)}）"
        return out


def _short(text: str, n: int = 30) -> str:
    t = (text or "").replace("\n", " ")
    return t if len(t) <= n else t[:n] + "…"


@dataclass
class ReturnDiff:
    source: Path
    display: str
    version_id: int | None = None
    version_name: str = ""
    unit_id: int | None = None
    unit_name: str = ""
    changes: list[ItemChange] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    items_read: int = 0
    accepted: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems and self.unit_id is not None and self.version_id is not None

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)


def _version_of(keywords: str, version) -> CatalogueVersion:
    if version is not None:
        return svc.get_version(version)
    m = re.search(r"version=(\d+)", keywords or "")
    if m:
        v = CatalogueVersion.get_or_none(CatalogueVersion.id == int(m.group(1)))
        if v is not None:
            return v
    return svc.get_version(None)


def diff_return(path, version=None, unit=None, display: str | None = None) -> ReturnDiff:
    """Read a unit's returned workbook and compare it with its catalogue. Saves nothing; the
    diff comes back accepted when it has no problems."""
    path = Path(path)
    diff = ReturnDiff(path, display or path.name)
    _diff(diff, version, unit)
    diff.accepted = diff.ok
    return diff


def _diff(diff: ReturnDiff, version, unit) -> None:
    from gkdesk.forms.units import get_unit
    from gkdesk.forms.xlsx_import import match_unit

    book = read_workbook(diff.source, diff.display)
    diff.problems += book.problems
    diff.warnings += book.warnings
    if book.problems and not book.rows:
        return
    try:
        v = _version_of(book.keywords, version)
    except NotFound as exc:
        diff.problems.append(f"{diff.display}：{exc}")
        return
    diff.version_id, diff.version_name = v.id, v.name
    if unit is not None:
        u = get_unit(unit)
        if book.unit_text and svc.label_key(book.unit_text) != svc.label_key(u.name):
            diff.warnings.append(f"{book.unit_place}：表中填写的单位“{book.unit_text}”与指定的单位“{u.name}”不同，"
                                 f"按“{u.name}”导入")
    else:
        u, ups, uws = match_unit(book.unit_text, diff.source.stem, book.keywords)
        where = book.unit_place or diff.display
        diff.problems += [f"{where}：{p}" for p in ups]
        diff.warnings += [f"{where}：{w}" for w in uws]
        if u is None:
            return
    diff.unit_id, diff.unit_name = u.id, u.name
    m = re.search(r"version=(\d+)", book.keywords or "")
    if m and int(m.group(1)) != v.id:
        src = CatalogueVersion.get_or_none(CatalogueVersion.id == int(m.group(1)))
        diff.warnings.append(f"{diff.display}：此表是从“{src.name if src else '另一版本'}”导出的，"
                             f"按事项名称与“{v.name}”对照")
        for row in book.rows:
            row.item_id = None
    labels = svc.field_labels()
    current = svc.unit_items(v, u)
    if not current:
        diff.problems.append(f"{diff.display}：“{u.name}”在“{v.name}”中还没有标准目录，不能导入交回的表格。"
                             "请先按上级指引编制该单位的目录（或把此表作为上级指引导入）")
        return
    by_id = {i.id: i for i in current}
    by_key: dict[tuple, CatalogueItem] = {}
    for i in current:
        by_key.setdefault(ItemData.of(i).key(), i)
    guides = {g.id: g for g in svc.guidance_items(v)}
    seen: dict[int, ParsedRow] = {}
    keys_seen: dict[tuple, ParsedRow] = {}
    diff.items_read = len(book.rows)
    for row in book.rows:
        clean, problems = svc.validate(row.data, labels)
        name = clean.name(labels)
        place = f"{diff.display}!{row.sheet}"
        item = by_id.get(row.item_id) if row.item_id else None
        if row.item_id and item is None:
            diff.warnings.append(f"{place}!第{row.row}行：编号“C{row.item_id}”不是该单位本版目录的事项，按事项名称对照")
        if item is None:
            item = by_key.get(clean.key())
        if item is not None and item.id in seen:
            diff.problems.append(f"{place}!第{row.row}行：“{name}”与第{seen[item.id].row}行是同一事项，请删去重复的一行")
            continue
        if clean.key() in keys_seen:
            diff.problems.append(f"{place}!第{row.row}行：“{name}”与第{keys_seen[clean.key()].row}行重复，请删去重复的一行")
            continue
        keys_seen[clean.key()] = row
        if item is not None:
            seen[item.id] = row
        reason_cell = row.cells.get("reason", "")
        if row.status == "delete":
            if item is None:
                diff.warnings.append(f"{place}!第{row.row}行：“{name}”标为删除，但不是该单位目录中的事项，已忽略")
                continue
            reason = clean_multiline(row.reason)
            if item.action == "delete" and reason == item.reason:
                continue
            if item.guidance_id is not None and not reason:
                diff.problems.append(f"{place}!第{row.row}行：“{svc._desc(item, labels)}”标为删除，但没有填写删除原因。"
                                     "删除上级指引中的事项必须在“变动原因”写明原因")
                continue
            diff.changes.append(ItemChange("delete" if item.guidance_id else "remove", svc._desc(item, labels),
                                           item.id, None, ItemData.of(item), [], reason, row.where,
                                           item.row_version))
            continue
        for key, msg in problems:
            coord = row.cells.get(key, "")
            diff.problems.append(f"{place}!{coord or f'第{row.row}行'}：“{name}”的{msg}")
        if problems:
            continue
        reason = clean_multiline(row.reason)
        if item is None:
            diff.changes.append(ItemChange("add", name, None, clean, None, [], reason, row.where))
            continue
        guidance = guides.get(item.guidance_id)
        new_action = svc.action_for(clean, guidance)
        before = ItemData.of(item)
        changed = before.differences(clean)
        if new_action == "change" and not reason:
            what = "、".join(dom.FACT_LABELS.get(k, k) for k in ItemData.of(guidance).differences(clean))
            diff.problems.append(f"{place}!{reason_cell or f'第{row.row}行'}：“{name}”与上级指引不同（{what}），"
                                 "但没有填写修改原因。修改上级指引中的事项必须在“变动原因”写明原因")
            continue
        if item.action == "delete":
            diff.changes.append(ItemChange("restore" if not changed and new_action == "keep" else "change", name,
                                           item.id, clean, before, changed, reason, row.where, item.row_version))
        elif changed:
            diff.changes.append(ItemChange("change", name, item.id, clean, before, changed, reason, row.where,
                                           item.row_version))
        elif new_action != "keep" and reason != item.reason:
            diff.changes.append(ItemChange("reason", name, item.id, clean, before, [], reason, row.where,
                                           item.row_version))
    for it in current:
        if it.id in seen or it.action == "delete":
            continue
        name = svc._desc(it, labels)
        if it.guidance_id is not None:
            diff.problems.append(f"{diff.display}：“{name}”在交回的表格中找不到（整行被删除了）。"
                                 "不再公开的事项请保留该行，在“变动情况”填“删除”并写明原因")
        else:
            diff.changes.append(ItemChange("remove", name, it.id, None, ItemData.of(it), [], "", "", it.row_version))


def diff_paths(path, version=None, unit=None, progress=None, cancelled=None) -> list[ReturnDiff]:
    """A file or every xlsx of a folder; a unit returned twice is a problem of both."""
    from gkdesk.forms.xlsx_import import collect_files

    root = Path(path)
    files, _ = collect_files(root)
    out: list[ReturnDiff] = []
    for i, f in enumerate(files):
        if cancelled and cancelled():
            break
        display = str(f.relative_to(root)) if root.is_dir() else f.name
        out.append(diff_return(f, version, unit, display))
        if progress:
            progress(i + 1, len(files))
    by_unit: dict[tuple, list[ReturnDiff]] = {}
    for d in out:
        if d.unit_id is not None:
            by_unit.setdefault((d.version_id, d.unit_id), []).append(d)
    for ds in by_unit.values():
        if len(ds) > 1:
            names = "、".join(d.display for d in ds)
            for d in ds:
                d.problems.append(f"{d.display}：“{d.unit_name}”有{len(ds)}个文件（{names}），请只保留一个再导入")
                d.accepted = False
    return out


@dataclass
class ApplyResult:
    saved: list[str] = field(default_factory=list)        # units whose catalogue changed
    unchanged: list[str] = field(default_factory=list)
    changes: int = 0


def apply_returns(diffs: list[ReturnDiff], actor: Actor, *, on_saved=None) -> ApplyResult:
    """Save the accepted diffs in ONE transaction. ``on_saved(diff)`` is called inside it for
    each saved diff (e.g. to record the unit's submission)."""
    require(actor, svc.EDIT_ROLES, "导入单位交回的标准目录")
    accepted = [d for d in diffs if d.accepted]
    bad = [d for d in accepted if not d.ok]
    if bad:
        msgs = [p for d in bad for p in (d.problems or [f"{d.display}：无法确定单位"])]
        raise ValidationError(f"“{bad[0].display}”有问题，不能保存：{msgs[0]}", None, msgs)
    result = ApplyResult()
    with write_transaction():
        for d in accepted:
            for ch in d.changes:
                src = f"导入自 {d.display}"
                if ch.kind in ("change", "restore"):
                    svc.save_item(ch.item_id, ch.after, ch.reason, actor, expected_version=ch.row_version, source=src)
                elif ch.kind == "reason":
                    svc.set_reason(ch.item_id, ch.reason, actor)
                elif ch.kind in ("delete", "remove"):
                    svc.delete_item(ch.item_id, ch.reason, actor, expected_version=ch.row_version, source=src)
                elif ch.kind == "add":
                    svc.add_item(d.version_id, d.unit_id, ch.after, actor, reason=ch.reason, source=src)
                result.changes += 1
            (result.saved if d.changes else result.unchanged).append(d.unit_name)
            if on_saved is not None:
                on_saved(d)
    return result


def refuse_if_problems(diff: ReturnDiff) -> None:
    if diff.problems:
        raise ImportError_(diff.problems[0], diff.problems)
