"""Files for others (forms, ledger, letters, reports) are readable by the group (0644,
narrowed by the umask, like the database); backups, a ledger with full personal data and
the seal stay the owner's (0600). Decided once, in gkdesk/fileio.py."""
from __future__ import annotations

import os
import stat
import sys

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_exports_are_group_readable_private_files_are_not(db_path, tmp_path, umask_022, monkeypatch):
    from gkdesk import backup, fileio
    from gkdesk.actors import SYSTEM
    from gkdesk.forms import xlsx_export
    from gkdesk.reports import ledger

    assert _mode(db_path) == 0o644                      # the database, made by SQLite
    blank = xlsx_export.export_blank(tmp_path / "附件表.xlsx")
    masked = tmp_path / "台账.xlsx"
    ledger.export_ledger(masked)
    full = tmp_path / "台账-完整.xlsx"
    ledger.export_ledger(full, personal_for=SYSTEM)
    letter = fileio.atomic_write(tmp_path / "答复书.pdf", b"%PDF-1.4\n")
    assert {p.name: _mode(p) for p in (blank, masked, letter)} == {
        "附件表.xlsx": 0o644, "台账.xlsx": 0o644, "答复书.pdf": 0o644}
    assert _mode(full) == 0o600
    info = backup.create_backup(tmp_path / "backups")
    assert _mode(info.path) == 0o600
    fileio.atomic_write(letter, b"%PDF-1.4\n again", private=True)   # an existing file takes the new mode
    assert _mode(letter) == 0o600


def test_a_stricter_umask_narrows_the_shared_mode(tmp_path):
    from gkdesk import fileio

    old = os.umask(0o077)
    try:
        out = fileio.atomic_write(tmp_path / "x.xlsx", b"x")
    finally:
        os.umask(old)
    assert _mode(out) == 0o600


def test_a_restore_gives_each_stored_file_its_mode_back(db_path, tmp_path, umask_022):
    """The seal is the owner's (0600) before the backup and after the restore; a stored
    letter stays readable by the group."""
    from PIL import Image, ImageDraw

    from gkdesk import backup, fileio
    from gkdesk.actors import SYSTEM
    from gkdesk.db import close_database, current
    from gkdesk.documents import stamp

    png = tmp_path / "seal-src.png"
    img = Image.new("RGBA", (400, 400), (0, 0, 0, 0))      # a red ring on a transparent ground
    ImageDraw.Draw(img).ellipse((4, 4, 396, 396), outline=(220, 20, 20, 255), width=14)
    img.save(png)
    seal = stamp.import_seal(png, SYSTEM)
    letter = fileio.atomic_write(seal.parent / "letters" / "答复书.pdf", b"%PDF-1.4\n")
    assert (_mode(seal), _mode(letter)) == (0o600, 0o644)
    info = backup.create_backup(tmp_path / "backups")
    seal.unlink()
    letter.unlink()
    path = current().path
    close_database()
    result = backup.restore(info.path, path)
    assert result.files_restored >= 2
    assert (_mode(seal), _mode(letter)) == (0o600, 0o644)
