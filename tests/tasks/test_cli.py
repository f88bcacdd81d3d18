"""The headless commands, in a child process against a database file."""
import json

from .helpers import UNITS_000, make_fixtures, make_units


def test_import_status_receive_remind_summary(db_path, run_cli, tmp_path):
    from gkdesk.db import close_database

    make_units([u for u in UNITS_000 if u[0] != "宣传部"])
    close_database()
    path = make_fixtures.write_000_docx(tmp_path / "000.docx")
    r = run_cli("tasks", "import", path, "--db", db_path)
    assert r.returncode == 0, r.stderr
    assert "2020年，任务 18 项" in r.stdout and "“宣传部”" in r.stdout and "未保存" in r.stdout
    r = run_cli("tasks", "list", "--db", db_path, "--json")
    assert json.loads(r.stdout) == []
    r = run_cli("tasks", "import", path, "--db", db_path, "--map", "宣传部=政府办", "--yes")
    assert r.returncode == 0 and "已保存任务 18 项" in r.stdout, r.stderr
    r = run_cli("tasks", "status", "--db", db_path, "--overdue", "--today", "2020-07-21", "--json")
    late = json.loads(r.stdout)
    assert sorted((x["task"].split()[0], x["unit"]) for x in late) == [("1（1）", "审批股"), ("1（2）", "审批股")]
    f = tmp_path / "权责清单.xlsx"
    f.write_bytes(b"PK\x03\x04 list")
    r = run_cli("tasks", "receive", "1（1）", "审批股", f, "--db", db_path, "--by", "庄桂卿", "--date", "2020-07-16")
    assert r.returncode == 0 and "SHA-256" in r.stdout, r.stderr
    r = run_cli("tasks", "status", "--db", db_path, "--overdue", "--today", "2020-07-21")
    assert "1（2）" in r.stdout and "1（1）" not in r.stdout and "逾期 1 条" in r.stdout
    out = tmp_path / "letters"
    r = run_cli("tasks", "remind", "-o", out, "--db", db_path, "--today", "2020-07-21")
    assert r.returncode == 0 and "已出具通知 1 份" in r.stdout, r.stderr
    assert len(list(out.glob("审批股-催报通知-*.pdf"))) == 1 and (out / "工作任务逾期未报送情况一览.pdf").is_file()
    r = run_cli("tasks", "summary", "--year", "2020", "-o", tmp_path / "s.xlsx", "--pdf", tmp_path / "s.pdf",
                "--db", db_path)
    assert r.returncode == 0 and (tmp_path / "s.xlsx").is_file() and (tmp_path / "s.pdf").is_file(), r.stderr


def test_errors_on_stderr_with_nonzero_exit(db_path, run_cli, tmp_path):
    from gkdesk.db import close_database

    close_database()
    bad = tmp_path / "bad.xlsx"
    bad.write_text("hello")
    r = run_cli("tasks", "import", bad, "--db", db_path, "--yes")
    assert r.returncode != 0 and "不是 .xlsx 或 .docx" in r.stderr and r.stdout == ""
    r = run_cli("tasks", "receive", "9", "民政局", bad, "--db", db_path)
    assert r.returncode != 0 and "找不到" in r.stderr
    r = run_cli("tasks", "remind", "-o", tmp_path / "x", "--db", db_path)
    assert r.returncode != 0 and "没有逾期" in r.stderr
