"""The CLI opens the database in one place and hands it to the subcommand: what a command
is handed follows what it declares, so a command that needs none never makes one, and a
mistyped --db is refused before any command runs."""
import sqlite3

from gkdesk import cli, cli_open


def test_every_subcommand_declares_a_known_database_need():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        stack = [p]
        while stack:
            q = stack.pop()
            nested = [a for a in q._actions if getattr(a, "choices", None) and isinstance(a.choices, dict)]
            for a in nested:
                stack.extend(a.choices.values())
            policy = q.get_default("database") or "open"
            if q.get_default("func") is not None and not callable(policy):
                assert policy in cli_open.POLICIES, name


def test_a_command_that_needs_no_database_makes_none(run_cli, tmp_path):
    data = tmp_path / "data"
    env = {"GKDESK_DATA_DIR": str(data)}
    r = run_cli("due", "--received", "2026-11-02", env=env)
    assert r.returncode == 0, r.stderr
    r = run_cli("backups", "--dir", tmp_path / "none-yet", env=env)
    assert r.returncode == 0, r.stderr
    assert not (data / "gkdesk.sqlite3").exists()


def test_a_refused_count_makes_no_database(run_cli, tmp_path):
    target = tmp_path / "demo.sqlite3"
    r = run_cli("demo", "--count", "-1", "--db", target)
    assert r.returncode != 0 and "案件数不能为负数" in r.stderr
    assert not target.exists()


def test_a_mistyped_db_is_refused_and_init_makes_then_reopens(run_cli, tmp_path):
    target = tmp_path / "office.sqlite3"
    r = run_cli("cases", "list", "--db", target)
    assert r.returncode != 0 and "不存在，未新建" in r.stderr and not target.exists()
    r = run_cli("init", "--db", target)
    assert r.returncode == 0 and "已新建空数据库" in r.stdout, r.stderr
    r = run_cli("init", "--db", target)
    assert r.returncode == 0 and "数据库已存在，未改动其数据" in r.stdout, r.stderr
    r = run_cli("--read-only", "cases", "list", "--db", target)
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(target) as con:
        assert con.execute("SELECT count(*) FROM \"case\"").fetchone()[0] == 0
