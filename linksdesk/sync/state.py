"""The device's sync bookkeeping in the vault (``sync_state`` key/value rows), typed.

Everything here is inside the encrypted vault: the device token, the server address, the
cursor, the pending batch (saved before it is sent) and rows waiting to be completed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from linksdesk.storage.outbox import PENDING_BATCH_KEY
from linksdesk.storage.programme_ids import LEASE_REQUEST_KEY
from linksdesk.storage.purge import PARTIAL_PREFIX as _PARTIAL_PREFIX
from linksdesk.storage.restored import COPIED_KEY, OWN_UNHELD_KEY
from linksdesk.storage.tables import LocalSetting, SyncState
from linksdesk.storage.vacuum import VACUUM_DUE_KEY
from linksdesk.sync.protocol import readable_cursor

SERVER_URL = "server_url"
TOKEN = "token"
WORKER_ID = "worker_id"
TEAM_ID = "team_id"
ROLE = "role"
DEVICE_ID = "device_id"
CURSOR = "cursor"
OWN_THROUGH = "own_through"  # highest server seq of this device's own changes taken as is
# restored from a backup: own changes past the cursor may not be held (storage.restored)
OWN_UNHELD = OWN_UNHELD_KEY
COPIED = COPIED_KEY  # a vault copied by hand to this computer: enrol it again to sync
DATA_EPOCH = "data_epoch"
PENDING_BATCH = PENDING_BATCH_KEY  # storage.outbox.PendingBatch, as JSON
RESYNC = "resync_needed"  # the server's epoch changed: merge everything again
READ_ONLY = "read_only_participants"  # handed to a colleague, kept read-only here
SETTINGS_VERSION = "programme_settings_version"
VERIFY_SKIP = "verify_unrepairable"  # digests a repair could not bring together last time
LAST_VERIFIED = "last_verified"  # {"epoch", "audit_seq", "at"} of the last check that passed
PARTIAL_PREFIX = _PARTIAL_PREFIX  # rows pulled before all their required fields arrived
TOTALS_SEQ = "totals_audit_seq"  # audit log position when monthly totals were last made
TOTALS_MONTH = "totals_month"
TOTALS_DIRTY = "totals_dirty"  # pulled changes may have changed who counts
TOTALS_UNSHARED = "totals_unshared"  # participants the monthly totals counted last time
VACUUM_DUE = VACUUM_DUE_KEY  # a purge committed and no VACUUM has run since (storage.vacuum)
LOCAL_ONLY = "local_only_cases"  # withdrawn elsewhere, this laptop's own work kept here
# the person's other records of a record whose team consent a pull withdrew (same_person):
# record id → the withdrawal's day and method, recorded on them before the next push
SAME_PERSON_WITHDRAWN = "same_person_withdrawn"
HANDED_KEPT = "handed_kept"  # handed away with unsent work kept private: pid → table → ids
ID_LEASE = LEASE_REQUEST_KEY  # {"request_id", "floor"}: saved before asking for ids
HLC_HIGH = "hlc_high"  # (local_setting) highest clock seen, so new edits sort after it


def get(session: Session, key: str, default: Any = None) -> Any:
    return _value(session, SyncState, key, default)


def get_many(session: Session, keys: Iterable[str]) -> dict[str, Any]:
    """The values held for ``keys`` (those not held are left out), in one query."""
    rows = session.execute(select(SyncState.key, SyncState.value).where(SyncState.key.in_(keys)))
    return {str(k): v for k, v in rows if v is not None}


def seq(session: Session, key: str) -> int:
    """A server seq kept under ``key`` (``OWN_THROUGH``); 0 when none is kept, or when what
    is kept is no seq a request may carry (older code wrote one past 2**53-1)."""
    return readable_cursor(get(session, key, 0)) or 0


def put(session: Session, key: str, value: Any) -> None:
    _store(session, SyncState, key, value)


def drop(session: Session, key: str) -> None:
    session.execute(delete(SyncState).where(SyncState.key == key))


def partial_key(table: str, row_id: str) -> str:
    return f"{PARTIAL_PREFIX}{table}:{row_id}"


def partials(session: Session) -> list[tuple[str, dict[str, Any]]]:
    rows = session.execute(
        select(SyncState.key, SyncState.value).where(SyncState.key.startswith(PARTIAL_PREFIX))
    )
    return [(str(k), dict(v)) for k, v in rows]


def local_setting(session: Session, key: str, default: Any = None) -> Any:
    return _value(session, LocalSetting, key, default)


def put_local_setting(session: Session, key: str, value: Any) -> None:
    _store(session, LocalSetting, key, value)


# sync state and local settings are both tables of named JSON values (tables.KeyValue)
_KeyValue = TypeVar("_KeyValue", SyncState, LocalSetting)


def _value(session: Session, table: type[_KeyValue], key: str, default: Any) -> Any:
    value = session.scalar(select(table.value).where(table.key == key))
    return default if value is None else value


def _store(session: Session, table: type[_KeyValue], key: str, value: Any) -> None:
    row = session.get(table, key)
    if row is None:
        session.add(table(key=key, value=value))
    else:
        row.value = value
    session.flush()


def is_enrolled(session: Session) -> bool:
    """Whether this vault syncs as it is (a copy made by hand must be enrolled again)."""
    held = get_many(session, (TOKEN, SERVER_URL, COPIED))
    return bool(held.get(TOKEN)) and bool(held.get(SERVER_URL)) and not held.get(COPIED)
