"""The reasons library's categories and the default texts gkdesk ships, held once.

Every outcome that needs a reason in the letter (不予公开 and 部分公开, 无法提供, 不予处理,
其他处理) and the two notices that state one (延期答复, 收费) have a category. The defaults
are seeded from the outcomes (gkdesk.domain.outcomes: title = the outcome's description,
article = its legal basis); the office edits them in 设置 (gkdesk.cases.reasons keeps every
version, like document templates).
"""
from __future__ import annotations

from dataclasses import dataclass

from gkdesk.domain import outcomes as oc
from gkdesk.domain import rules

# category code → Chinese name, in the order 设置 lists them
CATEGORIES: dict[str, str] = {
    "withhold": "不予公开（含部分公开）",
    "cannot": "无法提供",
    "not_handled": "不予处理",
    "other": "其他处理",
    "extension": "延期答复",
    "fee": "收费",
}

# outcome group → category
_GROUP_CATEGORY = {"withhold": "withhold", "partial": "withhold", "cannot": "cannot",
                   "not_handled": "not_handled", "other": "other"}

# which workflow action field a category's text goes into
ACTION_FIELDS = {
    "reply": ("outcome_reason", "outcome_articles"),
    "reply_on_spot": ("outcome_reason", "outcome_articles"),
    "not_request": ("outcome_reason", None),
    "extend": ("reason", None),
    "withdraw": ("reason", None),
    "fee_notice": ("reason", None),
}


def category_of_outcome(code: str) -> str | None:
    o = oc.OUTCOMES.get(code)
    return _GROUP_CATEGORY.get(o.group) if o else None


def categories_for_action(action: str, outcome: str | None = None) -> tuple[str, ...]:
    """The categories whose texts fit the reason field of a workflow action."""
    if action == "extend":
        return ("extension",)
    if action == "fee_notice":
        return ("fee",)
    if action == "withdraw":
        return ("other",)
    if action == "not_request":
        return ("not_handled",)
    if action in ("reply", "reply_on_spot"):
        cat = category_of_outcome(outcome) if outcome else None
        return (cat,) if cat else ("withhold", "cannot", "not_handled", "other")
    return ()


@dataclass(frozen=True)
class DefaultReason:
    key: str
    category: str
    outcome: str          # outcome code, "" for the notices
    title: str
    text: str
    article: str


_TEXTS = {
    "partial": "您申请获取的政府信息中，部分内容涉及依法不予公开的情形，本机关对可以公开的部分予以提供，"
               "对不予公开的部分说明理由。",
    "secret": "您申请获取的政府信息经依法确定为国家秘密，不予公开。",
    "law_forbids": "您申请获取的政府信息属于法律、行政法规禁止公开的政府信息，不予公开。",
    "security": "您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，不予公开。",
    "third_party": "您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，"
                   "且第三方不同意公开，不予公开。",
    "internal": "您申请获取的政府信息属于人事管理、后勤管理、内部工作流程等方面的内部事务信息，不予公开。",
    "process_info": "您申请获取的政府信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、"
                    "磋商信函、请示报告等过程性信息，不予公开。",
    "enforcement_file": "您申请获取的政府信息属于行政执法案卷信息，不予公开。",
    "admin_query": "您申请获取的信息属于有专门查询规定的行政查询事项，请按照相关规定办理查询。",
    "not_held": "经检索，本机关未制作或者获取您申请的政府信息，该政府信息不存在。",
    "other_agency": "您申请获取的政府信息不属于本机关负责公开，请向负责公开的机关申请。",
    "needs_creation": "您申请获取的信息需要本机关对现有政府信息进行加工、分析，本机关可以不予提供。",
    "unclear_after_correction": "经补正后，您的申请内容仍不明确，本机关无法确定您所需的政府信息。",
    "petition": "您提出的事项属于信访、投诉、举报等诉求，不属于政府信息公开申请，请通过相应渠道提出。",
    "repeat": "您申请获取的政府信息与此前申请的相同，本机关已经作出答复，不再重复处理。",
    "publication": "您要求提供的是政府公报、报刊、书籍等公开出版物，请通过相应渠道获取。",
    "excessive": "您无正当理由大量、反复申请政府信息公开，本机关不予处理。",
    "confirm_reissue": "您要求本机关确认或者重新出具已获取的信息，不属于政府信息公开申请的范围，不予处理。",
    "no_correction": "您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。",
    "fee_unpaid": "您逾期未按收费通知要求缴纳信息处理费，视为放弃申请，本机关不再处理该政府信息公开申请。",
    "other": "您已撤回该政府信息公开申请，本机关终止办理。",
}

_NOTICES = (
    DefaultReason("default:extension.volume", "extension", "", "需要调取查阅的档案数量较多",
                  "您申请获取的政府信息涉及面广、需要调取查阅的档案数量较多，", rules.ARTICLE_EXTENSION),
    DefaultReason("default:extension.units", "extension", "", "需要多个单位协调核实",
                  "您申请获取的政府信息需要多个单位协调核实，", rules.ARTICLE_EXTENSION),
    DefaultReason("default:fee.volume", "fee", "", "申请公开的信息数量明显超过合理范围",
                  "因您申请公开政府信息的数量、频次明显超过合理范围，", rules.ARTICLE_FEE),
)


def defaults() -> list[DefaultReason]:
    """The shipped texts, one per outcome needing a reason and a few for the notices."""
    out = []
    for code, o in oc.OUTCOMES.items():
        cat = _GROUP_CATEGORY.get(o.group)
        if cat is None or code not in _TEXTS:
            continue
        out.append(DefaultReason(f"default:{code}", cat, code, o.description, _TEXTS[code], o.basis))
    return out + list(_NOTICES)
