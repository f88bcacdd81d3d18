"""Realistic generated data, so gkdesk can be tried and measured (``gkdesk demo``).

Cases span the last four years, every stage and every outcome (the first cases cover each
outcome once), with corrections, consultations, fees, extensions, proceedings and a
hash-chained audit trail, all written in bulk in one transaction. The same seed gives the
same data. Units with their Annex 1/2 forms come from ``gkdesk.forms.demo`` when present.
"""
from __future__ import annotations

import datetime as dt
import random
from typing import Callable

from gkdesk import audit
from gkdesk.cases import deadlines, numbering
from gkdesk.cases.registry import initials
from gkdesk.db import write_transaction
from gkdesk.db.bulk import bulk_insert
from gkdesk.db.models import (Case, CaseEvent, Consultation, Correction, Extension, Fee, NumberSequence,
                              Proceeding)
from gkdesk.domain import outcomes as oc
from gkdesk.domain import rules, terms
from gkdesk.validation import id_check_digit, uscc_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红鹏建国建华志强海燕雪梅晓东丹丹文博子涵思远宇航欣怡浩然梓萱一鸣俊杰诗琪佳琪嘉怡雨桐晨曦赟喆堃昇垚旻彧珺"
PLACES = ["泉港", "山腰", "南埔", "界山", "后龙", "峰尾", "前黄", "涂岭", "鲤城", "开元", "海滨", "临江", "浮桥", "江南", "金龙", "常泰"]
ROADS = ["中心路", "建设路", "人民路", "解放路", "滨海大道", "港口路", "新华路", "环城路", "工业路", "学府路"]
PROJECTS = ["旧城改造项目", "道路拓宽工程", "安置房项目", "污水处理厂", "垃圾焚烧发电项目", "工业园区", "学校扩建工程",
            "棚户区改造项目", "高速公路连接线", "商业综合体", "农贸市场改造", "河道整治工程", "公园建设项目"]
DOCS = ["征收补偿安置方案", "建设用地规划许可证", "建设工程规划许可证", "环境影响评价报告及批复", "立项批复文件",
        "土地出让合同", "招标投标文件及中标结果", "征地批复及附图", "社会稳定风险评估报告", "补偿标准及测算依据",
        "财政预算及决算", "验收报告", "会议纪要", "信访处理意见", "行政处罚决定书", "拆迁许可证", "房屋安全鉴定报告"]
ORG_SUFFIX = {
    "commercial": ["贸易有限公司", "建设工程有限公司", "房地产开发有限公司", "石化有限公司", "物流有限公司", "科技有限公司"],
    "research": ["规划设计研究院", "环境科学研究所", "社会发展研究中心", "城市规划研究院"],
    "public_welfare": ["环保公益协会", "慈善基金会", "志愿者协会", "消费者权益保护协会"],
    "legal_service": ["律师事务所", "法律服务所", "公证处"],
    "other_org": ["村民委员会", "业主委员会", "经济合作社", "个体工商户协会"],
}
SECTIONS = ["综合股", "规划股", "征收办", "法规股", "财务股", "政务公开科", "执法大队"]
HANDLERS = ["王丽", "陈志强", "林晓东", "黄雪梅", "郑海燕", "刘建国", "蔡思远", "许欣怡"]
AGENCIES = ["区自然资源局", "区住房和城乡建设局", "区生态环境局", "区发展和改革局", "区财政局", "区交通运输局"]

KIND_WEIGHTS = [("natural", 70), ("commercial", 10), ("research", 3), ("public_welfare", 3),
                ("legal_service", 8), ("other_org", 6)]
OUTCOME_WEIGHTS = {
    "disclosed": 30, "disclosed_proactive": 10, "partial": 9, "secret": 1, "law_forbids": 1, "security": 1,
    "third_party": 3, "internal": 2, "process_info": 3, "enforcement_file": 1, "admin_query": 2,
    "not_held": 12, "other_agency": 5, "needs_creation": 4, "unclear_after_correction": 1,
    "petition": 3, "repeat": 3, "publication": 1, "excessive": 1, "confirm_reissue": 1,
    "no_correction": 2, "fee_unpaid": 1, "other": 3,
}


def _pick(rng: random.Random, weighted):
    items, weights = zip(*weighted) if not isinstance(weighted, dict) else zip(*weighted.items())
    return rng.choices(items, weights)[0]


def _resident_id(rng: random.Random) -> str:
    area = rng.choice(["350505", "350502", "350503", "350582", "350521", "110105", "440305"])
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
    first = f"{area}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first + id_check_digit(first)


def _uscc(rng: random.Random) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    first = "91" + rng.choice(["350505", "350500", "350582"]) + "".join(rng.choice(chars) for _ in range(9))
    return first + uscc_check_char(first)


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.85:
        return rng.choice(["138", "139", "150", "151", "158", "186", "188", "135", "137", "177"]) + \
            f"{rng.randrange(0, 10**8):08d}"
    return f"0595-{rng.randrange(22000000, 29999999)}"


def _applicant(rng: random.Random) -> dict:
    kind = _pick(rng, KIND_WEIGHTS)
    if kind == "natural":
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
        id_type, id_number, contact = "resident_id", _resident_id(rng), ""
    else:
        name = f"{rng.choice(['泉州市', '泉港区', '福建', '厦门'])}{rng.choice(PLACES)}{rng.choice(ORG_SUFFIX[kind])}"
        id_type, id_number = "uscc", _uscc(rng)
        contact = rng.choice(SURNAMES) + rng.choice(GIVEN)
    return {
        "applicant_kind": kind, "applicant_name": name, "applicant_initials": initials(name),
        "id_type": id_type, "id_number": id_number, "contact_person": contact, "phone": _phone(rng),
        "address": f"泉州市泉港区{rng.choice(PLACES)}镇{rng.choice(ROADS)}{rng.randrange(1, 300)}号",
        "postcode": "362800", "email": f"user{rng.randrange(10000, 99999)}@example.com" if rng.random() < 0.4 else "",
    }


def _content(rng: random.Random) -> str:
    place = rng.choice(PLACES)
    proj = rng.choice(PROJECTS)
    doc = rng.choice(DOCS)
    year = rng.randrange(2015, 2026)
    forms = [
        f"申请公开{place}{proj}的{doc}",
        f"请提供{year}年{place}{rng.choice(ROADS)}{proj}{doc}",
        f"申请获取{place}镇{proj}涉及本人房屋的{doc}及相关附件",
        f"要求公开{year}年度{place}{proj}{doc}和{rng.choice(DOCS)}",
    ]
    return rng.choice(forms)


class _Events:
    """Builds audit events for bulk insertion with a valid hash chain."""

    def __init__(self):
        self.rows: list[dict] = []
        self.prev = CaseEvent.select(CaseEvent.hash).order_by(CaseEvent.id.desc()).scalar() or ""

    def add(self, case_id, when: dt.date, user, action, frm, to, summary, details=None):
        at = dt.datetime.combine(when, dt.time(9, 0), tzinfo=dt.timezone.utc) + \
            dt.timedelta(minutes=len(self.rows) % 480)
        at_s = CaseEvent.at.db_value(at)
        h = audit._digest(self.prev, case_id, at_s, user, action, frm, to, summary, details)
        self.rows.append({"case": case_id, "at": at_s, "user": user, "action": action, "from_stage": frm,
                          "to_stage": to, "summary": summary, "details": details, "prev_hash": self.prev,
                          "hash": h})
        self.prev = h


def generate(count: int, seed: int = 1, units: int | None = None, today: dt.date | None = None,
             progress: Callable[[int, int], None] | None = None, years: int = 4) -> dict:
    """Add ``count`` generated cases (and units) to the open database."""
    rng = random.Random(seed)
    today = today or deadlines.today()
    cal = deadlines.calendar()
    start = dt.date(today.year - years + 1, 1, 1)
    span = (today - start).days
    outcome_codes = list(oc.OUTCOMES)
    n_units = units if units is not None else min(200, max(5, count // 500))
    made = 0
    batch = 2000
    from gkdesk import settings

    prefix = settings.get("numbering.case_prefix")
    fee_pauses = bool(settings.get("process.fee_pauses_clock"))
    with write_transaction():
        next_id = (Case.select(Case.id).order_by(Case.id.desc()).scalar() or 0) + 1
        # receive dates sorted so serials follow dates within a year
        dates = sorted(start + dt.timedelta(days=rng.randrange(0, span + 1)) for _ in range(count))
        serials: dict[int, int] = {}
        for y in {d.year for d in dates}:
            seq = NumberSequence.get_or_none(scope="case", year=y)
            serials[y] = seq.last if seq else 0
        events = _Events()
        cases, corrections, consultations, fees_, extensions, proceedings = [], [], [], [], [], []
        for i, received in enumerate(dates):
            cid = next_id + i
            y = received.year
            serials[y] += 1
            app = _applicant(rng)
            age = (today - received).days * 5 // 7   # about the working days elapsed
            row = dict(id=cid, number=numbering.format_number(prefix, y, serials[y]), year=y, serial=serials[y],
                       content=_content(rng), purpose=rng.choice(["", "维护自身合法权益", "学术研究", "了解补偿标准"]),
                       form_wanted=rng.choice(list(terms.FORMS_WANTED)[:3]),
                       receive_method=rng.choice(list(terms.RECEIVE_METHODS)),
                       channel=_pick(rng, [("in_person", 25), ("post", 35), ("letter", 5), ("online", 25),
                                           ("email", 8), ("fax", 2)]),
                       received_date=received, clock_start=received, registered_by="demo",
                       section="", handler="", stage="registered", **app)
            clerk = rng.choice(HANDLERS)
            events.add(cid, received, clerk, "register", None, "registered", f"登记申请 {row['number']}")
            # how far the case has got: old cases are finished, recent ones are still open
            if i < len(outcome_codes) and age > 40:
                target = outcome_codes[i]
            else:
                target = _pick(rng, OUTCOME_WEIGHTS)
            finished = age > 45 or (age > 10 and rng.random() < age / 45)
            pauses = []
            extend = 0
            day = received
            # review
            if target in ("no_correction", "unclear_after_correction") or rng.random() < 0.04:
                notice = cal.add_working_days(received, rng.randrange(1, 7)).date
                if notice <= today:
                    period_end = cal.add_working_days(notice, rules.CORRECTION_PERIOD_WORKING_DAYS).date
                    corr = dict(case=cid, notice_date=notice, what_to_add="请明确所需政府信息的名称、文号或者便于查询的其他特征性描述",
                                period_end=period_end, received_date=None, abandoned=False)
                    events.add(cid, notice, clerk, "correction_notice", "registered", "correcting",
                               f"发出补正告知，补正期限至{period_end.isoformat()}")
                    row["stage"] = "correcting"
                    if target == "no_correction":
                        if today > period_end and finished:
                            corr["abandoned"] = True
                            day = period_end + dt.timedelta(days=1)
                    elif period_end - dt.timedelta(days=5) <= today:
                        corr["received_date"] = min(today, max(notice + dt.timedelta(days=1),
                                                    period_end - dt.timedelta(days=rng.randrange(1, 10))))
                        row["clock_start"] = corr["received_date"]
                        row["stage"] = "registered"
                        day = corr["received_date"]
                        events.add(cid, day, clerk, "correction_received", "correcting", "registered",
                                   "收到补正后的申请")
                    corrections.append(corr)
            if row["stage"] == "registered" and (finished or age > 3):
                row["stage"] = "handling"
                row["section"], row["handler"] = rng.choice(SECTIONS), rng.choice(HANDLERS)
                day = cal.add_working_days(row["clock_start"], 1).date
                events.add(cid, min(day, today), "reviewer", "accept", "registered", "handling",
                           f"审核通过，交{row['section']}{row['handler']}办理")
            if row["stage"] == "handling":
                if target == "third_party" or rng.random() < 0.05:
                    sent = cal.add_working_days(row["clock_start"], rng.randrange(2, 8)).date
                    if sent <= today:
                        due = cal.add_working_days(sent, rules.CONSULTATION_WORKING_DAYS).date
                        ans = cal.add_working_days(sent, rng.randrange(3, 16)).date
                        answered = ans <= today and (finished or rng.random() < 0.5)
                        consultations.append(dict(case=cid, kind="third_party", party=f"泉州市{rng.choice(PLACES)}{rng.choice(ORG_SUFFIX['commercial'])}",
                                                  party_address="", information="涉及商业秘密的合同文本", sent_date=sent,
                                                  answer_due=due, answer_date=ans if answered else None,
                                                  answer="不同意公开" if target == "third_party" else "无异议" if answered else "",
                                                  objects=(target == "third_party") if answered else None))
                        events.add(cid, sent, row["handler"], "consult", "handling", "handling", "征求第三方意见")
                        pauses.append(deadlines.Pause(sent, ans if answered else None, "consultation", ""))
                        if not answered:
                            finished = False
                if target == "fee_unpaid" or rng.random() < 0.01:
                    notice = cal.add_working_days(row["clock_start"], rng.randrange(3, 10)).date
                    if notice <= today:
                        pages = rng.randrange(31, 400)
                        from gkdesk.cases.fees import per_volume

                        q = per_volume(pages)
                        pay_by = cal.add_working_days(notice, rules.FEE_PAYMENT_WORKING_DAYS).date
                        paid = None if target == "fee_unpaid" else cal.add_working_days(notice, rng.randrange(1, 10)).date
                        if paid and paid > today:
                            paid = None
                        abandoned = target == "fee_unpaid" and today > pay_by and finished
                        fees_.append(dict(case=cid, method="per_volume", quantity=pages, amount=q.amount,
                                          computation=q.computation, notice_date=notice, pay_by=pay_by,
                                          paid_date=paid, abandoned=abandoned))
                        events.add(cid, notice, row["handler"], "fee_notice", "handling", "handling",
                                   f"发出收费通知：按量计收{q.amount}元")
                        if fee_pauses and not abandoned:
                            pauses.append(deadlines.Pause(notice, paid, "fee", ""))
                        if target == "fee_unpaid":
                            day = pay_by + dt.timedelta(days=1)
                        if not abandoned and not paid:
                            finished = False
                if rng.random() < 0.06:
                    extend = rng.choice([10, 15, 20])
                    nd = cal.add_working_days(row["clock_start"], 15).date
                    if nd <= today:
                        extensions.append(dict(case=cid, working_days=extend, reason="需要调取档案并逐页审查",
                                               approver="leader", notice_date=nd))
                        events.add(cid, nd, "leader", "extend", "handling", "handling", f"批准延期{extend}个工作日")
                    else:
                        extend = 0
            derived = deadlines.derive(deadlines.CaseFacts(row["stage"], row["clock_start"], None, tuple(pauses),
                                                           extend), cal=cal, on=today)
            row.update(due_date=derived.due_date, due_provisional=derived.due_provisional, paused=derived.paused)
            spans = [(p.start, p.end or today) for p in pauses]
            # reply
            if finished and row["stage"] in ("handling", "correcting", "registered"):
                o = oc.OUTCOMES[target]
                if target == "no_correction" and not (corrections and corrections[-1]["case"] == cid
                                                      and corrections[-1]["abandoned"]):
                    o = oc.OUTCOMES["disclosed"]
                if target == "fee_unpaid" and not (fees_ and fees_[-1]["case"] == cid and fees_[-1]["abandoned"]):
                    o = oc.OUTCOMES["disclosed"]
                late = rng.random() < 0.04
                if o.code in ("no_correction", "fee_unpaid"):
                    reply = min(day, today)
                else:
                    used = rng.randrange(1, rules.REPLY_WORKING_DAYS + extend + (5 if late else 0))
                    reply = min(cal.add_working_days(row["clock_start"], used, spans).date, today)
                reply = max(reply, row["clock_start"])
                row.update(outcome=o.code, reply_date=reply, outcome_articles=o.basis, stage="replied", paused=False,
                           outcome_reason="该信息涉及第三方商业秘密，第三方不同意公开" if o.needs_reason else "",
                           provided_description="随本答复书提供相关文件复印件" if o.group in ("disclose", "partial") else "",
                           responsible_agency=f"{rng.choice(AGENCIES)}，联系电话0595-{rng.randrange(22000000, 29999999)}"
                           if o.needs_agency else "")
                events.add(cid, reply, "leader", "reply", "handling", "replied", f"作出答复：{o.label}")
                deliver = reply + dt.timedelta(days=rng.randrange(0, 6))
                if deliver <= today and rng.random() < 0.93:
                    method = _pick(rng, [("direct", 30), ("post", 50), ("electronic", 18), ("left", 2)])
                    row.update(stage="delivered", delivery_method=method, delivery_date=deliver,
                               tracking_number=f"EA{rng.randrange(10**8, 10**9)}CN" if method == "post" else "",
                               witnesses="张某、李某" if method == "left" else "")
                    events.add(cid, deliver, clerk, "deliver", "replied", "delivered",
                               f"{terms.label_of(terms.DELIVERY_METHODS, method)}")
                    arch = deliver + dt.timedelta(days=rng.randrange(3, 60))
                    if arch <= today and rng.random() < 0.9:
                        if ("archive", arch.year) not in serials:
                            seq = NumberSequence.get_or_none(scope="archive", year=arch.year)
                            serials[("archive", arch.year)] = seq.last if seq else 0
                        serials[("archive", arch.year)] += 1
                        row.update(stage="archived", archive_date=arch, retention_period="10年",
                                   archive_number=numbering.format_number("归档", arch.year,
                                                                          serials[("archive", arch.year)]))
                        events.add(cid, arch, clerk, "archive", "delivered", "archived", f"归档，档号{row['archive_number']}")
                    if rng.random() < 0.02:
                        kind = _pick(rng, [("reconsideration", 60), ("litigation_direct", 30), ("litigation_after", 10)])
                        filed = deliver + dt.timedelta(days=rng.randrange(5, 55))
                        if filed <= today:
                            rd = filed + dt.timedelta(days=rng.randrange(30, 120))
                            res = _pick(rng, [("upheld", 70), ("corrected", 15), ("other", 15)]) if rd <= today else None
                            proceedings.append(dict(case=cid, kind=kind, filed_date=filed,
                                                    body="泉州市泉港区人民政府" if kind == "reconsideration" else "泉州市泉港区人民法院",
                                                    result=res, result_date=rd if res else None))
                            events.add(cid, filed, clerk, "proceeding_add", row["stage"], row["stage"],
                                       f"登记{terms.label_of(terms.PROCEEDING_KINDS, kind)}")
            cases.append(row)
            if len(cases) >= batch:
                _flush(cases, corrections, consultations, fees_, extensions, proceedings, events)
                made += batch
                if progress:
                    progress(made, count)
        _flush(cases, corrections, consultations, fees_, extensions, proceedings, events)
        for key, last in serials.items():
            scope, y = ("case", key) if isinstance(key, int) else key
            (NumberSequence.insert(scope=scope, year=y, last=last)
             .on_conflict(conflict_target=[NumberSequence.scope, NumberSequence.year],
                          update={NumberSequence.last: last}).execute())
    if progress:
        progress(count, count)
    made_units = 0
    if n_units:
        try:
            from gkdesk.forms import demo as forms_demo
        except ImportError:
            forms_demo = None  # the forms area is not installed
        if forms_demo is not None:
            from gkdesk.actors import SYSTEM

            made_units = forms_demo.generate_units(n_units, random.Random(seed), SYSTEM)
    from gkdesk.actors import SYSTEM
    from gkdesk.tasks import demo as tasks_demo

    made_tasks = tasks_demo.generate_tasks(random.Random(seed), SYSTEM, today) if n_units else 0
    from gkdesk.catalogue import demo as catalogue_demo

    made_catalogues = catalogue_demo.generate_catalogue(random.Random(seed), SYSTEM) if n_units else 0
    return {"cases": count, "units": made_units, "tasks": made_tasks, "catalogues": made_catalogues}


def _flush(cases, corrections, consultations, fees_, extensions, proceedings, events) -> None:
    for model, rows in ((Case, cases), (Correction, corrections), (Consultation, consultations),
                        (Fee, fees_), (Extension, extensions), (Proceeding, proceedings),
                        (CaseEvent, events.rows)):
        bulk_insert(model, rows)
        rows.clear()
