"""Demonstration units: 街道办事处, 乡镇, 各局委办, 管委会, each with Annex 1 rows, an Annex 2
functions list and a leading group, made up but realistic. Deterministic for a given
``random.Random``. One transaction, bulk inserts: 200 units take well under a second."""
from __future__ import annotations

import random

from gkdesk import audit
from gkdesk.actors import Actor, require
from gkdesk.db import write_transaction
from gkdesk.db.models import FunctionsList, LeadingGroupMember, StaffMember, Unit, UnitHistory, utcnow

DEPARTMENTS = [
    ("发展和改革局", "拟订并组织实施全区国民经济和社会发展规划", "综合股、规划股、投资股、价格股"),
    ("教育局", "统筹管理全区各级各类教育工作", "办公室、基础教育股、职业与成人教育股、人事股、计划财务股"),
    ("科学技术局", "拟订全区科技发展规划和政策，组织实施科技计划项目", "办公室、科技计划股、成果转化股"),
    ("工业和信息化局", "推进全区工业和信息化发展，指导工业园区建设", "办公室、工业股、信息化股、节能股"),
    ("民政局", "负责全区社会救助、社会组织、婚姻登记和殡葬管理工作", "办公室、社会救助股、社会事务股、婚姻登记处"),
    ("司法局", "负责全区法治宣传、人民调解、社区矫正和公共法律服务", "办公室、法治督察股、人民参与和促进法治股"),
    ("财政局", "负责全区财政收支、预算编制和国有资产管理", "办公室、预算股、国库股、综合股、政府采购股"),
    ("人力资源和社会保障局", "负责全区就业创业、社会保险、劳动关系和人事管理", "办公室、就业促进股、社会保险股、劳动关系股"),
    ("自然资源局", "负责全区自然资源调查、国土空间规划和用途管制", "办公室、规划股、耕地保护股、不动产登记中心"),
    ("生态环境分局", "负责全区生态环境保护、污染防治和环境监测", "办公室、环境管理股、执法大队"),
    ("住房和城乡建设局", "负责全区住房保障、建筑市场监管和城乡建设", "办公室、建筑管理股、房地产股、村镇股"),
    ("交通运输局", "负责全区公路、水路交通运输行业管理", "综合股、安监股、工程股、运管股、行政审批股"),
    ("农业农村局", "负责全区农业农村经济发展和乡村振兴工作", "办公室、农业股、农村经济股、执法大队"),
    ("水利局", "负责全区水资源管理、水利工程建设和防汛抗旱", "办公室、水政水资源股、工程建设股"),
    ("商务局", "负责全区内外贸易、招商引资和电子商务发展", "办公室、商贸股、外经贸股"),
    ("文化体育和旅游局", "负责全区文化、体育、旅游事业发展和市场监管", "综合股、文化股、体育股、旅游股、审批股"),
    ("卫生健康局", "负责全区医疗卫生、疾病预防控制和人口家庭工作", "办公室、医政股、疾病预防控制股、妇幼健康股"),
    ("退役军人事务局", "负责全区退役军人安置、优抚和权益维护", "办公室、移交安置股、优抚褒扬股"),
    ("应急管理局", "负责全区应急管理、安全生产监督和防灾减灾", "办公室、应急指挥股、安全生产股、防灾减灾股"),
    ("审计局", "负责全区财政收支、国有资产和领导干部经济责任审计", "办公室、财政审计股、经济责任审计股"),
    ("市场监督管理局", "负责全区市场主体登记、食品药品和产品质量监管", "办公室、登记注册股、食品安全股、质量股"),
    ("统计局", "负责全区统计调查、统计分析和统计执法", "办公室、综合股、调查队"),
    ("医疗保障局", "负责全区医疗保险、生育保险和医疗救助", "办公室、待遇保障股、基金监管股"),
    ("城市管理局", "负责全区市容环境卫生、市政设施和城市管理执法", "办公室、市容股、市政股、执法大队"),
    ("信访局", "负责全区人民来信来访的受理、交办和督办", "办公室、来访接待股、督查股"),
    ("行政审批服务局", "负责全区行政审批事项的集中办理和政务服务", "办公室、审批一股、审批二股、政务服务中心"),
    ("林业局", "负责全区森林资源保护和林业生态建设", "办公室、资源股、森林防火办公室"),
    ("人民防空办公室", "负责全区人民防空工程建设和人防宣传教育", "综合股、工程股"),
    ("机关事务管理局", "负责区直机关后勤服务和公务用车管理", "办公室、资产股、公务用车管理中心"),
    ("档案馆", "负责全区档案收集、保管和利用", "办公室、接收征集股、利用股"),
    ("公安分局", "负责全区社会治安管理和刑事案件侦查", "指挥中心、治安大队、刑侦大队、法制大队"),
    ("乡村振兴局", "负责全区巩固拓展脱贫攻坚成果和乡村振兴工作", "综合股、项目股"),
    ("数据管理局", "负责全区政务数据管理和数字政府建设", "综合股、数据资源股、电子政务股"),
    ("国有资产监督管理局", "负责区属国有企业监管和国有资本运营", "综合股、产权管理股"),
    ("总工会", "负责全区职工权益维护和工会组织建设", "办公室、组织部、权益保障部"),
    ("团区委", "负责全区共青团工作和青少年事务", "办公室、青少年发展部"),
    ("妇女联合会", "负责全区妇女儿童权益保护和妇女发展工作", "办公室、权益部"),
    ("残疾人联合会", "负责全区残疾人康复、就业和权益保障", "办公室、康复就业部"),
]
COMMITTEES = ["高新技术产业开发区管委会", "经济开发区管委会", "石化工业园区管委会", "港口经济区管委会",
              "台商投资区管委会", "文化旅游度假区管委会", "现代农业示范园区管委会", "物流园区管委会"]
PLACES = ["东海", "西华", "南埔", "北门", "山腰", "前黄", "界山", "后龙", "峰尾", "涂岭", "城东", "城西",
          "凤山", "龙湖", "金井", "玉湖", "清源", "开元", "鲤城", "海滨", "临江", "浮桥", "江南", "常泰",
          "华大", "北峰", "池店", "灵秀", "永宁", "深沪", "英林", "龙湖", "新塘", "梅山", "蓬华", "码头",
          "水头", "官桥", "东田", "丰州", "霞美", "仑苍", "九都", "罗东", "乐峰", "溪美", "梅林", "石井",
          "安平", "东石", "内坑", "紫帽", "磁灶", "陈埭", "西园", "灵源", "罗山", "永和", "金山", "安海",
          "桂林", "桃源", "杏林", "柳城", "枫亭", "榜头", "盖尾", "度尾", "钟山", "园庄", "郊尾", "赖店",
          "龙华", "东庄", "忠门", "湄洲", "山亭", "平海", "埭头", "南日", "石城", "华亭", "新度", "西天尾",
          "黄石", "笏石", "北高", "月塘", "东峤", "三江口", "白塘", "涵江", "国欢", "梧塘", "江口", "萩芦",
          "大洋", "庄边", "新县", "白沙", "东湖", "云峰", "凤岭", "古楼", "高山", "洪濑", "英都", "翔云"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷黎史龙陶贺顾毛郝龚邵万覃武钱戴严欧莫孔向常汤庄"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建文辉玲志红晨宇浩鑫欣婷雪梅琳斌俊鹏飞宏波海峰云龙思佳颖振国东兴福瑞荣彬凯昊泽晖嘉懿瑶"
LEADER_POSTS = {
    "department": ["副局长", "党组成员、副局长", "二级调研员"],
    "committee": ["副主任", "党工委委员、副主任"],
    "street": ["党工委委员、办事处副主任", "办事处副主任", "党工委副书记"],
    "township": ["副镇长", "党委委员、副镇长", "党委副书记"],
    "other": ["副主任"],
}
HEAD_POSTS = {"department": "党组书记、局长", "committee": "党工委书记、主任", "street": "党工委书记",
              "township": "党委书记", "other": "主任"}
STAFF_POSTS = ["办公室主任", "办公室副主任", "综合股股长", "一级科员", "二级科员", "四级主任科员", "科员",
               "综合股负责人", "信息公开专员", "文秘"]
REMARKS = ["", "", "", "", "兼任保密员", "信息公开联络员", "兼管网站", "A角", "B角"]


def _name(rng: random.Random, used: set[str]) -> str:
    for _ in range(50):
        n = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if n not in used:
            used.add(n)
            return n
    n = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) + rng.choice(GIVEN)
    used.add(n)
    return n


def _mobile(rng: random.Random) -> str:
    return rng.choice(["13", "15", "18", "17", "19"]) + str(rng.randint(0, 9)) + f"{rng.randint(0, 99999999):08d}"


def _landline(rng: random.Random) -> str:
    return f"0595-{rng.randint(2, 8)}{rng.randint(0, 9999999):07d}"


def _unit_names(rng: random.Random, existing: set[str]) -> list[tuple[str, str, tuple | None]]:
    out: list[tuple[str, str, tuple | None]] = []
    for d in DEPARTMENTS:
        out.append((d[0], "department", d))
    for c in COMMITTEES:
        out.append((c, "committee", None))
    places = list(dict.fromkeys(PLACES))
    for p in places:
        out.append((f"{p}街道办事处", "street", None))
    for p in places:
        out.append((f"{p}镇人民政府", "township", None))
    rng.shuffle(out)
    # departments and committees first: a small demo still looks like a county
    out.sort(key=lambda t: {"department": 0, "committee": 1, "street": 2, "township": 3}[t[1]])
    out = [t for t in out if t[0] not in existing]
    return out


def _functions_text(rng: random.Random, name: str, kind: str, dept) -> tuple[str, str]:
    if dept is not None:
        core, structure = dept[1], dept[2]
        paras = [
            f"一、贯彻执行国家和省、市有关{name.replace('局', '').replace('办公室', '')}工作的方针政策和法律法规，{core}。",
            "二、拟订本系统中长期发展规划和年度计划，并组织实施、监督检查。",
            "三、负责本部门政府信息公开工作，依法受理和答复政府信息公开申请，编制并公开政府信息公开指南、目录和年度报告。",
            "四、负责本系统行政许可、行政处罚等行政执法事项，推进“放管服”改革。",
            "五、完成区委、区政府交办的其他任务。",
        ]
        return "\n".join(paras), f"内设{structure}等机构；下设事业单位{rng.randint(1, 5)}个。"
    if kind == "street":
        paras = ["一、贯彻执行党和国家的路线方针政策，落实区委、区政府的工作部署。",
                 "二、负责辖区社区建设、社会治理、综合治理和平安建设工作。",
                 "三、负责辖区公共服务、社会保障、民政优抚、计划生育等工作。",
                 "四、负责辖区城市管理、环境卫生、安全生产和应急管理工作。",
                 "五、负责本街道政务公开和政府信息公开工作。"]
        return "\n".join(paras), ("设党政办公室、经济发展办公室、社会事务办公室、综合治理办公室、城市管理办公室；"
                                  f"下辖社区居委会{rng.randint(5, 18)}个。")
    if kind == "township":
        paras = ["一、执行本级人民代表大会的决议和上级国家行政机关的决定和命令。",
                 "二、负责本镇经济发展、农业农村、乡村振兴工作。",
                 "三、负责本镇社会事务、公共服务、安全生产和社会治安综合治理。",
                 "四、负责本镇政务公开和政府信息公开工作。"]
        return "\n".join(paras), (f"设党政综合办公室、经济发展办公室、社会事务办公室；下辖行政村{rng.randint(8, 30)}个、"
                                  f"社区{rng.randint(1, 5)}个。")
    paras = ["一、负责园区发展规划的编制和组织实施。",
             "二、负责园区招商引资、项目建设和企业服务工作。",
             "三、负责园区基础设施建设、环境保护和安全生产监管。",
             "四、负责本单位政务公开和政府信息公开工作。"]
    return "\n".join(paras), "设综合办公室、规划建设局、招商服务局、经济发展局。"


def generate_units(n: int, rng: random.Random, actor: Actor) -> int:
    """Create ``n`` demonstration units (fewer if the name pool runs out); returns how many."""
    require(actor, ("clerk", "admin"), "生成演示单位")
    if n <= 0:
        return 0
    existing = {u.name for u in Unit.select(Unit.name)}
    pool = _unit_names(rng, existing)
    extra = 2
    while len(pool) < n:  # beyond the pool: numbered 工作站 so any n works
        name = f"{rng.choice(PLACES)}第{extra}社区工作站"
        extra += 1
        if name not in existing and all(name != p[0] for p in pool):
            pool.append((name, "other", None))
    chosen = pool[:n]
    now = utcnow()
    with write_transaction():
        for start in range(0, len(chosen), 100):
            batch = chosen[start:start + 100]
            ids = []
            for name, kind, _dept in batch:
                ids.append(Unit.insert(name=name, kind=kind, created_at=now).execute())
            staff_rows, fl_rows, lg_rows, hist = [], [], [], []
            for uid, (name, kind, dept) in zip(ids, batch):
                used: set[str] = set()
                head = _name(rng, used)
                for pos in range(rng.choice((1, 1, 2))):
                    staff_rows.append(dict(unit=uid, group="leader", name=_name(rng, used),
                                           post=rng.choice(LEADER_POSTS[kind]), contact=_mobile(rng), remark="",
                                           position=pos))
                for pos in range(rng.randint(1, 4)):
                    contact = _mobile(rng) if rng.random() < 0.7 else _landline(rng)
                    if rng.random() < 0.15:
                        contact += "、" + _mobile(rng)
                    staff_rows.append(dict(unit=uid, group="staff", name=_name(rng, used),
                                           post=rng.choice(STAFF_POSTS), contact=contact,
                                           remark=rng.choice(REMARKS), position=pos))
                functions, structure = _functions_text(rng, name, kind, dept)
                full = name if name.startswith(("某某区", "区")) or kind in ("street", "township") else f"某某区{name}"
                fl_rows.append(dict(unit=uid, full_name=full, address=f"某某区{rng.choice(PLACES)}路{rng.randint(1, 300)}号",
                                    office_hours="工作日 上午8:00-12:00，下午14:30-17:30", phone=_landline(rng),
                                    head_name=head, functions=functions, structure=structure, updated_at=now))
                lg_rows.append(dict(unit=uid, role="head", name=head, post=HEAD_POSTS[kind], position=0))
                for pos in range(1, rng.randint(2, 3) + 1):
                    lg_rows.append(dict(unit=uid, role="deputy", name=_name(rng, used),
                                        post=rng.choice(LEADER_POSTS[kind]), position=pos))
                deputies = sum(1 for r in lg_rows if r["unit"] == uid)
                for pos in range(rng.randint(3, 8)):
                    lg_rows.append(dict(unit=uid, role="member", name=_name(rng, used),
                                        post=rng.choice(STAFF_POSTS), position=deputies + pos))
                hist.append(dict(unit=uid, user=actor.username, action="create", before=None,
                                 after={"name": name, "kind": kind, "demo": True}, at=now))
            StaffMember.insert_many(staff_rows).execute()
            FunctionsList.insert_many(fl_rows).execute()
            LeadingGroupMember.insert_many(lg_rows).execute()
            UnitHistory.insert_many(hist).execute()
        audit.record("unit.demo", user=actor.username, summary=f"生成演示单位{len(chosen)}个",
                     details={"count": len(chosen)})
    return len(chosen)
