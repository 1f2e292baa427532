"""Wire protocol between a LinksDesk device and the sync server: JSON models and shared rules.

Both sides import this module (the server may import nothing else from ``linksdesk.sync``
but ``merge`` and ``policy``), so table routing, narrative fields and the verify digest
live here once. All clocks are encoded :class:`linksdesk.core.hlc.HLC` strings, all ids
UUID strings, all times milliseconds since the epoch (UTC).

Endpoints (every one but ``/v1/enrol`` and ``/v1/health`` needs
``Authorization: Bearer <token>``; errors are ``{"detail": "<plain message>"}``):

========================  =======================  =====================
``POST /v1/enrol``        :class:`EnrolRequest`     :class:`EnrolResponse`
``POST /v1/handshake``    :class:`HandshakeRequest` :class:`HandshakeResponse`
``POST /v1/push``         :class:`PushRequest`      :class:`PushResponse`
``POST /v1/pull``         :class:`PullRequest`      :class:`PullResponse`
``POST /v1/verify``       (empty body)              :class:`VerifyResponse`
``GET /v1/health``        -                         ``{"status": "ok"}``
========================  =======================  =====================
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, JsonValue

# The handshake carries it; the server refuses any other with a plain message. Bump it
# whenever device and server would no longer understand each other, the verify digest
# included. 1: first release. 2: a table's digest is the sum of its row hashes mod 2**256
# (``table_digest``), not a sha256 over its sorted rows.
PROTOCOL_VERSION = 2
SCHEMA_VERSION = 1

MAX_BATCH = 250  # changes per push
MAX_PULL_LIMIT = 1000  # changes per pull page
DEFAULT_PULL_LIMIT = 250
MAX_BODY_BYTES = 5 * 1024 * 1024  # larger request bodies get 413

API_PREFIX = "/v1"

# -- tables and routing ---------------------------------------------------------------------
# Must match linksdesk.storage.tables.SYNCABLE_TABLES (a test cross-checks; the server may
# not import storage).
PARTICIPANT_TABLE = "participant"
SYNCABLE_TABLES: tuple[str, ...] = (
    "participant",
    "status_change",
    "consent",
    "referral",
    "concern",
    "contact",
    "note",
    "note_revision",
    "goal",
    "goal_step",
    "relationship",
    "resource",
    "onward_referral",
    "measure",
    "erasure_receipt",
    "monthly_total",
)
# rows that belong to one participant: routed by participant_id, purged by erasure
PARTICIPANT_LINKED_TABLES: tuple[str, ...] = (
    "status_change",
    "consent",
    "referral",
    "concern",
    "contact",
    "note",
    "note_revision",
    "goal",
    "goal_step",
    "relationship",
    "onward_referral",
    "measure",
)
# routed by participant_id like a linked row, but survives erasure (it is the proof of it)
RECEIPT_TABLE = "erasure_receipt"
# shared with the whole team (participant_id is None)
TEAM_TABLES: tuple[str, ...] = ("resource",)
# anonymous aggregates, visible only to the worker who owns them (participant_id is None)
WORKER_TABLES: tuple[str, ...] = ("monthly_total",)

# Rows the server makes and devices pull. A device may push only ``op="delete"`` for a
# conflict row: that is how a resolved conflict is marked (the resolution itself is an
# ordinary change to the row, based on the kept value's clock).
CONFLICT_TABLE = "sync_conflict"
HANDOVER_TABLE = "handover"
SERVER_TABLES: tuple[str, ...] = (CONFLICT_TABLE, HANDOVER_TABLE)

# Columns carried in the Change envelope rather than in ``fields``.
ENVELOPE_COLUMNS: frozenset[str] = frozenset(
    {"id", "hlc", "origin", "deleted", "sharing", "owner", "field_hlc"}
)

ALL_FIELDS = "*"
# Narrative and clinical fields: a concurrent edit is kept as a conflict, never resolved
# silently (ARCHITECTURE.md, sync protocol 8). Everything else is last writer wins.
NARRATIVE_FIELDS: dict[str, frozenset[str]] = {
    "note_revision": frozenset({"body"}),
    "consent": frozenset({ALL_FIELDS}),
    "participant": frozenset({"risk_summary"}),
}


def is_narrative(table: str, field: str) -> bool:
    """Whether a concurrent edit of ``table.field`` must become a kept conflict."""
    names = NARRATIVE_FIELDS.get(table)
    return names is not None and (ALL_FIELDS in names or field in names)


def is_participant_routed(table: str) -> bool:
    """Whether rows of ``table`` reach a device through their participant."""
    return (
        table in (PARTICIPANT_TABLE, RECEIPT_TABLE, CONFLICT_TABLE)
        or table in PARTICIPANT_LINKED_TABLES
    )


# -- common field types ---------------------------------------------------------------------
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
HLC_PATTERN = r"^[0-9]{15}-[0-9]{5}-[A-Za-z0-9_.:-]{1,64}$"

Uuid = Annotated[str, Field(pattern=UUID_PATTERN, min_length=36, max_length=36)]
HlcText = Annotated[str, Field(pattern=HLC_PATTERN, max_length=90)]
TableName = Annotated[str, Field(pattern=r"^[a-z_]{1,32}$")]
FieldName = Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]{0,63}$")]
DeviceName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
# keys of field dicts are column names: say so in the schema too (patternProperties alone
# would allow any other key)
_ONLY_FIELD_NAMES: dict[str, Any] = {"additionalProperties": False}


def _integral(value: Any) -> Any:
    """JSON Schema counts ``2.0`` as an integer; nothing else becomes one (not ``false``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_integral)]
# exact in JSON numbers everywhere (the bounds before the validator, or the JSON schema
# shows them as "ge"/"le" rather than "minimum"/"maximum")
Cursor = Annotated[int, Field(ge=0, le=2**53 - 1), BeforeValidator(_integral)]


class Op(StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"
    ERASE = "erase"  # table "participant", row_id = the participant: purge everything


class ChangeStatus(StrEnum):
    APPLIED = "applied"  # taken as is
    MERGED = "merged"  # taken field by field alongside concurrent edits (some may have lost)
    CONFLICT = "conflict"  # a narrative field was edited concurrently: both versions kept
    REJECTED = "rejected"  # refused; ``reason`` says why in plain words; never retried as is


class Role(StrEnum):
    WORKER = "worker"
    SUPERVISOR = "supervisor"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Request(_Model):
    """What a device sends: wrong types are refused (422), never coerced (``false`` is not
    a cursor, ``0`` is not a yes/no). Enum fields alone take their JSON text values."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# -- the change -----------------------------------------------------------------------------
class Change(_Request):
    """One change to one row, as a device pushes it and as the server hands it on.

    ``fields`` holds only the columns this change sets, already filtered by the device's
    policy (``local`` columns never appear). ``base`` holds, per field, the clock of the
    value the change was based on (absent: the device had no value). ``field_hlc`` is set
    only by the server when a pulled change carries fields written at different clocks
    (a handover snapshot); a field missing from it was written at ``hlc``.

    A delete carries ``fields={}``: the tombstone is the row's ``deleted`` flag at ``hlc``.
    An upsert may set ``fields["deleted"] = False`` to bring a deleted row back; no other
    envelope column may appear in ``fields``. Routing stays in the envelope (``owner``,
    ``participant_id``, ``sharing``) so tombstones and erasures still reach the devices
    that must see them. Values must be finite numbers and text without NUL characters.

    Pulled changes: ``op="delete"`` is a tombstone; ``op="erase"`` (table participant)
    means purge that participant; rows of ``sync_conflict`` and ``handover`` carry
    :class:`ConflictRow` and :class:`HandoverRow` fields.
    """

    change_id: Uuid
    table: TableName
    row_id: Uuid
    op: Op = Field(strict=False)
    hlc: HlcText
    origin: DeviceName  # the device whose clock stamped the change
    owner: Uuid  # the worker who owns the row (for participant rows: the case's worker)
    participant_id: Uuid | None = None  # None for resource and monthly_total rows
    sharing: Literal["team", "private"] = "team"
    # whether the participant consented to sharing with the team; None for rows that
    # belong to no participant. The server refuses participant rows unless it is True and
    # the latest team consent record the server holds (or gets in the same batch) is given.
    participant_shared: bool | None = None
    fields: dict[FieldName, JsonValue] = Field(
        default_factory=dict, max_length=200, json_schema_extra=_ONLY_FIELD_NAMES
    )
    base: dict[FieldName, HlcText] = Field(
        default_factory=dict, max_length=200, json_schema_extra=_ONLY_FIELD_NAMES
    )
    field_hlc: dict[FieldName, HlcText] = Field(
        default_factory=dict, max_length=200, json_schema_extra=_ONLY_FIELD_NAMES
    )

    def clock_of(self, field: str) -> str:
        """The clock at which ``field`` was written by this change."""
        return self.field_hlc.get(field, self.hlc)


class ServerChange(Change):
    """A change as pulled: numbered by the server, in ``server_seq`` order."""

    server_seq: int = Field(ge=1)


class ConflictRow(_Model):
    """The ``fields`` of a ``sync_conflict`` row the server makes for a kept conflict.

    ``kept_*`` is what the row holds now; ``other_*`` is the concurrent edit that did not
    replace it. The row id is the conflict id; its ``participant_id`` routes it.
    """

    table_name: TableName
    row_id: Uuid
    field: FieldName
    participant_id: Uuid | None
    kept_value: JsonValue
    kept_hlc: HlcText
    other_value: JsonValue
    other_hlc: HlcText
    other_origin: DeviceName
    other_change_id: Uuid
    detected_at_ms: int


class HandoverRow(_Model):
    """The ``fields`` of a ``handover`` row: a case moved from one worker to another.

    The old worker's device drops the case (``keep_read_only`` False) or keeps it read-only;
    the new worker's device receives every row of the case after this notice.
    """

    participant_id: Uuid
    from_worker: Uuid
    to_worker: Uuid
    keep_read_only: bool
    at_ms: int


# -- enrolment ------------------------------------------------------------------------------
class EnrolRequest(_Request):
    code: str = Field(min_length=4, max_length=64)
    # the device's own id (the HLC device part), so changes made before enrolment keep it;
    # the server makes one when absent
    device_id: DeviceName | None = None
    # e.g. "work laptop"; no names. Printable text only.
    label: str | None = Field(default=None, max_length=64, pattern=r"^[^\x00-\x1f\x7f]*$")


class EnrolResponse(_Model):
    device_id: str
    token: str  # shown once; the server keeps only its hash
    worker_id: Uuid
    team_id: Uuid
    role: Role
    data_epoch: Uuid


# -- handshake ------------------------------------------------------------------------------
class ProgrammeSettings(_Model):
    appointment_limit: int | None = Field(default=None, ge=1, le=1000)  # None: no limit
    concern_taxonomy: list[Annotated[str, Field(min_length=1, max_length=80)]] = Field(
        default_factory=list, max_length=200
    )
    not_seen_weeks: int = Field(default=6, ge=1, le=104)


class HandshakeRequest(_Request):
    protocol_version: WholeNumber = Field(ge=0, le=1_000_000)
    schema_version: WholeNumber = Field(ge=0, le=1_000_000)
    device_id: DeviceName
    cursor: Cursor | None = None
    data_epoch: Uuid | None = None  # the epoch the cursor belongs to


class HandshakeResponse(_Model):
    protocol_version: int
    schema_version: int
    data_epoch: Uuid
    # True when the device's epoch differs, or its cursor is past the server's head: the
    # server was restored or replaced, so the device must resync by merging from cursor 0
    # (never overwrite either side). A pull from a cursor past the head answers 409.
    epoch_changed: bool
    server_time_ms: int
    cursor_head: int
    worker_id: Uuid
    team_id: Uuid
    role: Role
    settings: ProgrammeSettings
    settings_version: int
    max_batch: int = MAX_BATCH
    max_pull_limit: int = MAX_PULL_LIMIT
    max_drift_ms: int


# -- push -----------------------------------------------------------------------------------
class PushRequest(_Request):
    batch_key: Uuid  # saved in the vault before sending; a retry sends the identical batch
    changes: list[Change] = Field(min_length=1, max_length=MAX_BATCH)


class ChangeResult(_Model):
    change_id: str
    status: ChangeStatus
    reason: str | None = None  # plain words, for "rejected" (and what merged/lost)
    # conflict: the server's kept value(s) and their clocks, by field;
    # merged: the server's value of fields where the pushed value lost
    server_values: dict[str, JsonValue] | None = None
    server_field_hlc: dict[str, str] | None = None
    conflict_ids: list[str] | None = None  # ids of the sync_conflict rows made
    server_seq: int | None = None  # where the change entered the change log, if it did


class PushResponse(_Model):
    batch_key: str
    results: list[ChangeResult]
    replayed: bool = False  # True when this batch_key had been answered before


# -- pull -----------------------------------------------------------------------------------
class PullRequest(_Request):
    cursor: Cursor = 0
    limit: WholeNumber = Field(default=DEFAULT_PULL_LIMIT, ge=1, le=MAX_PULL_LIMIT)


class PullResponse(_Model):
    changes: list[ServerChange]
    next_cursor: int  # store with the applied page, in one local transaction
    has_more: bool
    data_epoch: Uuid
    settings_version: int  # differs from the handshake's: handshake again for settings


# -- verify ---------------------------------------------------------------------------------
class TableDigest(_Model):
    count: int  # rows including tombstones
    digest: str  # see table_digest


class VerifyResponse(_Model):
    cursor_head: int  # the digests are as of this server_seq
    data_epoch: Uuid
    tables: dict[str, TableDigest]  # every table in SYNCABLE_TABLES, even when empty


DIGEST_MODULUS = 2**256


def row_hash(row_id: str, hlc: str, deleted: bool) -> int:
    """One row's share of its table's digest: sha256 of ``row_id, hlc, deleted`` as a number."""
    line = f"{row_id}\t{hlc}\t{int(bool(deleted))}\n"
    return int.from_bytes(hashlib.sha256(line.encode()).digest(), "big")


def digest_text(total: int) -> str:
    """The wire form of a digest sum: 64 hex digits."""
    return f"{total % DIGEST_MODULUS:064x}"


def table_digest(rows: Iterable[tuple[str, str, bool]]) -> TableDigest:
    """Count and sum of :func:`row_hash` over ``(row_id, hlc, deleted)`` rows, mod 2**256.

    The sum does not depend on row order, so the server keeps it up to date a row at a
    time (add a row's hash, subtract its old one) and verify costs the same whatever the
    vault's size; device and server agree when they hold the same rows at the same clocks.

    ``hlc`` is the maximum clock over the row's *synced* fields (its ``field_hlc`` entries
    for columns the policy shares, plus ``deleted`` for a tombstone), so an edit of a
    ``local`` column on the device does not make the digests differ.
    """
    count = total = 0
    for row_id, hlc, deleted in rows:
        count += 1
        total += row_hash(row_id, hlc, deleted)
    return TableDigest(count=count, digest=digest_text(total))


class ErrorBody(_Model):
    detail: str
