"""Every way a case can end (docs/domain/outcomes.md), held once.

The outcome decides the reply-letter variant, the legal basis cited, the one row of
annual-report table 三 the case counts in, and the 办理结果 label of the ledger. Every
outcome has its own ledger label, so a ledger exported and imported again keeps it:
36(4) and 36(5) count in the same table-三 row but are told apart in the ledger.
"""
from __future__ import annotations

from dataclasses import dataclass

# Groups of table 三 (三、本年度办理结果), in report order.
GROUPS = {
    "disclose": "（一）予以公开",
    "partial": "（二）部分公开",
    "withhold": "（三）不予公开",
    "cannot": "（四）无法提供",
    "not_handled": "（五）不予处理",
    "other": "（六）其他处理",
}
# The row label printed in the official table for （二）, with its note.
PARTIAL_ROW_FULL_LABEL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"


@dataclass(frozen=True)
class Outcome:
    code: str
    description: str       # what happened, in Chinese, for pick lists
    basis: str             # legal basis cited in the letter ("" where none)
    group: str             # key of GROUPS
    report_row: str        # sub-row label of table 三 ("" for groups without sub-rows)
    label: str             # 办理结果 value of the ledger
    letter: str            # reply-letter variant (template name)
    needs_reason: bool     # the clerk must give the reason and article in the letter
    needs_agency: bool = False  # the letter names the responsible agency and its contact

    @property
    def group_label(self) -> str:
        return GROUPS[self.group]

    @property
    def report_key(self) -> str:
        """The JSON key of the table-三 row this outcome counts in."""
        if self.report_row:
            return f"{self.group_label}/{self.report_row}"
        return self.group_label


_W = "不予公开"
_C = "无法提供"
_N = "不予处理"
_O = "其他处理"

OUTCOMES: dict[str, Outcome] = {o.code: o for o in (
    Outcome("disclosed", "予以公开（提供信息或告知获取方式、途径和时间）", "《中华人民共和国政府信息公开条例》第三十六条第二项",
            "disclose", "", "予以公开", "disclose", False),
    Outcome("disclosed_proactive", "已主动公开，告知获取方式和途径", "《中华人民共和国政府信息公开条例》第三十六条第一项",
            "disclose", "", "予以公开（已主动公开）", "disclose_proactive", False),
    Outcome("partial", "部分公开（区分处理，其余不予公开并说明理由）", "《中华人民共和国政府信息公开条例》第三十七条",
            "partial", "", "部分公开", "partial", True),
    Outcome("secret", "属于国家秘密", "《中华人民共和国政府信息公开条例》第十四条",
            "withhold", "1.属于国家秘密", f"{_W}/属于国家秘密", "withhold", True),
    Outcome("law_forbids", "其他法律、行政法规禁止公开", "《中华人民共和国政府信息公开条例》第十四条",
            "withhold", "2.其他法律行政法规禁止公开", f"{_W}/其他法律行政法规禁止公开", "withhold", True),
    Outcome("security", "危及国家安全、公共安全、经济安全、社会稳定", "《中华人民共和国政府信息公开条例》第十四条",
            "withhold", "3.危及“三安全一稳定”", f"{_W}/危及“三安全一稳定”", "withhold", True),
    Outcome("third_party", "涉及商业秘密、个人隐私等，保护第三方合法权益", "《中华人民共和国政府信息公开条例》第十五条",
            "withhold", "4.保护第三方合法权益", f"{_W}/保护第三方合法权益", "withhold", True),
    Outcome("internal", "属于人事管理、后勤管理、内部工作流程等内部事务信息", "《中华人民共和国政府信息公开条例》第十六条第一款",
            "withhold", "5.属于三类内部事务信息", f"{_W}/属于三类内部事务信息", "withhold", True),
    Outcome("process_info", "属于讨论记录、过程稿、磋商信函、请示报告等过程性信息", "《中华人民共和国政府信息公开条例》第十六条第二款",
            "withhold", "6.属于四类过程性信息", f"{_W}/属于四类过程性信息", "withhold", True),
    Outcome("enforcement_file", "属于行政执法案卷信息", "《中华人民共和国政府信息公开条例》第十六条第二款",
            "withhold", "7.属于行政执法案卷", f"{_W}/属于行政执法案卷", "withhold", True),
    Outcome("admin_query", "属于有专门查询规定的行政查询事项", "《中华人民共和国政府信息公开条例》第三十六条第七项",
            "withhold", "8.属于行政查询事项", f"{_W}/属于行政查询事项", "withhold", True),
    Outcome("not_held", "经检索，本机关未制作或获取该政府信息", "《中华人民共和国政府信息公开条例》第三十六条第四项",
            "cannot", "1.本机关不掌握相关政府信息", f"{_C}/本机关不掌握相关政府信息", "not_held", False),
    Outcome("other_agency", "不属于本机关负责公开，告知负责公开的机关及联系方式", "《中华人民共和国政府信息公开条例》第三十六条第五项",
            "cannot", "1.本机关不掌握相关政府信息", f"{_C}/不属于本机关负责公开", "other_agency", False, True),
    Outcome("needs_creation", "需要另行制作或加工、分析", "《中华人民共和国政府信息公开条例》第三十八条",
            "cannot", "2.没有现成信息需要另行制作", f"{_C}/没有现成信息需要另行制作", "cannot", False),
    Outcome("unclear_after_correction", "补正后申请内容仍不明确", "《中华人民共和国政府信息公开条例》第三十条",
            "cannot", "3.补正后申请内容仍不明确", f"{_C}/补正后申请内容仍不明确", "cannot", False),
    Outcome("petition", "属于信访、投诉、举报等事项", "《中华人民共和国政府信息公开条例》第三十九条第一款",
            "not_handled", "1.信访举报投诉类申请", f"{_N}/信访举报投诉类申请", "not_handled", False),
    Outcome("repeat", "重复申请相同政府信息", "《中华人民共和国政府信息公开条例》第三十六条第六项",
            "not_handled", "2.重复申请", f"{_N}/重复申请", "not_handled", False),
    Outcome("publication", "要求提供政府公报、报刊、书籍等公开出版物", "《中华人民共和国政府信息公开条例》第三十九条第二款",
            "not_handled", "3.要求提供公开出版物", f"{_N}/要求提供公开出版物", "not_handled", False),
    Outcome("excessive", "无正当理由大量、反复申请", "《中华人民共和国政府信息公开条例》第三十五条",
            "not_handled", "4.无正当理由大量反复申请", f"{_N}/无正当理由大量反复申请", "not_handled", False),
    Outcome("confirm_reissue", "要求确认或重新出具已获取的信息", "",
            "not_handled", "5.要求行政机关确认或重新出具已获取信息",
            f"{_N}/要求行政机关确认或重新出具已获取信息", "not_handled", False),
    Outcome("no_correction", "申请人无正当理由逾期不补正", "《中华人民共和国政府信息公开条例》第三十条",
            "other", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", f"{_O}/逾期不补正",
            "termination", False),
    Outcome("fee_unpaid", "申请人逾期未按收费通知缴纳费用", "《政府信息公开信息处理费管理办法》",
            "other", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", f"{_O}/逾期未缴费",
            "termination", False),
    Outcome("other", "其他（如申请人撤回申请）", "",
            "other", "3.其他", f"{_O}/其他", "other", False),
)}

# Outcomes the clerk may pick for an ordinary reply. The three "stops" come from their
# own actions (abandonment of a correction or a fee, withdrawal).
TERMINATION_OUTCOMES = ("no_correction", "fee_unpaid")


def outcome(code: str) -> Outcome:
    try:
        return OUTCOMES[code]
    except KeyError:
        raise KeyError(f"未知的办理结果代码：{code}") from None


# Ledger labels that in an earlier release named more than one outcome: the label → the
# outcomes it may stand for in an old file, the first being what an import of it creates. In
# 0.1.0, 36(4) and 36(5) shared the 36(4) label, so an old ledger cannot tell them apart.
LEGACY_LABELS: dict[str, tuple[str, ...]] = {
    f"{_C}/本机关不掌握相关政府信息": ("not_held", "other_agency"),
}


def outcome_by_label(label: str) -> Outcome | None:
    """The outcome whose ledger label is ``label`` (each label names one outcome)."""
    label = (label or "").strip()
    for o in OUTCOMES.values():
        if o.label == label:
            return o
    return None


def outcomes_for_label(label: str) -> tuple[str, ...]:
    """Every outcome code the ledger label ``label`` may stand for, in any release:
    one code for a current label, several for an ambiguous legacy one, () if unknown."""
    label = (label or "").strip()
    if label in LEGACY_LABELS:                 # the first code is the label's present meaning
        return LEGACY_LABELS[label]
    o = outcome_by_label(label)
    return (o.code,) if o is not None else ()


def table3_result_keys() -> list[str]:
    """The result-row keys of table 三 in report order (JSON keys of annual-report.md)."""
    keys: list[str] = []
    for o in OUTCOMES.values():
        if o.report_key not in keys:
            keys.append(o.report_key)
    return keys


# Replies that release information: a confidentiality review comes first (supervision §4).
DISCLOSING_GROUPS = ("disclose", "partial")


def withheld_outcomes() -> tuple[str, ...]:
    """Outcomes whose cases feed the yearly review of withheld information."""
    return tuple(c for c, o in OUTCOMES.items() if o.group in ("withhold", "partial"))
