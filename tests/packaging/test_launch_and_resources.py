"""The frozen entry point's input-method fallback, and resource lookup in one place
(source checkout and a simulated PyInstaller bundle)."""
import importlib.util
import sys
from pathlib import Path

import pytest

from gkdesk import resources

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def launch():
    spec = importlib.util.spec_from_file_location("gkdesk_launch", ROOT / "installer" / "launch.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)   # __name__ is not "__main__": nothing runs
    return mod


@pytest.fixture
def plugins(tmp_path):
    d = tmp_path / "platforminputcontexts"
    d.mkdir()
    for name in ("libcomposeplatforminputcontextplugin.so", "libibusplatforminputcontextplugin.so"):
        (d / name).write_bytes(b"")
    return d


def test_fcitx_falls_back_to_ibus_when_not_bundled(launch, plugins):
    assert launch.input_method_fallback({"QT_IM_MODULE": "fcitx"}, plugins) == "fcitx;ibus"
    assert launch.input_method_fallback({"QT_IM_MODULE": "fcitx5"}, plugins) == "fcitx5;ibus"


def test_no_change_when_bundled_unset_or_chosen_by_the_user(launch, plugins):
    assert launch.input_method_fallback({"QT_IM_MODULE": "ibus"}, plugins) is None
    assert launch.input_method_fallback({}, plugins) is None
    assert launch.input_method_fallback({"QT_IM_MODULE": "fcitx", "QT_IM_MODULES": "fcitx"}, plugins) is None
    (plugins / "libfcitx5platforminputcontextplugin.so").write_bytes(b"")
    assert launch.input_method_fallback({"QT_IM_MODULE": "fcitx5"}, plugins) is None


def test_no_fallback_without_an_ibus_plugin(launch, tmp_path):
    assert launch.input_method_fallback({"QT_IM_MODULE": "fcitx"}, tmp_path / "missing") is None


def test_source_checkout_lookup():
    assert not resources.is_frozen()
    assert resources.resources_dir() == ROOT / "resources"
    assert resources.resource("style", "gkdesk.qss").is_file()
    assert resources.app_icon().is_file()
    assert resources.docs_dir() == ROOT / "docs"


def test_frozen_lookup_uses_meipass(monkeypatch, tmp_path):
    bundle = tmp_path / "_internal"
    (bundle / "resources" / "style").mkdir(parents=True)
    (bundle / "docs" / "guide").mkdir(parents=True)
    (bundle / "docs" / "README.md").write_text("# 目录", encoding="utf-8")
    (bundle / "docs" / "guide" / "01-register.md").write_text("# 登记", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert resources.is_frozen()
    assert resources.resources_dir() == bundle / "resources"
    assert resources.resource("style", "x.qss") == bundle / "resources" / "style" / "x.qss"
    assert resources.docs_dir() == bundle / "docs"
    assert resources.guide_page("register") == bundle / "docs" / "guide" / "01-register.md"
    # a topic without its own page (or whose page is missing) opens the table of contents
    assert resources.guide_page("no-such-window") == bundle / "docs" / "README.md"
    assert resources.guide_page("reports") == bundle / "docs" / "README.md"


def test_every_guide_page_named_exists():
    for topic, rel in resources.GUIDE_PAGES.items():
        assert (resources.docs_dir() / rel).is_file(), f"{topic}: docs/{rel}"
