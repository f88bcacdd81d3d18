"""Fast bulk inserts for generated and imported data (executemany through the model fields)."""
from __future__ import annotations

import datetime as _dt

import peewee as pw

from gkdesk.db.ddl import is_sqlite
from gkdesk.db.models import db

# Field classes whose db_value leaves a value of these exact types as it is (checked in
# tests/db/test_bulk.py): such values skip the per-value call, the rest go through it.
_PASS = {pw.CharField: (str,), pw.TextField: (str,), pw.IntegerField: (int,), pw.BooleanField: (bool,),
         pw.AutoField: (int,), pw.ForeignKeyField: (int,)}


def _converter(field):
    """value → what executemany gets, as ``field.db_value`` then dates as ISO text."""
    passing = _PASS.get(type(field), ())

    def conv(value):
        if value is None:
            return None
        if value.__class__ in passing:
            return value
        v = field.db_value(value)
        if isinstance(v, (_dt.date, _dt.datetime)):
            return v.isoformat()
        return v

    if type(field) is pw.DateField:
        def conv_date(value, _slow=conv):
            if value.__class__ is _dt.date:
                return value.isoformat()
            return _slow(value)
        return conv_date
    return conv


def bulk_insert(model, rows: list[dict], *, one_statement: bool = False) -> None:
    """Insert many rows fast (executemany), converting values through the model's fields.
    For generated and imported data; call inside a transaction. peewee's insert_many
    spends most of its time building SQL text for large batches.

    ``one_statement`` (SQLite): the rows go into a temporary table without column types
    (values kept exactly as given) and from there into the model's table by ONE
    ``INSERT … SELECT`` in the same order. For a table whose insert triggers fill an FTS5
    index (the case table): FTS5 writes its pending terms to disk at every statement, so
    executemany — one statement per row — wrote one tiny index segment per row and kept
    merging them (measured: 22 s for 100,000 cases, 4.8 s as one statement). The triggers
    still fire for every row, so the table and its indexes get the same content; a failing
    row fails the statement, as it failed executemany."""
    if not rows:
        return
    fields = model._meta.fields
    given = set().union(*(r.keys() for r in rows))
    names = [n for n, f in fields.items() if n in given or f.default is not None]
    cols = [fields[n] for n in names]
    placeholder = "%s" if not is_sqlite() else "?"
    sql = (f'INSERT INTO "{model._meta.table_name}" ('
           + ", ".join(f'"{c.column_name}"' for c in cols) + ") VALUES ("
           + ", ".join([placeholder] * len(cols)) + ")")
    plan = []
    for n, f in zip(names, cols):
        conv = _converter(f)
        d = f.default
        passing = _PASS.get(type(f), ())
        if callable(d):
            plan.append((n, passing, conv, d, True))
        else:
            plan.append((n, passing, conv, conv(d) if d is not None else None, False))

    def row_values(row):
        out = []
        add = out.append
        for n, passing, conv, d, call in plan:
            if n in row:
                v = row[n]
                if v is None or v.__class__ in passing:
                    add(v)
                else:
                    add(conv(v))
            else:
                add(conv(d()) if call else d)
        return tuple(out)

    data = [row_values(r) for r in rows]
    if one_statement and is_sqlite():
        _insert_one_statement(model._meta.table_name, [c.column_name for c in cols], data)
        return
    cursor = db.cursor()
    cursor.executemany(sql, data)


def _insert_one_statement(table: str, columns: list[str], data: list[tuple]) -> None:
    stage = f"gk_bulk_{table}"
    names = ", ".join(f'"{c}"' for c in columns)
    db.execute_sql(f'DROP TABLE IF EXISTS temp."{stage}"')
    db.execute_sql(f'CREATE TEMP TABLE "{stage}" ({names})')    # no types: no conversion on the way
    try:
        db.cursor().executemany(f'INSERT INTO temp."{stage}" ({names}) VALUES ('
                                + ", ".join(["?"] * len(columns)) + ")", data)
        db.execute_sql(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM temp."{stage}" ORDER BY rowid')
    finally:
        db.execute_sql(f'DROP TABLE IF EXISTS temp."{stage}"')
