"""Helpers for GUI tests: fast bulk creation of realistic cases."""
from __future__ import annotations

import datetime as dt
import random

SURNAMES = "张王李赵陈刘杨黄吴周徐孙马朱胡郭何林罗郑"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "涛", "明", "超", "秀英", "建国", "丽华"]
TOPICS = ["征地补偿安置方案", "财政预算执行情况", "旧城改造规划许可", "违法建筑认定依据", "河道整治环评报告",
          "三公经费支出明细", "拆迁补偿标准", "学校招生划片方案", "道路拓宽工程批复", "环境监测数据"]


def bulk_cases(n: int, seed: int = 7, years=(2025, 2026)) -> list[dict]:
    """Insert ``n`` realistic cases in one transaction (test data only; the app itself
    registers through gkdesk.cases.registry). Returns the inserted rows' values."""
    from gkdesk.cases.registry import initials
    from gkdesk.db import write_transaction
    from gkdesk.db.models import Case, NumberSequence
    from gkdesk.domain import terms

    rnd = random.Random(seed)
    stages = list(terms.STAGES)
    rows = []
    serials = {y: 0 for y in years}
    for i in range(n):
        year = years[i % len(years)]
        serials[year] += 1
        received = dt.date(year, 1, 1) + dt.timedelta(days=rnd.randint(0, 300))
        name = rnd.choice(SURNAMES) + rnd.choice(GIVEN)
        rows.append(dict(
            number=f"依申〔{year}〕{serials[year]}号", year=year, serial=serials[year],
            applicant_kind="natural", applicant_name=name, applicant_initials=initials(name),
            id_type="none", content=f"申请公开{rnd.choice(TOPICS)}（第{i}号测试）",
            channel="in_person", received_date=received, clock_start=received,
            stage=rnd.choice(stages), handler=rnd.choice(["", "林晓", "陈默", "王芳"]),
            due_date=received + dt.timedelta(days=28), phone="13800138000"))
    with write_transaction():
        for start in range(0, n, 500):
            Case.insert_many(rows[start:start + 500]).execute()
        for y, last in serials.items():
            NumberSequence.replace(scope="case", year=y, last=last).execute()
    return rows


def type_text(qtbot, widget, text: str) -> None:
    """Type ``text`` into ``widget`` as a user would: ASCII as key clicks, Chinese as an
    input-method commit (QTest's key clicks cannot carry non-Latin-1 characters)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent

    run = ""
    for ch in text + "\0":
        if ch != "\0" and ord(ch) < 128:
            run += ch
            continue
        if run:
            qtbot.keyClicks(widget, run)
            run = ""
        if ch == "\0":
            break
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QCoreApplication.sendEvent(widget, event)


def changed_elsewhere(**kw):
    """What a write made outside this GUI's operations looks like to its screens: the
    core's change feed (e.g. ``case_list=True`` after rows were written by a test)."""
    from gkdesk import changes

    kw = {k: frozenset(v) if isinstance(v, (list, tuple, set)) else v for k, v in kw.items()}
    changes.publish(changes.Changes(**kw))


def topics_seen(ctx) -> list:
    """A list that collects the topics (and "cases") of every change the screens hear of."""
    seen: list = []

    def on(c, _who):
        seen.extend(sorted(c.topics))
        if c.cases or c.case_list:
            seen.append("cases")

    ctx.changed.opDidExecute.connect(on)
    return seen
