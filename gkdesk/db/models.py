"""peewee models for the whole domain.

The database is a ``DatabaseProxy`` bound once by ``gkdesk.db.connection.open_database``.
Codes stored in CharFields are the English codes of ``gkdesk.domain``; labels are never
stored. Dates are ``datetime.date``; timestamps are timezone-aware UTC ISO strings.
"""
from __future__ import annotations

import datetime as dt
import json

import peewee as pw

db = pw.DatabaseProxy()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class AwareDateTimeField(pw.TextField):
    """A timezone-aware timestamp stored as ISO 8601 text (sorts correctly, portable)."""

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        elif value.tzinfo is not dt.timezone.utc:      # utcnow()'s: already UTC, as is
            value = value.astimezone(dt.timezone.utc)
        return value.isoformat(timespec="microseconds")

    def python_value(self, value):
        if value is None or isinstance(value, dt.datetime):
            return value
        return dt.datetime.fromisoformat(value)


# json.dumps(value, ensure_ascii=False, sort_keys=True) without building an encoder each call
_JSON_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


class JSONField(pw.TextField):
    def db_value(self, value):
        return None if value is None else _JSON_ENCODE(value)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(pw.Model):
    class Meta:
        database = db
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = pw.IntegerField()
    changed_at = AwareDateTimeField(default=utcnow)


class Setting(BaseModel):
    """The office's own facts and shared preferences (key → JSON value)."""

    key = pw.CharField(primary_key=True, max_length=100)
    value = JSONField(null=True)


class User(BaseModel):
    username = pw.CharField(unique=True, max_length=64)
    display_name = pw.CharField(max_length=64)
    roles = pw.CharField(max_length=200, default="")  # comma-separated role codes
    password_hash = pw.TextField(null=True)
    failed_logins = pw.IntegerField(default=0)
    locked_until = AwareDateTimeField(null=True)
    active = pw.BooleanField(default=True)
    created_at = AwareDateTimeField(default=utcnow)

    @property
    def role_set(self) -> set[str]:
        return {r for r in (self.roles or "").split(",") if r}


# ---------------------------------------------------------------- units and annex forms

class Unit(BaseModel):
    """A responsible unit (街道、部门) that files Annex 1 and Annex 2."""

    name = pw.CharField(max_length=200, index=True)
    kind = pw.CharField(max_length=32, default="department")
    contact = pw.CharField(max_length=200, default="")
    email = pw.CharField(max_length=200, default="")
    active = pw.BooleanField(default=True)
    merged_into = pw.ForeignKeyField("self", null=True, backref="merged_units", on_delete="SET NULL")
    created_at = AwareDateTimeField(default=utcnow)
    retired_at = AwareDateTimeField(null=True)
    version = pw.IntegerField(default=1)


class StaffMember(BaseModel):
    """A row of Annex 1: group 'leader' (分管领导) or 'staff' (工作人员)."""

    unit = pw.ForeignKeyField(Unit, backref="staff", on_delete="CASCADE")
    group = pw.CharField(max_length=16)
    name = pw.CharField(max_length=64)
    post = pw.CharField(max_length=100, default="")
    contact = pw.CharField(max_length=100, default="")
    remark = pw.CharField(max_length=200, default="")
    position = pw.IntegerField(default=0)


class FunctionsList(BaseModel):
    """Annex 2 of a unit."""

    unit = pw.ForeignKeyField(Unit, backref="functions_lists", unique=True, on_delete="CASCADE")
    full_name = pw.CharField(max_length=200, default="")
    address = pw.CharField(max_length=300, default="")
    office_hours = pw.CharField(max_length=200, default="")
    phone = pw.CharField(max_length=100, default="")
    head_name = pw.CharField(max_length=64, default="")
    functions = pw.TextField(default="")
    structure = pw.TextField(default="")
    updated_at = AwareDateTimeField(default=utcnow)


class LeadingGroupMember(BaseModel):
    """A unit's disclosure leading group (组长/副组长/成员)."""

    unit = pw.ForeignKeyField(Unit, backref="leading_group", on_delete="CASCADE")
    role = pw.CharField(max_length=16)
    name = pw.CharField(max_length=64)
    post = pw.CharField(max_length=100, default="")
    position = pw.IntegerField(default=0)


class UnitHistory(BaseModel):
    unit = pw.ForeignKeyField(Unit, backref="history", on_delete="CASCADE")
    at = AwareDateTimeField(default=utcnow)
    user = pw.CharField(max_length=64, default="")
    action = pw.CharField(max_length=64)
    before = JSONField(null=True)
    after = JSONField(null=True)


# ---------------------------------------------------------------- cases

class Case(BaseModel):
    """One application (政府信息公开申请) and everything done about it."""

    number = pw.CharField(max_length=64, unique=True)      # 受理编号, e.g. 依申〔2026〕17号
    year = pw.IntegerField()
    serial = pw.IntegerField()

    # applicant (Art. 29)
    applicant_kind = pw.CharField(max_length=32)            # APPLICANT_KINDS code
    applicant_name = pw.CharField(max_length=200)
    applicant_initials = pw.CharField(max_length=200, default="", index=True)  # pinyin initials
    id_type = pw.CharField(max_length=32, default="none")
    id_number = pw.CharField(max_length=64, default="")
    contact_person = pw.CharField(max_length=64, default="")  # for organisations
    phone = pw.CharField(max_length=64, default="")
    address = pw.CharField(max_length=300, default="")
    postcode = pw.CharField(max_length=16, default="")
    email = pw.CharField(max_length=200, default="")

    # what is asked
    content = pw.TextField()                                 # 申请内容
    purpose = pw.TextField(default="")
    form_wanted = pw.CharField(max_length=32, default="paper")
    receive_method = pw.CharField(max_length=32, default="post")
    oral = pw.BooleanField(default=False)                    # 口头申请，由工作人员代为填写

    # receipt (Art. 31)
    channel = pw.CharField(max_length=32)
    received_date = pw.DateField(index=True)                 # first date of receipt
    clock_start = pw.DateField()                             # restarts on a corrected application

    # where it is
    stage = pw.CharField(max_length=32, default="registered", index=True)
    section = pw.CharField(max_length=100, default="")       # 承办股室
    handler = pw.CharField(max_length=64, default="", index=True)  # 承办人
    registered_by = pw.CharField(max_length=64, default="")

    # deadline (cached; recomputed by gkdesk.cases.deadlines on every change)
    due_date = pw.DateField(null=True, index=True)
    due_provisional = pw.BooleanField(default=False)
    custom_due_date = pw.DateField(null=True)                # Art. 35: a longer deadline set
    custom_due_reason = pw.TextField(default="")
    paused = pw.BooleanField(default=False)

    # reply
    outcome = pw.CharField(max_length=32, null=True, index=True)
    outcome_reason = pw.TextField(default="")
    outcome_articles = pw.TextField(default="")
    provided_description = pw.TextField(default="")
    responsible_agency = pw.TextField(default="")
    reply_date = pw.DateField(null=True, index=True)
    reply_number = pw.CharField(max_length=64, default="")
    on_the_spot = pw.BooleanField(default=False)

    # delivery
    delivery_method = pw.CharField(max_length=32, null=True)
    delivery_date = pw.DateField(null=True)
    tracking_number = pw.CharField(max_length=64, default="")
    witnesses = pw.CharField(max_length=200, default="")
    delivery_note = pw.TextField(default="")

    # archive
    archive_number = pw.CharField(max_length=64, default="")
    archive_date = pw.DateField(null=True)
    retention_period = pw.CharField(max_length=32, default="")

    note = pw.TextField(default="")
    created_at = AwareDateTimeField(default=utcnow)
    updated_at = AwareDateTimeField(default=utcnow)
    version = pw.IntegerField(default=1)                     # optimistic concurrency

    class Meta:
        indexes = ((("year", "serial"), True),)


class Attachment(BaseModel):
    """A scan or file kept with a case (stored under the data folder, by SHA-256)."""

    case = pw.ForeignKeyField(Case, backref="attachments", on_delete="CASCADE")
    filename = pw.CharField(max_length=300)
    stored_path = pw.CharField(max_length=500)
    sha256 = pw.CharField(max_length=64)
    size = pw.IntegerField()
    kind = pw.CharField(max_length=32, default="scan")
    added_at = AwareDateTimeField(default=utcnow)
    added_by = pw.CharField(max_length=64, default="")


class CaseEvent(BaseModel):
    """The audit trail: who did what when, before → after. Append-only, hash-chained."""

    case = pw.ForeignKeyField(Case, backref="events", null=True, on_delete="CASCADE")
    at = AwareDateTimeField(default=utcnow)
    user = pw.CharField(max_length=64, default="")
    action = pw.CharField(max_length=64)
    from_stage = pw.CharField(max_length=32, null=True)
    to_stage = pw.CharField(max_length=32, null=True)
    summary = pw.TextField(default="")
    details = JSONField(null=True)
    prev_hash = pw.CharField(max_length=64, default="")
    hash = pw.CharField(max_length=64, default="")


class Correction(BaseModel):
    """补正 (Art. 30): notice sent, period given, corrected application received or not."""

    case = pw.ForeignKeyField(Case, backref="corrections", on_delete="CASCADE")
    notice_date = pw.DateField()
    what_to_add = pw.TextField()
    period_end = pw.DateField()
    received_date = pw.DateField(null=True)
    abandoned = pw.BooleanField(default=False)


class Consultation(BaseModel):
    """征求意见 (Art. 32/34): the clock pauses from sending to answer, both days included."""

    case = pw.ForeignKeyField(Case, backref="consultations", on_delete="CASCADE")
    kind = pw.CharField(max_length=32)                       # third_party / agency
    party = pw.CharField(max_length=200)
    party_address = pw.CharField(max_length=300, default="")
    information = pw.TextField(default="")
    sent_date = pw.DateField()
    answer_due = pw.DateField()
    answer_date = pw.DateField(null=True)
    answer = pw.TextField(default="")
    objects = pw.BooleanField(null=True)                     # reasonable objection


class Fee(BaseModel):
    """信息处理费 notice and payment; the wait does not count when the setting says so."""

    case = pw.ForeignKeyField(Case, backref="fees", on_delete="CASCADE")
    method = pw.CharField(max_length=32)                     # per_item / per_volume
    quantity = pw.IntegerField()
    amount = pw.IntegerField()                               # 元
    computation = pw.TextField(default="")
    reason = pw.TextField(default="")                        # why a fee is charged (理由库 or typed)
    notice_date = pw.DateField()
    pay_by = pw.DateField()
    paid_date = pw.DateField(null=True)
    abandoned = pw.BooleanField(default=False)


class Extension(BaseModel):
    """延期答复 (Art. 33(2)): once, at most 20 working days, approved."""

    case = pw.ForeignKeyField(Case, backref="extensions", on_delete="CASCADE")
    working_days = pw.IntegerField()
    reason = pw.TextField()
    approver = pw.CharField(max_length=64)
    notice_date = pw.DateField()


class Proceeding(BaseModel):
    """行政复议 / 行政诉讼 against a reply (annual-report table 四)."""

    case = pw.ForeignKeyField(Case, backref="proceedings", on_delete="CASCADE")
    kind = pw.CharField(max_length=32)                       # PROCEEDING_KINDS code
    filed_date = pw.DateField()
    body = pw.CharField(max_length=200, default="")
    result = pw.CharField(max_length=32, null=True)          # PROCEEDING_RESULTS code
    result_date = pw.DateField(null=True)
    note = pw.TextField(default="")


# ---------------------------------------------------------------- documents

class NumberSequence(BaseModel):
    """Gap-free serials per scope (case numbers, document kinds) and year."""

    scope = pw.CharField(max_length=64)
    year = pw.IntegerField()
    last = pw.IntegerField(default=0)

    class Meta:
        indexes = ((("scope", "year"), True),)


class Template(BaseModel):
    """An office's edited version of a document template; defaults live in resources/."""

    name = pw.CharField(max_length=64, index=True)           # template name (kind or variant)
    version = pw.IntegerField()
    body = pw.TextField()
    created_at = AwareDateTimeField(default=utcnow)
    created_by = pw.CharField(max_length=64, default="")
    note = pw.TextField(default="")

    class Meta:
        indexes = ((("name", "version"), True),)


class Document(BaseModel):
    """A document a case produced. Issued documents are frozen: file + SHA-256."""

    case = pw.ForeignKeyField(Case, backref="documents", null=True, on_delete="CASCADE")
    kind = pw.CharField(max_length=32)
    variant = pw.CharField(max_length=32, default="")
    number = pw.CharField(max_length=64, null=True, unique=True)
    year = pw.IntegerField(null=True)
    serial = pw.IntegerField(null=True)
    version = pw.IntegerField(default=1)
    status = pw.CharField(max_length=16, default="draft")   # draft / issued / cancelled
    fields = JSONField(null=True)                            # what the clerk wrote
    template_version = pw.IntegerField(null=True)
    stored_path = pw.CharField(max_length=500, default="")
    sha256 = pw.CharField(max_length=64, default="")
    stamped = pw.BooleanField(default=False)
    issued_at = AwareDateTimeField(null=True)
    issued_by = pw.CharField(max_length=64, default="")
    supersedes = pw.ForeignKeyField("self", null=True, backref="superseded_by", on_delete="SET NULL")
    note = pw.TextField(default="")
    created_at = AwareDateTimeField(default=utcnow)


# ---------------------------------------------------------------- calendar

class CalendarDay(BaseModel):
    """A day of the office's holiday table: a holiday, or a 调休 make-up workday."""

    day = pw.DateField(primary_key=True)
    is_workday = pw.BooleanField()
    name = pw.CharField(max_length=64, default="")


class CalendarYear(BaseModel):
    """A year whose holiday schedule the office has entered (so counts are not provisional)."""

    year = pw.IntegerField(primary_key=True)
    source = pw.TextField(default="")
    entered_at = AwareDateTimeField(default=utcnow)
    entered_by = pw.CharField(max_length=64, default="")


# ---------------------------------------------------------------- reports

class ReportInput(BaseModel):
    """Figures typed in for the annual report (table 二, prose parts)."""

    year = pw.IntegerField()
    key = pw.CharField(max_length=200)
    value = JSONField(null=True)

    class Meta:
        indexes = ((("year", "key"), True),)


ALL_MODELS = [
    SchemaVersion, Setting, User,
    Unit, StaffMember, FunctionsList, LeadingGroupMember, UnitHistory,
    Case, Attachment, CaseEvent, Correction, Consultation, Fee, Extension, Proceeding,
    NumberSequence, Template, Document,
    CalendarDay, CalendarYear,
    ReportInput,
]
