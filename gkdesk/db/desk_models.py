"""Tables of a clerk's day (issue 19): the reasons library, prints of issued documents,
post (交寄) and hand-offs to units (交办). Created by migration step 6."""
from __future__ import annotations

import peewee as pw

from gkdesk.db.models import AwareDateTimeField, BaseModel, Case, Document, Unit, utcnow


class ReasonText(BaseModel):
    """One version of a kept reason. ``key`` names the entry across its versions: the
    defaults shipped in gkdesk.domain.reasons are version 0 (never stored); every edit,
    retirement or new entry is a stored version, like document templates."""

    key = pw.CharField(max_length=64)
    version = pw.IntegerField()
    category = pw.CharField(max_length=32)              # gkdesk.domain.reasons.CATEGORIES
    outcome = pw.CharField(max_length=32, default="")   # an outcome code, or "" for any
    title = pw.CharField(max_length=200)
    text = pw.TextField()
    article = pw.TextField(default="")
    retired = pw.BooleanField(default=False)
    created_at = AwareDateTimeField(default=utcnow)
    created_by = pw.CharField(max_length=64, default="")
    note = pw.TextField(default="")

    class Meta:
        indexes = ((("key", "version"), True),)


class DocumentPrint(BaseModel):
    """An issued document printed on paper (the batch print marks what it printed)."""

    document = pw.ForeignKeyField(Document, backref="prints", on_delete="CASCADE")
    printed_at = AwareDateTimeField(default=utcnow)
    printed_by = pw.CharField(max_length=64, default="")


class PostItem(BaseModel):
    """A letter of a case handed to the post office (交寄) on a day, with its tracking number."""

    case = pw.ForeignKeyField(Case, backref="post_items", on_delete="CASCADE")
    posted_on = pw.DateField(index=True)
    tracking_number = pw.CharField(max_length=64, default="")
    created_at = AwareDateTimeField(default=utcnow)
    created_by = pw.CharField(max_length=64, default="")


class Handoff(BaseModel):
    """交办: a case sent to a unit for its information, with an internal due date."""

    case = pw.ForeignKeyField(Case, backref="handoffs", on_delete="CASCADE")
    number = pw.CharField(max_length=64, unique=True)
    unit = pw.ForeignKeyField(Unit, null=True, backref="handoffs", on_delete="SET NULL")
    unit_name = pw.CharField(max_length=200)
    instructions = pw.TextField(default="")
    sent_date = pw.DateField()
    legal_due = pw.DateField(null=True)
    working_days_before = pw.IntegerField()
    internal_due = pw.DateField(index=True)
    status = pw.CharField(max_length=16, default="sent", index=True)   # sent / answered / returned
    answer = pw.TextField(default="")
    answer_date = pw.DateField(null=True)
    return_reason = pw.TextField(default="")
    returned_date = pw.DateField(null=True)
    created_at = AwareDateTimeField(default=utcnow)
    created_by = pw.CharField(max_length=64, default="")


DESK_MODELS = [ReasonText, DocumentPrint, PostItem, Handoff]
