"""Chinese line breaking with 禁则 (GB/T 15834 punctuation rules; docs/pitfalls.md #6).

A line may not begin with closing or pause punctuation （，。、；：？！）》」』”’〕…）
and may not end with opening punctuation （（《「『“‘〔…）. The two-character dash ——
and ellipsis …… are never split, and a run of Latin letters or digits (a phone number,
an e-mail address, a year) is kept whole unless it is longer than a line.

The breaker works on *units* with widths; it is independent of fonts and of the page,
so it is unit-tested on its own. Lines that end at a break (not at the end of the
paragraph) can then be justified by the layout.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# May not start a line.
NO_START = frozenset(
    "，。、；：？！）》」』”’〕】〉〗｝］,.;:?!)]}%％‰℃°·・ー～〜々〃ゝゞ"
    "︰︱︳︴︵︶︷︸︹︺︻︼︽︾︿﹀﹁﹂﹃﹄﹏﹐﹑﹒﹔﹕﹖﹗﹚﹜﹞")
# May not end a line.
NO_END = frozenset("（《「『“‘〔【〈〖｛［([{＄$￥¥#＃")
# Never split inside these pairs.
INSEPARABLE = ("——", "……", "⋯⋯")

_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F.,:/@_\-+#&'%=?~()]*[A-Za-z0-9\u00C0-\u024F%)]|[A-Za-z0-9\u00C0-\u024F]")


def units(text: str) -> list[str]:
    """Split ``text`` into unbreakable units: Latin/digit words, —— and …… pairs, and
    single characters. ``"".join(units(t)) == t`` always."""
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        pair = text[i:i + 2]
        if pair in INSEPARABLE:
            out.append(pair)
            i += 2
            continue
        m = _WORD.match(text, i)
        if m and m.end() > i + 0:
            word = m.group(0)
            # Don't swallow trailing ASCII punctuation that belongs to Chinese text.
            out.append(word)
            i = m.end()
            continue
        out.append(text[i])
        i += 1
    return out


def can_break_before(prev: str, nxt: str) -> bool:
    """May a line end after unit ``prev`` and the next begin with unit ``nxt``?"""
    if not prev or not nxt:
        return True
    if nxt[0] in NO_START:
        return False
    if prev[-1] in NO_END:
        return False
    return True


def _allowed(texts: list[str], k: int, start: int) -> bool:
    """May the line break before unit ``k``? Spaces at a break vanish, so look past them."""
    nxt = k
    while nxt < len(texts) and texts[nxt] == " ":
        nxt += 1
    prev = k - 1
    while prev > start and texts[prev] == " ":
        prev -= 1
    if nxt >= len(texts):
        return True
    return can_break_before(texts[prev], texts[nxt])


@dataclass
class Line:
    start: int          # index of the first unit
    end: int            # index past the last unit
    width: float        # natural width of its units
    last: bool          # the last line of the paragraph (not justified)


def break_lines(widths: list[float], texts: list[str], first_width: float, width: float,
                tolerance: float = 0.01) -> list[Line]:
    """Greedy 禁则 line breaking.

    ``widths[i]`` is the width of unit ``texts[i]``; the first line is ``first_width``
    wide (a paragraph indent), the others ``width``. When the unit that overflows may
    not start a line, the break moves back to the last allowed place (the line is then
    shorter and justified by the caller). Only when no allowed place exists on the line
    is a rule broken (a single unbreakable run longer than the line)."""
    lines: list[Line] = []
    n = len(widths)
    i = 0
    while i < n:
        avail = first_width if not lines else width
        # Skip spaces at the start of a continuation line.
        while lines and i < n and texts[i] == " ":
            i += 1
        if i >= n:
            break
        start = i
        acc = 0.0
        j = i
        while j < n and acc + widths[j] <= avail + tolerance:
            acc += widths[j]
            j += 1
        if j >= n:
            lines.append(Line(start, n, acc, True))
            break
        if j == start:
            # One unit wider than the line: place it alone (a caller splits words first).
            lines.append(Line(start, start + 1, widths[start], False))
            i = start + 1
            continue
        k = j
        while k > start and not _allowed(texts, k, start):
            k -= 1
        if k == start:
            k = j  # nowhere allowed: break where it overflows
        w = sum(widths[start:k])
        lines.append(Line(start, k, w, False))
        i = k
    if lines:
        lines[-1].last = True
    return lines


def split_long_units(texts: list[str], widths_of, max_width: float) -> list[str]:
    """Split any unit wider than ``max_width`` into its characters."""
    out: list[str] = []
    for t in texts:
        if len(t) > 1 and widths_of(t) > max_width:
            out.extend(t)
        else:
            out.append(t)
    return out


def wrap_simple(text: str, chars_per_line: int, first: int | None = None) -> list[str]:
    """Break ``text`` as if every character were one cell wide (tests, plain-text views)."""
    us = units(text)
    ws = [float(len(u)) for u in us]
    lines = break_lines(ws, us, float(first if first is not None else chars_per_line),
                        float(chars_per_line))
    return ["".join(us[ln.start:ln.end]) for ln in lines]
