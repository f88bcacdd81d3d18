"""Units (单位) and what the office keeps about each: Annex 1 staff, Annex 2 functions list,
the disclosure leading group.

Every change goes through a function here: it checks, writes in one ``write_transaction()``,
appends a ``UnitHistory`` row (before → after, JSON) and an audit event, and bumps
``Unit.version``. Callers that showed the user a version pass ``expected_version`` so an
edit made meanwhile by someone else is refused (``ConflictError``) instead of overwritten.

Merging (合并) — the rule:
- the staff rows (分管领导, 工作人员) of the merged unit are copied to the end of the same
  group of the target, except names the target's group already has;
- the target keeps its own Annex 2 and leading group; the merged unit's are not mixed in
  (a merged unit's functions list describes a unit that no longer exists — the target sends
  a new one in the next collection round);
- the merged unit is retired (``active=False``, ``retired_at``, ``merged_into=target``) and
  keeps its own rows unchanged, so its last return can still be read; both units' history
  records the merge.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from gkdesk import audit
from gkdesk.actors import Actor, require
from gkdesk.db import write_transaction
from gkdesk.db.models import FunctionsList, LeadingGroupMember, StaffMember, Unit, UnitHistory, utcnow
from gkdesk.domain import terms
from gkdesk.errors import ConflictError, NotFound, ValidationError
from gkdesk.forms.records import (
    FUNCTION_FIELDS,
    FunctionsData,
    GroupMember,
    StaffData,
    StaffRow,
    clean_line,
    raise_if_errors,
    validate_functions,
    validate_leading_group,
    validate_staff,
)

EDIT_ROLES = ("clerk", "admin")


# ---------------------------------------------------------------- reading

@dataclass
class UnitInfo:
    id: int
    name: str
    kind: str
    active: bool
    version: int
    leaders: int
    staff: int
    has_functions: bool
    merged_into: str = ""
    retired_at: dt.datetime | None = None

    @property
    def kind_label(self) -> str:
        return terms.label_of(terms.UNIT_KINDS, self.kind, self.kind)


@functools.lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """Sort key putting Chinese names in pinyin order (东海 before 三江口), as a clerk expects.
    Kept per name: pypinyin takes ~0.25 ms a name, and a county's 300 units are sorted by
    every list of units (the catalogue overview sorted them twice per read: 0.15 s)."""
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(name or "", errors=lambda s: list(s)))


def get_unit(ref) -> Unit:
    """A unit by id, by ``Unit`` or by exact name (active units first)."""
    if isinstance(ref, Unit):
        return ref
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit() and not Unit.select().where(
            Unit.name == ref).exists()):
        unit = Unit.get_or_none(Unit.id == int(ref))
        if unit is None:
            raise NotFound(f"找不到编号为 {ref} 的单位")
        return unit
    name = clean_line(str(ref))
    unit = (Unit.select().where(Unit.name == name).order_by(Unit.active.desc(), Unit.id.desc()).first())
    if unit is None:
        raise NotFound(f"找不到单位“{name}”，请检查名称（可用 gkdesk forms units 列出全部单位）")
    return unit


def list_units(active: bool | None = True, search: str = "") -> list[UnitInfo]:
    """Units by kind then name, with counts of their Annex 1 rows."""
    from peewee import fn

    q = Unit.select()
    if active is not None:
        q = q.where(Unit.active == active)
    if search:
        q = q.where(Unit.name.contains(search.strip()))
    units = list(q)
    ids = [u.id for u in units]
    counts: dict[tuple[int, str], int] = {}
    has_f: set[int] = set()
    if ids:
        for uid, group, n in (StaffMember.select(StaffMember.unit, StaffMember.group, fn.COUNT(StaffMember.id))
                              .where(StaffMember.unit.in_(ids))
                              .group_by(StaffMember.unit, StaffMember.group).tuples()):
            counts[(uid, group)] = n
        has_f = {uid for (uid,) in FunctionsList.select(FunctionsList.unit)
                 .where(FunctionsList.unit.in_(ids)).tuples()}
    targets = {}
    merged_ids = {u.merged_into_id for u in units if u.merged_into_id}
    if merged_ids:
        targets = {u.id: u.name for u in Unit.select(Unit.id, Unit.name).where(Unit.id.in_(merged_ids))}
    order = {k: i for i, k in enumerate(terms.UNIT_KINDS)}
    units.sort(key=lambda u: (not u.active, order.get(u.kind, 99), name_key(u.name)))
    return [UnitInfo(u.id, u.name, u.kind, u.active, u.version, counts.get((u.id, "leader"), 0),
                     counts.get((u.id, "staff"), 0), u.id in has_f, targets.get(u.merged_into_id, ""),
                     u.retired_at) for u in units]


def get_staff(unit) -> StaffData:
    unit = get_unit(unit)
    data = StaffData()
    for m in StaffMember.select().where(StaffMember.unit == unit).order_by(StaffMember.position, StaffMember.id):
        data.group(m.group).append(StaffRow(m.name, m.post, m.contact, m.remark))
    return data


def get_functions(unit) -> FunctionsData | None:
    unit = get_unit(unit)
    f = FunctionsList.get_or_none(FunctionsList.unit == unit)
    if f is None:
        return None
    return FunctionsData(**{k: getattr(f, k) or "" for k, _ in FUNCTION_FIELDS})


def get_leading_group(unit) -> list[GroupMember]:
    unit = get_unit(unit)
    return [GroupMember(m.role, m.name, m.post) for m in
            LeadingGroupMember.select().where(LeadingGroupMember.unit == unit)
            .order_by(LeadingGroupMember.position, LeadingGroupMember.id)]


def snapshot(unit) -> dict:
    """Everything the office keeps about a unit, as JSON-able data."""
    unit = get_unit(unit)
    f = get_functions(unit)
    return {
        "name": unit.name, "kind": unit.kind, "contact": unit.contact, "email": unit.email,
        "active": unit.active,
        "staff": get_staff(unit).as_dict(),
        "functions": f.as_dict() if f else None,
        "leading_group": [m.as_dict() for m in get_leading_group(unit)],
    }


def history(unit) -> list[UnitHistory]:
    unit = get_unit(unit)
    return list(UnitHistory.select().where(UnitHistory.unit == unit).order_by(UnitHistory.id))


# ---------------------------------------------------------------- helpers

def _check_version(unit: Unit, expected_version: int | None) -> None:
    if expected_version is not None and unit.version != expected_version:
        raise ConflictError(f"单位“{unit.name}”的信息已被他人修改（版本{unit.version}），"
                            f"请刷新后重新修改")


def _bump(unit: Unit) -> None:
    Unit.update(version=Unit.version + 1).where(Unit.id == unit.id).execute()
    unit.version += 1


def _record(unit: Unit, actor: Actor, action: str, before, after, summary: str) -> None:
    UnitHistory.create(unit=unit, user=actor.username, action=action, before=before, after=after)
    audit.record(f"unit.{action}", user=actor.username, summary=summary,
                 details={"unit_id": unit.id, "unit": unit.name})


def _fresh(unit) -> Unit:
    unit = get_unit(unit)
    return Unit.get_by_id(unit.id)


def _check_name(name: str, exclude_id: int | None = None) -> str:
    name = clean_line(name)
    if not name:
        raise ValidationError("单位名称：必须填写", "单位名称")
    if len(name) > 200:
        raise ValidationError(f"单位名称过长（{len(name)}字，最多200字）", "单位名称")
    q = Unit.select().where((Unit.name == name) & (Unit.active == True))  # noqa: E712
    if exclude_id is not None:
        q = q.where(Unit.id != exclude_id)
    if q.exists():
        raise ValidationError(f"单位名称：已有名为“{name}”的单位，请换一个名称或修改已有单位", "单位名称")
    return name


def _check_kind(kind: str) -> str:
    if kind in terms.UNIT_KINDS:
        return kind
    code = terms.code_of(terms.UNIT_KINDS, kind)
    if code:
        return code
    raise ValidationError(f"单位类型：“{kind}”无效，可选："
                          + "、".join(t.label for t in terms.UNIT_KINDS.values()), "单位类型")


def guess_kind(name: str) -> str:
    if "街道" in name:
        return "street"
    if "管委会" in name or "管理委员会" in name:
        return "committee"
    if name.endswith(("镇人民政府", "乡人民政府", "镇", "乡")):
        return "township"
    if name.endswith(("公司", "集团")):
        return "enterprise"
    if name.endswith("股") or "股（" in name:
        return "section"
    return "department"


def _require_active(unit: Unit) -> None:
    if not unit.active:
        raise ValidationError(f"单位“{unit.name}”已撤销，不能修改；如需修改请先恢复该单位", "单位")


# ---------------------------------------------------------------- units

def add_unit(name: str, actor: Actor, kind: str | None = None, contact: str = "", email: str = "") -> Unit:
    require(actor, EDIT_ROLES, "新增单位")
    with write_transaction():
        name = _check_name(name)
        kind = _check_kind(kind) if kind else guess_kind(name)
        unit = Unit.create(name=name, kind=kind, contact=clean_line(contact), email=clean_line(email))
        _record(unit, actor, "create", None, {"name": name, "kind": kind}, f"新增单位“{name}”")
    return unit


def rename_unit(unit, new_name: str, actor: Actor, expected_version: int | None = None) -> Unit:
    require(actor, EDIT_ROLES, "修改单位名称")
    with write_transaction():
        unit = _fresh(unit)
        _check_version(unit, expected_version)
        _require_active(unit)
        new_name = _check_name(new_name, exclude_id=unit.id)
        old = unit.name
        if new_name == old:
            return unit
        Unit.update(name=new_name).where(Unit.id == unit.id).execute()
        unit.name = new_name
        _bump(unit)
        _record(unit, actor, "rename", {"name": old}, {"name": new_name}, f"单位“{old}”更名为“{new_name}”")
    return unit


def update_unit(unit, actor: Actor, *, kind: str | None = None, contact: str | None = None,
                email: str | None = None, expected_version: int | None = None) -> Unit:
    require(actor, EDIT_ROLES, "修改单位信息")
    with write_transaction():
        unit = _fresh(unit)
        _check_version(unit, expected_version)
        before = {"kind": unit.kind, "contact": unit.contact, "email": unit.email}
        after = dict(before)
        if kind is not None:
            after["kind"] = _check_kind(kind)
        if contact is not None:
            after["contact"] = clean_line(contact)
        if email is not None:
            e = clean_line(email)
            if e:
                from gkdesk.validation import check_email

                e = check_email(e, "电子邮箱")
            after["email"] = e
        if after == before:
            return unit
        Unit.update(**after).where(Unit.id == unit.id).execute()
        for k, v in after.items():
            setattr(unit, k, v)
        _bump(unit)
        _record(unit, actor, "update", before, after, f"修改单位“{unit.name}”的信息")
    return unit


def retire_unit(unit, actor: Actor, expected_version: int | None = None) -> Unit:
    """撤销: the unit stays with its rows and history, but no longer gets forms."""
    require(actor, EDIT_ROLES, "撤销单位")
    with write_transaction():
        unit = _fresh(unit)
        _check_version(unit, expected_version)
        _require_active(unit)
        now = utcnow()
        Unit.update(active=False, retired_at=now).where(Unit.id == unit.id).execute()
        unit.active, unit.retired_at = False, now
        _bump(unit)
        _record(unit, actor, "retire", {"active": True}, {"active": False}, f"撤销单位“{unit.name}”")
    return unit


def restore_unit(unit, actor: Actor) -> Unit:
    require(actor, EDIT_ROLES, "恢复单位")
    with write_transaction():
        unit = _fresh(unit)
        if unit.active:
            return unit
        _check_name(unit.name, exclude_id=unit.id)
        Unit.update(active=True, retired_at=None, merged_into=None).where(Unit.id == unit.id).execute()
        before = {"active": False, "merged_into": unit.merged_into_id}
        unit.active, unit.retired_at, unit.merged_into = True, None, None
        _bump(unit)
        _record(unit, actor, "restore", before, {"active": True}, f"恢复单位“{unit.name}”")
    return unit


def merge_units(source, target, actor: Actor) -> Unit:
    """Merge ``source`` into ``target`` (see the module docstring for the rule); returns target."""
    require(actor, EDIT_ROLES, "合并单位")
    with write_transaction():
        source, target = _fresh(source), _fresh(target)
        if source.id == target.id:
            raise ValidationError("不能把单位合并到它自己", "合并到")
        _require_active(source)
        _require_active(target)
        src_snapshot = snapshot(source)
        src_staff, tgt_staff = get_staff(source), get_staff(target)
        before_target = tgt_staff.as_dict()
        moved = 0
        for group in ("leader", "staff"):
            names = {r.name for r in tgt_staff.group(group)}
            for row in src_staff.group(group):
                if row.name not in names:
                    tgt_staff.group(group).append(StaffRow(**row.as_dict()))
                    names.add(row.name)
                    moved += 1
        _write_staff(target, tgt_staff)
        now = utcnow()
        Unit.update(active=False, retired_at=now, merged_into=target.id).where(Unit.id == source.id).execute()
        source.active, source.retired_at, source.merged_into = False, now, target
        _bump(source)
        _bump(target)
        _record(source, actor, "merge", {"active": True, "snapshot": src_snapshot},
                {"active": False, "merged_into": target.name}, f"单位“{source.name}”并入“{target.name}”")
        _record(target, actor, "merge_in", {"staff": before_target},
                {"staff": tgt_staff.as_dict(), "merged_from": source.name, "rows_copied": moved},
                f"“{source.name}”并入“{target.name}”，复制工作人员{moved}人")
    return target


# ---------------------------------------------------------------- Annex 1, Annex 2, leading group

def _write_staff(unit: Unit, data: StaffData) -> None:
    StaffMember.delete().where(StaffMember.unit == unit).execute()
    rows = []
    for group in ("leader", "staff"):
        for i, r in enumerate(data.group(group)):
            rows.append({"unit": unit.id, "group": group, "name": r.name, "post": r.post,
                         "contact": r.contact, "remark": r.remark, "position": i})
    if rows:
        StaffMember.insert_many(rows).execute()


def _write_functions(unit: Unit, data: FunctionsData) -> None:
    values = data.as_dict() | {"updated_at": utcnow()}
    if FunctionsList.update(**values).where(FunctionsList.unit == unit).execute() == 0:
        FunctionsList.create(unit=unit, **values)


def _write_leading_group(unit: Unit, members: list[GroupMember]) -> None:
    LeadingGroupMember.delete().where(LeadingGroupMember.unit == unit).execute()
    if members:
        LeadingGroupMember.insert_many([{"unit": unit.id, "role": m.role, "name": m.name, "post": m.post,
                                         "position": i} for i, m in enumerate(members)]).execute()


def _as_rows(rows) -> list[StaffRow]:
    out = []
    for r in rows or []:
        if isinstance(r, StaffRow):
            out.append(r)
        elif isinstance(r, dict):
            out.append(StaffRow(**{k: r.get(k, "") or "" for k in ("name", "post", "contact", "remark")}))
        else:
            out.append(StaffRow(*[(x or "") for x in r]))
    return out


def set_staff(unit, leaders, staff, actor: Actor, expected_version: int | None = None,
              *, _action: str = "staff", _note: str = "") -> StaffData:
    """Replace the unit's Annex 1 with these rows (blank rows dropped). Raises
    ValidationError listing every problem; returns what was saved."""
    require(actor, EDIT_ROLES, "修改工作人员情况表")
    data, problems = validate_staff(_as_rows(leaders), _as_rows(staff))
    raise_if_errors(problems, "工作人员情况表")
    with write_transaction():
        unit = _fresh(unit)
        _check_version(unit, expected_version)
        _require_active(unit)
        before = get_staff(unit).as_dict()
        after = data.as_dict()
        if before == after:
            return data
        _write_staff(unit, data)
        _bump(unit)
        _record(unit, actor, _action, before, after,
                f"修改“{unit.name}”工作人员情况表（分管领导{len(data.leaders)}人，工作人员{len(data.staff)}人）{_note}")
    return data


def set_functions(unit, data, actor: Actor, expected_version: int | None = None,
                  *, _action: str = "functions", _note: str = "") -> FunctionsData:
    """Replace the unit's Annex 2. Required: 全称, 联系电话, 负责人姓名, 工作职能."""
    require(actor, EDIT_ROLES, "修改工作职能清单")
    if isinstance(data, dict):
        data = FunctionsData(**{k: data.get(k, "") or "" for k, _ in FUNCTION_FIELDS})
    clean, problems = validate_functions(data)
    raise_if_errors(problems, "工作职能清单")
    with write_transaction():
        unit = _fresh(unit)
        _check_version(unit, expected_version)
        _require_active(unit)
        old = get_functions(unit)
        before = old.as_dict() if old else None
        if before == clean.as_dict():
            return clean
        _write_functions(unit, clean)
        _bump(unit)
        _record(unit, actor, _action, before, clean.as_dict(), f"修改“{unit.name}”工作职能清单{_note}")
    return clean


def set_leading_group(unit, members, actor: Actor, expected_version: int | None = None) -> list[GroupMember]:
    """Replace the unit's leading group (组长 / 副组长 / 成员, each with name and post)."""
    require(actor, EDIT_ROLES, "修改领导小组")
    items = []
    for m in members or []:
        if isinstance(m, GroupMember):
            items.append(m)
        elif isinstance(m, dict):
            items.append(GroupMember(m.get("role", "member"), m.get("name", ""), m.get("post", "")))
        else:
            items.append(GroupMember(*m))
    clean, problems = validate_leading_group(items)
    raise_if_errors(problems, "领导小组")
    with write_transaction():
        unit = _fresh(unit)
        _check_version(unit, expected_version)
        _require_active(unit)
        before = [m.as_dict() for m in get_leading_group(unit)]
        after = [m.as_dict() for m in clean]
        if before == after:
            return clean
        _write_leading_group(unit, clean)
        _bump(unit)
        _record(unit, actor, "leading_group", before, after, f"修改“{unit.name}”领导小组（{len(clean)}人）")
    return clean


def save_annex1(unit, leaders, staff, members, actor: Actor,
                expected_version: int | None = None) -> int:
    """Save Annex 1 as the 附件一 page edits it: the staff list and the leading group in
    ONE transaction (as ``apply_import`` does), so a refusal or conflict on either leaves
    the unit's form as it was. Returns the unit's new version."""
    require(actor, EDIT_ROLES, "修改工作人员情况表")
    with write_transaction():
        unit = _fresh(unit)
        _check_version(unit, expected_version)
        set_staff(unit, leaders, staff, actor, expected_version=unit.version)
        set_leading_group(unit, members, actor, expected_version=_fresh(unit).version)
        return _fresh(unit).version


def apply_import(unit_id: int, expected_version: int | None, staff: StaffData | None,
                 functions: FunctionsData | None, actor: Actor, source: str) -> bool:
    """Save one unit's imported forms (already validated by the importer); call inside the
    caller's write transaction. Returns True when something changed."""
    unit = Unit.get_by_id(unit_id)
    _check_version(unit, expected_version)
    _require_active(unit)
    changed = False
    note = f"（导入自 {source}）"
    if staff is not None:
        before = get_staff(unit).as_dict()
        if before != staff.as_dict():
            _write_staff(unit, staff)
            UnitHistory.create(unit=unit, user=actor.username, action="staff_import", before=before,
                               after=staff.as_dict())
            changed = True
    if functions is not None:
        old = get_functions(unit)
        before = old.as_dict() if old else None
        if before != functions.as_dict():
            _write_functions(unit, functions)
            UnitHistory.create(unit=unit, user=actor.username, action="functions_import", before=before,
                               after=functions.as_dict())
            changed = True
    if changed:
        _bump(unit)
        audit.record("unit.import", user=actor.username, summary=f"导入“{unit.name}”的附件一、附件二{note}",
                     details={"unit_id": unit.id, "unit": unit.name, "source": source})
    return changed
