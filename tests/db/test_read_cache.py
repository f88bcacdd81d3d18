"""Reads remembered until the database changes (gkdesk.db.read_cache): the 工作任务 and 标准目录
pages' reads are handed out again only while nothing was committed — by this process's
writer, or by another process on the same file — and never across databases."""
import subprocess
import sys
import textwrap
import threading

from gkdesk.actors import SYSTEM
from gkdesk.db import close_database, open_database, read_cache


def _counting():
    calls = []

    def compute():
        calls.append(1)
        return (len(calls),)

    return calls, compute


def test_the_answer_is_kept_while_nothing_changes_and_read_again_after_a_commit(db_path):
    from gkdesk.api import tasks

    calls, compute = _counting()
    assert read_cache.remembered("k", compute) == (1,)
    assert read_cache.remembered("k", compute) == (1,) and len(calls) == 1
    tasks.create_task(SYSTEM, "新任务", year=2026, deadline="12月底前")    # a commit by this process
    assert read_cache.remembered("k", compute) == (2,) and len(calls) == 2


def test_a_commit_from_another_thread_connection_is_seen(db_path):
    calls, compute = _counting()
    read_cache.remembered("k", compute)

    def write():
        from gkdesk.api import tasks

        tasks.create_task(SYSTEM, "另一线程的任务", year=2026, deadline="12月底前")

    t = threading.Thread(target=write)
    t.start()
    t.join()
    assert read_cache.remembered("k", compute) == (2,)


def test_a_commit_by_another_process_on_the_same_file_is_seen(db_path, tmp_path):
    from gkdesk.api import tasks

    first = tasks.tasks_and_requests(year=2026)
    assert tasks.tasks_and_requests(year=2026) is first            # remembered: the same answer
    script = tmp_path / "other.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        from gkdesk.actors import SYSTEM
        from gkdesk.db import open_database
        from gkdesk.api import tasks
        open_database({str(db_path)!r})
        tasks.create_task(SYSTEM, "另一台电脑上的任务", year=2026, deadline="12月底前")
    """), encoding="utf-8")
    subprocess.run([sys.executable, str(script)], check=True, capture_output=True, timeout=120)
    again = tasks.tasks_and_requests(year=2026)
    assert [t.title for t in again[0]] == ["另一台电脑上的任务"]
    assert [t.title for t in first[0]] == []


def test_the_catalogue_overview_follows_a_new_version(db_path):
    from gkdesk.api import catalogue

    before = catalogue.overview()
    assert catalogue.overview() is before
    catalogue.create_version("2026年版", SYSTEM)
    after = catalogue.overview()
    assert [v.name for v in after.versions] == ["2026年版"] and before.versions == ()


def test_another_database_never_gets_the_first_ones_answers(db_path, tmp_path):
    calls, compute = _counting()
    read_cache.remembered("k", compute)
    close_database()
    open_database(tmp_path / "other.sqlite3")
    assert read_cache.remembered("k", compute) == (2,)
    close_database()
    open_database(db_path)
    assert read_cache.remembered("k", compute) == (3,)


def test_nothing_is_remembered_without_a_database_file():
    close_database()
    calls, compute = _counting()
    read_cache.remembered("k", compute)
    read_cache.remembered("k", compute)
    assert len(calls) == 2
