"""The yearly reviews kept as decisions: export → fill in openpyxl → import, and next
year's list leaves out what was decided."""
import datetime as dt

import openpyxl
import pytest

from gkdesk.actors import SYSTEM
from gkdesk.db.annual_models import ReviewDecision
from gkdesk.errors import ImportError_
from gkdesk.reports import review_decisions as rd

from .conftest import make_case

D = dt.date


def _withheld_cases():
    a = make_case(D(2025, 3, 1), outcome="secret", reply=D(2025, 3, 10), reason="属于国家秘密")
    b = make_case(D(2025, 4, 1), outcome="third_party", reply=D(2025, 4, 10), reason="涉及商业秘密")
    make_case(D(2025, 5, 1), outcome="disclosed", reply=D(2025, 5, 10))
    return a, b


def _fill(path, out, row_values):
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    headers = [c.value for c in ws[2]]
    for r in range(3, ws.max_row + 1):
        key = ws.cell(r, 1).value
        for h, v in row_values.get(key, {}).items():
            ws.cell(r, headers.index(h) + 1).value = v
    wb.save(out)


def test_a_decision_survives_export_edit_import_and_leaves_next_years_list(db_path, tmp_path):
    a, b = _withheld_cases()
    assert [it.key for it in rd.items("withheld", 2025)] == [a.number, b.number]
    sheet = tmp_path / "复查.xlsx"
    rd.export("withheld", 2025, sheet)
    filled = tmp_path / "复查-已填.xlsx"
    _fill(sheet, filled, {b.number: {"复查结论": "转为主动公开", "公开渠道（转为主动公开时填写）": "区政府门户网站信息公开专栏",
                                      "公开时间（转为主动公开时填写）": dt.datetime(2026, 3, 31), "决定人": "林主任",
                                      "备注": "第三方已同意"}})
    assert rd.import_sheet("withheld", 2025, filled, SYSTEM) == 1
    row = ReviewDecision.get(ReviewDecision.item_key == b.number)
    assert (row.decision, row.place, row.publish_by, row.decided_by, row.note, row.year) == (
        "publish", "区政府门户网站信息公开专栏", D(2026, 3, 31), "林主任", "第三方已同意", 2025)
    # this year's list shows it with its decision; exported again, the decision is in the sheet
    items = {it.key: it for it in rd.items("withheld", 2025)}
    assert items[b.number].decision.decision_label == "转为主动公开" and items[a.number].decision is None
    again = tmp_path / "again.xlsx"
    rd.export("withheld", 2025, again)
    ws = openpyxl.load_workbook(again).active
    vals = {ws.cell(r, 1).value: [c.value for c in ws[r]] for r in range(3, ws.max_row + 1)}
    assert "转为主动公开" in vals[b.number] and "林主任" in vals[b.number]
    # next year: what was decided is left out, the undecided case stays
    assert [it.key for it in rd.items("withheld", 2026)] == [a.number]


def test_bad_rows_refuse_the_whole_sheet_naming_cells(db_path, tmp_path):
    a, b = _withheld_cases()
    sheet = tmp_path / "s.xlsx"
    rd.export("withheld", 2025, sheet)
    bad = tmp_path / "bad.xlsx"
    _fill(sheet, bad, {a.number: {"复查结论": "继续不予公开", "决定人": "林主任"},
                       b.number: {"复查结论": "转为主动公开", "决定人": "林主任"}})   # where/when missing
    with pytest.raises(ImportError_) as exc:
        rd.import_sheet("withheld", 2025, bad, SYSTEM)
    assert any("bad.xlsx!复查结论!I4" in p and "公开渠道" in p for p in exc.value.problems)
    assert ReviewDecision.select().count() == 0          # all or nothing
    _fill(sheet, bad, {a.number: {"复查结论": "也许", "决定人": "林主任"}})
    with pytest.raises(ImportError_) as exc:
        rd.import_sheet("withheld", 2025, bad, SYSTEM)
    assert exc.value.problems[0].startswith("bad.xlsx!复查结论!H3：复查结论")
