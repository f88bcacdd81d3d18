"""Backups and restore: nothing lost.

A backup is one zip archive, ``gkdesk-backup-YYYYMMDD-HHMMSS-<kind>.zip``, holding

- ``database.sqlite3`` — a consistent snapshot taken with SQLite's online backup API (the
  app may go on working while it is taken; WAL readers never block the writer);
- ``files/…`` — the database's file store (attachments, issued PDFs), by the same paths;
- ``manifest.json`` — date, gkdesk version, schema version, the database's identity
  (``database_id``, see ``gkdesk.audit``), case and event counts, an anchor of the audit
  chain (first/last event hash, see ``gkdesk.integrity``), and the SHA-256 and size of
  every member.

It is written to a temporary file beside its final name, fsynced and renamed
(``gkdesk.fileio.atomic_path``), so a crash leaves the previous backups and no half
archive under a backup's name.

Where: the setting ``backup.dir`` (point it at a second disk), empty = ``<data folder>/backups``.

When: ``maybe_daily_backup("start")`` when the GUI starts (if this database has no backup
from today) and ``maybe_daily_backup("exit")`` when it closes (if anything changed since
the newest backup). Automatic backups are rotated: the newest of each of the last
``KEEP_DAILY`` days and of each of the last ``KEEP_MONTHLY`` months are kept. Backups made
by hand and the safety copies made before a restore are never deleted automatically.

Restore (``restore``): checks the archive first (every member's SHA-256, the snapshot's
``PRAGMA integrity_check``, its schema not newer than this gkdesk), backs up the current
state, puts the stored files back, then writes the snapshot into the database file with
the backup API (one transaction: other connections see the old or the new database,
never a mix) — or, when the current file is too damaged to write into, moves the damaged
file aside and renames the checked snapshot into its place.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from gkdesk.errors import DatabaseError, GkError
from gkdesk.fileio import atomic_path, sha256_file

FORMAT = 1
PREFIX = "gkdesk-backup-"
DB_MEMBER = "database.sqlite3"
MANIFEST = "manifest.json"
KEEP_DAILY = 14
KEEP_MONTHLY = 12
AUTO_KINDS = ("auto",)
KIND_LABELS = {"auto": "自动", "manual": "手动", "pre-restore": "恢复前", "cli": "命令行"}
STALE_TEMP_SECONDS = 3600

Progress = Callable[[int, int], None] | None
Cancelled = Callable[[], bool] | None


class BackupCancelled(GkError):
    """The user cancelled a backup; nothing was written."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: dt.datetime            # aware
    kind: str
    case_count: int
    schema_version: int | None
    gkdesk_version: str
    size: int
    manifest: dict = field(repr=False, default_factory=dict)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def local_time(self) -> dt.datetime:
        return self.created_at.astimezone()

    @property
    def database_id(self) -> str:
        """The identity of the database backed up ("" in backups of gkdesk 0.1.0)."""
        return self.manifest.get("database_id") or ""

    @property
    def first_hash(self) -> str:
        return (self.manifest.get("audit") or {}).get("first_hash") or ""

    def of_database(self, ident: str, genesis: str, source: str | None) -> bool:
        """Whether this is a backup of the database with identity ``ident`` (first audit
        hash ``genesis``, file ``source``). Backups without an identity (made before the
        database had one) are matched by first audit hash, or by file when both are empty."""
        if self.database_id:
            return self.database_id == ident
        if genesis or self.first_hash:
            return self.first_hash == genesis
        return source is not None and self.manifest.get("source") == source

    @property
    def group_key(self) -> str:
        """What rotation keeps backups apart by (one database)."""
        return self.database_id or self.first_hash or self.manifest.get("source", "")


@dataclass(frozen=True)
class RestoreResult:
    target: Path
    backup: BackupInfo
    safety_backup: Path | None          # the backup of the state before the restore
    damaged_copy: Path | None           # where a damaged database file was moved aside
    files_restored: int


# ------------------------------------------------------------------ where

def backup_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The backup folder: ``explicit``, else setting ``backup.dir``, else ``<data>/backups``."""
    from gkdesk import settings

    if explicit:
        return Path(explicit).expanduser()
    configured = ""
    try:
        from gkdesk.db import current

        current()
        configured = (settings.get("backup.dir") or "").strip()
    except Exception:  # noqa: BLE001 - no (usable) database open: use the default folder
        configured = ""
    return Path(configured).expanduser() if configured else settings.data_dir() / "backups"


# ------------------------------------------------------------------ making a backup

def _snapshot(source: Path, dest: Path, cancelled: Cancelled = None) -> None:
    """Copy ``source`` to ``dest`` with the online backup API, as one self-contained file."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        out = sqlite3.connect(str(dest))
        try:
            def step(status, remaining, total):
                if cancelled and cancelled():
                    raise BackupCancelled("备份已取消，未写入任何文件")

            src.backup(out, pages=2048, progress=step if cancelled else None)
            out.execute("PRAGMA journal_mode=DELETE")
            out.commit()
        finally:
            out.close()
    finally:
        src.close()


def _snapshot_facts(path: Path) -> dict:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        facts = {}
        facts["schema_version"] = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        facts["case_count"] = conn.execute('SELECT count(*) FROM "case"').fetchone()[0]
        facts["event_count"] = conn.execute("SELECT count(*) FROM case_event").fetchone()[0]
        first = conn.execute("SELECT hash FROM case_event ORDER BY id LIMIT 1").fetchone()
        from gkdesk.audit import IDENTITY_KEY

        try:
            ident = conn.execute("SELECT value FROM setting WHERE key = ?", (IDENTITY_KEY,)).fetchone()
        except sqlite3.OperationalError:
            ident = None
        facts["database_id"] = json.loads(ident[0]) if ident and ident[0] else ""
        last = conn.execute("SELECT id, hash FROM case_event ORDER BY id DESC LIMIT 1").fetchone()
        facts["audit"] = {"first_hash": first[0] if first else "",
                          "last_id": last[0] if last else 0,
                          "last_hash": last[1] if last else "",
                          "count": facts["event_count"]}
        facts["quick_check"] = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()][:5]
        return facts
    finally:
        conn.close()


def _store_files(files_dir: Path) -> list[tuple[Path, str]]:
    if not files_dir.is_dir():
        return []
    out = []
    for root, dirs, names in os.walk(files_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue  # temporary files of writes in progress
            p = Path(root) / name
            out.append((p, "files/" + p.relative_to(files_dir).as_posix()))
    return out


def _cleanup_stale(directory: Path) -> None:
    """Remove temporaries a killed backup left behind (older than an hour)."""
    now = time.time()
    for p in directory.glob(".*.tmp"):
        try:
            if now - p.stat().st_mtime > STALE_TEMP_SECONDS:
                p.unlink()
        except OSError:
            pass


def _archive_name(directory: Path, when: dt.datetime, kind: str) -> Path:
    base = f"{PREFIX}{when.astimezone().strftime('%Y%m%d-%H%M%S')}-{kind}"
    path = directory / f"{base}.zip"
    n = 2
    while path.exists():
        path = directory / f"{base}-{n}.zip"
        n += 1
    return path


def create_backup(dest_dir: str | os.PathLike | None = None, *, kind: str = "manual",
                  source: str | os.PathLike | None = None, files_dir: str | os.PathLike | None = None,
                  progress: Progress = None, cancelled: Cancelled = None,
                  now: dt.datetime | None = None) -> BackupInfo:
    """Back up the open database (or the SQLite file ``source`` with its ``files_dir``).

    Safe while the app (or another gkdesk) is writing: the snapshot is one read transaction.
    Returns the new backup's ``BackupInfo``."""
    from gkdesk import __version__

    if source is None:
        from gkdesk.db import current

        opened = current()
        if opened.backend != "sqlite":
            raise DatabaseError("PostgreSQL 数据库由服务器备份：请管理员用 pg_dump 定期备份该数据库"
                                "（gkdesk 的备份功能只用于 SQLite 数据库文件）。")
        source, files_dir = opened.path, opened.files_dir
    source = Path(source)
    files_dir = Path(files_dir) if files_dir is not None else source.parent / f"{source.stem}-files"
    directory = backup_dir(dest_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"无法创建备份文件夹“{directory}”：{exc.strerror or exc}。"
                            "请在设置中把“备份文件夹”改为可写的位置。") from exc
    if not os.access(directory, os.W_OK):
        raise DatabaseError(f"备份文件夹“{directory}”没有写入权限。请在设置中改为可写的位置。")
    _cleanup_stale(directory)
    when = now or dt.datetime.now(dt.timezone.utc)
    files = _store_files(files_dir)
    total = len(files) + 2
    if progress:
        progress(0, total)
    fd, snap_name = tempfile.mkstemp(dir=directory, prefix=".snapshot-", suffix=".tmp")
    os.close(fd)
    snap = Path(snap_name)
    try:
        try:
            _snapshot(source, snap, cancelled)
        except sqlite3.DatabaseError as exc:
            from gkdesk.db.connection import translate_sqlite_error

            raise (translate_sqlite_error(exc, str(source))
                   or DatabaseError(f"无法读取数据库“{source}”：{exc}")) from exc
        facts = _snapshot_facts(snap)
        if progress:
            progress(1, total)
        manifest = {
            "format": FORMAT, "app": "gkdesk", "gkdesk_version": __version__,
            "created_at": when.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"),
            "kind": kind, "source": str(source), "database_id": facts["database_id"],
            "schema_version": facts["schema_version"], "case_count": facts["case_count"],
            "event_count": facts["event_count"], "audit": facts["audit"],
            "quick_check": facts["quick_check"], "members": {},
        }
        final = _archive_name(directory, when, kind)
        with atomic_path(final, private=True) as tmp:      # the whole database: owner only
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1,
                                 allowZip64=True) as zf:
                manifest["members"][DB_MEMBER] = {"sha256": sha256_file(snap), "size": snap.stat().st_size}
                zf.write(snap, DB_MEMBER)
                if progress:
                    progress(2, total)
                for i, (p, arc) in enumerate(files, 3):
                    if cancelled and cancelled():
                        raise BackupCancelled("备份已取消，未写入任何文件")
                    try:
                        st = p.stat()
                        digest, size = sha256_file(p), st.st_size
                    except FileNotFoundError:
                        continue  # removed meanwhile (a replaced draft): not part of this state
                    # Stored files are PDFs and scans, already compressed.
                    zf.write(p, arc, compress_type=zipfile.ZIP_STORED)
                    # the file's permissions, so a restore gives the seal back owner-only
                    manifest["members"][arc] = {"sha256": digest, "size": size, "mode": st.st_mode & 0o777}
                    if progress:
                        progress(i, total)
                zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    finally:
        snap.unlink(missing_ok=True)
    return _info(final, manifest)


def _info(path: Path, manifest: dict) -> BackupInfo:
    return BackupInfo(
        path=Path(path), created_at=dt.datetime.fromisoformat(manifest["created_at"]),
        kind=manifest.get("kind", ""), case_count=int(manifest.get("case_count") or 0),
        schema_version=manifest.get("schema_version"), gkdesk_version=manifest.get("gkdesk_version", ""),
        size=Path(path).stat().st_size, manifest=manifest)


# ------------------------------------------------------------------ reading backups

def read_manifest(path: str | os.PathLike) -> dict:
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except FileNotFoundError:
        raise DatabaseError(f"找不到备份文件“{path}”。") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DatabaseError(f"“{path}”不是完整的 gkdesk 备份文件（{exc}），不能使用。") from None
    if manifest.get("app") != "gkdesk" or "created_at" not in manifest:
        raise DatabaseError(f"“{path}”不是 gkdesk 备份文件。")
    return manifest


def load_backup(path: str | os.PathLike) -> BackupInfo:
    return _info(Path(path), read_manifest(path))


def list_backups(directory: str | os.PathLike | None = None) -> list[BackupInfo]:
    """Every readable backup in the folder, newest first. Unreadable files are skipped."""
    directory = backup_dir(directory)
    if not directory.is_dir():
        return []
    out = []
    for p in directory.glob(f"{PREFIX}*.zip"):
        try:
            out.append(load_backup(p))
        except (GkError, OSError):
            continue
    out.sort(key=lambda b: (b.created_at, b.path.name), reverse=True)
    return out


def verify_backup(path: str | os.PathLike, extract_db_to: Path | None = None,
                  progress: Progress = None) -> list[str]:
    """Problems with the archive (empty when it is sound): member hashes and sizes, the
    snapshot's integrity_check and schema version. ``extract_db_to`` keeps the checked
    snapshot there."""
    from gkdesk.db.migrations import LATEST

    path = Path(path)
    try:
        manifest = read_manifest(path)
    except DatabaseError as exc:
        return [str(exc)]
    problems = []
    members = manifest.get("members") or {}
    if DB_MEMBER not in members:
        return [f"备份“{path.name}”中没有数据库快照"]
    tmpdir = Path(tempfile.mkdtemp(prefix=".verify-", dir=extract_db_to.parent if extract_db_to else None))
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist()) - {MANIFEST}
            for extra in sorted(names - set(members))[:5]:
                problems.append(f"备份中有清单未记载的文件：{extra}")
            total = len(members)
            for i, (name, meta) in enumerate(sorted(members.items()), 1):
                if name not in names:
                    problems.append(f"备份中缺少文件：{name}")
                    continue
                h = hashlib.sha256()
                size = 0
                try:
                    if name == DB_MEMBER:
                        out_path = tmpdir / DB_MEMBER
                        with zf.open(name) as src, open(out_path, "wb") as out:
                            for chunk in iter(lambda: src.read(1 << 20), b""):
                                h.update(chunk)
                                size += len(chunk)
                                out.write(chunk)
                    else:
                        with zf.open(name) as src:
                            for chunk in iter(lambda: src.read(1 << 20), b""):
                                h.update(chunk)
                                size += len(chunk)
                except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
                    problems.append(f"备份中的文件 {name} 无法读取（{exc}）")
                    continue
                if h.hexdigest() != meta.get("sha256") or size != meta.get("size"):
                    problems.append(f"备份中的文件 {name} 已损坏（SHA-256 与清单不符）")
                if progress:
                    progress(i, total)
        snap = tmpdir / DB_MEMBER
        if snap.exists() and not problems:
            try:
                conn = sqlite3.connect(f"file:{snap}?mode=ro", uri=True)
                try:
                    rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
                    version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
                finally:
                    conn.close()
                if rows != ["ok"]:
                    problems.append("备份中的数据库快照未通过完整性检查：" + "；".join(rows[:3]))
                elif version is None or version > LATEST:
                    problems.append(f"备份由更新版本的 gkdesk 创建（数据库版本 {version}），请先升级 gkdesk")
            except sqlite3.DatabaseError as exc:
                problems.append(f"备份中的数据库快照无法打开（{exc}）")
            if not problems and extract_db_to is not None:
                os.replace(snap, extract_db_to)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return problems


# ------------------------------------------------------------------ rotation

def rotate(directory: str | os.PathLike | None = None, *, keep_daily: int = KEEP_DAILY,
           keep_monthly: int = KEEP_MONTHLY) -> list[Path]:
    """Delete automatic backups beyond the newest of each of the last ``keep_daily`` days
    and of each of the last ``keep_monthly`` months (per database). Returns what was
    deleted. Hand-made and pre-restore backups are kept."""
    removed = []
    by_db: dict[str, list[BackupInfo]] = {}
    for b in list_backups(directory):
        if b.kind in AUTO_KINDS:
            by_db.setdefault(b.group_key, []).append(b)
    for backups in by_db.values():
        keep: set[Path] = set()
        days: dict[dt.date, BackupInfo] = {}
        months: dict[tuple[int, int], BackupInfo] = {}
        for b in backups:  # newest first
            d = b.local_time.date()
            days.setdefault(d, b)
            months.setdefault((d.year, d.month), b)
        for d in sorted(days, reverse=True)[:keep_daily]:
            keep.add(days[d].path)
        for m in sorted(months, reverse=True)[:keep_monthly]:
            keep.add(months[m].path)
        for b in backups:
            if b.path not in keep:
                try:
                    b.path.unlink()
                    removed.append(b.path)
                except OSError:
                    pass
    return removed


def _current_anchor() -> tuple[str, str]:
    from gkdesk.db.models import CaseEvent

    first = CaseEvent.select(CaseEvent.hash).order_by(CaseEvent.id).first()
    last = CaseEvent.select(CaseEvent.hash).order_by(CaseEvent.id.desc()).first()
    return (first.hash if first else ""), (last.hash if last else "")


def backups_of_current(directory=None) -> list[BackupInfo]:
    """Backups of the open database (same identity; older backups: same first audit
    event, or same file when empty)."""
    from gkdesk import audit
    from gkdesk.db import current

    genesis, _ = _current_anchor()
    ident = audit.database_id()
    src = str(current().path)
    return [b for b in list_backups(directory) if b.of_database(ident, genesis, src)]


def maybe_daily_backup(reason: str = "start", *, now: dt.datetime | None = None,
                       directory=None) -> BackupInfo | None:
    """The automatic backup the GUI asks for when it starts (``reason="start"``: if this
    database has no backup from today) and when it closes (``"exit"``: if anything was
    recorded since the newest backup), followed by rotation. Returns the new backup or
    None. Does nothing for PostgreSQL or a read-only database."""
    from gkdesk.db import current

    opened = current()
    if opened.backend != "sqlite" or opened.read_only:
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    mine = backups_of_current(directory)
    newest = mine[0] if mine else None
    _, last_hash = _current_anchor()
    if reason == "exit":
        due = newest is None or (newest.manifest.get("audit") or {}).get("last_hash") != last_hash
    else:
        due = newest is None or newest.local_time.date() != now.astimezone().date()
    if not due:
        return None
    info = create_backup(directory, kind="auto", now=now)
    rotate(directory)
    return info


# ------------------------------------------------------------------ restore

def _usable_sqlite(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            ok = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()] == ["ok"]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            return ok and "schema_version" in tables
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def restore(backup: str | os.PathLike | BackupInfo, target: str | os.PathLike | None = None, *,
            actor=None, files_dir: str | os.PathLike | None = None, safety_dir=None,
            progress: Progress = None) -> RestoreResult:
    """Replace the database ``target`` (default: the open one) by the backup's state.

    Order: check the archive → back up the current state (or move a damaged file aside)
    → put the stored files back → write the snapshot into the database in one
    transaction. Afterwards call ``record_restore(result)`` with the database open to
    put the restore in the audit trail (the CLI and the GUI do)."""
    from gkdesk.actors import SYSTEM, require

    require(actor or SYSTEM, "admin", "从备份恢复")
    info = backup if isinstance(backup, BackupInfo) else load_backup(backup)
    if target is None:
        from gkdesk.db import current

        opened = current()
        if opened.backend != "sqlite":
            raise DatabaseError("PostgreSQL 数据库请由服务器管理员用 pg_restore 恢复。")
        target, files_dir = opened.path, files_dir or opened.files_dir
    target = Path(target).absolute()
    files_dir = Path(files_dir) if files_dir else target.parent / f"{target.stem}-files"
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and not os.access(target, os.W_OK):
        raise DatabaseError(f"数据库文件“{target}”没有写入权限，无法恢复。")
    staged = target.with_name(f".{target.name}.restore-{os.getpid()}.tmp")
    staged.unlink(missing_ok=True)
    try:
        problems = verify_backup(info.path, extract_db_to=staged)
        if problems:
            raise DatabaseError(f"备份“{info.path.name}”不能用于恢复：" + "；".join(problems[:5]),
                                ) from None
        if progress:
            progress(1, 4)
        safety = None
        damaged = None
        healthy = _usable_sqlite(target)
        if healthy:
            safety = create_backup(safety_dir, kind="pre-restore", source=target, files_dir=files_dir).path
        elif target.exists():
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            damaged = target.with_name(f"{target.name}.damaged-{stamp}")
            os.replace(target, damaged)
            for suffix in ("-wal", "-shm", "-journal"):
                side = Path(f"{target}{suffix}")
                if side.exists():
                    os.replace(side, Path(f"{damaged}{suffix}"))
        if progress:
            progress(2, 4)
        restored = _restore_files(info.path, files_dir)
        if progress:
            progress(3, 4)
        if healthy:
            src = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
            try:
                dst = sqlite3.connect(str(target), timeout=60)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
            finally:
                src.close()
            staged.unlink(missing_ok=True)
        else:
            with open(staged, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(staged, target)
        if progress:
            progress(4, 4)
    finally:
        staged.unlink(missing_ok=True)
        from gkdesk.db import read_cache

        read_cache.forget()        # a file put in place by rename is another file to watch
    return RestoreResult(target, info, safety, damaged, restored)


def _restore_files(archive: Path, files_dir: Path) -> int:
    """Put every stored file of the archive back (atomically, only where missing or different)."""
    from gkdesk.fileio import atomic_path as _ap

    manifest = read_manifest(archive)
    count = 0
    with zipfile.ZipFile(archive) as zf:
        for name, meta in manifest.get("members", {}).items():
            if not name.startswith("files/"):
                continue
            rel = name[len("files/"):]
            if rel.startswith("/") or ".." in Path(rel).parts or re.match(r"^[A-Za-z]:", rel):
                continue  # never write outside the file store
            dest = files_dir / rel
            if dest.is_file() and dest.stat().st_size == meta.get("size") and sha256_file(dest) == meta["sha256"]:
                continue
            # as private as it was when backed up (the seal: 0600); a backup older than the
            # recorded mode gives owner-only, which never exposes more than the original
            mode = meta.get("mode")
            with _ap(dest, private=not isinstance(mode, int) or not mode & 0o077) as tmp:
                with zf.open(name) as src, open(tmp, "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
            count += 1
    return count


def record_restore(result: RestoreResult, actor=None) -> None:
    """Record the restore in the (restored) open database's audit trail."""
    from gkdesk import audit
    from gkdesk.actors import SYSTEM
    from gkdesk.db import write_transaction

    actor = actor or SYSTEM
    with write_transaction():
        audit.record("restore", user=actor.username,
                     summary=f"从备份恢复（{result.backup.local_time:%Y-%m-%d %H:%M}，{result.backup.case_count} 件案件）",
                     details={"backup": result.backup.path.name,
                              "backup_created_at": result.backup.manifest["created_at"],
                              "safety_backup": str(result.safety_backup or ""),
                              "damaged_copy": str(result.damaged_copy or "")})
