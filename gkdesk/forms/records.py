"""The contents of Annex 1 and Annex 2 as plain values, and the checks a clerk expects.

No database here: ``StaffRow``/``FunctionsData``/``GroupMember`` are what the editors, the
xlsx importer and the service functions pass around. ``validate_*`` return the cleaned
values and a list of ``Problem`` whose ``where`` says which row/field is at fault, so the
importer can name the spreadsheet cell and the editor the table cell.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields

from gkdesk import validation
from gkdesk.domain import terms
from gkdesk.errors import ValidationError

# Annex 1 columns, in form order.
STAFF_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "姓名"),
    ("post", "职务"),
    ("contact", "联系方式"),
    ("remark", "备注"),
)
STAFF_LABELS = dict(STAFF_FIELDS)
GROUP_ORDER = tuple(terms.STAFF_GROUPS)  # ("leader", "staff")

# Annex 2 rows, in form order.
FUNCTION_FIELDS: tuple[tuple[str, str], ...] = (
    ("full_name", "全称"),
    ("address", "办公地址"),
    ("office_hours", "办公时间"),
    ("phone", "联系电话"),
    ("head_name", "负责人姓名"),
    ("functions", "工作职能"),
    ("structure", "机构设置"),
)
FUNCTION_LABELS = dict(FUNCTION_FIELDS)
FUNCTION_REQUIRED = ("full_name", "phone", "head_name", "functions")
FUNCTION_MULTILINE = ("functions", "structure")

LEADING_GROUP_FIELDS = (("role", "职务类别"), ("name", "姓名"), ("post", "职务"))

MAX_LEN = {"name": 64, "post": 100, "contact": 100, "remark": 200, "full_name": 200,
           "address": 300, "office_hours": 200, "phone": 100, "head_name": 64}

ANNEX1_TITLE = "街道（部门）政务公开（政府信息公开）工作人员情况表"
ANNEX2_TITLE = "街道（部门）工作职能清单"
STAMP_LABEL = "单位（盖章）："


@dataclass
class StaffRow:
    name: str = ""
    post: str = ""
    contact: str = ""
    remark: str = ""

    def is_blank(self) -> bool:
        return not any((self.name, self.post, self.contact, self.remark))

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class FunctionsData:
    full_name: str = ""
    address: str = ""
    office_hours: str = ""
    phone: str = ""
    head_name: str = ""
    functions: str = ""
    structure: str = ""

    def is_blank(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class GroupMember:
    role: str = "member"   # LEADING_GROUP_ROLES code
    name: str = ""
    post: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Problem:
    """One thing wrong. ``where`` is ("leader"|"staff", row_index, field), ("functions", field),
    ("leading_group", row_index, field) or ("unit", what). ``message`` names the field but not
    the place; the caller adds the place (a cell, or 分管领导第2行)."""

    where: tuple
    message: str
    severity: str = "error"   # error (refuses the change) / warning (shown, saved anyway)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass
class StaffData:
    leaders: list[StaffRow] = field(default_factory=list)
    staff: list[StaffRow] = field(default_factory=list)

    def group(self, code: str) -> list[StaffRow]:
        return self.leaders if code == "leader" else self.staff

    def as_dict(self) -> dict:
        return {"leader": [r.as_dict() for r in self.leaders], "staff": [r.as_dict() for r in self.staff]}


# ---------------------------------------------------------------- normalising what people type

_WIDE = {0x3000: " "}
_WIDE.update({c: chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)})   # ０-９
_WIDE.update({c: chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})   # Ａ-Ｚ
_WIDE.update({c: chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})   # ａ-ｚ
_WIDE.update({0xFF0D: "-", 0xFF20: "@", 0xFF0E: ".", 0x00A0: " ", 0x2002: " ", 0x2003: " ",
              0x2009: " ", 0x200B: "", 0xFEFF: ""})


def fold_width(text: str) -> str:
    """Full-width digits, Latin letters and spaces to half-width. Chinese punctuation (，：（）)
    is kept as typed — full NFKC would turn 「，」 into 「,」 in the functions text."""
    return text.translate(_WIDE)


def cell_text(value) -> str:
    """A spreadsheet or widget value as the text a person meant: numbers without ``.0``
    (13800138000.0 → 13800138000), full-width digits folded, spaces collapsed, trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            value = int(value)
        else:
            value = repr(value)
    if isinstance(value, int):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return clean_line(str(value))


def clean_line(text: str) -> str:
    text = fold_width(text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = re.sub(r"[ ]+", " ", text.replace("\n", " "))
    return text.strip()


def clean_multiline(text: str) -> str:
    """Multi-line text (工作职能, 机构设置): one paragraph a line, each trimmed, blank lines
    dropped — the forms print one paragraph a row, so this is what survives a round trip."""
    text = fold_width(text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    lines = [re.sub(r"[ ]+", " ", ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


_CJK_NAME = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff·•]+")


def clean_name(text: str) -> str:
    """A person's name: 「刘  冰」 (padded to align, as offices type them) → 「刘冰」; names in
    Latin letters keep their single spaces."""
    t = clean_line(text)
    squeezed = t.replace(" ", "")
    if squeezed and _CJK_NAME.fullmatch(squeezed):
        return squeezed.replace("•", "·")
    return t


def label_key(text) -> str:
    """Text reduced for finding labels: NFKC, no spaces, no trailing colon (「负 责 人：」 → 负责人)."""
    t = unicodedata.normalize("NFKC", str(text or ""))
    t = re.sub(r"\s+", "", t)
    return t.rstrip(":")


# ---------------------------------------------------------------- phones

_PHONE_SPLIT = re.compile(r"[、/,，;；\n|]+")


def check_contact(value: str, field_label: str = "联系方式", *, was_number: bool = False) -> tuple[str, list[str]]:
    """One or more phone numbers separated by 、/，; returns (normalised, warnings) or raises
    ValidationError with a message without place, e.g. 联系方式“1380013”不是有效的电话号码……"""
    text = clean_line(value)
    warnings: list[str] = []
    parts = [p.strip() for p in _PHONE_SPLIT.split(text) if p.strip()]
    if not parts:
        raise ValidationError(f"未填写{field_label}", field_label)
    out = []
    for part in parts:
        try:
            out.append(_one_phone(part, field_label))
        except ValidationError:
            # A landline typed as a number loses its leading 0 (0595… → 595…): put it back.
            digits = re.sub(r"\D", "", part)
            if was_number and len(parts) == 1 and digits[:1] in "23456789" and len(digits) >= 10:
                try:
                    fixed = _one_phone("0" + digits, field_label)
                except ValidationError:
                    pass
                else:
                    warnings.append(f"{field_label}“{part}”按数字保存丢失了区号前的0，已改为“{fixed}”")
                    out.append(fixed)
                    continue
            raise ValidationError(
                f"{field_label}“{part}”不是有效的电话号码（手机号为11位，固定电话请带区号，如0595-22355669）",
                field_label) from None
    return "、".join(out), warnings


def _one_phone(part: str, field_label: str) -> str:
    v = validation.check_phone(part, field_label)
    digits = re.sub(r"\D", "", v)
    # gkdesk.validation accepts 7-8 digit local numbers; a local number never starts with 0
    # or 1, so 1380013 is a mobile number with digits missing, not a landline.
    if len(digits) in (7, 8) and digits[0] in "01":
        raise ValidationError(f"{field_label}“{part}”不是有效的电话号码", field_label)
    return v


# ---------------------------------------------------------------- validation

def _limit(problems, where, label, value, key):
    n = MAX_LEN.get(key)
    if n and len(value) > n:
        problems.append(Problem(where, f"{label}过长（{len(value)}字，最多{n}字）"))


def validate_staff_rows(group: str, rows: list[StaffRow], numbers: list[bool] | None = None
                        ) -> tuple[list[tuple[int, StaffRow]], list[Problem]]:
    """Clean the rows of one group. Blank rows are dropped; every other row needs 姓名 and a
    valid 联系方式; a name twice in the group is an error. Returns ((index, row)…, problems)."""
    problems: list[Problem] = []
    clean: list[tuple[int, StaffRow]] = []
    seen: dict[str, int] = {}
    glabel = terms.label_of(terms.STAFF_GROUPS, group, group)
    for i, raw in enumerate(rows):
        row = StaffRow(clean_name(raw.name), clean_line(raw.post), clean_line(raw.contact),
                       clean_line(raw.remark))
        if row.is_blank():
            continue
        if not row.name:
            problems.append(Problem((group, i, "name"), "未填写姓名"))
        elif row.name in seen:
            problems.append(Problem((group, i, "name"),
                                    f"姓名“{row.name}”在{glabel}中重复（与第{seen[row.name] + 1}行相同）"))
        else:
            seen[row.name] = i
        if not row.contact:
            problems.append(Problem((group, i, "contact"), "未填写联系方式"))
        else:
            try:
                row.contact, warns = check_contact(row.contact, was_number=bool(numbers and numbers[i]))
            except ValidationError as exc:
                problems.append(Problem((group, i, "contact"), exc.message))
            else:
                problems += [Problem((group, i, "contact"), w, "warning") for w in warns]
        for key, label in STAFF_FIELDS:
            _limit(problems, (group, i, key), label, getattr(row, key), key)
        clean.append((i, row))
    return clean, problems


def validate_staff(leaders: list[StaffRow], staff: list[StaffRow]) -> tuple[StaffData, list[Problem]]:
    cl, pl = validate_staff_rows("leader", leaders)
    cs, ps = validate_staff_rows("staff", staff)
    data = StaffData([r for _, r in cl], [r for _, r in cs])
    problems = pl + ps
    if not data.leaders and not data.staff:
        pass  # an empty form is allowed (clears the unit's Annex 1)
    else:
        if not data.leaders:
            problems.append(Problem(("leader", 0, "name"), "分管领导：至少应填写一人", "warning"))
        if not data.staff:
            problems.append(Problem(("staff", 0, "name"), "工作人员：至少应填写一人", "warning"))
    return data, problems


def validate_functions(data: FunctionsData, *, phone_was_number: bool = False
                       ) -> tuple[FunctionsData, list[Problem]]:
    problems: list[Problem] = []
    out = FunctionsData()
    for key, label in FUNCTION_FIELDS:
        raw = getattr(data, key)
        if key in FUNCTION_MULTILINE:
            val = clean_multiline(raw if isinstance(raw, str) else cell_text(raw))
        elif key == "head_name":
            val = clean_name(cell_text(raw))
        else:
            val = cell_text(raw)
        setattr(out, key, val)
        if not val:
            if key in FUNCTION_REQUIRED:
                problems.append(Problem(("functions", key), f"未填写{label}"))
            continue
        if key == "phone":
            try:
                out.phone, warns = check_contact(val, label, was_number=phone_was_number)
            except ValidationError as exc:
                problems.append(Problem(("functions", key), exc.message))
            else:
                problems += [Problem(("functions", key), w, "warning") for w in warns]
        _limit(problems, ("functions", key), label, val, key)
    return out, problems


def validate_leading_group(members: list[GroupMember]) -> tuple[list[GroupMember], list[Problem]]:
    problems: list[Problem] = []
    out: list[GroupMember] = []
    seen: dict[str, int] = {}
    heads = 0
    for i, m in enumerate(members):
        role = m.role if m.role in terms.LEADING_GROUP_ROLES else (
            terms.code_of(terms.LEADING_GROUP_ROLES, label_key(m.role)) or "")
        gm = GroupMember(role, clean_name(m.name), clean_line(m.post))
        if not gm.name and not gm.post:
            continue
        if not role:
            problems.append(Problem(("leading_group", i, "role"),
                                    f"职务类别“{m.role}”无效（应为组长、副组长或成员）"))
        if role == "head":
            heads += 1
            if heads == 2:
                problems.append(Problem(("leading_group", i, "role"), "领导小组只能有一名组长"))
        if not gm.name:
            problems.append(Problem(("leading_group", i, "name"), "未填写姓名"))
        elif gm.name in seen:
            problems.append(Problem(("leading_group", i, "name"),
                                    f"姓名“{gm.name}”在领导小组中重复（与第{seen[gm.name] + 1}行相同）"))
        else:
            seen[gm.name] = i
        _limit(problems, ("leading_group", i, "post"), "职务", gm.post, "post")
        out.append(gm)
    order = {c: n for n, c in enumerate(terms.LEADING_GROUP_ROLES)}
    out.sort(key=lambda g: order.get(g.role, 9))  # 组长, 副组长, 成员; stable within a role
    return out, problems


def place_of(where: tuple) -> str:
    """Where a problem is, for an editor: 分管领导第2行 / 附件2 联系电话 / 领导小组第3行."""
    if where and where[0] in terms.STAFF_GROUPS:
        return f"{terms.STAFF_GROUPS[where[0]].label}第{where[1] + 1}行"
    if where and where[0] == "functions":
        return "工作职能清单"
    if where and where[0] == "leading_group":
        return f"领导小组第{where[1] + 1}行"
    return ""


def raise_if_errors(problems: list[Problem], what: str) -> None:
    errors = [p for p in problems if p.is_error]
    if not errors:
        return
    msgs = [f"{place_of(p.where)}：{p.message}" if place_of(p.where) else p.message for p in errors]
    first = msgs[0] if len(msgs) == 1 else f"{what}有{len(msgs)}处问题：{msgs[0]}"
    field_label = None
    w = errors[0].where
    if w and w[0] in terms.STAFF_GROUPS:
        field_label = STAFF_LABELS.get(w[2])
    elif w and w[0] == "functions":
        field_label = FUNCTION_LABELS.get(w[1])
    raise ValidationError(first, field_label, msgs)
