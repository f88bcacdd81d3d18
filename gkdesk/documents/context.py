"""What a template can print: the case, the office's settings, the records of the case
(correction, consultation, extension, fee), the document itself and the clerk's fields.

Each value is reached as ``namespace.attribute`` (``case.applicant_name``). A name that
does not exist raises a TemplateError naming it; a value the case lacks is *blank*: false
in ``{% if %}``, and printing it raises a TemplateError naming the field (a printed letter
never shows a hole or a raw placeholder). Dates print in Chinese (``2026年11月23日``,
Arabic numerals, no leading zeros).
"""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from gkdesk.domain import rules, terms
from gkdesk.domain.outcomes import OUTCOMES
from gkdesk.errors import TemplateError

# namespace → ((attribute, Chinese label), …): the placeholder catalogue shown to editors.
CATALOGUE: dict[str, tuple[tuple[str, str], ...]] = {
    "office": (
        ("name", "本机关名称"), ("disclosure_office", "政府信息公开工作机构"), ("address", "本机关通讯地址"),
        ("postcode", "本机关邮政编码"), ("phone", "本机关联系电话"), ("email", "本机关电子邮箱"),
        ("hours", "办公时间"),
    ),
    "remedy": (
        ("reconsideration_body", "行政复议机关"), ("court", "行政诉讼法院"),
        ("reconsideration_days", "申请行政复议期限（日）"), ("litigation_months", "提起行政诉讼期限（月）"),
    ),
    "case": (
        ("number", "受理编号"), ("applicant_name", "申请人姓名/名称"), ("applicant_kind", "申请人类型"),
        ("is_organisation", "申请人是否为法人或其他组织"), ("contact_person", "联系人"),
        ("id_type", "证件类型"), ("id_number", "证件号码"), ("phone", "申请人联系电话"),
        ("address", "申请人通讯地址"), ("postcode", "申请人邮政编码"), ("email", "申请人电子邮箱"),
        ("content", "申请内容"), ("purpose", "用途说明"), ("form_wanted", "获取信息的载体形式"),
        ("receive_method", "获取信息的方式"), ("channel", "申请渠道"), ("oral", "是否口头申请"),
        ("received_date", "收到申请日期"), ("clock_start", "答复期限起算日"), ("due_date", "答复期限"),
        ("section", "承办股室"), ("handler", "承办人"), ("registered_by", "登记人"),
        ("reply_date", "答复日期"), ("reply_number", "答复文号"), ("delivery_method", "送达方式"),
        ("delivery_date", "送达日期"), ("tracking_number", "邮件单号"), ("witnesses", "见证人"),
        ("note", "备注"),
    ),
    "outcome": (
        ("code", "办理结果代码"), ("label", "办理结果"), ("description", "办理结果说明"), ("basis", "法律依据"),
        ("articles", "引用条款"), ("reason", "理由"), ("group", "办理结果类别"),
    ),
    "doc": (
        ("number", "文号"), ("date", "成文日期"), ("year", "年份"), ("title", "文书名称"),
        ("draft", "是否草稿"),
    ),
    "correction": (
        ("notice_date", "补正告知日期"), ("what_to_add", "需补正的内容"), ("period_end", "补正期限"),
        ("received_date", "收到补正日期"),
    ),
    "consultation": (
        ("kind", "征求意见对象类型"), ("is_agency", "是否共同制作机关"), ("party", "被征求意见方"),
        ("party_address", "被征求意见方地址"), ("information", "涉及的政府信息"),
        ("sent_date", "发出征求意见日期"), ("answer_due", "答复意见期限"), ("days", "答复意见期限（工作日）"),
    ),
    "extension": (
        ("working_days", "延长工作日数"), ("reason", "延期理由"), ("approver", "批准人"),
        ("notice_date", "延期告知日期"), ("original_due_date", "原答复期限"), ("new_due_date", "延期后答复期限"),
    ),
    "fee": (
        ("method", "计收方式"), ("quantity", "数量"), ("unit", "计量单位"), ("amount", "收费金额（元）"),
        ("computation", "计算过程"), ("reason", "收费理由"), ("notice_date", "收费通知日期"),
        ("pay_by", "缴费期限"), ("days", "缴费期限（工作日）"),
    ),
    "served": (
        ("title", "送达文书名称"), ("number", "送达文书文号"), ("date", "送达文书日期"),
    ),
    "unit": (   # the unit a 催报通知 / 督办通知 is sent to (gkdesk/tasks/letters.py)
        ("name", "被催报单位"), ("count", "未报送事项数"), ("reply_by", "限报日期"),
        ("reminded", "此前催报通知文号"),
    ),
    "law": (
        ("correction", "补正条款"), ("consultation", "征求意见条款"), ("extension", "延期条款"),
        ("fee", "收费依据"), ("not_request", "非政府信息公开申请条款"), ("excessive", "大量反复申请条款"),
        ("reply_days", "答复期限（工作日）"), ("correction_notice_days", "补正告知期限（工作日）"),
    ),
}
# The annual report (template annual_report, gkdesk/reports/annual_doc.py): the year's facts.
CATALOGUE["report"] = (
    ("year", "报告年度"), ("last_year", "上一年度"), ("received", "本年新收申请（件）"),
    ("carried_in", "上年结转申请（件）"), ("replied", "本年办结（件）"), ("carried_out", "结转下年度（件）"),
    ("natural", "自然人申请（件）"), ("organisations", "法人或其他组织申请（件）"),
    ("disclosed", "予以公开（件）"), ("partial", "部分公开（件）"), ("withheld", "不予公开（件）"),
    ("cannot", "无法提供（件）"), ("not_handled", "不予处理（件）"), ("other", "其他处理（件）"),
    ("on_time_rate", "按期答复率"), ("on_time", "按期答复（件）"),
    ("reconsiderations", "行政复议（件）"), ("reconsiderations_corrected", "行政复议结果纠正（件）"),
    ("lawsuits", "行政诉讼（件）"), ("lawsuits_corrected", "行政诉讼结果纠正（件）"),
    ("fee_notices", "信息处理费收费通知（件）"), ("fee_amount", "信息处理费金额（元）"),
    ("tasks", "本年度工作任务落实情况"), ("has_tasks", "是否登记了工作任务"),
    ("last_year_problems", "上年度存在的主要问题"),
)
CATALOGUE_REPORT_LABELS = dict(CATALOGUE["report"])
NAMESPACE_LABELS = {
    "office": "本机关", "remedy": "救济途径", "case": "案件", "outcome": "办理结果", "doc": "本文书",
    "correction": "补正记录", "consultation": "征求意见记录", "extension": "延期记录", "fee": "收费记录",
    "served": "被送达的文书", "law": "法律条款与期限", "fields": "经办人填写的内容",
    "report": "年度报告数据",
    "unit": "被催报单位（催报、督办通知）",
}
LABELS = {f"{ns}.{k}": label for ns, items in CATALOGUE.items() for k, label in items}


def cn_date(d) -> str:
    """``2026年11月23日``: Arabic numerals, full year, no leading zeros."""
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    if isinstance(d, dt.datetime):
        d = d.date()
    return f"{d.year}年{d.month}月{d.day}日"


class Blank:
    """A value the case does not have: false in ``{% if %}``, an error when printed."""

    def __init__(self, path: str, label: str, why: str = ""):
        self._path = path
        self._label = label
        self._why = why

    def __bool__(self) -> bool:
        return False

    def __len__(self) -> int:
        return 0

    def __iter__(self):
        return iter(())

    def __eq__(self, other) -> bool:
        return other is None or other == "" or isinstance(other, Blank)

    def __hash__(self) -> int:
        return 0

    def __str__(self) -> str:
        why = self._why or f"“{self._label}”尚未填写，文书需要它。请先在案件中补充后再生成。"
        raise TemplateError(why, field=self._label)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self


class Namespace:
    """``case.xxx`` etc.: known names only; empty values are Blank."""

    def __init__(self, name: str, values: dict, *, missing_why: str = "", labels: dict | None = None):
        self._name = name
        self._values = values
        self._missing_why = missing_why
        self._labels = labels or {}

    def __getattr__(self, attr):
        if attr.startswith("_"):
            raise AttributeError(attr)
        path = f"{self._name}.{attr}"
        label = self._labels.get(attr) or LABELS.get(path, path)
        if self._missing_why:
            return Blank(path, label, self._missing_why)
        if attr not in self._values:
            raise TemplateError(f"模板使用了未知的字段“{path}”。可用的字段见模板管理中的字段列表。", field=path)
        v = self._values[attr]
        if v is None or (isinstance(v, str) and not v.strip()):
            return Blank(path, label)
        return v

    def __bool__(self) -> bool:
        return not self._missing_why

    def keys(self):
        return list(self._values)


class Records(SimpleNamespace):
    """The latest record of each kind a document may cite (None where the case has none)."""
    correction = None
    consultation = None
    extension = None
    fee = None
    served = None       # the issued Document a proof of service is for


def records_for(case) -> Records:
    """The case's latest records: their ids in one query, then only the rows that exist."""
    from gkdesk.db.models import Consultation, Correction, Document, Extension, Fee

    from gkdesk.documents import rows

    ids = rows.latest_records(case.id)
    models = {"correction": Correction, "consultation": Consultation, "extension": Extension, "fee": Fee,
              "served": Document}
    return Records(**{k: rows.by_id(models[k], i) if i is not None else None for k, i in ids.items()})


def abandoned_by(case, records) -> str:
    """Why handling stopped: 'correction' (no correction in time) or 'fee' (not paid), else ''."""
    if case.outcome == "fee_unpaid" or (records.fee is not None and getattr(records.fee, "abandoned", False)):
        return "fee"
    if case.outcome == "no_correction" or (records.correction is not None
                                           and getattr(records.correction, "abandoned", False)):
        return "correction"
    return ""


def _label(table, code) -> str:
    return terms.label_of(table, code, "")


def _settings() -> dict:
    from gkdesk import settings

    return settings.get_all()


def original_due_date(case):
    """The due date before the extension (for the extension notice)."""
    import dataclasses

    from gkdesk.cases import deadlines

    return deadlines.derive(dataclasses.replace(deadlines.facts_of(case), extension_days=0)).due_date


def build(case, records: Records, fields: dict, *, number: str, date: dt.date, kind: str,
          draft: bool, settings_values: dict | None = None, extension_dates: tuple | None = None) -> dict:
    s = settings_values if settings_values is not None else _settings()
    office = Namespace("office", {
        "name": s["office.name"], "disclosure_office": s["office.disclosure_office"],
        "address": s["office.address"], "postcode": s["office.postcode"], "phone": s["office.phone"],
        "email": s["office.email"], "hours": s["office.hours"]})
    remedy = Namespace("remedy", {
        "reconsideration_body": s["remedy.reconsideration_body"], "court": s["remedy.court"],
        "reconsideration_days": rules.RECONSIDERATION_DAYS, "litigation_months": rules.LITIGATION_MONTHS})
    oc = OUTCOMES.get(case.outcome) if case.outcome else None
    casens = Namespace("case", {
        "number": case.number, "applicant_name": case.applicant_name,
        "applicant_kind": _label(terms.APPLICANT_KINDS, case.applicant_kind),
        "is_organisation": case.applicant_kind != "natural",
        "contact_person": case.contact_person, "id_type": _label(terms.ID_TYPES, case.id_type),
        "id_number": case.id_number, "phone": case.phone, "address": case.address,
        "postcode": case.postcode, "email": case.email, "content": case.content, "purpose": case.purpose,
        "form_wanted": _label(terms.FORMS_WANTED, case.form_wanted),
        "receive_method": _label(terms.RECEIVE_METHODS, case.receive_method),
        "channel": _label(terms.CHANNELS, case.channel), "oral": bool(case.oral),
        "received_date": cn_date(case.received_date), "clock_start": cn_date(case.clock_start),
        "due_date": cn_date(case.due_date), "section": case.section, "handler": case.handler,
        "registered_by": case.registered_by, "reply_date": cn_date(case.reply_date),
        "reply_number": case.reply_number,
        "delivery_method": _label(terms.DELIVERY_METHODS, case.delivery_method),
        "delivery_date": cn_date(case.delivery_date), "tracking_number": case.tracking_number,
        "witnesses": case.witnesses, "abandoned_by": abandoned_by(case, records), "note": case.note})
    if oc is not None:
        outcome = Namespace("outcome", {
            "code": oc.code, "label": oc.label, "description": oc.description, "basis": oc.basis,
            "articles": (case.outcome_articles or "").strip() or oc.basis,
            "reason": case.outcome_reason, "group": oc.group_label})
    else:
        outcome = Namespace("outcome", {}, missing_why="案件尚未确定办理结果，无法生成答复书。请先在案件中选择办理结果。")
    doc = Namespace("doc", {"number": number, "date": cn_date(date), "year": date.year,
                            "title": _label(terms.DOCUMENT_KINDS, kind), "draft": draft})
    c = records.correction
    correction = (Namespace("correction", {
        "notice_date": cn_date(c.notice_date), "what_to_add": c.what_to_add,
        "period_end": cn_date(c.period_end), "received_date": cn_date(c.received_date)})
        if c is not None else
        Namespace("correction", {}, missing_why="案件没有补正记录，请先登记补正（需补正的内容和补正期限）。"))
    k = records.consultation
    consultation = (Namespace("consultation", {
        "kind": _label(terms.CONSULTATION_KINDS, k.kind), "is_agency": k.kind == "agency",
        "party": k.party, "party_address": k.party_address, "information": k.information,
        "sent_date": cn_date(k.sent_date), "answer_due": cn_date(k.answer_due),
        "days": rules.CONSULTATION_WORKING_DAYS})
        if k is not None else
        Namespace("consultation", {}, missing_why="案件没有征求意见记录，请先登记征求意见（对象、涉及的信息、期限）。"))
    e = records.extension
    if e is not None:
        orig, new = extension_dates or (None, None)
        extension = Namespace("extension", {
            "working_days": e.working_days, "reason": e.reason, "approver": e.approver,
            "notice_date": cn_date(e.notice_date), "original_due_date": cn_date(orig),
            "new_due_date": cn_date(new)})
    else:
        extension = Namespace("extension", {}, missing_why="案件没有延期记录，请先登记延期答复（理由、天数、批准人）。")
    f = records.fee
    fee = (Namespace("fee", {
        "method": _label(terms.FEE_METHODS, f.method), "quantity": f.quantity,
        "unit": "件" if f.method == "per_item" else "页", "amount": f.amount,
        "computation": f.computation, "reason": f.reason or "",
        "notice_date": cn_date(f.notice_date), "pay_by": cn_date(f.pay_by),
        "days": rules.FEE_PAYMENT_WORKING_DAYS})
        if f is not None else
        Namespace("fee", {}, missing_why="案件没有收费记录，请先登记信息处理费（计收方式、数量、金额）。"))
    sv = records.served
    if sv is not None:
        sv_fields = sv.fields or {}
        served = Namespace("served", {
            "title": sv_fields.get("title") or _label(terms.DOCUMENT_KINDS, sv.kind),
            "number": sv.number or "", "date": sv_fields.get("date_text") or ""})
    else:
        served = Namespace("served", {}, missing_why="案件还没有已发出的文书，无法制作送达回证。")
    law = Namespace("law", {
        "correction": rules.ARTICLE_CORRECTION, "consultation": rules.ARTICLE_CONSULTATION,
        "extension": rules.ARTICLE_EXTENSION, "fee": rules.ARTICLE_FEE,
        "not_request": rules.ARTICLE_NOT_REQUEST, "excessive": rules.ARTICLE_EXCESSIVE,
        "reply_days": rules.REPLY_WORKING_DAYS,
        "correction_notice_days": rules.CORRECTION_NOTICE_WORKING_DAYS})
    return {"office": office, "remedy": remedy, "case": casens, "outcome": outcome, "doc": doc,
            "correction": correction, "consultation": consultation, "extension": extension, "fee": fee,
            "served": served, "law": law}


def strings_of(ctx: dict) -> list[tuple[str, str]]:
    """(label, text) of every printable string in the context (for the font check)."""
    out = []
    for ns in ctx.values():
        if isinstance(ns, Namespace) and not ns._missing_why:
            for k, v in ns._values.items():
                if isinstance(v, str) and v:
                    out.append((ns._labels.get(k) or LABELS.get(f"{ns._name}.{k}", k), v))
    return out


def sample_case():
    """A made-up case with every field filled, to check templates when they are saved."""
    today = dt.date(2026, 11, 23)
    return SimpleNamespace(
        id=None, number="依申〔2026〕17号", year=2026, serial=17, applicant_kind="natural",
        applicant_name="张三", id_type="resident_id", id_number="350503199001011234",
        contact_person="张三", phone="13800000000", address="某某市某某区某某路8号",
        postcode="362000", email="zhangsan@example.com", content="某某路拓宽工程征收补偿方案",
        purpose="了解补偿标准", form_wanted="paper", receive_method="post", oral=False,
        channel="in_person", received_date=dt.date(2026, 11, 2), clock_start=dt.date(2026, 11, 2),
        stage="handling", section="政务公开科", handler="李四", registered_by="王五",
        due_date=dt.date(2026, 11, 30), custom_due_date=None, outcome="partial",
        outcome_reason="其中涉及个人隐私的内容不予公开", outcome_articles="",
        provided_description="补偿方案一份（纸质）", responsible_agency="某某市自然资源局（电话0595-00000000）",
        reply_date=today, reply_number="某政办依复〔2026〕12号", on_the_spot=False,
        delivery_method="post", delivery_date=today, tracking_number="EMS1234567890",
        witnesses="赵六、钱七", note="")


def sample_records() -> Records:
    d = dt.date(2026, 11, 5)
    return Records(
        correction=SimpleNamespace(notice_date=d, what_to_add="请写明所需信息的名称或文号",
                                   period_end=dt.date(2026, 11, 20), received_date=None),
        consultation=SimpleNamespace(kind="third_party", party="某某公司", party_address="某某路1号",
                                     information="某某项目合同", sent_date=d, answer_due=dt.date(2026, 11, 26)),
        extension=SimpleNamespace(working_days=20, reason="需要调取的档案数量较多", approver="陈某",
                                  notice_date=dt.date(2026, 11, 25)),
        fee=SimpleNamespace(method="per_volume", quantity=120, amount=1100,
                            computation="31—100页每页10元计700元；101—120页每页20元计400元", reason="",
                            notice_date=d, pay_by=dt.date(2026, 12, 4)),
        served=SimpleNamespace(kind="reply", number="某政办依复〔2026〕12号",
                               fields={"title": "政府信息公开申请答复书", "date_text": "2026年11月23日"}),
    )
