"""Evidence for the letter-rendering fixes proposed in the README's performance section.

    .venv/bin/python benchmarks/experiments/letter_whatif.py [--count 100000]

Times one warm reply letter (as run.py does) and the bare-reportlab floor, then again with
gkdesk's code patched *in this process only*: (1) the Jinja environment built once and each
template compiled once (gkdesk.documents.templates.render_text builds and compiles both on
every letter); (2) office settings read once per letter instead of one query per key; (3)
reportlab's glyf table sliced without a copy (both sides). Each pair is measured alternately
and the paired ratio reported. It
prints whether reportlab's C accelerator (the ``rl-accel`` package) is installed, since that
changes both figures: run it once with and once without to see its effect.
"""
from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import generate, letters  # noqa: E402


def paired(app, floor, n=60) -> tuple[float, float, float]:
    """Medians of gkdesk and of the floor, rendered alternately, and of their paired ratios."""
    app(), floor()
    a, f = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        app()
        t1 = time.perf_counter()
        floor()
        t2 = time.perf_counter()
        a.append((t1 - t0) * 1000)
        f.append((t2 - t1) * 1000)
    return statistics.median(a), statistics.median(f), statistics.median(x / y for x, y in zip(a, f))


def show(label, r) -> None:
    print(f"{label:42s} {r[0]:6.1f} ms   floor {r[1]:5.1f} ms   {r[2]:.1f}× floor (paired)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=100_000)
    args = ap.parse_args()
    from gkdesk.db import open_database

    open_database(generate.build(args.count, 1, generate.UNITS, 300 if args.count >= 100_000 else 5),
                  read_only=True)
    try:
        import _rl_accel  # noqa: F401
        accel = "installed"
    except ImportError:
        accel = "not installed"
    print(f"reportlab C accelerator (rl-accel): {accel}")
    one = letters.prepare_jobs([letters.pick_one()])[0]
    paragraphs, font = letters.plain_text(*one), letters.floor_font()
    app = lambda: letters.render_one(*one)  # noqa: E731
    floor = lambda: letters.render_floor(paragraphs, font)  # noqa: E731
    show("gkdesk as it is", paired(app, floor))

    from gkdesk.documents import templates

    env_once = functools.lru_cache(maxsize=None)(templates._environment)
    templates._environment = env_once
    env = env_once()
    compile_ = env.compile
    memo = {}

    def compile_once(source, name=None, filename=None, *a, **k):
        key = (source, name, filename)
        if key not in memo:
            memo[key] = compile_(source, name, filename, *a, **k)
        return memo[key]

    env.compile = compile_once
    show("+ Jinja environment and template cached", paired(app, floor))

    from gkdesk import settings

    get = settings.get
    settings.get = functools.lru_cache(maxsize=None)(get)
    show("+ settings read once", paired(app, floor))

    # reportlab's TTFontFace.makeSubset copies the whole glyf table (~20 MB here) for every
    # font of every PDF: slice it without copying (affects gkdesk and the floor alike)
    from reportlab.pdfbase import ttfonts

    orig = ttfonts.TTFontFile.get_table

    def get_table(self, tag):
        if tag == "glyf":
            pos, length = self.get_table_pos(tag)
            return memoryview(self._ttf_data)[pos:pos + length]
        return orig(self, tag)

    ttfonts.TTFontFile.get_table = get_table
    ttfonts.splice = lambda st, o, v: bytes(st[:o]) + v + bytes(st[o + len(v):])
    show("+ glyf table not copied (both sides)", paired(app, floor))
    return 0


if __name__ == "__main__":
    sys.exit(main())
