"""The Linux menu entry is valid and names the command and icon the packages install."""
import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = ROOT / "installer" / "linux" / "gkdesk.desktop"


def parse(path: Path) -> dict[str, str]:
    cp = configparser.ConfigParser(interpolation=None, strict=True)
    cp.optionxform = str  # keys are case-sensitive (Name[zh_CN])
    cp.read(path, encoding="utf-8")
    assert cp.sections() == ["Desktop Entry"]
    return dict(cp["Desktop Entry"])


def test_desktop_file_validates():
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (apt-get install desktop-file-utils); "
                    "test_desktop_entry_fields checks the file by parsing")
    r = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True)
    assert r.returncode == 0 and not r.stdout.strip(), r.stdout + r.stderr


def test_desktop_entry_fields():
    e = parse(DESKTOP)
    assert e["Type"] == "Application"
    assert e["Version"] == "1.0"
    assert e["Name"] == e["Name[zh_CN]"] == "政府信息公开办公桌"
    from gkdesk import APP_TITLE

    assert e["Name"] == APP_TITLE
    # the .deb installs /usr/bin/gkdesk and the hicolor icon "gkdesk"; install.sh rewrites both
    assert e["Exec"] == "gkdesk"
    assert e["Icon"] == "gkdesk"
    assert e["Terminal"] == "false"
    assert "Office" in e["Categories"].split(";") and e["Categories"].endswith(";")
    assert e["Keywords"].endswith(";")
    assert e["StartupWMClass"] == "gkdesk"


def test_icons_exist_and_have_the_sizes_menus_use():
    from PIL import Image

    png = Image.open(ROOT / "installer" / "icons" / "gkdesk.png")
    assert png.size == (256, 256) and png.mode == "RGBA"
    ico = Image.open(ROOT / "installer" / "icons" / "gkdesk.ico")
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    assert (ROOT / "resources" / "icons" / "gkdesk.svg").is_file()
