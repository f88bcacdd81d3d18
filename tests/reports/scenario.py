"""A hand-built year of cases whose tables were worked out by hand (see the expected
figures in test_annual.py). Kinds: N 自然人, C 商业企业, R 科研机构, P 社会公益组织,
L 法律服务机构, O 其他.

In 2025 one case per outcome code, received and replied in 2025, kinds round-robin
N C R P L O in the order of outcomes.OUTCOMES:
  1 disclosed N          7 third_party N        13 other_agency N      19 excessive N
  2 disclosed_proactive C 8 internal C          14 needs_creation C    20 confirm_reissue C
  3 partial R            9 process_info R       15 unclear_after_corr. R 21 no_correction R
  4 secret P            10 enforcement_file P   16 petition P          22 fee_unpaid P
  5 law_forbids L       11 admin_query L        17 repeat L            23 other L
  6 security O          12 not_held O           18 publication O
Around the year boundaries:
  A  N received 2024-11-10, replied 2025-01-08 disclosed
  B  N received 2024-12-20, never replied
  Cc C received 2024-06-01, replied 2024-06-20 secret
  D  N received 2025-12-15, correction notice 2025-12-18, corrected 2026-01-05,
       replied 2026-01-20 partial
  E  P received 2025-12-30, replied 2026-01-06 not_held
  F  O received 2024-12-31, replied 2025-01-02 repeat
  H  R received 2023-12-28, replied 2024-01-10 admin_query
Proceedings:
  P1 reconsideration on #7, filed 2025-03-01, upheld 2025-05-01
  P2 reconsideration on #4, filed 2025-06-01, corrected 2025-08-01
  P3 reconsideration on #3, filed 2025-11-01, upheld 2026-01-15 (after 31 Dec)
  P4 litigation_direct on #12, filed 2025-04-01, no result
  P5 litigation_direct on A, filed 2025-02-01, other 2025-10-01
  P6 litigation_after on #13, filed 2025-07-01, corrected 2025-12-31 (on 31 Dec)
  P7 reconsideration on Cc, filed 2024-12-20, upheld 2025-02-01
  P8 litigation_after on #3, filed 2026-01-10, no result
"""
from __future__ import annotations

import datetime as dt

from gkdesk.domain import outcomes

from .conftest import KINDS, add_proceeding, make_case

D = dt.date

CONTENTS = (
    "某某路段道路拓宽工程的立项批复文件",
    "某某小区旧城改造房屋征收补偿方案",
    "2024年度区财政预算执行情况报告",
    "某某河道整治工程环境影响评价报告",
)


def build() -> dict:
    ids: dict = {}
    for i, code in enumerate(outcomes.OUTCOMES, start=1):
        kind = KINDS[(i - 1) % 6]
        received = D(2025, 1, 1) + dt.timedelta(days=7 * i)
        reply = received + dt.timedelta(days=10)
        c = make_case(received, kind, outcome=code, reply=reply, content=CONTENTS[i % 4],
                      section="综合股" if i % 2 else "法规股", handler="王五" if i % 3 else "赵六",
                      reason="涉及第三方商业秘密" if outcomes.OUTCOMES[code].needs_reason else "")
        ids[i] = c.id
    ids["A"] = make_case(D(2024, 11, 10), "natural", outcome="disclosed", reply=D(2025, 1, 8)).id
    ids["B"] = make_case(D(2024, 12, 20), "natural").id
    ids["Cc"] = make_case(D(2024, 6, 1), "commercial", outcome="secret", reply=D(2024, 6, 20)).id
    ids["D"] = make_case(D(2025, 12, 15), "natural", outcome="partial", reply=D(2026, 1, 20),
                         correction_notice=D(2025, 12, 18), corrected=D(2026, 1, 5)).id
    ids["E"] = make_case(D(2025, 12, 30), "public_welfare", outcome="not_held", reply=D(2026, 1, 6)).id
    ids["F"] = make_case(D(2024, 12, 31), "other_org", outcome="repeat", reply=D(2025, 1, 2)).id
    ids["H"] = make_case(D(2023, 12, 28), "research", outcome="admin_query", reply=D(2024, 1, 10)).id

    from gkdesk.db.models import Case

    def case(k):
        return Case.get_by_id(ids[k])

    add_proceeding(case(7), "reconsideration", D(2025, 3, 1), "upheld", D(2025, 5, 1))
    add_proceeding(case(4), "reconsideration", D(2025, 6, 1), "corrected", D(2025, 8, 1))
    add_proceeding(case(3), "reconsideration", D(2025, 11, 1), "upheld", D(2026, 1, 15))
    add_proceeding(case(12), "litigation_direct", D(2025, 4, 1))
    add_proceeding(case("A"), "litigation_direct", D(2025, 2, 1), "other", D(2025, 10, 1))
    add_proceeding(case(13), "litigation_after", D(2025, 7, 1), "corrected", D(2025, 12, 31))
    add_proceeding(case("Cc"), "reconsideration", D(2024, 12, 20), "upheld", D(2025, 2, 1))
    add_proceeding(case(3), "litigation_after", D(2026, 1, 10))
    return ids
