"""The annual report (政府信息公开工作年度报告): tables 三 and 四 computed from the cases,
table 二 typed in (``ReportInput``), and the reconciliation check that guards export.

Counting rules (docs/domain/annual-report.md), held here once and printed with the
report (``COUNTING_NOTES``):

- 一、本年新收: cases whose first date of receipt (``Case.received_date``, never moved by a
  correction) falls in the year;
- 二、上年结转: cases received before the year without a reply on 1 January;
- 三、本年度办理结果: cases whose reply date falls in the year, each in its outcome's row;
- 四、结转下年度继续办理: cases received by 31 December without a reply by then;
- the column is the applicant's kind at registration.
So 一 + 二 = 三（七） + 四 in every column; ``check`` names every case that would break it.

Table 四: proceedings filed in the year, classified by their result as at 31 December
(尚未审结 when there is none yet, or it came after 31 December).

Every count is a SQL ``GROUP BY`` (no Python loop over cases), so a year of 100,000 cases
costs a handful of index scans. No personal data enters any table.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import peewee as pw

from gkdesk import audit, changes
from gkdesk.db import write_transaction
from gkdesk.db.models import Case, Proceeding, ReportInput
from gkdesk.domain import outcomes, terms
from gkdesk.errors import ValidationError

# ------------------------------------------------------------------ table 三: labels

NATURAL_COLUMN = terms.APPLICANT_KINDS["natural"].label
ORG_COLUMNS = tuple(terms.APPLICANT_KINDS[k].label for k in terms.ORGANISATION_KINDS)
TOTAL_COLUMN = "总计"
TABLE3_COLUMNS = (NATURAL_COLUMN, *ORG_COLUMNS, TOTAL_COLUMN)
KIND_COLUMN = {code: t.label for code, t in terms.APPLICANT_KINDS.items()}
COLUMN_KINDS = {label: code for code, label in KIND_COLUMN.items()}

HEADER_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
HEADER_APPLICANTS = "申请人情况"
HEADER_ORGANISATIONS = "法人或其他组织"

ROW_NEW = "一、本年新收政府信息公开申请数量"
ROW_CARRIED_IN = "二、上年结转政府信息公开申请数量"
RESULTS_HEADING = "三、本年度办理结果"
ROW_TOTAL = "（七）总计"
ROW_CARRIED_OUT = "四、结转下年度继续办理"
RESULT_KEYS = tuple(outcomes.table3_result_keys())
TABLE3_KEYS = (ROW_NEW, ROW_CARRIED_IN, *RESULT_KEYS, ROW_TOTAL, ROW_CARRIED_OUT)

TABLE3_TITLE = "三、收到和处理政府信息公开申请情况"
TABLE4_TITLE = "四、政府信息公开行政复议、行政诉讼情况"
TABLE2_TITLE = "二、主动公开政府信息情况"

# ------------------------------------------------------------------ table 四: labels

RECONSIDERATION = terms.PROCEEDING_KINDS["reconsideration"].label          # 行政复议
LITIGATION = "行政诉讼"
TABLE4_KEYS = tuple(t.label for t in terms.PROCEEDING_KINDS.values())
KIND_KEY4 = {code: t.label for code, t in terms.PROCEEDING_KINDS.items()}
RESULT_COLUMN4 = {code: t.label for code, t in terms.PROCEEDING_RESULTS.items()}
PENDING_COLUMN = terms.PROCEEDING_PENDING_LABEL
TABLE4_COLUMNS = (*RESULT_COLUMN4.values(), PENDING_COLUMN, TOTAL_COLUMN)

COUNTING_NOTES = (
    "统计口径：“本年新收”按首次收到申请之日（补正不改变）所在年度计；"
    "“上年结转”为上年及以前收到、1月1日前尚未答复的申请；"
    "“本年度办理结果”按答复日期在本年度的申请，每件只计其办理结果一栏"
    "（区分处理的只计“部分公开”）；“结转下年度继续办理”为12月31日前收到、当日尚未答复的申请；"
    "申请人类型以登记时为准。",
    "行政复议、行政诉讼按本年度提起的案件计，结果以12月31日的状态为准，届时尚无结果的计入“尚未审结”。",
)


@dataclass(frozen=True)
class LayoutRow:
    """One numeric row of table 三 as the official format prints it.

    ``section`` is the label of the first label column (一、二、三、四); ``group`` the
    heading of a group with sub-rows ((三)…(六)) or None; ``label`` the text printed in the
    innermost label cell. Consecutive equal sections/groups are merged cells."""

    key: str
    section: str
    group: str | None
    label: str


def table3_layout() -> list[LayoutRow]:
    rows = [LayoutRow(ROW_NEW, ROW_NEW, None, ROW_NEW),
            LayoutRow(ROW_CARRIED_IN, ROW_CARRIED_IN, None, ROW_CARRIED_IN)]
    for key in RESULT_KEYS:
        if "/" in key:
            group, sub = key.split("/", 1)
            rows.append(LayoutRow(key, RESULTS_HEADING, group, sub))
        else:
            label = outcomes.PARTIAL_ROW_FULL_LABEL if key == outcomes.GROUPS["partial"] else key
            rows.append(LayoutRow(key, RESULTS_HEADING, None, label))
    rows.append(LayoutRow(ROW_TOTAL, RESULTS_HEADING, None, ROW_TOTAL))
    rows.append(LayoutRow(ROW_CARRIED_OUT, ROW_CARRIED_OUT, None, ROW_CARRIED_OUT))
    return rows


# ------------------------------------------------------------------ table 二 (typed in)

@dataclass(frozen=True)
class Table2Section:
    heading: str                 # 第二十条第（一）项
    columns: tuple[str, ...]
    rows: tuple[str, ...]
    kind: str = "count"          # count: whole numbers ≥ 0; amount: 万元, ≥ 0, 4 decimals


# The national format of 国办公开办函〔2021〕30号, part 二 (主动公开政府信息情况).
# (The 2019 format's 上一年项目数量/本年增减 columns were dropped by the 2021 format.)
TABLE2: tuple[Table2Section, ...] = (
    Table2Section("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"),
                  ("规章", "行政规范性文件")),
    Table2Section("第二十条第（五）项", ("本年处理决定数量",), ("行政许可",)),
    Table2Section("第二十条第（六）项", ("本年处理决定数量",), ("行政处罚", "行政强制")),
    Table2Section("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("行政事业性收费",), "amount"),
)
TABLE2_CONTENT_HEADER = "信息内容"
_T2_PREFIX = "table2/"


def table2_cells() -> list[tuple[Table2Section, str, str]]:
    """Every input cell of table 二 as (section, row, column), in print order."""
    return [(s, r, c) for s in TABLE2 for r in s.rows for c in s.columns]


def table2_key(row: str, column: str) -> str:
    return f"{row}/{column}"


def table2(year: int) -> dict[str, dict[str, int | float | None]]:
    """{row: {column: value or None (not entered)}} for ``year``."""
    stored = {r.key[len(_T2_PREFIX):]: r.value for r in
              ReportInput.select().where(ReportInput.year == year, ReportInput.key.startswith(_T2_PREFIX))}
    out: dict[str, dict] = {}
    for _s, row, col in table2_cells():
        out.setdefault(row, {})[col] = stored.get(table2_key(row, col))
    return out


def _parse_table2_value(section: Table2Section, row: str, col: str, value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    where = f"表二“{row}—{col}”"
    text = str(value).strip().replace(",", "").replace("，", "")
    if section.kind == "count":
        try:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            n = int(float(text)) if isinstance(value, float) else int(text)
        except ValueError:
            raise ValidationError(f"{where}：应填写整数件数，现为“{value}”", where) from None
        if n < 0:
            raise ValidationError(f"{where}：件数不能为负数", where)
        return n
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"{where}：应填写金额（万元），现为“{value}”", where) from None
    if not d.is_finite() or d < 0:
        raise ValidationError(f"{where}：金额不能为负数", where)
    d = d.quantize(Decimal("0.0001"))
    return int(d) if d == d.to_integral_value() else float(d)


# Who may type in table 二 (the reports page disables it for others).
TABLE2_ROLES = ("clerk", "reviewer", "leader", "admin")


def save_table2(year: int, values: dict, actor) -> dict:
    """Store the typed figures of table 二 (keys ``"row/column"`` or (row, column)); a blank
    value clears the cell. All are checked first; one transaction; one audit event."""
    from gkdesk.actors import require
    from gkdesk.auth import actor_of

    actor = actor_of(actor)
    require(actor, TABLE2_ROLES, "录入年度报告表二")
    cells = {table2_key(r, c): (s, r, c) for s, r, c in table2_cells()}
    parsed: dict[str, object] = {}
    problems: list[str] = []
    for k, v in values.items():
        key = table2_key(*k) if isinstance(k, tuple) else k
        if key not in cells:
            problems.append(f"表二：没有“{key}”这一栏")
            continue
        try:
            parsed[key] = _parse_table2_value(*cells[key], v)
        except ValidationError as exc:
            problems.append(exc.message)
    if problems:
        raise ValidationError("；".join(problems), "表二", problems)
    if not 1990 <= int(year) <= 2200:
        raise ValidationError(f"年度：{year} 不是有效的年度", "年度")
    before = {table2_key(r, c): v for r, cols in table2(year).items() for c, v in cols.items()}
    changed = {k: [before.get(k), v] for k, v in parsed.items() if before.get(k) != v}
    if not changed:
        return {}
    with write_transaction():
        for key, v in parsed.items():
            if key not in changed:
                continue
            full = _T2_PREFIX + key
            if v is None:
                ReportInput.delete().where(ReportInput.year == year, ReportInput.key == full).execute()
            else:
                (ReportInput.insert(year=year, key=full, value=v)
                 .on_conflict(conflict_target=[ReportInput.year, ReportInput.key],
                              update={ReportInput.value: v})
                 .execute())
        changes.note("reports", "register")
        audit.record("report_input", user=actor.username,
                     summary=f"录入{year}年度报告表二（{len(changed)}项）", details={"year": year, "changed": changed})
    return changed


# ------------------------------------------------------------------ conditions

def _bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _row_condition(year: int, key: str):
    """The WHERE clause selecting the cases one row of table 三 counts."""
    a, b = _bounds(year)
    if key == ROW_NEW:
        return Case.received_date.between(a, b)
    if key == ROW_CARRIED_IN:
        return (Case.received_date < a) & (Case.reply_date.is_null() | (Case.reply_date >= a))
    if key == ROW_CARRIED_OUT:
        return (Case.received_date <= b) & (Case.reply_date.is_null() | (Case.reply_date > b))
    replied = Case.reply_date.between(a, b)
    if key == ROW_TOTAL:
        return replied & Case.outcome.in_(list(outcomes.OUTCOMES))
    codes = [c for c, o in outcomes.OUTCOMES.items() if o.report_key == key]
    if not codes:
        raise KeyError(f"表三没有“{key}”这一行")
    return replied & Case.outcome.in_(codes)


def _column_condition(column: str):
    if column == TOTAL_COLUMN:
        return Case.applicant_kind.in_(list(KIND_COLUMN))
    kind = COLUMN_KINDS.get(column)
    if kind is None:
        raise KeyError(f"表三没有“{column}”这一列")
    return Case.applicant_kind == kind


def _empty_row() -> dict[str, int]:
    return {c: 0 for c in TABLE3_COLUMNS}


def _finish_row(row: dict[str, int]) -> dict[str, int]:
    row[TOTAL_COLUMN] = sum(row[c] for c in TABLE3_COLUMNS if c != TOTAL_COLUMN)
    return row


def _counts_by_kind(where) -> dict[str, int]:
    row = _empty_row()
    q = (Case.select(Case.applicant_kind, pw.fn.COUNT(Case.id))
         .where(where).group_by(Case.applicant_kind).tuples())
    for kind, n in q:
        col = KIND_COLUMN.get(kind)
        if col:
            row[col] += n
    return _finish_row(row)


# ------------------------------------------------------------------ table 三

def table3(year: int) -> dict[str, dict[str, int]]:
    """Table 三 of ``year``: the 25 keys of the format, each with all 7 columns."""
    a, b = _bounds(year)
    out = {key: _empty_row() for key in TABLE3_KEYS}
    out[ROW_NEW] = _counts_by_kind(_row_condition(year, ROW_NEW))
    out[ROW_CARRIED_IN] = _counts_by_kind(_row_condition(year, ROW_CARRIED_IN))
    out[ROW_CARRIED_OUT] = _counts_by_kind(_row_condition(year, ROW_CARRIED_OUT))
    q = (Case.select(Case.outcome, Case.applicant_kind, pw.fn.COUNT(Case.id))
         .where(Case.reply_date.between(a, b), Case.outcome.is_null(False))
         .group_by(Case.outcome, Case.applicant_kind).tuples())
    for code, kind, n in q:
        o = outcomes.OUTCOMES.get(code)
        col = KIND_COLUMN.get(kind)
        if o is None or col is None:
            continue  # reported by check()
        out[o.report_key][col] += n
    for key in RESULT_KEYS:
        _finish_row(out[key])
    total = out[ROW_TOTAL]
    for key in RESULT_KEYS:
        for col in TABLE3_COLUMNS:
            total[col] += out[key][col]
    return out


# ------------------------------------------------------------------ table 四

def _proceeding_concluded(year: int):
    _a, b = _bounds(year)
    return Proceeding.result.is_null(False) & (Proceeding.result_date.is_null() | (Proceeding.result_date <= b))


def table4(year: int) -> dict[str, dict[str, int]]:
    """Table 四 of ``year``: three groups of 结果维持/结果纠正/其他结果/尚未审结/总计."""
    a, b = _bounds(year)
    out = {key: {c: 0 for c in TABLE4_COLUMNS} for key in TABLE4_KEYS}
    concluded = pw.Case(None, [(_proceeding_concluded(year), 1)], 0)
    q = (Proceeding.select(Proceeding.kind, Proceeding.result, concluded.alias("done"),
                           pw.fn.COUNT(Proceeding.id))
         .where(Proceeding.filed_date.between(a, b))
         .group_by(Proceeding.kind, Proceeding.result, concluded).tuples())
    for kind, result, done, n in q:
        key = KIND_KEY4.get(kind)
        if key is None:
            continue  # reported by check()
        if done and result in RESULT_COLUMN4:
            out[key][RESULT_COLUMN4[result]] += n
        elif not done:
            out[key][PENDING_COLUMN] += n
        else:
            continue  # unknown result code: reported by check()
    for row in out.values():
        row[TOTAL_COLUMN] = sum(v for c, v in row.items() if c != TOTAL_COLUMN)
    return out


def report(year: int) -> dict:
    """The JSON of ``gkdesk annual-report --json`` (shape of annual-report.md)."""
    return {"year": year, "table3": table3(year), "table4": table4(year)}


# ------------------------------------------------------------------ drill-down

def cases_in(year: int, row_key: str, column: str = TOTAL_COLUMN) -> list[int]:
    """Ids of the cases counted in one number of table 三 (or 四: row = group key, column =
    result column), ordered by date of receipt."""
    if row_key in TABLE4_KEYS:
        return proceeding_cases_in(year, row_key, column)
    if row_key == ROW_TOTAL:
        cond = _row_condition(year, ROW_TOTAL)
    else:
        cond = _row_condition(year, row_key)
    q = (Case.select(Case.id).where(cond & _column_condition(column))
         .order_by(Case.received_date, Case.id).tuples())
    return [r[0] for r in q]


def proceeding_cases_in(year: int, group_key: str, column: str = TOTAL_COLUMN) -> list[int]:
    a, _b = _bounds(year)
    kind = {v: k for k, v in KIND_KEY4.items()}.get(group_key)
    if kind is None:
        raise KeyError(f"表四没有“{group_key}”这一组")
    cond = (Proceeding.kind == kind) & Proceeding.filed_date.between(a, _b)
    if column == PENDING_COLUMN:
        cond &= ~_proceeding_concluded(year)
    elif column != TOTAL_COLUMN:
        result = {v: k for k, v in RESULT_COLUMN4.items()}.get(column)
        if result is None:
            raise KeyError(f"表四没有“{column}”这一列")
        cond &= _proceeding_concluded(year) & (Proceeding.result == result)
    q = (Proceeding.select(Proceeding.case).join(Case).where(cond)
         .order_by(Case.received_date, Case.id).tuples())
    return list(dict.fromkeys(cid for (cid,) in q))


# ------------------------------------------------------------------ the check

@dataclass(frozen=True)
class Problem:
    """One thing that stops the report from adding up, naming the case at fault."""

    message: str
    case_id: int | None = None
    case_number: str = ""

    def __str__(self) -> str:
        return self.message


def _relevant(year: int):
    """Cases that count anywhere in the year's table 三."""
    a, b = _bounds(year)
    return (((Case.received_date <= b) & (Case.reply_date.is_null() | (Case.reply_date >= a)))
            | Case.reply_date.between(a, b))


def check(year: int, tables: dict | None = None) -> list[Problem]:
    """Everything that would make the year's tables wrong: cases replied without an outcome,
    outcomes without a reply date, replies dated before receipt, unknown codes, proceedings
    with a result but no date… and, as a safety net, 一 + 二 = 三（七） + 四 per column."""
    a, b = _bounds(year)
    problems: list[Problem] = []
    fields = (Case.id, Case.number, Case.applicant_kind, Case.outcome, Case.received_date, Case.reply_date)
    rel = _relevant(year)
    known_outcomes = list(outcomes.OUTCOMES)

    def add(c, text):
        problems.append(Problem(f"案件{c.number}：{text}", c.id, c.number))

    q = Case.select(*fields).where(rel & Case.reply_date.between(a, b)
                                   & (Case.outcome.is_null() | Case.outcome.not_in(known_outcomes)))
    for c in q.order_by(Case.year, Case.serial, Case.id):
        if c.outcome is None or c.outcome == "":
            add(c, f"已有答复日期{c.reply_date.isoformat()}，但未选择办理结果，无法计入“本年度办理结果”"
                   "——请补选办理结果")
        else:
            add(c, f"办理结果代码“{c.outcome}”无法识别——请重新选择办理结果")
    q = Case.select(*fields).where(rel & Case.reply_date.is_null() & Case.outcome.is_null(False)
                                   & (Case.outcome != ""))
    for c in q.order_by(Case.year, Case.serial, Case.id):
        label = outcomes.OUTCOMES[c.outcome].label if c.outcome in outcomes.OUTCOMES else c.outcome
        add(c, f"已选择办理结果“{label}”，但没有答复日期（现计入结转）——请补填答复日期或撤销办理结果")
    q = Case.select(*fields).where(rel & Case.reply_date.is_null(False) & (Case.reply_date < Case.received_date))
    for c in q.order_by(Case.year, Case.serial, Case.id):
        add(c, f"答复日期{c.reply_date.isoformat()}早于收到申请日期{c.received_date.isoformat()}——请核对日期")
    q = Case.select(*fields).where(rel & Case.applicant_kind.not_in(list(KIND_COLUMN)))
    for c in q.order_by(Case.year, Case.serial, Case.id):
        add(c, f"申请人类型“{c.applicant_kind}”无法识别，无法计入任何一列——请重新选择申请人类型")

    pq = (Proceeding.select(Proceeding, Case.id, Case.number).join(Case)
          .where(Proceeding.filed_date.between(a, b)).order_by(Case.year, Case.serial, Proceeding.id))
    for p in pq:
        c = p.case
        what = KIND_KEY4.get(p.kind, "行政复议/诉讼")
        if p.kind not in KIND_KEY4:
            add(c, f"{p.filed_date.isoformat()}提起的{what}类型“{p.kind}”无法识别")
        if p.result is not None and p.result not in RESULT_COLUMN4:
            add(c, f"{p.filed_date.isoformat()}提起的{what}结果代码“{p.result}”无法识别")
        if p.result is not None and p.result_date is None:
            add(c, f"{p.filed_date.isoformat()}提起的{what}已有结果，但没有结果日期——请补填，以确定是否在年底前审结")
        if p.result is None and p.result_date is not None:
            add(c, f"{p.filed_date.isoformat()}提起的{what}填了结果日期，但没有结果——请补填结果")
        if p.result_date is not None and p.result_date < p.filed_date:
            add(c, f"{p.filed_date.isoformat()}提起的{what}结果日期{p.result_date.isoformat()}早于提起日期")

    t = tables if tables is not None else table3(year)
    for col in TABLE3_COLUMNS:
        left = t[ROW_NEW][col] + t[ROW_CARRIED_IN][col]
        right = t[ROW_TOTAL][col] + t[ROW_CARRIED_OUT][col]
        if left != right:
            problems.append(Problem(
                f"勾稽关系不符（{col}）：第一项{t[ROW_NEW][col]}＋第二项{t[ROW_CARRIED_IN][col]}＝{left}，"
                f"第三项（七）{t[ROW_TOTAL][col]}＋第四项{t[ROW_CARRIED_OUT][col]}＝{right}"))
    return problems
