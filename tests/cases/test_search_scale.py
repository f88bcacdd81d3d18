"""Search over a 100,000-case generated database returns exactly the right rows."""
import datetime as dt

import pytest

from gkdesk.cases.query import CaseFilter, count_cases, list_cases
from gkdesk.db import close_database, open_database
from gkdesk.db.models import Case

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def big_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.sqlite3"
    open_database(path)
    from gkdesk.demo import generate

    generate(100_000, seed=7, units=0, today=dt.date(2026, 11, 20))
    rows = list(Case.select(Case.id, Case.number, Case.applicant_name, Case.content, Case.applicant_initials,
                            Case.stage, Case.year).tuples())
    yield rows
    close_database()


@pytest.mark.parametrize("text", ["王", "拆迁", "补偿方案", "规划许可证", "律师事务所", "zs", "〔2024〕1234号"])
def test_search_matches_a_brute_force_scan(big_db, text):
    assert len(big_db) == 100_000
    expected = {r[0] for r in big_db if text in r[2] or text in r[3] or text in r[1]
                or (text.isascii() and text.isalpha() and r[4].startswith(text))}
    flt = CaseFilter(text=text)
    assert count_cases(flt) == len(expected)
    page = list_cases(flt, offset=0, limit=200)
    assert {r["id"] for r in page} <= expected and len(page) == min(200, len(expected))


def test_filters_by_stage_and_year_with_search(big_db):
    expected = {r[0] for r in big_db if "污水处理厂" in r[3] and r[5] == "archived" and r[6] == 2025}
    flt = CaseFilter(text="污水处理厂", stages=("archived",), year=2025)
    assert count_cases(flt) == len(expected) > 0
    got = set()
    offset = 0
    while True:
        page = list_cases(flt, sort="applicant", descending=False, offset=offset, limit=500)
        if not page:
            break
        got |= {r["id"] for r in page}
        offset += len(page)
    assert got == expected
