import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "tasks"
sys.path.insert(0, str(FIXTURES))

import make_fixtures  # noqa: E402, F401  (re-exported to the tests)
import seed_tables  # noqa: E402, F401  (re-exported to the tests)

from gkdesk.actors import SYSTEM  # noqa: E402
from gkdesk.forms import units  # noqa: E402

# the bureau's sections (000: 文体旅局) and the county bodies that guide them
UNITS_000 = [("审批股", "section"), ("文化股", "section"), ("综合股", "section"), ("旅游股", "section"),
             ("体育股", "section"), ("图书馆", "subordinate"), ("编办", "department"), ("发改局", "department"),
             ("市场监管局", "department"), ("政府办", "department"), ("宣传部", "department"),
             ("网信办", "department"), ("工信局", "department"), ("行政服务中心管委会", "committee")]
UNITS_003 = [("综合股", "section"), ("运管股（政策法规股）", "section"), ("安监股", "section"),
             ("工程股", "section"), ("交通执法大队一中队", "subordinate"), ("涂岭治超站", "subordinate")]
# the district (001): towns, the street, departments, a few direct bodies and one state firm
UNITS_001 = [("涂岭镇", "township"), ("前黄镇", "township"), ("界山镇", "township"), ("后龙镇", "township"),
             ("南埔镇", "township"), ("峰尾镇", "township"), ("山腰街道", "street"),
             ("区财政局", "department"), ("区发改局", "department"), ("区审改办", "department"),
             ("区市场监督管理局", "department"), ("区委网信办", "department"), ("区经信局", "department"),
             ("区数字办", "department"), ("区信访局", "department"),
             ("区行政服务中心管委会", "institution"), ("区机关事务服务中心", "institution"),
             ("泉港区文旅投资有限公司", "enterprise")]


def make_units(spec):
    return {name: units.add_unit(name, SYSTEM, kind=kind).id for name, kind in spec}
