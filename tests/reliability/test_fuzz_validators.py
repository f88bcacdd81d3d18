"""Property-based fuzzing of the identity-number and contact validators (gkdesk.validation):
every input is either accepted (a normalised string comes back) or refused with a
``ValidationError`` whose Chinese message names the field — never any other exception.
Valid numbers generated with correct check characters are accepted, and any single
changed character of a valid number is refused (both check schemes detect every
single substitution)."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, example, given, settings, strategies as st

from gkdesk import validation
from gkdesk.errors import ValidationError

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text a clerk (or a pasted spreadsheet cell) could produce: any Unicode, and the nasty
# parts on purpose — full-width digits, X/x, spaces, dashes, control characters.
nasty = st.one_of(
    st.text(),
    st.text(alphabet="0123456789Xx -－()（）+０１２３４５６７８９ｘＸ\t\n\u200b\u3000", max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
    st.integers().map(str),
    st.just(None),
)

CHECKS = [
    ("居民身份证号码", validation.check_resident_id),
    ("统一社会信用代码", validation.check_uscc),
    ("联系电话", validation.check_phone),
    ("邮政编码", validation.check_postcode),
    ("电子邮箱", validation.check_email),
    ("申请人姓名", validation.check_required),
]


def _accepted_or_refused(fn, value, field):
    try:
        out = fn(value, field)
    except ValidationError as exc:
        assert exc.message and field in exc.message, exc.message
        assert exc.field == field
        return None
    assert isinstance(out, str)
    return out


@FUZZ
@given(value=nasty, which=st.sampled_from(range(len(CHECKS))))
@example(value="", which=0)
@example(value="１１０１０５１９９００１０１１２３Ｘ", which=0)
@example(value="11010519900230123X", which=0)   # 30 February
@example(value="+86 138-0013-8000", which=2)
def test_random_input_accepted_or_refused(value, which):
    field, fn = CHECKS[which]
    _accepted_or_refused(fn, value, field)


@FUZZ
@given(id_type=st.sampled_from(["resident_id", "uscc", "passport", "other", "none", "hk_macao_permit"]),
       value=nasty)
def test_check_id_number_by_type(id_type, value):
    try:
        out = validation.check_id_number(id_type, value, "证件号码")
    except ValidationError as exc:
        assert "证件号码" in exc.message
    else:
        assert isinstance(out, str)


# ------------------------------------------------------------------ valid numbers

@st.composite
def resident_ids(draw):
    region = draw(st.integers(110000, 659999))
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 11, 1)))
    seq = draw(st.integers(0, 999))
    first17 = f"{region:06d}{born:%Y%m%d}{seq:03d}"
    return first17 + validation.id_check_digit(first17)


@st.composite
def usccs(draw):
    chars = validation._USCC_CHARS
    first17 = "".join(draw(st.lists(st.sampled_from(chars), min_size=17, max_size=17)))
    return first17 + validation.uscc_check_char(first17)


@FUZZ
@given(rid=resident_ids(), lower=st.booleans(), fullwidth=st.booleans())
def test_valid_resident_ids_accepted(rid, lower, fullwidth):
    typed = rid.lower() if lower else rid
    if fullwidth:
        typed = "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in typed)
    assert validation.check_resident_id(typed) == rid


@FUZZ
@given(rid=resident_ids(), pos=st.integers(0, 17), new=st.sampled_from("0123456789X"))
def test_any_single_changed_character_of_an_id_is_refused(rid, pos, new):
    assume(rid[pos] != new and (pos == 17 or new != "X"))
    changed = rid[:pos] + new + rid[pos + 1:]
    try:
        validation.check_resident_id(changed)
    except ValidationError as exc:
        assert "证件号码" in exc.message
    else:
        raise AssertionError(f"{changed} (changed from {rid}) was accepted")


@FUZZ
@given(code=usccs())
def test_valid_usccs_accepted(code):
    assert validation.check_uscc(code.lower()) == code


@FUZZ
@given(code=usccs(), pos=st.integers(0, 17), new=st.sampled_from(validation._USCC_CHARS))
def test_any_single_changed_character_of_a_uscc_is_refused(code, pos, new):
    assume(code[pos] != new)
    changed = code[:pos] + new + code[pos + 1:]
    try:
        validation.check_uscc(changed)
    except ValidationError:
        return
    raise AssertionError(f"{changed} (changed from {code}) was accepted")


@FUZZ
@given(value=nasty)
def test_masking_never_fails_and_hides_the_middle(value):
    masked_id = validation.mask_id(value)
    masked_phone = validation.mask_phone(value)
    assert isinstance(masked_id, str) and isinstance(masked_phone, str)
    v = value or ""
    if len(v) > 10:
        assert len(masked_id) == len(v) and masked_id[6:-4] == "*" * (len(v) - 10)


@FUZZ
@given(rid=resident_ids())
def test_masked_id_reveals_only_region_and_last_four(rid):
    assert validation.mask_id(rid) == rid[:6] + "********" + rid[-4:]
