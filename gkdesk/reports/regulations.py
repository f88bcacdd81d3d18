"""The register of 规章 and 行政规范性文件 (issue 15): where the office keeps one, table 二's
第二十条第（一）项 — 本年制发件数, 本年废止件数, 现行有效件数 — is counted from it instead of
typed: issued in the year; repealed in the year; in force on 31 December (issued by then
and not repealed by then).

Every write takes the acting user, checks the role, runs in one ``write_transaction`` with
an audit event and notes the ``register`` topic. ``import_xlsx`` reads a register workbook by
its header words (``supervision.REGULATION_HEADERS``: 类别, 标题/名称, 文号, 发布日期, 废止日期,
备注 in any order, the header in the first ten rows), names every problem by cell and
saves nothing while any is left; a row already in the register (same kind, title and
number) is updated. ``apply_to_table2`` writes the counts of a year into table 二
(``annual.save_table2``, audited there).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from gkdesk import audit, changes
from gkdesk.actors import Actor, require
from gkdesk.db import write_transaction
from gkdesk.domain import supervision
from gkdesk.errors import ImportError_, NotFound, ValidationError

EDIT_ROLES = ("clerk", "reviewer", "leader", "admin")
KINDS = supervision.REGULATION_KINDS


@dataclass(frozen=True)
class RegulationView:
    id: int
    kind: str
    kind_label: str
    title: str
    number: str
    issued: dt.date
    repealed: dt.date | None
    note: str

    def in_force_on(self, day: dt.date) -> bool:
        return self.issued <= day and (self.repealed is None or self.repealed > day)


def _view(r) -> RegulationView:
    return RegulationView(r.id, r.kind, KINDS[r.kind].label if r.kind in KINDS else r.kind, r.title, r.number,
                          r.issued, r.repealed, r.note)


def entries(year: int | None = None) -> list[RegulationView]:
    """The register (newest first); with ``year``, what was issued or repealed in it or was
    in force during it."""
    from gkdesk.db.register_models import Regulation as R

    q = R.select().order_by(R.issued.desc(), R.id.desc())
    if year is not None:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        q = q.where((R.issued <= end) & (R.repealed.is_null() | (R.repealed >= start)))
    return [_view(r) for r in q]


def counts(year: int) -> dict[str, dict[str, int]]:
    """{table 二 row (规章 / 行政规范性文件): {本年制发件数, 本年废止件数, 现行有效件数}} of ``year``."""
    from gkdesk.reports import table2_register as t2

    end = dt.date(year, 12, 31)
    out = {}
    for code, term in KINDS.items():
        rows = [r for r in entries(year) if r.kind == code]
        out[term.label] = {
            t2.ISSUED: sum(1 for r in rows if r.issued.year == year),
            t2.REPEALED: sum(1 for r in rows if r.repealed is not None and r.repealed.year == year),
            t2.IN_FORCE: sum(1 for r in rows if r.in_force_on(end)),
        }
    return out


def has_entries() -> bool:
    from gkdesk.db.register_models import Regulation as R

    return R.select().exists()


# ---------------------------------------------------------------- checking

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(value, label: str, *, required: bool) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise ValidationError(f"{label}：必须填写（如 2025-03-01）", label)
        return None
    m = _DATE.match(text)
    try:
        if m is None:
            raise ValueError
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValidationError(f"{label}：“{text}”不是日期，应写成 2025-03-01 或 2025年3月1日", label) from None


def kind_code(value) -> str:
    text = str(value or "").strip()
    for code, term in KINDS.items():
        if text in (code, term.label) or (text and text in term.label and len(text) >= 2):
            return code
    if "规范性" in text:
        return "normative"
    if text.endswith("规章") or text in ("政府规章", "部门规章"):
        return "rule"
    raise ValidationError(f"类别：“{text}”不是“规章”或“行政规范性文件”" if text else "类别：必须选择“规章”或“行政规范性文件”",
                          "类别")


def clean(kind, title, number, issued, repealed, note="") -> dict:
    """The checked values of one entry (ValidationError names the field)."""
    code = kind_code(kind)
    title = re.sub(r"\s+", " ", str(title or "")).strip()
    if not title:
        raise ValidationError("标题：必须填写文件标题", "标题")
    if len(title) > 300:
        raise ValidationError("标题：不能超过300个字", "标题")
    number = str(number or "").strip()
    if len(number) > 100:
        raise ValidationError("文号：不能超过100个字", "文号")
    issued_d = parse_date(issued, "发布日期", required=True)
    repealed_d = parse_date(repealed, "废止日期", required=False)
    if repealed_d is not None and repealed_d < issued_d:
        raise ValidationError(f"废止日期：{repealed_d.isoformat()} 早于发布日期 {issued_d.isoformat()}", "废止日期")
    return {"kind": code, "title": title, "number": number, "issued": issued_d, "repealed": repealed_d,
            "note": str(note or "").strip()}


# ---------------------------------------------------------------- writing

def _actor_name(actor) -> str:
    return getattr(actor, "username", str(actor or ""))


def add(actor: Actor, *, kind, title, number="", issued, repealed=None, note="") -> RegulationView:
    from gkdesk.db.register_models import Regulation as R

    require(actor, EDIT_ROLES, "登记规章和规范性文件")
    v = clean(kind, title, number, issued, repealed, note)
    with write_transaction():
        if R.select().where((R.kind == v["kind"]) & (R.title == v["title"]) & (R.number == v["number"])).exists():
            raise ValidationError(f"标题：登记簿中已有“{v['title']}”{v['number']}", "标题")
        row = R.create(**v, updated_by=_actor_name(actor))
        audit.record("regulation.add", user=_actor_name(actor),
                     summary=f"登记{KINDS[v['kind']].label}“{v['title']}”{v['number']}",
                     details={"id": row.id, **{k: str(x) if x is not None else None for k, x in v.items()}})
        changes.note("register")
    return _view(row)


def update(entry_id: int, actor: Actor, **values) -> RegulationView:
    """Change an entry (e.g. record its 废止日期); the values not given stay."""
    from gkdesk.db.models import utcnow
    from gkdesk.db.register_models import Regulation as R

    require(actor, EDIT_ROLES, "修改规章和规范性文件登记")
    with write_transaction():
        row = R.get_or_none(R.id == entry_id)
        if row is None:
            raise NotFound(f"登记簿中找不到第{entry_id}条", field="登记簿")
        cur = {k: getattr(row, k) for k in ("kind", "title", "number", "issued", "repealed", "note")}
        v = clean(**{**cur, **values})
        diff = {k: [str(cur[k]) if cur[k] is not None else None, str(x) if x is not None else None]
                for k, x in v.items() if cur[k] != x}
        if not diff:
            return _view(row)
        R.update(**v, updated_at=utcnow(), updated_by=_actor_name(actor)).where(R.id == row.id).execute()
        audit.record("regulation.update", user=_actor_name(actor), summary=f"修改登记“{v['title']}”",
                     details={"id": row.id, "changed": diff})
        changes.note("register")
        return _view(R.get_by_id(row.id))


def remove(entry_id: int, actor: Actor) -> None:
    from gkdesk.db.register_models import Regulation as R

    require(actor, EDIT_ROLES, "删除规章和规范性文件登记")
    with write_transaction():
        row = R.get_or_none(R.id == entry_id)
        if row is None:
            raise NotFound(f"登记簿中找不到第{entry_id}条", field="登记簿")
        row.delete_instance()
        audit.record("regulation.remove", user=_actor_name(actor), summary=f"删除登记“{row.title}”{row.number}",
                     details={"id": entry_id, "title": row.title, "number": row.number})
        changes.note("register")


def apply_to_table2(year: int, actor) -> dict:
    """Write the register's counts of ``year`` into table 二 (the typed figures of 第二十条
    第（一）项 are replaced); returns what changed (``annual.save_table2``)."""
    from gkdesk.reports import annual

    if not has_entries():
        raise ValidationError("登记簿：还没有登记任何规章或规范性文件，无法计算表二", "登记簿")
    values = {(row, col): n for row, cols in counts(year).items() for col, n in cols.items()}
    return annual.save_table2(year, values, actor)


# ---------------------------------------------------------------- xlsx

def _header(rows) -> tuple[int, dict[str, int]] | None:
    for r, row in enumerate(rows[:10]):
        cols: dict[str, int] = {}
        for c, v in enumerate(row):
            text = re.sub(r"\s+", "", str(v or ""))
            for key, words in supervision.REGULATION_HEADERS.items():
                if key not in cols and any(w in text for w in words):
                    cols[key] = c
                    break
        if {"title", "issued"} <= set(cols):
            return r, cols
    return None


def read_xlsx(path, default_kind: str | None = None) -> tuple[list[dict], list[str]]:
    """(entries, problems) of a register workbook; problems name the sheet and cell."""
    from openpyxl.utils import get_column_letter

    from gkdesk import xlsxkit
    from gkdesk.reports import unit_reports

    path = Path(path)
    wb = xlsxkit.open_workbook(path, path.name, unit_reports.limits("规章和规范性文件登记簿"))
    out: list[dict] = []
    problems: list[str] = []
    try:
        found = False
        for ws in wb.worksheets:
            rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
            head = _header(rows)
            if head is None:
                continue
            found = True
            hr, cols = head
            sheet_kind = next((c for c, t in KINDS.items() if t.label in ws.title), None) or default_kind
            for r in range(hr + 1, len(rows)):
                row = rows[r]

                def cell(key, row=row, cols=cols):
                    c = cols.get(key)
                    return row[c] if c is not None and c < len(row) else None

                if all(v is None or not str(v).strip() for v in row):
                    continue
                kind = cell("kind") if "kind" in cols and str(cell("kind") or "").strip() else sheet_kind
                try:
                    v = clean(kind, cell("title"), cell("number"), cell("issued"), cell("repealed"), cell("note"))
                except ValidationError as exc:
                    key = {"类别": "kind", "标题": "title", "文号": "number", "发布日期": "issued",
                           "废止日期": "repealed"}.get(exc.field, "title")
                    col = cols.get(key, cols["title"])
                    problems.append(f"{path.name}!{ws.title}!{get_column_letter(col + 1)}{r + 1}：{exc.message}")
                    continue
                v["source"] = path.name
                out.append(v)
        if not found:
            problems.append(f"{path.name}：没有找到登记簿的表头（须有“标题”或“名称”和“发布日期”等栏目）")
    finally:
        wb.close()
    return out, problems


def import_xlsx(path, actor, default_kind: str | None = None) -> dict[str, int]:
    """Read a register workbook and save every row (new ones added, known ones updated) in
    one transaction; nothing is saved while any row has a problem."""
    from gkdesk.db.models import utcnow
    from gkdesk.db.register_models import Regulation as R

    require(actor, EDIT_ROLES, "导入规章和规范性文件登记簿")
    rows, problems = read_xlsx(path, default_kind)
    if problems:
        raise ImportError_(f"登记簿未导入，有{len(problems)}处问题：{problems[0]}", problems)
    if not rows:
        raise ImportError_(f"{Path(path).name}：表中没有登记任何文件")
    added = updated = 0
    with write_transaction():
        for v in rows:
            old = R.get_or_none((R.kind == v["kind"]) & (R.title == v["title"]) & (R.number == v["number"]))
            if old is None:
                R.create(**v, updated_by=_actor_name(actor))
                added += 1
            elif any(getattr(old, k) != v[k] for k in ("issued", "repealed", "note")):
                R.update(**v, updated_at=utcnow(), updated_by=_actor_name(actor)).where(R.id == old.id).execute()
                updated += 1
        audit.record("regulation.import", user=_actor_name(actor),
                     summary=f"导入规章和规范性文件登记簿（新增{added}件，更新{updated}件）",
                     details={"file": str(path), "added": added, "updated": updated, "rows": len(rows)})
        changes.note("register")
    return {"added": added, "updated": updated, "unchanged": len(rows) - added - updated}
