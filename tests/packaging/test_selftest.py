"""``gkdesk --self-test`` un-frozen: passes on a working install, fails loudly on a broken
one, and never touches the user's data folder. (The frozen app runs the same self-test in
CI: ``.ci/run`` → ``scripts/build-linux --ci``.)"""
import os
import re
import shutil
import subprocess
from pathlib import Path

from gkdesk import selftest

STEP_NAMES = [name for name, _ in selftest.STEPS]


def _lines(out: str) -> dict[str, str]:
    found = {}
    for line in out.splitlines():
        m = re.match(r"^\[( OK |FAIL)\] ([^：]+)：", line)
        if m:
            found[m.group(2)] = m.group(1).strip()
    return found


def test_self_test_passes_and_leaves_the_data_folder_alone(run_cli, tmp_path):
    data = tmp_path / "user-data"
    data.mkdir()
    (data / "keep.txt").write_text("mine", encoding="utf-8")
    before = sorted(p.name for p in data.iterdir())
    r = run_cli("--self-test", env={"GKDESK_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stdout + r.stderr
    steps = _lines(r.stdout)
    assert list(steps) == STEP_NAMES, r.stdout
    assert set(steps.values()) == {"OK"}, r.stdout
    assert "自检通过" in r.stdout
    # the user's data folder: not a file added, removed or changed
    assert sorted(p.name for p in data.iterdir()) == before
    assert (data / "keep.txt").read_text(encoding="utf-8") == "mine"
    # the temporary folder it named is gone afterwards
    tmp = re.search(r"临时文件夹：(.+?)）", r.stdout).group(1)
    assert not Path(tmp).exists()


def test_self_test_fails_with_the_reason_when_no_font_can_print(run_cli, tmp_path):
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    r = run_cli("--self-test", env={"GKDESK_FONT_DIRS": str(empty), "GKDESK_BUNDLED_FONT": "0",
                                    "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 1, r.stdout + r.stderr
    steps = _lines(r.stdout)
    assert steps["生成答复书 PDF"] == "FAIL"
    assert steps["登记申请"] == "OK"          # the other steps still ran and are reported
    assert steps["导出台账 Excel"] == "OK"
    assert "自检未通过" in r.stdout and "生成答复书 PDF" in r.stdout.splitlines()[-1]


def test_steps_after_a_failed_prerequisite_are_reported_as_skipped(tmp_path, monkeypatch, capsys):
    def broken(st):
        raise OSError("磁盘已满")

    monkeypatch.setattr(selftest, "STEPS", tuple(
        (name, broken if name == "新建数据库" else fn) for name, fn in selftest.STEPS
        if name in ("新建数据库", "登记申请", "办理流程")))
    st = selftest.State(folder=tmp_path, db_path=tmp_path / "x.sqlite3")
    results = selftest.run_steps(st)
    assert [r.ok for r in results] == [False, False, False]
    assert "OSError: 磁盘已满" in results[0].detail
    assert results[1].detail == "跳过：前一步“新建数据库”失败"
    out = capsys.readouterr().out
    assert out.count("[FAIL]") == 3


def test_keep_variable_keeps_the_folder(run_cli, tmp_path):
    r = run_cli("--self-test", env={"GKDESK_SELFTEST_KEEP": "1", "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stdout + r.stderr
    tmp = Path(re.search(r"临时文件夹：(.+?)）", r.stdout).group(1))
    try:
        assert (tmp / "letter.pdf").read_bytes()[:5] == b"%PDF-"
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(tmp / "letter.pdf"), "-"], capture_output=True,
                                  text=True, check=True).stdout
            assert "张三" in text and "答复" in text
        assert (tmp / "ledger.xlsx").is_file() and (tmp / "letter.docx").is_file()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    assert os.environ.get("GKDESK_SELFTEST_KEEP") is None
