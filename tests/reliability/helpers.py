"""Shared helpers of the reliability tests: sample applications, subprocess environment."""
from __future__ import annotations

import datetime as dt
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))


def resident_id(n: int) -> str:
    """A valid 18-digit resident ID (check digit computed), varying with ``n``."""
    from gkdesk.validation import id_check_digit

    first17 = f"350521{1960 + n % 40:04d}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return first17 + id_check_digit(first17)


def application(n: int, received: dt.date | None = None, **over):
    from gkdesk.cases.registry import ApplicationInput

    names = ["张三", "李四", "王五", "赵六", "陈晓明", "林芳"]
    values = dict(
        applicant_kind="natural", applicant_name=f"{names[n % len(names)]}{n}",
        id_type="resident_id", id_number=resident_id(n), phone="13800138000",
        address="某某区某某路1号", content=f"申请公开某某路拆迁补偿方案第{n}号文件",
        channel="in_person", received_date=received or dt.date(2026, 3, 2))
    values.update(over)
    return ApplicationInput(**values)


def child_env(**extra) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update({k: str(v) for k, v in extra.items()})
    return env


PYTHON = sys.executable
