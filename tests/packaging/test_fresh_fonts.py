"""A fresh machine with no Chinese font at all: fontconfig sees an empty configuration and
gkdesk's own search of the system folders is redirected to an empty folder, so only the
font gkdesk carries (resources/fonts) is visible. A letter still prints every rare name
character, embedded; the GUI picks the same font (no tofu); and the wheel built by
``pip install .`` (not editable) does the same from a folder outside the repository."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RARE = "赟喆堃昇垚旻彧珺〇"

# Registers a case for 王赟喆 with the rare set in the address, renders the 申请登记表
# through the document pipeline, writes it to argv[1]; prints the fonts gkdesk used.
RENDER = textwrap.dedent(f"""
    import sys
    from pathlib import Path
    from gkdesk.db import open_database
    from gkdesk.documents import fonts, service
    from tests_helpers_stub import make_case
    open_database(Path(sys.argv[2]))
    case = make_case("王赟喆", "某某区{RARE}路8号")
    data = service.render_pdf(case, "application_form", {{}})
    Path(sys.argv[1]).write_bytes(data)
    print("FONTS", ",".join(f.path.name for f in fonts.fontset().all_fonts))
    print("FROM", fonts.bundled_dir())
""")

# A case registered through the real service, as the self-test does (kept out of tests/
# so it works against an installed wheel too).
STUB = textwrap.dedent("""
    import datetime as dt
    from gkdesk.cases import registry

    def make_case(name, address):
        return registry.register(registry.ApplicationInput(
            applicant_name=name, id_type="none", phone="13800138000", address=address,
            content="某某路拓宽工程征收补偿方案及相关会议纪要", received_date=dt.date(2026, 3, 2),
        ), "clerk1", today=dt.date(2026, 3, 4))
""")


def _fresh_env(tmp_path: Path) -> dict:
    fc = tmp_path / "fontconfig"
    fc.mkdir()
    (fc / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><cachedir>{fc / 'cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    empty = tmp_path / "no-system-fonts"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GKDESK_", "PYTHON"))}
    env.update(FONTCONFIG_FILE=str(fc / "fonts.conf"), GKDESK_FONT_DIRS=str(empty),
               GKDESK_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    return env


def _check_pdf(pdf: Path) -> None:
    for tool in ("pdffonts", "pdftotext"):
        if not shutil.which(tool):
            pytest.skip(f"poppler-utils ({tool}) not installed")
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows, "no fonts in the PDF"
    for row in rows:
        assert "LXGWWenKai" in row and row.split()[-5] == "yes", rows      # embedded, gkdesk's own
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "王赟喆" in flat
    for ch in RARE:
        assert ch in flat, f"{ch} missing from the letter"


def _render(python: str, tmp_path: Path, cwd: Path, env: dict) -> str:
    stub_dir = tmp_path / "stub"
    stub_dir.mkdir(exist_ok=True)
    (stub_dir / "tests_helpers_stub.py").write_text(STUB, encoding="utf-8")
    script = stub_dir / "render.py"
    script.write_text(RENDER, encoding="utf-8")
    env = dict(env, PYTHONPATH=os.pathsep.join(p for p in (str(stub_dir), env.get("PYTHONPATH")) if p))
    pdf = tmp_path / "申请 登记表.pdf"
    r = subprocess.run([python, str(script), str(pdf), str(tmp_path / "数据 库.sqlite3")], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    _check_pdf(pdf)
    return r.stdout


def test_only_the_bundled_font_prints_every_rare_character(tmp_path):
    env = _fresh_env(tmp_path)
    env["PYTHONPATH"] = str(ROOT)
    out = _render(sys.executable, tmp_path, tmp_path, env)
    assert "FONTS LXGWWenKai-Regular.ttf\n" in out, out


def test_gui_font_is_the_bundled_one_without_system_fonts(tmp_path):
    """fontconfig finds nothing, so Qt has no CJK family: gkdesk registers its own font and
    every rare character is in the application font (no tofu)."""
    env = _fresh_env(tmp_path)
    env["PYTHONPATH"] = str(ROOT)
    code = textwrap.dedent(f"""
        from PySide6.QtGui import QFontDatabase, QFontMetrics
        from PySide6.QtWidgets import QApplication
        from gkdesk.ui.app import choose_font_family, create_application
        app = QApplication(["x"])
        assert choose_font_family() is None, QFontDatabase.families()     # no system CJK font
        app = create_application()
        fm = QFontMetrics(app.font())
        missing = [c for c in "{RARE}登记申请案件办理" if not fm.inFontUcs4(ord(c))]
        print("FAMILY", app.font().family(), "MISSING", missing)
    """)
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "FAMILY LXGW WenKai MISSING []" in r.stdout, r.stdout + r.stderr


@pytest.mark.slow
def test_wheel_renders_a_letter_outside_the_repository(tmp_path):
    """``pip install .`` (a real wheel, not editable) into a new venv; run from a folder
    outside the repository with no system fonts: templates and the font come from the
    installed package."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = str(venv / "bin" / "python")
    # dependencies from the pip cache / the project's .venv index, gkdesk itself built as a wheel
    r = subprocess.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    site = subprocess.run([py, "-c", "import gkdesk, pathlib; print(pathlib.Path(gkdesk.__file__).parent)"],
                          capture_output=True, text=True, check=True, cwd=tmp_path).stdout.strip()
    assert not site.startswith(str(ROOT)), site                      # the installed copy, not the repo
    assert (Path(site) / "resources" / "fonts" / "LXGWWenKai-Regular.ttf").is_file()
    assert (Path(site) / "resources" / "fonts" / "OFL.txt").is_file()
    outside = tmp_path / "某个 文件夹"
    outside.mkdir()
    out = _render(py, tmp_path, outside, _fresh_env(tmp_path))
    assert f"FROM {site}" in out, out


def test_the_font_is_in_the_repository_not_just_on_this_disk():
    """A fresh clone has it: the font and its licence are tracked by git (not ignored, not
    a Git LFS pointer), and the licence names the font and the OFL."""
    if not shutil.which("git") or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files", "resources/fonts"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    assert tracked == ["resources/fonts/LXGWWenKai-Regular.ttf", "resources/fonts/OFL.txt"], tracked
    ttf = ROOT / "resources" / "fonts" / "LXGWWenKai-Regular.ttf"
    assert ttf.read_bytes()[:4] == b"\x00\x01\x00\x00"        # TrueType outlines (glyf), not CFF
    licence = (ROOT / "resources" / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "LXGW WenKai" in licence
