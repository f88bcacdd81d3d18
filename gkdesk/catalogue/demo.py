"""Demonstration catalogue (``gkdesk demo``): the upstream guidance of four fields (30 items),
the 2020 catalogue and its 2022 revision, and two units' catalogues compiled from it with
items changed, deleted and added, each with its reason — so the 标准目录 page, 版本对照 and
编制说明 have something to show. Written through the service functions (audited)."""
from __future__ import annotations

import random

from gkdesk.catalogue import items as svc
from gkdesk.catalogue.items import ItemData

BASIS = {
    "social_assistance": "《社会救助暂行办法》《中华人民共和国政府信息公开条例》",
    "compulsory_education": "《中华人民共和国义务教育法》《中华人民共和国政府信息公开条例》",
    "culture": "《中华人民共和国公共文化服务保障法》《公共文化体育设施条例》",
    "work_safety": "《中华人民共和国安全生产法》《生产安全事故报告和调查处理条例》",
    "health": "《中华人民共和国基本医疗卫生与健康促进法》《中华人民共和国政府信息公开条例》",
}
SUBJECT = {"social_assistance": "县民政局", "compulsory_education": "县教育局", "culture": "县文化体育和旅游局",
           "work_safety": "县应急管理局", "health": "县卫生健康局"}
CHANNEL = "■政府网站  ■政务新媒体  ■公开查阅点"
LIMIT = "自信息形成或变更之日起20个工作日内"
# (field, 一级事项, 二级事项s): 8 + 6 + 6 + 6 + 4 = 30 items
GUIDANCE = (
    ("social_assistance", "最低生活保障", ("政策法规文件", "办事指南", "审批结果")),
    ("social_assistance", "特困人员救助供养", ("政策法规文件", "办事指南", "审批结果")),
    ("social_assistance", "临时救助", ("办事指南", "救助结果")),
    ("compulsory_education", "招生入学", ("招生政策", "学区划分", "录取结果")),
    ("compulsory_education", "学生资助", ("资助政策", "资助名单")),
    ("compulsory_education", "教育收费", ("收费项目和标准",)),
    ("culture", "公共文化设施", ("设施名录", "开放时间和免费项目")),
    ("culture", "文化活动", ("活动预告", "活动开展情况")),
    ("culture", "非物质文化遗产", ("代表性项目名录", "代表性传承人名单")),
    ("work_safety", "安全生产监管", ("年度监督检查计划", "行政处罚结果")),
    ("work_safety", "生产安全事故", ("事故调查报告", "事故统计信息")),
    ("work_safety", "安全生产许可", ("办事指南", "许可结果")),
    ("health", "医疗机构", ("医疗机构名录", "执业许可")),
    ("health", "公共卫生服务", ("服务项目", "预防接种门诊")),
)
# which fields a demo unit compiles, by a word of its name (the demo's units are drawn at random)
UNIT_FIELDS = (("民政", ("social_assistance",)), ("教育", ("compulsory_education",)), ("文化", ("culture",)),
               ("应急", ("work_safety",)), ("卫生", ("health",)))
VERSION_2020 = "2020年目录"
VERSION_2022 = "2022年修订"


def _item(field: str, level1: str, level2: str, n: int) -> ItemData:
    named = "名单" in level2 or "结果" in level2
    return ItemData(field=field, level1=level1, level2=level2,
                    content=f"{level1}的{level2}" + ("（去除身份证号等个人隐私）" if named else ""),
                    basis=BASIS[field], time_limit="每月10日前更新" if named else LIMIT,
                    subject=SUBJECT[field], channel=CHANNEL if not named else "■公开查阅点  ■村（居）务公开栏",
                    audience_public=not named or n % 3 != 0, audience_specific=named and n % 3 == 0,
                    mode_proactive=True, mode_request=named and n % 2 == 0, level_county=True,
                    level_township=field in ("social_assistance", "elderly_care"))


def guidance() -> list[ItemData]:
    out = []
    for field, level1, level2s in GUIDANCE:
        for level2 in level2s:
            out.append(_item(field, level1, level2, len(out)))
    return out


def _edit(item, actor, reason: str, **facts) -> None:
    d = ItemData.of(item)
    for k, v in facts.items():
        setattr(d, k, v)
    svc.save_item(item.id, d, reason, actor)


def _units(units) -> list[tuple[object, tuple[str, ...]]]:
    """Up to two (unit, fields): units whose name says what they do, else the first ones."""
    picked = []
    for u in units:
        for word, fields in UNIT_FIELDS:
            if word in u.name and all(f != fields for _, f in picked):
                picked.append((u, fields))
                break
    spare = [f for _, f in UNIT_FIELDS if all(f != p for _, p in picked)]
    for u in units:
        if len(picked) >= 2 or not spare:
            break
        if all(u is not p for p, _ in picked):
            picked.append((u, spare.pop(0)))
    return picked[:2]


def generate_catalogue(rng: random.Random, actor) -> int:
    """Add the demo catalogue (skipped when there is one); returns how many unit catalogues."""
    from gkdesk.db.catalogue_models import CatalogueVersion
    from gkdesk.db.models import Unit

    if CatalogueVersion.select().exists():
        return 0
    units = _units(list(Unit.select().where(Unit.active == True).order_by(Unit.id)))  # noqa: E712
    if not units:
        return 0
    v20 = svc.add_guidance(VERSION_2020, guidance(), actor, source="上级标准指引（演示）.xlsx")
    for unit, fields in units:
        svc.start_unit(v20, unit, actor, list(fields))
    # the 2022 revision: each unit changed, deleted and added items, each with its reason
    v22 = svc.create_version(VERSION_2022, actor, based_on=v20)
    for n, (unit, fields) in enumerate(units):
        its = svc.unit_items(v22, unit)
        _edit(its[0], actor, "按县级实际，缩短公开时限", time_limit="自信息形成或变更之日起10个工作日内")
        _edit(its[1], actor, "增加乡镇便民服务中心公开渠道", channel=CHANNEL + "  ■乡镇便民服务中心")
        named = [i for i in its[2:] if "名单" in i.level2 or "结果" in i.level2]
        victim = named[0] if named else its[-1]
        svc.delete_item(victim.id, "涉及个人信息，改为向申请人本人告知，不再主动公开", actor)
        if n == 0:
            svc.delete_item(its[-1].id if its[-1] is not victim else its[-2].id,
                            "该项信息已由市级主管部门统一公开，本级不再重复公开", actor)
            f = fields[0]
            svc.add_item(v22, unit, ItemData(
                field=f, level1="本县特色事项", level2="年度工作要点",
                content="本单位年度工作要点及完成情况", basis=BASIS[f], time_limit="每年3月底前",
                subject=unit.name, channel="■政府网站", audience_public=True, mode_proactive=True,
                level_county=True), actor, reason="本县增设的公开事项")
    return len(units)
