"""A database of every released schema (tests/fixtures/schema_v*.sqlite3, written by
scripts/write-schema-fixture at each release; schema_v1.sql is the first release's dump)
opens with this gkdesk, is copied aside, migrated, and keeps every case and its audit chain."""
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from gkdesk.db import close_database, open_database
from gkdesk.db import migrations

FIXTURES = Path(__file__).parent.parent / "fixtures"
DATABASES = sorted(FIXTURES.glob("schema_v*.sqlite3"), key=lambda p: int(re.findall(r"\d+", p.name)[0]))
RELEASED_BEFORE_THIS_SESSION = {2, 3, 4}   # schema 1 is tests/fixtures/schema_v1.sql


def _version(p: Path) -> int:
    return int(re.search(r"schema_v(\d+)", p.name).group(1))


def _counts(path: Path) -> tuple[int, int, list[str]]:
    con = sqlite3.connect(path)
    try:
        cases = con.execute('SELECT count(*) FROM "case"').fetchone()[0]
        events = con.execute("SELECT count(*) FROM case_event").fetchone()[0]
        numbers = [r[0] for r in con.execute('SELECT number FROM "case" ORDER BY id')]
    finally:
        con.close()
    return cases, events, numbers


def test_every_released_schema_has_a_fixture():
    have = {_version(p) for p in DATABASES}
    assert RELEASED_BEFORE_THIS_SESSION <= have
    assert all(v <= migrations.LATEST for v in have)


@pytest.mark.parametrize("fixture", DATABASES, ids=lambda p: p.stem)
def test_fixture_opens_migrates_and_keeps_its_data(fixture, tmp_path):
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(fixture, path)
    version = _version(fixture)
    before = _counts(path)
    assert before[0] > 0
    opened = open_database(path)
    try:
        assert migrations.schema_version() == migrations.LATEST
        if version < migrations.LATEST:
            assert opened.migrated_from == version
            assert opened.backup_before_migration.exists()
        from gkdesk import audit
        from gkdesk.cases.query import CaseFilter, list_cases

        assert audit.verify_chain() == [], "the audit chain survives the migration"
        assert len(list_cases(CaseFilter())) == before[0]
        # the search index answers for migrated data too (a 2-character query: docs/pitfalls.md #8)
        con = sqlite3.connect(path)
        name = con.execute('SELECT applicant_name FROM "case" ORDER BY id LIMIT 1').fetchone()[0]
        con.close()
        found = [r["number"] for r in list_cases(CaseFilter(text=name[:2]))]
        assert before[2][0] in found
    finally:
        close_database()
    after = _counts(path)
    assert after[0] == before[0] and after[2] == before[2]
    assert after[1] >= before[1], "no audit event lost"
