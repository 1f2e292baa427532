"""What the device side of sync works on: an unlocked vault, its store, or a casebook holding both.

Every function of :mod:`linksdesk.sync.client` takes one; a sync of one vault runs one at a
time in this process (the UI's timer and its button).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Protocol

from linksdesk.core.errors import SyncError
from linksdesk.storage.store import Store
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy


class _HasVault(Protocol):
    @property
    def vault(self) -> Vault: ...

    @property
    def store(self) -> Store: ...


Target = Vault | Store | _HasVault


def opened(target: Target) -> tuple[Vault | None, Store]:
    if isinstance(target, Vault):
        return target, target.store(SyncPolicy())
    if isinstance(target, Store):
        return None, target
    vault, store = target.vault, target.store
    return vault, store


# only one sync at a time per vault file in this process (the UI timer and a button)
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@contextlib.contextmanager
def one_at_a_time(store: Store) -> Iterator[None]:
    with _locks_guard:
        lock = _locks.setdefault(store.path or str(id(store.engine)), threading.Lock())
    if not lock.acquire(blocking=False):
        raise SyncError("A sync of this vault is already running. Wait for it to finish.")
    try:
        yield
    finally:
        lock.release()
