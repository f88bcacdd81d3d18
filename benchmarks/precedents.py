"""Precedent search at scale: two-character (and other) queries over the reply texts and
issued letters of 100,000 cases; reports p50/p95 per query (target p95 < 50 ms).

    .venv/bin/python -m benchmarks.precedents [--count 100000] [--documents 300] [--repeat 30]
"""
from __future__ import annotations

import argparse
import statistics
import time

QUERIES = ("商业", "秘密", "复印", "检索", "隐私", "征收补偿", "第三方", "商", "某某区人民政府", "无此字样")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--documents", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args(argv)
    from benchmarks import generate
    from gkdesk.cases import precedents
    from gkdesk.db import connection
    from gkdesk.db.models import Case

    path = generate.build(args.count, documents=args.documents)
    connection.open_database(path)
    n_reply = Case.select().where(Case.outcome_reason != "").count()
    print(f"{args.count} cases ({n_reply} with a reply reason), {args.documents} issued letters: {path}")
    worst = 0.0
    for q in QUERIES:
        times = []
        hits = 0
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            hits = len(precedents.search(q))
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        worst = max(worst, p95)
        print(f"  {q!r:18} hits {hits:3}  p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms")
    print(f"worst p95 {worst:.1f} ms (target < 50 ms)")
    connection.close_database()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
