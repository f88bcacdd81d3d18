"""The wheel carries what gkdesk reads at run time from the repository's ``resources/``
(templates, style, icons, the bundled CJK font and its licence) and ``docs/`` (the F1
user guide): they are copied into the package as ``gkdesk/resources`` and ``gkdesk/docs``,
where ``gkdesk.resources`` looks after the bundle and the repository. Everything else is
in pyproject.toml."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
DATA = ("resources", "docs")


class BuildWithData(build_py):
    def run(self):
        super().run()
        if self.editable_mode:      # an editable install reads the repository itself
            return
        for name in DATA:
            src = HERE / name
            dest = Path(self.build_lib) / "gkdesk" / name
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "make_*.py"))


setup(cmdclass={"build_py": BuildWithData})
