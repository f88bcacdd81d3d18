"""Tables of the standard catalogue (政务公开事项标准目录), created by migration step 5.

- ``CatalogueVersion``: a catalogue as compiled at one time (2020年目录, 2022年修订); a
  revision starts as a copy of the version it is ``based_on``.
- ``CatalogueItem``: one disclosure item. ``unit`` NULL: an item of the upstream guidance
  (上级标准指引) of that version; otherwise an item of that unit's catalogue, with
  ``guidance`` the guidance item it was compiled from (NULL for an item the unit added) and
  ``action`` keep/change/delete/add (gkdesk.domain.catalogue.ACTIONS); a deleted item is
  kept, marked, with its reason. ``field`` is a field code (the 26 of the domain layer or
  an office's own ``custom_N``).
- ``CatalogueField``: fields the office added to the 26; a field renamed keeps its code, a
  field retired (``retired``, migration 10) takes no new items but labels the old ones.
"""
from __future__ import annotations

import peewee as pw

from gkdesk.db.models import AwareDateTimeField, BaseModel, Unit, utcnow


class CatalogueField(BaseModel):
    code = pw.CharField(max_length=32, unique=True)
    label = pw.CharField(max_length=100, unique=True)
    position = pw.IntegerField(default=0)
    created_at = AwareDateTimeField(default=utcnow)
    retired = pw.BooleanField(default=False)


class CatalogueVersion(BaseModel):
    name = pw.CharField(max_length=100, unique=True)
    year = pw.IntegerField()
    based_on = pw.ForeignKeyField("self", null=True, backref="revisions", on_delete="SET NULL")
    note = pw.TextField(default="")
    created_at = AwareDateTimeField(default=utcnow)


class CatalogueItem(BaseModel):
    version = pw.ForeignKeyField(CatalogueVersion, backref="items", on_delete="CASCADE")
    unit = pw.ForeignKeyField(Unit, null=True, backref="catalogue_items", on_delete="CASCADE")
    guidance = pw.ForeignKeyField("self", null=True, backref="derived", on_delete="SET NULL")
    field = pw.CharField(max_length=32)
    level1 = pw.CharField(max_length=200)
    level2 = pw.CharField(max_length=200, default="")
    content = pw.TextField(default="")
    basis = pw.TextField(default="")
    time_limit = pw.CharField(max_length=500, default="")
    subject = pw.CharField(max_length=500, default="")
    channel = pw.TextField(default="")
    audience_public = pw.BooleanField(default=False)
    audience_specific = pw.BooleanField(default=False)
    mode_proactive = pw.BooleanField(default=False)
    mode_request = pw.BooleanField(default=False)
    level_county = pw.BooleanField(default=False)
    level_township = pw.BooleanField(default=False)
    remark = pw.TextField(default="")
    position = pw.IntegerField(default=0)
    action = pw.CharField(max_length=16, default="guidance")
    reason = pw.TextField(default="")
    source = pw.CharField(max_length=500, default="")
    updated_at = AwareDateTimeField(default=utcnow)
    row_version = pw.IntegerField(default=1)

    class Meta:
        indexes = ((("version", "unit", "field", "position"), False),)


CATALOGUE_MODELS = [CatalogueField, CatalogueVersion, CatalogueItem]
