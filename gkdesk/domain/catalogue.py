"""The standard catalogue of disclosure items (政务公开事项标准目录): its vocabulary, once.

- ``FIELDS``: the 26 fields (领域) of the national guidelines, in the order of the Sanming
  notice (seed 002). The office may add its own fields (stored in the database, codes
  ``custom_N``); ``gkdesk.catalogue`` merges both.
- ``FACTS``: the facts of an item in the column order of the published layout, with their
  labels; ``REQUIRED_FACTS`` the eight every item must state (seed 002: 名称、内容、依据、
  时限、主体、方式、渠道、公开对象).
- ``MARK_GROUPS``: the three fact groups printed as marks (√ or ■) in sub-columns:
  公开对象 (全社会 / 特定群体), 公开方式 (主动 / 依申请), 公开层级 (县级 / 乡级).
- ``ACTIONS``: what a unit did with an item of the upstream guidance (保留/修改/删除/新增);
  修改 and 删除 need a reason, item by item, in the 编制说明 (seed 004).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from gkdesk.domain.terms import Term, _table

FIELDS: dict[str, Term] = _table(
    ("urban_planning", "城乡规划"),
    ("major_projects", "重大建设项目"),
    ("public_resources", "公共资源交易"),
    ("budgets", "财政预决算"),
    ("work_safety", "安全生产"),
    ("taxation", "税收管理"),
    ("rural_land", "农村集体土地征收"),
    ("housing_expropriation", "国有土地上房屋征收与补偿"),
    ("affordable_housing", "保障性住房"),
    ("rural_housing", "农村危房改造"),
    ("environment", "生态环境"),
    ("culture", "公共文化服务"),
    ("legal_services", "公共法律服务"),
    ("poverty", "扶贫"),
    ("disaster_relief", "救灾"),
    ("food_drugs", "食品药品监管"),
    ("urban_enforcement", "城市综合执法"),
    ("employment", "就业"),
    ("social_insurance", "社会保险"),
    ("social_assistance", "社会救助"),
    ("elderly_care", "养老服务"),
    ("household_registration", "户籍管理"),
    ("agricultural_subsidies", "涉农补贴"),
    ("compulsory_education", "义务教育"),
    ("health", "卫生健康"),
    ("municipal_services", "市政服务"),
)
assert len(FIELDS) == 26


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    required: bool = False
    group: str = ""          # the mark group's key for the marked facts


# Text facts, in the order of the published layout (公开事项 is 一级事项 + 二级事项).
TEXT_FACTS: tuple[Fact, ...] = (
    Fact("level1", "一级事项", True),        # 名称
    Fact("level2", "二级事项"),
    Fact("content", "公开内容（要素）", True),  # 内容
    Fact("basis", "公开依据", True),         # 依据
    Fact("time_limit", "公开时限", True),    # 时限
    Fact("subject", "公开主体", True),       # 主体
    Fact("channel", "公开渠道和载体", True),  # 渠道
)
REMARK = Fact("remark", "备注")


@dataclass(frozen=True)
class Mark:
    key: str          # the boolean column of the item
    label: str        # the sub-column heading


@dataclass(frozen=True)
class MarkGroup:
    key: str
    label: str        # the merged heading
    marks: tuple[Mark, Mark]
    required: bool


MARK_GROUPS: tuple[MarkGroup, ...] = (
    MarkGroup("audience", "公开对象", (Mark("audience_public", "全社会"), Mark("audience_specific", "特定群体")),
              True),
    MarkGroup("mode", "公开方式", (Mark("mode_proactive", "主动"), Mark("mode_request", "依申请")), True),
    MarkGroup("level", "公开层级", (Mark("level_county", "县级"), Mark("level_township", "乡级")), False),
)
MARKS: tuple[Mark, ...] = tuple(m for g in MARK_GROUPS for m in g.marks)
MARK_KEYS: tuple[str, ...] = tuple(m.key for m in MARKS)

# every fact of an item but its field, in the published column order
FACTS: tuple[Fact, ...] = TEXT_FACTS + tuple(Fact(g.key, g.label, g.required) for g in MARK_GROUPS) + (REMARK,)
FACT_LABELS: dict[str, str] = {f.key: f.label for f in FACTS} | {m.key: m.label for m in MARKS} | {
    "field": "领域"}
TEXT_KEYS: tuple[str, ...] = tuple(f.key for f in TEXT_FACTS) + (REMARK.key,)
# the eight facts of seed 002, by the name the notice gives them
REQUIRED_FACTS: dict[str, str] = {
    "level1": "名称", "content": "内容", "basis": "依据", "time_limit": "时限",
    "subject": "主体", "mode": "方式", "channel": "渠道", "audience": "公开对象",
}
MAX_LEN = {"level1": 200, "level2": 200, "content": 2000, "basis": 2000, "time_limit": 500,
           "subject": 500, "channel": 1000, "remark": 1000}

# How a mark may be typed in a returned workbook. Anything else is a problem naming the cell.
MARK_YES = frozenset({"√", "✓", "✔", "☑", "■", "●", "是", "有", "y", "yes", "1", "v", "对"})
MARK_NO = frozenset({"", "否", "无", "×", "✗", "✘", "□", "☐", "-", "—", "－", "/", "n", "no", "0"})
MARK_OUT = "√"


def read_mark(text) -> bool | None:
    """True/False for a typed mark; None when it is neither."""
    t = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    t = t.replace(" ", "")
    if t in MARK_YES:
        return True
    if t in MARK_NO:
        return False
    return None


ACTIONS: dict[str, Term] = _table(
    ("guidance", "上级指引"),   # an item of the upstream guidance itself
    ("keep", "保留"),
    ("change", "修改"),
    ("delete", "删除"),
    ("add", "新增"),
)
NEEDS_REASON = ("change", "delete")

# Versions: a catalogue (2020年目录) and its revisions (2022年修订).
VERSION_KINDS: dict[str, Term] = _table(
    ("catalogue", "目录"),
    ("revision", "修订"),
)
