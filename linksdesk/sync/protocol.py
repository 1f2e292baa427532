"""Wire protocol between a LinksDesk device and the sync server: JSON models and shared rules.

Both sides import this module (the server may import nothing else from ``linksdesk.sync``
but ``merge`` and ``policy``), so the wire models and the verify digest live here once;
table routing and narrative fields come from the table registry (``core.registry``). All
clocks are encoded :class:`linksdesk.core.hlc.HLC` strings, all ids UUID strings, all times
milliseconds since the epoch (UTC).

Endpoints (every one but ``/v1/enrol``, ``/v1/enrol/preview`` and ``/v1/health`` needs
``Authorization: Bearer <token>``; errors are ``{"detail": "<plain message>"}``):

==========================  ============================  =============================
``POST /v1/enrol``          :class:`EnrolRequest`         :class:`EnrolResponse`
``POST /v1/enrol/preview``  :class:`EnrolPreviewRequest`  :class:`EnrolPreviewResponse`
``POST /v1/handshake``      :class:`HandshakeRequest`     :class:`HandshakeResponse`
``POST /v1/push``           :class:`PushRequest`          :class:`PushResponse`
``POST /v1/pull``           :class:`PullRequest`          :class:`PullResponse`
``POST /v1/verify``         (empty body)                  :class:`VerifyResponse`
``GET /v1/health``          -                             ``{"status": "ok"}``
==========================  ============================  =============================
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_serializer,
    field_validator,
)

from linksdesk.core import registry
from linksdesk.core.changes import ERASE_OP
from linksdesk.core.settings import BOUNDS as settings_bounds
from linksdesk.core.settings import CONCERN_LENGTH

# The handshake carries it; the server refuses any other with a plain message. Bump it
# whenever device and server would no longer understand each other, the verify digest
# included. 1: first release. 2: a table's digest is the sum of its row hashes mod 2**256
# (``table_digest``), not a sha256 over its sorted rows. 3: per-field clocks travel in
# the compact wire form (``compact_clocks``).
PROTOCOL_VERSION = 3
# The tables' columns (core/registry.toml). The server refuses an older one too: a laptop
# without a column would drop it from what it pulls, count what the others no longer count
# and never match the server's digests. 1: first release. 2: a contact's entered-in-error
# mark and reason (``vocab.IN_ERROR_COLUMN``). 3: the same mark on a case note, a referral
# in and a goal; an onward referral's suggested day, its made day empty until it is made
# (``core.onward``); a participant record merged into another of the same person
# (``merged_into_id``, ``merged_on``). 4: the same mark on an onward referral (a laptop
# without it would go on printing one marked elsewhere in the person's GP summary). 5: the
# same mark on a concern (a laptop without it would go on counting "Debt" added to the
# wrong participant elsewhere).
SCHEMA_VERSION = 5

MAX_BATCH = 1000  # changes per push (a first sync of 100,000 records: 100 requests)
MAX_PULL_LIMIT = 5000  # changes per pull page
DEFAULT_PULL_LIMIT = 250
MAX_BODY_BYTES = 5 * 1024 * 1024  # larger request bodies get 413 (once opened, if gzipped)
# The largest answer a device reads (opened, if gzipped); it stops reading at that. A pull
# page holds at most its limit of changes, each one the server took in a request body of
# at most MAX_BODY_BYTES: a page over this size is asked for again in halves (one change
# always fits), and anything else this large is a broken or hostile server's.
MAX_ANSWER_BYTES = 64 * 1024 * 1024
# bodies this large may be gzipped (``Content-Encoding: gzip``) both ways, except on 127.0.0.1
GZIP_MIN_BYTES = 16 * 1024

API_PREFIX = "/v1"

# -- tables and routing ---------------------------------------------------------------------
# Declared once in the table registry (stdlib only, so the server may import it); the
# names are kept here because both sides already read them from this module.
PARTICIPANT_TABLE = registry.PARTICIPANT_TABLE
SYNCABLE_TABLES: tuple[str, ...] = registry.SYNCABLE_TABLES
# rows that belong to one participant: routed by participant_id, purged by erasure
PARTICIPANT_LINKED_TABLES: tuple[str, ...] = registry.PARTICIPANT_LINKED_TABLES
# routed by participant_id like a linked row, but survives erasure (it is the proof of it)
RECEIPT_TABLE = registry.RECEIPT_TABLE
# shared with the whole team (participant_id is None)
TEAM_TABLES: tuple[str, ...] = registry.TEAM_TABLES
# anonymous aggregates, visible only to the worker who owns them (participant_id is None)
WORKER_TABLES: tuple[str, ...] = registry.WORKER_TABLES

# Rows the server makes and devices pull. A device may push only ``op="delete"`` for a
# conflict row: that is how a resolved conflict is marked (the resolution itself is an
# ordinary change to the row, based on the kept value's clock).
CONFLICT_TABLE = "sync_conflict"
HANDOVER_TABLE = "handover"

# Columns carried in the Change envelope rather than in ``fields``.
ENVELOPE_COLUMNS: frozenset[str] = registry.ENVELOPE_COLUMNS

ALL_FIELDS = registry.ALL_FIELDS
# Narrative and clinical fields: a concurrent edit is kept as a conflict, never resolved
# silently (docs/architecture.md, sync protocol 7). Everything else is last writer wins.
NARRATIVE_FIELDS: Mapping[str, frozenset[str]] = registry.NARRATIVE_FIELDS
is_narrative = registry.is_narrative


def is_participant_routed(table: str) -> bool:
    """Whether rows of ``table`` reach a device through their participant."""
    return table == CONFLICT_TABLE or (
        table in registry.BY_NAME
        and registry.BY_NAME[table].routing
        in (registry.Routing.PARTICIPANT, registry.Routing.LINKED, registry.Routing.RECEIPT)
    )


# -- common field types ---------------------------------------------------------------------
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
HLC_PATTERN = r"^[0-9]{15}-[0-9]{5}-[A-Za-z0-9_.:-]{1,64}$"
FIELD_NAME_PATTERN = r"^[a-z_][a-z0-9_]{0,63}$"

Uuid = Annotated[str, Field(pattern=UUID_PATTERN, min_length=36, max_length=36)]
HlcText = Annotated[str, Field(pattern=HLC_PATTERN, max_length=90)]
TableName = Annotated[str, Field(pattern=r"^[a-z_]{1,32}$")]
FieldName = Annotated[str, Field(pattern=FIELD_NAME_PATTERN)]
DeviceName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
# keys of field dicts are column names: say so in the schema too (patternProperties alone
# would allow any other key)
_ONLY_FIELD_NAMES: dict[str, Any] = {"additionalProperties": False}
# a minisign public key line (base64 of "Ed", key id, key) and a 256-bit key in hex
SigningKeyLine = Annotated[str, Field(pattern=r"^RW[A-Za-z0-9+/]{54}$")]
ProgrammeKey = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


# -- per-field clocks on the wire (protocol 3) ----------------------------------------------
# In memory, ``Change.base`` and ``Change.field_hlc`` map each field to a full clock (about
# 58 characters with a device id), and every caller keeps using them so. On the wire (JSON)
# each map is grouped by clock, and each clock is written relative to its change's ``hlc``:
# ``{"<offset>": ["field", ...]}``, the offset being ``<ms from hlc>[.<counter>][/<device>]``
# with the counter left out when 0 and the device when it is the hlc's own. A row written at
# one moment by one laptop so carries one short key for all of its fields. Reading also
# takes the in-memory form, as protocol 2 sent it and the server's change log, stored
# push answers and older bundles hold it.
MAX_FIELDS = 200  # fields one change may carry (and clocks in each map)
CLOCK_OFFSET_PATTERN = (
    r"^(-?(?:0|[1-9][0-9]{0,14}))(?:\.([1-9][0-9]{0,4}))?(?:/([A-Za-z0-9_.:-]{1,64}))?$"
)
_OFFSET = re.compile(CLOCK_OFFSET_PATTERN)
_WALL_LIMIT = 10**15  # an HLC's wall part has 15 digits


def compact_clocks(clocks: Mapping[str, str], hlc: str) -> dict[str, list[str]]:
    """``{field: clock}`` in the wire form: ``{offset from hlc: [fields at that clock]}``.

    Both ``hlc`` and the clocks are valid HLC text (fixed widths: wall, counter, device).
    """
    if not clocks:
        return {}
    by_clock: dict[str, list[str]] = {}
    for name, clock in clocks.items():
        if clock in by_clock:
            by_clock[clock].append(name)
        else:
            by_clock[clock] = [name]
    wall, device = int(hlc[:15]), hlc[22:]
    out: dict[str, list[str]] = {}
    for clock, names in by_clock.items():
        key = str(int(clock[:15]) - wall)
        if clock[16:21] != "00000":
            key = f"{key}.{int(clock[16:21])}"
        if clock[22:] != device:
            key = f"{key}/{clock[22:]}"
        out[key] = names
    return out


def expand_clocks(groups: Mapping[str, Any], hlc: str) -> dict[str, str]:
    """The wire form of :func:`compact_clocks` back as ``{field: clock}``; ValueError in
    plain words (never quoting the request) when a group cannot be read. Field names are
    checked by the caller's type (``FieldClocks``)."""
    if len(groups) > MAX_FIELDS:
        raise ValueError(f"holds more than {MAX_FIELDS} clock groups")
    wall, device = int(hlc[:15]), hlc[22:]
    out: dict[str, str] = {}
    for key, names in groups.items():
        found = _OFFSET.match(key) if isinstance(key, str) else None
        if found is None:
            raise ValueError("a clock group's key is not an offset from the change's hlc")
        offset, counter, other = found.groups()
        at = wall + int(offset)
        if not 0 <= at < _WALL_LIMIT:
            raise ValueError("a clock group's offset falls outside the clock's range")
        if type(names) is not list or not names:
            raise ValueError("a clock group must list one field name or more")
        if len(names) > MAX_FIELDS:
            raise ValueError(f"holds clocks for more than {MAX_FIELDS} fields")
        held = len(out)
        try:
            out.update(dict.fromkeys(names, f"{at:015d}-{counter or '0':0>5}-{other or device}"))
        except TypeError:  # a list or a map where a field name belongs
            raise ValueError("a clock group lists something other than a field name") from None
        if len(out) != held + len(names):
            raise ValueError("a field appears twice in the clock groups")
        if len(out) > MAX_FIELDS:
            raise ValueError(f"holds clocks for more than {MAX_FIELDS} fields")
    return out


_CLOCKS_BY_FIELD: dict[str, Any] = {
    "type": "object",
    "description": "Each field's clock. Protocol 3 devices send these grouped by clock as "
    "offsets from the change's hlc, the form the server answers in (see the answers' "
    "schema); groups are refused (422) when an offset leaves the clock's range or a field "
    "appears twice, which no schema can say, so only this form is described here.",
    "propertyNames": {"pattern": FIELD_NAME_PATTERN},
    "additionalProperties": {"type": "string", "pattern": HLC_PATTERN, "maxLength": 90},
    "maxProperties": MAX_FIELDS,
}
_CLOCK_GROUPS: dict[str, Any] = {
    "type": "object",
    "description": "Fields grouped by clock; each key is the clock as an offset from the "
    "change's hlc: <milliseconds>[.<counter>][/<device>] (counter 0 and the hlc's own device "
    "left out).",
    "propertyNames": {"pattern": CLOCK_OFFSET_PATTERN},
    "additionalProperties": {
        "type": "array",
        "items": {"type": "string", "pattern": FIELD_NAME_PATTERN},
        "minItems": 1,
        "maxItems": MAX_FIELDS,
    },
    "maxProperties": MAX_FIELDS,
}
# what is read (either form; the request schema describes the one whose every instance is
# accepted, as the server's schema tests require) and what is sent (the wire form)
FieldClocks = Annotated[
    dict[FieldName, HlcText],
    Field(max_length=MAX_FIELDS),
    WithJsonSchema(_CLOCKS_BY_FIELD, mode="validation"),
]
WireClocks = Annotated[dict[str, list[str]], WithJsonSchema(_CLOCK_GROUPS)]


def _integral(value: Any) -> Any:
    """JSON Schema counts ``2.0`` as an integer; nothing else becomes one (not ``false``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_integral)]
# exact in JSON numbers everywhere (the bounds before the validator, or the JSON schema
# shows them as "ge"/"le" rather than "minimum"/"maximum")
Cursor = Annotated[int, Field(ge=0, le=2**53 - 1), BeforeValidator(_integral)]
_CURSOR = TypeAdapter(Cursor)
_UUID = TypeAdapter(Uuid)


def readable_cursor(value: object) -> int | None:
    """``value`` (as a device kept it) as a cursor a request may carry; None when it is not
    one: older code kept a page's cursor past 2**53-1, or something not a number."""
    try:
        return _CURSOR.validate_python(value, strict=True)
    except ValidationError:
        return None


def readable_epoch(value: object) -> str | None:
    """``value`` (as a device kept it) as a data epoch a request may carry, or None."""
    try:
        return _UUID.validate_python(value, strict=True)
    except ValidationError:
        return None


class Op(StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"
    ERASE = ERASE_OP  # table "participant", row_id = the participant: purge everything


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
    # in memory {field: clock}; on the wire grouped by clock, relative to hlc (see above)
    base: FieldClocks = Field(default_factory=dict)
    field_hlc: FieldClocks = Field(default_factory=dict)

    @field_validator("base", "field_hlc", mode="before")
    @classmethod
    def _clocks_from_wire(cls, value: Any, info: ValidationInfo) -> Any:
        # grouped when the first value is a list (a mix is refused by expand or by the type)
        if type(value) is not dict or not value or type(next(iter(value.values()))) is not list:
            return value  # the in-memory form (anything else is refused by its type)
        hlc = info.data.get("hlc")
        if not isinstance(hlc, str):
            raise ValueError("clock groups need the change's hlc, which is not valid")
        return expand_clocks(value, hlc)

    @field_serializer("base", "field_hlc", when_used="json", return_type=WireClocks)
    def _clocks_to_wire(self, clocks: dict[str, str]) -> dict[str, list[str]]:
        return compact_clocks(clocks, self.hlc)

    def clock_of(self, field: str) -> str:
        """The clock at which ``field`` was written by this change."""
        return self.field_hlc.get(field, self.hlc)


def is_erasure(ch: Change) -> bool:
    """Whether ``ch`` erases a participant: op erase of the participant table, as devices
    send it. An erase naming a row of another table is nonsense (the server refuses one
    pushed; a device that pulls one erases nobody)."""
    return ch.op is Op.ERASE and ch.table == PARTICIPANT_TABLE


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
LABEL_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$"


class EnrolRequest(_Request):
    code: str = Field(min_length=4, max_length=64)
    # the device's own id (the HLC device part), so changes made before enrolment keep it;
    # the server makes one when absent
    device_id: DeviceName | None = None
    # e.g. "work laptop"; no names. Printable text only: no control character (C0, DEL,
    # C1: an 8-bit terminal escape starts with one) and no bidirectional control (it would
    # show the rest of the administrator's list-devices line reordered, one laptop passing
    # for another)
    label: str | None = Field(default=None, max_length=64, pattern=LABEL_PATTERN)
    # the device's Ed25519 public key in minisign's format, so rosters can name it
    signing_key: SigningKeyLine | None = None


class EnrolResponse(_Model):
    device_id: str
    token: str  # shown once; the server keeps only its hash
    worker_id: Uuid
    team_id: Uuid
    role: Role
    data_epoch: Uuid
    programme_key: ProgrammeKey | None = None  # for evaluation pseudonyms (hex)


class EnrolPreviewRequest(_Request):
    """Whose a code is, asked before it is used (the code stays unused); an older server
    answers 404, and the laptop enrols without asking, as it did."""

    code: str = Field(min_length=4, max_length=64)


class EnrolPreviewResponse(_Model):
    worker: str = Field(max_length=100)  # the staff member's name, shown to be confirmed
    team: str = Field(max_length=100)
    role: Role


# -- handshake ------------------------------------------------------------------------------
def _within(setting: str) -> Any:
    """A whole number in the range ``core.settings.BOUNDS`` gives the setting (the device
    takes programme settings only within it)."""
    low, high = settings_bounds[setting]
    return Field(ge=low, le=high)


# a concern in the programme's list: one a worker's laptop can record
ConcernName = Annotated[str, Field(min_length=1, max_length=CONCERN_LENGTH)]


class ProgrammeSettings(_Model):
    appointment_limit: Annotated[int, _within("appointment_limit")] | None = None  # no limit
    concern_taxonomy: list[ConcernName] = Field(default_factory=list, max_length=200)
    not_seen_weeks: Annotated[int, _within("not_seen_weeks")] = 6


class HandshakeRequest(_Request):
    protocol_version: WholeNumber = Field(ge=0, le=1_000_000)
    schema_version: WholeNumber = Field(ge=0, le=1_000_000)
    device_id: DeviceName
    cursor: Cursor | None = None
    data_epoch: Uuid | None = None  # the epoch the cursor belongs to
    signing_key: SigningKeyLine | None = None  # registered if the device has none yet
    # as in PullRequest: this device's own changes the server took as is, up to here, are
    # not "for" it (the server's ``quiet_through`` leaves them out)
    own_through: Cursor = 0


class HandshakeResponse(_Model):
    protocol_version: int
    schema_version: int
    data_epoch: Uuid
    # True when the device's epoch differs, or its cursor is past the server's head: the
    # server was restored or replaced, so the device must resync by merging from cursor 0
    # (never overwrite either side). A pull from a cursor past the head answers 409.
    epoch_changed: bool
    server_time_ms: int
    cursor_head: Cursor
    worker_id: Uuid
    team_id: Uuid
    role: Role
    settings: ProgrammeSettings
    settings_version: int
    max_batch: int = MAX_BATCH
    max_pull_limit: int = MAX_PULL_LIMIT
    max_drift_ms: int
    programme_key: ProgrammeKey | None = None  # for evaluation pseudonyms (hex)
    # ``cursor_head`` when the change log holds nothing this device would pull between its
    # cursor and the head (others' teams and cases, its own echo), so it may move its
    # cursor there without a pull: what an empty pull page would do. None: pull.
    quiet_through: Cursor | None = None


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
    server_seq: Cursor | None = None  # where the change entered the change log, if it did


class PushResponse(_Model):
    batch_key: str
    results: list[ChangeResult]
    replayed: bool = False  # True when this batch_key had been answered before


# -- pull -----------------------------------------------------------------------------------
class PullRequest(_Request):
    cursor: Cursor = 0
    limit: WholeNumber = Field(default=DEFAULT_PULL_LIMIT, ge=1, le=MAX_PULL_LIMIT)
    # the device holds every change it sent that the server took as is, up to this server
    # seq (its push answers, recorded with its outbox): those are not sent back to it
    own_through: Cursor = 0


class PullResponse(_Model):
    changes: list[ServerChange]
    # stored with the applied page, in one local transaction, and sent back as the next
    # request's cursor: a number no request may carry would stop every later sync
    next_cursor: Cursor
    has_more: bool
    data_epoch: Uuid
    settings_version: int  # differs from the handshake's: handshake again for settings


# -- verify ---------------------------------------------------------------------------------
class TableDigest(_Model):
    count: int  # rows including tombstones
    digest: str  # see table_digest


class VerifyResponse(_Model):
    cursor_head: Cursor  # the digests are as of this server_seq
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


# -- programme id leases (``POST /v1/ids/lease``) -------------------------------------------
# Programme ids (``P1042``) are unique per programme by construction: the server leases each
# enrolled device blocks of numbers, so no two devices ever hand out the same one.
ID_PREFIX = "P"
ID_BLOCK_SIZE = 200  # numbers in one leased block
ID_REFILL_BELOW = 100  # a device asks for another block when fewer are left than this
ID_FIRST_NUMBER = 1001
ID_MAX_NUMBER = 10**12 - 1  # "P" and 12 digits still fit the 16 characters of the column


class IdLeaseRequest(_Request):
    # saved in the vault before sending: a retry after a lost answer gets the same block
    request_id: Uuid
    # the highest number this device gave out from its own counter (before it was
    # enrolled): leases start above every number a device has reported
    floor: WholeNumber = Field(default=0, ge=0, le=ID_MAX_NUMBER)


class IdLeaseResponse(_Model):
    request_id: Uuid
    first: int  # the block is first..last, both included, this device's alone
    last: int
    prefix: str = ID_PREFIX
