"""Property: every outcome and every field of the ledger survive export → import exactly.

Each example builds a database holding one replied case per outcome (and a few open ones)
with every ledger field drawn by hypothesis, exports the ledger with full personal data,
then imports the file (1) into the same database — nothing created, no 「与数据库不同」
warning — and (2) into a fresh database, whose own ledger must equal the first cell by cell.
"""
from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from gkdesk import validation
from gkdesk.actors import SYSTEM
from gkdesk.domain import outcomes, terms
from gkdesk.reports import ledger

D = dt.date
TODAY = D(2026, 11, 30)
_counter = itertools.count()

# Text a clerk types: Chinese, Latin letters, digits and some punctuation, never blank.
_ALPHABET = "张王李赵某市区县路号街道公司有限信息公开申请文件批复环评规划ABCxyz0123456789-·（）、，。"
text = st.text(_ALPHABET, min_size=1, max_size=30).map(str.strip).filter(bool)
opt_text = st.one_of(st.just(""), text)
dates = st.dates(D(2020, 1, 1), TODAY)


def _after(draw, start: dt.date, optional: bool = True) -> dt.date | None:
    if optional and draw(st.booleans()):
        return None
    return draw(st.dates(start, TODAY))


@st.composite
def id_pair(draw):
    kind = draw(st.sampled_from(ledger.LEDGER_ID_TYPES + ("none",)))
    if kind == "resident_id":
        birth = draw(st.dates(D(1940, 1, 1), D(2005, 12, 31)))
        first = f"110105{birth:%Y%m%d}{draw(st.integers(0, 999)):03d}"
        return kind, first + validation.id_check_digit(first)
    if kind == "uscc":
        first = "91110105" + "".join(draw(st.lists(st.sampled_from("0123456789ABCDEFGH"), min_size=9, max_size=9)))
        return kind, first + validation.uscc_check_char(first)
    if kind == "none":
        return kind, ""
    return kind, draw(st.one_of(st.just(""), st.text("EGK0123456789", min_size=5, max_size=12)))


@st.composite
def case_facts(draw, outcome: str | None):
    received = draw(dates)
    f = {
        "applicant_kind": draw(st.sampled_from(sorted(terms.APPLICANT_KINDS))),
        "applicant_name": draw(text),
        "phone": draw(st.one_of(st.just(""), st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))),
        "address": draw(opt_text), "email": draw(st.one_of(st.just(""), st.just("a.b@example.cn"))),
        "content": draw(text), "channel": draw(st.sampled_from(sorted(terms.CHANNELS))),
        "received_date": received, "section": draw(opt_text), "handler": draw(opt_text),
        "note": draw(opt_text), "due_date": draw(st.dates(received + dt.timedelta(days=1), D(2027, 6, 30))),
    }
    f["id_type"], f["id_number"] = draw(id_pair())
    notice = _after(draw, received)
    f["correction"] = (notice, _after(draw, notice)) if notice else None
    cons = _after(draw, received)
    f["consultation"] = (cons, _after(draw, cons)) if cons else None
    f["extension"] = _after(draw, received)
    if outcome is not None:
        reply = draw(st.dates(received, TODAY))
        f.update(outcome=outcome, reply_date=reply, reply_number=draw(opt_text))
        delivered = _after(draw, reply)
        f["delivery_date"] = delivered
        f["delivery_method"] = draw(st.one_of(st.none(), st.sampled_from(sorted(terms.DELIVERY_METHODS))))
        f["archive_date"] = _after(draw, delivered or reply)
    return f


ledgers = st.tuples(*(case_facts(code) for code in outcomes.OUTCOMES),
                    *(case_facts(None) for _ in range(3)))


def _open_fresh(tmp_path, name):
    from gkdesk.db import close_database, open_database

    close_database()
    open_database(tmp_path / f"{name}-{next(_counter)}.sqlite3")


def _build(all_facts):
    from gkdesk.db.models import Case, Consultation, Correction, Extension

    for serial, f in enumerate(all_facts, start=1):
        f = dict(f)
        corr, cons, ext = f.pop("correction"), f.pop("consultation"), f.pop("extension")
        year = f["received_date"].year
        number = f"依申〔{year}〕{serial}号" if serial % 3 else f"旧台账-{serial:04d}"
        case = Case.create(number=number, year=year, serial=serial, clock_start=f["received_date"], **f)
        if corr:
            Correction.create(case=case, notice_date=corr[0], what_to_add="请明确", period_end=corr[0],
                              received_date=corr[1])
        if cons:
            Consultation.create(case=case, kind="third_party", party="某公司", sent_date=cons[0],
                                answer_due=cons[0], answer_date=cons[1])
        if ext:
            Extension.create(case=case, working_days=10, reason="复杂", approver="王主任", notice_date=ext)


def _facts():
    from gkdesk.db.models import Case

    rows = {r[0]: r for r in ledger.ledger_rows(full_personal=True)}
    codes = dict(Case.select(Case.number, Case.outcome).tuples())
    return rows, codes


# No shrinking: a failure names the case and the differing cells already, and shrinking
# 26 cases takes minutes on a shared machine.
@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(all_facts=ledgers)
def test_every_outcome_and_field_survives_export_and_import(tmp_path, all_facts):
    try:
        _open_fresh(tmp_path, "a")
        _build(all_facts)
        before_rows, before_codes = _facts()
        out = tmp_path / f"台账-{next(_counter)}.xlsx"
        n = ledger.export_ledger(out, personal_for=SYSTEM)
        assert n == len(all_facts)

        same = ledger.import_ledger(out, SYSTEM, today=TODAY)
        assert (same.created, same.unchanged) == (0, n)
        assert same.warnings == []

        _open_fresh(tmp_path, "b")
        fresh = ledger.import_ledger(out, SYSTEM, today=TODAY)
        assert fresh.created == n
        after_rows, after_codes = _facts()
        assert after_codes == before_codes
        assert set(after_rows) == set(before_rows)
        for number, row in before_rows.items():
            got = after_rows[number]
            diffs = {h: (a, b) for h, a, b in zip(ledger.HEADERS, row, got) if a != b}
            assert diffs == {}, number
    finally:
        from gkdesk.db import close_database

        close_database()


def test_each_outcome_has_its_own_ledger_label():
    labels = [o.label for o in outcomes.OUTCOMES.values()]
    assert len(set(labels)) == len(labels)
    for code, o in outcomes.OUTCOMES.items():
        assert outcomes.outcome_by_label(o.label).code == code


def test_an_old_ledger_with_the_shared_label_still_imports(db_path, tmp_path):
    """Ledgers of 0.1.0 wrote 36(5) with the 36(4) label: re-importing one over the same
    database warns of nothing, and into a fresh database it becomes 36(4), as it did."""
    from gkdesk.db.models import Case

    from .conftest import make_case

    case = make_case(D(2025, 3, 3), outcome="other_agency", reply=D(2025, 3, 20))
    out = tmp_path / "old.xlsx"
    ledger.export_ledger(out)
    from openpyxl import load_workbook

    wb = load_workbook(out)
    ws = wb.active
    col = list(ledger.HEADERS).index("办理结果") + 1
    assert ws.cell(2, col).value == "无法提供/不属于本机关负责公开"
    ws.cell(2, col).value = "无法提供/本机关不掌握相关政府信息"          # as 0.1.0 wrote it
    wb.save(out)
    res = ledger.import_ledger(out, SYSTEM)
    assert (res.created, res.unchanged, res.warnings) == (0, 1, [])
    assert Case.get_by_id(case.id).outcome == "other_agency"
    _open_fresh(tmp_path, "old")
    assert ledger.import_ledger(out, SYSTEM).created == 1
    assert Case.get().outcome == "not_held"
