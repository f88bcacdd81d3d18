"""The units' annual reports: read each unit's workbook (the official xlsx layout gkdesk
exports, or one a unit typed itself), check it, keep it, and sum all units into the
county's tables (docs/supervision.md §3).

Reading is by labels, never fixed coordinates: table 三 by its row labels (一、本年新收…,
1.属于国家秘密 …, with or without their numbering) and its column headers (自然人 … 总计);
table 四 by the three runs of 结果维持 … 总计; table 二 by its row labels (规章 …). The safe
reader of gkdesk/forms/xlsx_import.py is used (size and zip-bomb limits; formulas are never
evaluated — a formula cell is a problem). A blank number cell counts as 0.

Checks, each naming the wrong cell as ``sheet!D6``:
- every number a whole number ≥ 0 (table 二's amount: a sum of money ≥ 0);
- table 三: each row's 总计 equals the sum of its six columns; （七）总计 equals the sum of
  the result rows in each column; 一 + 二 = 三（七） + 四 in each column (named at 四);
  二、上年结转 equals last year's 四、结转下年度继续办理 of the same unit where gkdesk has
  last year's report of that unit;
- table 四: each group's 总计 equals the sum of its four results;
- table 二: 现行有效 equals last year's 现行有效 + 本年制发 − 本年废止 where gkdesk has last year's.
"""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl.utils import get_column_letter

from gkdesk import audit, changes
from gkdesk.db import write_transaction
from gkdesk.errors import ImportError_, ValidationError
from gkdesk.reports import annual

def limits(what: str = "年度报告表格"):
    """The safe reader's limits for the small workbooks of this area (gkdesk/xlsxkit.py)."""
    from gkdesk import xlsxkit
    from gkdesk.forms import xlsx_import

    return xlsxkit.Limits(xlsx_import.MAX_FILE_BYTES, xlsx_import.MAX_UNZIPPED_BYTES, f"{what}不会这么大，")


def load(path: Path, display: str, what: str = "年度报告表格"):
    """Every sheet's cells, read by the forms' safe reader (formulas never evaluated)."""
    from gkdesk.forms import xlsx_import

    return xlsx_import._load(path, display, limits(what), f"{what}只有几十行")[0]


@dataclass(frozen=True)
class CellProblem:
    cell: str            # 民政局.xlsx!三、收到和处理申请情况!J6 → the cell part: 三、收到和处理申请情况!J6
    message: str

    def __str__(self) -> str:
        return f"{self.cell}：{self.message}" if self.cell else self.message


@dataclass
class UnitReportFile:
    path: Path
    display: str
    unit_name: str = ""
    year: int | None = None
    data: dict = field(default_factory=dict)          # table2 / table3 / table4
    problems: list[CellProblem] = field(default_factory=list)
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def cells(self) -> list[str]:
        return [p.cell for p in self.problems]


# ------------------------------------------------------------------ labels

_ENUM = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+\s*[.．、]|\d+\s+)")
_NOTE = re.compile(r"[（(][^（()）]*[)）]\s*$")
_KEEP = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")


def norm(text) -> str:
    """A label reduced for matching: NFKC, numbering and a trailing (note) removed,
    punctuation and spaces dropped (「（二）部分公开（区分处理的…）」 → 部分公开)."""
    t = unicodedata.normalize("NFKC", str(text or "")).strip()
    t = re.sub(r"\s+", "", t)
    t = _ENUM.sub("", t)
    if len(t) > 6:
        t = _NOTE.sub("", t)
    return _KEEP.sub("", t)


def _row_keys() -> dict[str, str]:
    out = {}
    for lr in annual.table3_layout():
        out[norm(lr.label)] = lr.key
    return out


ROW_KEYS = _row_keys()
COLUMN_KEYS = {norm(c): c for c in annual.TABLE3_COLUMNS}
T4_COLUMN_KEYS = {norm(c): c for c in annual.TABLE4_COLUMNS}
T2_ROWS = {norm(r): (s, r) for s in annual.TABLE2 for r in s.rows}


# ------------------------------------------------------------------ numbers

def _value(sheet, r: int, c: int, out: list[CellProblem], *, amount: bool = False):
    from gkdesk.forms.records import cell_text

    where = f"{sheet.title}!{get_column_letter(c)}{r}"
    cell = sheet.cells.get((r, c))
    if cell is None:
        return None if amount else 0
    if cell.formula:
        out.append(CellProblem(where, f"是公式“{str(cell.value)[:30]}”，gkdesk 不计算公式。请复制后“选择性粘贴→数值”再报送"))
        return None
    text = cell_text(cell.value).replace(",", "").replace("，", "").strip()
    if not text:
        return None if amount else 0
    try:
        d = Decimal(text)
    except InvalidOperation:
        out.append(CellProblem(where, f"应填写{'金额（万元）' if amount else '整数'}，现为“{text[:20]}”"))
        return None
    if not d.is_finite() or d < 0:
        out.append(CellProblem(where, f"不能为负数，现为“{text}”"))
        return None
    if amount:
        d = d.quantize(Decimal("0.0001"))
        return int(d) if d == d.to_integral_value() else float(d)
    if d != d.to_integral_value():
        out.append(CellProblem(where, f"应填写整数件数，现为“{text}”"))
        return None
    return int(d)


# ------------------------------------------------------------------ finding the tables

def _texts(sheet):
    from gkdesk.forms.records import cell_text

    for (r, c), cell in sheet.cells.items():
        if isinstance(cell.value, str):
            yield r, c, norm(cell_text(cell.value))


def _find_table3(sheets, rep: UnitReportFile):
    for sh in sheets:
        nat = sorted((r, c) for r, c, t in _texts(sh) if t == norm(annual.NATURAL_COLUMN))
        if not nat:
            continue
        hr, hc = nat[0]
        rows = {}
        for r, c, t in _texts(sh):     # row labels stand left of the numbers, below the header
            key = ROW_KEYS.get(t)
            if key is not None and c < hc and r > hr and (key not in rows or c > rows[key][1]):
                rows[key] = (r, c)
        if len(rows) < 5:
            continue
        first_data = min(r for r, _ in rows.values())
        cols = {}
        for r, c, t in _texts(sh):
            if hr - 2 <= r < first_data and t in COLUMN_KEYS and c > max(cc for _, cc in rows.values()):
                cols.setdefault(COLUMN_KEYS[t], c)
        return sh, rows, cols
    return None


def _read_table3(sheets, rep: UnitReportFile) -> dict | None:
    found = _find_table3(sheets, rep)
    if found is None:
        rep.problems.append(CellProblem("", f"找不到表三（{annual.TABLE3_TITLE}）：没有“自然人”等表头和“本年新收…”等栏目"))
        return None
    sh, rows, cols = found
    for col in annual.TABLE3_COLUMNS:
        if col not in cols:
            rep.problems.append(CellProblem(sh.title, f"表三缺少“{col}”一列"))
    for key in annual.TABLE3_KEYS:
        if key not in rows:
            rep.problems.append(CellProblem(sh.title, f"表三缺少“{key}”一行"))
    if len(cols) < len(annual.TABLE3_COLUMNS) or len(rows) < len(annual.TABLE3_KEYS):
        return None
    t3 = {k: {c: _value(sh, rows[k][0], cols[c], rep.problems) for c in annual.TABLE3_COLUMNS}
          for k in annual.TABLE3_KEYS}
    rep._where3 = (sh.title, rows, cols)
    return t3


def _read_table4(sheets, rep: UnitReportFile) -> dict | None:
    first = norm(annual.TABLE4_COLUMNS[0])
    for sh in sheets:
        heads = sorted((c, r) for r, c, t in _texts(sh) if t == first)
        if len(heads) < len(annual.TABLE4_KEYS):
            continue
        heads = heads[:len(annual.TABLE4_KEYS)]
        header_bottom = max(r for _, r in heads)
        # the numbers' row: the first row below the headers with a value under a group
        starts = [c for c, _ in heads]
        data_row = None
        for r in sorted({r for r, _ in sh.cells if r > header_bottom}):
            if any((r, c + i) in sh.cells for c in starts for i in range(len(annual.TABLE4_COLUMNS))):
                data_row = r
                break
        out = {}
        rep._cols4 = {}
        for key, (c0, hr) in zip(annual.TABLE4_KEYS, heads):
            colmap = rep._cols4[key] = {}
            for i in range(len(annual.TABLE4_COLUMNS) + 2):
                for r in range(hr, header_bottom + 1):
                    cell = sh.cells.get((r, c0 + i))
                    if cell is not None and isinstance(cell.value, str) and norm(cell.value) in T4_COLUMN_KEYS:
                        colmap.setdefault(T4_COLUMN_KEYS[norm(cell.value)], c0 + i)
            for col in annual.TABLE4_COLUMNS:
                if col not in colmap:
                    rep.problems.append(CellProblem(sh.title, f"表四“{key}”缺少“{col}”一列"))
                    return None
            if data_row is None:
                out[key] = {col: 0 for col in annual.TABLE4_COLUMNS}
            else:
                out[key] = {col: _value(sh, data_row, colmap[col], rep.problems) for col in annual.TABLE4_COLUMNS}
        rep._where4 = (sh.title, data_row)
        return out
    rep.problems.append(CellProblem("", f"找不到表四（{annual.TABLE4_TITLE}）：没有“结果维持…总计”三组表头"))
    return None


def _read_table2(sheets, rep: UnitReportFile) -> dict | None:
    for sh in sheets:
        found = {}
        for r, c, t in _texts(sh):
            if t in T2_ROWS and T2_ROWS[t][1] not in found:
                found[T2_ROWS[t][1]] = (r, c, T2_ROWS[t][0])
        if len(found) < 3:
            continue
        out: dict = {}
        rep._where2 = {}
        for sec in annual.TABLE2:
            for row in sec.rows:
                out[row] = {c: None for c in sec.columns}
                if row not in found:
                    rep.problems.append(CellProblem(sh.title, f"表二缺少“{row}”一行"))
                    continue
                r, c, _ = found[row]
                # the section's header row (just above its first row) names the columns
                header = {}
                for hr in range(r - 1, max(0, r - 4), -1):
                    for (rr, cc), cell in sh.cells.items():
                        if rr == hr and cc > c and isinstance(cell.value, str) and norm(cell.value) in {
                                norm(x) for x in sec.columns}:
                            header.setdefault(next(x for x in sec.columns if norm(x) == norm(cell.value)), cc)
                    if header:
                        break
                for i, col in enumerate(sec.columns):
                    cc = header.get(col, c + 1 + i)
                    out[row][col] = _value(sh, r, cc, rep.problems, amount=True) if sec.kind == "amount" \
                        else (None if (r, cc) not in sh.cells else _value(sh, r, cc, rep.problems))
                    rep._where2[(row, col)] = f"{sh.title}!{get_column_letter(cc)}{r}"
        return out
    rep.problems.append(CellProblem("", f"找不到表二（{annual.TABLE2_TITLE}）：没有“规章”“行政许可”等栏目"))
    return None


_YEAR = re.compile(r"(?:统计期间|统计期限|年度)\D{0,3}((?:19|20)\d\d)\s*年|((?:19|20)\d\d)\s*年(?:度)?政府信息公开")
_UNIT = re.compile(r"(?:填报单位|单位名称|报送单位|单位[（(]盖章[)）])\s*[:：]\s*(.+?)(?:\s{2,}|　|统计期间|$)")


def _identify(sheets, rep: UnitReportFile, year: int | None) -> None:
    from gkdesk.forms.records import cell_text

    for sh in sheets:
        for (_r, _c), cell in sorted(sh.cells.items()):
            if not isinstance(cell.value, str):
                continue
            text = unicodedata.normalize("NFKC", cell_text(cell.value))
            if not rep.unit_name:
                m = _UNIT.search(text)
                if m and m.group(1).strip():
                    rep.unit_name = m.group(1).strip()
            if rep.year is None:
                m = _YEAR.search(text)
                if m:
                    rep.year = int(m.group(1) or m.group(2))
    if not rep.unit_name:
        rep.unit_name = re.sub(r"[（(]?\d{4}[)）]?|年度报告|年报|表格?", "", rep.path.stem).strip(" _-") or rep.path.stem
    if year is not None:
        if rep.year is not None and rep.year != year:
            rep.problems.append(CellProblem("", f"表格的统计年度是{rep.year}年，不是要核对的{year}年"))
        rep.year = year
    if rep.year is None:
        rep.problems.append(CellProblem("", "表格中找不到统计年度（如“统计期间：2025年1月1日至…”），请指定年度"))


# ------------------------------------------------------------------ checks

def last_year(unit_name: str, year: int) -> dict | None:
    from gkdesk.db.annual_models import UnitReport

    row = UnitReport.get_or_none((UnitReport.year == year - 1) & (UnitReport.unit_name == unit_name))
    return row.data if row is not None else None


def _check(rep: UnitReportFile) -> None:
    t3 = rep.data.get("table3")
    total = annual.TOTAL_COLUMN
    kinds = [c for c in annual.TABLE3_COLUMNS if c != total]
    if t3 is not None and hasattr(rep, "_where3"):
        title, rows, cols = rep._where3

        def at(key, col):
            return f"{title}!{get_column_letter(cols[col])}{rows[key][0]}"

        def v(key, col):
            x = t3[key][col]
            return x if isinstance(x, int) else None

        for key in annual.TABLE3_KEYS:
            parts = [v(key, c) for c in kinds]
            if None in parts or v(key, total) is None:
                continue
            if sum(parts) != v(key, total):
                rep.problems.append(CellProblem(at(key, total), f"“{key}”的总计应为各列之和{sum(parts)}，现为{v(key, total)}"))
        results = list(annual.RESULT_KEYS)
        for c in kinds:
            parts = [v(k, c) for k in results]
            if None in parts:
                continue
            if v(annual.ROW_TOTAL, c) is not None and sum(parts) != v(annual.ROW_TOTAL, c):
                rep.problems.append(CellProblem(at(annual.ROW_TOTAL, c),
                                                f"（七）总计（{c}）应为各项办理结果之和{sum(parts)}，现为{v(annual.ROW_TOTAL, c)}"))
            a, b, d = v(annual.ROW_NEW, c), v(annual.ROW_CARRIED_IN, c), v(annual.ROW_CARRIED_OUT, c)
            if None not in (a, b, d) and a + b != sum(parts) + d:
                rep.problems.append(CellProblem(at(annual.ROW_CARRIED_OUT, c),
                                                f"勾稽关系不符（{c}）：第一项{a}＋第二项{b}＝{a + b}，"
                                                f"第三项（七）{sum(parts)}＋第四项{d}＝{sum(parts) + d}"))
        last = last_year(rep.unit_name, rep.year) if rep.year else None
        if last and last.get("table3"):
            before = last["table3"][annual.ROW_CARRIED_OUT]
            for c in kinds:
                if v(annual.ROW_CARRIED_IN, c) is not None and v(annual.ROW_CARRIED_IN, c) != before.get(c):
                    rep.problems.append(CellProblem(at(annual.ROW_CARRIED_IN, c),
                                                    f"上年结转（{c}）应等于{rep.year - 1}年度报告的结转下年度继续办理"
                                                    f"{before.get(c)}，现为{v(annual.ROW_CARRIED_IN, c)}"))
    t4 = rep.data.get("table4")
    if t4 is not None and getattr(rep, "_where4", None) and rep._where4[1] is not None:
        title, data_row = rep._where4
        for key, row in t4.items():
            parts = [row[c] for c in annual.TABLE4_COLUMNS if c != total]
            if None in parts or row[total] is None:
                continue
            if sum(parts) != row[total]:
                cell = f"{title}!{get_column_letter(rep._cols4[key][total])}{data_row}"
                rep.problems.append(CellProblem(cell, f"表四“{key}”的总计应为{sum(parts)}，现为{row[total]}"))
    t2 = rep.data.get("table2")
    if t2 is not None and rep.year:
        last = last_year(rep.unit_name, rep.year)
        if last and last.get("table2"):
            issued, repealed, inforce = annual.TABLE2[0].columns
            for row in annual.TABLE2[0].rows:
                start = (last["table2"].get(row) or {}).get(inforce)
                vals = t2[row]
                if start is None or None in (vals[issued], vals[repealed], vals[inforce]):
                    continue
                want = start + vals[issued] - vals[repealed]
                if vals[inforce] != want:
                    rep.problems.append(CellProblem(rep._where2[(row, inforce)],
                                                    f"“{row}”现行有效件数应为上年{start}＋本年制发{vals[issued]}"
                                                    f"－本年废止{vals[repealed]}＝{want}，现为{vals[inforce]}"))


# ------------------------------------------------------------------ reading

def read(path, display: str | None = None, *, year: int | None = None) -> UnitReportFile:
    """Read and check one unit's workbook. Saves nothing."""

    path = Path(path)
    rep = UnitReportFile(path, display or path.name)
    try:
        sheets = load(path, rep.display)
    except ImportError_ as exc:
        rep.problems.append(CellProblem("", exc.message))
        return rep
    rep.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    _identify(sheets, rep, year)
    visible = [s for s in sheets if not s.hidden] or sheets
    t2, t3, t4 = _read_table2(visible, rep), _read_table3(visible, rep), _read_table4(visible, rep)
    rep.data = {"table2": t2, "table3": t3, "table4": t4}
    if rep.year:
        _check(rep)
    return rep


def read_paths(path, *, year: int | None = None, progress=None, cancelled=None) -> list[UnitReportFile]:
    """Every workbook of a file or a folder, read and checked; two files of one unit are refused."""
    from gkdesk.forms import xlsx_import

    root = Path(path)
    files, _skipped = xlsx_import.collect_files(root)
    out = []
    for i, f in enumerate(files):
        if cancelled and cancelled():
            break
        out.append(read(f, str(f.relative_to(root)) if root.is_dir() else f.name, year=year))
        if progress:
            progress(i + 1, len(files))
    seen: dict[tuple, UnitReportFile] = {}
    for rep in out:
        k = (rep.unit_name, rep.year)
        if k in seen:
            rep.problems.append(CellProblem("", f"与“{seen[k].display}”是同一单位“{rep.unit_name}”的{rep.year}年度报告，只能保留一份"))
        else:
            seen[k] = rep
    return out


# ------------------------------------------------------------------ summing and keeping

def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    s = Decimal(str(a)) + Decimal(str(b))
    return int(s) if s == s.to_integral_value() else float(s)


def total(reports: list[dict]) -> dict:
    """The county's tables: every unit's tables added cell by cell."""
    t3 = {k: {c: 0 for c in annual.TABLE3_COLUMNS} for k in annual.TABLE3_KEYS}
    t4 = {k: {c: 0 for c in annual.TABLE4_COLUMNS} for k in annual.TABLE4_KEYS}
    t2 = {r: {c: None for c in s.columns} for s in annual.TABLE2 for r in s.rows}
    for d in reports:
        for k, row in (d.get("table3") or {}).items():
            for c, v in row.items():
                t3[k][c] += v or 0
        for k, row in (d.get("table4") or {}).items():
            for c, v in row.items():
                t4[k][c] += v or 0
        for r, row in (d.get("table2") or {}).items():
            for c, v in row.items():
                t2[r][c] = _add(t2[r][c], v)
    return {"table2": t2, "table3": t3, "table4": t4}


class UnitReportsRefused(ValidationError):
    def __init__(self, reports: list[UnitReportFile]):
        bad = [r for r in reports if r.problems]
        lines = [f"{r.display}!{p}" if p.cell else f"{r.display}：{p.message}" for r in bad for p in r.problems]
        super().__init__(f"{len(bad)}份单位年度报告未通过核对（共{len(lines)}处问题）：{lines[0]}", "单位年度报告", lines)
        self.reports = bad


def save(reports: list[UnitReportFile], actor, on_saved=None) -> int:
    """Keep the checked reports (all or nothing: any problem refuses every file), replacing
    a unit's earlier import of the same year; one transaction, one audit event.
    ``on_saved(report, unit_id)`` is called inside it for each (e.g. to record the unit's
    submission of its annual report)."""
    from gkdesk.actors import Actor, require
    from gkdesk.db.annual_models import UnitReport
    from gkdesk.db.models import Unit, utcnow

    if isinstance(actor, Actor):
        require(actor, ("clerk", "reviewer", "leader", "admin"), "导入单位年度报告")
    if any(r.problems for r in reports):
        raise UnitReportsRefused(reports)
    if not reports:
        return 0
    user = getattr(actor, "username", str(actor or ""))
    with write_transaction():
        for r in reports:
            unit = Unit.get_or_none(Unit.name == r.unit_name)
            (UnitReport.insert(year=r.year, unit_name=r.unit_name, unit=unit, data=r.data,
                               source_file=r.display, sha256=r.sha256, imported_at=utcnow(), imported_by=user)
             .on_conflict(conflict_target=[UnitReport.year, UnitReport.unit_name],
                          update={UnitReport.data: r.data, UnitReport.source_file: r.display,
                                  UnitReport.sha256: r.sha256, UnitReport.unit: unit,
                                  UnitReport.imported_at: utcnow(), UnitReport.imported_by: user})
             .execute())
            if on_saved is not None:
                on_saved(r, unit.id if unit is not None else None)
        audit.record("unit_reports.import", user=user,
                     summary=f"导入{len(reports)}个单位的年度报告（{'、'.join(sorted({str(r.year) for r in reports}))}年度）",
                     details={"units": [r.unit_name for r in reports], "files": [r.display for r in reports]})
        changes.note("reports")
    return len(reports)


def stored(year: int) -> list[dict]:
    from gkdesk.db.annual_models import UnitReport

    return [{"unit": r.unit_name, "file": r.source_file, "imported_at": r.imported_at, "data": r.data}
            for r in UnitReport.select().where(UnitReport.year == year).order_by(UnitReport.unit_name)]


def sum_to_xlsx(reports: list[UnitReportFile], path: str | os.PathLike, *, office: str = "") -> Path:
    """The county's tables summed from checked reports, in the official xlsx layout."""
    from gkdesk.fileio import atomic_path
    from gkdesk.reports import annual_xlsx

    if any(r.problems for r in reports):
        raise UnitReportsRefused(reports)
    years = {r.year for r in reports}
    if len(years) != 1:
        raise ValidationError("汇总的单位年度报告应为同一年度，现有：" + "、".join(str(y) for y in sorted(years, key=str)),
                              "年度")
    year = years.pop()
    data = {"year": year, "office": f"{office}（汇总{len(reports)}个单位）", **total([r.data for r in reports])}
    wb = annual_xlsx.build_workbook(data)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)

