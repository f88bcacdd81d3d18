"""House rules a machine can check. The layer rules are import-linter contracts in
pyproject.toml ([tool.importlinter]: ui → gkdesk.api → areas → db → domain; the screens never
import gkdesk.db or peewee; the core never imports Qt; the store (gkdesk.db) imports nothing above it and has no circles;
subcommands never open the database themselves); these tests run them, prove they can fail, and check at run time that importing the core loads no Qt."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "gkdesk"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

needs_linter = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is in the test extra")


def core_modules():
    for p in sorted(PKG.rglob("*.py")):
        rel = p.relative_to(ROOT)
        if rel.parts[1] == "ui":
            continue
        yield ".".join(rel.with_suffix("").parts).removesuffix(".__init__")


def test_core_imports_no_qt():
    mods = list(core_modules())
    assert "gkdesk.cases.workflow" in mods and "gkdesk.api.cases" in mods
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


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
                          capture_output=True, text=True, cwd=root,
                          env=dict(os.environ, PYTHONPATH=str(root)), timeout=300)


@needs_linter
def test_the_layer_contracts_hold():
    r = _lint(ROOT)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "BROKEN" not in r.stdout and r.stdout.count("KEPT") >= 5


@needs_linter
def test_a_screen_that_imports_the_database_breaks_a_contract(tmp_path):
    copy = tmp_path / "tree"
    shutil.copytree(PKG, copy / "gkdesk", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    (copy / "gkdesk" / "ui" / "pages" / "sneaky.py").write_text(
        "from gkdesk.db.models import Case\n\n\ndef n():\n    return Case.select().count()\n", encoding="utf-8")
    r = _lint(copy)
    assert r.returncode != 0
    assert "gkdesk.ui.pages.sneaky -> gkdesk.db.models" in r.stdout


# what the store may import (everything else of gkdesk is above it)
STORE_MAY_IMPORT = {"gkdesk.db", "gkdesk.errors", "gkdesk.changes", "gkdesk.paths", "gkdesk.resources", "gkdesk.domain"}


def _contract(name_start: str) -> dict:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return next(c for c in config["tool"]["importlinter"]["contracts"] if c["name"].startswith(name_start))


def test_every_module_is_placed_above_or_below_the_store():
    """A new top-level module of gkdesk is either forbidden to the store or allowed on purpose."""
    forbidden = set(_contract("The store has no circles")["forbidden_modules"])
    top = {f"gkdesk.{p.stem if p.is_file() else p.name}" for p in PKG.iterdir()
           if (p.suffix == ".py" and not p.name.startswith("__")) or (p / "__init__.py").exists()}
    assert top - forbidden - STORE_MAY_IMPORT == set()
    assert forbidden & STORE_MAY_IMPORT == set()


@needs_linter
@pytest.mark.parametrize("where, source, broken", [
    ("db/sneaky.py", "from gkdesk import settings\n", "gkdesk.db.sneaky -> gkdesk.settings"),
    ("db/sneaky.py", "from gkdesk.cases import query\n", "gkdesk.db.sneaky -> gkdesk.cases.query"),
    ("db/models_extra.py", "from gkdesk.db import migrations\n", "No circles inside the store"),
    ("reports/cli_extra.py", "", None),
])
def test_the_store_contracts_can_fail(tmp_path, where, source, broken):
    copy = tmp_path / "tree"
    shutil.copytree(PKG, copy / "gkdesk", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    if broken is None:      # a subcommand that opens the database itself
        target = copy / "gkdesk" / "reports" / "cli.py"
        target.write_text(target.read_text(encoding="utf-8") + "\nfrom gkdesk.cli_open import open_db  # noqa\n",
                          encoding="utf-8")
        broken = "gkdesk.reports.cli -> gkdesk.cli_open"
    else:
        (copy / "gkdesk" / where).write_text(source, encoding="utf-8")
        if "models_extra" in where:     # the models importing the migrations, which import the models
            models = copy / "gkdesk" / "db" / "models.py"
            models.write_text(models.read_text(encoding="utf-8") + "\nfrom gkdesk.db import models_extra  # noqa\n",
                              encoding="utf-8")
    r = _lint(copy)
    assert r.returncode != 0
    assert broken in r.stdout, r.stdout[-3000:]


@needs_linter
def test_any_screen_that_imports_a_core_service_breaks_the_api_contract(tmp_path):
    """The contract names the whole of gkdesk.ui: a new dialog anywhere under it that
    calls a service (here the backups and the validators) instead of gkdesk.api is refused."""
    copy = tmp_path / "tree"
    shutil.copytree(PKG, copy / "gkdesk", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    (copy / "gkdesk" / "ui" / "dialogs" / "sneaky.py").write_text(
        "from gkdesk import backup, validation\n\n\ndef n():\n    return backup.backup_dir(), validation.normalise('x')\n",
        encoding="utf-8")
    r = _lint(copy)
    assert r.returncode != 0
    assert "The screens reach the core only through gkdesk.api BROKEN" in r.stdout
    assert "gkdesk.ui.dialogs.sneaky -> gkdesk.backup" in r.stdout
    assert "gkdesk.ui.dialogs.sneaky -> gkdesk.validation" in r.stdout
