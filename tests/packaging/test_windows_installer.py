"""The Windows installer (installer/windows/gkdesk.nsi, NSIS): compiled here by Debian's
makensis against a small stand-in stage, and its rules checked. The real build and its
run under Wine (silent install, self-test, screenshot, upgrade, uninstall) is
``scripts/build-windows --ci``, run by ``.ci/run``."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import gkdesk

ROOT = Path(__file__).resolve().parents[2]
NSI = ROOT / "installer" / "windows" / "gkdesk.nsi"
REQ = ROOT / "installer" / "windows" / "requirements-windows.txt"
BUILD = ROOT / "scripts" / "build-windows"


def _code(text: str) -> str:
    return "\n".join(line.split(";", 1)[0] if not line.lstrip().startswith(";") else ""
                     for line in text.splitlines())


def test_one_route_only():
    left = sorted(p.name for p in (ROOT / "installer" / "windows").iterdir())
    assert left == ["gkdesk.nsi", "requirements-windows.txt"], left
    for doc in (ROOT / "README.md", ROOT / "installer" / "README.md", ROOT / "docs" / "guide" / "09-install.md"):
        text = doc.read_text(encoding="utf-8")
        assert "Inno Setup" not in text and ".iss" not in text and "build-windows.ps1" not in text, doc


def test_per_user_and_the_data_folder_is_never_touched():
    code = _code(NSI.read_text(encoding="utf-8"))
    assert re.search(r"^RequestExecutionLevel user$", code, re.M)
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\gkdesk"' in code
    assert "HKLM" not in code                                      # nothing machine-wide
    # every removal is inside the program folder, the shortcuts or the uninstall key
    for line in code.splitlines():
        words = line.strip().split(None, 2)
        if words and words[0] in ("RMDir", "Delete", "RMDir /r"):
            target = line.split('"')[1]
            assert target.startswith(("$INSTDIR", "$SMPROGRAMS", "$DESKTOP")), line
    assert "$LOCALAPPDATA\\gkdesk" not in code.replace("$LOCALAPPDATA\\gkdesk，", "")


def test_shortcuts_uninstaller_and_version_from_the_build():
    code = _code(NSI.read_text(encoding="utf-8"))
    assert code.count("CreateShortcut") == 3                      # Start menu (app, uninstall), desktop
    assert '"$DESKTOP\\${APPNAME}.lnk"' in code and '"$SMPROGRAMS\\${APPNAME}\\${APPNAME}.lnk"' in code
    assert 'WriteUninstaller "$INSTDIR\\uninstall.exe"' in code
    assert "!error" in code and "!ifndef VERSION" in code        # no version of its own
    assert gkdesk.__version__ not in code
    build = BUILD.read_text(encoding="utf-8")
    assert "gkdesk.__version__" in build and '-DVERSION="$VERSION"' in build


def test_windows_pins_stay_inside_the_project_ranges():
    pins = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)$", REQ.read_text(encoding="utf-8"), re.M))
    assert pins["PySide6-Essentials"].startswith("6.8.")          # Qt 6.8 LTS (no icuuc.dll under Wine)
    assert pins["shiboken6"] == pins["PySide6-Essentials"]
    import tomllib

    from packaging.requirements import Requirement

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    lower = {k.lower().replace("_", "-"): v for k, v in pins.items()}
    for dep in map(Requirement, deps):       # every runtime dependency, pinned inside its range
        name = dep.name.lower().replace("_", "-")
        assert name in lower, f"{dep.name} is missing from {REQ.name}"
        assert dep.specifier.contains(lower[name]), f"{dep.name}=={lower[name]} is outside {dep.specifier}"


def test_makensis_compiles_the_script(tmp_path):
    if not shutil.which("makensis"):
        pytest.skip("makensis not installed (Debian package nsis; scripts/build-windows installs it)")
    stage = tmp_path / "stage"
    (stage / "python").mkdir(parents=True)
    (stage / "python" / "python.exe").write_bytes(b"MZ stand-in")
    (stage / "python" / "pythonw.exe").write_bytes(b"MZ stand-in")
    (stage / "gkdesk.cmd").write_text("@echo off\r\n", encoding="ascii")
    shutil.copy(ROOT / "installer" / "icons" / "gkdesk.ico", stage / "gkdesk.ico")
    out = tmp_path / "安装 程序.exe"
    r = subprocess.run(["makensis", "-V2", "-INPUTCHARSET", "UTF8", f"-DVERSION={gkdesk.__version__}",
                        "-DFILEVERSION=0.1.0.0", "-DCOMPRESSOR=zlib", f"-DSTAGE={stage}", f"-DOUTFILE={out}",
                        str(NSI)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.read_bytes()[:2] == b"MZ"
    # without the version the script refuses, with the reason
    r = subprocess.run(["makensis", "-V2", "-INPUTCHARSET", "UTF8", f"-DSTAGE={stage}", str(NSI)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode != 0 and "缺少版本号" in r.stdout + r.stderr
