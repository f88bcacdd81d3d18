"""The user guide: every task of the issue has its page, every link and picture resolves,
every screenshot is used and small, and the screenshot script still drives the real windows."""
import os
import re
import subprocess
import sys
from pathlib import Path

from PIL import Image

from gkdesk import resources

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
IMAGES = DOCS / "images"
PAGES = sorted(DOCS.rglob("*.md"))
TASKS = {  # the tasks the guide is organised by (issue 8), and the page titles that carry them
    "登记一件申请": "guide/01-register.md",
    "发补正告知": "guide/02-correction.md",
    "延期": "guide/03-extension.md",
    "出具答复书并盖章": "guide/04-reply-and-seal.md",
    "送达与归档": "guide/05-delivery-and-archive.md",
    "收集附件一、附件二": "guide/06-annex-forms.md",
    "年度报告": "guide/07-annual-report.md",
    "备份与恢复": "guide/08-backup-and-restore.md",
}
LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)")


def _links():
    for page in PAGES:
        for m in LINK.finditer(page.read_text(encoding="utf-8")):
            yield page, m.group(1) == "!", m.group(3)


def _load_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_screenshots", DOCS / "make_screenshots.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod          # dataclasses look their module up there
    try:
        spec.loader.exec_module(mod)
    finally:
        del sys.modules[spec.name]
    return mod


def test_every_task_has_its_page_listed_in_the_contents():
    contents = (DOCS / "README.md").read_text(encoding="utf-8")
    for task, rel in TASKS.items():
        page = DOCS / rel
        title = page.read_text(encoding="utf-8").splitlines()[0]
        assert title.startswith("# ") and task in title, (rel, title)
        assert f"({rel})" in contents, f"{rel} is not in the table of contents"


def test_links_and_pictures_resolve():
    for page, is_image, target in _links():
        if target.startswith(("http://", "https://")):
            continue
        path = (page.parent / target.split("#")[0]).resolve()
        assert path.is_file(), f"{page.relative_to(ROOT)} → {target}"
        if is_image:
            assert path.parent == IMAGES and path.suffix == ".png", target


def test_every_screenshot_is_used_small_and_made_by_the_script():
    used = {(page.parent / t).resolve() for page, img, t in _links() if img}
    pngs = sorted(IMAGES.glob("*.png"))
    names = {s.name for s in _load_script().SHOTS}
    assert {p.stem for p in pngs} == names, "docs/images must hold exactly the script's shots"
    total = 0
    for png in pngs:
        assert png.resolve() in used, f"{png.name} is not used by any page"
        with Image.open(png) as im:
            assert im.width <= 1200 and im.mode == "P", (png.name, im.size, im.mode)
        total += png.stat().st_size
    assert total < 1_500_000, f"screenshots take {total // 1024} KB"


def test_f1_pages_exist():
    for topic, rel in resources.GUIDE_PAGES.items():
        assert (DOCS / rel).is_file(), f"{topic}: docs/{rel}"


def test_screenshot_script_drives_the_real_windows(tmp_path):
    shots = ["main-cases", "register-dialog", "case-window", "reply-document"]
    r = subprocess.run([sys.executable, str(DOCS / "make_screenshots.py"), "--out", str(tmp_path), *shots],
                       capture_output=True, text=True, timeout=300, cwd=str(tmp_path),
                       env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stdout + r.stderr
    for name in shots:
        assert re.search(rf"^ok\s+{name}\.png", r.stdout, re.M), r.stdout
        with Image.open(tmp_path / f"{name}.png") as im:
            assert im.width <= 1200 and im.height > 100
            # not a blank grab: a real window has many distinct colours even after quantising
            assert len(im.getcolors(256) or []) > 8
    assert not (ROOT / "docs" / "images" / "tmp").exists()


def test_unknown_shot_name_is_refused(tmp_path):
    r = subprocess.run([sys.executable, str(DOCS / "make_screenshots.py"), "--out", str(tmp_path), "no-such"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "unknown shot" in r.stdout
