"""The vocabulary of the disclosure process, defined once.

Every code name here is English (see shared glossary); every label is the Chinese text
the user sees. UI widgets, letters, ledgers and reports read labels from here and never
spell them out themselves.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    label: str


def _table(*pairs: tuple[str, str]) -> dict[str, Term]:
    return {code: Term(code, label) for code, label in pairs}


def label_of(table: dict[str, Term], code: str | None, default: str = "") -> str:
    if code is None:
        return default
    term = table.get(code)
    return term.label if term else default


def code_of(table: dict[str, Term], label: str) -> str | None:
    """Reverse lookup: the code whose label is ``label`` (exact match after strip)."""
    label = (label or "").strip()
    for term in table.values():
        if term.label == label:
            return term.code
    return None


# 申请人类型 — the first is the natural person, the other five the organisation kinds of
# annual-report table 三, in the report's column order.
APPLICANT_KINDS = _table(
    ("natural", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_welfare", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
)
ORGANISATION_KINDS = tuple(k for k in APPLICANT_KINDS if k != "natural")

# 证件类型
ID_TYPES = _table(
    ("resident_id", "居民身份证"),
    ("uscc", "统一社会信用代码"),
    ("passport", "护照"),
    ("other", "其他"),
    ("none", "无"),
)

# 申请渠道 (Art. 31 fixes the date of receipt per channel)
CHANNELS = _table(
    ("in_person", "当面"),
    ("post", "邮寄"),
    ("letter", "平常信函"),
    ("online", "网络平台"),
    ("email", "电子邮件"),
    ("fax", "传真"),
)

# How the date of receipt is fixed for each channel (Art. 31), shown beside the date field.
RECEIPT_RULES = {
    "in_person": "当面提交的，以提交之日为收到申请之日",
    "post": "邮寄并需签收的，以签收之日为收到申请之日",
    "letter": "平常信函等无需签收的，以与申请人确认之日为收到申请之日",
    "online": "通过网络平台提交的，以双方确认之日为收到申请之日",
    "email": "通过电子邮件提交的，以双方确认之日为收到申请之日",
    "fax": "通过传真提交的，以双方确认之日为收到申请之日",
}

# 获取信息的载体形式
FORMS_WANTED = _table(
    ("paper", "纸质文本"),
    ("electronic", "电子文档"),
    ("disc", "光盘"),
    ("other", "其他"),
)

# 获取信息的方式
RECEIVE_METHODS = _table(
    ("pickup", "自行领取/当场阅读"),
    ("post", "邮寄"),
    ("email", "电子邮件"),
    ("online", "网络平台"),
    ("fax", "传真"),
)

# 送达方式
DELIVERY_METHODS = _table(
    ("direct", "直接送达"),
    ("post", "邮寄送达"),
    ("electronic", "电子送达"),
    ("left", "留置送达"),
)

# Where a case is now. The six legal stages 登记→审核→办理→答复→送达→归档 map onto these;
# correction is a wait inside review.
STAGES = _table(
    ("registered", "待审核"),
    ("correcting", "补正中"),
    ("handling", "办理中"),
    ("replied", "已答复"),
    ("delivered", "已送达"),
    ("archived", "已归档"),
)
STAGE_ORDER = tuple(STAGES)
# The legal stage (one of the six names of the Regulations) a case is in.
PROCESS_STEPS = ("登记", "审核", "办理", "答复", "送达", "归档")
STAGE_STEP = {
    "registered": "审核",
    "correcting": "审核",
    "handling": "办理",
    "replied": "送达",
    "delivered": "归档",
    "archived": "归档",
}
OPEN_STAGES = ("registered", "correcting", "handling")

# 用户角色
ROLES = _table(
    ("clerk", "登记员"),
    ("reviewer", "审核人"),
    ("leader", "分管领导"),
    ("admin", "管理员"),
)

# 征求意见对象
CONSULTATION_KINDS = _table(
    ("third_party", "第三方"),
    ("agency", "共同制作机关"),
)

# 信息处理费计收方式
FEE_METHODS = _table(
    ("per_item", "按件计收"),
    ("per_volume", "按量计收"),
)

# 行政复议 / 行政诉讼 (annual-report table 四)
PROCEEDING_KINDS = _table(
    ("reconsideration", "行政复议"),
    ("litigation_direct", "行政诉讼/未经复议直接起诉"),
    ("litigation_after", "行政诉讼/复议后起诉"),
)
PROCEEDING_RESULTS = _table(
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
)
PROCEEDING_PENDING_LABEL = "尚未审结"

# 领导小组
LEADING_GROUP_ROLES = _table(
    ("head", "组长"),
    ("deputy", "副组长"),
    ("member", "成员"),
)

# 附件一 row groups
STAFF_GROUPS = _table(
    ("leader", "分管领导"),
    ("staff", "工作人员"),
)

UNIT_KINDS = _table(
    ("street", "街道"),
    ("department", "部门"),
    ("committee", "管委会"),
    ("township", "乡镇"),
    ("institution", "直属机构"),
    ("enterprise", "国有企业"),
    ("section", "股室"),
    ("subordinate", "下属单位"),
    ("other", "其他"),
)

# 文书 — the documents a case produces. The code is also the CLI name (`gkdesk render --doc`).
DOCUMENT_KINDS = _table(
    ("application_form", "政府信息公开申请登记表"),
    ("receipt", "政府信息公开申请接收回执"),
    ("correction", "补正申请告知书"),
    ("not-request", "非政府信息公开申请告知书"),
    ("consultation", "征求意见书"),
    ("consultation-notice", "征求意见告知书"),
    ("extension", "延期答复告知书"),
    ("fee", "信息处理费收费通知书"),
    ("reply", "政府信息公开申请答复书"),
    ("termination", "终止办理告知书"),
    ("service-proof", "送达回证"),
    ("handoff", "政府信息公开申请交办单"),
    # not of a case: the office chases a unit that is late with what a task asked of it
    ("reminder", "催报通知"),
    ("supervision", "督办通知"),
)
# The documents above that belong to no case (gkdesk/tasks/letters.py issues them).
TASK_DOCUMENT_KINDS = ("reminder", "supervision")

# 案卷材料 — kinds of files kept with a case (Attachment.kind). The archive check accepts a
# scan of the reply letter or of the proof of service where gkdesk did not issue them.
ATTACHMENT_KINDS = _table(
    ("scan", "申请材料扫描件"),
    ("reply_letter", "答复书扫描件"),
    ("service_proof", "送达回证扫描件"),
    ("other", "其他材料"),
)


# ---------------------------------------------------------------- tasks and submissions
# 工作任务 — what the office asks units for. An Annex 1/2 collection round (征集轮次) is
# one kind of task: every active unit owes its forms by the round's deadline.
TASK_KINDS = _table(
    ("task", "工作任务"),
    ("annex", "附件表征集"),
    ("catalogue", "标准目录"),
    ("annual_report", "年度报告"),
    ("other", "其他报送"),
)

# A unit's part in a task, as the breakdown tables name it.
TASK_UNIT_ROLES = _table(
    ("lead", "牵头单位"),
    ("responsible", "责任单位"),
    ("guide", "指导单位"),
)
# Roles that owe the deliverable (guiding units guide, they do not hand in).
OWING_ROLES = ("lead", "responsible")

# 报送状态 of one (task, unit) request, computed from its submissions and the dates:
REQUEST_STATES = _table(
    ("overdue", "逾期"),       # nothing accepted in, or sent back, and the due date has passed
    ("returned", "退回"),      # sent back for rework (reason kept), not yet in again
    ("pending", "未报"),       # nothing in yet, not yet due (or no due date)
    ("submitted", "已报"),     # in (date, file, by whom), not yet checked
    ("accepted", "已采用"),    # checked and accepted
)
# What a unit usually hands in for a task (the clerk may type anything else).
DELIVERABLES = ("落实情况", "实施方案", "工作进展", "全年落实情况", "附件1、附件2", "政务公开事项标准目录",
                "政府信息公开工作年度报告", "新媒体核查名单")
DEFAULT_DELIVERABLE = "落实情况"
ANNEX_DELIVERABLE = "附件1、附件2"      # what a unit owes in an Annex collection round

# 完成时间 as the tables write it: a date, a recurring period, or none.
DUE_KINDS = _table(
    ("date", "日期"),
    ("workdays", "工作日"),
    ("recurring", "定期"),
    ("none", "无固定期限"),
)
RECURRENCES = _table(
    ("monthly", "每月"),
    ("quarterly", "每季度"),
    ("half_yearly", "每半年"),
    ("yearly", "每年"),
)
