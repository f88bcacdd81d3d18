"""A county's scale for the tasks, the standard catalogue and the annual-report document
(issues 13–15): 300 units, 200 tasks, 3,000 catalogue items, on top of the benchmark's cases.

``build`` adds them to the open database through the areas' own services (units as the
demo makes them, a catalogue version with 10 items per unit, 200 tasks each asked of 15
units). ``exports`` times every export a clerk runs on them; the screens are timed in a
fresh GUI process (``gui_child.py county DB``): page chosen → its data read (the reader
pool idle) → painted.
"""
from __future__ import annotations

import random
import time
from pathlib import Path

UNITS = 300
TASKS = 200
ITEMS_PER_UNIT = 10
ASKED_PER_TASK = 15
YEAR = 2026


def build(log=print, scale: float = 1.0) -> dict:
    """``scale`` < 1 for the smoke run (fewer units and tasks, same code paths)."""
    from gkdesk.actors import SYSTEM
    from gkdesk.api import catalogue, tasks
    from gkdesk.db.models import Unit
    from gkdesk.forms.demo import generate_units

    t0 = time.perf_counter()
    rng = random.Random(20)
    have = Unit.select().count()
    n_units, n_tasks = max(ASKED_PER_TASK, int(UNITS * scale)), max(1, int(TASKS * scale))
    if have < n_units:
        generate_units(n_units - have, rng, SYSTEM)
    units = [u.id for u in Unit.select(Unit.id).order_by(Unit.id).limit(n_units)]
    v = catalogue.create_version(f"{YEAR}年版", SYSTEM)
    from gkdesk.catalogue.items import field_labels

    fields = list(field_labels())[:6]                 # the domain's own 领域 (codes)
    for uid in units:
        for k in range(ITEMS_PER_UNIT):
            catalogue.add_item(v.id, uid, {
                "field": fields[k % len(fields)], "level1": f"一级事项{k // 3 + 1}", "level2": f"二级事项{k + 1}",
                "content": "批准服务信息、批后管理信息", "basis": "《中华人民共和国政府信息公开条例》",
                "time_limit": "自信息形成或者变更之日起20个工作日内", "subject": "本单位", "channel": "政府网站",
                "audience_public": True, "mode_proactive": True, "level_county": True}, SYSTEM)
    for t in range(n_tasks):
        task = tasks.create_task(SYSTEM, f"{YEAR}年政务公开工作要点第{t + 1}项", year=YEAR,
                                 deadline="12月底前", requirement="按要点落实并报送落实情况")
        tasks.ask(f"#{task.id}", rng.sample(units, ASKED_PER_TASK), SYSTEM, what="落实情况")
    took = time.perf_counter() - t0
    log(f"  county data: {len(units)} units, {len(units) * ITEMS_PER_UNIT} catalogue items, {TASKS} tasks "
        f"× {ASKED_PER_TASK} units in {took:.0f} s")
    return {"version": v.id, "units": units, "build_s": took}


def exports(info: dict, folder: Path, annual_year: int) -> dict[str, float]:
    """Seconds of each export, one run each (after one warm-up of the fonts)."""
    from gkdesk.actors import SYSTEM
    from gkdesk.api import annual, catalogue, tasks

    folder.mkdir(parents=True, exist_ok=True)
    jobs = {
        "catalogue: county workbook (xlsx)": lambda: catalogue.export_county(info["version"], folder / "目录.xlsx"),
        "catalogue: web pages (html)": lambda: catalogue.export_html(info["version"], folder / "html"),
        "catalogue: one unit (xlsx)": lambda: catalogue.export_unit(info["version"], info["units"][0],
                                                                      folder / "单位.xlsx"),
        "tasks: summary (xlsx)": lambda: tasks.summary_xlsx(folder / "落实情况.xlsx", YEAR),
        "tasks: summary (PDF)": lambda: tasks.summary_pdf(folder / "落实情况.pdf", YEAR),
        "annual report document (PDF)": lambda: annual.export_document(annual_year, folder / "年度报告.pdf",
                                                                        SYSTEM),
        "annual report document (docx)": lambda: annual.export_document(annual_year, folder / "年度报告.docx",
                                                                         SYSTEM),
    }
    out = {}
    for name, fn in jobs.items():
        t0 = time.perf_counter()
        fn()
        out[name] = time.perf_counter() - t0
    return out
