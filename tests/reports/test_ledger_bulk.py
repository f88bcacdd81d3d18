"""The fast ledger paths (issue 20) keep what the clerk relies on: both xlsx readers see the
same file, the bulk write gives the same cases, events and numbers as one by one would,
cancel leaves nothing, the XlsxWriter export keeps text as text and survives LibreOffice."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from openpyxl import Workbook, load_workbook

from gkdesk.actors import SYSTEM
from gkdesk.errors import ImportError_
from gkdesk.reports import Cancelled, ledger, xlsx_rows

from . import scenario
from .test_ledger import GOOD_ID, LEDGER_HEADERS, _counts, _fresh_db, _write

D = dt.date


@pytest.fixture(params=["calamine", "openpyxl"])
def reader(request, monkeypatch):
    monkeypatch.setenv("GKDESK_XLSX_READER", request.param)
    return request.param


def _tricky(path):
    """A workbook whose data starts at B2, with every kind of cell, and a second sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws["B2"], ws["C2"], ws["D2"] = "文字", 5, 1.5
    ws["E2"], ws["F2"] = dt.datetime(2024, 1, 2, 3, 4), dt.date(2024, 1, 3)
    ws["G2"], ws["H2"], ws["J2"] = True, 1234567890123456789, dt.time(12, 0)
    ws["C4"] = "  "
    ws["K5"] = "ｆｕｌｌ　ｗｉｄｔｈ"
    wb.create_sheet("说明")["A1"] = "x"
    wb.save(path)
    return path


def _norm(value):
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


def test_both_readers_see_the_same_rows(tmp_path, monkeypatch):
    f = _tricky(tmp_path / "t.xlsx")
    seen = {}
    for name in ("calamine", "openpyxl"):
        monkeypatch.setenv("GKDESK_XLSX_READER", name)
        sheet = xlsx_rows.read_rows(f)
        assert sheet.reader == name
        rows = [(r, tuple(_norm(x) for x in vals), fs) for r, vals, fs in sheet.rows]
        sheet.close()
        # trailing blanks do not matter to the import
        rows = [(r, tuple(v for v in vals[:max([i + 1 for i, x in enumerate(vals) if x is not None] or [0])]), fs)
                for r, vals, fs in rows]
        seen[name] = (sheet.title, sheet.others, sheet.max_row, rows)
    assert seen["calamine"] == seen["openpyxl"]
    assert seen["calamine"][3][1][1][1] == "文字"          # row 2 starts in column B


def test_a_formula_anywhere_sends_the_file_to_openpyxl_which_names_the_cell(tmp_path, monkeypatch):
    monkeypatch.setenv("GKDESK_XLSX_READER", "calamine")
    f = tmp_path / "f.xlsx"
    wb = Workbook()
    wb.active.append(["受理编号"])
    wb.active.append(["=CONCAT(\"A\",\"1\")"])
    wb.save(f)
    assert xlsx_rows.has_formulas(f)
    sheet = xlsx_rows.read_rows(f)
    assert sheet.reader == "openpyxl"
    rows = list(sheet.rows)
    sheet.close()
    assert rows[1][2] == frozenset({0})


def test_formula_scan_finds_a_prefixed_formula_element_and_not_text_that_looks_like_one(tmp_path):
    import zipfile

    f = tmp_path / "t.xlsx"
    wb = Workbook()
    wb.active.append(["受理编号", "备注"])
    wb.active.append(["A-1", "说明:f 见附件 <f>"])          # text: ":f " and an escaped "<f>"
    wb.save(f)
    assert not xlsx_rows.has_formulas(f)
    g = tmp_path / "prefixed.xlsx"
    wb = Workbook()
    wb.active.append(["受理编号"])
    wb.active.append(["=CONCAT(\"A\",\"1\")"])
    wb.save(g)
    with zipfile.ZipFile(g) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<f>" in xml
    parts["xl/worksheets/sheet1.xml"] = xml.replace("<f>", "<x:f>").replace("</f>", "</x:f>").replace(
        "<worksheet ", '<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ', 1).encode()
    h = tmp_path / "x.xlsx"
    with zipfile.ZipFile(h, "w") as zout:
        for n, data in parts.items():
            zout.writestr(n, data)
    assert xlsx_rows.has_formulas(h)


def _bad_file(tmp_path):
    headers = ["申请人", "受理编号", "申请人类型", "申请内容", "收到申请日期", "证件类型", "证件号码",
               "答复日期", "办理结果", "送达日期", "序号"]
    rows = [
        ["张三", "C-1", "自然人", "某文件", "2025-03-04", "居民身份证", GOOD_ID, "2025-03-10", "予以公开", None, 1],
        ["李四", "C-2", "个人", "某文件", "2025-03-04", None, None, None, None, None, 2],
        ["王五", "C-3", "自然人", None, "2025/13/01", None, None, None, None, None, 3],
        ["赵六", "C-4", "自然人", "某文件", "2025-03-04", "居民身份证", "110105194912310021", None, None, None, 4],
        ["郑一", "C-9", "自然人", "某文件", 45000, None, None, "2025-03-01", "公开了", "2025-02-01", 9],
        ["孙八", "C-1", "自然人", D(2024, 1, 1), D(2025, 3, 4), None, 110105194912310021, None, None, None, 6],
    ]
    return _write(tmp_path / "bad.xlsx", headers, rows)


def test_both_readers_list_the_same_problems(db_path, tmp_path, monkeypatch):
    f = _bad_file(tmp_path)
    out = {}
    for name in ("calamine", "openpyxl"):
        monkeypatch.setenv("GKDESK_XLSX_READER", name)
        p = ledger.read_ledger(f, today=D(2026, 1, 1))
        out[name] = (p.problems, p.warnings, [(r.row, r.values) for r in p.rows])
    assert out["calamine"] == out["openpyxl"]
    assert len(out["calamine"][0]) >= 7


def test_bulk_import_gives_the_chain_numbers_and_records_of_one_by_one(db_path, tmp_path, reader):
    scenario.build()
    from gkdesk.db.models import Case, CaseEvent, Consultation, Correction, Extension

    d_case = Case.get(Case.received_date == D(2025, 12, 15))
    Consultation.create(case=d_case, kind="third_party", party="某公司", sent_date=D(2026, 1, 6),
                        answer_due=D(2026, 1, 27), answer_date=D(2026, 1, 12))
    Extension.create(case=d_case, working_days=10, reason="复杂", approver="王主任", notice_date=D(2026, 1, 14))
    fields = ("number", "year", "serial", "applicant_kind", "applicant_name", "applicant_initials", "content",
              "received_date", "clock_start", "stage", "reply_date", "delivery_date",
              "archive_date", "section", "handler")      # outcome labels' round trip: issue 21's tests
    before = sorted(tuple(getattr(c, f) for f in fields) for c in Case.select())
    before_due = {c.number: c.due_date for c in Case.select()}
    out = tmp_path / "all.xlsx"
    n = ledger.export_ledger(out)
    _fresh_db(tmp_path)
    seen = []
    res = ledger.import_ledger(out, SYSTEM, progress=lambda d, t: seen.append((d, t)))
    assert res.created == n and len(res.numbers) == n
    after = sorted(tuple(getattr(c, f) for f in fields) for c in Case.select())
    assert after == before
    from gkdesk import audit

    assert audit.verify_chain() == []
    ev = list(CaseEvent.select().where(CaseEvent.case.is_null(False)).order_by(CaseEvent.id))
    assert [e.case_id for e in ev] == [Case.get(Case.number == num).id for num in res.numbers]
    assert all(e.action == "import" and e.user == "system" and e.to_stage == e.case.stage for e in ev)
    d2 = Case.get(Case.number == d_case.number)
    assert d2.corrections.count() == 1 and d2.consultations.count() == 1 and d2.extensions.count() == 1
    due = {c.number: c.due_date for c in Case.select()}
    assert due == before_due                 # the recorded 答复期限 comes back as it was
    assert Correction.select().count() >= 1
    # the progress of the writing part rises to the total
    writes = [d for d, t in seen if t == n]
    assert writes and writes[-1] == n and writes == sorted(writes)
    # registering after the import continues the numbers without a gap
    from .conftest import make_case

    top = max(c.serial for c in Case.select().where(Case.year == 2025))
    assert make_case(D(2025, 2, 2)).serial == top + 1


def test_new_numbers_are_drawn_without_a_gap(db_path, tmp_path):
    from .conftest import make_case

    make_case(D(2025, 1, 6))                              # 依申〔2025〕1号
    rows = [[f"旧-{i}", "自然人", f"申请人{i}", "", "", "", "", "", "某文件", "", D(2025, 2, 1 + i)] for i in range(5)]
    f = _write(tmp_path / "l.xlsx", LEDGER_HEADERS[:11], rows)
    ledger.import_ledger(f, SYSTEM)
    from gkdesk.db.models import Case, NumberSequence

    serials = sorted(c.serial for c in Case.select().where(Case.year == 2025))
    assert serials == [1, 2, 3, 4, 5, 6]
    assert NumberSequence.get(scope="case", year=2025).last == 6


def test_cancel_while_writing_leaves_nothing(db_path, tmp_path):
    rows = [[f"X-{i}", "自然人", "张三", "", "", "", "", "", "某文件", "", D(2025, 3, 4)] for i in range(12_000)]
    f = _write(tmp_path / "big.xlsx", LEDGER_HEADERS[:11], rows)
    snap = _counts()
    state = {"reading_done": False}

    def progress(done, total):
        if total == 12_000 and done >= 3000:
            state["reading_done"] = True

    def cancelled():
        return state["reading_done"]

    with pytest.raises(Cancelled):
        ledger.import_ledger(f, SYSTEM, progress=progress, cancelled=cancelled)
    assert _counts() == snap


def test_initials_many_equals_initials():
    from gkdesk.cases.registry import initials, initials_many

    names = ["张三", "单雄信", "曾经", "重庆市某公司", "John Smith", "李\n四", "", "银行行长", "乐乐", "A张B",
             "张三", "〇一二", "赟喆堃"] * 60
    assert initials_many(names) == [initials(n) for n in names]


def test_bulk_converters_give_what_db_value_gives(db_path):
    import peewee as pw

    from gkdesk.db import bulk, models

    samples = ["文字", "", 0, 7, True, False, D(2025, 1, 2), dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.timezone.utc),
               {"a": [1, "二"]}, 1.5]
    for model in models.BaseModel.__subclasses__():
        for f in model._meta.fields.values():
            conv = bulk._converter(f)
            for v in samples:
                try:
                    expect = f.db_value(v)
                except Exception:                        # noqa: BLE001 - a value the field refuses
                    continue
                if isinstance(expect, (dt.date, dt.datetime)):
                    expect = expect.isoformat()
                assert conv(v) == expect and type(conv(v)) is type(expect), (model, f.name, v)
    assert isinstance(models.Case.number, pw.CharField)


def test_export_keeps_text_as_text(db_path, tmp_path):
    from .conftest import make_case

    make_case(D(2025, 3, 4), name="=HYPERLINK(\"http://x\")", content="http://example.com/申请 =1+1")
    out = tmp_path / "t.xlsx"
    ledger.export_ledger(out)
    ws = load_workbook(out).active
    assert ws.freeze_panes == "B2"
    row = [c for c in ws[2]]
    col = {h: i for i, h in enumerate(LEDGER_HEADERS)}
    assert row[col["申请人"]].value == "=HYPERLINK(\"http://x\")" and row[col["申请人"]].data_type == "s"
    assert row[col["申请内容"]].value == "http://example.com/申请 =1+1" and row[col["申请内容"]].hyperlink is None
    assert ws[1][0].font.b
    _fresh_db(tmp_path)
    ledger.import_ledger(out, SYSTEM)
    from gkdesk.db.models import Case

    assert Case.get().applicant_name == "=HYPERLINK(\"http://x\")"


def test_cancelled_export_leaves_no_file(db_path, tmp_path):
    from gkdesk.demo import generate

    generate(2100, seed=3, units=1, today=D(2026, 11, 20))
    out = tmp_path / "c.xlsx"
    with pytest.raises(Cancelled):
        ledger.export_ledger(out, cancelled=lambda: True)
    assert not out.exists() and not list(tmp_path.glob(".c.xlsx.*"))


@pytest.mark.libreoffice
def test_exported_ledger_survives_libreoffice_and_imports_back_unchanged(db_path, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) not installed")
    scenario.build()
    from gkdesk.db.models import Case

    fields = ("number", "applicant_kind", "applicant_name", "id_type", "content", "channel", "received_date",
              "clock_start", "stage", "reply_date", "reply_number", "delivery_method",
              "delivery_date", "archive_date", "section", "handler", "note")
    before = sorted(tuple(getattr(c, f) for f in fields) for c in Case.select())
    out = tmp_path / "ledger.xlsx"
    ledger.export_ledger(out)
    lo = tmp_path / "lo"
    proc = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                           "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(lo), str(out)],
                          capture_output=True, text=True, timeout=180)
    resaved = lo / "ledger.xlsx"
    assert resaved.exists(), proc.stdout + proc.stderr

    def cells(path):
        sheet = xlsx_rows.read_rows(path)
        try:
            return [tuple(_norm(v) for v in vals) for _r, vals, _f in sheet.rows]
        finally:
            sheet.close()

    assert cells(resaved) == cells(out)                   # every cell as gkdesk wrote it
    _fresh_db(tmp_path)
    res = ledger.import_ledger(resaved, SYSTEM)
    assert res.created == len(before)
    after = sorted(tuple(getattr(c, f) for f in fields) for c in Case.select())
    assert after == before


def test_a_damaged_file_is_refused_with_a_message(db_path, tmp_path, reader):
    f = tmp_path / "d.xlsx"
    f.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportError_) as ei:
        ledger.import_ledger(f, SYSTEM)
    assert "d.xlsx" in str(ei.value)
