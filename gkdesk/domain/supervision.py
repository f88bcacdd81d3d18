"""Terms of the office's supervision work around the annual report (docs/annual-report.md,
docs/supervision.md §3–4), defined once: the report's six sections, its deadlines
(Art. 49, 50), the decisions of the yearly reviews and the conclusions of a
confidentiality review (保密审查)."""
from __future__ import annotations

import datetime as dt

from gkdesk.domain.terms import Term, _table

# The six sections of the national format (国办公开办函〔2021〕30号).
SECTIONS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

# Art. 49: departments report to the office by 31 January; Art. 50: the county's report
# is published by 31 March — of the year after the one reported on.
UNITS_DUE = (1, 31)
COUNTY_DUE = (3, 31)
UNITS_DUE_LABEL = "各单位年度报告报送截止（第四十九条）"
COUNTY_DUE_LABEL = "本级年度报告公布截止（第五十条）"


def units_due(report_year: int) -> dt.date:
    return dt.date(report_year + 1, *UNITS_DUE)


def county_due(report_year: int) -> dt.date:
    return dt.date(report_year + 1, *COUNTY_DUE)


# The yearly review of withheld and often-requested information: one decision per item.
REVIEW_KINDS = _table(("withheld", "不予公开信息复查"), ("frequent", "依申请公开较为集中的信息"))
REVIEW_DECISIONS = _table(("keep", "继续不予公开"), ("publish", "转为主动公开"))

# The register of 规章 and 行政规范性文件 (table 二, 第二十条第（一）项): the labels are table 二's rows.
REGULATION_KINDS = _table(("rule", "规章"), ("normative", "行政规范性文件"))
# Header words of a register workbook, by column (the first that matches names the column).
REGULATION_HEADERS = {
    "kind": ("类别", "种类", "文件类型", "类型"),
    "title": ("标题", "名称", "文件名称", "文件标题"),
    "number": ("文号", "发文字号", "编号"),
    "issued": ("发布日期", "制发日期", "印发日期", "公布日期", "成文日期", "发布时间"),
    "repealed": ("废止日期", "失效日期", "废止时间", "宣布失效日期"),
    "note": ("备注", "说明"),
}

# A confidentiality review before a disclosing reply.
CONFIDENTIALITY_CONCLUSIONS = _table(
    ("clear", "不涉密，可以公开"),
    ("redacted", "删除涉密或敏感内容后可以公开"),
    ("refused", "涉密，不得公开"),
)
CONFIDENTIALITY_ALLOWS_DISCLOSURE = ("clear", "redacted")

NO_TASKS_TEXT = "本年度未登记工作任务"


def label(table: dict[str, Term], code: str) -> str:
    t = table.get(code)
    return t.label if t else code
