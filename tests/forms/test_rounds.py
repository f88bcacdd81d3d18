"""Collection rounds: create, send out, record returns, status per unit."""
import datetime as dt

import openpyxl
import pytest

from gkdesk.actors import SYSTEM
from gkdesk.errors import ValidationError
from gkdesk.forms import rounds, units, xlsx_import

from .helpers import make_unit
from .test_xlsx_roundtrip import fill_clean

UTC = dt.timezone.utc


def test_create_round_validates(db_path):
    with pytest.raises(ValidationError) as e:
        rounds.create_round("", dt.date(2026, 8, 28), SYSTEM, email="not-an-email", fax="12")
    assert len(e.value.problems) == 3
    r = rounds.create_round("2026年第一次", dt.date(2026, 8, 28), SYSTEM, email="lcxinxike@163.com", fax="22355669")
    assert rounds.note_text(r) == "注：请于 8 月 28 日下午下班前将电子版发至 lcxinxike@163.com，纸质版加盖公章传真至 22355669。"
    with pytest.raises(ValidationError, match="已有名为"):
        rounds.create_round("2026年第一次", dt.date(2026, 9, 1), SYSTEM)
    custom = rounds.create_round("补报", dt.date(2026, 9, 10), SYSTEM, note="请各单位于9月10日前补报。")
    assert rounds.note_text(custom) == "注：请各单位于9月10日前补报。"
    assert rounds.open_round().id == custom.id


def test_status_returned_late_missing_problems(db_path, tmp_path):
    names = ["民政局", "信访局", "财政局", "教育局"]
    for n in names:
        make_unit(n, leaders=[], staff=[], functions=None)
    r = rounds.create_round("2026年第一次", dt.date(2026, 8, 28), SYSTEM, email="lcxinxike@163.com", fax="22355669")
    folder = tmp_path / "out"
    files = rounds.export_round(r, folder, blank=True)
    assert len(files) == 4
    for n in ("民政局", "信访局", "财政局"):
        wb = openpyxl.load_workbook(folder / f"{n}.xlsx")
        fill_clean(wb)
        if n == "财政局":
            wb["附件1"]["D5"] = "1380013"
        wb.save(folder / f"{n}.xlsx")
    diffs = {d.unit_name: d for d in xlsx_import.diff_paths(folder)}
    assert not diffs["财政局"].ok and diffs["教育局"].problems    # 教育局 sent back the blank form
    on_time = dt.datetime(2026, 8, 28, 8, 0, tzinfo=UTC)          # 16:00 Beijing time on the day
    late = dt.datetime(2026, 8, 31, 2, 0, tzinfo=UTC)
    xlsx_import.apply([diffs["民政局"]], SYSTEM, returned_at=on_time)
    res = xlsx_import.apply([diffs["信访局"], diffs["财政局"], diffs["教育局"]], SYSTEM, returned_at=late,
                            record_problems=True)
    assert res.problems_recorded == 2   # 财政局 and 教育局 had problems
    st = {s.unit_name: s for s in rounds.round_status(r, today=dt.date(2026, 9, 1))}
    assert st["民政局"].status == "returned"
    assert st["信访局"].status == "late"
    assert st["财政局"].status == "problems" and "1380013" in st["财政局"].problems
    assert st["教育局"].status == "problems"
    assert st["财政局"].label == "有问题（已逾期）"
    counts = rounds.status_counts(list(st.values()))
    assert counts == {"returned": 1, "late": 1, "problems": 2, "missing": 0}


def test_missing_before_and_after_deadline_and_good_return_stands(db_path):
    u = make_unit("民政局", leaders=[], staff=[], functions=None)
    r = rounds.create_round("第一次", dt.date(2026, 8, 28), SYSTEM)
    s = rounds.round_status(r, today=dt.date(2026, 8, 20))[0]
    assert (s.status, s.overdue, s.label) == ("missing", False, "未交回")
    s = rounds.round_status(r, today=dt.date(2026, 8, 29))[0]
    assert s.label == "未交回（已逾期）"
    from gkdesk.db import write_transaction
    with write_transaction():
        rounds.record_return(r, u, SYSTEM, ok=True, returned_at=dt.datetime(2026, 8, 1, tzinfo=UTC))
        rounds.record_return(r, u, SYSTEM, ok=False, problems=["x"])   # a later bad file
    assert rounds.round_status(r)[0].status == "returned"


def test_retired_units_drop_out_unless_they_returned(db_path):
    a = make_unit("民政局", leaders=[], staff=[], functions=None)
    make_unit("老龄办", leaders=[], staff=[], functions=None)
    r = rounds.create_round("第一次", dt.date(2026, 8, 28), SYSTEM)
    units.retire_unit(units.get_unit("老龄办"), SYSTEM)
    assert [s.unit_name for s in rounds.round_status(r)] == ["民政局"]
    del a
