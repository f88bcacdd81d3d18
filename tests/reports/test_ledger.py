"""The ledger (台账): export, import into a fresh database, all-or-nothing refusal with
row/column problems, idempotent re-import, numbering kept consistent."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from gkdesk.actors import SYSTEM, Actor
from gkdesk.errors import ImportError_, PermissionDenied
from gkdesk.reports import annual, ledger

from . import scenario
from .conftest import make_case

D = dt.date

# ledger.md, spelled out here
LEDGER_HEADERS = ["受理编号", "申请人类型", "申请人", "证件类型", "证件号码", "联系电话", "通讯地址", "电子邮箱",
                  "申请内容", "申请渠道", "收到申请日期", "补正告知日期", "补正收到日期", "征求意见开始日期",
                  "征求意见结束日期", "延期告知日期", "答复期限", "答复日期", "答复文号", "办理结果", "送达方式",
                  "送达日期", "归档日期", "承办股室", "承办人", "备注"]

GOOD_ID = "11010519491231002X"      # GB 11643 example, valid check digit


def _write(path, headers, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _fresh_db(tmp_path, name="fresh.sqlite3"):
    from gkdesk.db import close_database, open_database

    close_database()
    open_database(tmp_path / name)


def _counts():
    from gkdesk.db.models import Case, CaseEvent, Consultation, Correction, Extension, NumberSequence

    return tuple(m.select().count() for m in (Case, CaseEvent, Correction, Consultation, Extension)) + (
        sorted((s.year, s.last) for s in NumberSequence.select()),)


def test_columns_are_the_ledger_columns():
    assert list(ledger.HEADERS) == LEDGER_HEADERS
    assert [c.header for c in ledger.COLUMNS if c.required] == ["受理编号", "申请人类型", "申请人", "申请内容",
                                                                 "收到申请日期"]


def test_export_writes_real_dates_and_labels(db_path, tmp_path):
    ids = scenario.build()
    from gkdesk.db.models import Case, Consultation, Extension

    d_case = Case.get_by_id(ids["D"])
    Consultation.create(case=d_case, kind="third_party", party="某公司", sent_date=D(2026, 1, 6),
                        answer_due=D(2026, 1, 27), answer_date=D(2026, 1, 12))
    Extension.create(case=d_case, working_days=10, reason="复杂", approver="王主任", notice_date=D(2026, 1, 14))
    out = tmp_path / "台账.xlsx"
    n = ledger.export_ledger(out, D(2025, 1, 1), D(2025, 12, 31))
    assert n == 25                              # received in 2025: 23 + D + E
    wb = load_workbook(out)
    ws = wb.active
    assert [c.value for c in ws[1]] == LEDGER_HEADERS
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert len(rows) == 25
    r = rows[d_case.number]
    col = {h: i for i, h in enumerate(LEDGER_HEADERS)}
    assert r[col["申请人类型"]].value == "自然人"
    assert r[col["收到申请日期"]].value == dt.datetime(2025, 12, 15)
    assert r[col["收到申请日期"]].number_format == "yyyy-mm-dd"
    assert r[col["补正告知日期"]].value == dt.datetime(2025, 12, 18)
    assert r[col["补正收到日期"]].value == dt.datetime(2026, 1, 5)
    assert r[col["征求意见开始日期"]].value == dt.datetime(2026, 1, 6)
    assert r[col["征求意见结束日期"]].value == dt.datetime(2026, 1, 12)
    assert r[col["延期告知日期"]].value == dt.datetime(2026, 1, 14)
    assert r[col["答复日期"]].value == dt.datetime(2026, 1, 20)
    assert r[col["办理结果"]].value == "部分公开"
    assert r[col["申请渠道"]].value == "当面"
    assert r[col["证件类型"]].value is None         # 无 is a blank cell
    e = rows[Case.get_by_id(ids["E"]).number]
    assert e[col["办理结果"]].value == "无法提供/本机关不掌握相关政府信息"
    # an open period exports everything; an empty one just the header
    assert ledger.export_ledger(tmp_path / "all.xlsx") == Case.select().count()
    assert ledger.export_ledger(tmp_path / "none.xlsx", D(2030, 1, 1)) == 0
    assert load_workbook(tmp_path / "none.xlsx").active.max_row == 1


def test_round_trip_into_a_fresh_database_gives_the_same_tables(db_path, tmp_path):
    scenario.build()
    before = {y: annual.table3(y) for y in (2023, 2024, 2025, 2026)}
    from gkdesk.db.models import Case

    due_before = Case.get(Case.received_date == D(2025, 12, 15)).due_date
    out = tmp_path / "all.xlsx"
    n = ledger.export_ledger(out)
    _fresh_db(tmp_path)
    res = ledger.import_ledger(out, SYSTEM)
    assert res.created == n and res.unchanged == 0
    for y, t in before.items():
        assert annual.table3(y) == t, y
        assert annual.check(y) == []
    from gkdesk.db.models import Case, CaseEvent

    d = Case.get(Case.received_date == D(2025, 12, 15))
    assert d.clock_start == D(2026, 1, 5)            # corrected application restarts the clock
    assert d.due_date == due_before                  # the deadline the ledger recorded is kept
    assert d.stage == "replied"
    assert d.corrections.count() == 1 and d.corrections[0].received_date == D(2026, 1, 5)
    assert CaseEvent.select().where(CaseEvent.action == "import").count() == n
    from gkdesk import audit

    assert audit.verify_chain() == []


def test_reimport_changes_nothing(db_path, tmp_path):
    f = _write(tmp_path / "l.xlsx", LEDGER_HEADERS[:11] + ["答复日期", "办理结果"], [
        ["A-001", "自然人", "张三", "居民身份证", GOOD_ID, "13800138000", "", "", "某路改造批复", "当面",
         "2025-03-04", "2025-03-20", "予以公开"],
        ["A-002", "商业企业", "某公司", "", "", "", "", "", "某项目环评", "", D(2025, 4, 1), None, None],
    ])
    first = ledger.import_ledger(f, SYSTEM)
    assert first.created == 2
    snap = _counts()
    second = ledger.import_ledger(f, SYSTEM)
    assert second.created == 0 and second.unchanged == 2 and second.warnings == []
    assert _counts() == snap


def test_reimport_of_changed_row_warns_and_keeps_the_case(db_path, tmp_path):
    headers = ["受理编号", "申请人类型", "申请人", "申请内容", "收到申请日期"]
    ledger.import_ledger(_write(tmp_path / "a.xlsx", headers, [["B-1", "自然人", "张三", "某文件", "2025-03-04"]]),
                         SYSTEM)
    res = ledger.import_ledger(_write(tmp_path / "b.xlsx", headers, [["B-1", "自然人", "李四", "某文件", "2025-03-04"]]),
                               SYSTEM)
    assert res.created == 0 and len(res.warnings) == 1 and "申请人" in res.warnings[0]
    from gkdesk.db.models import Case

    assert Case.get(Case.number == "B-1").applicant_name == "张三"


def test_bad_ledger_changes_nothing_and_lists_every_problem(db_path, tmp_path):
    make_case(D(2025, 1, 6))
    snap = _counts()
    headers = ["申请人", "受理编号", "申请人类型", "申请内容", "收到申请日期", "证件类型", "证件号码",
               "答复日期", "办理结果", "送达日期", "序号"]
    rows = [
        ["张三", "C-1", "自然人", "某文件", "2025-03-04", "居民身份证", GOOD_ID, "2025-03-10", "予以公开", None, 1],  # good
        ["李四", "C-2", "个人", "某文件", "2025-03-04", None, None, None, None, None, 2],           # row 3: kind
        ["王五", "C-3", "自然人", None, "2025/13/01", None, None, None, None, None, 3],             # row 4: content, date
        ["赵六", "C-4", "自然人", "某文件", "2025-03-04", "居民身份证", "110105194912310021", None, None, None, 4],  # row 5: id
        ["钱七", "C-5", "自然人", "某文件", "2025-03-04", None, None, "2025-03-09", None, None, 5],  # row 6: outcome missing
        ["孙八", "C-6", "自然人", "某文件", "2025-03-04", None, None, None, "予以公开", None, 6],     # row 7: no reply
        ["周九", "C-1", "自然人", "某文件", "2025-03-04", None, None, None, None, None, 7],           # row 8: duplicate
        ["吴十", "C-8", "自然人", "某文件", "=TODAY()", None, None, None, None, None, 8],            # row 9: formula
        ["郑一", "C-9", "自然人", "某文件", 45000, None, None, "2025-03-01", "公开了", "2025-02-01", 9],  # row 10
    ]
    f = _write(tmp_path / "bad.xlsx", headers, rows)
    with pytest.raises(ImportError_) as ei:
        ledger.import_ledger(f, SYSTEM)
    probs = ei.value.problems
    text = "\n".join(probs)
    assert "数据库未作任何改动" in str(ei.value)
    expected = [
        "第3行，C列（申请人类型）",
        "第4行，D列（申请内容）",
        "第4行，E列（收到申请日期）",
        "第5行，G列（证件号码）",
        "第6行，I列（办理结果）",
        "第7行，I列（办理结果）",
        "第8行，B列（受理编号）",
        "第9行，E列（收到申请日期）",
        "第10行，E列（收到申请日期）",
        "第10行，I列（办理结果）",
        "第10行，J列（送达日期）",
    ]
    for e in expected:
        assert any(p.startswith(e) for p in probs), (e, text)
    assert len(probs) == len(expected), text
    assert "公式" in next(p for p in probs if p.startswith("第9行"))
    assert "校验位" in next(p for p in probs if p.startswith("第5行"))
    assert "与第2行重复" in next(p for p in probs if p.startswith("第8行"))
    assert ei.value.warnings and "序号" in ei.value.warnings[0]
    assert _counts() == snap


def test_header_order_free_extra_columns_warned_and_missing_required(db_path, tmp_path):
    f = _write(tmp_path / "h.xlsx", ["备注", "收到申请日期", "申请内容", "申请人", "申请人类型", "受理编号", "经办科室"],
               [["旧台账", D(2024, 5, 6), "某文件", "某研究院", "科研机构", "旧-9", "x"]])
    res = ledger.import_ledger(f, SYSTEM)
    assert res.created == 1 and any("经办科室" in w for w in res.warnings)
    from gkdesk.db.models import Case

    c = Case.get(Case.number == "旧-9")
    assert (c.applicant_kind, c.note, c.received_date, c.stage, c.id_type) == (
        "research", "旧台账", D(2024, 5, 6), "registered", "none")
    g = _write(tmp_path / "m.xlsx", ["受理编号", "申请人", "申请内容"], [["x", "y", "z"]])
    with pytest.raises(ImportError_) as ei:
        ledger.import_ledger(g, SYSTEM)
    assert "缺少必填的列" in ei.value.problems[0] and "申请人类型" in ei.value.problems[0]
    assert "收到申请日期" in ei.value.problems[0]


def test_imported_numbers_keep_future_registrations_clear(db_path, tmp_path):
    from gkdesk.db.models import Case, NumberSequence

    first = make_case(D(2025, 1, 6))                       # 依申〔2025〕1号, sequence at 1
    assert first.number == "依申〔2025〕1号"
    headers = ["受理编号", "申请人类型", "申请人", "申请内容", "收到申请日期"]
    f = _write(tmp_path / "n.xlsx", headers, [
        ["依申〔2025〕5号", "自然人", "甲", "某文件", "2025-02-01"],      # parsed serial 5, free
        ["2025-017", "自然人", "乙", "某文件", "2025-02-02"],            # not parseable: allocated
        ["某局〔2025〕1号", "自然人", "丙", "某文件", "2025-02-03"],       # serial 1 taken: allocated
        ["依申〔2026〕3号", "自然人", "丁", "某文件", "2025-12-30"],       # our prefix, other year
    ])
    res = ledger.import_ledger(f, SYSTEM)
    assert res.created == 4
    got = {c.number: (c.year, c.serial) for c in Case.select()}
    assert got["依申〔2025〕5号"] == (2025, 5)
    assert got["2025-017"][0] == 2025 and got["2025-017"][1] > 5
    assert got["某局〔2025〕1号"][0] == 2025 and got["某局〔2025〕1号"][1] > 5
    assert got["依申〔2026〕3号"][0] == 2025
    serials = [s for (y, s) in got.values() if y == 2025]
    assert len(serials) == len(set(serials))
    seq = {(s.year): s.last for s in NumberSequence.select().where(NumberSequence.scope == "case")}
    assert seq[2025] == max(serials)
    assert seq[2026] >= 3
    # registering afterwards neither collides on (year, serial) nor on the number text
    later = make_case(D(2025, 3, 1))
    assert later.serial == max(serials) + 1
    y26 = make_case(D(2026, 1, 5))
    assert y26.number == "依申〔2026〕4号"


def test_dates_text_and_real_and_stage_from_data(db_path, tmp_path):
    headers = LEDGER_HEADERS
    col = {h: i for i, h in enumerate(headers)}

    def row(**kw):
        r = [None] * len(headers)
        base = {"申请人类型": "自然人", "申请人": "张三", "申请内容": "某文件"}
        for k, v in {**base, **kw}.items():
            r[col[k]] = v
        return r

    f = _write(tmp_path / "d.xlsx", headers, [
        row(受理编号="D-1", 收到申请日期="2025/3/4", 答复日期=D(2025, 3, 20), 办理结果="部分公开",
            送达日期="2025年3月21日", 送达方式="邮寄送达", 归档日期="2025-04-01"),
        row(受理编号="D-2", 收到申请日期=dt.datetime(2025, 5, 6), 补正告知日期="2025-05-08"),
        row(受理编号="D-3", 收到申请日期="2025-06-02", 征求意见开始日期="2025-06-05", 承办人="王五"),
        row(受理编号="D-4", 收到申请日期="2025-06-02", 答复日期="2025-06-20", 办理结果="其他处理/逾期不补正",
            送达日期="2025-06-22"),
        row(受理编号="D-5", 收到申请日期="2025-07-01", 延期告知日期="2025-07-25", 答复期限="2000-01-01",
            申请渠道="网络平台", 证件类型="护照", 证件号码="E12345678"),
    ])
    res = ledger.import_ledger(f, SYSTEM, today=D(2025, 8, 1))
    from gkdesk.cases import deadlines
    from gkdesk.db.models import Case

    c = {x.number: x for x in Case.select()}
    assert (c["D-1"].received_date, c["D-1"].stage, c["D-1"].outcome, c["D-1"].delivery_method) == (
        D(2025, 3, 4), "archived", "partial", "post")
    assert c["D-1"].delivery_date == D(2025, 3, 21)
    assert c["D-2"].stage == "correcting"
    assert c["D-3"].stage == "handling" and c["D-3"].paused
    assert c["D-4"].stage == "delivered"
    # 答复期限 not after the date of receipt is ignored, with a warning: recomputed (20 + 20
    # working days after an extension)
    assert c["D-5"].due_date == deadlines.due_from(D(2025, 7, 1), extend=20).date
    assert [w for w in res.warnings if "答复期限" in w] == [
        "第6行，Q列（答复期限）：2000-01-01不晚于收到申请日期，已按规定重新计算"]
    assert (c["D-5"].channel, c["D-5"].id_type, c["D-5"].id_number) == ("online", "passport", "E12345678")


def test_import_needs_clerk_or_admin(db_path, tmp_path):
    f = _write(tmp_path / "x.xlsx", ["受理编号", "申请人类型", "申请人", "申请内容", "收到申请日期"],
               [["X-1", "自然人", "张三", "某文件", "2025-03-04"]])
    with pytest.raises(PermissionDenied):
        ledger.import_ledger(f, Actor("leader1", "领导", frozenset({"leader"})))


def test_not_an_xlsx_is_refused(db_path, tmp_path):
    p = tmp_path / "fake.xlsx"
    p.write_text("hello")
    with pytest.raises(ImportError_) as ei:
        ledger.import_ledger(p, SYSTEM)
    assert "台账“fake.xlsx”：不是 xlsx 文件" in str(ei.value)   # the safe opener sniffs the content
    q = tmp_path / "ledger.csv"
    q.write_text("a,b")
    with pytest.raises(ImportError_):
        ledger.import_ledger(q, SYSTEM)


def test_size_limits(db_path, tmp_path, monkeypatch):
    headers = ["受理编号", "申请人类型", "申请人", "申请内容", "收到申请日期"]
    f = _write(tmp_path / "big.xlsx", headers, [[f"S-{i}", "自然人", "张三", "某文件", "2025-03-04"] for i in range(5)])
    monkeypatch.setattr(ledger, "MAX_ROWS", 3)
    with pytest.raises(ImportError_) as ei:
        ledger.import_ledger(f, SYSTEM)
    assert "上限 3 行" in str(ei.value)
    monkeypatch.setattr(ledger, "MAX_ROWS", 200_000)
    monkeypatch.setattr(ledger, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ImportError_) as ei:
        ledger.import_ledger(f, SYSTEM)
    assert "文件过大" in str(ei.value) and "请分成几个文件导入" in str(ei.value)
    from gkdesk.db.models import Case

    assert Case.select().count() == 0
    # a text longer than its column allows is a row/column problem
    monkeypatch.setattr(ledger, "MAX_FILE_BYTES", 50 * 1024 * 1024)
    g = _write(tmp_path / "long.xlsx", headers, [["L" * 65, "自然人", "张三", "某文件", "2025-03-04"]])
    with pytest.raises(ImportError_) as ei:
        ledger.import_ledger(g, SYSTEM)
    assert ei.value.problems[0].startswith("第2行，A列（受理编号）：超过64个字符")


def test_export_masks_personal_data_unless_asked_and_audited(db_path, tmp_path):
    import openpyxl

    from gkdesk.actors import Actor, SYSTEM
    from gkdesk.cases.registry import ApplicationInput, register
    from gkdesk.db.models import Case, CaseEvent
    from gkdesk.errors import PermissionDenied

    register(ApplicationInput(applicant_name="张三", id_type="resident_id", id_number="11010519491231002X",
                              phone="13800138000", content="x", received_date=D(2026, 3, 2)), "c",
             today=D(2026, 3, 2))

    def cells(path):
        ws = openpyxl.load_workbook(path).active
        head = [c.value for c in ws[1]]
        row = [c.value for c in ws[2]]
        return row[head.index("证件号码")], row[head.index("联系电话")]

    masked = tmp_path / "masked.xlsx"
    ledger.export_ledger(masked)
    assert cells(masked) == ("110105********002X", "138****8000")
    leader = Actor("lead", "林", frozenset({"leader"}))
    with pytest.raises(PermissionDenied):
        ledger.export_ledger(tmp_path / "no.xlsx", personal_for=leader)
    full = tmp_path / "full.xlsx"
    ledger.export_ledger(full, personal_for=SYSTEM)
    assert cells(full) == ("11010519491231002X", "13800138000")
    assert CaseEvent.select().where(CaseEvent.action == "privacy.export").count() == 1
    # a masked ledger imports into another database with the masked values left blank
    from gkdesk.db import open_database

    open_database(tmp_path / "other.sqlite3")
    ledger.import_ledger(masked, SYSTEM)
    c = Case.get()
    assert (c.id_number, c.phone) == ("", "")


def test_ledger_import_refuses_a_zip_bomb_and_a_renamed_xls_as_the_annex_import_does(db_path, tmp_path, monkeypatch):
    """The ledger goes through the one safe opener (gkdesk/xlsxkit.py): nothing is unpacked
    past the limit, an old-format file under an .xlsx name is named as such, nothing saved."""
    import zipfile

    from gkdesk.db.models import Case

    headers = ["受理编号", "申请人类型", "申请人", "申请内容", "收到申请日期"]
    bomb = _write(tmp_path / "台账.xlsx", headers, [["B-1", "自然人", "张三", "某文件", "2025-03-04"]])
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/zeros.bin", b"\0" * (40 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    monkeypatch.setattr(ledger, "MAX_UNZIPPED_BYTES", 20 * 1024 * 1024)
    with pytest.raises(ImportError_) as ei:
        ledger.import_ledger(bomb, SYSTEM)
    assert "台账“台账.xlsx”：表格内容过大（解压后 40 MB" in str(ei.value) and "已拒绝" in str(ei.value)

    renamed = tmp_path / "旧台账.xlsx"
    renamed.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)     # an .xls saved under .xlsx
    with pytest.raises(ImportError_) as ei:
        ledger.import_ledger(renamed, SYSTEM)
    assert "台账“旧台账.xlsx”：这是旧版 Excel（.xls）" in str(ei.value) and "另存为 .xlsx" in str(ei.value)
    old = tmp_path / "旧台账.xls"
    old.write_bytes(renamed.read_bytes())
    with pytest.raises(ImportError_) as ei:
        ledger.import_ledger(old, SYSTEM)
    assert "不是 xlsx 文件（.xls 格式）" in str(ei.value)
    assert Case.select().count() == 0
