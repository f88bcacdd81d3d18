"""``scripts/build-linux`` packaging, run on a small stand-in app folder (a shell script
named gkdesk with a ``_internal`` tree), so the tarball, the per-user installer and the
.deb are checked in seconds; the real PyInstaller build is packaged the same way in CI
(``.ci/run`` → ``scripts/build-linux --ci``)."""
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

import gkdesk

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "scripts" / "build-linux"
VERSION = gkdesk.__version__
MACHINE = os.uname().machine


@pytest.fixture(scope="module")
def packaged(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    app = dist / "gkdesk"
    (app / "_internal" / "resources" / "style").mkdir(parents=True)
    (app / "_internal" / "resources" / "style" / "gkdesk.qss").write_text("/* qss */", encoding="utf-8")
    (app / "_internal" / "docs").mkdir()
    (app / "_internal" / "docs" / "README.md").write_text("# 手册", encoding="utf-8")
    exe = app / "gkdesk"
    exe.write_text('#!/bin/sh\necho "stand-in gkdesk $*"\n', encoding="utf-8")
    exe.chmod(0o755)
    r = subprocess.run([str(BUILD), "--skip-build", "--dist", str(dist)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return dist


def test_tarball_contents(packaged):
    tgz = packaged / f"gkdesk-{VERSION}-linux-{MACHINE}.tar.gz"
    with tarfile.open(tgz) as t:
        names = set(t.getnames())
        top = f"gkdesk-{VERSION}-linux-{MACHINE}"
        for want in ("gkdesk/gkdesk", "gkdesk/_internal/resources/style/gkdesk.qss", "gkdesk.desktop",
                     "gkdesk.png", "install.sh", "README.txt"):
            assert f"{top}/{want}" in names, want
        assert t.getmember(f"{top}/install.sh").mode & 0o111
        assert t.getmember(f"{top}/gkdesk/gkdesk").mode & 0o111
        assert {m.uid for m in t.getmembers()} == {0}


def test_install_sh_per_user_then_uninstall_keeps_data(packaged, tmp_path):
    with tarfile.open(packaged / f"gkdesk-{VERSION}-linux-{MACHINE}.tar.gz") as t:
        t.extractall(tmp_path / "x", filter="tar")
    src = tmp_path / "x" / f"gkdesk-{VERSION}-linux-{MACHINE}"
    home = tmp_path / "home"
    home.mkdir()
    data = home / ".local" / "share" / "gkdesk"
    data.mkdir(parents=True)
    (data / "gkdesk.sqlite3").write_bytes(b"the office's cases")
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}

    r = subprocess.run(["sh", str(src / "install.sh")], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    opt = home / ".local" / "opt" / "gkdesk"
    assert (opt / "gkdesk").is_file()
    link = home / ".local" / "bin" / "gkdesk"
    assert link.is_symlink() and Path(os.readlink(link)) == opt / "gkdesk"
    assert subprocess.run([str(link), "--version"], capture_output=True, text=True).stdout.strip() \
        == "stand-in gkdesk --version"
    desktop = home / ".local" / "share" / "applications" / "gkdesk.desktop"
    text = desktop.read_text(encoding="utf-8")
    assert f'Exec="{opt}/gkdesk"' in text
    icon = home / ".local" / "share" / "icons" / "hicolor" / "256x256" / "apps" / "gkdesk.png"
    assert f"Icon={icon}" in text and icon.is_file()
    if shutil.which("desktop-file-validate"):
        v = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
        assert v.returncode == 0 and not v.stdout.strip(), v.stdout

    # upgrade in place: a second install replaces the program, keeps working
    (src / "gkdesk" / "NEW").write_text("v2")
    assert subprocess.run(["sh", str(src / "install.sh")], env=env, capture_output=True).returncode == 0
    assert (opt / "NEW").is_file() and not (home / ".local" / "opt" / "gkdesk.old").exists()

    r = subprocess.run(["sh", str(src / "install.sh"), "--uninstall"], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert not opt.exists() and not link.exists() and not desktop.exists() and not icon.exists()
    assert (data / "gkdesk.sqlite3").read_bytes() == b"the office's cases"
    assert str(data) in r.stdout


@pytest.fixture(scope="module")
def deb(packaged):
    if shutil.which("dpkg-deb") is None:
        pytest.skip("dpkg-deb is not installed (not a Debian-family system)")
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    path = packaged / f"gkdesk_{VERSION}_{arch}.deb"
    assert path.is_file()
    return path


def test_deb_control(deb):
    def field(name):
        return subprocess.run(["dpkg-deb", "--field", str(deb), name], capture_output=True, text=True,
                              check=True).stdout.strip()

    assert field("Package") == "gkdesk"
    assert field("Version") == VERSION
    depends = [d.strip() for d in field("Depends").split(",")]
    assert depends[0].startswith("libc6 (>= 2.")          # the stand-in has no ELF: glibc floor 2.17
    for lib in ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libgl1", "libxcb1"):
        assert lib in depends
    # gkdesk carries its own CJK font (resources/fonts): no font package is required
    assert not any(d.startswith("fonts-") for d in depends), depends
    assert int(field("Installed-Size")) > 0


def test_deb_layout(deb, tmp_path):
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True,
                             check=True).stdout
    lines = {line.split()[-1] if " -> " not in line else line.split()[-3]: line for line in listing.splitlines()}
    for want in ("./opt/gkdesk/gkdesk", "./opt/gkdesk/_internal/docs/README.md",
                 "./usr/share/applications/gkdesk.desktop", "./usr/share/icons/hicolor/256x256/apps/gkdesk.png",
                 "./usr/share/icons/hicolor/scalable/apps/gkdesk.svg", "./usr/share/doc/gkdesk/README"):
        assert want in lines, want
        assert " root/root " in lines[want]
    assert "./usr/bin/gkdesk -> /opt/gkdesk/gkdesk" in listing
    assert lines["./opt/gkdesk/gkdesk"].startswith("-rwxr-xr-x")
    # the menu entry the package installs is the validated one
    x = tmp_path / "x"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(x)], check=True)
    assert (x / "usr/share/applications/gkdesk.desktop").read_bytes() == \
        (ROOT / "installer/linux/gkdesk.desktop").read_bytes()


def test_unknown_option_is_refused():
    r = subprocess.run([str(BUILD), "--bogus"], capture_output=True, text=True)
    assert r.returncode == 2 and "unknown option --bogus" in r.stderr
