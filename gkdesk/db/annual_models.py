"""Tables of the annual-report work (migration 7): the units' reports as imported, the
decisions of the yearly reviews, and confidentiality reviews recorded on cases."""
from __future__ import annotations

import peewee as pw

from gkdesk.db.models import AwareDateTimeField, BaseModel, Case, JSONField, Unit, utcnow


class UnitReport(BaseModel):
    """One unit's annual-report tables for a year, read from its workbook and checked."""

    year = pw.IntegerField(index=True)
    unit_name = pw.CharField(max_length=200)
    unit = pw.ForeignKeyField(Unit, null=True, backref="annual_reports", on_delete="SET NULL")
    data = JSONField()                                     # {"table2":…, "table3":…, "table4":…}
    source_file = pw.CharField(max_length=500, default="")
    sha256 = pw.CharField(max_length=64, default="")
    imported_at = AwareDateTimeField(default=utcnow)
    imported_by = pw.CharField(max_length=64, default="")

    class Meta:
        indexes = ((("year", "unit_name"), True),)


class ReviewDecision(BaseModel):
    """A decision of the yearly review on one item (a withheld case, or a group of
    frequently requested information): keep withheld / publish proactively, where, when."""

    kind = pw.CharField(max_length=16)                     # supervision.REVIEW_KINDS
    item_key = pw.CharField(max_length=500)                # case number / the group's first case number
    year = pw.IntegerField()                               # the review's year
    decision = pw.CharField(max_length=16)                 # supervision.REVIEW_DECISIONS
    place = pw.CharField(max_length=300, default="")       # where it is published
    publish_by = pw.DateField(null=True)                   # when
    decided_by = pw.CharField(max_length=100, default="")  # who decided / is responsible
    sample = pw.TextField(default="")                      # what the item was about (frequent)
    note = pw.TextField(default="")
    recorded_at = AwareDateTimeField(default=utcnow)
    recorded_by = pw.CharField(max_length=64, default="")

    class Meta:
        indexes = ((("kind", "item_key"), True),)


class ConfidentialityReview(BaseModel):
    """保密审查 of the information to be released on a case."""

    case = pw.ForeignKeyField(Case, backref="confidentiality_reviews", on_delete="CASCADE")
    reviewer = pw.CharField(max_length=100)
    review_date = pw.DateField()
    conclusion = pw.CharField(max_length=16)               # supervision.CONFIDENTIALITY_CONCLUSIONS
    deidentified = pw.BooleanField(default=False)          # 去标识化 done
    note = pw.TextField(default="")
    recorded_at = AwareDateTimeField(default=utcnow)
    recorded_by = pw.CharField(max_length=64, default="")


ANNUAL_MODELS = [UnitReport, ReviewDecision, ConfidentialityReview]
