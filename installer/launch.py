"""Entry point of the frozen app (PyInstaller runs this file as ``__main__``).

Same as ``python -m gkdesk``: no arguments open the GUI, subcommands do headless work,
``--self-test`` checks the installation.

One adjustment for Linux desktops before Qt starts: Chinese input. 统信 UOS and 麒麟
desktops set ``QT_IM_MODULE=fcitx`` (or ``fcitx5``), but the Qt inside this bundle ships
only the ``ibus`` and ``compose`` input-context plugins, and a system fcitx plugin built
for another Qt cannot be loaded. fcitx5 also speaks the ibus protocol, so when the
requested module is not in the bundle we ask Qt to try it and then ``ibus``
(``QT_IM_MODULES``, a fallback list Qt 6 reads before ``QT_IM_MODULE``). Nothing is
changed when the user set ``QT_IM_MODULES`` themselves or the module is bundled.
"""
import multiprocessing
import os
import sys
from pathlib import Path


def input_method_fallback(environ, plugin_dir):
    """The value to give ``QT_IM_MODULES``, or None to leave the environment alone."""
    wanted = (environ.get("QT_IM_MODULE") or "").strip()
    if not wanted or environ.get("QT_IM_MODULES"):
        return None
    plugin_dir = Path(plugin_dir)
    bundled = {p.name for p in plugin_dir.glob("*.so")} if plugin_dir.is_dir() else set()
    if any(wanted in name for name in bundled):
        return None
    if not any("ibus" in name for name in bundled):
        return None
    return f"{wanted};ibus"


def _prepare_environment():
    meipass = getattr(sys, "_MEIPASS", None)
    if not meipass or not sys.platform.startswith("linux"):
        return
    plugins = Path(meipass) / "PySide6" / "Qt" / "plugins" / "platforminputcontexts"
    value = input_method_fallback(os.environ, plugins)
    if value:
        os.environ["QT_IM_MODULES"] = value


if __name__ == "__main__":
    multiprocessing.freeze_support()
    _prepare_environment()
    from gkdesk.cli import main

    sys.exit(main())
