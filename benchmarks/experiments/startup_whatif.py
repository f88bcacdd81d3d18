"""Evidence for the start-up fixes proposed in the README's performance section.

    .venv/bin/python benchmarks/experiments/startup_whatif.py [--count 100000] [--runs 7]

Times, in fresh processes as run.py does (spawn → first paint of the main window), a bare
PySide6 window, gkdesk as it is, and gkdesk with its code patched in the child only:
(a) no ``PRAGMA quick_check`` while opening the database (gkdesk/db/connection.py,
``_probe_sqlite_file`` reads every page of the file there: 0.5 s at 100,000 cases);
(b) as (a), and the command-line parser not built when no subcommand is given (gkdesk/cli.py
imports every area's CLI module to build it, also for the GUI); (c) as (b), and the
dashboard's alert ids read as tuples (gkdesk/cases/alerts.py ``_ids`` builds a peewee model
object for each of ~17,000 replied/delivered cases at 100,000 cases); (d) as (b), and the
cards counted with SQL COUNT instead of lists of ids.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import generate  # noqa: E402

CHILD = str(ROOT / "benchmarks" / "gui_child.py")
PATCH = r'''
import sys, runpy
sys.path.insert(0, {root!r})
mode = {mode!r}
import sqlite3
from gkdesk.db import connection as C
real = sqlite3.connect
class _Conn:
    def __init__(self, c): self._c = c
    def execute(self, sql, *a):
        if "quick_check" in sql:
            class R:
                def fetchall(self): return [("ok",)]
            return R()
        return self._c.execute(sql, *a)
    def __getattr__(self, k): return getattr(self._c, k)
class _Mod:
    def __getattr__(self, k): return getattr(sqlite3, k)
    def connect(self, *a, **k): return _Conn(real(*a, **k))
C.sqlite3 = _Mod()
if mode in ("lazy-cli", "alerts", "counts"):
    from gkdesk import cli
    def main(argv=None):
        argv = sys.argv[1:] if argv is None else argv
        if argv[:1] == ["--db"] and len(argv) == 2:
            from gkdesk.ui.app import run_gui
            return run_gui(argv[1])
        return _main(argv)
    _main, cli.main = cli.main, main
if mode == "alerts":
    from gkdesk.cases import alerts
    from gkdesk.db.models import Case
    alerts._ids = lambda q: [r[0] for r in q.select(Case.id).tuples()]
if mode == "counts":
    from gkdesk.cases import alerts
    from gkdesk.db.models import Case
    alerts._ids = lambda q: range(q.select(Case.id).count())   # a count, not the ids (len() works)
sys.argv = [{child!r}, "startup-app", {db!r}]
runpy.run_path({child!r}, run_name="__main__")
'''


def run(args, env):
    t0 = time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    line = [x for x in p.stdout.splitlines() if x.startswith("{")][-1]
    return json.loads(line)["shown"] - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    db = str(generate.build(a.count, 1, generate.UNITS, 300 if a.count >= 100_000 else 5))
    scratch = Path(tempfile.mkdtemp(prefix="gkdesk-exp-"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GKDESK_DATA_DIR=str(scratch / "d"),
               XDG_CONFIG_HOME=str(scratch / "c"), PYTHONPATH=str(ROOT))
    variants = {
        "bare PySide6": [sys.executable, CHILD, "startup-bare"],
        "gkdesk as it is": [sys.executable, CHILD, "startup-app", db],
        "(a) no quick_check at open": [sys.executable, "-c", PATCH.format(root=str(ROOT), mode="noqc",
                                                                          child=CHILD, db=db)],
        "(b) (a) + no CLI parser for the GUI": [sys.executable, "-c", PATCH.format(root=str(ROOT), mode="lazy-cli",
                                                                                   child=CHILD, db=db)],
        "(c) (b) + dashboard ids as tuples": [sys.executable, "-c", PATCH.format(root=str(ROOT), mode="alerts",
                                                                                 child=CHILD, db=db)],
        "(d) (b) + dashboard cards counted in SQL": [sys.executable, "-c", PATCH.format(
            root=str(ROOT), mode="counts", child=CHILD, db=db)],
    }
    times = {k: [] for k in variants}
    for v in variants.values():
        run(v, env)
    for _ in range(a.runs):
        for k, v in variants.items():
            times[k].append(run(v, env))
    bare = statistics.median(times["bare PySide6"])
    for k, ts in times.items():
        m = statistics.median(ts)
        print(f"{k:40s} {m:6.3f} s   {m / bare:4.1f}× bare")
    return 0


if __name__ == "__main__":
    sys.exit(main())
