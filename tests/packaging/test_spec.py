"""The PyInstaller spec bundles what the app looks up at run time.

The spec is executed with stand-ins for PyInstaller's build classes (``Analysis``, ``EXE``…)
that record their arguments, so the test sees exactly the data files, hidden imports and
executables a real build would get — without the 30-second build (CI does the real build
and runs the frozen self-test). PyInstaller's hook helpers are the real ones when
PyInstaller is installed, else simple equivalents (pkgutil for submodules).
"""
import importlib.util
import pkgutil
import sys
import types
from pathlib import Path

import pytest

import gkdesk
from gkdesk import resources

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "gkdesk.spec"


def _fake_hooks():
    mod = types.ModuleType("PyInstaller.utils.hooks")

    def collect_submodules(package, filter=lambda name: True):
        pkg = importlib.import_module(package)
        names = [package]
        for info in pkgutil.walk_packages(pkg.__path__, package + "."):
            names.append(info.name)
        return [n for n in names if filter(n)]

    mod.collect_submodules = collect_submodules
    mod.collect_data_files = lambda *a, **k: []
    return mod


def _real_pyinstaller() -> bool:
    # A stand-in left in sys.modules by the module-scoped fixture has no __spec__
    # (find_spec raises ValueError on it): only a real installation counts.
    mod = sys.modules.get("PyInstaller")
    if mod is not None:
        return getattr(mod, "__spec__", None) is not None
    return importlib.util.find_spec("PyInstaller") is not None


def run_spec(monkeypatch, platform=None, workpath=None):
    rec = {"exe": []}

    class Analysis:
        def __init__(self, scripts, **kw):
            rec["scripts"], rec["analysis"] = scripts, kw
            self.pure, self.scripts, self.binaries, self.datas = [], [], [], []

    def EXE(*args, **kw):  # noqa: N802 - PyInstaller's name
        rec["exe"].append(kw)
        return kw["name"]

    def COLLECT(*args, **kw):  # noqa: N802
        rec["collect"] = (args, kw)

    monkeypatch.setattr(sys, "path", list(sys.path))
    if not _real_pyinstaller():
        for name in ("PyInstaller", "PyInstaller.utils"):
            monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
        monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", _fake_hooks())
        rec["real_hooks"] = False
    else:
        rec["real_hooks"] = True
    if platform:
        monkeypatch.setattr(sys, "platform", platform)
    ns = {"Analysis": Analysis, "PYZ": lambda *a, **k: "pyz", "EXE": EXE, "COLLECT": COLLECT,
          "SPECPATH": str(SPEC.parent), "workpath": str(workpath or "/nonexistent"),
          "__name__": "__main__"}
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), ns)
    rec["ns"] = ns
    return rec


@pytest.fixture(scope="module")
def spec():
    mp = pytest.MonkeyPatch()
    try:
        yield run_spec(mp)
    finally:
        mp.undo()


def test_entry_point_and_executables(spec):
    assert [Path(s) for s in spec["scripts"]] == [ROOT / "installer" / "launch.py"]
    assert [e["name"] for e in spec["exe"]] == ["gkdesk"]
    assert spec["exe"][0]["console"] is True          # Linux: one console-capable binary
    assert Path(spec["exe"][0]["icon"]).is_file()
    args, kw = spec["collect"]
    assert kw["name"] == "gkdesk" and "gkdesk" in args


def test_every_resource_and_guide_file_is_bundled_at_its_own_path(spec):
    datas = set(spec["analysis"]["datas"])
    assert set(spec["ns"]["DATA_FOLDERS"]) == {"resources", "docs"}
    # the folders the app looks things up in, by the names gkdesk.resources uses
    assert resources.resources_dir() == ROOT / "resources"
    assert resources.docs_dir() == ROOT / "docs"
    expected = set()
    for folder in ("resources", "docs"):
        for p in (ROOT / folder).rglob("*"):
            rel = p.relative_to(ROOT)
            if p.is_file() and "__pycache__" not in rel.parts and rel.as_posix() != "docs/make_screenshots.py":
                expected.add((str(p), str(rel.parent)))
    assert expected <= datas, sorted(expected - datas)[:5]
    # things the self-test and the app need are among them
    for must in ("resources/style/gkdesk.qss", "resources/icons/gkdesk.svg", "docs/README.md"):
        assert any(src.endswith(must) for src, _ in datas), must
    assert any(src.endswith(".j2") and dest == "resources/templates" for src, dest in datas)
    assert not any(src.endswith("make_screenshots.py") for src, _ in datas)
    # python-docx opens docx/parts/../templates/*.xml: parts/ must exist on disk in the bundle
    assert spec["analysis"]["module_collection_mode"]["docx"] == "pyz+py"
    if spec["real_hooks"]:
        assert any(src.endswith("default.docx") for src, _ in datas)          # python-docx template
        assert any("reportlab" in src and "/fonts/" in src for src, _ in datas)


def test_modules_imported_by_name_are_hidden_imports(spec):
    hidden = set(spec["analysis"]["hiddenimports"])
    from gkdesk import cli
    from gkdesk.ui import pages

    wanted = {"gkdesk.selftest", "gkdesk.resources", "gkdesk.ui.app", "gkdesk.ui.main_window"}
    wanted |= {m for m in cli.COMMAND_MODULES if importlib.util.find_spec(m) is not None}
    wanted |= {p.module for p in pages.PAGES if importlib.util.find_spec(p.module) is not None}
    assert wanted <= hidden, sorted(wanted - hidden)
    assert not any(".tests" in h or h.startswith("tests") for h in hidden)


def test_windows_build_gets_two_executables_and_the_version_resource(monkeypatch, tmp_path):
    rec = run_spec(monkeypatch, platform="win32", workpath=tmp_path)
    exes = {e["name"]: e for e in rec["exe"]}
    assert set(exes) == {"gkdesk", "gkdesk-cli"}
    assert exes["gkdesk"]["console"] is False and exes["gkdesk-cli"]["console"] is True
    assert exes["gkdesk"]["icon"].endswith("gkdesk.ico") and Path(exes["gkdesk"]["icon"]).is_file()
    version_file = Path(exes["gkdesk"]["version"])
    assert version_file.parent == tmp_path and exes["gkdesk-cli"]["version"] == str(version_file)

    # PyInstaller eval()s this text with its version-resource classes; evaluate it the same
    # way with recording stand-ins (the real classes need Windows-only modules).
    def recorder(kind):
        return lambda *a, **k: (kind, a, k)

    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct")
    info = eval(version_file.read_text(encoding="utf-8"), {n: recorder(n) for n in names})  # noqa: S307
    kind, _, kw = info
    assert kind == "VSVersionInfo"
    nums = tuple(int(x) for x in gkdesk.__version__.split(".")) + (0,)
    assert kw["ffi"][2]["filevers"] == nums and kw["ffi"][2]["prodvers"] == nums
    string_file_info, var_file_info = kw["kids"]
    (table,) = string_file_info[1][0]
    assert table[1][0] == "080404B0"                   # Simplified Chinese, Unicode
    strings = dict(s[1] for s in table[1][1])
    assert strings["ProductVersion"] == strings["FileVersion"] == gkdesk.__version__
    assert strings["ProductName"] == gkdesk.APP_TITLE
    assert strings["OriginalFilename"] == "gkdesk.exe"
