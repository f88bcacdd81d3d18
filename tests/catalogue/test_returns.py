"""A unit's catalogue goes out as xlsx and comes back with messy edits — saved by LibreOffice
(standing in for WPS), marks typed as 是/√/■, an inserted column, an item marked 删除, a
changed one, a new one — and round-trips: every problem by cell, a diff per item, saved
only when accepted, in one transaction."""
import openpyxl
import pytest

from gkdesk.actors import SYSTEM
from gkdesk.catalogue import export, returns
from gkdesk.catalogue import items as svc
from gkdesk.errors import ValidationError

from .helpers import SOFFICE, by_name, col_of, compiled_unit, insert_column, letter, lo_convert, row_of


def _messy_return(src, dest):
    wb = openpyxl.load_workbook(src)
    ws = wb["社会救助"]
    # an inserted column (联系人) right after 公开主体, with something typed in it
    subject = col_of(ws, "公开主体")
    insert_column(ws, subject + 1, "联系人", {5: "张三", 6: "李四"})
    status, reason = col_of(ws, "变动情况"), col_of(ws, "变动原因（删除或修改必填）")
    mode_req, level_town = col_of(ws, "依申请"), col_of(ws, "乡级")
    audience = col_of(ws, "全社会")
    # marks retyped as 是 / ■ / √ (same meaning)
    r1 = row_of(ws, "政策法规文件")
    ws.cell(r1, audience).value = "是"
    r2 = row_of(ws, "救助结果")
    ws.cell(r2, audience + 1).value = "■"
    # 办事指南 of 最低生活保障: 依申请 added (typed 是) and the 公开时限 shortened, with a reason
    r3 = row_of(ws, "办事指南")
    ws.cell(r3, mode_req).value = "是"
    ws.cell(r3, col_of(ws, "公开时限")).value = "  自信息形成或变更之日起１０个工作日内 "
    ws.cell(r3, status).value = "修改"
    ws.cell(r3, reason).value = "本县承诺时限更短，并接受依申请公开"
    # 审批结果 deleted the right way: marked, with a reason
    r4 = row_of(ws, "审批结果")
    ws.cell(r4, status).value = "删除"
    ws.cell(r4, reason).value = "审批结果在村（居）务公开栏公示"
    # a new item typed at the end of the table (the note row moved down)
    last = max(r for r in range(5, ws.max_row + 1) if ws.cell(r, 3).value) + 1
    ws.insert_rows(last)
    values = {"一级事项": "最低生活保障", "二级事项": "资金使用情况", "公开内容（要素）": "年度资金使用总额",
              "公开依据": "《社会救助暂行办法》", "公开时限": "每年3月底前", "公开主体": "县民政局",
              "公开渠道和载体": "■政府网站", "全社会": "√", "主动": "√", "县级": "√", "变动情况": "新增"}
    for head, v in values.items():
        ws.cell(last, col_of(ws, head)).value = v
    ws.cell(r1, level_town).value = "√"
    wb.save(dest)


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_messy_return_saved_by_libreoffice_round_trips(db_path, tmp_path):
    v, u, its = compiled_unit(tmp_path)
    sent = export.export_unit(v, u, tmp_path / "out" / "民政局.xlsx")
    (tmp_path / "edited").mkdir()
    _messy_return(sent, tmp_path / "edited" / "民政局.xlsx")
    r = lo_convert(tmp_path / "edited" / "民政局.xlsx", "xlsx:Calc MS Excel 2007 XML", tmp_path / "back",
                   tmp_path / "lo-profile")
    back = tmp_path / "back" / "民政局.xlsx"
    assert back.exists(), r.stdout + r.stderr

    diff = returns.diff_return(back)
    assert diff.problems == [], diff.problems
    assert (diff.unit_name, diff.version_name) == ("民政局", "2020年目录")
    assert any("“联系人”不是标准目录的栏目，该列已忽略" in w for w in diff.warnings)
    kinds = {(c.kind, c.name) for c in diff.changes}
    assert kinds == {("change", "社会救助·最低生活保障·办事指南"), ("delete", "社会救助·最低生活保障·审批结果"),
                     ("add", "社会救助·最低生活保障·资金使用情况")}
    change = next(c for c in diff.changes if c.kind == "change")
    assert change.changed == ["time_limit", "mode"]
    assert change.text().startswith("修改“社会救助·最低生活保障·办事指南”：公开时限“自信息形成或变更之日起20个工作日内”→")
    assert "公开方式“主动”→“主动、依申请”（原因：本县承诺时限更短，并接受依申请公开）" in change.text()
    assert change.after.time_limit == "自信息形成或变更之日起10个工作日内"   # full-width digits and spaces folded

    res = returns.apply_returns([diff], SYSTEM)
    assert res.saved == ["民政局"] and res.changes == 3
    after = {(i.level1, i.level2): i for i in svc.unit_items(v, u)}
    assert after[("最低生活保障", "办事指南")].action == "change"
    assert after[("最低生活保障", "办事指南")].mode_request is True
    assert after[("最低生活保障", "审批结果")].action == "delete"
    assert after[("最低生活保障", "审批结果")].reason == "审批结果在村（居）务公开栏公示"
    assert after[("最低生活保障", "资金使用情况")].action == "add"
    assert after[("最低生活保障", "政策法规文件")].action == "keep"    # 是 for √, 乡级 unchanged

    # sent out again and returned untouched: nothing to change
    again = export.export_unit(v, u, tmp_path / "again" / "民政局.xlsx")
    d2 = returns.diff_return(again)
    assert d2.problems == [] and d2.changes == []


def test_deleted_row_and_missing_reason_are_problems(db_path, tmp_path):
    v, u, its = compiled_unit(tmp_path)
    sent = export.export_unit(v, u, tmp_path / "民政局.xlsx")
    wb = openpyxl.load_workbook(sent)
    ws = wb["社会救助"]
    ws.cell(row_of(ws, "救助结果"), col_of(ws, "公开时限")).value = "即时"          # changed, no reason
    ws.cell(row_of(ws, "办事指南"), col_of(ws, "变动情况")).value = "删除"         # deleted, no reason
    ws2 = wb["养老服务"]
    ws2.delete_rows(row_of(ws2, "补贴发放结果"))                                  # a row deleted outright
    ws.cell(row_of(ws, "政策法规文件"), col_of(ws, "主动")).value = "可能"         # not a mark
    wb.save(sent)
    diff = returns.diff_return(sent)
    text = "\n".join(diff.problems)
    assert not diff.accepted
    assert "“社会救助·临时救助·救助结果”与上级指引不同（公开时限），但没有填写修改原因" in text
    assert "“社会救助·最低生活保障·办事指南”标为删除，但没有填写删除原因" in text
    assert "“养老服务·高龄津贴·补贴发放结果”在交回的表格中找不到（整行被删除了）" in text
    mark_col = letter(col_of(ws, "主动"))
    assert f"民政局.xlsx!社会救助!{mark_col}5：公开方式（主动）“可能”不是勾选标记" in text
    before = [(i.id, i.action, i.time_limit) for i in svc.unit_items(v, u)]
    diff.accepted = True          # even when forced, a diff with problems is not saved
    with pytest.raises(ValidationError, match="有问题，不能保存"):
        returns.apply_returns([diff], SYSTEM)
    assert [(i.id, i.action, i.time_limit) for i in svc.unit_items(v, u)] == before


def test_rejected_diff_changes_nothing_and_all_or_nothing(db_path, tmp_path):
    v, u, its = compiled_unit(tmp_path)
    sent = export.export_unit(v, u, tmp_path / "民政局.xlsx")
    wb = openpyxl.load_workbook(sent)
    ws = wb["社会救助"]
    ws.cell(row_of(ws, "办事指南"), col_of(ws, "变动情况")).value = "删除"
    ws.cell(row_of(ws, "办事指南"), col_of(ws, "变动原因（删除或修改必填）")).value = "不再单独公开"
    wb.save(sent)
    diff = returns.diff_return(sent)
    assert diff.ok and len(diff.changes) == 1
    diff.accepted = False
    assert returns.apply_returns([diff], SYSTEM).changes == 0
    assert by_name(svc.unit_items(v, u), "最低生活保障", "办事指南").action == "keep"
    # someone changes the item meanwhile: the whole import is refused, nothing half-saved
    diff.accepted = True
    item = by_name(svc.unit_items(v, u), "最低生活保障", "办事指南")
    svc.delete_item(item.id, "另一人先删除", SYSTEM)
    svc.restore_item(item.id, SYSTEM)
    from gkdesk.errors import ConflictError

    with pytest.raises(ConflictError):
        returns.apply_returns([diff], SYSTEM)
    assert by_name(svc.unit_items(v, u), "最低生活保障", "办事指南").action == "keep"
