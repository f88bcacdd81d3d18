"""Evidence for the search and paging fixes proposed in the README's performance section.

    .venv/bin/python benchmarks/experiments/search_and_paging.py [--count 100000]

Works on a scratch copy of the cached benchmark database (never on gkdesk's own code): it
compares, over the same keystrokes as run.py, the query gkdesk runs today (``LIKE`` over the
wide ``case`` table, counted and then listed) with a prototype: a character-level FTS5 index
(one token per character, phrase queries, so 1–2 character queries work too — unlike the
trigram tokenizer, docs/pitfalls.md #8) that counts matches from the index, and lists the first page
either from the index's ids (rare terms) or by walking the received-date index (common
terms). It also times deep paging (OFFSET near the end of the list) with and without an
index on (received_date, serial).
"""
from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import generate  # noqa: E402
from benchmarks.queries import typed_prefixes  # noqa: E402

COLS = ("id, number, year, serial, applicant_kind, applicant_name, content, received_date, stage, handler, "
        "due_date, due_provisional, paused, outcome, reply_date, section")
ORDER = "order by received_date desc, serial desc, id desc"


def measure(label, fn, repeat=3):
    ts, worst = [], []
    for rep in range(repeat + 1):
        for p in typed_prefixes():
            t0 = time.perf_counter()
            fn(p)
            if rep:
                ts.append((time.perf_counter() - t0) * 1000)
                worst.append((ts[-1], p))
    ts.sort()
    print(f"{label:48s} p50 {statistics.median(ts):6.1f} ms  p95 {ts[int(len(ts) * .95)]:6.1f} ms  "
          f"slowest: " + ", ".join(f"{p} {t:.0f}" for t, p in sorted(worst)[-3:]))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=100_000)
    args = ap.parse_args()
    src = generate.build(args.count, 1, generate.UNITS, 300 if args.count >= 100_000 else 5)
    tmp = Path(tempfile.mkdtemp(prefix="gkdesk-exp-"))
    db = tmp / "copy.sqlite3"
    shutil.copy(src, db)
    c = sqlite3.connect(db)

    def current(p):
        like, ini = f"%{p}%", (p.lower() + "%" if p.isascii() and p.isalpha() else None)
        w = "applicant_name like ? or content like ? or number like ?" + (" or applicant_initials like ?" if ini else "")
        a = (like, like, like) + ((ini,) if ini else ())
        c.execute(f'select count(*) from "case" where {w}', a).fetchone()
        c.execute(f'select {COLS} from "case" where {w} {ORDER} limit 200', a).fetchall()

    measure("today: LIKE on case, count + first page", current)

    t0 = time.perf_counter()
    c.execute("create virtual table case_chars using fts5(name, content, number, tokenize='unicode61')")
    rows = c.execute('select id, applicant_name, content, number from "case"').fetchall()
    c.executemany("insert into case_chars(rowid, name, content, number) values (?,?,?,?)",
                  [(i, " ".join(a or ""), " ".join(b or ""), " ".join(n or "")) for i, a, b, n in rows])
    c.execute('create index case_received_serial on "case"(received_date, serial)')
    c.commit()
    print(f"  (character index built in {time.perf_counter() - t0:.1f} s)")

    def proto(p):
        toks = [ch for ch in p if ch.isalnum()]
        phrase = '"' + " ".join(toks) + '"' if toks else None
        ini = p.lower() + "%" if p.isascii() and p.isalpha() else None
        cond = "(instr(applicant_name, ?) or instr(content, ?) or instr(number, ?)" + \
               (" or applicant_initials like ?" if ini else "") + ")"
        a = [p, p, p] + ([ini] if ini else [])
        n = c.execute("select count(*) from case_chars where case_chars match ?", (phrase,)).fetchone()[0] \
            if phrase else 0
        if ini:
            n += c.execute('select count(*) from "case" where applicant_initials like ?', (ini,)).fetchone()[0]
        if n > 3000 or not phrase:       # common: the first 200 in date order come quickly
            c.execute(f'select {COLS} from "case" where {cond} {ORDER} limit 200', a).fetchall()
        else:                            # rare: only the candidates from the index
            ids = [r[0] for r in c.execute("select rowid from case_chars where case_chars match ?", (phrase,))]
            if ini:
                ids += [r[0] for r in c.execute('select id from "case" where applicant_initials like ?', (ini,))]
            c.execute(f'select {COLS} from "case" where id in (select value from json_each(?)) and {cond} '
                      f'{ORDER} limit 200', [str(ids)] + a).fetchall()

    measure("prototype: character FTS5 + date-index walk", proto)

    def timed(label, sql):
        ts = []
        for _ in range(3):
            t0 = time.perf_counter()
            c.execute(sql).fetchall()
            ts.append((time.perf_counter() - t0) * 1000)
        print(f"{label:48s} {min(ts):6.1f} ms")

    n = c.execute('select count(*) from "case"').fetchone()[0]
    c.execute("drop index case_received_serial")
    timed(f"page at offset {n - 200:,}, today", f'select {COLS} from "case" {ORDER} limit 200 offset {n - 200}')
    c.execute('create index case_received_serial on "case"(received_date, serial)')
    timed(f"page at offset {n - 200:,}, index (received_date, serial)",
          f'select {COLS} from "case" {ORDER} limit 200 offset {n - 200}')
    timed("first page sorted by applicant, today", f'select {COLS} from "case" order by applicant_name, id limit 200')
    c.execute('create index case_applicant on "case"(applicant_name)')
    timed("first page sorted by applicant, index", f'select {COLS} from "case" order by applicant_name, id limit 200')
    c.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
