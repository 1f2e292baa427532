"""Vault tables of the supervisors' data path: bundles made and taken, signers, imported copies.

A supervisor's vault keeps imported supervision rows in the ordinary tables (so every
aggregate over them works) with one ``imported_row`` entry per row saying which worker it
belongs to and which bundle brought it. Evaluation rows are pseudonymised and live apart in
``evaluation_record``: nothing in them joins back to a name. Local only; never synced.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from linksdesk.storage.tables import Base


class BundleLedger(Base):
    """Every bundle made here or imported here: ids, kind, counts and signer, no content.

    An imported bundle's id is the replay guard: the same bundle is never taken twice.
    """

    __tablename__ = "bundle_ledger"
    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    direction: Mapped[str] = mapped_column(String(8))  # "export" | "import"
    kind: Mapped[str] = mapped_column(String(16))
    signer: Mapped[str] = mapped_column(String(16))  # the signing key's fingerprint
    sender_kind: Mapped[str] = mapped_column(String(8))  # "device" | "server"
    worker_id: Mapped[str | None] = mapped_column(String(36))
    team_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    # the months a bundle made with a period covered (YYYY-MM); None: the whole caseload
    # (or a bundle imported before 0015, whose period was not kept)
    period_first: Mapped[str | None] = mapped_column(String(7))
    period_last: Mapped[str | None] = mapped_column(String(7))
    # a whole-team bundle from the server: worker id -> when they last finished a sync (UTC,
    # ISO; ``format.manifest_synced``); None: not said (another kind, or an older server,
    # or a bundle imported before 0019)
    synced: Mapped[dict[str, str] | None] = mapped_column(JSON(none_as_null=True))


class TrustedSigner(Base):
    """A key whose bundles this vault accepts: from a server-signed roster, or confirmed by
    a person who compared its fingerprint (never added silently)."""

    __tablename__ = "trusted_signer"
    fingerprint: Mapped[str] = mapped_column(String(16), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))  # "device" | "server"
    worker_id: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str | None] = mapped_column(String(64))
    team_id: Mapped[str | None] = mapped_column(String(36))
    label: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(16))  # "roster" | "confirmed"
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ImportedRow(Base):
    """Provenance of an imported supervision row: whose caseload, which signer, which bundle."""

    __tablename__ = "imported_row"
    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    participant_id: Mapped[str | None] = mapped_column(String(36), index=True)
    worker_id: Mapped[str] = mapped_column(String(36), index=True)
    signer: Mapped[str] = mapped_column(String(16))
    bundle_id: Mapped[str] = mapped_column(String(36))


class EvaluationRecord(Base):
    """One pseudonymised evaluation row (ids are keyed hashes; no names, no free text)."""

    __tablename__ = "evaluation_record"
    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    participant_key: Mapped[str | None] = mapped_column(String(64), index=True)
    owner_key: Mapped[str | None] = mapped_column(String(64))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    signer: Mapped[str] = mapped_column(String(16))
    bundle_id: Mapped[str] = mapped_column(String(36))
    bundle_created: Mapped[dt.datetime] = mapped_column(DateTime)


class DeprivationDecile(Base):
    """Postcode → deprivation decile (1 most deprived); its name and year are a setting."""

    __tablename__ = "deprivation_decile"
    postcode: Mapped[str] = mapped_column(String(10), primary_key=True)
    decile: Mapped[int] = mapped_column(Integer)
