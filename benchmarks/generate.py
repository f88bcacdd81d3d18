"""Build (once) and cache the benchmark database: N generated cases with their events, 200
units with their Annex 1/2 forms, and a few hundred issued documents.

    .venv/bin/python benchmarks/generate.py [--count 100000] [--seed 1] [--documents 300]

The data comes from ``gkdesk.demo.generate`` (the same code as ``gkdesk demo``). The file is
cached under ``$GKDESK_BENCH_DIR`` (default: ``<tmp>/gkdesk-bench``) keyed by the count, the
seed, the units, the documents, gkdesk's schema version, the fixed "today" and a digest of
the generator code, so repeated runs reuse it and a change to the generator rebuilds it.

Documents: every document is a real issued reply letter (numbered, rendered to PDF, stored
with its SHA-256, audited) through ``gkdesk.documents.service.issue``. Issuing one for each
of 100,000 cases is not reasonable for a benchmark set-up (≈ 100,000 PDFs, several GB and
tens of minutes); a few hundred exercise the document tables and the file store, and the
500-letter batch is measured separately in ``run.py``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# A fixed "today" so the same seed gives the same database on any day (inside the years
# chinese-calendar covers: docs/pitfalls.md #9).
TODAY = dt.date(2026, 11, 20)
UNITS = 200
# Bump when this file changes what goes into the database (the cache key includes it).
GENERATOR_VERSION = 1


def bench_dir() -> Path:
    env = os.environ.get("GKDESK_BENCH_DIR")
    path = Path(env) if env else Path(tempfile.gettempdir()) / "gkdesk-bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _code_digest() -> str:
    h = hashlib.sha256()
    h.update(f"generator {GENERATOR_VERSION}".encode())
    for rel in ("gkdesk/demo.py", "gkdesk/forms/demo.py"):
        p = ROOT / rel
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()[:10]


def schema_version() -> int:
    from gkdesk.db.migrations import LATEST

    return LATEST


def db_path(count: int, seed: int = 1, units: int = UNITS, documents: int = 0) -> Path:
    name = (f"cases{count}-seed{seed}-units{units}-docs{documents}-schema{schema_version()}"
            f"-{TODAY:%Y%m%d}-{_code_digest()}")
    return bench_dir() / name / "gkdesk.sqlite3"


def _documents_available() -> bool:
    try:
        from gkdesk.documents import service  # noqa: F401
    except ImportError:
        return False
    return True


def issue_documents(n: int, log=print) -> int:
    """Issue ``n`` reply letters for replied cases (hand-stamped, no electronic seal)."""
    if n <= 0 or not _documents_available():
        return 0
    from gkdesk.actors import ALL_ROLES, Actor
    from gkdesk.db.models import Case
    from gkdesk.documents import service

    from benchmarks import letters

    actor = Actor("bench", "领导", ALL_ROLES)
    made = 0
    t0 = time.perf_counter()
    q = (Case.select().where(Case.stage.in_(("replied", "delivered", "archived")), Case.outcome.is_null(False))
         .order_by(Case.id.desc()))
    for case in q.iterator():
        if made >= n:
            break
        service.issue(case, "reply", letters.reply_fields(case), actor, date=case.reply_date)
        made += 1
    log(f"  issued {made} reply letters in {time.perf_counter() - t0:.1f} s")
    return made


def build(count: int, seed: int = 1, units: int = UNITS, documents: int = 0, *, force: bool = False,
          log=print) -> Path:
    """The cached database for these parameters, generating it if needed. Leaves it closed."""
    from gkdesk.db import connection

    path = db_path(count, seed, units, documents)
    done = path.parent / "complete"
    if done.exists() and path.exists() and not force:
        return path
    if path.parent.exists():
        shutil.rmtree(path.parent)
    # older builds of the same set (the generator code changed since): not needed any more
    stem = f"cases{count}-seed{seed}-units{units}-docs{documents}-schema"
    for old in bench_dir().glob(f"{stem}*"):
        if old.is_dir() and old != path.parent:
            shutil.rmtree(old, ignore_errors=True)
    path.parent.mkdir(parents=True)
    os.environ.setdefault("GKDESK_DATA_DIR", str(path.parent / "data"))
    log(f"generating {count} cases, {units} units, {documents} documents → {path}")
    t0 = time.perf_counter()
    connection.open_database(path)
    from gkdesk.demo import generate

    last = [0.0]

    def progress(made, total):
        now = time.perf_counter()
        if now - last[0] > 5:
            last[0] = now
            log(f"  {made}/{total} cases ({now - t0:.0f} s)")

    stats = generate(count, seed=seed, units=units, today=TODAY, progress=progress)
    log(f"  {stats['cases']} cases, {stats['units']} units in {time.perf_counter() - t0:.1f} s")
    issue_documents(documents, log=log)
    from gkdesk.db.models import db

    db.execute_sql("ANALYZE")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close_database()
    done.write_text(f"{dt.datetime.now().isoformat()}\n")
    log(f"  ready in {time.perf_counter() - t0:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--units", type=int, default=UNITS)
    ap.add_argument("--documents", type=int, default=300)
    ap.add_argument("--force", action="store_true", help="rebuild even if cached")
    args = ap.parse_args(argv)
    print(build(args.count, args.seed, args.units, args.documents, force=args.force))
    return 0


if __name__ == "__main__":
    sys.exit(main())
