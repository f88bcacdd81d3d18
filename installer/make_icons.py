"""Render the app icon (``resources/icons/gkdesk.svg``, the one the window uses) into the
files the installers need: ``installer/icons/gkdesk.png`` (256 px, Linux menus and the
.deb's hicolor theme) and ``installer/icons/gkdesk.ico`` (16–256 px, the Windows .exe,
shortcuts and setup). The outputs are committed (a few KB) so a Windows build machine
needs no Qt rendering step; run this again after the SVG changes:

    .venv/bin/python installer/make_icons.py
"""
from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "gkdesk.svg"
OUT = ROOT / "installer" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    img = QImage(size, size, QImage.Format_ARGB32)
    img.fill(Qt.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing)
    renderer.render(p)
    p.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.WriteOnly)
    img.save(buf, "PNG")
    buf.close()
    return bytes(data)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    OUT.mkdir(parents=True, exist_ok=True)
    images = {s: Image.open(io.BytesIO(render(s))).convert("RGBA") for s in SIZES}
    images[256].save(OUT / "gkdesk.png", optimize=True)
    biggest = images[256]
    biggest.save(OUT / "gkdesk.ico", format="ICO", sizes=[(s, s) for s in SIZES],
                 append_images=[images[s] for s in SIZES if s != 256])
    print(f"wrote {OUT / 'gkdesk.png'} and {OUT / 'gkdesk.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
