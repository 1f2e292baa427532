"""The VACUUM after a purge: the vault file rewritten so freed pages hold nothing of a
person erased, handed away or withdrawn from this laptop (``secure_delete`` has already
overwritten them; the VACUUM also compacts the file).

It is marked due (``state.VACUUM_DUE``) in the very transaction that purges, a pulled
page's or a bundle import's, so a laptop closed or a process that dies before the VACUUM
still leaves it to do; it runs once that transaction has committed, and after every later
sync and import while it is due (the vault busy in another window leaves it due), and the
mark is cleared only once a VACUUM has run.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.orm import Session

from linksdesk.storage import vault
from linksdesk.storage.store import Store
from linksdesk.sync import state
from linksdesk.sync.page import PURGED, PageOutcome

log = logging.getLogger(__name__)


def mark_due(s: Session) -> None:
    """In the transaction that purged someone: the file is to be rewritten."""
    state.put(s, state.VACUUM_DUE, True)


def mark_due_after(s: Session, outcome: PageOutcome) -> None:
    """In the transaction that applied ``outcome``: mark it due if anyone was purged."""
    if outcome.touched.get(PURGED):
        mark_due(s)


def vacuum_if_due(store: Store) -> bool:
    """Rewrite the file if a purge has left that due; whether it ran. Whatever happens here,
    what was applied before stands (a VACUUM that cannot run is left due, and logged)."""
    with store.read() as s:
        if not state.get(s, state.VACUUM_DUE, False):
            return False
    try:
        store.on_writer(lambda: vault.vacuum_file(store.engine, Path(store.path)))
    except Exception as exc:
        log.warning(
            "could not VACUUM the vault after an erasure (%s); will retry", type(exc).__name__
        )
        return False
    store.keep(lambda s: state.drop(s, state.VACUUM_DUE))
    return True
