"""Atomic file writes: a crash leaves the old file or the new one, never half of one.

Permissions (POSIX; Windows ignores them), decided here once:
- files meant to be handed on — letters, forms for the units, catalogue, ledger, reports —
  get ``SHARED_MODE`` (0644: the owner writes, the group and others may read), narrowed
  by the user's umask: the mode of any file the user makes, and of the database file;
- files that hold what others must not read — backups (the whole database), a ledger
  with full ID and phone numbers, the electronic seal — are written ``private=True``:
  ``PRIVATE_MODE`` (0600, the owner only).
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from gkdesk.errors import GkError


class FileInUse(GkError):
    """The file to replace is open in another program: on Windows Excel, WPS or a PDF
    reader keep it locked, and it cannot be replaced until they close it."""


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


SHARED_MODE = 0o644
PRIVATE_MODE = 0o600


def _umask() -> int:
    """The process umask, read without changing it (os.umask would, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def file_mode(private: bool = False) -> int:
    """The permission bits a file written by gkdesk gets (see the module docstring)."""
    return PRIVATE_MODE if private else SHARED_MODE & ~_umask()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, private: bool = False):
    """Yield a temporary path beside ``path``; on success it is fsynced and renamed over
    ``path`` with ``file_mode(private)``. On an exception the temporary file is removed and
    ``path`` is untouched.

        with atomic_path(out) as tmp:
            workbook.save(tmp)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp_path, file_mode(private))   # mkstemp makes 0600; before the rename
        commit_staged(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def atomic_write(path: str | os.PathLike, data: bytes, *, private: bool = False) -> Path:
    staged = stage(path, data, private=private)
    try:
        return commit_staged(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def stage(path: str | os.PathLike, data: bytes, *, private: bool = False) -> Path:
    """Write ``data`` to a temporary file beside ``path``, fsynced and with its final mode,
    and return it; ``commit_staged`` then renames it over ``path``. The slow half of
    ``atomic_write`` (the data and its fsync) done early, e.g. before a write lock is taken;
    the caller removes the staged file if it is not committed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp_path = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_path, file_mode(private))
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return tmp_path


def commit_staged(staged: Path, path: str | os.PathLike) -> Path:
    """Rename a file made by ``stage`` (or ``atomic_path``) over ``path`` (same folder) and
    fsync the folder; ``FileInUse`` if another program holds ``path`` open (Windows)."""
    path = Path(path)
    try:
        os.replace(staged, path)
    except PermissionError as exc:
        if not path.exists():
            raise
        raise FileInUse(f"文件“{path.name}”正被其他程序打开（如 Excel、WPS 或 PDF 阅读器），无法覆盖，"
                        f"原文件未改动。请先关闭该文件再保存，或换一个文件名。（{path.parent}）",
                        field=str(path)) from exc
    _fsync_dir(path.parent)
    return path


def sha256_file(path: str | os.PathLike) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
