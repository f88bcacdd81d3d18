"""A guidance workbook typed by hand in the layout county governments publish (two-row merged
headers, √ and ■ marks in sub-columns, the items of one 一级事项 merged down, 公开主体
merged down), two fields on two sheets. ``python -m tests.catalogue.guidance_fixture OUT``
writes it; the tests import ``write`` and ``GUIDANCE``."""
from __future__ import annotations

import sys
from dataclasses import dataclass

import openpyxl
from openpyxl.styles import Alignment


@dataclass(frozen=True)
class Row:
    level1: str
    level2: str
    content: str
    basis: str
    time_limit: str
    subject: str
    channel: str
    marks: tuple[str, str, str, str, str, str]   # 全社会 特定群体 主动 依申请 县级 乡级 as typed
    remark: str = ""


SA_BASIS = "《社会救助暂行办法》《中华人民共和国政府信息公开条例》"
SA_CHANNEL = "■政府网站  ■政务新媒体  ■公开查阅点"
GUIDANCE: dict[str, list[Row]] = {
    "社会救助": [
        Row("最低生活保障", "政策法规文件", "《社会救助暂行办法》等法规文件；本地最低生活保障标准", SA_BASIS,
            "自信息形成或变更之日起20个工作日内", "县民政局", SA_CHANNEL, ("√", "", "√", "", "√", "√")),
        Row("最低生活保障", "办事指南", "申请条件、申请材料、办理流程、办理时限、咨询电话", SA_BASIS,
            "自信息形成或变更之日起20个工作日内", "县民政局", SA_CHANNEL, ("√", "", "√", "", "√", "√")),
        Row("最低生活保障", "审批结果", "救助对象姓名、所在村（社区）、保障人数、救助金额", SA_BASIS,
            "每月10日前更新", "县民政局", "■公开查阅点  ■村（居）务公开栏", ("√", "", "√", "", "√", "√"),
            "去除身份证号等个人隐私"),
        Row("特困人员救助供养", "政策法规文件", "特困人员认定办法、救助供养标准", SA_BASIS,
            "自信息形成或变更之日起20个工作日内", "县民政局", SA_CHANNEL, ("■", "", "■", "", "■", "")),
        Row("特困人员救助供养", "办事指南", "申请条件、申请材料、办理流程、办理时限", SA_BASIS,
            "自信息形成或变更之日起20个工作日内", "县民政局", SA_CHANNEL, ("■", "", "■", "", "■", "■")),
        Row("临时救助", "救助结果", "救助对象、救助事由、救助金额", "《社会救助暂行办法》第四十七条至第五十一条",
            "救助审批后10个工作日内", "县民政局", "■申请人告知", ("", "√", "", "√", "√", "")),
    ],
    "养老服务": [
        Row("养老机构", "备案信息", "养老机构名称、地址、床位数、备案日期", "《养老机构管理办法》",
            "备案后20个工作日内", "县民政局", "■政府网站", ("√", "", "√", "", "√", "")),
        Row("高龄津贴", "补贴发放结果", "享受对象、发放标准、发放金额", "《福建省高龄老年人津贴发放办法》",
            "每季度", "各乡镇人民政府", "■村（居）务公开栏", ("", "√", "√", "√", "", "√")),
    ],
}
COUNT = sum(len(v) for v in GUIDANCE.values())
HEAD1 = ["序号", "公开事项", None, "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
         "公开对象", None, "公开方式", None, "公开层级", None, "备注"]
HEAD2 = [None, "一级事项", "二级事项", None, None, None, None, None,
         "全社会", "特定群体", "主动", "依申请", "县级", "乡级", None]


def _sheet(ws, field: str, rows: list[Row]) -> None:
    ws.title = field
    ws.merge_cells("A1:O1")
    ws["A1"] = f"某某县{field}领域基层政务公开标准目录"
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"] = "（上级标准指引，2020年版）"
    for c, v in enumerate(HEAD1, 1):
        if v:
            ws.cell(4, c, v)
    for c, v in enumerate(HEAD2, 1):
        if v:
            ws.cell(5, c, v)
    for rng in ("B4:C4", "I4:J4", "K4:L4", "M4:N4", "A4:A5", "D4:D5", "E4:E5", "F4:F5", "G4:G5", "H4:H5",
                "O4:O5"):
        ws.merge_cells(rng)
    start = 6
    for i, row in enumerate(rows):
        r = start + i
        ws.cell(r, 1, i + 1)
        ws.cell(r, 2, row.level1)
        ws.cell(r, 3, row.level2)
        ws.cell(r, 4, row.content)
        ws.cell(r, 5, row.basis)
        ws.cell(r, 6, row.time_limit)
        ws.cell(r, 7, row.subject)
        ws.cell(r, 8, row.channel)
        for k, mark in enumerate(row.marks):
            if mark:
                ws.cell(r, 9 + k, mark)
        if row.remark:
            ws.cell(r, 15, row.remark)
    # the items of one 一级事项 merged down, and the 公开主体 too where it repeats: the value
    # stays in the top cell only, as Excel keeps it
    for col, attr in ((2, "level1"), (7, "subject")):
        i = 0
        while i < len(rows):
            j = i
            while j + 1 < len(rows) and getattr(rows[j + 1], attr) == getattr(rows[i], attr):
                j += 1
            if j > i:
                for r in range(start + i + 1, start + j + 1):
                    ws.cell(r, col).value = None
                ws.merge_cells(start_row=start + i, start_column=col, end_row=start + j, end_column=col)
            i = j + 1
    ws.cell(start + len(rows) + 1, 1, "注：“√”或“■”表示适用。")


def write(path) -> None:
    wb = openpyxl.Workbook()
    first = True
    for field, rows in GUIDANCE.items():
        ws = wb.active if first else wb.create_sheet()
        first = False
        _sheet(ws, field, rows)
    wb.save(path)


if __name__ == "__main__":  # pragma: no cover
    write(sys.argv[1])
