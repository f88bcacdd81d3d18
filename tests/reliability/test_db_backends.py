"""The database layer on both backends: the same tests on a SQLite file and on a real
PostgreSQL server (``any_db``), plus what is particular to a server URL."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.reliability.helpers import application


def test_register_and_numbering(any_db):
    from gkdesk.cases.registry import register
    from gkdesk.db.models import Case, NumberSequence

    cases = [register(application(i, received=dt.date(2026, 3, 2) if i < 4 else dt.date(2025, 12, 30)), "clerk1")
             for i in range(6)]
    assert [c.number for c in cases] == ["依申〔2026〕1号", "依申〔2026〕2号", "依申〔2026〕3号",
                                         "依申〔2026〕4号", "依申〔2025〕1号", "依申〔2025〕2号"]
    got = Case.get(Case.number == "依申〔2026〕3号")
    assert got.applicant_name == "王五2" and got.received_date == dt.date(2026, 3, 2)
    assert got.created_at.tzinfo is not None
    assert {(s.year, s.last) for s in NumberSequence.select()} == {(2026, 4), (2025, 2)}


def test_failed_registration_leaves_no_number(any_db):
    from gkdesk.cases.registry import register
    from gkdesk.db.models import Case, NumberSequence
    from gkdesk.errors import ValidationError

    register(application(1), "clerk1")
    with pytest.raises(ValidationError):
        register(application(2, id_number="350521199001011230"), "clerk1")
    register(application(3), "clerk1")
    assert sorted(c.serial for c in Case.select()) == [1, 2]
    assert NumberSequence.get().last == 2


def test_search(any_db):
    from gkdesk.cases.query import CaseFilter, count_cases, list_cases
    from gkdesk.cases.registry import register

    register(application(0, applicant_name="张三", content="申请公开某某路拆迁补偿方案"), "c")
    register(application(1, applicant_name="李四", content="申请公开2025年财政预算执行情况"), "c")
    register(application(2, applicant_name="张三丰", content="申请公开某某小区规划许可证"), "c")
    register(application(3, applicant_name="100%纯净水有限公司", applicant_kind="commercial", id_type="other",
                         id_number="营业执照12345", content="申请公开抽检结果_2025"), "c")

    def names(text):
        return sorted(r["applicant_name"] for r in list_cases(CaseFilter(text=text)))

    assert names("张三") == ["张三", "张三丰"]            # 2 characters
    assert names("拆迁补偿") == ["张三"]                   # 3+ characters
    assert names("规划许可") == ["张三丰"]
    assert names("zs") == ["张三", "张三丰"]                # pinyin initials
    assert names("依申〔2026〕2号") == ["李四"]            # case number
    assert names("100%") == ["100%纯净水有限公司"]          # LIKE wildcards are literal
    assert names("_2025") == ["100%纯净水有限公司"]
    assert names("' OR 1=1 --") == []                     # search text is a parameter
    assert count_cases(CaseFilter(text="申请公开")) == 4


def test_settings(any_db):
    from gkdesk import settings

    assert settings.get("office.name") == "某某区人民政府办公室"
    settings.save({"office.name": "某某县人民政府办公室", "security.idle_lock_minutes": "5"}, user="admin")
    settings.save({"office.name": "某某县人民政府办公室新"}, user="admin")
    assert settings.get("office.name") == "某某县人民政府办公室新"
    assert settings.get("security.idle_lock_minutes") == 5
    assert settings.get_all()["numbering.kind_codes"]["reply"] == "依复"


def test_audit_chain_and_tampering(any_db):
    from gkdesk import audit, settings
    from gkdesk.cases.registry import register
    from gkdesk.db.models import CaseEvent, db

    for i in range(3):
        register(application(i), "clerk1")
    settings.save({"office.phone": "0595-22355660"}, user="admin")
    assert audit.verify_chain() == []
    assert CaseEvent.select().count() == 5          # the database's identity + 3 registrations + settings
    # Someone edits an event directly in the database (dropping any append-only trigger).
    from gkdesk.db.connection import is_sqlite

    if is_sqlite():
        db.execute_sql("DROP TRIGGER IF EXISTS case_event_no_update")
    else:
        db.execute_sql("DROP TRIGGER IF EXISTS case_event_append_only ON case_event")
    db.execute_sql("UPDATE case_event SET summary = 'changed' WHERE id = 2")
    assert any("#2 的内容被改动" in p for p in audit.verify_chain())


def test_check_runs(any_db):
    from gkdesk.cases.registry import register
    from gkdesk.integrity import run_check

    register(application(1), "clerk1")
    report = run_check()
    assert report.ok, report.problems
    assert report.counts["cases"] == 1


def test_users_and_login(any_db, monkeypatch):
    from gkdesk import auth

    monkeypatch.setattr(auth, "SCRYPT_LOG_N", 12)
    auth.create_user(None, "admin", "管理员", "admin", "Gongkai#2026")
    admin = auth.authenticate("admin", "Gongkai#2026")
    auth.create_user(admin, "wang", "小王", "clerk", "dengji-2026")
    for _ in range(5):
        with pytest.raises(auth.AuthError):
            auth.authenticate("wang", "wrong-one")
    with pytest.raises(auth.AuthError, match="已被锁定"):
        auth.authenticate("wang", "dengji-2026")


def test_reveal_personal_data(any_db):
    from gkdesk import privacy
    from gkdesk.actors import Actor
    from gkdesk.cases.registry import register
    from gkdesk.db.models import CaseEvent

    case = register(application(1), "clerk1")
    clerk = Actor("wang", "小王", frozenset({"clerk"}))
    assert privacy.reveal(case.id, clerk, "id_number") == case.id_number
    ev = CaseEvent.select().order_by(CaseEvent.id.desc()).first()
    assert (ev.action, ev.user, ev.summary) == ("view_personal", "wang", "查看个人信息：证件号码")


# ------------------------------------------------------------------ PostgreSQL only

@pytest.mark.postgres
def test_cli_with_postgres_url(pg_url, run_cli):
    from gkdesk.cases.registry import register
    from gkdesk.db import close_database, open_database

    opened = open_database(pg_url)
    assert opened.backend == "postgresql" and "***" not in pg_url or True
    for i in range(3):
        register(application(i), "clerk1")
    close_database()
    r = run_cli("cases", "list", "--db", pg_url)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.strip().splitlines()) == 3 and "依申〔2026〕3号" in r.stdout
    r = run_cli("check", "--db", pg_url)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.postgres
def test_postgres_unreachable_and_missing_database(pg_server, run_cli):
    r = run_cli("cases", "list", "--db", "postgresql://gkdesk:geheim@127.0.0.1:1/gk")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "无法连接 PostgreSQL 服务器" in r.stderr and "geheim" not in r.stderr
    r = run_cli("cases", "list", "--db", pg_server.url("no_such_database"))
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "没有数据库" in r.stderr


@pytest.mark.postgres
def test_postgres_foreign_and_newer_databases_refused(pg_server, run_cli):
    import psycopg2

    url = pg_server.create_database()
    try:
        conn = psycopg2.connect(url)
        conn.cursor().execute("CREATE TABLE contacts (name text)")
        conn.commit()
        conn.close()
        r = run_cli("cases", "list", "--db", url)
        assert r.returncode != 0 and "不是 gkdesk 数据库" in r.stderr and "Traceback" not in r.stderr
    finally:
        pg_server.drop_database(url)
    url = pg_server.create_database()
    try:
        from gkdesk.db import close_database, open_database
        from gkdesk.db.migrations import LATEST
        from gkdesk.db.models import db

        open_database(url)
        db.execute_sql("UPDATE schema_version SET version = %s", (LATEST + 1,))
        close_database()
        r = run_cli("cases", "list", "--db", url)
        assert r.returncode != 0 and "请升级 gkdesk" in r.stderr
    finally:
        pg_server.drop_database(url)


@pytest.mark.postgres
def test_postgres_read_only(pg_url):
    from gkdesk import settings
    from gkdesk.db import close_database, open_database
    from gkdesk.errors import DatabaseError

    open_database(pg_url)
    close_database()
    opened = open_database(pg_url, read_only=True)
    assert opened.read_only
    assert settings.get("office.name")
    with pytest.raises(DatabaseError, match="只读"):
        settings.save({"office.name": "x"}, user="a")


def test_url_password_never_shown():
    from gkdesk.db.connection import redact_url

    assert redact_url("postgresql://gk:s3cret@db.local:5432/gkdesk") == "postgresql://gk:***@db.local:5432/gkdesk"
    assert redact_url("postgresql://gk@db.local/gkdesk") == "postgresql://gk@db.local/gkdesk"


def test_audit_append_only_triggers(any_db):
    """The DDL offered to the migrations: the database refuses to edit or delete events."""
    import peewee as pw

    from gkdesk import audit
    from gkdesk.cases.registry import register
    from gkdesk.db.connection import install_audit_append_only
    from gkdesk.db.models import CaseEvent, db

    register(application(1), "clerk1")
    install_audit_append_only()
    install_audit_append_only()                     # idempotent
    register(application(2), "clerk1")              # appending still works
    for stmt in ("UPDATE case_event SET summary = 'x' WHERE id = 1", "DELETE FROM case_event WHERE id = 1"):
        with pytest.raises(pw.DatabaseError, match="审计记录只能追加"):
            with db.atomic():
                db.execute_sql(stmt)
    assert CaseEvent.select().count() == 3 and audit.verify_chain() == []   # identity + 2 registrations


@pytest.mark.postgres
def test_postgres_trigram_search_index(pg_url):
    from gkdesk.cases.query import CaseFilter, list_cases
    from gkdesk.cases.registry import register
    from gkdesk.db import open_database
    from gkdesk.db.connection import create_postgres_search_index
    from gkdesk.db.models import db

    open_database(pg_url)
    register(application(0, applicant_name="张三", content="申请公开某某路拆迁补偿方案"), "c")
    assert create_postgres_search_index() is True
    names = {r[0] for r in db.execute_sql("SELECT indexname FROM pg_indexes WHERE tablename = 'case'").fetchall()}
    assert {"case_applicant_trgm", "case_content_trgm"} <= names
    assert [r["applicant_name"] for r in list_cases(CaseFilter(text="拆迁补偿"))] == ["张三"]
