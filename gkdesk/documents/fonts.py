"""Fonts reportlab can embed, found on this machine, by typographic role.

GB/T 9704 letters use 仿宋 for the body, 小标宋 for the title, 黑体 for first-level and
楷体 for second-level headings. Offices have the Windows fonts (simfang.ttf, simsun.ttc,
simhei.ttf, simkai.ttf); elsewhere gkdesk falls back to free TrueType fonts from Debian
(fonts-arphic-uming, fonts-wqy-microhei, fonts-lxgw-wenkai). reportlab reads TrueType
outlines only (docs/pitfalls.md #4), so OpenType/CFF files are skipped.

Every character is looked up per character: the role's own font first, then the role's
fallbacks, then any other font found. A character no font has is refused by the caller
with the field it came from (docs/pitfalls.md #5: never print a hole in a name).

gkdesk carries its own font, ``resources/fonts/LXGWWenKai-Regular.ttf`` (霞鹜文楷, a Kai
face, SIL OFL 1.1, licence beside it; it has every character of the rare-name set
赟 喆 堃 昇 垚 旻 彧 珺 〇): it is the last fallback of every role, so a machine with no
Chinese font at all still prints every letter, form and report (in the Python package,
the Linux bundle and the Windows installer alike).

Search order: the office folders — ``GKDESK_FONT_DIRS`` (os.pathsep-separated; when set,
ONLY these folders replace the next ones), else the data folder's ``fonts``, the Windows
font folders and the usual Linux/macOS font folders — then gkdesk's own ``resources/fonts``
(left out only when ``GKDESK_BUNDLED_FONT=0``, for tests of a damaged installation).

This module is the one font lookup of every PDF producer (letters, Annex PDFs, the annual
report) and holds the one message each of them shows when a font or a character is
missing (``no_font_message``, ``missing_message``).
"""
from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from gkdesk.errors import TemplateError

log = logging.getLogger(__name__)

ROLES = ("body", "title", "heading1", "heading2", "song")
ROLE_LABELS = {"body": "仿宋", "title": "小标宋", "heading1": "黑体", "heading2": "楷体", "song": "宋体"}

BUNDLED_FONT = "LXGWWenKai-Regular.ttf"
BUNDLED_LABEL = "霞鹜文楷"

INSTALL_HINT = (
    "Windows：请确认 C:\\Windows\\Fonts 中有 仿宋（simfang.ttf）、宋体（simsun.ttc）、黑体（simhei.ttf）、"
    "楷体（simkai.ttf）；Linux：请安装 fonts-arphic-uming fonts-wqy-microhei fonts-lxgw-wenkai"
    "（sudo apt-get install fonts-arphic-uming fonts-wqy-microhei fonts-lxgw-wenkai）；"
    "也可以把 TrueType 字体文件（.ttf/.ttc）放进数据文件夹的 fonts 子文件夹。")


class FontMissing(TemplateError):
    """No font can print the document (none installed, or a character nobody has)."""


def no_font_message() -> str:
    """The one message of every PDF producer when no usable font is found at all (only
    possible when gkdesk's own font is missing too: a damaged installation)."""
    return ("找不到可嵌入PDF的中文TrueType字体，无法生成PDF（gkdesk 自带的字体 "
            f"{bundled_dir() / BUNDLED_FONT} 也不在，安装可能不完整，请重新安装 gkdesk）。" + INSTALL_HINT)


def missing_message(where: str, chars: list[str] | str) -> str:
    """The one message when characters of ``where`` (a field label or a template) are in
    no font of this machine (docs/pitfalls.md #5: never print a hole in a name)."""
    listed = "、".join(char_name(c) for c in chars)
    where = where if "“" in where else f"“{where}”"
    return (f"{where}中的字{listed}在本机所有中文字体（含 gkdesk 自带的{BUNDLED_LABEL}）中都没有，"
            "无法打印（不能让姓名或内容出现空缺）。请核对该字是否录入有误，或安装含此字的字体"
            "（TrueType .ttf/.ttc，可放进数据文件夹的 fonts 子文件夹）。")


@dataclass(frozen=True)
class Candidate:
    filename: str          # matched case-insensitively
    index: int = 0         # sub-font of a .ttc
    office_name: str = ""  # the name Word/WPS know it by (used in .docx)
    fake_bold: bool = False  # draw with stroke-and-fill (docs/pitfalls.md #12)
    note: str = ""


# Per role, best first. Windows fonts, then common office-installed ones, then free ones.
CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    "body": (
        Candidate("simfang.ttf", 0, "仿宋"),
        Candidate("fs_gb2312.ttf", 0, "仿宋_GB2312"),
        Candidate("仿宋_gb2312.ttf", 0, "仿宋_GB2312"),
        Candidate(BUNDLED_FONT, 0, "仿宋", note="霞鹜文楷（无免费简体仿宋，以楷体代替）"),
        Candidate("uming.ttc", 0, "仿宋", note="AR PL UMing（宋体代替仿宋）"),
        Candidate("simsun.ttc", 0, "仿宋"),
        Candidate("wqy-microhei.ttc", 0, "仿宋"),
    ),
    "title": (
        Candidate("fzxbsjw.ttf", 0, "方正小标宋简体"),
        Candidate("方正小标宋简体.ttf", 0, "方正小标宋简体"),
        Candidate("fzxbsk.ttf", 0, "方正小标宋_GBK"),
        Candidate("simsun.ttc", 0, "宋体", fake_bold=True),
        Candidate("simsun.ttf", 0, "宋体", fake_bold=True),
        Candidate("uming.ttc", 0, "宋体", fake_bold=True, note="AR PL UMing 加粗（代替小标宋）"),
        Candidate("simhei.ttf", 0, "黑体"),
        Candidate("wqy-microhei.ttc", 0, "黑体"),
        Candidate(BUNDLED_FONT, 0, "宋体", fake_bold=True, note="霞鹜文楷 加粗（gkdesk 自带，代替小标宋）"),
    ),
    "heading1": (
        Candidate("simhei.ttf", 0, "黑体"),
        Candidate("wqy-microhei.ttc", 0, "黑体", note="文泉驿微米黑（代替黑体）"),
        Candidate("uming.ttc", 0, "黑体", fake_bold=True),
        Candidate(BUNDLED_FONT, 0, "黑体", fake_bold=True, note="霞鹜文楷 加粗（gkdesk 自带，代替黑体）"),
    ),
    "heading2": (
        Candidate("simkai.ttf", 0, "楷体"),
        Candidate("kaiti_gb2312.ttf", 0, "楷体_GB2312"),
        Candidate("楷体_gb2312.ttf", 0, "楷体_GB2312"),
        Candidate(BUNDLED_FONT, 0, "楷体", note="霞鹜文楷（代替楷体）"),
        Candidate("uming.ttc", 0, "楷体"),
    ),
    "song": (
        Candidate("simsun.ttc", 0, "宋体"),
        Candidate("simsun.ttf", 0, "宋体"),
        Candidate("uming.ttc", 0, "宋体", note="AR PL UMing（代替宋体）"),
        Candidate("wqy-microhei.ttc", 0, "宋体"),
        Candidate(BUNDLED_FONT, 0, "宋体", note="霞鹜文楷（gkdesk 自带，代替宋体）"),
    ),
}
# The office name of each role when this machine has no font for it (a .docx opened in
# Word/WPS on an office PC finds these).
DOCX_DEFAULT_NAMES = {"body": "仿宋", "title": "方正小标宋简体", "heading1": "黑体", "heading2": "楷体",
                      "song": "宋体"}

# The ideographic em box sits 0.88 em above the baseline in CJK fonts (1000-unit em,
# descent 120); laying glyphs out by it keeps every font on the same grid.
EM_ASCENT = 0.88


@dataclass(eq=False)
class LoadedFont:
    key: str                # registered reportlab font name
    path: Path
    index: int
    family: str
    face: object = field(repr=False)

    def has(self, ch: str) -> bool:
        return ord(ch) in self.face.charToGlyph

    def advance(self, ch: str) -> float:
        """Advance width in em (1.0 = the font size)."""
        w = self.face.charWidths.get(ord(ch))
        if w is None:
            w = self.face.defaultWidth
        return float(w) / 1000.0


def bundled_dir() -> Path:
    """The folder of gkdesk's own font (package data / bundle)."""
    from gkdesk import resources

    return resources.resource("fonts")


def _bundled_enabled() -> bool:
    return os.environ.get("GKDESK_BUNDLED_FONT", "1") != "0"


def search_dirs() -> list[Path]:
    """The office's font folders, then gkdesk's own (see the module docstring)."""
    return office_dirs() + ([bundled_dir()] if _bundled_enabled() else [])


def office_dirs() -> list[Path]:
    """Where the office's own fonts are: ``GKDESK_FONT_DIRS`` or the system folders."""
    env = os.environ.get("GKDESK_FONT_DIRS")
    if env is not None:
        return [Path(p) for p in env.split(os.pathsep) if p]
    from gkdesk import settings

    dirs = [settings.data_dir() / "fonts"]
    if sys.platform.startswith("win"):
        windir = os.environ.get("WINDIR", r"C:\Windows")
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/Library/Fonts"), Path("/System/Library/Fonts"), Path.home() / "Library" / "Fonts"]
    else:
        dirs += [Path.home() / ".local" / "share" / "fonts", Path.home() / ".fonts",
                 Path("/usr/local/share/fonts"), Path("/usr/share/fonts")]
    return dirs


def _index_files(dirs: list[Path]) -> dict[str, Path]:
    """lower-case file name → path (first folder wins)."""
    found: dict[str, Path] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _subdirs, files in os.walk(d):
            for name in files:
                low = name.lower()
                if low.endswith((".ttf", ".ttc")) and low not in found:
                    found[low] = Path(root) / name
    return found


class FontSet:
    """The fonts of this machine by role; per-character lookup with fallback."""

    def __init__(self, dirs: list[Path] | None = None):
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        self.dirs = list(dirs) if dirs is not None else search_dirs()
        files = _index_files(self.dirs)
        self._loaded: dict[tuple[str, int], LoadedFont | None] = {}
        self.roles: dict[str, list[tuple[LoadedFont, bool]]] = {}
        self.role_candidates: dict[str, list[Candidate]] = {}
        self.problems: list[str] = []

        def load(cand: Candidate) -> LoadedFont | None:
            path = files.get(cand.filename.lower())
            if path is None:
                return None
            k = (str(path), cand.index)
            if k not in self._loaded:
                key = f"gk{abs(hash(k)) % 10**10}"
                try:
                    tt = TTFont(key, str(path), subfontIndex=cand.index)
                    pdfmetrics.registerFont(tt)
                    fam = tt.face.familyName
                    fam = fam.decode("utf-8", "replace") if isinstance(fam, bytes) else str(fam)
                    self._loaded[k] = LoadedFont(key, path, cand.index, fam, tt.face)
                except Exception as exc:  # CFF outlines, damaged file…
                    self.problems.append(f"{path}: {exc}")
                    log.info("font %s not usable: %s", path, exc)
                    self._loaded[k] = None
            return self._loaded[k]

        for role in ROLES:
            chain, cands = [], []
            for cand in CANDIDATES[role]:
                f = load(cand)
                if f is not None and all(f is not g for g, _ in chain):
                    chain.append((f, cand.fake_bold))
                    cands.append(cand)
            self.roles[role] = chain
            self.role_candidates[role] = cands
        self.all_fonts: list[LoadedFont] = []
        for f in self._loaded.values():
            if f is not None and f not in self.all_fonts:
                self.all_fonts.append(f)
        self._cache: dict[tuple[str, str], tuple[LoadedFont, bool] | None] = {}
        # (role, size) → {character: (character, font, bold, width)}: the layout's own cache
        self.layout_metrics: dict[tuple[str, float], dict[str, tuple]] = {}

    @property
    def usable(self) -> bool:
        return bool(self.all_fonts)

    def require_usable(self) -> None:
        if not self.usable:
            raise FontMissing(no_font_message())

    def check(self, text: str, where: str) -> None:
        """Refuse ``text`` (from the field or template ``where``) when a character of it
        is in no font here, naming the field and the characters."""
        self.require_usable()
        missing = self.missing(text or "")
        if missing:
            raise FontMissing(missing_message(where, missing), field=where)

    def primary(self, role: str) -> tuple[LoadedFont, bool]:
        self.require_usable()
        chain = self.roles.get(role) or self.roles.get("body") or []
        if chain:
            return chain[0]
        return self.all_fonts[0], role in ("title",)

    def font_for(self, ch: str, role: str) -> tuple[LoadedFont, bool] | None:
        """(font, fake_bold) for one character in ``role``, or None when no font has it."""
        k = (role, ch)
        if k in self._cache:
            return self._cache[k]
        result = None
        primary_bold = self.primary(role)[1]
        for f, bold in self.roles.get(role, []):
            if f.has(ch):
                result = (f, bold)
                break
        if result is None:
            for f in self.all_fonts:
                if f.has(ch):
                    result = (f, primary_bold)
                    break
        self._cache[k] = result
        return result

    def covers(self, ch: str) -> bool:
        if ch in "\n\r\t \u2028\u3000" or ord(ch) < 32:
            return True
        return any(f.has(ch) for f in self.all_fonts)

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` no font on this machine has (each once, in order)."""
        out: list[str] = []
        for ch in text:
            if ch not in out and not self.covers(ch):
                out.append(ch)
        return out

    def docx_name(self, role: str) -> str:
        chain = self.roles.get(role) or []
        if chain and chain[0][0].path.name.lower().startswith(("sim", "fz", "fs_", "kaiti", "仿宋", "楷体", "方正")):
            return self.role_candidates[role][0].office_name
        return DOCX_DEFAULT_NAMES[role]

    def describe(self) -> dict[str, str]:
        """role label → font used, for the about/diagnostics screens."""
        out = {}
        for role in ROLES:
            chain = self.roles.get(role) or []
            if chain:
                f, bold = chain[0]
                note = self.role_candidates[role][0].note or f"{f.family}（{f.path.name}）"
                out[ROLE_LABELS[role]] = note + ("（描边加粗）" if bold else "")
            else:
                out[ROLE_LABELS[role]] = "（无，使用其他已找到的字体）"
        return out


_lock = threading.Lock()
_fontset: FontSet | None = None
_fontset_key = None


def fontset() -> FontSet:
    """The machine's FontSet (built once per process and font search path). The first
    build also installs gkdesk's reportlab speed-ups (``rlpatch``)."""
    global _fontset, _fontset_key
    key = (os.environ.get("GKDESK_FONT_DIRS"), _bundled_enabled())
    with _lock:
        if _fontset is None or _fontset_key != key:
            from gkdesk.documents import rlpatch

            _fontset = FontSet()
            _fontset_key = key
            # reportlab's subsetting sped up (and checked) before the first PDF; once
            rlpatch.install([f.face for f in _fontset.all_fonts])
        return _fontset


def reset() -> None:
    global _fontset
    with _lock:
        _fontset = None


def char_name(ch: str) -> str:
    return f"“{ch}”（U+{ord(ch):04X}）"
