"""Several clerks on one database at once: a shared PostgreSQL server, or one SQLite file.

    .venv/bin/python benchmarks/load.py --backend postgresql --clerks 20 --seconds 60
    .venv/bin/python benchmarks/load.py --backend sqlite --clerks 2 --seconds 60

Each clerk is its own process with its own connection, acting as a person at a very fast
desk: every 0.5–2.5 s (random, seeded; 20 clerks ≈ 13 actions a second, more than a county
office does in an hour) it registers an application (35 %), opens a case
and works on it (55 %: 审核通过 / 改派 / 答复, saved with the version it read, after 0–30 ms
"looking at the screen", so two clerks on one case meet the optimistic-version check), or
issues a reply letter for a replied case (10 %, a real numbered PDF). An action's latency
is from the click to the saved result (opening the case + saving it; the look is not
counted). Loops are bounded by time and by count; the PostgreSQL cluster is started here
with initdb/pg_ctl (Debian's postgresql) on a free 127.0.0.1 port, with PostgreSQL's own
durability settings (fsync on), and stopped at the end.

Checked afterwards, from the database: no lost update (each case's version = 1 + the saves
the clerks were told succeeded, and as many audit events), no gap in case numbers or
document numbers, the audit chain intact, every conflict the optimistic-version message.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MAX_ACTIONS = 100_000            # per clerk: the loop is bounded even if the clock misbehaves
SEED_CASES = 60
PAUSE = (0.5, 2.5)               # seconds between one clerk's actions: 1.5 s on average
CONFLICT_WORDS = ("已被他人修改", "请刷新后重试")


def _pct(values, p):
    v = sorted(values)
    if not v:
        return None
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


# ------------------------------------------------------------------ one clerk

def _application(rng: random.Random, today: dt.date):
    from gkdesk.cases.registry import ApplicationInput

    name = rng.choice("张王李赵刘陈杨黄周吴") + rng.choice(["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇"])
    return ApplicationInput(applicant_kind="natural", applicant_name=name, id_type="none", phone="13800138000",
                            content=f"申请公开{rng.choice(['某路段改造', '某小区征收', '某项目环评'])}的批复文件",
                            channel="in_person", received_date=today)


def clerk(target: str, index: int, seconds: float, start_at: float, out: Path) -> None:
    import peewee as pw

    from gkdesk.actors import ALL_ROLES, Actor
    from gkdesk.cases import workflow
    from gkdesk.cases.registry import initials, register
    from gkdesk.db import open_database
    from gkdesk.db.models import Case
    from gkdesk.documents import fonts, service
    from gkdesk.errors import ConflictError, GkError

    from benchmarks import letters

    open_database(target)
    fonts.fontset()                                    # warm: what a running app has loaded
    initials("张三")
    actor = Actor(f"clerk{index}", f"办事员{index}", ALL_ROLES)
    rng = random.Random(1000 + index)
    today = dt.date.today()
    lat: dict[str, list[float]] = {"register": [], "work": [], "letter": []}
    saves: dict[int, int] = {}                          # case id → saves this clerk was told succeeded
    conflicts, refused, errors, registered, letters_issued = [], 0, [], [], []
    while time.time() < start_at:
        time.sleep(0.01)
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline and n < MAX_ACTIONS:
        n += 1
        time.sleep(rng.uniform(PAUSE[0], PAUSE[1]))
        if time.monotonic() >= deadline:
            break
        r = rng.random()
        try:
            if r < 0.35:
                t0 = time.perf_counter()
                c = register(_application(rng, today), actor.username)
                lat["register"].append(time.perf_counter() - t0)
                registered.append(c.number)
            elif r < 0.90:
                t0 = time.perf_counter()
                c = (Case.select(Case.id, Case.version, Case.stage)
                     .where(Case.stage.in_(("registered", "handling"))).order_by(pw.fn.Random()).first())
                opened = time.perf_counter() - t0
                if c is None:
                    continue
                time.sleep(rng.uniform(0, 0.03))
                t1 = time.perf_counter()
                try:
                    if c.stage == "registered":
                        workflow.perform(c.id, "accept", actor, expected_version=c.version, section="综合股",
                                         handler=f"承办人{index}")
                    elif rng.random() < 0.5:
                        workflow.perform(c.id, "assign", actor, expected_version=c.version, section="法制股",
                                         handler=f"承办人{index}")
                    else:
                        workflow.perform(c.id, "reply", actor, expected_version=c.version, outcome="disclosed",
                                         reply_date=today, provided_description="见附件")
                    saves[c.id] = saves.get(c.id, 0) + 1
                except ConflictError as exc:
                    conflicts.append(str(exc))
                lat["work"].append(opened + time.perf_counter() - t1)
            else:
                c = (Case.select().where(Case.stage == "replied").order_by(pw.fn.Random()).first())
                if c is None:
                    continue
                t0 = time.perf_counter()
                d = service.issue(c, "reply", letters.reply_fields(c), actor, date=c.reply_date)
                lat["letter"].append(time.perf_counter() - t0)
                letters_issued.append(d.number)
                saves[c.id] = saves.get(c.id, 0) + 1       # the reply's number goes on the case
        except ConflictError as exc:
            conflicts.append(str(exc))
        except GkError:
            refused += 1                                # e.g. the case moved on meanwhile
        except Exception as exc:  # noqa: BLE001 - reported to the parent, counted as an error
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
    out.write_text(json.dumps({"clerk": index, "latency": lat, "saves": saves, "conflicts": conflicts,
                               "refused": refused, "errors": errors, "registered": registered,
                               "letters": letters_issued, "actions": n}, ensure_ascii=False))


# ------------------------------------------------------------------ the run

def _server():
    """A throwaway PostgreSQL cluster on a free loopback port: (server, why not, stop)."""
    sys.path.insert(0, str(ROOT / "tests" / "reliability"))
    try:
        from conftest import _start_cluster    # the test suite's cluster: initdb, pg_ctl, 127.0.0.1
    finally:
        sys.path.pop(0)
    return _start_cluster(durable=True)


def _check(log) -> dict:
    """What the database says after the run."""
    import peewee as pw

    from gkdesk import audit
    from gkdesk.db.models import Case, CaseEvent, Document

    gaps = []
    for year, serials in _group(Case.select(Case.year, Case.serial).tuples()).items():
        if sorted(serials) != list(range(1, len(serials) + 1)):
            gaps.append(f"case numbers {year}: {len(serials)} numbers, highest {max(serials)}")
    docs = Document.select(Document.kind, Document.year, Document.serial).where(Document.serial.is_null(False))
    for key, serials in _group(((f"{k}/{y}", s) for k, y, s in docs.tuples())).items():
        if sorted(serials) != list(range(1, len(serials) + 1)):
            gaps.append(f"document numbers {key}: {len(serials)} numbers, highest {max(serials)}")
    events = dict(CaseEvent.select(CaseEvent.case, pw.fn.COUNT(CaseEvent.id))
                  .where(CaseEvent.action.in_(("register", "accept", "assign", "reply", "document.issue")))
                  .group_by(CaseEvent.case).tuples())
    versions = dict(Case.select(Case.id, Case.version).tuples())
    actions = _group(CaseEvent.select(CaseEvent.case, CaseEvent.action).order_by(CaseEvent.id).tuples())
    return {"gaps": gaps, "versions": versions, "events": events, "chain": audit.verify_chain(),
            "cases": len(versions), "actions": actions, "documents": Document.select().count()}


def _group(pairs) -> dict:
    out: dict = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def run(backend: str, clerks: int, seconds: float, workdir: Path, log=print) -> dict:
    from gkdesk.db import close_database, open_database

    workdir.mkdir(parents=True, exist_ok=True)
    stop = lambda: None  # noqa: E731
    if backend == "postgresql":
        server, why, stop = _server()
        if server is None:
            raise RuntimeError(f"no PostgreSQL server: {why}")
        target = server.create_database()
    else:
        target = str(workdir / "shared.sqlite3")
        for p in workdir.glob("shared.sqlite3*"):
            p.unlink()
    env = dict(os.environ, GKDESK_DATA_DIR=str(workdir / "data"), PYTHONPATH=str(ROOT))
    os.environ["GKDESK_DATA_DIR"] = env["GKDESK_DATA_DIR"]
    procs = []
    try:
        open_database(target)                          # created, migrated, a few cases to work on
        from gkdesk.actors import SYSTEM
        from gkdesk.cases.registry import register

        rng = random.Random(7)
        for _ in range(SEED_CASES):
            register(_application(rng, dt.date.today()), SYSTEM.username)
        close_database()
        start_at = time.time() + 8 + clerks * 0.4        # every clerk started and warm before the clock
        outs = [workdir / f"clerk{i}.json" for i in range(clerks)]
        for i, out in enumerate(outs):
            out.unlink(missing_ok=True)
            procs.append(subprocess.Popen([sys.executable, __file__, "clerk", target, str(i), str(seconds),
                                           str(start_at), str(out)], env=env, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.PIPE, text=True))
        failed = []
        for i, p in enumerate(procs):
            try:
                _o, err = p.communicate(timeout=max(0.0, start_at - time.time()) + seconds + 120)
            except subprocess.TimeoutExpired:
                p.kill()
                _o, err = p.communicate()
            if p.returncode != 0:
                failed.append(f"clerk {i} exit {p.returncode}: {err[-800:]}")
        if failed:
            raise RuntimeError("; ".join(failed))
        runs = [json.loads(o.read_text(encoding="utf-8")) for o in outs]
        open_database(target)
        try:
            db = _check(log)
        finally:
            close_database()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        if backend == "postgresql":
            stop()
    lat = {k: [x * 1000 for r in runs for x in r["latency"][k]] for k in ("register", "work", "letter")}
    every = [x for v in lat.values() for x in v]
    told: dict[int, int] = {}
    for r in runs:
        for cid, k in r["saves"].items():
            told[int(cid)] = told.get(int(cid), 0) + k
    lost = [cid for cid, v in db["versions"].items() if v != 1 + told.get(cid, 0)]
    missing_events = [cid for cid, v in db["versions"].items() if db["events"].get(cid, 0) != v]
    conflicts = [c for r in runs for c in r["conflicts"]]
    wrong = [c for c in conflicts if not all(w in c for w in CONFLICT_WORDS)]
    numbers = [n for r in runs for n in r["registered"]]
    return {
        "backend": backend, "clerks": clerks, "seconds": seconds,
        "actions": len(every), "register": len(lat["register"]), "work": len(lat["work"]),
        "letters": len(lat["letter"]), "p50_ms": _pct(every, 50), "p95_ms": _pct(every, 95),
        "max_ms": max(every) if every else None,
        "p95_by_kind_ms": {k: _pct(v, 95) for k, v in lat.items()},
        "saves": sum(told.values()), "lost_updates": len(lost), "events_missing": len(missing_events),
        "gaps": db["gaps"], "duplicate_numbers": len(numbers) - len(set(numbers)),
        "conflicts": len(conflicts), "conflicts_wrong_message": len(wrong),
        "conflict_example": conflicts[0] if conflicts else "",
        "lost_example": [(cid, db["versions"][cid], told.get(cid, 0), db["events"].get(cid, 0), db["actions"].get(cid))
                         for cid in lost[:3]], "refused": sum(r["refused"] for r in runs),
        "errors": [e for r in runs for e in r["errors"]][:10], "chain_problems": db["chain"][:5],
        "cases": db["cases"], "documents": db["documents"],
        "load_average": os.getloadavg()[0],
    }


def main(argv=None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "clerk":
        _, _, target, index, seconds, start_at, out = sys.argv
        clerk(target, int(index), float(seconds), float(start_at), Path(out))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    ap.add_argument("--clerks", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gkdesk-load-") as tmp:
        res = run(args.backend, args.clerks, args.seconds, Path(tmp))
    print(json.dumps(res, ensure_ascii=False, indent=1))
    return 0 if not res["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
