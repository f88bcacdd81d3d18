"""The case commands of the command line, run as a clerk's script would."""
import json


def test_cases_list_show_act_and_holidays(run_cli, tmp_path):
    db = tmp_path / "cli.sqlite3"
    r = run_cli("demo", "--count", "40", "--seed", "2", "--units", "0", "--today", "2026-11-20", "--db", db)
    assert r.returncode == 0, r.stderr
    # --db before the subcommand works too
    r = run_cli("--db", db, "cases", "list", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) == 40
    assert set(rows[0]) == {"number", "applicant_kind", "applicant", "stage", "received", "due", "due_provisional"}
    delivered = [x for x in rows if x["stage"] == "已送达"]
    assert delivered, "the seed gives delivered cases"
    number = delivered[0]["number"]
    r = run_cli("cases", "show", number, "--json", "--db", db)
    info = json.loads(r.stdout)
    assert info["number"] == number and "*" in info["phone"] and any("登记申请" in t for t in info["timeline"])
    # a refused action: message on stderr naming the rule, non-zero exit, nothing changed
    r = run_cli("cases", "act", number, "reopen", "--set", "reason=test", "--db", db)
    assert r.returncode != 0 and "只能在已归档阶段进行" in r.stderr
    r = run_cli("cases", "act", number, "proceeding_add", "--set", "kind=reconsideration",
                "--set", "filed_date=2026-11-19", "--set", "body=某某区人民政府", "--db", db)
    assert r.returncode == 0, r.stderr
    r = run_cli("cases", "show", number, "--db", db)
    assert "登记行政复议" in r.stdout
    r = run_cli("cases", "show", "依申〔1999〕1号", "--db", db)
    assert r.returncode != 0 and "找不到" in r.stderr
    sched = tmp_path / "2027.txt"
    sched.write_text("2027-01-01 休 元旦\n2027-02-06 班\n", encoding="utf-8")
    r = run_cli("holidays", "--year", "2027", "--set", sched, "--db", db)
    assert r.returncode == 0, r.stderr
    r = run_cli("holidays", "--year", "2027", "--db", db)
    assert "2027-02-06 班" in r.stdout
    bad = tmp_path / "bad.txt"
    bad.write_text("2027-01-01\n", encoding="utf-8")
    r = run_cli("holidays", "--year", "2027", "--set", bad, "--db", db)
    assert r.returncode != 0 and "第1行" in r.stderr
    r = run_cli("cases", "list", "--stage", "nonsense", "--db", db)
    assert r.returncode != 0 and "--stage" in r.stderr
