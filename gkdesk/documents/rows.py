"""The rows a document is filled from, read with SELECTs compiled once.

peewee spends 0.1–0.4 ms turning a query into SQL (the case table has ~50 columns), more
than SQLite takes to answer it, and a letter needs the case, its template and its latest
records. Each query here is built with peewee once per database kind, its SQL kept, and
run again with the new values: the same SQL, the same rows, the same model objects.

    case_by(field, value)    → Case or None
    latest_template(name)    → the latest saved version of a template, or None
    latest_records(case_id)  → {"correction": id, "consultation": id, …} (None where none)
    by_id(model, id)         → model row or None
"""
from __future__ import annotations

# Stand-ins for the values of a compiled query; replaced by the real values on each run.
_INT = -7_319_402_771_113
_TEXT = "\x00gkdesk-param\x00"

_compiled: dict[tuple, tuple[str, tuple]] = {}


def _database():
    from gkdesk.db.models import db

    return db.obj if hasattr(db, "obj") else db


def _sql(key: str, build) -> tuple[str, tuple]:
    """SQL and parameters of ``build()`` for the open database, compiled once per kind."""
    k = (key, type(_database()).__name__)
    got = _compiled.get(k)
    if got is None:
        sql, params = build().sql()
        got = _compiled[k] = (sql, tuple(params))
    return got


def _params(params: tuple, value) -> list:
    return [value if p == _INT or p == _TEXT else p for p in params]


def _rows(model, key: str, build, value) -> list:
    sql, params = _sql(key, build)
    return list(model.raw(sql, *_params(params, value)))


def by_id(model, ident: int):
    """The row of ``model`` with this id, or None."""
    rows = _rows(model, f"{model.__name__}.by_id",
                 lambda: model.select().where(model.id == _INT).limit(1), int(ident))
    return rows[0] if rows else None


def case_by(field: str, value):
    """The case whose ``field`` ("id" or "number") is ``value``, or None."""
    from gkdesk.db.models import Case

    col = getattr(Case, field)
    stand_in = _INT if field == "id" else _TEXT
    rows = _rows(Case, f"Case.by_{field}", lambda: Case.select().where(col == stand_in).limit(1), value)
    return rows[0] if rows else None


def latest_template(name: str):
    """The latest saved version of template ``name``, or None (the default is in use)."""
    from gkdesk.db.models import Template

    rows = _rows(Template, "Template.latest",
                 lambda: Template.select().where(Template.name == _TEXT).order_by(Template.version.desc()).limit(1),
                 name)
    return rows[0] if rows else None


RECORD_KINDS = ("correction", "consultation", "extension", "fee", "served")


def _latest_query():
    import peewee as pw

    from gkdesk.db.models import Consultation, Correction, Document, Extension, Fee

    def latest(model, order):
        return (model.select(model.id).where(model.case == _INT)
                .order_by(order.desc(), model.id.desc()).limit(1))

    served = (Document.select(Document.id)
              .where((Document.case == _INT) & (Document.status == "issued") & (Document.kind != "service-proof"))
              .order_by((Document.kind == "reply").desc(), Document.issued_at.desc(), Document.id.desc())
              .limit(1))
    return pw.Select(columns=[latest(Correction, Correction.notice_date).alias("correction"),
                              latest(Consultation, Consultation.sent_date).alias("consultation"),
                              latest(Extension, Extension.notice_date).alias("extension"),
                              latest(Fee, Fee.notice_date).alias("fee"),
                              served.alias("served")]).bind(_database())


def latest_records(case_id: int) -> dict[str, int | None]:
    """The id of the latest correction, consultation, extension and fee of the case, and
    of the issued document a proof of service is for — in one query."""
    sql, params = _sql("latest_records", _latest_query)
    row = _database().execute_sql(sql, _params(params, int(case_id))).fetchone()
    return dict(zip(RECORD_KINDS, row))
