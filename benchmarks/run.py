"""Measure gkdesk at 100,000 cases against its targets and against the alternatives.

    .venv/bin/python benchmarks/run.py              # the full run (100,000 cases), ~15 min
    .venv/bin/python benchmarks/run.py --smoke      # 2,000 cases, 5 letters: does it all still work?

Prints a table (metric, value, target, result) and writes ``benchmarks/results.json`` (the
full run) or ``<bench dir>/results-smoke.json`` (``--smoke``). Every figure is the median of
several runs unless the table says otherwise. A missed target is reported, not a failure:
the exit status is non-zero only when a measurement itself broke.

The database comes from ``benchmarks/generate.py`` (cached) and is copied to a scratch
folder first, so measurements that write (the Annex import) never touch the cache.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import generate  # noqa: E402
from benchmarks.queries import typed_prefixes  # noqa: E402

PY = sys.executable
GUI_CHILD = Path(__file__).resolve().parent / "gui_child.py"

# (name, what it is, unit, target) — the table's rows, in order. Target: (op, threshold).
METRICS: list[tuple[str, str, str, tuple | None]] = [
    ("startup_bare_s", "start-up: bare PySide6 QMainWindow, spawn → first paint", "s", None),
    ("startup_app_s", "start-up: gkdesk main window with the database, spawn → first paint", "s", ("<", 1.5)),
    ("startup_ratio", "start-up: gkdesk ÷ bare PySide6 (same run)", "×", ("<=", 1.5)),
    ("startup_idle_s", "start-up: gkdesk, spawn → first paint and the start page's counts shown", "s", None),
    ("startup_frame_s", "start-up: PySide6 window with gkdesk's frame and style sheet, no gkdesk code or database", "s", None),
    ("startup_frame_ratio", "start-up: that frame ÷ bare PySide6 (what the widgets alone cost)", "×", None),
    ("search_p50_ms", "search as you type, core query (count up to 1,000 + first 200): p50", "ms", None),
    ("search_p95_ms", "search as you type, core query (count up to 1,000 + first 200): p95", "ms", ("<", 50)),
    ("search_exact_p95_ms", "search: exact count past 1,000 matches (worker thread, list already shown): p95",
     "ms", None),
    ("search_gui_p50_ms", "search as you type in the case list (type → list repainted): p50", "ms", None),
    ("search_gui_p95_ms", "search as you type in the case list (type → list repainted): p95", "ms", ("<", 50)),
    ("scroll_p95_ms", "case list: scroll a page or jump (→ repainted): p95", "ms", None),
    ("sort_max_ms", "case list: re-sort by another column (→ repainted): slowest", "ms", None),
    ("case_window_ms", "open a case window (→ painted): median", "ms", ("<", 100)),
    ("peak_memory_mb", "peak memory (VmHWM): database open and browsed in the GUI", "MB", ("<", 300)),
    ("letter_one_ms", "one reply letter → PDF, warm app", "ms", ("<", 50)),
    ("letter_floor_ms", "the same text drawn by bare reportlab (the floor)", "ms", None),
    ("letter_vs_floor", "one letter: gkdesk ÷ floor", "×", ("<=", 2.0)),
    ("letter_floor_fonts_ms", "the same text drawn by bare reportlab in the letter's fonts (title font for the title)",
     "ms", None),
    ("letter_vs_floor_fonts", "one letter: gkdesk ÷ floor in the letter's fonts", "×", ("<=", 2.0)),
    ("letter_batch_ms", "batch of 500 letters → 500 PDF files: per letter", "ms", None),
    ("lo_one_ms", "LibreOffice headless: one letter .docx → PDF (one soffice call)", "ms", None),
    ("lo_speedup_one", "one letter: LibreOffice ÷ gkdesk", "×", (">=", 30)),
    ("lo_batch_ms", "LibreOffice headless: 500 letters given to one soffice call (and calls for any it skips): per letter", "ms", None),
    ("lo_speedup_batch", "500 letters, per letter: LibreOffice ÷ gkdesk", "×", (">=", 5)),
    ("ui_stall_max_ms", "longest UI-thread stall while 500 letters render in the background", "ms", ("<", 100)),
    ("annual_report_s", "annual report tables 三 + 四", "s", ("<", 1.0)),
    ("annual_check_s", "annual report reconciliation check", "s", None),
    ("ledger_export_s", "ledger (台账) export of every case to xlsx", "s", None),
    ("ledger_export_floor_s", "the same cells written by bare XlsxWriter (constant memory), rows in memory: the floor",
     "s", None),
    ("ledger_export_ratio", "ledger export: gkdesk ÷ floor", "×", ("<=", 2.0)),
    ("ledger_export_openpyxl_s", "the same cells written by openpyxl write-only (gkdesk's writer before)", "s", None),
    ("ledger_import_s", "ledger (台账) import of that file into a fresh database (all-or-nothing)", "s", ("<=", 30)),
    ("ledger_import_floor_s", "openpyxl read-only + peewee insert_many of the rows, one transaction: the floor",
     "s", None),
    ("ledger_import_ratio", "ledger import: gkdesk ÷ floor", "×", ("<=", 2.0)),
    ("ledger_import_floor2_s", "python-calamine + peewee insert_many: a stricter floor", "s", None),
    ("ledger_import_ratio2", "ledger import: gkdesk ÷ the stricter floor", "×", None),
    ("annex_export_s", "Annex 1/2 export: one workbook per unit", "s", None),
    ("annex_import_s", "Annex 1/2 import of those workbooks (read, compare, save)", "s", None),
    ("county_warmup_s", "county scale: the warm-up after start-up (page code, fonts), first paint → done", "s", None),
    ("county_screen_first_ms", "county scale (300 units, 200 tasks, 3,000 catalogue items): slowest page, first opening "
     "after the warm-up, with its data (reads done)", "ms", ("<", 100)),
    ("county_screen_shown_ms", "county scale: slowest page, first opening after the warm-up, painted (its reads "
     "perhaps still under way)", "ms", None),
    ("county_screen_cold_ms", "county scale: slowest page, first opening clicked at once (no warm-up)", "ms", None),
    ("county_screen_ms", "county scale: slowest page, opened again (median of 2)", "ms", ("<", 100)),
    ("county_export_s", "county scale: slowest export (catalogue, tasks summary, annual report document)", "s",
     ("<", 5)),
    ("load_pg_actions", "shared PostgreSQL server, 20 clerks (processes) × 60 s: actions done", "", None),
    ("load_pg_p95_ms", "shared PostgreSQL server, 20 clerks: p95 latency of an action", "ms", ("<", 100)),
    ("load_pg_p50_ms", "shared PostgreSQL server, 20 clerks: p50 latency of an action", "ms", None),
    ("load_pg_lost", "shared PostgreSQL server, 20 clerks: lost updates", "", ("<=", 0)),
    ("load_pg_gaps", "shared PostgreSQL server, 20 clerks: gaps or repeats in case and document numbers", "",
     ("<=", 0)),
    ("load_pg_conflicts", "shared PostgreSQL server, 20 clerks: conflicts met (optimistic-version message)", "", None),
    ("load_pg_bad_conflicts", "shared PostgreSQL server: conflicts not reported as the optimistic-version message",
     "", ("<=", 0)),
    ("load_sqlite_p95_ms", "one SQLite file, 2 clerks (processes) × 60 s: p95 latency of an action", "ms",
     ("<", 100)),
    ("load_sqlite_lost", "one SQLite file, 2 clerks: lost updates", "", ("<=", 0)),
    ("load_sqlite_gaps", "one SQLite file, 2 clerks: gaps or repeats in case and document numbers", "", ("<=", 0)),
    ("load_sqlite_bad_conflicts", "one SQLite file: conflicts not reported as the optimistic-version message", "",
     ("<=", 0)),
]
METRIC_NAMES = [m[0] for m in METRICS]


@dataclass
class Metric:
    name: str
    label: str
    unit: str
    value: float | None = None
    target: str = ""
    status: str = "not run"     # pass / MISS / info / skipped / error / not run
    note: str = ""
    samples: list = field(default_factory=list)


class Results:
    def __init__(self):
        self.metrics = {n: Metric(n, label, unit, target=_target_text(t, unit))
                        for n, label, unit, t in METRICS}
        self.targets = {n: t for n, _l, _u, t in METRICS}
        self.errors: list[str] = []

    def set(self, name: str, value: float | None, note: str = "", samples=None) -> None:
        m = self.metrics[name]
        m.value = value
        m.note = note
        m.samples = [round(s, 4) for s in (samples or [])]
        t = self.targets[name]
        if value is None:
            m.status = "error"
        elif t is None:
            m.status = "info"
        else:
            op, thr = t
            ok = {"<": value < thr, "<=": value <= thr, ">=": value >= thr}[op]
            m.status = "pass" if ok else "MISS"

    def skip(self, names, why: str) -> None:
        for n in names:
            m = self.metrics[n]
            if m.status == "not run":
                m.status, m.note = "skipped", why

    def fail(self, names, exc: BaseException) -> None:
        text = f"{type(exc).__name__}: {exc}"
        self.errors.append(text + "\n" + "".join(traceback.format_exception(exc)))
        for n in names:
            m = self.metrics[n]
            if m.status == "not run":
                m.status, m.note = "error", text[:300]


def _target_text(t, unit) -> str:
    if t is None:
        return ""
    op, thr = t
    return f"{ {'<': '<', '<=': '≤', '>=': '≥'}[op]} {thr:g} {unit}".replace(" ×", "×").rstrip()


def pct(values, p):
    v = sorted(values)
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the machine

def machine() -> dict:
    import sqlite3

    info = {"nproc": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                info["os"] = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    try:
        import PySide6
        from PySide6 import QtCore

        info["pyside6"] = PySide6.__version__
        info["qt"] = QtCore.qVersion()
    except ImportError:
        pass
    for mod in ("peewee", "reportlab", "openpyxl"):
        try:
            info[mod] = __import__(mod).__version__
        except (ImportError, AttributeError):
            pass
    from benchmarks import letters

    info["libreoffice"] = letters.soffice_version() or "absent"
    try:
        info["gkdesk_commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                               capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    return info


# ------------------------------------------------------------------ child processes

def child_env(scratch: Path) -> dict:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["GKDESK_DATA_DIR"] = str(scratch / "data")
    env["XDG_CONFIG_HOME"] = str(scratch / "config")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_child(args: list[str], env: dict, timeout: float = 900) -> tuple[dict, float]:
    """Run gui_child.py; returns (its JSON, the monotonic time just before spawning)."""
    spawned = time.monotonic()
    proc = subprocess.run([PY, str(GUI_CHILD), *args], capture_output=True, text=True, env=env, timeout=timeout)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"gui_child {args[0]} failed (exit {proc.returncode}): "
                           f"{(lines[-1] if lines else '')} {proc.stderr[-1500:]}")
    out = json.loads(lines[-1])
    if "error" in out:
        raise RuntimeError(f"gui_child {args[0]}: {out['error']}")
    return out, spawned


# ------------------------------------------------------------------ measurements

def gui_absent(res: Results, names) -> bool:
    import importlib.util

    if importlib.util.find_spec("gkdesk.ui.main_window") is None:
        res.skip(names, "gkdesk.ui.main_window not present")
        return True
    return False


STARTUP_METRICS = ["startup_bare_s", "startup_app_s", "startup_ratio", "startup_idle_s", "startup_frame_s",
                   "startup_frame_ratio"]


def m_startup(res: Results, cfg) -> None:
    if gui_absent(res, STARTUP_METRICS):
        return
    env = child_env(cfg.scratch)
    bare, frame, app, in_child, idle = [], [], [], [], []
    run_child(["startup-bare"], env)                      # warm the OS file cache for all
    run_child(["startup-frame"], env)
    run_child(["startup-app", str(cfg.db)], env)
    for i in range(cfg.startups):
        out, t0 = run_child(["startup-bare"], env)
        bare.append(out["shown"] - t0)
        out, t0 = run_child(["startup-frame"], env)
        frame.append(out["shown"] - t0)
        out, t0 = run_child(["startup-app", str(cfg.db)], env)
        app.append(out["shown"] - t0)
        idle.append(out["idle"] - t0)
        in_child.append(out["shown"] - out["child_start"])
        log(f"  start-up {i + 1}/{cfg.startups}: bare {bare[-1]:.3f} s, frame {frame[-1]:.3f} s, "
            f"gkdesk {app[-1]:.3f} s")
    b, a, f = statistics.median(bare), statistics.median(app), statistics.median(frame)
    n = f"median of {cfg.startups} fresh processes each, offscreen"
    res.set("startup_bare_s", b, n, bare)
    res.set("startup_app_s", a, n + f"; {statistics.median(in_child):.3f} s of it after the interpreter "
                                 "started", app)
    res.set("startup_ratio", a / b, "ratio of the medians")
    res.set("startup_idle_s", statistics.median(idle), "guards the ratio against a window painted empty and "
                                                       "filled later; " + n, idle)
    res.set("startup_frame_s", f, n, frame)
    res.set("startup_frame_ratio", f / b, "ratio of the medians")


def m_search(res: Results, cfg) -> None:
    """What the case list runs on the UI thread for a keystroke: the count up to 1,000
    (exact below) and the first page. Past 1,000 matches the exact count runs on a worker
    thread while the list is shown ("1,000+ 件"); it is timed here too, as a worker does it
    (``cancelled`` given: its own small page cache and a progress handler)."""
    from gkdesk.cases.query import COUNT_CAP, CaseFilter, count_cases, count_cases_upto, list_cases

    prefixes = typed_prefixes()
    times: dict[str, list[float]] = {p: [] for p in prefixes}
    exact: dict[str, list[float]] = {}
    for rep in range(cfg.repeat + 1):                     # the first pass warms the cache
        for p in prefixes:
            t0 = time.perf_counter()
            flt = CaseFilter(text=p)
            _n, is_exact = count_cases_upto(flt, COUNT_CAP)
            list_cases(flt, limit=200)
            t1 = time.perf_counter()
            if not is_exact:
                count_cases(flt, cancelled=lambda: False)
            if rep:
                times[p].append((t1 - t0) * 1000)
                if not is_exact:
                    exact.setdefault(p, []).append((time.perf_counter() - t1) * 1000)
    allt = [t for ts in times.values() for t in ts]
    worst = sorted(((statistics.median(ts), p) for p, ts in times.items()), reverse=True)[:3]
    note = (f"{len(prefixes)} keystrokes × {cfg.repeat}; slowest: "
            + ", ".join(f"“{p}” {t:.0f} ms" for t, p in worst))
    res.set("search_p50_ms", pct(allt, 50), note)
    res.set("search_p95_ms", pct(allt, 95), note)
    cfg.details["search_by_prefix_ms"] = {p: round(statistics.median(ts), 2) for p, ts in times.items()}
    allx = [t for ts in exact.values() for t in ts]
    if allx:
        worst = sorted(((statistics.median(ts), p) for p, ts in exact.items()), reverse=True)[:3]
        res.set("search_exact_p95_ms", pct(allx, 95),
                f"{len(exact)} of {len(prefixes)} keystrokes match more than {COUNT_CAP:,}; p50 "
                f"{pct(allx, 50):.0f} ms; slowest: " + ", ".join(f"“{p}” {t:.0f} ms" for t, p in worst))
        cfg.details["search_exact_count_ms"] = {p: round(statistics.median(ts), 2) for p, ts in exact.items()}
    else:
        res.set("search_exact_p95_ms", None, f"no keystroke matched more than {COUNT_CAP:,} cases")


def m_browse(res: Results, cfg) -> None:
    if gui_absent(res, ["search_gui_p50_ms", "search_gui_p95_ms", "scroll_p95_ms", "sort_max_ms",
                        "case_window_ms", "peak_memory_mb"]):
        return
    env = child_env(cfg.scratch)
    env["BENCH_REPEAT"] = str(cfg.repeat)
    runs = []
    for i in range(cfg.browse_runs):
        out, _ = run_child(["browse", str(cfg.db)], env)
        runs.append(out)
        log(f"  browse {i + 1}/{cfg.browse_runs}: search p95 {out['search_p95_ms']:.0f} ms, "
            f"case window {out['case_open_p50_ms']:.0f} ms, peak {out['peak_mb']:.0f} MB")

    def med(key):
        return statistics.median(r[key] for r in runs)

    n = f"median of {len(runs)} GUI processes"
    res.set("search_gui_p50_ms", med("search_p50_ms"), f"{runs[0]['search_samples']} keystrokes per process; {n}")
    exact = ""
    if all(r.get("exact_count_p50_ms") is not None for r in runs):
        exact = (f"; past 1,000 matches the label shows “1,000+” first, then the exact count "
                 f"{med('exact_count_p50_ms'):.0f} ms (p50) / {med('exact_count_p95_ms'):.0f} ms (p95) after "
                 f"the keystroke ({runs[0]['exact_count_samples']} such prefixes)")
    res.set("search_gui_p95_ms", med("search_p95_ms"), f"slowest {med('search_max_ms'):.0f} ms; {n}{exact}")
    res.set("scroll_p95_ms", med("scroll_p95_ms"), f"{runs[0]['scroll_steps']} page steps and jumps over "
                                                   f"{runs[0]['rows']:,} rows; {n}")
    res.set("sort_max_ms", med("sort_max_ms"), n)
    res.set("case_window_ms", med("case_open_p50_ms"), f"{runs[0]['case_window']}; slowest "
                                                      f"{med('case_open_max_ms'):.0f} ms; {n}")
    res.set("peak_memory_mb", med("peak_mb"), f"main window, {runs[0]['scroll_steps']} scroll steps, 4 sorts, "
                                             f"{runs[0]['search_samples']} searches, 19 case windows; "
                                             f"RSS {med('after_open_mb'):.0f} MB after opening; {n}")
    cfg.details["browse"] = runs


def m_letters(res: Results, cfg) -> None:
    """gkdesk against the floor and against LibreOffice, interleaved (A B A B …) so that the
    load of a shared machine falls on both sides of every ratio alike."""
    from benchmarks import letters

    if not letters.documents_available():
        res.skip(["letter_one_ms", "letter_floor_ms", "letter_vs_floor", "letter_floor_fonts_ms",
                  "letter_vs_floor_fonts", "letter_batch_ms", "lo_one_ms", "lo_speedup_one", "lo_batch_ms",
                  "lo_speedup_batch"], "gkdesk.documents not present")
        return

    def app_once() -> float:
        t0 = time.perf_counter()
        letters.render_one(*one)
        return (time.perf_counter() - t0) * 1000

    one = letters.prepare_jobs([letters.pick_one()])[0]
    pdf = letters.render_one(*one)                        # warm: fonts loaded, template compiled
    paragraphs = letters.plain_text(*one)
    font = letters.floor_font()
    letters.render_floor(paragraphs, font)
    blocks, fonts_ = letters.text_blocks(*one), letters.floor_fonts()
    letters.render_floor_fonts(blocks, fonts_)
    app_t, floor_t, floor2_t = [], [], []
    for _ in range(cfg.letter_runs):          # gkdesk, floor, floor in the letter's fonts, gkdesk, …
        app_t.append(app_once())
        t0 = time.perf_counter()
        letters.render_floor(paragraphs, font)
        t1 = time.perf_counter()
        letters.render_floor_fonts(blocks, fonts_)
        floor_t.append((t1 - t0) * 1000)
        floor2_t.append((time.perf_counter() - t1) * 1000)
    a, f = statistics.median(app_t), statistics.median(floor_t)
    n = f"median of {cfg.letter_runs}, alternating with the floor; {len(pdf) // 1024} KB, case {one[0]}"
    res.set("letter_one_ms", a, n, app_t)
    res.set("letter_floor_ms", f, f"median of {cfg.letter_runs}; same text and font, 28 characters × 22 lines, "
                                  "no templating or layout rules", floor_t)
    res.set("letter_vs_floor", statistics.median(x / y for x, y in zip(app_t, floor_t)),
            "median of the paired ratios")
    res.set("letter_floor_fonts_ms", statistics.median(floor2_t),
            f"median of {cfg.letter_runs}; as the floor, but the title in the title font at 22 pt (the body "
            f"font for the rest), so the PDF embeds the same two font subsets as the letter", floor2_t)
    res.set("letter_vs_floor_fonts", statistics.median(x / y for x, y in zip(app_t, floor2_t)),
            "median of the paired ratios")

    jobs = letters.prepare_jobs(letters.pick_cases(cfg.batch))

    def app_batch() -> float:
        out = cfg.scratch / "letters-app"
        shutil.rmtree(out, ignore_errors=True)
        t0 = time.perf_counter()
        letters.render_batch(jobs, out)
        took = (time.perf_counter() - t0) * 1000 / len(jobs)
        assert len(list(out.glob("*.pdf"))) == len(jobs)
        return took

    lo_names = ["lo_one_ms", "lo_speedup_one", "lo_batch_ms", "lo_speedup_batch"]
    if cfg.no_libreoffice or not letters.soffice():
        batch_t = [app_batch() for _ in range(cfg.batch_runs)]
        res.set("letter_batch_ms", statistics.median(batch_t),
                f"{len(jobs)} letters of every outcome; median of {cfg.batch_runs} batches", batch_t)
        res.skip(lo_names, "LibreOffice not installed" if not letters.soffice() else "--no-libreoffice")
        return
    docx_dir = cfg.scratch / "docx"
    shutil.rmtree(docx_dir, ignore_errors=True)
    docx_dir.mkdir()
    data, how = letters.docx_bytes(*one)
    one_docx = docx_dir / f"one-{one[0]}.docx"
    one_docx.write_bytes(data)
    batch_docx = []
    for cid, fields in jobs:
        p = docx_dir / f"letter-{cid}.docx"
        p.write_bytes(letters.docx_bytes(cid, fields)[0])
        batch_docx.append(p)
    profile = cfg.scratch / "lo-profile"
    lo_out = cfg.scratch / "lo-out"
    t = letters.convert([one_docx], lo_out, profile)     # first start creates the profile: not counted
    log(f"  LibreOffice first start (profile created) {t:.1f} s")
    lo_t, pair = [], []
    for _ in range(cfg.lo_runs):
        lo_t.append(letters.convert([one_docx], lo_out, profile) * 1000)
        near = statistics.median(app_once() for _ in range(5))   # gkdesk right after, same load
        pair.append(lo_t[-1] / near)
    res.set("lo_one_ms", statistics.median(lo_t), f"median of {cfg.lo_runs} soffice calls (warm profile); "
                                                  f".docx from {how}", lo_t)
    res.set("lo_speedup_one", statistics.median(pair), "each soffice call ÷ gkdesk letters rendered right after "
                                                       "it; median of the ratios")
    # batches: gkdesk, LibreOffice, gkdesk, LibreOffice, …, gkdesk
    batch_t, lo_b, ratios, calls = [app_batch()], [], [], []
    for _ in range(cfg.lo_batch_runs):
        t, calls = letters.convert_all(batch_docx, lo_out / "batch", profile)
        lo_b.append(t * 1000 / len(batch_docx))
        batch_t.append(app_batch())
        ratios.append(lo_b[-1] / statistics.mean(batch_t[-2:]))
        log(f"  batch: LibreOffice {lo_b[-1]:.0f} ms/letter ({'+'.join(map(str, calls))} per call), "
            f"gkdesk {batch_t[-2]:.0f} and {batch_t[-1]:.0f} ms/letter around it")
    res.set("letter_batch_ms", statistics.median(batch_t),
            f"{len(jobs)} letters of every outcome; median of {len(batch_t)} batches", batch_t)
    how = (f"one soffice call for {len(batch_docx)} files" if len(calls) == 1 else
           f"one soffice call given {len(batch_docx)} files converted only {calls[0]} and exited 0 without a "
           f"message; {len(calls) - 1} more call(s) for the rest ({'+'.join(map(str, calls))})")
    res.set("lo_batch_ms", statistics.median(lo_b), f"{how}; median of {len(lo_b)}", lo_b)
    cfg.details["lo_batch_calls"] = calls
    res.set("lo_speedup_batch", statistics.median(ratios), "per letter, each LibreOffice batch ÷ the gkdesk "
                                                           "batches before and after it; median of the ratios")


def m_stall(res: Results, cfg) -> None:
    from benchmarks import letters

    if not letters.documents_available():
        res.skip(["ui_stall_max_ms"], "gkdesk.documents not present")
        return
    if gui_absent(res, ["ui_stall_max_ms"]):
        return
    env = child_env(cfg.scratch)
    runs = []
    for i in range(cfg.stall_runs):
        out, _ = run_child(["stall", str(cfg.db), str(cfg.batch)], env)
        runs.append(out)
        log(f"  stall {i + 1}/{cfg.stall_runs}: longest gap {out['max_gap_ms']:.0f} ms, "
            f"{out['letters']} letters in {out['batch_s']:.1f} s")
    res.set("ui_stall_max_ms", statistics.median(r["max_gap_ms"] for r in runs),
            f"10 ms timer; {runs[0]['letters']} letters via ctx.run_in_background in "
            f"{statistics.median(r['batch_s'] for r in runs):.1f} s; p99 gap "
            f"{statistics.median(r['p99_gap_ms'] for r in runs):.0f} ms; median of {len(runs)} processes",
            [r["max_gap_ms"] for r in runs])
    cfg.details["stall"] = runs


def m_reports(res: Results, cfg) -> None:
    try:
        from gkdesk.reports import annual
    except ImportError:
        res.skip(["annual_report_s", "annual_check_s"], "gkdesk.reports not present")
        return

    year = generate.TODAY.year - 1
    annual.report(year)
    rep_t, chk_t = [], []
    for _ in range(cfg.repeat):
        t0 = time.perf_counter()
        annual.report(year)
        rep_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        problems = annual.check(year)
        chk_t.append(time.perf_counter() - t0)
    from gkdesk.db.models import Case

    n_year = Case.select().where(Case.received_date.year == year).count()
    res.set("annual_report_s", statistics.median(rep_t), f"year {year} ({n_year:,} received) over "
                                                          f"{cfg.count:,} cases; median of {cfg.repeat}", rep_t)
    res.set("annual_check_s", statistics.median(chk_t), f"{len(problems)} problems found; median of {cfg.repeat}",
            chk_t)


LEDGER_METRICS = ["ledger_export_s", "ledger_export_floor_s", "ledger_export_ratio", "ledger_export_openpyxl_s",
                  "ledger_import_s", "ledger_import_floor_s", "ledger_import_ratio", "ledger_import_floor2_s",
                  "ledger_import_ratio2"]


def m_ledger(res: Results, cfg) -> None:
    from benchmarks import ledger_bench

    ledger_bench.measure(res, cfg, log)


COUNTY_METRICS = ["county_warmup_s", "county_screen_first_ms", "county_screen_shown_ms", "county_screen_cold_ms",
                  "county_screen_ms",
                  "county_export_s"]


def m_county(res: Results, cfg) -> None:
    import importlib.util

    if any(importlib.util.find_spec(m) is None for m in ("gkdesk.api.tasks", "gkdesk.api.catalogue",
                                                         "gkdesk.api.annual")):
        res.skip(COUNTY_METRICS, "tasks / catalogue / annual document areas not present")
        return
    from benchmarks import county

    info = county.build(log=log, scale=0.2 if cfg.smoke else 1.0)
    ex = county.exports(info, cfg.scratch / "county", generate.TODAY.year - 1)
    worst = max(ex, key=ex.get)
    res.set("county_export_s", ex[worst], f"slowest: {worst}; " + ", ".join(f"{k} {v:.2f} s" for k, v in ex.items()))
    cfg.details["county_exports_s"] = ex
    cfg.details["county_build_s"] = info["build_s"]
    if gui_absent(res, COUNTY_METRICS[:-1]):
        return
    from gkdesk.db import close_database, open_database

    close_database()                                  # the child reads what was just written
    try:
        out, _ = run_child(["county", str(cfg.db)], child_env(cfg.scratch))
        cold, _ = run_child(["county", str(cfg.db)], {**child_env(cfg.scratch), "GKDESK_WARMUP": "0"})
    finally:
        open_database(cfg.db)
    pages, titles = out["pages"], out["titles"]
    first = {k: v[0] for k, v in pages.items()}
    again = {k: statistics.median(v[1:]) for k, v in pages.items()}
    at_once = {k: v[0] for k, v in cold["pages"].items()}
    wf, wa, wc = max(first, key=first.get), max(again, key=again.get), max(at_once, key=at_once.get)
    res.set("county_warmup_s", out["warm_ms"] / 1000, "from the first paint, the start page idle; one module per "
                                                      "turn of the event loop after the reader thread's part")
    res.set("county_screen_first_ms", first[wf], f"slowest: {titles[wf]}; " +
            ", ".join(f"{titles[k]} {v:.0f} ms" for k, v in first.items()))
    painted = {k: v[0] for k, v in out["shown"].items()}
    wp = max(painted, key=painted.get)
    res.set("county_screen_shown_ms", painted[wp], f"slowest: {titles[wp]}; " +
            ", ".join(f"{titles[k]} {v:.0f} ms" for k, v in painted.items()))
    res.set("county_screen_cold_ms", at_once[wc], f"GKDESK_WARMUP=0; slowest: {titles[wc]}; " +
            ", ".join(f"{titles[k]} {v:.0f} ms" for k, v in at_once.items()))
    res.set("county_screen_ms", again[wa], f"slowest: {titles[wa]}; " +
            ", ".join(f"{titles[k]} {v:.0f} ms" for k, v in again.items()))
    cfg.details["county_pages_ms"] = pages
    cfg.details["county_pages_cold_ms"] = cold["pages"]
    cfg.details["county_pages_shown_ms"] = out["shown"]


LOAD_PG = ["load_pg_actions", "load_pg_p95_ms", "load_pg_p50_ms", "load_pg_lost", "load_pg_gaps",
           "load_pg_conflicts", "load_pg_bad_conflicts"]
LOAD_SQLITE = ["load_sqlite_p95_ms", "load_sqlite_lost", "load_sqlite_gaps", "load_sqlite_bad_conflicts"]


def _load_note(r: dict) -> str:
    kinds = ", ".join(f"{k} {v:.0f} ms" for k, v in r["p95_by_kind_ms"].items() if v is not None)
    return (f"{r['clerks']} processes × {r['seconds']:.0f} s, {r['actions']} actions ({r['actions'] / r['seconds']:.1f}/s: "
            f"{r['register']} registrations, {r['work']} case actions, {r['letters']} letters); p95 by kind: {kinds}; "
            f"slowest {r['max_ms']:.0f} ms; load average {r['load_average']:.1f} at the end")


def m_load(res: Results, cfg) -> None:
    from benchmarks import load
    from gkdesk.db import close_database, open_database

    close_database()
    try:
        runs = {}
        for backend, clerks, names in (("postgresql", cfg.load_clerks, LOAD_PG), ("sqlite", 2, LOAD_SQLITE)):
            try:
                r = load.run(backend, clerks, cfg.load_seconds, cfg.scratch / f"load-{backend}", log=log)
            except RuntimeError as exc:
                if backend == "postgresql" and "no PostgreSQL server" in str(exc):
                    res.skip(names, str(exc)[:200])
                    continue
                raise
            runs[backend] = r
            log(f"  {backend}: {r['actions']} actions, p95 {r['p95_ms']:.0f} ms, lost {r['lost_updates']}, "
                f"gaps {len(r['gaps'])}, conflicts {r['conflicts']}, errors {len(r['errors'])}")
            if r["errors"]:
                raise RuntimeError(f"{backend} clerks failed: {r['errors'][:3]}")
            key = "pg" if backend == "postgresql" else "sqlite"
            note = _load_note(r)
            if key == "pg":
                res.set("load_pg_actions", r["actions"], note)
                res.set("load_pg_p50_ms", r["p50_ms"], note)
                res.set("load_pg_conflicts", r["conflicts"], f"e.g. 「{r['conflict_example']}」" if r["conflicts"]
                        else "none met in this run")
            res.set(f"load_{key}_p95_ms", r["p95_ms"], note)
            res.set(f"load_{key}_lost", r["lost_updates"] + r["events_missing"],
                    f"each case's version and audit events against the {r['saves']} saves the clerks were told "
                    f"succeeded; audit chain problems: {len(r['chain_problems'])}")
            res.set(f"load_{key}_gaps", len(r["gaps"]) + r["duplicate_numbers"],
                    f"{r['cases']} case numbers, {r['documents']} document numbers; " + "; ".join(r["gaps"][:3]))
            res.set(f"load_{key}_bad_conflicts", r["conflicts_wrong_message"], f"of {r['conflicts']} conflicts")
        cfg.details["load"] = runs
    finally:
        open_database(cfg.db)


def m_annex(res: Results, cfg) -> None:
    try:
        from gkdesk.forms import xlsx_export, xlsx_import
    except ImportError:
        res.skip(["annex_export_s", "annex_import_s"], "gkdesk.forms not present")
        return
    from gkdesk.actors import SYSTEM

    exp_t, imp_t = [], []
    for _ in range(cfg.heavy_runs):
        folder = cfg.scratch / "annex"
        shutil.rmtree(folder, ignore_errors=True)
        t0 = time.perf_counter()
        files = xlsx_export.export_all(folder)
        exp_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        diffs = xlsx_import.diff_paths(folder)
        bad = [d for d in diffs if not d.ok]
        if bad:
            raise RuntimeError(f"{len(bad)} exported workbooks do not import back: {bad[0].problems[:2]}")
        result = xlsx_import.apply(diffs, SYSTEM, rnd=False)
        imp_t.append(time.perf_counter() - t0)
    n = f"{len(files)} units; median of {cfg.heavy_runs}"
    res.set("annex_export_s", statistics.median(exp_t), n, exp_t)
    res.set("annex_import_s", statistics.median(imp_t), n + f"; {len(result.saved)} changed, "
                                                          f"{len(result.unchanged)} unchanged", imp_t)


# ------------------------------------------------------------------ the run

def print_table(res: Results, out=sys.stdout) -> None:
    rows = [("metric", "value", "target", "result")]
    for m in res.metrics.values():
        if m.value is None:
            val = "—"
        elif m.unit == "×":
            val = f"{m.value:.2f}×"
        elif m.unit in ("ms", "MB"):
            val = f"{m.value:.1f} {m.unit}"
        elif m.unit == "":
            val = f"{m.value:,.0f}"
        else:
            val = f"{m.value:.3f} {m.unit}"
        rows.append((m.name, val, m.target, m.status))
    w = [max(len(r[i]) for r in rows) for i in range(4)]
    for i, r in enumerate(rows):
        print("  ".join(c.ljust(w[j]) for j, c in enumerate(r)).rstrip(), file=out)
        if i == 0:
            print("  ".join("-" * x for x in w), file=out)
    for m in res.metrics.values():
        if m.note and m.status in ("skipped", "error"):
            print(f"  {m.name}: {m.note}", file=out)


class Config:
    pass


# the entries of ``details`` each group writes (kept with its figures by --merge)
GROUP_DETAILS = {"search": ("search_by_prefix_ms", "search_exact_count_ms"), "browse": ("browse",),
                 "letters": ("lo_batch_calls",), "stall": ("stall",),
                 "county": ("county_exports_s", "county_build_s", "county_pages_ms", "county_pages_cold_ms",
                            "county_pages_shown_ms"), "load": ("load",)}


def _previous(path: Path) -> dict | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return None if doc.get("smoke") else doc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="gkdesk benchmarks (see README, ## Performance)")
    ap.add_argument("--size", type=int, default=100_000, help="number of cases (default 100000)")
    ap.add_argument("--smoke", action="store_true", help="2,000 cases, 5 letters, one run each: a quick check")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-libreoffice", action="store_true", help="skip the LibreOffice comparison")
    ap.add_argument("--only", nargs="*", default=None,
                    help="run only these groups: startup search browse letters stall reports ledger annex county load")
    ap.add_argument("--out", type=Path, default=None, help="where to write the JSON results")
    ap.add_argument("--merge", action="store_true",
                    help="with --only: keep the other groups' figures (and the runs they came from) "
                         "from the results file instead of marking them not selected")
    ap.add_argument("--nice", type=int, default=None, metavar="N",
                    help="run at this scheduling priority (e.g. -10 as root on a shared, busy machine)")
    args = ap.parse_args(argv)
    if args.nice is not None:
        os.nice(args.nice - os.nice(0))

    cfg = Config()
    cfg.smoke = args.smoke
    cfg.count = 2000 if args.smoke else args.size
    cfg.batch = 5 if args.smoke else 500
    cfg.documents = 5 if args.smoke else 300
    cfg.units = 20 if args.smoke else generate.UNITS
    cfg.repeat = 1 if args.smoke else 5
    cfg.startups = 1 if args.smoke else 11
    cfg.browse_runs = 1 if args.smoke else 3
    cfg.letter_runs = 3 if args.smoke else 30
    cfg.batch_runs = 1 if args.smoke else 3
    cfg.lo_runs = 1 if args.smoke else 5
    cfg.lo_batch_runs = 1 if args.smoke else 2
    cfg.stall_runs = 1 if args.smoke else 3
    cfg.heavy_runs = 1 if args.smoke else 3
    cfg.load_clerks = 4 if args.smoke else 20
    cfg.load_seconds = 4 if args.smoke else 60
    cfg.no_libreoffice = args.no_libreoffice
    cfg.details = {}
    out_path = args.out or (generate.bench_dir() / "results-smoke.json" if args.smoke
                            else Path(__file__).resolve().parent / "results.json")

    started = time.perf_counter()
    load_before = os.getloadavg()
    # GUI and start-up figures are for gkdesk as a clerk runs it: an installed gkdesk has its
    # bytecode compiled (PyInstaller bundles it, the Windows build runs compileall, a source
    # checkout writes __pycache__ on first start). With PYTHONDONTWRITEBYTECODE set, as on
    # some machines, every child would compile each module from source on every import
    # (measured: 107 ms of the 统计报表 page's first opening).
    import compileall

    compileall.compile_dir(str(ROOT / "gkdesk"), quiet=1, workers=0)
    cached = generate.build(cfg.count, args.seed, cfg.units, cfg.documents, log=log)
    scratch = Path(tempfile.mkdtemp(prefix="gkdesk-bench-run-", dir=generate.bench_dir()))
    cfg.scratch = scratch
    shutil.copytree(cached.parent, scratch / "db")
    cfg.db = scratch / "db" / cached.name
    for d in ("data", "config"):
        (scratch / d).mkdir()
    os.environ["GKDESK_DATA_DIR"] = str(scratch / "data")
    os.environ["XDG_CONFIG_HOME"] = str(scratch / "config")

    from gkdesk.db import close_database, open_database

    res = Results()
    groups = [("startup", m_startup, STARTUP_METRICS),
              ("search", m_search, ["search_p50_ms", "search_p95_ms", "search_exact_p95_ms"]),
              ("browse", m_browse, ["search_gui_p50_ms", "search_gui_p95_ms", "scroll_p95_ms", "sort_max_ms",
                                    "case_window_ms", "peak_memory_mb"]),
              ("letters", m_letters, ["letter_one_ms", "letter_floor_ms", "letter_vs_floor",
                                      "letter_floor_fonts_ms", "letter_vs_floor_fonts", "letter_batch_ms",
                                      "lo_one_ms", "lo_speedup_one", "lo_batch_ms", "lo_speedup_batch"]),
              ("stall", m_stall, ["ui_stall_max_ms"]),
              ("reports", m_reports, ["annual_report_s", "annual_check_s"]),
              ("ledger", m_ledger, LEDGER_METRICS),
              ("annex", m_annex, ["annex_export_s", "annex_import_s"]),
              ("county", m_county, COUNTY_METRICS),
              ("load", m_load, LOAD_PG + LOAD_SQLITE)]
    old = _previous(out_path) if (args.merge and args.only is not None) else None
    runs = dict(old.get("runs", {})) if old else {}
    this_run = {"generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "commit": machine().get("gkdesk_commit"), "load_average_start": round(load_before[0], 2)}
    try:
        for key, fn, names in groups:
            if args.only is not None and key not in args.only:
                kept = [m for m in (old or {}).get("metrics", []) if m["name"] in names]
                if kept:
                    for m in kept:
                        res.metrics[m["name"]] = Metric(**{k: m[k] for k in Metric.__dataclass_fields__ if k in m})
                    runs.setdefault(key, old.get("runs", {}).get(key) or {
                        "generated": old.get("generated"), "commit": old.get("machine", {}).get("gkdesk_commit"),
                        "load_average_start": (old.get("load_average", {}).get("start") or [None])[0]})
                    for dkey in GROUP_DETAILS.get(key, ()):
                        if dkey in old.get("details", {}):
                            cfg.details[dkey] = old["details"][dkey]
                else:
                    res.skip(names, "not selected (--only)")
                continue
            runs[key] = this_run
            log(f"[{key}]")
            t0 = time.perf_counter()
            open_database(cfg.db)
            try:
                fn(res, cfg)
            except Exception as exc:  # noqa: BLE001 - reported, the other groups still run
                log(f"  FAILED: {type(exc).__name__}: {exc}")
                res.fail(names, exc)
            finally:
                close_database()
                gc.collect()
            log(f"  ({time.perf_counter() - t0:.0f} s)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"\ngkdesk benchmarks: {cfg.count:,} cases" + (" (smoke run)" if cfg.smoke else "")
          + f"; load average {load_before[0]:.1f} at start, {os.getloadavg()[0]:.1f} at end")
    print_table(res)
    doc = {"generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
           "size": cfg.count, "smoke": cfg.smoke, "nice": args.nice, "batch": cfg.batch, "seed": args.seed,
           "wall_s": round(time.perf_counter() - started, 1), "machine": machine(),
           "load_average": {"start": [round(x, 2) for x in load_before],
                            "end": [round(x, 2) for x in os.getloadavg()]},
           "run_started": this_run["generated"], "runs": runs,
           "metrics": [asdict(m) for m in res.metrics.values()], "details": cfg.details,
           "errors": res.errors}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, out_path)
    print(f"\nresults: {out_path}  ({doc['wall_s']:.0f} s)")
    for e in res.errors:
        print("\n" + e, file=sys.stderr)
    return 1 if res.errors else 0


if __name__ == "__main__":
    sys.exit(main())
