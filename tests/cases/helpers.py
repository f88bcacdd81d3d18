"""Shared builders for case tests."""
import datetime as dt

from gkdesk.cases.registry import ApplicationInput, register

TODAY = dt.date(2026, 11, 20)


def new_case(received=dt.date(2026, 9, 24), name="张三", content="申请公开某某路拆迁补偿方案", today=TODAY, **kw):
    kw.setdefault("id_type", "none")
    kw.setdefault("phone", "13800138000")
    return register(ApplicationInput(applicant_name=name, content=content, received_date=received, **kw),
                    "clerk1", today=today)
