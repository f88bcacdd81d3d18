"""The self-test names what truly keeps the icon from showing: a missing file is not
reported as a missing Qt SVG plugin (and the reverse)."""
from __future__ import annotations


def test_icon_problems_are_told_apart(qapp, tmp_path, monkeypatch):
    from PySide6.QtGui import QImageReader

    from gkdesk import resources
    from gkdesk.ui.selftest import icon_problem

    assert icon_problem(resources.app_icon()) is None
    missing = tmp_path / "icons" / "gkdesk.svg"
    text = icon_problem(missing)
    assert text == f"应用图标文件缺失：{missing}" and "插件" not in text
    broken = tmp_path / "broken.svg"
    broken.write_text("not an svg at all", encoding="utf-8")
    assert "不是有效的图像文件" in icon_problem(broken)
    formats = [f for f in QImageReader.supportedImageFormats() if bytes(f) != b"svg"]
    monkeypatch.setattr(QImageReader, "supportedImageFormats", staticmethod(lambda: formats))
    assert "缺少 SVG 图像插件" in icon_problem(resources.app_icon())
