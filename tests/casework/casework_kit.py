"""Helpers shared by the casework tests (imported as a top-level module, like server_kit)."""

from __future__ import annotations

from sqlalchemy import select

from linksdesk.casework.casebook import Casebook
from linksdesk.storage.tables import Outbox


def outbox(cb: Casebook) -> list[Outbox]:
    """Everything queued for sync, oldest first."""
    with cb.store.read() as s:
        return list(s.scalars(select(Outbox).order_by(Outbox.seq)))


def queued_rows(cb: Casebook) -> set[tuple[str, str]]:
    return {(o.table_name, o.row_id) for o in outbox(cb)}
