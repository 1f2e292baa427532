"""The change log devices pull: a change as logged (sealed under its participant's key)."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from linksdesk.core.vocab import Sharing
from linksdesk.server.db import Counter, now_ms
from linksdesk.server.models import ChangeLog
from linksdesk.server.sealing import keyring_of, routes_content
from linksdesk.sync.merge import DELETED
from linksdesk.sync.protocol import RECEIPT_TABLE, Change, Op


class StoredRow(Protocol):
    """A record as the server holds it (the ORM's :class:`Record` or the push's own row)."""

    table_name: str
    row_id: str
    owner: str
    participant_id: str | None
    hlc: str
    origin: str
    fields: dict[str, Any]
    field_hlc: dict[str, Any]


def log_entry(
    s: Session,
    change: Change,
    team_id: str,
    *,
    extra_worker: str | None = None,
    clear: bool = False,
    at_ms: int | None = None,
) -> dict[str, Any]:
    """The change-log row for ``change`` as a dict of its columns, ``server_seq`` left to
    the caller (a push seals its entries before it takes the counter and numbers them).

    A participant's content is sealed under their key (``clear``: a notice kept on purpose
    after the key is destroyed, such as a withdrawal's consent decision). The payload is
    the change a device pulls; pull adds the ``server_seq`` column to it.
    """
    pid = change.participant_id
    payload: dict[str, Any]
    if (
        pid is not None
        and not clear
        and change.op is not Op.ERASE
        and routes_content(change.table, pid)
    ):
        # sealed from the model's own JSON text: what a pull hands on as logged
        payload = keyring_of(s).seal_text(s, pid, team_id, change.model_dump_json().encode())
    else:
        payload = change.model_dump(mode="json")
    return {
        "server_seq": None,
        "change_id": change.change_id,
        "table_name": change.table,
        "row_id": change.row_id,
        "team_id": team_id,
        "owner": change.owner,
        "participant_id": pid,
        "extra_worker": extra_worker,
        "payload": payload,
        "created_ms": now_ms() if at_ms is None else at_ms,
    }


def logged_writes(s: Session, table: str, row_id: str, pid: str | None) -> set[tuple[str, str]]:
    """Each ``(field, clock)`` the change log holds a write of for a participant's row: what
    the server took of it, and so held before its current values (nothing of a participant
    whose key was destroyed, nor of a row of no participant: the caller then assumes none)."""
    if pid is None:
        return set()
    query = select(ChangeLog.payload).where(
        ChangeLog.participant_id == pid,  # indexed; a participant's entries are few
        ChangeLog.table_name == table,
        ChangeLog.row_id == row_id,
    )
    ring = keyring_of(s)
    found: set[tuple[str, str]] = set()
    for payload in s.scalars(query):
        opened = ring.open(s, payload)
        if isinstance(opened, dict):
            change = Change.model_validate(opened)
            found.update((name, change.clock_of(name)) for name in change.fields)
    return found


def log_change(
    s: Session,
    counter: Counter,
    change: Change,
    team_id: str,
    *,
    extra_worker: str | None = None,
    clear: bool = False,
) -> int:
    """Number ``change`` now and append it to the change log (an admin's one-off write,
    made holding the counter; a push numbers its whole batch at the end instead)."""
    entry = log_entry(s, change, team_id, extra_worker=extra_worker, clear=clear)
    seq = entry["server_seq"] = counter.next()
    s.add(ChangeLog(**entry))
    return seq


def record_as_change(rec: StoredRow, change_id: str) -> Change:
    """A stored row as one change carrying every field at its own clock (a snapshot)."""
    fields = dict(rec.fields)
    deleted = bool(fields.pop(DELETED, False))
    field_hlc = {k: v for k, v in rec.field_hlc.items() if k in fields and v != rec.hlc}
    return Change(
        change_id=change_id,
        table=rec.table_name,
        row_id=rec.row_id,
        op=Op.DELETE if deleted else Op.UPSERT,
        hlc=rec.hlc,
        origin=rec.origin,
        owner=rec.owner,
        participant_id=rec.participant_id,
        sharing=Sharing.TEAM.value,
        participant_shared=True if rec.participant_id and rec.table_name != RECEIPT_TABLE else None,
        fields={} if deleted else fields,
        field_hlc=field_hlc,
    )
