"""A test run leaves no gkdesk-test-data-* folder behind in the temporary folder, and the
repository carries the licence pyproject.toml names."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def test_a_test_session_removes_its_data_folder(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "GKDESK_DATA_DIR"}
    env["TMPDIR"] = str(tmp)
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "tests/reliability/test_backup.py", "-k", "archive_contents"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 passed" in r.stdout
    left = [p for p in tmp.rglob("*") if "gkdesk-test-data" in p.name or "gkdesk-stall" in p.name]
    assert left == []
    assert not os.path.exists(os.path.join(os.sep, "nonexistent"))


def test_licence_file_matches_pyproject():
    import tomllib

    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as fh:
        project = tomllib.load(fh)["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    with open(os.path.join(ROOT, "LICENSE"), encoding="utf-8") as fh:
        text = fh.read()
    assert text.startswith("MIT License") and "Permission is hereby granted, free of charge" in text
