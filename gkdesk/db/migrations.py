"""Schema versions and the straight list of migrations from the first release on.

A fresh database is created from the current models at ``LATEST``. An older one is copied
aside first (``<file>.v<N>.bak``), then each step ``N+1 … LATEST`` runs in its own
transaction. A database newer than this gkdesk is refused, never touched.

History
  1  first release: every table of gkdesk.db.models as of 0.1
  2  full-text search index over applicant and content (SQLite FTS5 trigram)
  3  audit events append-only in the database itself (triggers); PostgreSQL trigram indexes
  4  character-level search index (case_chars) replaces the trigram one: 1–2 character
     queries use the index too (gkdesk/db/search_index.py); indexes for paging by date
     and sorting by applicant
  5  the standard catalogue (gkdesk/db/catalogue_models.py): versions, guidance and unit
     items, the office's own fields
  6  a clerk's day (issue 19): reasons library (versions kept), prints of issued documents,
     post items, hand-offs to units; character indexes over reply texts and issued letters
     (precedents; DDL in gkdesk/db/search_index.py)
  7  the annual-report work (issue 15, gkdesk/db/annual_models.py): units' reports as
     imported, decisions of the yearly reviews, confidentiality reviews on cases
  8  tasks and submissions (issue 13; gkdesk/db/tasks_models.py: task, task_unit, request,
     submission); the Annex collection rounds (collection_round, round_return) become tasks
     of kind "annex" (same ids) with their returns as submissions; the old tables are dropped
  9  each database gets an identity (UUID) fixed at creation, in its first audit event
     (migrated databases: in the event of this step) and the setting database.id; backup
     manifests carry it (issue 21, gkdesk/db/audit.py, gkdesk/backup.py)
  10 catalogue fields of the office's own can be retired (catalogue_field.retired); the
     register of 规章 and 行政规范性文件 from which table 二 is counted
     (gkdesk/db/register_models.py)
  11 a fee notice keeps the reason the clerk chose or typed (fee.reason), for its letter

Steps 5–10 were built side by side on branches numbered 7, 9–13 and given their final,
gap-free numbers before any release carried them; ``STEPS`` must hold every number from 2 to
``LATEST`` (checked at import), so no step can be skipped.
"""
from __future__ import annotations

from pathlib import Path

import peewee as pw

from gkdesk.db import search_index
from gkdesk.db.annual_models import ANNUAL_MODELS
from gkdesk.db.catalogue_models import CATALOGUE_MODELS
from gkdesk.db.models import ALL_MODELS, SchemaVersion, db
from gkdesk.db.register_models import REGISTER_MODELS
from gkdesk.db.tasks_models import TASK_MODELS
from gkdesk.errors import DatabaseError

LATEST = 11
# Every table a fresh database is created with (each area's models module adds its list).
CREATED_MODELS = [*ALL_MODELS, *CATALOGUE_MODELS, *ANNUAL_MODELS, *TASK_MODELS, *REGISTER_MODELS]


def schema_version() -> int | None:
    if not db.table_exists("schema_version"):
        return None
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else None


def _set_version(version: int) -> None:
    SchemaVersion.delete().execute()
    SchemaVersion.create(version=version)


def create_search_index() -> None:
    """FTS5 trigram index on case applicant name and content, kept by triggers (SQLite)."""
    if not isinstance(db.obj, pw.SqliteDatabase):
        return
    db.execute_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS case_search USING fts5("
        "applicant_name, content, content='case', content_rowid='id', tokenize='trigram')")
    db.execute_sql(
        "CREATE TRIGGER IF NOT EXISTS case_search_ai AFTER INSERT ON \"case\" BEGIN "
        "INSERT INTO case_search(rowid, applicant_name, content) "
        "VALUES (new.id, new.applicant_name, new.content); END")
    db.execute_sql(
        "CREATE TRIGGER IF NOT EXISTS case_search_ad AFTER DELETE ON \"case\" BEGIN "
        "INSERT INTO case_search(case_search, rowid, applicant_name, content) "
        "VALUES ('delete', old.id, old.applicant_name, old.content); END")
    db.execute_sql(
        "CREATE TRIGGER IF NOT EXISTS case_search_au AFTER UPDATE OF applicant_name, content "
        "ON \"case\" BEGIN "
        "INSERT INTO case_search(case_search, rowid, applicant_name, content) "
        "VALUES ('delete', old.id, old.applicant_name, old.content); "
        "INSERT INTO case_search(rowid, applicant_name, content) "
        "VALUES (new.id, new.applicant_name, new.content); END")


def _step_2() -> None:
    create_search_index()
    if isinstance(db.obj, pw.SqliteDatabase):
        db.execute_sql("INSERT INTO case_search(case_search) VALUES ('rebuild')")


def _step_3() -> None:
    from gkdesk.db.ddl import create_postgres_search_index, install_audit_append_only

    install_audit_append_only()
    create_postgres_search_index()


def _step_4() -> None:
    # paging the case list by date and sorting by applicant (benchmarks: last page of
    # 100,000 by date 109 → 4 ms; first page by applicant 41 → 1.3 ms)
    db.execute_sql('CREATE INDEX IF NOT EXISTS case_received_serial ON "case" (received_date, serial)')
    db.execute_sql('CREATE INDEX IF NOT EXISTS case_applicant_name ON "case" (applicant_name)')
    if not isinstance(db.obj, pw.SqliteDatabase):
        return
    search_index.create_case_index(rebuild=True)


def _step_5() -> None:
    db.create_tables(CATALOGUE_MODELS)


def _step_6() -> None:
    from gkdesk.db.desk_models import DESK_MODELS

    db.create_tables(DESK_MODELS)
    search_index.create_precedents_index(rebuild=True)


def _step_7() -> None:
    db.create_tables(ANNUAL_MODELS)


def _step_8() -> None:
    """Tasks and submissions; every collection round becomes a task of kind annex."""
    import datetime as _dt

    from gkdesk.db.tasks_models import Request, Submission, Task
    from gkdesk.domain.terms import ANNEX_DELIVERABLE

    db.create_tables(TASK_MODELS)
    tables = set(db.get_tables())
    if "collection_round" not in tables:
        return
    rounds = db.execute_sql(
        "SELECT id, name, deadline, return_email, return_fax, note, created_at, closed "
        "FROM collection_round ORDER BY id").fetchall()
    for rid, name, deadline, email, fax, note, created_at, closed in rounds:
        if isinstance(deadline, str):
            deadline = _dt.date.fromisoformat(deadline[:10])
        task = Task.create(id=rid, kind="annex", year=deadline.year, title=name, deadline_text=deadline.isoformat(),
                           options={"round_id": rid, "return_email": email or "", "return_fax": fax or "",
                                    "note": note or "", "deadline": deadline.isoformat()},
                           closed=bool(closed), created_at=created_at, created_by="")
        returns = db.execute_sql(
            "SELECT unit_id, returned_at, status, problems, source_file FROM round_return "
            f"WHERE round_id = {int(rid)} ORDER BY id").fetchall()
        for unit_id, returned_at, status, problems, source in returns:
            req = Request.create(task=task, unit=unit_id, what=ANNEX_DELIVERABLE,
                                 due_text=deadline.isoformat(), due_date=deadline)
            if returned_at is None or status not in ("returned", "problems"):
                continue
            at = Task.created_at.python_value(returned_at) if isinstance(returned_at, str) else returned_at
            ok = status == "returned"
            Submission.create(request=req, received_on=at.astimezone().date(), received_at=at,
                              filename=str(source or "").replace("\\", "/").rsplit("/", 1)[-1],
                              note=str(source or ""), status="accepted" if ok else "returned",
                              reason="" if ok else (problems or ""), decided_at=at)
    db.execute_sql("DROP TABLE round_return")
    db.execute_sql("DROP TABLE collection_round")


def _step_9() -> None:
    from gkdesk.db import audit

    audit.create_identity()


def _step_10() -> None:
    """catalogue_field.retired (absent where step 5 ran before it was a column); the
    register of 规章 and 行政规范性文件."""
    if "retired" not in {c.name for c in db.get_columns("catalogue_field")}:
        from playhouse.migrate import SchemaMigrator, migrate as run

        run(SchemaMigrator.from_database(db.obj).add_column("catalogue_field", "retired", pw.BooleanField(default=False)))
    db.create_tables(REGISTER_MODELS)


def _step_11() -> None:
    if "reason" not in {c.name for c in db.get_columns("fee")}:
        from playhouse.migrate import SchemaMigrator, migrate as run

        run(SchemaMigrator.from_database(db.obj).add_column("fee", "reason", pw.TextField(default="")))


STEPS = {2: _step_2, 3: _step_3, 4: _step_4, 5: _step_5, 6: _step_6, 7: _step_7, 8: _step_8,
         9: _step_9, 10: _step_10, 11: _step_11}
assert sorted(STEPS) == list(range(2, LATEST + 1)), "every migration step from 2 to LATEST, no gaps"


def _backup_copy(path: Path, version: int) -> Path:
    """Copy the database aside with SQLite's online backup API (consistent under WAL)."""
    import sqlite3

    dest = path.with_name(f"{path.name}.v{version}.bak")
    n = 1
    while dest.exists():
        dest = path.with_name(f"{path.name}.v{version}.{n}.bak")
        n += 1
    src = sqlite3.connect(str(path))
    try:
        out = sqlite3.connect(str(dest))
        with out:
            src.backup(out)
        out.close()
    finally:
        src.close()
    return dest


def migrate(opened) -> tuple[int | None, Path | None]:
    """Bring the open database to ``LATEST``. Returns (version found, backup copy made)."""
    version = schema_version()
    if version is None:
        existing = [t for t in db.get_tables() if not t.startswith("sqlite_")]
        if existing:
            raise DatabaseError(
                "该数据库文件不是 gkdesk 数据库（缺少版本信息），未做任何修改。请检查路径。")
        with db.atomic():
            db.create_tables(CREATED_MODELS)
            _step_3()
            _step_4()
            _step_6()
            _step_9()
            _set_version(LATEST)
        return None, None
    if version > LATEST:
        raise DatabaseError(
            f"该数据库由更新版本的 gkdesk 创建（数据库版本 {version}，本程序支持到 {LATEST}），"
            "为避免损坏数据未做任何修改。请升级 gkdesk 后再打开。")
    if version == LATEST:
        return version, None
    backup = None
    if opened.path is not None:
        backup = _backup_copy(opened.path, version)
    for step in range(version + 1, LATEST + 1):
        with db.atomic():
            STEPS[step]()
            _set_version(step)
    return version, backup
