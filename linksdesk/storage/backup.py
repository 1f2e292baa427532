"""Backups of a vault as one file, and restoring them: still encrypted, never overwriting silently.

A backup is an uncompressed tar (the data is encrypted, so it would not compress) of three
members: ``manifest.json`` (vault id, when, which LinksDesk and schema, the latest change
stamp, SHA-256 of the others), ``vault.key`` (the key file: wrapped keys only, opened by the
passphrase or the recovery key) and ``vault.db`` (a page-by-page copy of the open vault made
with SQLite's online backup, so it is consistent even while the vault is being written, and
encrypted with the vault's own key all the way).

A backup restored on the computer it was made on keeps its identity (a repaired disk, last
week's copy back): it syncs on as the same laptop. Restored on another computer (or naming
none) it becomes a laptop of its own, as a vault copied by hand does
(``restored.take_as_copy``): two laptops must never sync as one device.

Restoring proves the passphrase or recovery key on a staged copy first, then compares with
any vault already at the target: a vault of another identity, a vault that cannot be read,
or a vault with work newer than the backup (a change, or unsaved words kept as a draft
since the backup was made) is refused unless ``replace`` is given. An older copy of the
same vault is replaced, and said so (unless ``replace_older=False``: the window asks
first). Whatever is replaced is never deleted: its files are renamed
``<name>.before-restore-<time>`` beside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from linksdesk.core import files
from linksdesk.core.errors import EnvironmentProblem, LinksDeskError, UserError
from linksdesk.core.hlc import HLC
from linksdesk.storage import keyfile, restored
from linksdesk.storage.engine import (
    DB_ERRORS,
    classify_db_error,
    connect_raw,
    connect_read_only,
    db_errno,
    translated_errors,
)
from linksdesk.storage.tables import SYNCABLE_TABLES
from linksdesk.storage.vault import Vault

log = logging.getLogger(__name__)

FORMAT = "linksdesk-vault-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = "vault.db"
KEY_MEMBER = "vault.key"
MEMBERS = (MANIFEST, KEY_MEMBER, DB_MEMBER)
SUFFIX = ".ldbackup"
WHAT = "The backup"  # what a file that could not be written was, in messages
PAGES_PER_STEP = 512  # 2 MB a step: progress moves, and writers are not held up for long
_MAX_MANIFEST = 64 * 1024
# the private folders a backup or a restore is built in before it takes its place
BACKUP_STAGING, RESTORE_STAGING = ".linksdesk-backup-", ".linksdesk-restore-"
LEFTOVER_AGE_S = 24 * 3600  # one left this long ago was stopped by a crash or power cut

Progress = Callable[[int, int], None]


class BackupError(UserError):
    """A backup file that cannot be used, or a restore that was refused (the reason says why)."""


class NotABackupError(BackupError):
    def __init__(self, path: Path, why: str = "") -> None:
        super().__init__(
            f"{path} is not a LinksDesk backup{f' ({why})' if why else ''}. Choose the file "
            "made by Back up."
        )


class CutShortError(NotABackupError):
    """A backup file whose start is a backup's but whose rest is missing or unreadable."""

    def __init__(self, path: Path) -> None:
        BackupError.__init__(
            self,
            f"{path} is a LinksDesk backup, but it is cut short or damaged: a copy that stopped "
            "before the end, or a USB stick taken out too early. Copy it again from where it "
            "was made, or choose another backup. Nothing was restored.",
        )


def _begins_as_backup(path: Path) -> bool:
    """Whether the file starts as a backup does: a tar whose first member is the manifest
    (after the extended header that names no member)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError:
        return False
    return b"ustar" in head and any(
        head[at:].startswith(MANIFEST.encode() + b"\0") for at in range(0, len(head), 512)
    )


def _unusable(path: Path, why: str = "") -> NotABackupError:
    """The refusal for a file that cannot be read as a whole backup, in true words."""
    return CutShortError(path) if _begins_as_backup(path) else NotABackupError(path, why)


class VaultInTheWayError(BackupError):
    """A vault is already where the backup would go: restoring needs an explicit replace.

    ``why`` says which: "open" (LinksDesk has it open), "other" (another vault), "damaged"
    (it cannot be read), "newer" (work since the backup) or "older" (an older copy of the
    same vault, refused only when asked to be). ``latest_here`` is the time of its latest
    work (UTC), when known; ``target`` is where it is; ``info`` the backup's manifest."""

    HOW_TO = "Add --replace (or confirm in LinksDesk) to replace it; its files are kept beside it."

    def __init__(
        self,
        reason: str,
        *,
        newer: bool = False,
        why: str = "",
        target: Path | None = None,
        latest_here: dt.datetime | None = None,
        info: BackupInfo | None = None,
    ) -> None:
        super().__init__(f"{reason} {self.HOW_TO}")
        self.reason = reason  # without the how-to, for a window that asks instead
        self.newer = newer  # it holds changes newer than the backup
        self.why = why or ("newer" if newer else "")
        self.target = target
        self.latest_here = latest_here
        self.info = info  # the backup's own description


@dataclass(frozen=True)
class BackupInfo:
    """What a backup's manifest says (no personal data: ids, times, sizes)."""

    vault_id: str
    device_id: str
    created_at: str  # ISO 8601, UTC
    app_version: str
    schema: str
    latest_change: str | None  # the highest change stamp in the vault when it was copied
    size: int

    @property
    def made_at(self) -> dt.datetime:
        """When the backup was made (UTC)."""
        return dt.datetime.fromisoformat(self.created_at.replace("Z", "+00:00"))

    def describe(self) -> str:
        when = self.created_at.replace("T", " ")[:16] + " UTC"
        return f"backup of {when} ({self.size // 1024:,} KB, made by LinksDesk {self.app_version})"


@dataclass(frozen=True)
class RestoreResult:
    info: BackupInfo
    vault_path: Path
    replaced: bool  # a vault was there and was replaced
    kept_as: tuple[Path, ...]  # where the replaced vault's files now are
    newer_replaced: bool  # the replaced vault had changes newer than the backup (--replace)
    # the backup was last opened on another computer: the restored vault is a laptop of its
    # own (a new device id and signing key), which syncs once enrolled with a new code
    new_laptop: bool = False


# -- making a backup ----------------------------------------------------------------------
def latest_change(conn: Any) -> str | None:
    """The highest change stamp (HLC) in a vault, through a DB-API connection."""
    stamps = []
    for table in SYNCABLE_TABLES:
        name = table.__table__.name  # type: ignore[attr-defined]
        row = conn.execute(f'SELECT max(hlc) FROM "{name}"').fetchone()  # our own table names
        if row and row[0]:
            stamps.append(str(row[0]))
    return max(stamps, default=None)


def _latest_draft(conn: Any) -> dt.datetime | None:
    """When unsaved words were last kept as a draft in a vault (UTC), if any are."""
    row = conn.execute("SELECT max(updated_at) FROM draft").fetchone()
    if not row or not row[0]:
        return None
    return dt.datetime.fromisoformat(str(row[0])).replace(tzinfo=dt.UTC)


def _hlc_time(stamp: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(HLC.decode(str(stamp)).wall_ms / 1000, dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None  # none, or not a stamp: its time is not known


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def back_up(
    vault: Vault, out: Path, *, progress: Progress | None = None, overwrite: bool = False
) -> BackupInfo:
    """Write a consistent, still-encrypted copy of the open ``vault`` and its key file to ``out``.

    ``out`` is written whole or not at all (a partial file never takes its name). An existing
    file is refused unless ``overwrite`` (a file dialog has already asked). The copy is made
    beside the vault where there is room (else beside ``out``), so a memory stick needs room
    for the backup only, not for a copy of it too.
    """
    out = Path(out)
    if out.exists() and not overwrite:
        raise BackupError(f"There is already a file at {out}. Choose another name.")
    if out.resolve() == vault.path.resolve() or out.resolve() == _key_of(vault.path).resolve():
        raise BackupError("A backup cannot be written over the vault itself. Choose another place.")
    # a memory stick taken out leaves its folder's name behind: the backup must not go to a
    # folder of that name made on the laptop's own disk, where the worker would not look
    files.folder_exists(out, WHAT)
    failed: OSError | None = None
    for place in dict.fromkeys((vault.path.parent, out.parent)):
        try:
            staging, schema, latest = _copied(vault, place, progress)
            break
        except OSError as exc:
            failed = exc
    else:
        assert failed is not None
        raise files.not_written(failed, WHAT, out)
    copy = staging / DB_MEMBER
    try:
        shutil.copyfile(_key_of(vault.path), staging / KEY_MEMBER)
        from linksdesk import __version__

        info = BackupInfo(
            vault_id=keyfile.read_vault_id(_key_of(vault.path)),
            device_id=vault.device_id,
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            app_version=__version__,
            schema=schema,
            latest_change=latest,
            size=copy.stat().st_size,
        )
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            **info.__dict__,
            "sha256": {m: _sha256(staging / m) for m in (KEY_MEMBER, DB_MEMBER)},
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")

        def archive(raw: BinaryIO) -> None:
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                for member in MEMBERS:
                    tar.add(staging / member, arcname=member, recursive=False, filter=_plain_member)

        files.write_whole(out, archive, what=WHAT, replace=overwrite)
    except OSError as exc:
        raise files.not_written(exc, WHAT, out) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("backup written: %d bytes, schema %s", out.stat().st_size, info.schema)
    return info


def _copied(vault: Vault, folder: Path, progress: Progress | None) -> tuple[Path, str, str | None]:
    """A consistent copy of the open vault in a new private folder in ``folder``, keyed as the
    vault is; returns the folder, its schema and its latest change stamp. The disk's faults
    are OSErrors (and the folder is gone again); a damaged vault is said as such."""
    key = vault._require_key()  # the data key, to key the copy exactly as the vault
    with vault.path.open("rb") as fh:
        salt = fh.read(16)  # the copy keeps the vault's header salt (it names the key file)
    _clear_leftovers(folder)
    staging = Path(tempfile.mkdtemp(prefix=BACKUP_STAGING, dir=folder))
    try:
        src = connect_raw(vault.path, key)
        try:
            dst = connect_raw(staging / DB_MEMBER, key, salt=salt)
            try:

                def step(_status: int, remaining: int, total: int) -> None:
                    if progress is not None:
                        progress(total - remaining, total)

                src.backup(dst, pages=PAGES_PER_STEP, progress=step)
                check = [r[0] for r in dst.execute("PRAGMA quick_check")]
                if check != ["ok"]:
                    raise EnvironmentProblem(
                        "The copy of the vault did not check out, so no backup was made. "
                        "Run `linksdesk check` on the vault."
                    )
                schema = str(dst.execute("SELECT version_num FROM alembic_version").fetchone()[0])
                latest = latest_change(dst)
                dst.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
            finally:
                dst.close()
        finally:
            src.close()
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        code = db_errno(exc) if isinstance(exc, DB_ERRORS) else None
        if code is not None:  # the copy's disk is full, read-only or gone
            raise OSError(code, os.strerror(code)) from None
        mapped = classify_db_error(exc, vault.path) if isinstance(exc, DB_ERRORS) else exc
        if mapped is exc:
            raise
        raise mapped from exc
    return staging, schema, latest


def _clear_leftovers(folder: Path) -> None:
    """Take away the copies a backup or restore stopped by a power cut left in ``folder``
    (hidden folders of LinksDesk's own making, never the worker's files): each holds a whole
    copy of a vault, and would fill the disk. One made in the last day is left alone, as it
    may be another LinksDesk's at work."""
    try:
        found = [
            p for p in folder.iterdir() if p.name.startswith((BACKUP_STAGING, RESTORE_STAGING))
        ]
    except OSError:
        return
    now = dt.datetime.now(dt.UTC).timestamp()
    for path in found:
        with contextlib.suppress(OSError):
            if (
                path.is_dir()
                and not path.is_symlink()
                and now - path.stat().st_mtime > LEFTOVER_AGE_S
            ):
                shutil.rmtree(path)
                log.info("a backup's copy left by an earlier crash was taken away")


def _plain_member(info: tarfile.TarInfo) -> tarfile.TarInfo:
    # no owner names or times of this machine in the archive
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def _key_of(vault_path: Path) -> Path:
    return keyfile.keyfile_path(vault_path)


# -- reading a backup -----------------------------------------------------------------------
def read_backup(path: Path) -> BackupInfo:
    """The manifest of a backup file; refuses anything that is not one."""
    path = Path(path)
    with _open_tar(path) as tar:
        return _manifest(path, tar)[0]


@contextlib.contextmanager
def _open_tar(path: Path) -> Any:
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    try:
        tar = tarfile.open(path, mode="r:")  # noqa: SIM115 (closed below, after the yield)
    except (tarfile.TarError, OSError):
        raise _unusable(path) from None
    try:
        yield tar
    finally:
        tar.close()


def _manifest(path: Path, tar: tarfile.TarFile) -> tuple[BackupInfo, dict[str, str]]:
    try:
        members = {m.name: m for m in tar.getmembers()}
    except (tarfile.TarError, OSError):
        raise _unusable(path, "it is damaged") from None
    if set(members) != set(MEMBERS) or not all(m.isfile() for m in members.values()):
        raise _unusable(path)
    if members[MANIFEST].size > _MAX_MANIFEST:
        raise NotABackupError(path)
    fh = tar.extractfile(members[MANIFEST])
    assert fh is not None
    try:
        doc = json.loads(fh.read().decode("utf-8"))
        if doc.get("format") != FORMAT:
            raise ValueError("format")
        if int(doc["format_version"]) > FORMAT_VERSION:
            raise BackupError(
                f"{path} was made by a newer LinksDesk. Update LinksDesk to restore it."
            )
        info = BackupInfo(
            vault_id=str(doc["vault_id"]),
            device_id=str(doc.get("device_id", "")),
            created_at=str(doc["created_at"]),
            app_version=str(doc["app_version"]),
            schema=str(doc["schema"]),
            latest_change=None if doc.get("latest_change") is None else str(doc["latest_change"]),
            size=int(doc["size"]),
        )
        sums = {
            KEY_MEMBER: str(doc["sha256"][KEY_MEMBER]),
            DB_MEMBER: str(doc["sha256"][DB_MEMBER]),
        }
    except BackupError:
        raise
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise NotABackupError(path, "its description is unreadable") from None
    return info, sums


def _extract(path: Path, tar: tarfile.TarFile, member: str, dest: Path, expected: str) -> None:
    source = tar.extractfile(member)
    if source is None:
        raise NotABackupError(path)
    digest = hashlib.sha256()
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            out.write(block)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != expected:
        raise BackupError(
            f"The backup file {path} is damaged (its {member} does not match its checksum). "
            "Use another backup."
        )


def _staging(folder: Path, prefix: str, problem: str) -> Path:
    """A new private folder inside ``folder`` (made if need be) to build a file in before it
    takes its place; ``problem`` says, with ``{folder}`` and ``{reason}``, why there is none."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _clear_leftovers(folder)
        return Path(tempfile.mkdtemp(prefix=prefix, dir=folder))
    except OSError as exc:
        raise EnvironmentProblem(problem.format(folder=folder, reason=exc.strerror)) from None


# -- restoring ------------------------------------------------------------------------------
def restore(
    backup_file: Path,
    vault_path: Path,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
    new_passphrase: str | None = None,
    replace: bool = False,
    replace_older: bool = True,
    progress: Progress | None = None,
) -> RestoreResult:
    """Restore ``backup_file`` to ``vault_path`` with its passphrase or its recovery key.

    With the recovery key, ``new_passphrase`` becomes the restored vault's passphrase. The
    restored vault is migrated to this LinksDesk's schema before it takes the target's place.
    """
    backup_file, vault_path = Path(backup_file), Path(vault_path)
    if (passphrase is None) == (recovery_key is None):
        raise BackupError("Give either the passphrase or the recovery key of the backup.")
    if recovery_key is not None and not new_passphrase:
        raise BackupError("Restoring with the recovery key needs a new passphrase for the vault.")
    staging = _staging(
        vault_path.parent,
        RESTORE_STAGING,
        "Nothing was restored: {folder} cannot be written to ({reason}).",
    )
    try:
        staged = staging / vault_path.name
        with _open_tar(backup_file) as tar:
            info, sums = _manifest(backup_file, tar)
            if progress is not None:
                progress(0, 3)
            _extract(backup_file, tar, KEY_MEMBER, _key_of(staged), sums[KEY_MEMBER])
            _extract(backup_file, tar, DB_MEMBER, staged, sums[DB_MEMBER])
        if progress is not None:
            progress(1, 3)
        # prove the secret on the staged copy, and bring it to this LinksDesk's schema
        if recovery_key is not None:
            assert new_passphrase is not None
            opened = Vault.recover(staged, recovery_key, new_passphrase, restoring=True)
        else:
            assert passphrase is not None
            opened = Vault.unlock(staged, passphrase, restoring=True)
        try:
            key = opened._require_key()
            retired = 0
            new_laptop = opened.taken_as_copy
            if not new_laptop:  # a copy from another computer gave it all up
                with opened.store().bookkeeping() as s:
                    retired = restored.give_up_after_restore(s)
        finally:
            opened.lock()
        if retired:
            log.info("restored vault: %d leased programme ids given up", retired)
        if progress is not None:
            progress(2, 3)
        kept: tuple[Path, ...] = ()
        newer = False
        existing = [p for p in _vault_files(vault_path) if p.exists()]
        if existing:
            newer = _refuse_unless_replaced(vault_path, info, key, replace, replace_older)
        moved: list[tuple[Path, Path]] = []
        try:
            kept = _move_aside(existing, moved)
            os.replace(_key_of(staged), _key_of(vault_path))
            for side in ("-wal", "-shm"):  # normally gone once the staged copy was closed
                if Path(f"{staged}{side}").exists():
                    os.replace(f"{staged}{side}", f"{vault_path}{side}")
            os.replace(staged, vault_path)
        except OSError:
            # the disk went away or failed between renames: what was set aside goes back
            for original, aside in reversed(moved):
                with contextlib.suppress(OSError):
                    os.replace(aside, original)
            raise
        files.fsync_folder(vault_path.parent)
        if progress is not None:
            progress(3, 3)
    except OSError as exc:
        raise files.not_written(
            exc, "The restored vault", vault_path, then="Nothing was replaced."
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("backup restored (schema %s); replaced a vault: %s", info.schema, bool(existing))
    return RestoreResult(info, vault_path, bool(existing), kept, newer, new_laptop)


def _vault_files(path: Path) -> list[Path]:
    return [path, _key_of(path), Path(f"{path}-wal"), Path(f"{path}-shm")]


def _refuse_unless_replaced(
    target: Path, info: BackupInfo, key: bytes, replace: bool, replace_older: bool = True
) -> bool:
    """Whether the vault at ``target`` is newer than the backup; raises unless ``replace``
    (an older copy of the same vault too, when not ``replace_older``)."""
    where = f"There is already a vault at {target}"
    if any(Path(f"{target}{side}").exists() for side in ("-wal", "-shm")) and not replace:
        # a vault open in LinksDesk keeps these beside it (so does one it stopped without
        # closing): replacing it under a running LinksDesk would send its next saves astray
        raise VaultInTheWayError(
            f"{where} and it looks open in LinksDesk (or LinksDesk stopped without closing "
            f"it). Close LinksDesk and try again.",
            why="open",
            target=target,
        )
    try:
        other_id = keyfile.read_vault_id(_key_of(target))
    except LinksDeskError:
        other_id = None
    if other_id != info.vault_id:
        if replace:
            return False
        raise VaultInTheWayError(
            f"{where}, and it is not the vault this backup was made from.",
            why="other",
            target=target,
        )
    try:
        with translated_errors(target):
            conn = connect_read_only(target, key)
            try:
                current = latest_change(conn)
                drafted = _latest_draft(conn)
            finally:
                conn.close()
    except (LinksDeskError, *DB_ERRORS, ValueError):  # type: ignore[misc]
        if replace:
            return False
        raise VaultInTheWayError(
            f"{where} and it cannot be read (it may be damaged).", why="damaged", target=target
        ) from None
    changed = current is not None and (info.latest_change is None or current > info.latest_change)
    # unsaved words kept since the backup are work too, though no change stamp says so
    kept_since = drafted is not None and drafted > info.made_at
    newer = changed or kept_since
    latest = max(
        (t for t in (_hlc_time(current), drafted) if t is not None),
        default=None,
    )
    if newer and not replace:
        raise VaultInTheWayError(
            f"{where} with changes newer than this backup ({info.describe()}); restoring "
            f"would set them aside.",
            newer=True,
            target=target,
            latest_here=latest,
            info=info,
        )
    if not newer and not replace and not replace_older:
        raise VaultInTheWayError(
            f"{where}: an older copy of this vault, with nothing newer than this backup "
            f"({info.describe()}).",
            why="older",
            target=target,
            latest_here=latest,
            info=info,
        )
    return newer


def _move_aside(files: list[Path], moved: list[tuple[Path, Path]]) -> tuple[Path, ...]:
    """Rename ``files`` to ``<name>.before-restore-<time>`` beside them; ``moved`` gets each
    (original, new name) as it is done, to put back if a later step fails."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for path in files:
        aside = path.with_name(f"{path.name}.before-restore-{stamp}")
        os.replace(path, aside)
        moved.append((path, aside))
    return tuple(aside for _path, aside in moved)
