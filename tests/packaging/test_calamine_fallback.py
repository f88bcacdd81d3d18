"""The fast xlsx reader: a build without it is a packaging error the self-test reports; a
system that cannot load its compiled part (Wine 8 lacks bcryptprimitives.dll) falls back to
openpyxl, and says so."""
import subprocess
import sys

ROOT = __file__.rsplit("/tests/", 1)[0]


def _run(tmp_path, fake_init: str | None, code: str) -> str:
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    if fake_init is not None:
        (shadow / "python_calamine").mkdir()
        (shadow / "python_calamine" / "__init__.py").write_text(fake_init)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": f"{shadow}:{ROOT}", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_an_unloadable_calamine_falls_back_to_openpyxl_and_names_why(tmp_path):
    got = _run(tmp_path, "raise ImportError('DLL load failed while importing _python_calamine')",
               "from gkdesk.reports import xlsx_rows as x; print(x._reader()); print(x.calamine_problem())")
    reader, problem = got.splitlines()
    assert reader == "openpyxl"
    assert problem.startswith("python-calamine 组件在本系统无法加载") and "DLL load failed" in problem


def test_the_real_calamine_is_used_here(tmp_path):
    got = _run(tmp_path, None, "from gkdesk.reports import xlsx_rows as x; print(x._reader(), x.calamine_problem())")
    assert got == "calamine None"
