"""Windows cannot replace a file another program holds open (an export open in Excel or
WPS). The installed app's self-test proves it under Wine; here the same refusal is made
with os.replace raising as Windows does, and the clerk's message and the old file checked."""
import os

import pytest

from gkdesk import fileio


def test_an_open_file_is_refused_in_chinese_and_left_intact(tmp_path, monkeypatch):
    target = tmp_path / "台账 2026.xlsx"
    fileio.atomic_write(target, b"old")

    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(fileio.FileInUse) as err:
        fileio.atomic_write(target, b"new")
    assert "“台账 2026.xlsx”正被其他程序打开" in str(err.value) and "请先关闭该文件" in str(err.value)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账 2026.xlsx"]      # no temporary file left


def test_a_missing_folder_permission_is_not_called_in_use(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "replace", lambda s, d: (_ for _ in ()).throw(PermissionError(13, "denied")))
    with pytest.raises(PermissionError) as err:
        fileio.atomic_write(tmp_path / "new.pdf", b"x")
    assert not isinstance(err.value, fileio.FileInUse)
