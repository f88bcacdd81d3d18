"""What each part of the letter's speed is worth: one warm reply letter against the two
bare-reportlab floors, with gkdesk's reportlab speed-ups (gkdesk/documents/rlpatch.py)
taken off one by one *in this process only*.

    .venv/bin/python benchmarks/experiments/letter_whatif.py [--count 100000] [--runs 80]

Each configuration is measured alternately — gkdesk, floor (body font only), floor in the
letter's fonts (title in the title font) — and the medians and paired ratios printed.
The speed-ups apply to every PDF made in the process, so the floors get them too. It
prints whether reportlab's C accelerator (the ``rl-accel`` package) is installed, since
that changes all three figures: run it once with and once without to see its effect.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import generate, letters  # noqa: E402


def paired(fns, n) -> list[tuple[float, float | None]]:
    """Median of each function's time (ms), rendered in turn, and its paired ratio to the first."""
    for fn in fns:
        fn()
    times = [[] for _ in fns]
    for _ in range(n):
        for t, fn in zip(times, fns):
            t0 = time.perf_counter()
            fn()
            t.append((time.perf_counter() - t0) * 1000)
    return [(statistics.median(t), statistics.median(a / b for a, b in zip(times[0], t)) if i else None)
            for i, t in enumerate(times)]


def show(label, r) -> None:
    (app, _), (floor, ratio), (floor2, ratio2) = r
    print(f"{label:34s} gkdesk {app:5.1f} ms   floor {floor:4.1f} ms ({ratio:.2f}×)   "
          f"floor in the letter's fonts {floor2:4.1f} ms ({ratio2:.2f}×)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=80)
    args = ap.parse_args()
    from gkdesk.db import open_database
    from gkdesk.documents import fonts, rlpatch

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
    blocks, fonts_ = letters.text_blocks(*one), letters.floor_fonts()
    fns = [lambda: letters.render_one(*one), lambda: letters.render_floor(paragraphs, font),
           lambda: letters.render_floor_fonts(blocks, fonts_)]
    faces = [f.face for f in fonts.fontset().all_fonts]

    print(f"speed-ups installed: {rlpatch.state}")
    show("gkdesk as it is", paired(fns, args.runs))
    rlpatch.uninstall()
    rlpatch.install(faces)
    rlpatch._restore("makeSubset", "zencode")
    show("without the small-subset memo", paired(fns, args.runs))
    rlpatch.uninstall()
    show("without either (plain reportlab)", paired(fns, args.runs))
    rlpatch.install(faces)
    rlpatch._restore("get_table", "splice")
    show("memo only (glyf table copied)", paired(fns, args.runs))
    rlpatch.uninstall()
    rlpatch.install(faces)
    return 0


if __name__ == "__main__":
    sys.exit(main())
