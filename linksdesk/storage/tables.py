"""SQLAlchemy tables of the vault: every entity of the data model, plus local bookkeeping.

Syncable tables share :class:`SyncColumns` and are declared, with their routing and policy
tags, in :mod:`linksdesk.core.registry`; this module checks itself against it on import.
Local-only tables (audit, outbox, drafts, settings, sync state, conflicts) never sync.
Column changes need an Alembic migration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from linksdesk.core import registry


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class SyncColumns:
    """Columns every syncable row carries (docs/architecture.md, the table registry)."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    hlc: Mapped[str] = mapped_column(String(64), index=True)
    origin: Mapped[str] = mapped_column(String(64))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    sharing: Mapped[str] = mapped_column(String(16), default="team")
    owner: Mapped[str] = mapped_column(String(64))
    # clock of the last change of each field, for per-field merge
    field_hlc: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class InErrorColumns:
    """The mark of an entry a worker can mark entered in error (a referral in, a contact, a
    case note, a goal, a score, an onward referral, a concern): when
    (``vocab.IN_ERROR_COLUMN``) and the worker's reason. Declared after the model's own
    columns, as the registry lists them."""

    in_error_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    in_error_reason: Mapped[str | None] = mapped_column(String(500))


class ParticipantColumn:
    """The participant a row belongs to (erasure, consent and routing follow it): first among
    the model's own columns, after a parent it hangs from (a note's, a goal's id)."""

    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participant.id"), index=True, sort_order=-1
    )


class Participant(SyncColumns, Base):
    __tablename__ = "participant"
    programme_id: Mapped[str] = mapped_column(String(16), unique=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(10))
    gp_practice: Mapped[str | None] = mapped_column(String(200))
    contact_preferences: Mapped[str | None] = mapped_column(Text)
    risk_summary: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="referred", index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    referred_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    created_on: Mapped[dt.date] = mapped_column(Date)
    merged_into_id: Mapped[str | None] = mapped_column(String(36), index=True)
    merged_on: Mapped[dt.date | None] = mapped_column(Date)


class StatusChange(ParticipantColumn, SyncColumns, Base):
    """A participant's status history: closed with a reason, reopened later."""

    __tablename__ = "status_change"
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    changed_on: Mapped[dt.date] = mapped_column(Date)


class Consent(ParticipantColumn, SyncColumns, Base):
    __tablename__ = "consent"
    scope: Mapped[str] = mapped_column(String(16))
    given: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


class ReferralIn(ParticipantColumn, InErrorColumns, SyncColumns, Base):
    __tablename__ = "referral"
    received_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(32))
    referrer: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)


class Concern(ParticipantColumn, InErrorColumns, SyncColumns, Base):
    __tablename__ = "concern"
    category: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(16))
    identified_on: Mapped[dt.date] = mapped_column(Date)
    detail: Mapped[str | None] = mapped_column(Text)
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)


class Contact(ParticipantColumn, InErrorColumns, SyncColumns, Base):
    __tablename__ = "contact"
    kind: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(24), index=True)
    scheduled_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    minutes: Mapped[int | None] = mapped_column(Integer)
    venue: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(Text)


class Note(ParticipantColumn, InErrorColumns, SyncColumns, Base):
    """A case note; its text lives in append-only :class:`NoteRevision` rows."""

    __tablename__ = "note"
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contact.id"), index=True)
    written_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class NoteRevision(ParticipantColumn, SyncColumns, Base):
    __tablename__ = "note_revision"
    note_id: Mapped[str] = mapped_column(ForeignKey("note.id"), index=True, sort_order=-1)
    revision: Mapped[int] = mapped_column(Integer)
    # the revision this one was written on top of: two revisions with the same base are
    # a concurrent edit, kept as a conflict until the worker resolves it
    base_revision_id: Mapped[str | None] = mapped_column(String(36))
    body: Mapped[str] = mapped_column(Text)
    written_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Goal(ParticipantColumn, InErrorColumns, SyncColumns, Base):
    __tablename__ = "goal"
    title: Mapped[str] = mapped_column(Text)  # in the participant's own words
    why_it_matters: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="active")
    set_on: Mapped[dt.date] = mapped_column(Date)
    review_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # 0-10, the person's own rating
    closed_on: Mapped[dt.date | None] = mapped_column(Date)


class GoalStep(ParticipantColumn, SyncColumns, Base):
    __tablename__ = "goal_step"
    goal_id: Mapped[str] = mapped_column(ForeignKey("goal.id"), index=True, sort_order=-1)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    done_on: Mapped[dt.date | None] = mapped_column(Date)


class Relationship(ParticipantColumn, SyncColumns, Base):
    __tablename__ = "relationship"
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    supportive: Mapped[bool] = mapped_column(Boolean, default=True)


class Resource(SyncColumns, Base):
    """The community resource directory, ALISS-shaped; shared with the team."""

    __tablename__ = "resource"
    organisation: Mapped[str] = mapped_column(String(200))
    service: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    categories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(10))
    area: Mapped[str | None] = mapped_column(String(100))
    when: Mapped[str | None] = mapped_column(Text)
    who_for: Mapped[str | None] = mapped_column(Text)
    cost: Mapped[str | None] = mapped_column(String(100))
    accessibility: Mapped[str | None] = mapped_column(Text)
    how_to_refer: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    capacity: Mapped[str] = mapped_column(String(16), default="unknown")
    last_verified: Mapped[dt.date | None] = mapped_column(Date)
    problem_reports: Mapped[list[Any]] = mapped_column(JSON, default=list)


class OnwardReferral(ParticipantColumn, InErrorColumns, SyncColumns, Base):
    __tablename__ = "onward_referral"
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    # each step's day (core/onward.py): suggested, made, and outcome_on below
    suggested_on: Mapped[dt.date | None] = mapped_column(Date)
    made_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)
    outcome_on: Mapped[dt.date | None] = mapped_column(Date)


class Measure(ParticipantColumn, InErrorColumns, SyncColumns, Base):
    __tablename__ = "measure"
    kind: Mapped[str] = mapped_column(String(16))
    taken_on: Mapped[dt.date] = mapped_column(Date)
    context: Mapped[str] = mapped_column(String(16))
    assisted: Mapped[bool] = mapped_column(Boolean, default=False)
    items: Mapped[list[Any]] = mapped_column(JSON)
    total: Mapped[int | None] = mapped_column(Integer)
    metric: Mapped[float | None] = mapped_column(Float)


class ErasureReceipt(SyncColumns, Base):
    """All that is left of an erased participant: that the erasure happened, and when."""

    __tablename__ = "erasure_receipt"
    participant_id: Mapped[str] = mapped_column(String(36), index=True)
    erased_at: Mapped[dt.datetime] = mapped_column(DateTime)
    rows_removed: Mapped[int] = mapped_column(Integer)


class MonthlyTotal(SyncColumns, Base):
    """Anonymous monthly counts per worker, for participants who did not consent to sharing."""

    __tablename__ = "monthly_total"
    month: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def registry_mismatches(models: Iterable[type[SyncColumns]]) -> list[str]:
    """How the syncable models differ from the table registry (empty when they agree).

    A table or column of ours that the registry does not declare (or the other way round)
    is a fact written in one place only: routing, policy tags, purge and search would not
    know of it. The registry's order (parents first) must be the models' order too.
    """
    problems: list[str] = []
    by_name = {m.__tablename__: m for m in models}  # type: ignore[attr-defined]
    if tuple(by_name) != registry.SYNCABLE_TABLES:
        problems.append(
            f"syncable tables {tuple(by_name)} differ from the registry's "
            f"{registry.SYNCABLE_TABLES}"
        )
    for name, model in by_name.items():
        declared = registry.BY_NAME.get(name)
        if declared is None:
            continue
        columns = [c.key for c in model.__table__.columns]  # type: ignore[attr-defined]
        envelope = [c for c in columns if c in registry.ENVELOPE_COLUMNS]
        if set(envelope) != registry.ENVELOPE_COLUMNS:
            problems.append(f"{name}: envelope columns {sorted(envelope)}")
        data = tuple(c for c in columns if c not in registry.ENVELOPE_COLUMNS)
        if data != tuple(declared.columns):
            problems.append(
                f"{name}: columns {data} differ from the registry's {tuple(declared.columns)}"
            )
        linked = declared.routing in (registry.Routing.LINKED, registry.Routing.RECEIPT)
        if linked != ("participant_id" in columns):
            problems.append(f"{name}: routed as {declared.routing} but participant_id differs")
    return problems


def _syncable_models() -> tuple[type[SyncColumns], ...]:
    """Every mapped class with the sync columns, in the registry's order."""
    found: dict[str, type[SyncColumns]] = {}
    for mapper in Base.registry.mappers:
        cls: Any = mapper.class_
        if issubclass(cls, SyncColumns):
            found[cls.__tablename__] = cls
    known = tuple(found[name] for name in registry.SYNCABLE_TABLES if name in found)
    extra = tuple(cls for name, cls in found.items() if name not in registry.BY_NAME)
    return known + extra


SYNCABLE_TABLES: tuple[type[SyncColumns], ...] = _syncable_models()
_PROBLEMS = registry_mismatches(SYNCABLE_TABLES)
if _PROBLEMS:  # a developer's slip: say so on import, before anything syncs the wrong way
    raise RuntimeError("storage.tables and core.registry disagree: " + "; ".join(_PROBLEMS))
TABLE_BY_NAME: dict[str, type[SyncColumns]] = {
    t.__tablename__: t  # type: ignore[attr-defined]
    for t in SYNCABLE_TABLES
}
# tables whose rows belong to one participant (erasure and consent follow this column)
PARTICIPANT_LINKED: tuple[str, ...] = registry.PARTICIPANT_LINKED_TABLES


# -- local only -----------------------------------------------------------------------------
class Outbox(Base):
    """Change log: one row per change waiting to be pushed, written with the change itself."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String(36), unique=True)
    table_name: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(8))
    hlc: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    base: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    batch_key: Mapped[str | None] = mapped_column(String(36), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AuditEvent(Base):
    """Hash-chained record of who viewed, changed, exported, imported or erased what."""

    __tablename__ = "audit_event"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(36))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class KeyValue:
    """Columns of a table of named JSON values (settings, sync state): one row per key."""

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class LocalSetting(KeyValue, Base):
    """Typed settings (see core.settings) and device identity, as JSON values."""

    __tablename__ = "local_setting"


class ProgrammeIdBlock(Base):
    """Programme numbers first..last the server leased to this device (storage.programme_ids)."""

    __tablename__ = "programme_id_block"
    first: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)
    next: Mapped[int] = mapped_column(Integer)  # the next number to give out (> last: used up)
    leased_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Draft(Base):
    """Unsaved editor text kept inside the vault across a lock (never in plaintext anywhere)."""

    __tablename__ = "draft"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SyncState(KeyValue, Base):
    __tablename__ = "sync_state"


class SyncConflict(Base):
    """Both versions of a concurrently edited narrative or clinical field, until resolved."""

    __tablename__ = "sync_conflict"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[str | None] = mapped_column(String(36), index=True)
    local_value: Mapped[Any] = mapped_column(JSON)
    remote_value: Mapped[Any] = mapped_column(JSON)
    local_hlc: Mapped[str] = mapped_column(String(64))
    remote_hlc: Mapped[str] = mapped_column(String(64))
    detected_at: Mapped[dt.datetime] = mapped_column(DateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SyncAttention(Base):
    """Changes the server rejected: shown in a "needs attention" list, never blocking."""

    __tablename__ = "sync_attention"
    change_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class SyncHistory(Base):
    __tablename__ = "sync_history"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(16))
    pushed: Mapped[int] = mapped_column(Integer, default=0)
    pulled: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[str | None] = mapped_column(Text)


Index("ix_contact_participant_time", Contact.participant_id, Contact.scheduled_at)
# duplicate check on create (names compared case-insensitively among the same date of birth)
Index("ix_participant_date_of_birth", Participant.date_of_birth)
# the caseload's default order (migration 0006)
Index(
    "ix_participant_name",
    Participant.family_name.collate("NOCASE"),
    Participant.given_name.collate("NOCASE"),
    Participant.id,
)
# onward referrals per resource in the last 30 and 90 days, by the day first recorded
# (casework.onward.started_on, the same expression: migration 0014)
Index(
    "ix_onward_referral_resource_started",
    OnwardReferral.resource_id,
    func.coalesce(OnwardReferral.suggested_on, OnwardReferral.made_on),
)
