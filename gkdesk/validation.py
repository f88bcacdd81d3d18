"""Checks of what a clerk types: identity numbers, credit codes, phones, postcodes, e-mail.

Each ``check_*`` returns the normalised value or raises ``ValidationError`` naming the
field and what is wrong, in Chinese.
"""
from __future__ import annotations

import datetime as _dt
import re

from gkdesk.errors import ValidationError

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# GB 32100-2015: 31 characters, no I O Z S V.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


# Full-width digits, Latin letters, the ideographic space and the few symbols of phone
# numbers and e-mail addresses become half-width; Chinese punctuation (，：（）) is kept, so
# names and request texts are stored as typed (NFKC would turn “（新）” into “(新)”).
_HALF = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_HALF.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_HALF.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_HALF.update({0x3000: 0x20, 0xFF20: ord("@"), 0xFF0E: ord("."), 0xFF0D: ord("-"), 0xFF0B: ord("+"),
              0xFF3F: ord("_")})


# any character _HALF maps: most Chinese text has none, and one search is ~8x faster than
# translate's look-up of every character (100,000 ledger rows: about 1.5 s)
_WIDE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_HALF)) + "]")


def normalise(text: str | None) -> str:
    """Full-width digits, letters and spaces to half-width; stripped. Chinese punctuation kept."""
    if text is None:
        return ""
    text = str(text)
    if text.isascii() or _WIDE.search(text) is None:   # every character _HALF maps is outside ASCII
        return text.strip()
    return text.translate(_HALF).strip()


def id_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def check_resident_id(value: str, field: str = "证件号码") -> str:
    """A mainland 18-digit resident ID (GB 11643-1999) with its check digit."""
    v = normalise(value).replace(" ", "").upper()
    if not re.fullmatch(r"\d{17}[\dX]", v):
        raise ValidationError(f"{field}：居民身份证号码应为18位（最后一位可为X），现为“{value}”", field)
    try:
        _dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        raise ValidationError(f"{field}：居民身份证号码中的出生日期{v[6:14]}无效", field) from None
    expected = id_check_digit(v[:17])
    if v[17] != expected:
        raise ValidationError(
            f"{field}：居民身份证号码校验位错误（最后一位应为{expected}），请核对号码", field)
    return v


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def check_uscc(value: str, field: str = "证件号码") -> str:
    """An 18-character unified social credit code (GB 32100-2015) with its check character."""
    v = normalise(value).replace(" ", "").upper()
    if len(v) != 18 or any(c not in _USCC_CHARS for c in v):
        raise ValidationError(
            f"{field}：统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V），现为“{value}”", field)
    expected = uscc_check_char(v[:17])
    if v[17] != expected:
        raise ValidationError(
            f"{field}：统一社会信用代码校验位错误（最后一位应为{expected}），请核对代码", field)
    return v


def check_phone(value: str, field: str = "联系电话") -> str:
    """A mobile number (11 digits, 1[3-9]…) or a landline with area code (0xx-xxxxxxx)."""
    v = normalise(value)
    digits = re.sub(r"[\s\-－—()（）]", "", v)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return digits
    m = re.fullmatch(r"(0\d{2,3})(\d{7,8})(?:转?\d{1,6})?", digits)
    if m:
        return v if "-" in v else f"{m.group(1)}-{digits[len(m.group(1)):]}"
    if re.fullmatch(r"[2-9]\d{6,7}", digits):
        # A local number without area code: offices write them so; keep it.
        return digits
    raise ValidationError(
        f"{field}：“{value}”不是有效的电话号码（手机号11位，固定电话请带区号，如0595-22355669）", field)


def check_postcode(value: str, field: str = "邮政编码") -> str:
    v = normalise(value).replace(" ", "")
    if not re.fullmatch(r"\d{6}", v):
        raise ValidationError(f"{field}：邮政编码应为6位数字，现为“{value}”", field)
    return v


def check_email(value: str, field: str = "电子邮箱") -> str:
    v = normalise(value).replace(" ", "")
    if not re.fullmatch(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", v):
        raise ValidationError(f"{field}：“{value}”不是有效的电子邮箱地址", field)
    return v


def check_required(value: str | None, field: str) -> str:
    v = normalise(value)
    if not v:
        raise ValidationError(f"{field}：必须填写", field)
    return v


def check_id_number(id_type: str, value: str, field: str = "证件号码") -> str:
    """Validate ``value`` by its document type; other types only need to be non-empty."""
    if id_type == "resident_id":
        return check_resident_id(value, field)
    if id_type == "uscc":
        return check_uscc(value, field)
    v = normalise(value)
    if id_type == "none":
        return ""
    if not v:
        raise ValidationError(f"{field}：已选择证件类型，请填写证件号码（或将证件类型改为“无”）", field)
    return v


def mask_id(value: str | None) -> str:
    """``110105********1234`` — the first six and last four kept."""
    v = value or ""
    if len(v) <= 10:
        return v[:2] + "*" * max(0, len(v) - 2) if v else ""
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def mask_phone(value: str | None) -> str:
    """``138****0000``."""
    v = value or ""
    digits = re.sub(r"\D", "", v)
    if len(digits) < 7:
        return v
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
