"""Crash safety, proven: a child process runs gkdesk's service layer (registering cases,
saving settings, moving cases through the workflow, writing a large file atomically,
taking backups) and is killed with SIGKILL at random moments, over and over, on the same
database. After every kill:

- ``PRAGMA integrity_check`` is ``ok``;
- every case the child reported as committed is there, numbering is gap-free and the
  number sequence agrees with the last number;
- every case has its registration event and the audit hash chain is intact;
- the settings and workflow changes reported as committed are there (or later ones);
- the large file is absent or a complete, self-consistent generation no older than the
  last one reported — never a half-written file under its name;
- every backup archive under a backup's name is complete (manifest hashes, snapshot
  integrity); at most temporary files are left beside them.

At least 200 kills (``GKDESK_KILL_CYCLES`` raises it); the counts are printed.
"""
from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.reliability.helpers import HERE, PYTHON, child_env

CYCLES = max(200, int(os.environ.get("GKDESK_KILL_CYCLES", "210")))
MODES = ["cases"] * 11 + ["file"] * 5 + ["backup"] * 5     # shuffled per cycle


class State:
    def __init__(self):
        self.cases: set[str] = set()
        self.setting = 0
        self.file_gen = 0
        self.backups: set[str] = set()
        self.verified: set[str] = set()
        self.acts: dict[int, int] = {}


class Zygote:
    """The fork server of kill_child.py: forks a fresh writer per cycle in a few ms instead
    of starting and warming up an interpreter (about 0.5 s) every time."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.proc = subprocess.Popen([PYTHON, os.path.join(HERE, "kill_child.py"), "--zygote"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=child_env(), text=True)

    def start(self, db: Path, mode: str, seed: int):
        fifo = self.workdir / f".cycle-{seed}.fifo"
        os.mkfifo(fifo)
        self.proc.stdin.write(f"{db}\t{mode}\t{self.workdir}\t{seed}\t{fifo}\n")
        self.proc.stdin.flush()
        pid = int(self.proc.stdout.readline())
        stream = open(fifo, "rb")          # returns once the child has opened its end
        fifo.unlink()
        return pid, stream

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(30)


def _wait_gone(pid: int) -> None:
    """Until the killed process has really gone (its file locks released)."""
    for _ in range(3000):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.002)
    raise AssertionError(f"process {pid} did not die")


def _run_cycle(db: Path, workdir: Path, mode: str, seed: int, rng: random.Random,
               zygote: Zygote | None) -> list[str]:
    """Start a writer (forked by the zygote, or a fresh interpreter), let it work
    0.05–0.3 s, SIGKILL it. Returns the lines it printed."""
    if zygote is not None:
        pid, stream = zygote.start(db, mode, seed)
        child = None
    else:
        child = subprocess.Popen([PYTHON, os.path.join(HERE, "kill_child.py"), str(db), mode, str(workdir),
                                  str(seed)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env())
        pid, stream = child.pid, child.stdout
    try:
        first = stream.readline().decode()
        if not first.startswith("ready"):
            err = child.stderr.read().decode() if child else ""
            raise AssertionError(f"writer did not start: {first!r} {err[-2000:]}")
        time.sleep(rng.uniform(0.05, 0.3))
        os.kill(pid, signal.SIGKILL)
        rest = stream.read().decode()
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        stream.close()
        if child is not None:
            child.wait()
            child.stderr.close()
    if child is not None:
        assert child.returncode == -signal.SIGKILL, "the writer exited by itself"
    else:
        _wait_gone(pid)
    lines = (first + rest).splitlines()
    assert not any(line.startswith("Traceback") for line in lines), rest[-2000:]
    return lines[1:]


def _check(db: Path, workdir: Path, st: State) -> None:
    from gkdesk import audit, backup, settings
    from gkdesk.db import close_database, open_database
    from gkdesk.db.models import Case, CaseEvent, NumberSequence

    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
    conn.close()
    open_database(db)
    try:
        numbers = {c.number: (c.year, c.serial) for c in Case.select(Case.number, Case.year, Case.serial)}
        missing = st.cases - set(numbers)
        assert not missing, f"committed cases lost: {sorted(missing)[:5]}"
        by_year: dict[int, list[int]] = {}
        for year, serial in numbers.values():
            by_year.setdefault(year, []).append(serial)
        for year, serials in by_year.items():
            assert sorted(serials) == list(range(1, len(serials) + 1)), f"gap in {year}"
            seq = NumberSequence.get(NumberSequence.scope == "case", NumberSequence.year == year)
            assert seq.last == len(serials)
        registered = CaseEvent.select().where(CaseEvent.action == "register").count()
        assert registered == len(numbers)
        problems = audit.verify_chain()
        assert problems == [], problems[:3]
        name = settings.get("office.name")
        m = re.search(r"(\d+)$", name)
        assert (int(m.group(1)) if m else 0) >= st.setting
        for case_id, version in st.acts.items():
            assert Case.get_by_id(case_id).version >= version
    finally:
        close_database()
    big = workdir / "big.bin"
    if big.exists():
        data = big.read_bytes()
        gen, digest, body = int(data[:12]), data[12:44], data[44:]
        assert hashlib.sha256(body).digest() == digest, "half-written big file in place"
        assert gen >= st.file_gen
    else:
        assert st.file_gen == 0
    bdir = workdir / "backups"
    if bdir.is_dir():
        names = {p.name for p in bdir.glob("gkdesk-backup-*.zip")}
        assert st.backups <= names, "a reported backup is gone"
        for name in sorted(names - st.verified):
            problems = backup.verify_backup(bdir / name)
            assert problems == [], (name, problems)
            st.verified.add(name)


def _cleanup_temporaries(workdir: Path) -> int:
    """Temporaries a kill left beside the real files (never under their names)."""
    n = 0
    for p in list(workdir.glob(".big.bin.*.tmp")) + list((workdir / "backups").glob(".*.tmp")):
        p.unlink()
        n += 1
    return n


@pytest.mark.slow
def test_sigkill_at_random_moments(tmp_path):
    from gkdesk.db import close_database, open_database

    db = tmp_path / "kill.sqlite3"
    open_database(db)
    close_database()
    workdir = tmp_path / "work"
    workdir.mkdir()
    rng = random.Random(20261123)
    st = State()
    kills = Counter()
    during = Counter()
    committed = Counter()
    temporaries = 0
    started = time.monotonic()
    zygote = Zygote(workdir)
    cold = 0
    for cycle in range(1, CYCLES + 1):
        mode = rng.choice(MODES)
        fresh = cycle % 15 == 0       # now and then a writer in a freshly started interpreter
        cold += fresh
        lines = _run_cycle(db, workdir, mode, cycle, rng, None if fresh else zygote)
        kills[mode] += 1
        last = lines[-1] if lines else ""
        if last.startswith("begin "):
            during[last[6:]] += 1
        for line in lines:
            kind, _, rest = line.partition(" ")
            if kind == "case":
                st.cases.add(rest)
                committed["cases"] += 1
            elif kind == "setting":
                st.setting = max(st.setting, int(rest))
                committed["settings"] += 1
            elif kind == "act":
                case_id, version, _stage = rest.split()
                st.acts[int(case_id)] = max(st.acts.get(int(case_id), 0), int(version))
                committed["transitions"] += 1
            elif kind == "file":
                st.file_gen = max(st.file_gen, int(rest))
                committed["file writes"] += 1
            elif kind == "backup":
                st.backups.add(rest)
                committed["backups"] += 1
        _check(db, workdir, st)
        temporaries += _cleanup_temporaries(workdir)
    zygote.close()
    elapsed = time.monotonic() - started
    total = sum(kills.values())
    print(f"\nkill test: {total} SIGKILLs in {elapsed:.0f} s ({cold} of them in freshly started interpreters, "
          "the rest forked by a warmed-up fork server) "
          f"(modes: {dict(kills)}); killed in the middle of: {dict(during)}; "
          f"committed and verified: {dict(committed)}; temporaries left beside real files: {temporaries}")
    assert total >= 200
    # The kills must really have landed inside each kind of write, not only between them.
    assert during["register"] >= 10 and during["file"] >= 5 and during["backup"] >= 5, dict(during)
    assert committed["cases"] >= 200 and committed["backups"] >= 10 and committed["file writes"] >= 10
