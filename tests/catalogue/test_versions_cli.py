"""Versions side by side (the 2020 catalogue and the 2022 revision), the headless commands,
and an older database migrating to the catalogue's tables."""
import shutil
import sqlite3
from pathlib import Path

from gkdesk.actors import SYSTEM
from gkdesk.catalogue import items as svc
from gkdesk.catalogue.items import ItemData

from .guidance_fixture import write
from .helpers import by_name, compiled_unit


def test_revision_side_by_side(db_path, tmp_path):
    v20, u, its = compiled_unit(tmp_path)
    v22 = svc.create_version("2022年修订", SYSTEM, based_on=v20)
    assert v22.year == 2022
    new = svc.unit_items(v22, u)
    assert len(new) == len(its) and all(i.guidance_id is not None for i in new)
    assert {i.guidance.version_id for i in new} == {v22.id}        # guidance copied with the version
    item = by_name(new, "最低生活保障", "办事指南")
    d = ItemData.of(item)
    d.channel += " ■政务服务中心"
    svc.save_item(item.id, d, "2022年起在政务服务中心公开", SYSTEM)
    svc.delete_item(by_name(new, "养老机构", "备案信息").id, "备案改由市级公开", SYSTEM)
    deltas = svc.compare_versions(v20, v22)
    kinds = {(x.kind, x.name) for x in deltas if x.kind != "keep"}
    assert kinds == {("change", "社会救助·最低生活保障·办事指南"), ("delete", "养老服务·养老机构·备案信息")}
    change = next(x for x in deltas if x.kind == "change")
    assert change.changed == ("channel",) and "政务服务中心" in change.change_text()
    assert change.reason == "2022年起在政务服务中心公开" and change.unit == "民政局"
    assert svc.counts(deltas) == {"keep": 6, "change": 1, "delete": 1, "add": 0}
    # the 2020 catalogue is untouched
    assert by_name(svc.unit_items(v20, u), "最低生活保障", "办事指南").action == "keep"


def test_cli_import_diff_explain_export(run_cli, tmp_path):
    db = tmp_path / "cli.sqlite3"
    guide = tmp_path / "指引.xlsx"
    write(guide)
    assert run_cli("--db", db, "forms", "unit", "add", "民政局", "--create").returncode == 0   # a new database
    r = run_cli("--db", db, "catalogue", "import", guide, "--guidance", "--version", "2020年目录")
    assert r.returncode == 0 and "上级指引 8 项（社会救助6项，养老服务2项）" in r.stdout and "未保存" in r.stderr
    r = run_cli("--db", db, "catalogue", "import", guide, "--guidance", "--version", "2020年目录", "--unit", "民政局",
                "--yes")
    assert r.returncode == 0, r.stderr
    listing = run_cli("--db", db, "catalogue", "items", "--version", "2020年目录", "--unit", "民政局").stdout
    ids = {ln.split("\t")[1]: ln.split("\t")[0] for ln in listing.splitlines()}
    target = ids["社会救助·临时救助·救助结果"]
    r = run_cli("--db", db, "catalogue", "delete", target)
    assert r.returncode == 2 and "“社会救助·临时救助·救助结果”" in r.stderr and "删除原因" in r.stderr
    assert run_cli("--db", db, "catalogue", "delete", target, "--reason", "涉及隐私").returncode == 0
    r = run_cli("--db", db, "catalogue", "diff", "--version", "2020年目录", "--unit", "民政局")
    assert "删除  社会救助·临时救助·救助结果（原因：涉及隐私）" in r.stdout
    out = tmp_path / "说明.docx"
    assert run_cli("--db", db, "catalogue", "explain", "--version", "2020年目录", "--unit", "民政局",
                   "-o", out).returncode == 0 and out.exists()
    x = tmp_path / "县目录.xlsx"
    assert run_cli("--db", db, "catalogue", "export", "--version", "2020年目录", "-o", x).returncode == 0
    h = tmp_path / "web"
    r = run_cli("--db", db, "catalogue", "export", "--version", "2020年目录", "--html", "-o", h)
    assert r.returncode == 0 and (h / "index.html").exists()
    sent = tmp_path / "民政局.xlsx"
    assert run_cli("--db", db, "catalogue", "export", "--version", "2020年目录", "--unit", "民政局",
                   "-o", sent).returncode == 0
    r = run_cli("--db", db, "catalogue", "import", sent)
    assert r.returncode == 0 and "民政局（2020年目录）：无变化" in r.stdout
    r = run_cli("--db", db, "catalogue", "import", tmp_path / "nothing.xlsx")
    assert r.returncode != 0 and "找不到" in r.stderr


def test_schema_4_database_gets_the_catalogue(tmp_path):
    from gkdesk.db import close_database, open_database, migrations

    fixture = Path(__file__).parent.parent / "fixtures" / "schema_v4.sqlite3"
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(fixture, path)
    open_database(path)
    try:
        assert migrations.schema_version() == migrations.LATEST
        v, u, its = compiled_unit(tmp_path)
        assert len(its) == 8
    finally:
        close_database()
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"catalogue_item", "catalogue_version", "catalogue_field"} <= tables
