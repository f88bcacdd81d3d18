"""The case ledger (台账): export any period to xlsx, import a legacy ledger.

Columns are exactly those of docs/domain/ledger.md (``COLUMNS``). Export streams rows
(XlsxWriter in constant-memory mode: 100,000 rows ~3x faster than openpyxl's write-only
mode), so 100,000 cases do not sit in memory; text is always text, dates are real Excel
dates shown as yyyy-mm-dd. Import reads with python-calamine (``xlsx_rows``) and writes all
new cases in one transaction by executemany.

Import is all-or-nothing: the whole file is read and checked first, every problem listed
as 「第N行，X列（表头）：问题」; only a file without problems is written, in ONE
transaction, with one audit event per case. Header order is free, unknown columns are
ignored with a warning; formulas are refused (never evaluated); rows whose 受理编号 is
already in the database are left alone, so importing the same file twice changes nothing
the second time.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import peewee as pw

from gkdesk import audit, validation, xlsxkit, xlsxstyle
from gkdesk import creator as gkdesk_creator
from gkdesk.actors import Actor, require
from gkdesk.cases import deadlines, numbering, registry
from gkdesk.db import write_transaction
from gkdesk.db.bulk import bulk_insert
from gkdesk.db.models import Case, Consultation, Correction, Extension, NumberSequence, db, utcnow
from gkdesk.domain import outcomes, rules, terms
from gkdesk.errors import ImportError_, ValidationError
from gkdesk.fileio import atomic_path
from gkdesk.reports import Cancelled, xlsx_rows


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = False
    kind: str = "text"          # text / date / choice / outcome
    max_len: int = 200


COLUMNS: tuple[Column, ...] = (
    Column("受理编号", True, max_len=64),
    Column("申请人类型", True, "choice"),
    Column("申请人", True, max_len=200),
    Column("证件类型", False, "choice"),
    Column("证件号码", False, max_len=64),
    Column("联系电话", False, max_len=64),
    Column("通讯地址", False, max_len=300),
    Column("电子邮箱", False, max_len=200),
    Column("申请内容", True, max_len=10000),
    Column("申请渠道", False, "choice"),
    Column("收到申请日期", True, "date"),
    Column("补正告知日期", False, "date"),
    Column("补正收到日期", False, "date"),
    Column("征求意见开始日期", False, "date"),
    Column("征求意见结束日期", False, "date"),
    Column("延期告知日期", False, "date"),
    Column("答复期限", False, "date"),
    Column("答复日期", False, "date"),
    Column("答复文号", False, max_len=64),
    Column("办理结果", False, "outcome"),
    Column("送达方式", False, "choice"),
    Column("送达日期", False, "date"),
    Column("归档日期", False, "date"),
    Column("承办股室", False, max_len=100),
    Column("承办人", False, max_len=64),
    Column("备注", False, max_len=2000),
)
HEADERS = tuple(c.header for c in COLUMNS)
BY_HEADER = {c.header: c for c in COLUMNS}
CHOICES = {
    "申请人类型": terms.APPLICANT_KINDS,
    "证件类型": terms.ID_TYPES,
    "申请渠道": terms.CHANNELS,
    "送达方式": terms.DELIVERY_METHODS,
}
# The ledger lists these document types; 无 (none) is written as a blank cell.
LEDGER_ID_TYPES = ("resident_id", "uscc", "passport", "other")

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024   # a 200,000-row ledger unpacks to a few hundred MB
MAX_ROWS = 200_000
MAX_COLUMNS = 200
IMPORT_NOTE = "（台账导入）"


def _tick(progress, cancelled, done, total):
    if cancelled is not None and cancelled():
        raise Cancelled("已取消，未作任何改动")
    if progress is not None:
        progress(done, total)


# ------------------------------------------------------------------ export

def _period_condition(date_from: dt.date | None, date_to: dt.date | None, where=None):
    cond = Case.id.is_null(False) if where is None else where
    if date_from:
        cond &= Case.received_date >= date_from
    if date_to:
        cond &= Case.received_date <= date_to
    return cond


def _side_tables(cond) -> tuple[dict, dict, dict]:
    """Per case id: (correction notice, corrected received), (consultation start, end),
    extension notice — one query each, for the cases of the period."""
    corr: dict[int, list] = {}
    q = (Correction.select(Correction.case, Correction.notice_date, Correction.received_date)
         .join(Case).where(cond).order_by(Correction.notice_date, Correction.id).tuples())
    for cid, notice, received in q:
        if cid not in corr:                      # one correction by law; the first counts
            corr[cid] = [notice, received]
    cons: dict[int, list] = {}
    q = (Consultation.select(Consultation.case, Consultation.sent_date, Consultation.answer_date)
         .join(Case).where(cond).order_by(Consultation.sent_date, Consultation.id).tuples())
    for cid, sent, answered in q:
        cur = cons.get(cid)
        if cur is None:
            cons[cid] = [sent, answered, answered is None]
        else:
            cur[2] = cur[2] or answered is None
            if answered and (cur[1] is None or answered > cur[1]):
                cur[1] = answered
    for cur in cons.values():
        if cur[2]:
            cur[1] = None                        # a consultation still open: no end yet
    ext: dict[int, dt.date] = {}
    q = (Extension.select(Extension.case, pw.fn.MIN(Extension.notice_date)).join(Case).where(cond)
         .group_by(Extension.case).tuples())
    for cid, notice in q:
        ext[cid] = notice if isinstance(notice, dt.date) else dt.date.fromisoformat(str(notice))
    return corr, cons, ext


def _label(table, code):
    return terms.label_of(table, code) or None


def ledger_rows(date_from: dt.date | None = None, date_to: dt.date | None = None, *, full_personal: bool = False,
                where=None):
    """Yield each case of the period as a tuple in ``HEADERS`` order (None = blank).
    ID and phone numbers are masked unless ``full_personal``."""
    from gkdesk.validation import mask_id, mask_phone

    show_id = (lambda x: x) if full_personal else mask_id
    show_phone = (lambda x: x) if full_personal else mask_phone
    cond = _period_condition(date_from, date_to, where)
    corr, cons, ext = _side_tables(cond)
    fields = (Case.id, Case.number, Case.applicant_kind, Case.applicant_name, Case.id_type, Case.id_number,
              Case.phone, Case.address, Case.email, Case.content, Case.channel, Case.received_date,
              Case.due_date, Case.reply_date, Case.reply_number, Case.outcome, Case.delivery_method,
              Case.delivery_date, Case.archive_date, Case.section, Case.handler, Case.note)
    q = (Case.select(*fields).where(cond)
         .order_by(Case.received_date, Case.year, Case.serial, Case.id).namedtuples())
    for c in q.iterator():
        co = corr.get(c.id, (None, None))
        cs = cons.get(c.id, (None, None))
        o = outcomes.OUTCOMES.get(c.outcome) if c.outcome else None
        id_type = c.id_type if c.id_type in LEDGER_ID_TYPES else None
        yield (
            c.number, _label(terms.APPLICANT_KINDS, c.applicant_kind), c.applicant_name,
            _label(terms.ID_TYPES, id_type) if id_type else None, show_id(c.id_number) or None,
            show_phone(c.phone) or None, c.address or None, c.email or None, c.content,
            _label(terms.CHANNELS, c.channel), c.received_date, co[0], co[1], cs[0], cs[1],
            ext.get(c.id), c.due_date, c.reply_date, c.reply_number or None,
            o.label if o else (c.outcome or None), _label(terms.DELIVERY_METHODS, c.delivery_method),
            c.delivery_date, c.archive_date, c.section or None, c.handler or None, c.note or None,
        )


def count_period(date_from: dt.date | None = None, date_to: dt.date | None = None, where=None) -> int:
    return Case.select(Case.id).where(_period_condition(date_from, date_to, where)).count()


_WIDTHS = {"受理编号": 18, "申请人": 18, "证件号码": 21, "联系电话": 14, "通讯地址": 28, "电子邮箱": 22,
           "申请内容": 40, "答复文号": 20, "办理结果": 26, "承办股室": 12, "备注": 24}


def open_xlsx_writer(path):
    """An XlsxWriter workbook streaming rows to ``path`` (constant memory): text is always
    written as text (never read as a formula, number or link), dates as yyyy-mm-dd."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
        "strings_to_urls": False, "default_date_format": xlsxstyle.DATE_FORMAT, "tmpdir": str(Path(path).parent)})
    wb.set_properties({"author": gkdesk_creator()})
    return wb


def export_ledger(path: str | os.PathLike, date_from: dt.date | None = None, date_to: dt.date | None = None,
                  *, progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None, personal_for: Actor | None = None,
                  where=None) -> int:
    """Write the ledger of cases received in [date_from, date_to] (either open) to ``path``;
    returns the number of rows written (not counting the header). ``where``: a condition on
    ``Case`` narrowing the cases (a selection of the case list).

    ID and phone numbers are masked (``110105********1234``). ``personal_for``: an actor
    whose roles may see personal data asks for them in full; refused otherwise, and the
    export is recorded in the audit trail as a viewing of personal data."""
    if date_from and date_to and date_to < date_from:
        raise ValidationError("导出期间：结束日期早于开始日期", "导出期间")
    if personal_for is not None:
        from gkdesk.privacy import VIEW_ROLES

        require(personal_for, tuple(VIEW_ROLES), "导出完整的证件号码和联系电话")
    total = count_period(date_from, date_to, where)
    n = 0
    _tick(progress, cancelled, 0, total)
    with atomic_path(path, private=personal_for is not None) as tmp:   # full ID numbers: owner only
        wb = open_xlsx_writer(tmp)          # on cancel or error it is dropped, tmp removed
        ws = wb.add_worksheet("台账")
        for i, h in enumerate(HEADERS):
            ws.set_column(i, i, _WIDTHS.get(h, 13 if BY_HEADER[h].kind == "date" else 12))
        ws.freeze_panes(1, 1)                                  # B2
        head = wb.add_format(xlsxstyle.xlsxwriter_format(xlsxstyle.HEADER))
        ws.write_row(0, 0, HEADERS, head)
        write_row = ws.write_row
        for row in ledger_rows(date_from, date_to, full_personal=personal_for is not None, where=where):
            n += 1
            write_row(n, 0, row)          # text as text (never a formula or link), dates as dates
            if n % 2000 == 0:
                _tick(progress, cancelled, n, total)
        wb.close()
    if personal_for is not None:
        with write_transaction():
            audit.record("privacy.export", user=personal_for.username,
                         summary=f"查看个人信息：导出含完整证件号码和联系电话的台账（{n}件）",
                         details={"file": str(path), "from": date_from, "to": date_to, "rows": n})
    _tick(progress, None, n, total)
    return n


# ------------------------------------------------------------------ import: reading

@dataclass
class LedgerRow:
    row: int                    # the Excel row number
    values: dict                # clean values by header


@dataclass
class ParsedLedger:
    path: Path
    rows: list[LedgerRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # header → 0-based column index


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    numbers: list[str] = field(default_factory=list)     # case numbers created
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"新建案件 {self.created} 件"
        if self.unchanged:
            text += f"，受理编号已存在未改动 {self.unchanged} 件"
        return text


_DATE_RES = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def _col_letter(idx: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(idx + 1)


def _where(row: int, idx: int, header: str) -> str:
    return f"第{row}行，{_col_letter(idx)}列（{header}）"


def parse_date(value) -> dt.date:
    """A real Excel date, or text YYYY-MM-DD (also YYYY/M/D, YYYY.M.D, YYYY年M月D日)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer():
            value = int(value)            # 45000, as either reader gives it
        raise ValueError(f"“{value}”是数字而不是日期，请把单元格设为日期格式或写成YYYY-MM-DD")
    text = validation.normalise(str(value)).replace(" ", "")
    for rx in _DATE_RES:
        m = rx.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise ValueError(f"“{value}”不是有效的日期") from None
    raise ValueError(f"“{value}”不是日期，应写成YYYY-MM-DD")


def _key(text: str) -> str:
    """Labels compared without width differences or spaces (（） vs (), 全角 vs 半角)."""
    return re.sub(r"\s+", "", validation.normalise(text))


_CHOICE_LOOKUP = {h: {_key(t.label): code for code, t in reversed(list(table.items()))}
                  for h, table in CHOICES.items()}
# key of LedgerRow.values: every outcome an ambiguous legacy 办理结果 label may stand for
_OUTCOME_ALSO = "办理结果（旧写法）"
# label (compared by _key) → the outcome codes it may stand for; legacy labels of earlier
# releases may stand for several (outcomes.LEGACY_LABELS), the first is what an import creates
_OUTCOME_LOOKUP: dict[str, tuple[str, ...]] = {
    _key(label): outcomes.outcomes_for_label(label)
    for label in [o.label for o in outcomes.OUTCOMES.values()] + list(outcomes.LEGACY_LABELS)}


_CHOICE_SEEN: dict[tuple[str, str], str | None] = {}


def _choice_code(header: str, text: str) -> str | None:
    """The code of a choice column's label (a ledger repeats a few labels 100,000 times)."""
    k = (header, text)
    if k not in _CHOICE_SEEN:
        if len(_CHOICE_SEEN) > 10_000:
            _CHOICE_SEEN.clear()
        _CHOICE_SEEN[k] = _CHOICE_LOOKUP[header].get(_key(text))
    return _CHOICE_SEEN[k]


def _norm_header(value) -> str:
    if value is None:
        return ""
    return re.sub(r"\s+", "", validation.normalise(str(value))).lstrip("*＊")


def read_ledger(path: str | os.PathLike, *, today: dt.date | None = None,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> ParsedLedger:
    """Read and check a ledger file without touching the database's cases."""
    path = Path(path)
    parsed = ParsedLedger(path)
    if not path.is_file():
        raise ImportError_(f"找不到文件“{path}”")
    # the one safe opener's checks, as the Annex import: size, old/renamed formats, zip test, zip bomb
    xlsxkit.check_container(path, f"台账“{path.name}”",
                            xlsxkit.Limits(MAX_FILE_BYTES, MAX_UNZIPPED_BYTES, "", "请分成几个文件导入"))
    try:
        sheet = xlsx_rows.read_rows(path)
    except Exception as exc:  # noqa: BLE001 - both readers raise many kinds on damaged files
        raise ImportError_(f"无法读取“{path.name}”：不是有效的 .xlsx 文件（{exc}）") from None
    try:
        if sheet.others:
            parsed.warnings.append(f"文件有 {len(sheet.others) + 1} 个工作表，只读取第一个“{sheet.title}”")
        total = sheet.max_row
        if total - 1 > MAX_ROWS:
            raise ImportError_(f"“{path.name}”有 {total - 1} 行，超过台账导入上限 {MAX_ROWS} 行，请分成几个文件导入")
        rows = sheet.rows
        try:
            _r, head, head_formulas = next(rows)
        except StopIteration:
            raise ImportError_(f"“{path.name}”是空的：第一行应为表头（受理编号、申请人类型……）") from None
        if len(head) > MAX_COLUMNS:
            raise ImportError_(f"“{path.name}”有 {len(head)} 列，超过上限 {MAX_COLUMNS} 列")
        _read_header(parsed, head, head_formulas)
        if parsed.problems:
            return parsed
        today = today or deadlines.today()
        seen: dict[str, int] = {}
        for r, values, formulas in rows:
            if r - 1 > MAX_ROWS:
                raise ImportError_(f"“{path.name}”超过台账导入上限 {MAX_ROWS} 行，请分成几个文件导入")
            if all(x is None or (isinstance(x, str) and not x.strip()) for x in values):
                continue
            lr = _read_row(parsed, r, values, formulas, today)
            if lr is not None:
                num = lr.values.get("受理编号")
                if num:
                    if num in seen:
                        idx = parsed.columns["受理编号"]
                        parsed.problems.append(f"{_where(r, idx, '受理编号')}：“{num}”与第{seen[num]}行重复")
                    else:
                        seen[num] = r
                parsed.rows.append(lr)
            if r % 1000 == 0:
                _tick(progress, cancelled, r, total)
    finally:
        sheet.close()
    if not parsed.rows and not parsed.problems:
        parsed.warnings.append("文件中没有数据行")
    return parsed


def _read_header(parsed: ParsedLedger, head: tuple, formulas: frozenset) -> None:
    for idx, value in enumerate(head):
        if idx in formulas:
            parsed.problems.append(f"第1行，{_col_letter(idx)}列：表头是公式，请改为文字")
            continue
        name = _norm_header(value)
        if not name:
            continue
        if name in BY_HEADER:
            if name in parsed.columns:
                parsed.problems.append(
                    f"第1行，{_col_letter(idx)}列：表头“{name}”与{_col_letter(parsed.columns[name])}列重复")
            else:
                parsed.columns[name] = idx
        else:
            parsed.warnings.append(f"第1行，{_col_letter(idx)}列：未知的列“{name}”，已忽略")
    missing = [c.header for c in COLUMNS if c.required and c.header not in parsed.columns]
    if missing:
        parsed.problems.append(f"第1行：缺少必填的列：{'、'.join(missing)}（表头应为 {'、'.join(HEADERS)}）")


def _read_row(parsed: ParsedLedger, r: int, cells: tuple, formulas: frozenset, today: dt.date) -> LedgerRow | None:
    found: list[tuple[int, str]] = []          # (column index, problem): listed left to right
    v: dict = {}
    bad: set[str] = set()

    def fail(header: str, text: str):
        idx = parsed.columns[header]
        found.append((idx, f"{_where(r, idx, header)}：{text}"))
        bad.add(header)

    for header, idx in parsed.columns.items():
        col = BY_HEADER[header]
        raw = cells[idx] if idx < len(cells) else None
        if idx in formulas:
            fail(header, "含有公式，台账导入不计算公式，请复制后“粘贴为数值”再导入")
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if col.required:
                fail(header, "必须填写")
            v[header] = None
            continue
        if col.kind == "date":
            try:
                d = parse_date(raw)
            except ValueError as exc:
                fail(header, str(exc))
                continue
            if header != "答复期限" and d > today:
                fail(header, f"{d.isoformat()}晚于今天（{today.isoformat()}）")
                continue
            if d.year < 1990:
                fail(header, f"{d.isoformat()}过早，请核对")
                continue
            v[header] = d
            continue
        if header == "证件号码" and isinstance(raw, (int, float)) and abs(raw) >= 1e14:
            fail(header, "证件号码存成了数字（Excel 只保留15位，末几位可能已丢失），请把该列设为文本格式后重新填写")
            continue
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = validation.normalise(raw) if not isinstance(raw, (dt.date, dt.datetime)) else xlsx_rows.as_text(raw)
        if len(text) > col.max_len:
            fail(header, f"超过{col.max_len}个字符（现为{len(text)}个）")
            continue
        if col.kind == "choice":
            code = _choice_code(header, text)
            if code is None or (header == "证件类型" and code not in LEDGER_ID_TYPES):
                allowed = [t.label for k, t in CHOICES[header].items()
                           if header != "证件类型" or k in LEDGER_ID_TYPES]
                fail(header, f"“{text}”不是可选值（可选：{'、'.join(allowed)}）")
                continue
            v[header] = code
        elif col.kind == "outcome":
            codes = outcomes.outcomes_for_label(str(raw)) or _OUTCOME_LOOKUP.get(_key(text))
            if not codes:
                fail(header, f"“{text}”不是办理结果（应为如“予以公开”“不予公开/属于国家秘密”等标准写法）")
                continue
            v[header] = codes[0]
            if len(codes) > 1:
                v[_OUTCOME_ALSO] = codes
        else:
            v[header] = text

    # cross-field rules
    get = v.get
    id_type, id_number = get("证件类型"), get("证件号码")
    for masked in ("证件号码", "联系电话"):
        if isinstance(get(masked), str) and "*" in get(masked):
            v[masked] = None  # exported masked: the full value is not in the file, so unknown
    id_number = get("证件号码")
    if id_number and "证件号码" not in bad:
        if id_type in ("resident_id", "uscc"):
            try:
                v["证件号码"] = validation.check_id_number(id_type, id_number, "证件号码")
            except ValidationError as exc:
                fail("证件号码", exc.message.split("：", 1)[-1])
    received = get("收到申请日期")

    def order(later: str, earlier: str, text: str):
        if get(later) and get(earlier) and get(later) < get(earlier) and later not in bad:
            fail(later, f"{get(later).isoformat()}早于{earlier}{get(earlier).isoformat()}{text}")

    if received:
        for h in ("补正告知日期", "征求意见开始日期", "延期告知日期", "答复日期"):
            order(h, "收到申请日期", "")
        if get("答复期限") and get("答复期限") <= received:
            parsed.warnings.append(f"{_where(r, parsed.columns['答复期限'], '答复期限')}："
                                   f"{get('答复期限').isoformat()}不晚于收到申请日期，已按规定重新计算")
            v["答复期限"] = None
    if get("补正收到日期") and not get("补正告知日期") and "补正告知日期" not in bad:
        fail("补正收到日期", "填了补正收到日期，但没有补正告知日期")
    order("补正收到日期", "补正告知日期", "")
    if get("征求意见结束日期") and not get("征求意见开始日期") and "征求意见开始日期" not in bad:
        fail("征求意见结束日期", "填了征求意见结束日期，但没有开始日期")
    order("征求意见结束日期", "征求意见开始日期", "")
    has_reply = get("答复日期") is not None
    if has_reply and not get("办理结果") and "办理结果" not in bad:
        if "办理结果" in parsed.columns:
            fail("办理结果", "已填答复日期，办理结果必须填写")
        else:
            found.append((-1, f"第{r}行：已填答复日期，但文件没有“办理结果”列"))
            bad.add("办理结果")
    if get("办理结果") and not has_reply and "答复日期" not in bad:
        fail("办理结果", "填了办理结果，但没有答复日期")
    for h in ("送达日期", "归档日期"):
        if get(h) and not has_reply and "答复日期" not in bad:
            fail(h, "填了该日期，但没有答复日期")
    order("送达日期", "答复日期", "")
    order("归档日期", "答复日期", "")
    order("归档日期", "送达日期", "")
    if found:
        parsed.problems.extend(text for _i, text in sorted(found, key=lambda f: f[0]))
    if bad:
        return None
    return LedgerRow(r, v)


# ------------------------------------------------------------------ import: writing

_NUMBER_RE = re.compile(r"^(.*?)〔(\d{4})〕\s*0*(\d{1,9})\s*号$")


def _differs(existing: Case, v: dict) -> list[str]:
    diffs = []
    pairs = (("收到申请日期", existing.received_date), ("申请人", existing.applicant_name),
             ("答复日期", existing.reply_date), ("办理结果", existing.outcome))
    for header, have in pairs:
        if header in v and v[header] is not None and v[header] != have:
            if header == "办理结果" and have in v.get(_OUTCOME_ALSO, ()):
                continue                   # an old ledger's shared label: it may mean either
            diffs.append(header)
    return diffs


def import_ledger(path: str | os.PathLike, actor: Actor, *, today: dt.date | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Import a ledger; refuses the whole file (ImportError_ listing every problem) when any
    row is wrong. Rows whose 受理编号 already exists are left unchanged."""
    require(actor, ("clerk", "admin"), "导入台账")
    parsed = read_ledger(path, today=today, progress=progress, cancelled=cancelled)
    if parsed.problems:
        err = ImportError_(f"台账“{Path(path).name}”未导入，数据库未作任何改动（共{len(parsed.problems)}个问题）："
                           f"{parsed.problems[0]}", parsed.problems)
        err.warnings = parsed.warnings
        raise err
    result = ImportResult(warnings=list(parsed.warnings))
    # the numbers already in the database: all of them by one query read raw (0.05 s for
    # 100,000 cases; 200 queries of 500 numbers took a second), then the rows of those found
    present = {number for (number,) in db.execute_sql(*Case.select(Case.number).sql())}
    numbers = [num for num in (lr.values["受理编号"] for lr in parsed.rows) if num in present]
    existing: dict[str, Case] = {}
    for i in range(0, len(numbers), 500):
        chunk = numbers[i:i + 500]
        for c in Case.select(Case.id, Case.number, Case.received_date, Case.applicant_name, Case.reply_date,
                             Case.outcome).where(Case.number.in_(chunk)):
            existing[c.number] = c
    todo = []
    for lr in parsed.rows:
        c = existing.get(lr.values["受理编号"])
        if c is None:
            todo.append(lr)
            continue
        result.unchanged += 1
        diffs = _differs(c, lr.values)
        if diffs:
            result.warnings.append(f"第{lr.row}行：受理编号“{c.number}”已存在，{'、'.join(diffs)}与数据库不同，"
                                   "未覆盖（如需更正请在案件中修改）")
    if not todo:
        return result

    from gkdesk import settings

    prefix = settings.get("numbering.case_prefix")
    cal = deadlines.calendar()
    today = today or deadlines.today()
    user = actor.username
    name = Path(path).name
    total = len(todo)
    with write_transaction():
        # serials: a parsed 〔YYYY〕N号 of the received year when free, else the next one
        years = {lr.values["收到申请日期"].year for lr in todo}
        taken: dict[int, set[int]] = {y: set() for y in years}
        for y, s in Case.select(Case.year, Case.serial).where(Case.year.in_(list(years))).tuples():
            taken[y].add(s)
        plan: list[tuple[LedgerRow, int, int | None]] = []
        bump: dict[int, int] = {}
        for lr in todo:
            year = lr.values["收到申请日期"].year
            serial = None
            m = _NUMBER_RE.match(lr.values["受理编号"])
            if m:
                ny, ns = int(m[2]), int(m[3])
                if m[1].strip() == prefix:
                    bump[ny] = max(bump.get(ny, 0), ns)   # our own format: keep future numbers clear
                if ny == year and ns > 0 and ns not in taken[year]:
                    serial = ns
                    taken[year].add(ns)
            plan.append((lr, year, serial))
        for y in years:
            if taken[y]:
                bump[y] = max(bump.get(y, 0), max(taken[y]))
        for y, top in bump.items():
            _raise_sequence(y, top)
        # serials still to draw: consecutive per year, drawn at once (gap-free, same transaction)
        need: dict[int, int] = {}
        for _lr, year, serial in plan:
            if serial is None:
                need[year] = need.get(year, 0) + 1
        nxt = {y: numbering.reserve_serials("case", y, k) for y, k in need.items()}
        _tick(progress, cancelled, 0, total)
        initials = registry.initials_many(lr.values["申请人"] for lr in todo)
        due_memo: dict = {}
        work_memo: dict = {}
        rows, side = [], []
        for n, ((lr, year, serial), ini) in enumerate(zip(plan, initials), start=1):
            if serial is None:
                serial = nxt[year]
                nxt[year] += 1
            row, extra = _case_row(lr, year, serial, ini, user, cal, today, due_memo, work_memo)
            rows.append(row)
            side.append(extra)
            if n % 5000 == 0:
                _tick(progress, cancelled, n // 4, total)
        before = Case.select(pw.fn.MAX(Case.id)).scalar() or 0
        for i in range(0, total, 5000):
            bulk_insert(Case, rows[i:i + 5000], one_statement=True)
            _tick(progress, cancelled, total // 4 + min(total, i + 5000) // 2, total)
        wanted = {r["number"] for r in rows}
        ids = {number: cid for cid, number in Case.select(Case.id, Case.number).where(Case.id > before).tuples()
               if number in wanted}
        tables: dict = {Correction: [], Consultation: [], Extension: []}
        events = []
        for row, extra, (lr, _y, _s) in zip(rows, side, plan):
            cid = ids[row["number"]]
            for model, values in extra:
                tables[model].append({**values, "case": cid})
            events.append({"action": "import", "case_id": cid, "user": user, "to_stage": row["stage"],
                           "summary": f"台账导入 {row['number']}", "details": {"file": name, "row": lr.row}})
            result.numbers.append(row["number"])
        for model, values in tables.items():
            bulk_insert(model, values)
        _tick(progress, cancelled, total * 7 // 8, total)
        audit.record_many(events)
        result.created = total
        _tick(progress, cancelled, total, total)
    return result


def _raise_sequence(year: int, top: int) -> None:
    seq, _ = NumberSequence.get_or_create(scope="case", year=year, defaults={"last": 0})
    if seq.last < top:
        NumberSequence.update(last=top).where(NumberSequence.id == seq.id).execute()


def _case_row(lr: LedgerRow, year: int, serial: int, initials: str, user: str, cal, today,
              due_memo: dict, work_memo: dict) -> tuple[dict, list]:
    """The case's row and its side rows ((model, values) without the case) for one ledger
    row. ``due_memo``/``work_memo`` keep the calendar's answers for the whole import: many
    rows share a received date."""
    v = lr.values
    received = v["收到申请日期"]
    corrected = v.get("补正收到日期")
    clock_start = corrected or received
    id_type = v.get("证件类型") or ("other" if v.get("证件号码") else "none")
    reply = v.get("答复日期")
    if v.get("归档日期"):
        stage = "archived"
    elif v.get("送达日期"):
        stage = "delivered"
    elif reply:
        stage = "replied"
    elif v.get("补正告知日期") and not corrected:
        stage = "correcting"
    elif v.get("承办人") or v.get("承办股室"):
        stage = "handling"
    else:
        stage = "registered"
    cons_start, cons_end = v.get("征求意见开始日期"), v.get("征求意见结束日期")
    extend = rules.EXTENSION_MAX_WORKING_DAYS if v.get("延期告知日期") else 0
    key = (stage, clock_start, cons_start, cons_end, extend)
    due = due_memo.get(key)
    if due is None:                 # the owner of the derived dates decides, once per distinct case shape
        due = due_memo[key] = deadlines.derive(deadlines.imported_facts(stage, clock_start, cons_start, cons_end,
                                                                        extend), cal=cal, on=today)
    # The deadline the office recorded wins (an extension shorter than 20 days, an Art. 35
    # deadline, several consultations are not in the ledger); a blank one (or one not after
    # the date of receipt, cleared in _read_row) is computed.
    due_date = v.get("答复期限") or due.due_date

    def add_working(start, days):
        k = (start, days)
        if k not in work_memo:
            work_memo[k] = cal.add_working_days(start, days).date
        return work_memo[k]

    now = Case.created_at.db_value(utcnow())      # as text once: both columns, no conversion per column
    row = dict(
        number=v["受理编号"], year=year, serial=serial,
        applicant_kind=v["申请人类型"], applicant_name=v["申请人"],
        applicant_initials=initials,
        id_type=id_type, id_number=v.get("证件号码") or "",
        phone=v.get("联系电话") or "", address=v.get("通讯地址") or "", email=v.get("电子邮箱") or "",
        content=v["申请内容"], channel=v.get("申请渠道") or "",
        received_date=received, clock_start=clock_start,
        stage=stage, section=v.get("承办股室") or "", handler=v.get("承办人") or "", registered_by=user,
        due_date=due_date, due_provisional=due.due_provisional, paused=due.paused,
        outcome=v.get("办理结果"), reply_date=reply, reply_number=v.get("答复文号") or "",
        delivery_method=v.get("送达方式"), delivery_date=v.get("送达日期"),
        archive_date=v.get("归档日期"), note=v.get("备注") or "",
        created_at=now, updated_at=now)
    extra = []
    if v.get("补正告知日期"):
        notice = v["补正告知日期"]
        extra.append((Correction, dict(notice_date=notice, what_to_add=f"{IMPORT_NOTE}补正内容不详",
                                       period_end=corrected or add_working(notice, rules.CORRECTION_PERIOD_WORKING_DAYS),
                                       received_date=corrected, abandoned=v.get("办理结果") == "no_correction")))
    if cons_start:
        extra.append((Consultation, dict(kind="third_party", party=f"{IMPORT_NOTE}征求对象不详",
                                         sent_date=cons_start,
                                         answer_due=add_working(cons_start, rules.CONSULTATION_WORKING_DAYS),
                                         answer_date=cons_end)))
    if v.get("延期告知日期"):
        extra.append((Extension, dict(working_days=extend, reason=f"{IMPORT_NOTE}延期理由不详", approver="",
                                      notice_date=v["延期告知日期"])))
    return row, extra
