"""House rules a machine can check: the core imports no Qt; the UI writes no SQL."""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "gkdesk"


def core_modules():
    for p in sorted(PKG.rglob("*.py")):
        rel = p.relative_to(ROOT)
        if rel.parts[1] == "ui":
            continue
        yield ".".join(rel.with_suffix("").parts).removesuffix(".__init__")


def test_core_imports_no_qt():
    mods = list(core_modules())
    assert "gkdesk.cases.workflow" in mods
    code = ("import sys, importlib\n"
            f"mods = {mods!r}\n"
            "for m in mods:\n"
            "    if m.endswith('__main__'): continue\n"
            "    importlib.import_module(m)\n"
            "bad = sorted(k for k in sys.modules if k.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'))\n"
            "print(bad)\n"
            "sys.exit(1 if bad else 0)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode == 0, r.stdout + r.stderr


def test_core_source_has_no_qt_import():
    pat = re.compile(r"^\s*(from|import)\s+(PySide6|PyQt5|PyQt6|shiboken6)", re.M)
    offenders = [str(p) for p in PKG.rglob("*.py") if "ui" not in p.relative_to(PKG).parts[:1]
                 and pat.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_ui_writes_no_sql():
    pat = re.compile(r"\.execute_sql\(|\bcursor\(\)|\.raw\(|sqlite3\.connect|\.insert\(|\.update\(|\.delete\(\)|"
                     r"\.save\(\)|\.delete_instance\(|\.create\(")
    offenders = []
    for p in (PKG / "ui").rglob("*.py"):
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if pat.search(line) and "models" not in line and "Q" not in line.split(".")[0]:
                offenders.append(f"{p.relative_to(ROOT)}:{i}: {line.strip()}")
    # Qt's own .update()/.insert() on widgets and models are fine; peewee calls are not.
    offenders = [o for o in offenders if re.search(r"\b(Case|Unit|Document|Setting|User|db)\.", o)]
    assert offenders == []
