"""The command line speaks its own vocabulary: `cases act` takes actions, fields and
choice values by code or Chinese label alike, lists them in --help and `cases show`, names
both in its errors and prints Chinese; `--stage` takes labels and codes; `render --doc
reply --list-fields` lists the fields before an outcome exists."""
from __future__ import annotations

import datetime as dt

import pytest

from gkdesk import cli
from gkdesk.cases import deadlines


@pytest.fixture
def handling_case(db_path):
    from tests.reports.conftest import make_case

    received = deadlines.today() - dt.timedelta(days=5)     # a recent application, well within its term
    case = make_case(received, section="综合股", handler="王五")
    from gkdesk.db import close_database

    close_database()
    return db_path, case.number


def _run(capsys, *argv):
    rc = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_act_takes_labels_and_keys_and_prints_chinese(handling_case, capsys):
    db, number = handling_case
    today = deadlines.today().isoformat()
    # a missing field is named by label and key
    rc, out, err = _run(capsys, "--db", db, "cases", "act", number, "extend", "--set", "working_days=10",
                        "--set", f"notice_date={today}")
    assert rc != 0
    assert "延期理由（--set reason=… 或 延期理由=…）：必须填写" in err
    # an unknown field lists what there is, keys and labels
    rc, out, err = _run(capsys, "--db", db, "cases", "act", number, "extend", "--set", "理由=复杂")
    assert rc != 0 and "没有字段“理由”" in err and "reason=延期理由" in err and "working_days=延长工作日数" in err
    # the Chinese label of the action and of every field works, as the keys do
    rc, out, err = _run(capsys, "--db", db, "cases", "act", number, "延期答复", "--set", "延长工作日数=10",
                        "--set", "延期理由=情况复杂", "--set", f"notice_date={today}")
    assert rc == 0, err
    assert "延期答复（经批准）完成，当前阶段：办理中" in out and "handling" not in out
    # a choice by its label (an outcome by its ledger label), a date by key
    rc, out, err = _run(capsys, "--db", db, "cases", "act", number, "reply", "--set", "办理结果=予以公开",
                        "--set", "提供的信息或获取方式=已提供", "--set", f"reply_date={today}")
    assert rc == 0, err
    assert "当前阶段：已答复" in out
    rc, out, err = _run(capsys, "--db", db, "cases", "act", number, "deliver", "--set", "送达方式=直接送达",
                        "--set", f"送达日期={today}")
    assert rc == 0, err
    assert "当前阶段：已送达" in out
    rc, out, err = _run(capsys, "--db", db, "cases", "act", number, "飞走")
    assert rc != 0 and "未知的操作“飞走”" in err and "archive（归档）" in err


def test_help_and_show_list_the_fields(handling_case, capsys):
    db, number = handling_case
    with pytest.raises(SystemExit):
        cli.main(["cases", "act", "--help"])
    out = capsys.readouterr().out
    assert "extend（延期答复（经批准））" in out
    assert "reason=延期理由（文字，必填）" in out
    assert "method=送达方式（选项，必填）：direct=直接送达" in out
    rc, out, err = _run(capsys, "--db", db, "cases", "show", number)
    assert rc == 0, err
    assert "extend（延期答复（经批准））" in out and "reason=延期理由（文字，必填）" in out
    import json

    rc, out, err = _run(capsys, "--db", db, "cases", "show", number, "--json")
    info = json.loads(out)
    assert "reason=延期理由（文字，必填）" in info["action_fields"]["extend"]


def test_stage_takes_labels_and_codes(handling_case, capsys):
    db, number = handling_case
    rc, by_label, err = _run(capsys, "--db", db, "cases", "list", "--stage", "办理中")
    assert rc == 0, err
    rc, by_code, err = _run(capsys, "--db", db, "cases", "list", "--stage", "handling")
    assert by_label == by_code and number in by_label
    rc, out, err = _run(capsys, "--db", db, "cases", "list", "--stage", "飞了")
    assert rc != 0 and "未知的阶段“飞了”" in err and "办理中（handling）" in err
    with pytest.raises(SystemExit):
        cli.main(["cases", "list", "--help"])
    assert "已答复（replied）" in capsys.readouterr().out


def test_reply_fields_listed_before_an_outcome(handling_case, capsys):
    db, number = handling_case
    rc, out, err = _run(capsys, "--db", db, "render", "--case", number, "--doc", "reply", "--list-fields")
    assert rc == 0, err
    assert "尚未确定办理结果" in err
    assert "[无法提供/不属于本机关负责公开]\ndate" in out
    assert "agency\t负责公开的机关及联系方式（必填）" in out
    assert "[予以公开]" in out
