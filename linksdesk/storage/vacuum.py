"""The VACUUM after a purge: the vault file rewritten so freed pages hold nothing of a
person erased, handed away or withdrawn from this laptop (``secure_delete`` has already
overwritten them; the VACUUM also compacts the file).

It is marked due (``VACUUM_DUE_KEY``) in the very transaction that purges (a local erasure,
a pulled page, a bundle import), so a laptop closed or a process that dies before the VACUUM
still leaves it to do; it runs once that transaction has committed, and after every later
erasure, sync and import while it is due (the vault busy in another window leaves it due),
and at every lock (``at_lock``: a laptop that never syncs again would otherwise keep the
erased pages in free space); the mark is cleared only once a VACUUM has run.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from linksdesk.storage import vault
from linksdesk.storage.store import Store
from linksdesk.storage.tables import SyncState

log = logging.getLogger(__name__)

VACUUM_DUE_KEY = "vacuum_due"  # (sync_state) a purge committed and no VACUUM has run since


def mark_due(s: Session) -> None:
    """In the transaction that purged someone: the file is to be rewritten."""
    s.merge(SyncState(key=VACUUM_DUE_KEY, value=True))


def is_due(s: Session) -> bool:
    return bool(s.scalar(select(SyncState.value).where(SyncState.key == VACUUM_DUE_KEY)))


def vacuum_if_due(store: Store) -> bool:
    """Rewrite the file if a purge has left that due; whether it ran. Whatever happens here,
    what was applied before stands (a VACUUM that cannot run is left due, and logged)."""
    with store.read() as s:
        if not is_due(s):
            return False
    try:
        store.on_writer(lambda: vault.vacuum_file(store.engine, Path(store.path)))
    except Exception as exc:
        log.warning(
            "could not VACUUM the vault after an erasure (%s); will retry", type(exc).__name__
        )
        return False
    store.keep(lambda s: s.execute(delete(SyncState).where(SyncState.key == VACUUM_DUE_KEY)))
    return True


def at_lock(store: Store) -> None:
    """As the vault locks: the VACUUM a purge left due, if any (nobody waits for the vault
    then, and it is rare). Never fails, as locking must not: a VACUUM that cannot run now
    stays due."""
    try:
        vacuum_if_due(store)
    except Exception as exc:
        log.warning("could not look for a VACUUM due at lock (%s)", type(exc).__name__)
