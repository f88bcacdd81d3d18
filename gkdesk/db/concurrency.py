"""Optimistic concurrency: two people editing the same record get a clear conflict, not a
lost update.

A screen remembers the ``version`` of the record it shows; saving goes through
``save_with_version(record, that_version, field=value, …)``, which writes only if the
row still has that version (one ``UPDATE … WHERE id = ? AND version = ?`` inside a write
transaction) and bumps it. When someone else saved in between, nothing is written and
``ConflictError`` says so. Works for every model with a ``version`` counter meant for
this (``Case``, ``Unit``); ``Document.version`` and ``Template.version`` number
editions and are not for this helper.
"""
from __future__ import annotations

from gkdesk.db.connection import write_transaction
from gkdesk.db.models import Case, CaseEvent, Unit, utcnow
from gkdesk.errors import ConflictError, NotFound

_WHAT = {Case: "该案件", Unit: "该单位信息"}


def _conflict_message(model, pk) -> str:
    what = _WHAT.get(model, "该记录")
    msg = f"{what}已被他人修改，请刷新后重试"
    if model is Case:
        ev = (CaseEvent.select(CaseEvent.user, CaseEvent.at).where(CaseEvent.case == pk)
              .order_by(CaseEvent.id.desc()).first())
        if ev is not None and ev.user:
            msg += f"（最近一次修改：{ev.user}，{ev.at.astimezone():%Y-%m-%d %H:%M}）"
    return msg


def save_with_version(record, expected_version: int, **changes):
    """Write ``changes`` to ``record``'s row if its version is still ``expected_version``;
    bump the version (and ``updated_at`` where the model has one) and refresh ``record``.

    Call it inside the service's own ``write_transaction()`` (with the audit event) or
    alone. Raises ``ConflictError`` when someone saved in between, ``NotFound`` when the
    row is gone."""
    model = type(record)
    fields = model._meta.fields
    if "version" not in fields:
        raise TypeError(f"{model.__name__} has no version field")
    unknown = [k for k in changes if k not in fields or k in ("id", "version")]
    if unknown:
        raise TypeError(f"cannot change {', '.join(unknown)} of {model.__name__}")
    values = {fields[k]: v for k, v in changes.items()}
    if "updated_at" in fields and "updated_at" not in changes:
        values[fields["updated_at"]] = utcnow()
    values[model.version] = model.version + 1
    pk_field = model._meta.primary_key
    pk = record.get_id()
    with write_transaction():
        n = model.update(values).where(pk_field == pk, model.version == expected_version).execute()
        if n != 1:
            if not model.select().where(pk_field == pk).exists():
                raise NotFound("该记录已被删除，请刷新")
            raise ConflictError(_conflict_message(model, pk))
        fresh = model.get_by_id(pk)
    record.__data__.update(fresh.__data__)
    record._dirty.clear()
    return record
