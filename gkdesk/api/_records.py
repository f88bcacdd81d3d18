"""Helpers to turn peewee rows into frozen view records."""
from __future__ import annotations

from dataclasses import fields, make_dataclass
from typing import Any


def record_type(name: str, model, extra: tuple = (), exclude: tuple[str, ...] = (), doc: str = ""):
    """A frozen dataclass with one attribute per column of ``model`` (a foreign key as its
    id, ``<name>_id``) plus ``extra`` ``(name, type, dataclasses.field(...))`` entries."""
    cols = []
    for f in model._meta.sorted_fields:
        if f.name in exclude:
            continue
        attr = f"{f.name}_id" if f.__class__.__name__ == "ForeignKeyField" else f.name
        cols.append((attr, Any))
    cls = make_dataclass(name, cols + list(extra), frozen=True)
    cls.__doc__ = doc or f"A read-only copy of one {model.__name__} row."
    cls.__module__ = "gkdesk.api"
    return cls


def from_row(cls, row, **extra):
    """An instance of ``cls`` (made by ``record_type``) from a peewee row."""
    values = {}
    for f in fields(cls):
        if f.name in extra:
            continue
        if f.name.endswith("_id") and f.name not in row.__data__:
            values[f.name] = row.__data__.get(f.name[:-3])
        else:
            values[f.name] = row.__data__.get(f.name)
    values.update(extra)
    return cls(**values)
