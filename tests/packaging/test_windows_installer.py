"""The Inno Setup script, checked by reading (it cannot be compiled on this Linux machine).

A tiny stand-in for Inno Setup's preprocessor expands the script the way ISCC would with
``/DVersion=<gkdesk.__version__>`` (what ``build-windows.ps1`` passes), then the sections
are parsed and the directives that matter are checked.
"""
import re
from pathlib import PureWindowsPath, Path

import pytest

import gkdesk

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "installer" / "windows" / "gkdesk.iss"
PS1 = ROOT / "installer" / "windows" / "build-windows.ps1"
APP_ID = "{{D6866C21-D494-4B02-92B6-65966150B8B5}"   # must never change: upgrades key on it


class PreprocessorError(Exception):
    pass


def preprocess(text: str, defines: dict[str, str]) -> str:
    """#define / #ifndef / #if FileExists(...) / #elif / #else / #endif / #error / #pragma,
    and {#Name} substitution — the subset gkdesk.iss uses. FileExists is False here (no
    Inno Setup installation)."""
    defs = dict(defines)
    out, stack = [], []          # stack of [active, taken]
    for raw in text.splitlines():
        line = raw.strip()
        active = all(a for a, _ in stack)
        if line.startswith("#"):
            word, _, rest = line[1:].partition(" ")
            rest = rest.strip()
            if word == "ifndef":
                stack.append([rest not in defs, rest not in defs])
            elif word == "if":
                cond = False if rest.startswith("FileExists(") else bool(eval(rest, {}, defs))  # noqa: S307
                stack.append([cond, cond])
            elif word == "elif":
                cond = False if rest.startswith("FileExists(") else bool(eval(rest, {}, defs))  # noqa: S307
                stack[-1] = [not stack[-1][1] and cond, stack[-1][1] or cond]
            elif word == "else":
                stack[-1] = [not stack[-1][1], True]
            elif word == "endif":
                stack.pop()
            elif not active:
                continue
            elif word == "define":
                name, _, value = rest.partition(" ")
                value = value.strip()
                defs[name] = value[1:-1] if value.startswith('"') else defs[value]
            elif word == "error":
                raise PreprocessorError(rest)
            elif word == "pragma":
                continue
            else:
                raise AssertionError(f"unknown directive: {line}")
            continue
        if active:
            out.append(re.sub(r"\{#(\w+)\}", lambda m: defs[m.group(1)], raw))
    assert not stack, "unbalanced #if/#endif"
    return "\n".join(out)


def sections(text: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith(";"):
            continue
        m = re.match(r"^\[(\w+)\]$", s)
        if m:
            current = m.group(1)
            result.setdefault(current, [])
        elif current:
            result[current].append(s)
    return result


def setup_values(sec) -> dict[str, str]:
    return dict(line.split("=", 1) for line in sec["Setup"])


def entries(sec, name) -> list[dict[str, str]]:
    """Parse 'Key: "value"; Key2: value' lines."""
    rows = []
    for line in sec.get(name, []):
        row = {}
        for part in re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]+)', line):
            k, v = part
            row[k] = v.strip().strip('"')
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def raw():
    data = ISS.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "the .iss must be UTF-8 with BOM for ISCC to read Chinese"
    return data.decode("utf-8-sig")


@pytest.fixture(scope="module")
def expanded(raw):
    return sections(preprocess(raw, {"Version": gkdesk.__version__}))


def test_the_version_comes_only_from_the_build_command(raw):
    code = [l for l in raw.splitlines() if not l.strip().startswith(";")]
    assert not [l for l in code if re.search(r"\d+\.\d+\.\d+", l)], "no version number may be written in the .iss"
    with pytest.raises(PreprocessorError, match="build-windows.ps1"):
        preprocess(raw, {})


def test_setup_directives(expanded):
    v = setup_values(expanded)
    ver = gkdesk.__version__
    assert v["AppId"] == APP_ID
    assert v["AppVersion"] == ver
    assert v["OutputBaseFilename"] == f"gkdesk-setup-{ver}"
    assert v["VersionInfoVersion"] == ver and v["VersionInfoProductTextVersion"] == ver
    assert v["AppName"] == gkdesk.APP_TITLE
    # per-user, no administrator rights
    assert v["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in v
    assert v["DefaultDirName"] == r"{localappdata}\Programs\gkdesk"
    assert v["ArchitecturesInstallIn64BitMode"] == "x64compatible"
    # paths relative to the .iss: the icon exists, the output goes to dist/
    here = ISS.parent
    assert (here / PureWindowsPath(v["SetupIconFile"]).as_posix()).resolve() == ROOT / "installer" / "icons" / "gkdesk.ico"
    assert (here / PureWindowsPath(v["OutputDir"]).as_posix()).resolve() == ROOT / "dist"


def test_files_shortcuts_and_run(expanded):
    (files,) = entries(expanded, "Files")
    src = (ISS.parent / PureWindowsPath(files["Source"]).as_posix()).resolve()
    assert src == ROOT / "dist" / "gkdesk" / "*"     # PyInstaller's one-folder output
    assert files["DestDir"] == "{app}" and "recursesubdirs" in files["Flags"]
    icons = entries(expanded, "Icons")
    by_place = {i["Name"].split("\\")[0]: i for i in icons}
    assert set(by_place) == {"{autoprograms}", "{autodesktop}"}
    for i in icons:
        assert i["Filename"] == r"{app}\gkdesk.exe"    # the windowed executable of the spec
    assert by_place["{autodesktop}"]["Tasks"] == "desktopicon"
    assert "Tasks" not in by_place["{autoprograms}"]   # the Start-menu entry is always made
    assert [t["Name"] for t in entries(expanded, "Tasks")] == ["desktopicon"]
    (run,) = entries(expanded, "Run")
    assert run["Filename"] == r"{app}\gkdesk.exe" and "postinstall" in run["Flags"]


def test_uninstall_leaves_the_data_in_place(expanded, raw):
    for section in ("UninstallDelete", "InstallDelete"):
        for e in entries(expanded, section):
            assert e["Name"].startswith("{app}\\"), f"[{section}] may only delete inside {{app}}: {e}"
    assert "UninstallRun" not in expanded
    # the data folder (platformdirs' user data dir on Windows) is only mentioned, never deleted
    assert "DelTree" not in raw and "DeleteFile" not in raw and "RemoveDir" not in raw
    code = "\n".join(expanded["Code"])
    assert r"{localappdata}\gkdesk" in code and "保留" in code


def test_chinese_messages_when_available_english_otherwise(expanded, raw):
    langs = entries(expanded, "Languages")
    assert [l["Name"] for l in langs] == ["english"]           # no ISCC here: the fallback
    assert 'compiler:Languages\\ChineseSimplified.isl' in raw


def test_build_script_passes_the_version_from_gkdesk():
    ps = PS1.read_text(encoding="utf-8-sig")
    assert "import gkdesk; print(gkdesk.__version__)" in ps
    assert '"/DVersion=$Version"' in ps and '"/DFileVersion=$FileVersion"' in ps
    assert r"installer\windows\gkdesk.iss" in ps
    assert r"installer\gkdesk.spec" in ps
    assert "gkdesk-cli.exe" in ps and "--self-test" in ps
    # every native command's exit code is checked (PowerShell does not stop on them itself)
    assert "$LASTEXITCODE -ne 0" in ps
