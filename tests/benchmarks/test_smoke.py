"""The benchmark scripts keep working: a small smoke run (2,000 cases, 5 letters, one run of
each measurement) in a child process. No timing is asserted here — the figures and their
targets live in benchmarks/results.json and the README's performance section."""
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from benchmarks.run import METRIC_NAMES  # noqa: E402

LIBREOFFICE = ["lo_one_ms", "lo_speedup_one", "lo_batch_ms", "lo_speedup_batch"]
# The area a metric needs; the runner may skip a metric only when its area is not installed.
GUI = "gkdesk.ui.main_window"
NEEDS = {"startup_bare_s": GUI, "startup_app_s": GUI, "startup_ratio": GUI, "startup_idle_s": GUI,
         "startup_frame_s": GUI, "startup_frame_ratio": GUI, "search_gui_p50_ms": GUI,
         "search_gui_p95_ms": GUI, "scroll_p95_ms": GUI, "sort_max_ms": GUI, "case_window_ms": GUI,
         "peak_memory_mb": GUI, "ui_stall_max_ms": GUI,
         **{n: "gkdesk.documents.service" for n in ("letter_one_ms", "letter_floor_ms", "letter_vs_floor",
                                                     "letter_floor_fonts_ms", "letter_vs_floor_fonts",
                                                     "letter_batch_ms", *LIBREOFFICE)},
         "annual_report_s": "gkdesk.reports.annual", "annual_check_s": "gkdesk.reports.annual",
         **{n: "gkdesk.reports.ledger" for n in ("ledger_export_s", "ledger_export_floor_s", "ledger_export_ratio",
                                                 "ledger_export_openpyxl_s", "ledger_import_s",
                                                 "ledger_import_floor_s", "ledger_import_ratio",
                                                 "ledger_import_floor2_s", "ledger_import_ratio2")},
         "county_export_s": "gkdesk.api.catalogue", "county_screen_ms": GUI, "county_screen_first_ms": GUI,
         "annex_export_s": "gkdesk.forms.xlsx_export",
         "annex_import_s": "gkdesk.forms.xlsx_import"}


# Counts (unit ""): 0 is a real answer (no lost update, no gap).
COUNTS = ("load_pg_lost", "load_pg_gaps", "load_pg_conflicts", "load_pg_bad_conflicts", "load_sqlite_lost",
          "load_sqlite_gaps", "load_sqlite_bad_conflicts")
# The shared-server group needs Debian's PostgreSQL (initdb); without it, it says so and skips.
POSTGRES = ("load_pg_actions", "load_pg_p95_ms", "load_pg_p50_ms", *COUNTS[:4])


def _has_postgres() -> bool:
    import glob

    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb") or shutil.which("initdb"))


def _present(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def test_smoke_run_measures_everything(tmp_path):
    env = dict(os.environ, GKDESK_BENCH_DIR=str(tmp_path / "bench"), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=ROOT)
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "run.py"), "--smoke", "--out", str(out)],
                          capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    table = proc.stdout
    for name in METRIC_NAMES:
        assert f"\n{name} " in table, f"{name} missing from the table:\n{table}"

    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["smoke"] is True and doc["size"] == 2000
    assert doc["errors"] == []
    metrics = {m["name"]: m for m in doc["metrics"]}
    assert list(metrics) == METRIC_NAMES
    has_soffice = bool(shutil.which("soffice") or shutil.which("libreoffice"))
    for name, m in metrics.items():
        if name in NEEDS and not _present(NEEDS[name]):
            assert m["status"] == "skipped", m
            continue
        if name in LIBREOFFICE and not has_soffice:
            assert m["status"] == "skipped", m
            continue
        if name in POSTGRES and not _has_postgres():
            assert m["status"] == "skipped", m
            continue
        # every measurement ran and produced a number (pass, MISS or info — never skipped)
        assert m["status"] in ("pass", "MISS", "info"), m
        assert isinstance(m["value"], (int, float)), m
        assert m["value"] >= 0 if name in COUNTS else m["value"] > 0, m
    # the machine is described, so published figures can be compared
    for key in ("nproc", "cpu", "python", "pyside6", "sqlite"):
        assert doc["machine"].get(key), key
    # the generated database was really built and browsed, the letters really rendered
    if _present(GUI):
        assert doc["details"]["browse"][0]["rows"] == 2000
        if _present("gkdesk.documents.service"):
            assert doc["details"]["stall"][0]["letters"] == 5
    # the clerks really worked on one SQLite file, and found nothing lost
    sq = doc["details"]["load"]["sqlite"]
    assert sq["actions"] > 0 and sq["lost_updates"] == 0 and sq["gaps"] == [] and sq["errors"] == []
