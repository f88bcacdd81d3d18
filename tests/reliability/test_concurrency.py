"""Several people, one office: two processes writing the same database at once, and two
people editing the same case (optimistic version check). On SQLite and PostgreSQL."""
from __future__ import annotations

import subprocess
import textwrap

import pytest

from tests.reliability.helpers import PYTHON, application, child_env

WRITER = textwrap.dedent("""
    import sys
    from tests.reliability.helpers import application
    from gkdesk.db import open_database
    from gkdesk.cases.registry import register
    from gkdesk import settings
    target, offset, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    open_database(target)
    print("ready", flush=True)
    sys.stdin.readline()
    import time
    t0 = time.time()
    numbers = []
    for i in range(offset, offset + count):
        numbers.append(register(application(i), f"clerk{offset}").number)
        if i % 10 == 0:
            settings.save({"office.phone": f"0595-2235{i % 10000:04d}"}, user=f"clerk{offset}")
    print(t0, time.time())
    print("\\n".join(numbers), flush=True)
""")


def _start(code: str, *args) -> subprocess.Popen:
    return subprocess.Popen([PYTHON, "-c", code, *map(str, args)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=child_env())


def test_two_processes_register_at_once(any_db):
    from gkdesk import audit
    from gkdesk.db import close_database, open_database
    from gkdesk.db.models import Case, NumberSequence

    close_database()
    a, b = _start(WRITER, any_db, 1000, 60), _start(WRITER, any_db, 2000, 60)
    try:
        for p in (a, b):
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        for p in (a, b):          # both go at the same moment
            p.stdin.write("go\n")
            p.stdin.flush()
        outs = [p.communicate(timeout=300) for p in (a, b)]
    finally:
        for p in (a, b):
            if p.poll() is None:
                p.kill()
    for p, (out, err) in zip((a, b), outs):
        assert p.returncode == 0, err
        assert "locked" not in err
    (ta0, ta1, *numbers_a), (tb0, tb1, *numbers_b) = outs[0][0].split(), outs[1][0].split()
    assert max(float(ta0), float(tb0)) < min(float(ta1), float(tb1)), "the two writers did not overlap"
    assert len(numbers_a) == len(numbers_b) == 60
    assert not set(numbers_a) & set(numbers_b)
    open_database(any_db)
    serials = sorted(c.serial for c in Case.select(Case.serial))
    assert serials == list(range(1, 121))
    assert NumberSequence.get(NumberSequence.scope == "case").last == 120
    assert {c.number for c in Case.select(Case.number)} == set(numbers_a) | set(numbers_b)
    assert audit.verify_chain() == []


EDITOR = textwrap.dedent("""
    import sys
    from gkdesk.db import open_database
    from gkdesk.db.models import Case
    from gkdesk.db.concurrency import save_with_version
    from gkdesk.errors import ConflictError
    target, note = sys.argv[1], sys.argv[2]
    open_database(target)
    case = Case.get(Case.serial == 1)
    print("read", case.version, flush=True)
    sys.stdin.readline()          # the person edits … and presses 保存
    try:
        save_with_version(case, case.version, note=note)
        print("saved", case.version, flush=True)
    except ConflictError as exc:
        print("conflict", exc, flush=True)
""")


def test_two_people_edit_the_same_case(any_db):
    from gkdesk.cases.registry import register
    from gkdesk.db import close_database, open_database
    from gkdesk.db.models import Case

    register(application(1), "clerk1")
    close_database()
    a, b = _start(EDITOR, any_db, "甲的备注"), _start(EDITOR, any_db, "乙的备注")
    try:
        assert a.stdout.readline().split() == ["read", "1"]
        assert b.stdout.readline().split() == ["read", "1"]
        a.stdin.write("\n")
        a.stdin.flush()
        assert a.stdout.readline().split() == ["saved", "2"]
        b.stdin.write("\n")
        b.stdin.flush()
        line = b.stdout.readline().strip()
        for p in (a, b):
            p.communicate(timeout=60)
    finally:
        for p in (a, b):
            if p.poll() is None:
                p.kill()
    assert line.startswith("conflict 该案件已被他人修改，请刷新后重试"), line
    open_database(any_db)
    case = Case.get(Case.serial == 1)
    assert case.note == "甲的备注" and case.version == 2      # no lost update, no overwrite


def test_save_with_version_in_process(any_db):
    from gkdesk.cases.registry import register
    from gkdesk.db.concurrency import save_with_version
    from gkdesk.db.models import Case
    from gkdesk.errors import ConflictError, NotFound

    case = register(application(3), "clerk1")
    before = case.updated_at
    save_with_version(case, 1, note="第一次", handler="小王")
    assert (case.version, case.note, case.handler) == (2, "第一次", "小王")
    assert case.updated_at >= before
    stale = Case.get_by_id(case.id)
    save_with_version(case, 2, note="第二次")
    with pytest.raises(ConflictError, match="该案件已被他人修改"):
        save_with_version(stale, 2, note="旧页面上的修改")
    assert Case.get_by_id(case.id).note == "第二次"
    with pytest.raises(TypeError):
        save_with_version(case, 3, no_such_field=1)
    with pytest.raises(TypeError):
        save_with_version(case, 3, version=99)
    ghost = Case.get_by_id(case.id)
    ghost.id = 99999
    with pytest.raises(NotFound):
        save_with_version(ghost, 3, note="x")
