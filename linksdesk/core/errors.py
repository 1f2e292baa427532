"""Errors split the way people experience them: their input, their environment, or our bug.

Every message is written for the links worker and never contains names or note text.
"""

from __future__ import annotations

from typing import ClassVar


class LinksDeskError(Exception):
    """Base of every error LinksDesk raises on purpose. ``str()`` is a message for people."""

    # what an error of a kind that always says the same thing says: the arguments it is
    # raised with fill the template's {} (a path, say)
    message: ClassVar[str | None] = None

    def __init__(self, *args: object) -> None:
        super().__init__(*(args if self.message is None else [self.message.format(*args)]))


class UserError(LinksDeskError):
    """Something the person can put right: shown inline or in the status bar."""


class EnvironmentProblem(LinksDeskError):
    """The machine's fault (disk full, read-only, corrupt file): shown plainly and logged."""


class NamesAFile(LinksDeskError):
    """An error about one file or folder, which its message names (the template's {})."""

    def __init__(self, path: str) -> None:
        super().__init__(path)


# -- the vault ------------------------------------------------------------------------------
class WrongPassphraseError(UserError):
    message = "That passphrase does not open this vault. Check it and try again."


class WrongRecoveryKeyError(UserError):
    message = "That recovery key does not open this vault. Check it against the copy you stored."


class KeyFileMissingError(NamesAFile, EnvironmentProblem):
    message = (
        "The key file for this vault is missing ({}). Restore it from your backup; "
        "without it the vault cannot be opened."
    )


class KeyFileDamagedError(NamesAFile, EnvironmentProblem):
    message = (
        "The key file for this vault is damaged ({}). Restore it from your backup, "
        "or ask your administrator for help."
    )


class NotAVaultError(NamesAFile, UserError):
    message = "{} is not a LinksDesk vault. Choose another file."


class VaultExistsError(NamesAFile, UserError):
    message = "There is already a vault at {}. Choose another place or open it."


class VaultFromNewerVersionError(UserError):
    message = (
        "This vault was saved by a newer LinksDesk. Update LinksDesk to open it; "
        "nothing in the vault has been changed."
    )


class VaultCorruptError(EnvironmentProblem):
    def __init__(self, detail: str = "") -> None:
        msg = (
            "The vault file is damaged and cannot be trusted. Restore it from your latest "
            "backup or sync again from the server."
        )
        super().__init__(msg + (f" ({detail})" if detail else ""))


class DiskFullError(EnvironmentProblem):
    message = (
        "The disk is full, so nothing was saved. Free some space and try again; "
        "your last saved work is safe."
    )


class ReadOnlyError(EnvironmentProblem):
    message = (
        "The vault is on a disk that cannot be written to, so nothing was saved. "
        "Move it somewhere writable and try again."
    )


class NotWrittenError(EnvironmentProblem):
    """A file the person asked for (a backup, a bundle, a PDF, a report) could not be written
    where they chose: the message says why in their terms (``core.files.not_written``), and
    nothing half-written was left under the file's name."""


class VaultOnFullDiskError(DiskFullError):
    """Opening a vault on a full disk: SQLite needs a little room beside it to open it."""

    message = (
        "The disk holding the vault is full, and LinksDesk needs a little room on it to open "
        "the vault. Free some space (empty the bin, or move large files elsewhere) and try "
        "again. Nothing in the vault has been changed."
    )


class VaultOnReadOnlyDiskError(ReadOnlyError):
    """Opening a vault whose disk or folder cannot be written to (said at unlock, where
    "nothing was saved" would not be what happened)."""

    message = (
        "The vault is on a disk or memory stick that cannot be written to (some memory "
        "sticks have a lock switch), so LinksDesk cannot open it for work. Unlock the stick, "
        "or copy the vault and its .key file somewhere you can write to, and try again. "
        "Nothing in the vault has been changed."
    )


class VaultLockedError(UserError):
    message = "The vault is locked. Unlock it to carry on."


class WeakPassphraseError(UserError):
    pass


# -- casework -------------------------------------------------------------------------------
class ValidationError(UserError):
    """Input that breaks a rule: the message names the field in the person's terms."""


class MarkedInErrorError(ValidationError):
    """A change to a record marked entered in error (here, on the other laptop, by a sync):
    refused, and told apart so an editor holding unsaved words can say what happened."""


class NotFoundError(UserError):
    pass


class ConflictError(UserError):
    pass


# -- sync -----------------------------------------------------------------------------------
class SyncError(LinksDeskError):
    pass


class SyncAuthError(SyncError, UserError):
    pass


class ServerUnreachableError(SyncError, EnvironmentProblem):
    pass


class VaultNotFoundError(NamesAFile, UserError):
    message = "There is no vault at {}. Choose the vault file or create a new one."


class KeyFileMismatchError(EnvironmentProblem):
    message = (
        "The key file next to this vault belongs to a different vault. Put the vault's own "
        "key file back beside it."
    )


class VaultFolderMissingError(VaultNotFoundError):
    """The vault's folder is gone: most often a memory stick or disk not plugged in."""

    message = (
        "The folder {} is not there, so the vault in it cannot be opened. If the vault is on "
        "a memory stick or another disk, put it in and try again."
    )


class RecoveryKeyTypoError(ValidationError):
    """The text typed is not shaped like a recovery key at all (a typo, not a wrong key)."""


# -- reports --------------------------------------------------------------------------------
class OverlapsEarlierReportError(UserError):
    """An external report would overlap one written before (different, sharing months and
    workers): the person decides whether to write it anyway."""

    message = (
        "An external report for {} was written from {} on {}. This one, for {}, "
        "overlaps it: subtracting one report's figures from the other's can give counts "
        "that both hide. Publish periods that do not overlap (or the very same period and "
        "workers again), or make this report internal. Nothing was written."
    )


class ChangedSinceEarlierReportError(OverlapsEarlierReportError):
    """The very same scope as an external report written before, with different figures
    (records arrived or changed since): asked about like an overlap."""

    message = (
        "An external report for {} was written from {} on {} with different "
        "figures: records have arrived or changed since (or a count up to today has moved "
        "on). Subtracting one version's figures from the other's gives counts of that "
        "difference that both hide. "
        "Keep to the report already published, or make this one internal. Nothing was written."
    )
