"""Table 二 from a register: last year's 现行有效 carried as this year's start; imported from xlsx."""
import pytest

from gkdesk.actors import SYSTEM
from gkdesk.errors import ImportError_
from gkdesk.reports import annual, annual_xlsx, table2_register


def test_in_force_is_carried_from_last_year_and_printed(db_path, tmp_path):
    annual.save_table2(2024, {("规章", "现行有效件数"): 10, ("行政规范性文件", "现行有效件数"): 40}, SYSTEM)
    annual.save_table2(2025, {("规章", "本年制发件数"): 3, ("规章", "本年废止件数"): 1,
                              ("行政规范性文件", "本年制发件数"): 5, ("行政规范性文件", "本年废止件数"): 2}, SYSTEM)
    assert table2_register.start(2025) == {"规章": 10, "行政规范性文件": 40}
    eff = table2_register.effective(2025)
    assert eff["规章"]["现行有效件数"] == 12 and eff["行政规范性文件"]["现行有效件数"] == 43
    # carried again into 2026 from the computed figure
    annual.save_table2(2026, {("规章", "本年制发件数"): 0, ("规章", "本年废止件数"): 2}, SYSTEM)
    assert table2_register.effective(2026)["规章"]["现行有效件数"] == 10
    # a typed figure wins over the carried one
    annual.save_table2(2025, {("规章", "现行有效件数"): 11}, SYSTEM)
    assert table2_register.effective(2025)["规章"]["现行有效件数"] == 11
    data = annual_xlsx.gather(2025)
    assert data["table2"]["行政规范性文件"]["现行有效件数"] == 43


def test_import_from_the_exported_sheet_and_a_bad_cell_is_named(db_path, tmp_path):
    import openpyxl

    annual.save_table2(2025, {("行政许可", "本年处理决定数量"): 321, ("行政事业性收费", "本年收费金额（单位：万元）"): "8.25",
                              ("规章", "本年制发件数"): 2}, SYSTEM)
    path = annual_xlsx.export(2025, tmp_path / "t.xlsx")
    from gkdesk.db.models import ReportInput

    ReportInput.delete().execute()
    table2_register.import_xlsx(2026, path, SYSTEM)
    t = annual.table2(2026)
    assert t["行政许可"]["本年处理决定数量"] == 321 and t["行政事业性收费"]["本年收费金额（单位：万元）"] == 8.25
    assert t["规章"]["本年制发件数"] == 2
    wb = openpyxl.load_workbook(path)
    wb["二、主动公开政府信息情况"]["B9"] = "很多"
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(ImportError_, match=r"bad.xlsx!二、主动公开政府信息情况!B9"):
        table2_register.import_xlsx(2027, tmp_path / "bad.xlsx", SYSTEM)
    assert annual.table2(2027)["行政许可"]["本年处理决定数量"] is None
