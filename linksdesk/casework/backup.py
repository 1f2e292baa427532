"""Backing up the open vault, restoring a backup, and what a new laptop would not bring down."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import AuditAction
from linksdesk.storage import backup as storage_backup
from linksdesk.storage.backup import (
    BackupError,
    BackupInfo,
    NotABackupError,
    Progress,
    RestoreResult,
    VaultInTheWayError,
)
from linksdesk.storage.store import shared_participants
from linksdesk.storage.tables import TABLE_BY_NAME, NoteRevision, Participant
from linksdesk.sync import state
from linksdesk.sync.protocol import SYNCABLE_TABLES

__all__ = [
    "BackupError",
    "BackupInfo",
    "LocalOnly",
    "NotABackupError",
    "RestoreResult",
    "VaultInTheWayError",
    "back_up",
    "local_only",
    "read_backup",
    "restore_backup",
]

SUFFIX = storage_backup.SUFFIX


def back_up(
    cb: Casebook, out: Path | str, *, progress: Progress | None = None, overwrite: bool = False
) -> BackupInfo:
    """A consistent, encrypted copy of the open vault and its key file, as one file."""
    info = storage_backup.back_up(cb.vault, Path(out), progress=progress, overwrite=overwrite)
    cb._audit(AuditAction.EXPORT, "vault_backup")
    return info


def read_backup(path: Path | str) -> BackupInfo:
    return storage_backup.read_backup(Path(path))


# restoring needs no open vault: the use case is storage's own (the vault must not be open;
# refusals say why and change nothing)
restore_backup = storage_backup.restore


@dataclass(frozen=True)
class LocalOnly:
    """What exists only on this laptop: a new laptop's enrol and sync would not bring it."""

    enrolled: bool
    private_records: int  # records marked private (never sent to the server)
    unshared_participants: int  # participants who have not agreed to share with the team
    waiting_changes: int  # changes not yet sent
    device_id: str = ""  # this laptop's device id on the server, when enrolled (to revoke it)

    @property
    def anything(self) -> bool:
        return bool(
            self.private_records
            or self.unshared_participants
            or self.waiting_changes
            or not self.enrolled
        )


# rows that are parts of a record, not records of their own to the worker: a private case
# note is one record however many versions it has
_PARTS = frozenset({NoteRevision.__tablename__})


def local_only(cb: Casebook) -> LocalOnly:
    """Counts (never content) of what would stay behind on this laptop."""
    from linksdesk.storage.tables import Outbox

    with cb.store.read() as s:
        private = 0
        for table in SYNCABLE_TABLES:
            if table in _PARTS:
                continue
            cls = TABLE_BY_NAME[table]
            column = getattr(cls, "sharing", None)
            if column is None:
                continue
            private += int(
                s.scalar(select(func.count()).select_from(cls).where(column == "private")) or 0
            )
        everyone = set(s.scalars(select(Participant.id).where(Participant.deleted.is_(False))))
        unshared = len(everyone - shared_participants(s, everyone))
        waiting = int(s.scalar(select(func.count()).select_from(Outbox)) or 0)
        enrolled = state.is_enrolled(s)
    return LocalOnly(enrolled, private, unshared, waiting, cb.device_id if enrolled else "")
