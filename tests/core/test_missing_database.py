"""A mistyped ``--db`` path never quietly makes a new, empty database (nor its folders):
the command line refuses with the fix; ``init``, ``--create`` and ``demo`` create."""
from __future__ import annotations


def test_a_missing_db_is_refused_with_the_fix(run_cli, tmp_path):
    typo = tmp_path / "no-such-folder" / "demo.dbb"
    for args in (("check",), ("cases", "list"), ("--read-only", "cases", "list")):
        r = run_cli("--db", typo, *args)
        assert r.returncode != 0, args
        assert f"数据库文件“{typo}”不存在" in r.stderr, args
        assert f"gkdesk --db {typo} init" in r.stderr and "--create" in r.stderr
        assert "检查通过" not in r.stdout
    assert not typo.parent.exists()


def test_init_create_and_demo_make_the_database(run_cli, tmp_path):
    a = tmp_path / "new" / "a.sqlite3"
    r = run_cli("--db", a, "init")
    assert r.returncode == 0, r.stderr
    assert a.exists() and "已新建空数据库" in r.stdout
    r = run_cli("--db", a, "init")                  # again: opened, nothing lost
    assert r.returncode == 0 and "数据库已存在" in r.stdout
    r = run_cli("--db", a, "check")
    assert r.returncode == 0, r.stderr
    b = tmp_path / "b.sqlite3"
    r = run_cli("cases", "list", "--create", "--db", b)
    assert r.returncode == 0, r.stderr
    assert b.exists()
    c = tmp_path / "c.sqlite3"
    r = run_cli("demo", "--count", "3", "--units", "0", "--db", c)
    assert r.returncode == 0, r.stderr
    assert c.exists()


def test_help_names_the_way_to_create(run_cli):
    r = run_cli("--help")
    assert "init" in r.stdout and "--create" in r.stdout
