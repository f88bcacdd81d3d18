"""Where start-up time goes: gkdesk's main window against a bare PySide6 window and against
gkdesk's frame (its widgets and style sheet, no gkdesk code or database).

    .venv/bin/python benchmarks/experiments/startup_profile.py [--count 100000] [--rounds 15]

1. Timing: ``rounds`` rounds of three fresh processes (bare, frame, gkdesk) in turn, as
   run.py times them (spawn → first paint, offscreen); prints the medians, the ratios of
   the medians, the spread of the per-round ratios and a bootstrap 90 % interval of the
   ratio of medians, so a single noisy run is not read as a change.
2. Profile: each child once more under ``python -X importtime``; the import time of every
   top-level package, gkdesk's side minus the bare window's (what gkdesk's start imports
   that a bare window does not), largest first; and the time after the imports (building
   widgets, opening the database, first paint) as the rest.
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import generate, run  # noqa: E402

IMPORT_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def importtime(args: list[str], env: dict) -> tuple[dict[str, float], float]:
    """(top-level package → ms of its own imports, total ms to first paint)."""
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-X", "importtime", str(run.GUI_CHILD), *args], capture_output=True,
                       text=True, env=env, timeout=300)
    line = [x for x in p.stdout.splitlines() if x.startswith("{")][-1]
    import json

    shown = json.loads(line)["shown"] - t0
    by: dict[str, float] = {}
    for m in IMPORT_LINE.finditer(p.stderr):
        self_us, name = int(m[1]), m[4]
        top = name.split(".")[0]
        by[top] = by.get(top, 0.0) + self_us / 1000
    return by, shown * 1000


def bootstrap(a: list[float], b: list[float], n: int = 2000) -> tuple[float, float]:
    rng = random.Random(1)
    out = []
    for _ in range(n):
        ra = [rng.choice(a) for _ in a]
        rb = [rng.choice(b) for _ in b]
        out.append(statistics.median(ra) / statistics.median(rb))
    out.sort()
    return out[int(0.05 * n)], out[int(0.95 * n)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()
    db = generate.build(args.count, 1, generate.UNITS, 300, log=lambda m: print(m, file=sys.stderr))
    scratch = Path(tempfile.mkdtemp(prefix="gkdesk-startup-"))
    for d in ("data", "config"):
        (scratch / d).mkdir()
    env = run.child_env(scratch)
    kinds = {"bare": ["startup-bare"], "frame": ["startup-frame"], "app": ["startup-app", str(db)]}
    for a in kinds.values():
        run.run_child(a, env)                       # warm the file cache
    t = {k: [] for k in kinds}
    for i in range(args.rounds):
        for k, a in kinds.items():
            out, t0 = run.run_child(a, env)
            t[k].append(out["shown"] - t0)
        print(f"round {i + 1}: " + ", ".join(f"{k} {v[-1] * 1000:.0f} ms" for k, v in t.items()), file=sys.stderr)
    med = {k: statistics.median(v) for k, v in t.items()}
    print(f"\nmedians of {args.rounds} fresh processes each: " +
          ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in med.items()))
    for k in ("frame", "app"):
        per = sorted(x / y for x, y in zip(t[k], t["bare"]))
        lo, hi = bootstrap(t[k], t["bare"])
        print(f"{k} ÷ bare: {med[k] / med['bare']:.2f}× (per round {per[0]:.2f}–{per[-1]:.2f}×, "
              f"bootstrap 90 % {lo:.2f}–{hi:.2f}×)")
    print(f"app ÷ frame: {med['app'] / med['frame']:.2f}×")
    print("\nimports (ms, -X importtime, one process each; importtime itself slows imports):")
    prof = {k: importtime(a, env) for k, a in kinds.items()}
    for k, (by, shown) in prof.items():
        total = sum(by.values())
        print(f"  {k}: first paint {shown:.0f} ms, imports {total:.0f} ms, the rest {shown - total:.0f} ms")
    bare_by = prof["bare"][0]
    diff = sorted(((v - bare_by.get(p, 0.0), p) for p, v in prof["app"][0].items()), reverse=True)
    print("  gkdesk's start imports beyond the bare window's, largest first:")
    for ms, p in diff[:15]:
        print(f"    {p:<24} {ms:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
