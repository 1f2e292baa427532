"""SQLAlchemy tables of the sync server (schema changes need an Alembic migration)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Self

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

# what most columns here hold, each stated once: an id (a UUID's 36 characters of text; a
# device's id is longer, String(64)) and a moment, in milliseconds since the epoch
Uuid = Annotated[str, "uuid"]
Ms = Annotated[int, "ms"]


class Base(DeclarativeBase):
    type_annotation_map = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        Any: JSON,
        Uuid: String(36),
        Ms: BigInteger,
    }


class OneRow:
    """A table that holds one row, whose id is ``ROW`` (the server's settings, keys, loaded
    lookup); ``the_row`` reads it, ``None`` until it is made."""

    ROW: ClassVar[int] = 1
    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)

    @classmethod
    def the_row(cls, s: Session) -> Self | None:
        return s.get(cls, cls.ROW)


class Team(Base):
    __tablename__ = "team"
    id: Mapped[Uuid] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_ms: Mapped[Ms]


class Worker(Base):
    __tablename__ = "worker"
    id: Mapped[Uuid] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("team.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))  # a staff member's name, not a participant's
    role: Mapped[str] = mapped_column(String(16), default="worker")
    created_ms: Mapped[Ms]


class Device(Base):
    __tablename__ = "device"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    worker_id: Mapped[str] = mapped_column(ForeignKey("worker.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the token
    label: Mapped[str | None] = mapped_column(String(64))
    enrolled_ms: Mapped[Ms]
    last_seen_ms: Mapped[Ms | None]  # any request, a handshake alone too
    # the last time this laptop finished a sync (``admin.note_synced``): everything it had
    # queued to send by then is here
    synced_ms: Mapped[Ms | None]
    revoked_ms: Mapped[Ms | None]
    # the device's Ed25519 public key (minisign line), for the team's signed roster
    signing_key: Mapped[str | None] = mapped_column(String(64))


class EnrolCode(Base):
    __tablename__ = "enrol_code"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    worker_id: Mapped[str] = mapped_column(ForeignKey("worker.id"), index=True)
    created_ms: Mapped[Ms]
    expires_ms: Mapped[Ms]
    used_ms: Mapped[Ms | None]
    device_id: Mapped[str | None] = mapped_column(String(64))


class IdBlock(Base):
    """Programme numbers first..last leased to one device (see linksdesk.server.ids)."""

    __tablename__ = "id_block"
    first: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    last: Mapped[int] = mapped_column(BigInteger, unique=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"), index=True)
    request_id: Mapped[Uuid] = mapped_column(unique=True)
    leased_ms: Mapped[Ms]


class ServerMeta(OneRow, Base):
    """One row: the data epoch and the change counter every writer locks first."""

    __tablename__ = "server_meta"
    data_epoch: Mapped[Uuid]
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    created_ms: Mapped[Ms]
    # the server key sealed over a constant: a wrong key file is refused at start
    key_check: Mapped[str | None] = mapped_column(String(120))


class Record(Base):
    """The server's current state of one synced row."""

    __tablename__ = "record"
    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[Uuid] = mapped_column(primary_key=True)
    team_id: Mapped[Uuid] = mapped_column(index=True)
    owner: Mapped[Uuid] = mapped_column(index=True)
    participant_id: Mapped[Uuid | None] = mapped_column(index=True)
    sharing: Mapped[str] = mapped_column(String(16))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    hlc: Mapped[str] = mapped_column(String(90))  # the latest of field_hlc
    origin: Mapped[str] = mapped_column(String(64))
    fields: Mapped[dict[str, Any]]
    field_hlc: Mapped[dict[str, Any]]
    server_seq: Mapped[int] = mapped_column(BigInteger, index=True)


class ChangeLog(Base):
    """Accepted changes in server_seq order: what devices pull."""

    __tablename__ = "change_log"
    server_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    change_id: Mapped[Uuid] = mapped_column(index=True)
    table_name: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[Uuid]
    team_id: Mapped[Uuid]
    owner: Mapped[Uuid]
    participant_id: Mapped[Uuid | None] = mapped_column(index=True)
    # one more worker who must see this entry whatever their access (a handover notice)
    extra_worker: Mapped[Uuid | None]
    payload: Mapped[dict[str, Any]]
    created_ms: Mapped[Ms]


Index("ix_change_log_team_seq", ChangeLog.team_id, ChangeLog.server_seq)


class AppliedOp(Base):
    """Exactly-once: the answer given for each change id."""

    __tablename__ = "applied_ops"
    change_id: Mapped[Uuid] = mapped_column(primary_key=True)
    batch_key: Mapped[Uuid] = mapped_column(index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[Uuid | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16))
    result: Mapped[dict[str, Any]]
    at_ms: Mapped[Ms]


class Batch(Base):
    """Idempotency: the whole answer given for a batch key."""

    __tablename__ = "batch"
    batch_key: Mapped[Uuid] = mapped_column(primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"), index=True)
    response: Mapped[dict[str, Any]]
    at_ms: Mapped[Ms]


class ProgrammeSetting(Base):
    __tablename__ = "programme_settings"
    team_id: Mapped[str] = mapped_column(ForeignKey("team.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[Any]
    version: Mapped[int] = mapped_column(Integer)


class ParticipantAccess(Base):
    """Which workers' devices may see a participant: the owner, and read-only past owners."""

    __tablename__ = "participant_access"
    participant_id: Mapped[Uuid] = mapped_column(primary_key=True)
    worker_id: Mapped[Uuid] = mapped_column(primary_key=True, index=True)
    team_id: Mapped[Uuid]
    mode: Mapped[str] = mapped_column(String(16))  # "owner" | "read_only"
    since_ms: Mapped[Ms]


class Handover(Base):
    __tablename__ = "handover"
    id: Mapped[Uuid] = mapped_column(primary_key=True)
    participant_id: Mapped[Uuid] = mapped_column(index=True)
    from_worker: Mapped[Uuid]
    to_worker: Mapped[Uuid]
    at_ms: Mapped[Ms]
    keep_read_only: Mapped[bool] = mapped_column(Boolean)


class Erasure(Base):
    """The receipt of an erased participant: ids and counts only, kept per team (an id one
    team erased before ever holding it must not block another team's participant)."""

    __tablename__ = "erasure"
    participant_id: Mapped[Uuid] = mapped_column(primary_key=True)
    team_id: Mapped[Uuid] = mapped_column(primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64))
    change_id: Mapped[Uuid]
    at_ms: Mapped[Ms]
    rows_removed: Mapped[int] = mapped_column(Integer)


class RefusalLog(Base):
    """Changes refused by the confidentiality rules or checks: never their content."""

    __tablename__ = "refusal_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at_ms: Mapped[Ms]
    device_id: Mapped[str] = mapped_column(String(64), index=True)
    change_id: Mapped[Uuid]
    table_name: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(32))  # a code from exchange.Refusal


class SupersededValue(Base):
    """A value that lost under last writer wins, kept for the record (purged by erasure)."""

    __tablename__ = "superseded_value"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[Uuid] = mapped_column(index=True)
    participant_id: Mapped[Uuid | None] = mapped_column(index=True)
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any]
    hlc: Mapped[str] = mapped_column(String(90))
    origin: Mapped[str] = mapped_column(String(64))
    at_ms: Mapped[Ms]


class Digest(Base):
    """Verify's per-table count and digest sum for one visibility scope, kept as rows change.

    Scopes (see :mod:`linksdesk.server.digests`): a team's shared rows, a worker's own
    rows, one participant's rows, and a worker's caseload (the sum over their access rows).
    """

    __tablename__ = "digest"
    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[str] = mapped_column(String(64))  # the sum mod 2**256, 64 hex digits


class ServerKey(OneRow, Base):
    """One row: the server's Ed25519 signing key and the programme's pseudonym key (made at
    ``init``; the pseudonym key reaches devices through sync and never travels in a bundle)."""

    __tablename__ = "server_key"
    signing_seed: Mapped[str] = mapped_column(String(64))  # hex
    key_id: Mapped[str] = mapped_column(String(16))  # hex, minisign's key id bytes
    programme_key: Mapped[str] = mapped_column(String(64))  # hex
    created_ms: Mapped[Ms]


class DeprivationDecile(Base):
    """Postcode → deprivation decile, loaded from a published lookup (SIMD or IMD)."""

    __tablename__ = "deprivation_decile"
    postcode: Mapped[str] = mapped_column(String(10), primary_key=True)
    decile: Mapped[int] = mapped_column(Integer)


class DeprivationSource(OneRow, Base):
    """Which lookup is loaded: its name and year travel in every evaluation manifest."""

    __tablename__ = "deprivation_source"
    name: Mapped[str] = mapped_column(String(100))
    year: Mapped[str] = mapped_column(String(16))
    postcodes: Mapped[int] = mapped_column(Integer)
    imported_ms: Mapped[Ms]


class BundleLog(Base):
    """Every bundle and roster the server made: ids, kind, counts and recipients, no content."""

    __tablename__ = "bundle_log"
    bundle_id: Mapped[Uuid] = mapped_column(primary_key=True)
    team_id: Mapped[Uuid] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(16))
    counts: Mapped[dict[str, Any]]
    recipients: Mapped[list[Any]]
    created_ms: Mapped[Ms]


class ParticipantKey(Base):
    """A participant's content key, wrapped by the server key (see server.sealing).

    Deleting the row shreds every sealed copy of the participant's content at once.
    """

    __tablename__ = "participant_key"
    participant_id: Mapped[Uuid] = mapped_column(primary_key=True)
    team_id: Mapped[Uuid] = mapped_column(index=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
