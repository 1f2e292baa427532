"""Helpers shared by the casework tests (imported as a top-level module, like server_kit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event, select

from linksdesk.casework import resources
from linksdesk.casework.casebook import Casebook
from linksdesk.storage.tables import Outbox


def outbox(cb: Casebook) -> list[Outbox]:
    """Everything queued for sync, oldest first."""
    with cb.store.read() as s:
        return list(s.scalars(select(Outbox).order_by(Outbox.seq)))


def queued_rows(cb: Casebook) -> set[tuple[str, str]]:
    return {(o.table_name, o.row_id) for o in outbox(cb)}


def demand_plan(cb: Casebook, today: dt.date) -> list[str]:
    """EXPLAIN QUERY PLAN of the statement ``resource_demand`` runs, as run."""
    seen: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if "onward_referral" in statement:
            seen.append((statement, parameters))

    event.listen(cb.vault.engine, "before_cursor_execute", keep)
    try:
        resources.resource_demand(cb, today=today)
    finally:
        event.remove(cb.vault.engine, "before_cursor_execute", keep)
    [(statement, parameters)] = seen
    with cb.store.read() as s:
        return [
            str(row[-1])
            for row in s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        ]
