"""The child process of the kill test: gkdesk's service layer writing as fast as it can
until it is killed with SIGKILL. It prints a line *after* each write is committed (or, for
files, renamed into place), so the parent knows what must have survived.

    python kill_child.py DB MODE WORKDIR SEED     (a fresh interpreter)
    python kill_child.py --zygote                 (a fork server, see ``zygote``)

MODE ``cases``: register cases (gkdesk.cases.registry.register), save settings, and move
cases through the workflow (accept / assign) when gkdesk.cases.workflow exists.
MODE ``file``: write a large file again and again with gkdesk.fileio.atomic_write (a
header with its generation and the SHA-256 of the body), registering a case in between.
MODE ``backup``: take backups (gkdesk.backup.create_backup) while registering cases.

Before each operation it prints ``begin <what>`` so the parent can tell which operation a
kill interrupted.
"""
from __future__ import annotations

import hashlib
import os
import random
import sys

BIG_SIZE = 3 << 20


def warm_up() -> None:
    """Load what the first write would load (pinyin dictionary, working-day calendar,
    lazy imports), so kills land in the writes rather than in first-use loading."""
    import datetime as dt

    from gkdesk import backup, settings  # noqa: F401
    from gkdesk.actors import SYSTEM  # noqa: F401
    from gkdesk.cases import deadlines
    from gkdesk.cases.registry import initials, register, validate  # noqa: F401
    from gkdesk.fileio import atomic_write  # noqa: F401
    from tests.reliability.helpers import application

    try:
        from gkdesk.cases import workflow  # noqa: F401
    except ImportError:  # pragma: no cover
        pass
    initials("陈晓明")
    from gkdesk.cases.workdays import WorkCalendar

    deadlines.due_from(dt.date(2026, 3, 2), cal=WorkCalendar())
    validate(application(1))


def run(db: str, mode: str, workdir: str, seed: int) -> None:
    from gkdesk.actors import SYSTEM
    from gkdesk.cases.registry import register
    from gkdesk.db import open_database
    from tests.reliability.helpers import application

    try:
        from gkdesk.cases import workflow
    except ImportError:  # pragma: no cover - the process area not built yet
        workflow = None

    open_database(db)
    rng = random.Random(seed)

    def say(*parts) -> None:
        sys.stdout.write(" ".join(str(p) for p in parts) + "\n")
        sys.stdout.flush()

    def reg(n: int) -> None:
        say("begin register")
        case = register(application(n), "clerk-kill")
        say("case", case.number)

    say("ready", os.getpid())
    n = seed * 10_000
    while True:
        n += 1
        if mode == "cases":
            r = rng.random()
            if r < 0.6 or workflow is None and r >= 0.75:
                reg(n)
            elif r < 0.75:
                from gkdesk import settings

                say("begin setting")
                settings.save({"office.name": f"某某区人民政府办公室{n}"}, user="kill")
                say("setting", n)
            else:
                from gkdesk.db.models import Case

                stage = rng.choice(("registered", "handling"))
                from peewee import fn

                case = Case.select().where(Case.stage == stage).order_by(fn.random()).first()
                if case is None:
                    continue
                code = "accept" if stage == "registered" else "assign"
                say("begin", code)
                done = workflow.perform(case.id, code, SYSTEM, expected_version=case.version,
                                        section=f"第{n % 5 + 1}股", handler=f"承办人{n % 7}")
                say("act", done.id, done.version, done.stage)
        elif mode == "file":
            from gkdesk.fileio import atomic_write

            body = os.urandom(BIG_SIZE)
            header = f"{n:012d}".encode() + hashlib.sha256(body).digest()
            say("begin file")
            atomic_write(os.path.join(workdir, "big.bin"), header + body)
            say("file", n)
            if rng.random() < 0.3:
                reg(n)
        elif mode == "backup":
            from gkdesk import backup

            say("begin backup")
            info = backup.create_backup(os.path.join(workdir, "backups"), kind="manual")
            say("backup", info.path.name)
            reg(n)
        else:
            raise SystemExit(f"unknown mode {mode}")



def zygote() -> None:
    """A fork server: imports and warms up once, then for each line
    ``DB<TAB>MODE<TAB>WORKDIR<TAB>SEED<TAB>FIFO`` on stdin forks a child that runs ``run``
    with its stdout on the named pipe FIFO, and answers the child's pid on stdout. The
    child is a separate process like any other: the parent kills it with SIGKILL."""
    import signal

    warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # children are reaped by the kernel
    for line in sys.stdin:
        db, mode, workdir, seed, fifo = line.rstrip("\n").split("\t")
        pid = os.fork()
        if pid == 0:
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                fd = os.open(fifo, os.O_WRONLY)
                os.dup2(fd, 1)
                os.close(fd)
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
                run(db, mode, workdir, int(seed))
            except BaseException:  # noqa: BLE001
                import traceback

                traceback.print_exc()
            finally:
                os._exit(1)
        sys.stdout.write(f"{pid}\n")
        sys.stdout.flush()


def main() -> None:
    if sys.argv[1:] == ["--zygote"]:
        zygote()
        return
    db, mode, workdir, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    warm_up()
    run(db, mode, workdir, seed)


if __name__ == "__main__":
    main()
