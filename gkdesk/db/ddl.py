"""DDL the numbered migrations run (gkdesk.db.migrations), apart from the connection module:
the audit table's append-only triggers and PostgreSQL's trigram search indexes. Each is
idempotent. Imports only the models' database proxy, so migrations and connection do not
import each other for it."""
from __future__ import annotations

import peewee as pw

from gkdesk.db.models import db


def _backend() -> str | None:
    obj = db.obj
    if isinstance(obj, pw.SqliteDatabase):
        return "sqlite"
    if isinstance(obj, pw.PostgresqlDatabase):
        return "postgresql"
    return None


def is_sqlite() -> bool:
    return _backend() == "sqlite"


def is_postgres() -> bool:
    return _backend() == "postgresql"


AUDIT_APPEND_ONLY_SQL = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS case_event_no_update BEFORE UPDATE ON case_event "
        "BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改'); END",
        "CREATE TRIGGER IF NOT EXISTS case_event_no_delete BEFORE DELETE ON case_event "
        "BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能删除'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION gkdesk_case_event_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION '审计记录只能追加，不能修改或删除'; END $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS case_event_append_only ON case_event",
        "CREATE TRIGGER case_event_append_only BEFORE UPDATE OR DELETE ON case_event "
        "FOR EACH ROW EXECUTE FUNCTION gkdesk_case_event_append_only()",
    ],
}


def install_audit_append_only() -> None:
    """Make the database itself refuse to change or delete audit events (triggers). The
    hash chain still detects anyone who drops the triggers first."""
    backend = "sqlite" if is_sqlite() else "postgresql" if is_postgres() else None
    if backend is None:
        return
    with db.atomic():
        for sql in AUDIT_APPEND_ONLY_SQL[backend]:
            db.execute_sql(sql)


def create_postgres_search_index() -> bool:
    """PostgreSQL's counterpart of the SQLite FTS5 trigram index: ``pg_trgm`` GIN indexes
    on applicant name and content, which serve the ``ILIKE '%…%'`` search of
    gkdesk.cases.query. Needs the right to create the extension (a superuser once, or
    PostgreSQL 13+ "trusted" extension); without it the search works unindexed and this
    returns False."""
    if not is_postgres():
        return False
    try:
        with db.atomic():
            db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except pw.DatabaseError:
        return False
    with db.atomic():
        db.execute_sql('CREATE INDEX IF NOT EXISTS case_applicant_trgm ON "case" '
                       "USING gin (applicant_name gin_trgm_ops)")
        db.execute_sql('CREATE INDEX IF NOT EXISTS case_content_trgm ON "case" USING gin (content gin_trgm_ops)')
    return True
