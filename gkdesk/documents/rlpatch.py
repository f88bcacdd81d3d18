"""Two speed-ups for reportlab's TrueType subsetting, installed in gkdesk's process by
``fonts.fontset()`` before the first PDF. Neither changes a byte of the PDF.

1. ``glyf`` without a copy. ``TTFontFile.makeSubset`` reads the glyph table with
   ``get_table('glyf')``, which slices the whole table out of the font file: 15–17 MB
   copied for each font of each PDF (~1.2 ms each here) to take a few hundred glyphs
   from it. A memoryview slice copies nothing; ``splice`` (used to renumber the parts of
   composite glyphs) then turns its pieces into bytes.
2. Small subsets made once. A subset of at most ``MEMO_MAX_CHARS`` characters beyond
   ASCII — the title, page numbers and 草稿 mark, in the title font — is the same letter
   after letter, so the subset font and its Flate-compressed stream are kept (per font,
   the ``MEMO_SIZE`` most recent). A body text's subset is larger and is made each time.

Both apply to every PDF reportlab makes in this process, gkdesk's or not. Each is
installed only when reportlab still has what it replaces and, on the fonts found, the
patched subsetting gives exactly the bytes the original gives; otherwise reportlab is
left as it was and PDFs are made as before, only slower. ``state`` says what is on.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict

log = logging.getLogger(__name__)

MEMO_MAX_CHARS = 64
MEMO_SIZE = 32
# characters the self-check subsets (most CJK fonts build some of these from components)
CHECK_TEXT = "政府信息公开申请答复书本机关于年月日收到您提出的受理编号经审查现如下根据中华人民共和国条例第三十六条规定草稿（未发文，无号）—1234567890"

state: dict[str, bool] = {"glyf_no_copy": False, "subset_memo": False}
_tried = False
_lock = threading.Lock()
_saved: dict[str, tuple] = {}


class _Subset(bytes):
    """A memoised subset font; ``flate`` is its compressed stream once made."""
    flate: bytes | None = None


def _originals() -> dict[str, tuple]:
    """name → (owner, attribute, reportlab's function) for what reportlab still has."""
    from reportlab.pdfbase import pdfdoc, ttfonts

    where = {"get_table": (getattr(ttfonts, "TTFontFile", None), "get_table"),
             "splice": (ttfonts, "splice"),
             "makeSubset": (getattr(ttfonts, "TTFontFile", None), "makeSubset"),
             "zencode": (getattr(pdfdoc, "PDFStreamFilterZCompress", None), "encode")}
    return {name: (owner, attr, getattr(owner, attr)) for name, (owner, attr) in where.items()
            if owner is not None and callable(getattr(owner, attr, None))}


def _restore(*names) -> None:
    for name in names:
        if name in _saved:
            owner, attr, fn = _saved.pop(name)
            setattr(owner, attr, fn)


def _glyf_patch(orig):
    get_table = orig["get_table"][2]

    def get_table_no_copy(self, tag):
        if tag == "glyf":
            pos, length = self.get_table_pos(tag)
            return memoryview(self._ttf_data)[pos:pos + length]
        return get_table(self, tag)

    def splice(stream, offset, value):
        return bytes(stream[:offset]) + value + bytes(stream[offset + len(value):])

    return {"get_table": get_table_no_copy, "splice": splice}


def _memo_patch(orig):
    make = orig["makeSubset"][2]
    zencode = orig["zencode"][2]

    def makeSubset(self, subset):
        if sum(1 for code in subset if code > 127) > MEMO_MAX_CHARS:
            return make(self, subset)
        memo = self.__dict__.get("_gk_subsets")
        if memo is None:
            memo = self.__dict__.setdefault("_gk_subsets", OrderedDict())
        key = tuple(subset)
        with _lock:
            got = memo.get(key)
            if got is not None:
                memo.move_to_end(key)
                return got
        got = _Subset(make(self, subset))
        with _lock:
            memo[key] = got
            while len(memo) > MEMO_SIZE:
                memo.popitem(last=False)
        return got

    def encode(self, text):
        if type(text) is _Subset:
            if text.flate is None:
                text.flate = zencode(self, text)
            return text.flate
        return zencode(self, text)

    return {"makeSubset": makeSubset, "zencode": encode}


def _set(orig, new: dict) -> None:
    for name, fn in new.items():
        owner, attr, old = orig[name]
        _saved.setdefault(name, (owner, attr, old))
        setattr(owner, attr, fn)


def _subsets_of(face) -> tuple[bytes, bytes]:
    """A subset too large for the memo and a small one, as reportlab lays out subset 0."""
    codes = [ord(ch) for ch in dict.fromkeys(CHECK_TEXT) if ord(ch) in face.charToGlyph]
    ascii_part = 32 * [0] + list(range(32, 128))
    return (bytes(face.makeSubset(ascii_part + codes)),
            bytes(face.makeSubset(ascii_part + codes[:MEMO_MAX_CHARS // 4])))


def _same_subsets(refs) -> bool:
    """Does subsetting with the patches on give the bytes it gave before (asked twice, so
    that a memoised answer is checked too)?"""
    return all(_subsets_of(face) == ref and _subsets_of(face) == ref for face, ref in refs)


def install(faces) -> dict[str, bool]:
    """Install what works with this reportlab, checked on ``faces`` (the TTFontFace of
    each font gkdesk loaded). Idempotent; returns ``state``."""
    global _tried
    with _lock:
        if _tried or not faces:
            return dict(state)
        _tried = True
    try:
        orig = _originals()
    except ImportError as exc:
        log.info("reportlab speed-ups not installed: %s", exc)
        return dict(state)
    try:
        refs = [(face, _subsets_of(face)) for face in faces]
    except Exception as exc:  # a font reportlab itself cannot subset: leave it all alone
        log.info("reportlab speed-ups not installed: %s", exc)
        return dict(state)
    for name, patch, restore in (("glyf_no_copy", _glyf_patch, ("get_table", "splice")),
                                 ("subset_memo", _memo_patch, ("makeSubset", "zencode"))):
        if not all(n in orig for n in restore):
            log.info("reportlab speed-up %s not installed: reportlab has no %s", name,
                     ", ".join(n for n in restore if n not in orig))
            continue
        try:
            _set(orig, patch(orig))
            ok = _same_subsets(refs)
        except Exception as exc:
            log.info("reportlab speed-up %s not installed: %s", name, exc)
            ok = False
        if ok:
            state[name] = True
        else:
            _restore(*restore)
    return dict(state)


def uninstall() -> None:
    """Put reportlab back as it was (tests); ``install`` may then run again."""
    global _tried
    with _lock:
        _restore(*list(_saved))
        for k in state:
            state[k] = False
        _tried = False
