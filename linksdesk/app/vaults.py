"""Where a verb's vault is, and the one way a verb opens it (and always locks it again)."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

import platformdirs

from linksdesk import APP_NAME
from linksdesk.app.passphrase import read_passphrase

if TYPE_CHECKING:
    from linksdesk.casework.casebook import Casebook
    from linksdesk.storage.vault import Vault


def default_vault_path() -> Path:
    from linksdesk.storage.vault import default_vault_path as storage_default

    return storage_default()


def default_demo_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "demo.vault"


def vault_files(path: Path) -> list[Path]:
    """The vault, its key file and SQLite's two companions: every file that makes it up."""
    from linksdesk.storage.keyfile import keyfile_path

    return [path, keyfile_path(path), Path(f"{path}-wal"), Path(f"{path}-shm")]


def vault_exists(path: Path) -> bool:
    """Whether a vault (or the key file of one) is already at ``path``."""
    return any(p.exists() for p in vault_files(path)[:2])


class _Lockable(Protocol):
    def lock(self) -> None: ...


L = TypeVar("L", bound=_Lockable)


@contextlib.contextmanager
def _locked_after(opened: L) -> Iterator[L]:
    """``opened``, locked again however the verb ends."""
    try:
        yield opened
    finally:
        opened.lock()


def unlocked(path: Path, passphrase: str) -> contextlib.AbstractContextManager[Casebook]:
    """The casebook of the vault at ``path``."""
    from linksdesk.casework.casebook import Casebook

    return _locked_after(Casebook.unlock(path, passphrase))


def casebook(args: argparse.Namespace) -> contextlib.AbstractContextManager[Casebook]:
    """The vault named by ``--vault``, opened with the passphrase the person gives."""
    return unlocked(args.vault, read_passphrase(args))


def looked_into(path: Path, passphrase: str) -> contextlib.AbstractContextManager[Vault]:
    """The storage vault alone, for a look that writes nothing (no unlock or lock events)."""
    from linksdesk.storage.vault import Vault

    return _locked_after(Vault.unlock(path, passphrase))
