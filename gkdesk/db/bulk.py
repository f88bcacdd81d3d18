"""Fast bulk inserts for generated and imported data (executemany through the model fields)."""
from __future__ import annotations

from gkdesk.db.connection import is_sqlite
from gkdesk.db.models import db


def bulk_insert(model, rows: list[dict]) -> None:
    """Insert many rows fast (executemany), converting values through the model's fields.
    For generated and imported data; call inside a transaction. peewee's insert_many
    spends most of its time building SQL text for large batches."""
    import datetime as _dt

    if not rows:
        return
    fields = model._meta.fields
    given = set().union(*(r.keys() for r in rows))
    names = [n for n, f in fields.items() if n in given or f.default is not None]
    cols = [fields[n] for n in names]
    defaults = {n: fields[n].default for n in names}
    placeholder = "%s" if not is_sqlite() else "?"
    sql = (f'INSERT INTO "{model._meta.table_name}" ('
           + ", ".join(f'"{c.column_name}"' for c in cols) + ") VALUES ("
           + ", ".join([placeholder] * len(cols)) + ")")

    def conv(field, value):
        if value is None:
            return None
        v = field.db_value(value)
        if isinstance(v, (_dt.date, _dt.datetime)):
            return v.isoformat()
        return v

    def value(row, name):
        if name in row:
            return row[name]
        d = defaults[name]
        return d() if callable(d) else d

    data = [tuple(conv(c, value(r, n)) for n, c in zip(names, cols)) for r in rows]
    cursor = db.cursor()
    cursor.executemany(sql, data)
