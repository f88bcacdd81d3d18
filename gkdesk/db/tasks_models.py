"""Tables of tasks and submissions (gkdesk/tasks): the office asks units for something by a
date, receives it, sends it back or accepts it. An Annex 1/2 collection round is a task of
kind ``annex`` (gkdesk/forms/rounds.py); migration 8 moved the old round tables here.

    Task        a row of a breakdown table (or a round, or a task made by hand): the words
                as written (number, heading, task, item, units, requirement, deadline)
    TaskUnit    a unit the task names, with its part (lead / responsible / guide)
    Request     what one unit owes for one task: the deliverable and its due date
    Submission  what came in for a request: date, file (kept by SHA-256), by whom; then
                sent back (reason) or accepted
"""
from __future__ import annotations

import peewee as pw

from gkdesk.db.models import AwareDateTimeField, BaseModel, JSONField, Unit, utcnow


class Task(BaseModel):
    kind = pw.CharField(max_length=32, default="task", index=True)   # terms.TASK_KINDS
    year = pw.IntegerField(null=True, index=True)
    batch = pw.CharField(max_length=300, default="")     # the table it came from (file name / title)
    position = pw.IntegerField(default=0)                # order in that table
    number = pw.CharField(max_length=32, default="")     # 序号 as written: "1", "3."
    item_number = pw.CharField(max_length=32, default="")  # （1） of a 具体事项
    heading = pw.TextField(default="")                   # 一、… ／ (一)… above the task
    title = pw.TextField()                               # 工作任务 (a round: its name)
    item = pw.TextField(default="")                      # 具体事项
    lead_text = pw.TextField(default="")                 # 牵头单位 as written
    responsible_text = pw.TextField(default="")          # 责任单位 / 责任股室 / 协办股室 as written
    guide_text = pw.TextField(default="")                # 指导单位 as written
    requirement = pw.TextField(default="")               # 工作要求
    deadline_text = pw.CharField(max_length=200, default="")  # 完成时间 as written
    options = JSONField(null=True)                       # annex: return e-mail, fax, note
    closed = pw.BooleanField(default=False)
    created_at = AwareDateTimeField(default=utcnow)
    created_by = pw.CharField(max_length=64, default="")


class TaskUnit(BaseModel):
    task = pw.ForeignKeyField(Task, backref="units", on_delete="CASCADE")
    unit = pw.ForeignKeyField(Unit, backref="task_links", on_delete="CASCADE")
    role = pw.CharField(max_length=16)                   # terms.TASK_UNIT_ROLES
    phrase = pw.CharField(max_length=200, default="")    # the words that named it

    class Meta:
        indexes = ((("task", "unit", "role"), True),)


class Request(BaseModel):
    task = pw.ForeignKeyField(Task, backref="requests", on_delete="CASCADE")
    unit = pw.ForeignKeyField(Unit, backref="requests", on_delete="CASCADE")
    what = pw.CharField(max_length=200)                  # 报送内容: 落实情况, 实施方案, 附件1、附件2…
    due_text = pw.CharField(max_length=200, default="")  # as written
    due_date = pw.DateField(null=True, index=True)       # a date (None: no fixed date)
    due_workdays = pw.IntegerField(null=True)            # 「N个工作日内」: counted from ``asked_on``
    asked_on = pw.DateField(null=True)
    period = pw.CharField(max_length=32, default="")     # a recurring request: 第一季度…
    created_at = AwareDateTimeField(default=utcnow)
    created_by = pw.CharField(max_length=64, default="")

    class Meta:
        indexes = ((("task", "unit", "what", "period"), True),)


class Submission(BaseModel):
    request = pw.ForeignKeyField(Request, backref="submissions", on_delete="CASCADE")
    received_on = pw.DateField()                         # the day it came in
    received_at = AwareDateTimeField(default=utcnow)     # when it was recorded
    recorded_by = pw.CharField(max_length=64, default="")  # the clerk
    submitted_by = pw.CharField(max_length=100, default="")  # who handed it in (the unit's person)
    filename = pw.CharField(max_length=300, default="")
    stored_path = pw.CharField(max_length=500, default="")
    sha256 = pw.CharField(max_length=64, default="")
    size = pw.IntegerField(default=0)
    note = pw.TextField(default="")
    status = pw.CharField(max_length=16, default="submitted")  # submitted / returned / accepted
    reason = pw.TextField(default="")                    # why it was sent back (problems found)
    decided_at = AwareDateTimeField(null=True)
    decided_by = pw.CharField(max_length=64, default="")


TASK_MODELS = [Task, TaskUnit, Request, Submission]
