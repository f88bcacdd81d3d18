"""The README's first command works with arguments too (a bare `source` once passed the
script's own arguments to the setup step as a pip extra and crashed)."""
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_names_the_two_scripts_first():
    head = (ROOT / "README.md").read_text(encoding="utf-8").split("##")[0]
    assert "scripts/gkdesk" in head and "scripts/test" in head
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/test" in ci


def test_start_script_passes_its_arguments_to_gkdesk(tmp_path):
    env = dict(os.environ, GKDESK_DATA_DIR=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([str(ROOT / "scripts" / "gkdesk"), "--version"], capture_output=True, text=True,
                       env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    import gkdesk

    assert r.stdout.strip() == f"gkdesk {gkdesk.__version__}"
    r = subprocess.run([str(ROOT / "scripts" / "gkdesk"), "due", "--received", "2026-09-24"],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0 and r.stdout.strip().splitlines()[-1] == "2026-10-29", r.stderr[-2000:]
