"""The register of 规章 and 行政规范性文件 (migration 10): one row per document the office keeps
track of — its kind, title, number (文号), the day it was issued and, once repealed or
declared invalid, that day. Table 二's 本年制发 / 本年废止 / 现行有效 of a year are counted
from it (gkdesk/reports/table2_register.py) where the office keeps one."""
from __future__ import annotations

import peewee as pw

from gkdesk.db.models import AwareDateTimeField, BaseModel, utcnow


class Regulation(BaseModel):
    kind = pw.CharField(max_length=16)                 # gkdesk.domain.supervision.REGULATION_KINDS
    title = pw.CharField(max_length=300)
    number = pw.CharField(max_length=100, default="")  # 文号, e.g. 某政规〔2025〕3号
    issued = pw.DateField(index=True)
    repealed = pw.DateField(null=True, index=True)
    note = pw.TextField(default="")
    source = pw.CharField(max_length=500, default="")  # the workbook it was imported from
    updated_at = AwareDateTimeField(default=utcnow)
    updated_by = pw.CharField(max_length=64, default="")

    class Meta:
        indexes = ((("kind", "title", "number"), True),)


REGISTER_MODELS = [Regulation]
