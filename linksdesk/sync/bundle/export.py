"""Making a bundle on a worker's laptop: that worker's caseload, as the sync policy lets it go.

Every row goes through the same outbox policy a sync uses (``SyncPolicy.outbound``), so a
``private`` row, a ``local`` column or a participant who did not consent to sharing with the
team can never be in a bundle; evaluation records are then made from those changes by
:mod:`linksdesk.sync.bundle.evaluation`, as the server makes them from what it holds.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Unpack

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.changes import RowChange
from linksdesk.core.errors import UserError
from linksdesk.core.ids import SYNC_NAMESPACE
from linksdesk.core.vocab import AuditAction
from linksdesk.storage.bundle_tables import BundleLedger, DeprivationDecile
from linksdesk.storage.store import (
    Store,
    data_columns,
    json_value,
    shared_participants,
)
from linksdesk.storage.tables import TABLE_BY_NAME, Consent, ErasureReceipt, Participant
from linksdesk.sync import state
from linksdesk.sync.bundle import evaluation, keys
from linksdesk.sync.bundle.format import (
    BundleOrder,
    Progress,
    Sealed,
    Sender,
    erase_record,
    ledger_period,
    open_in_period,
    parse_time,
    seal,
)
from linksdesk.sync.policy import AGGREGATE_TABLES, RECEIPT_TABLE, TEAM_TABLES, SyncPolicy
from linksdesk.sync.protocol import compact_clocks
from linksdesk.sync.totals import refresh_monthly_totals

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Caseload:
    """A worker's shareable changes, in the sync change format, and their erasures."""

    changes: list[dict[str, Any]]
    erased: list[str]
    receipts: list[dict[str, Any]]


def _change(
    table: str, row: dict[str, Any], pid: str | None, fields: dict[str, Any]
) -> dict[str, Any]:
    deleted = bool(row["deleted"])
    hlc = row["hlc"]
    clocks = row["field_hlc"] or {}
    return {
        "change_id": str(uuid.uuid5(SYNC_NAMESPACE, f"bundle:{table}:{row['id']}:{hlc}")),
        "table": table,
        "row_id": row["id"],
        "op": "delete" if deleted else "upsert",
        "hlc": hlc,
        "origin": row["origin"],
        "owner": row["owner"],
        "participant_id": pid,
        "sharing": "team",
        "participant_shared": True if pid and table != RECEIPT_TABLE else None,
        "fields": {} if deleted else fields,
        "base": {},
        "field_hlc": compact_clocks(
            {k: v for k, v in clocks.items() if k in fields and v and v != hlc}, hlc
        )
        if not deleted
        else {},
    }


def withdrawn(s: Session, among: set[str], scopes: tuple[str, ...]) -> set[str]:
    """Those of ``among`` whose latest consent of one of ``scopes`` says no (withdrawn, or
    never given), by the rule that decides rule 2 (``registry.consent_decision``)."""
    if not among:
        return set()
    held: dict[tuple[str, str], list[tuple[object, str, object]]] = {}
    query = select(
        Consent.participant_id, Consent.scope, Consent.version, Consent.hlc, Consent.given
    ).where(Consent.deleted.is_(False), Consent.scope.in_(scopes))
    for pid, scope, version, hlc, given in s.execute(query):
        if pid in among:
            held.setdefault((pid, scope), []).append((version, hlc, given))
    return {pid for (pid, _), said in held.items() if registry.consent_decision(said) is False}


def caseload_changes(
    s: Session,
    worker_id: str,
    period: tuple[str, str] | None = None,
    kind: str = "supervision",
) -> Caseload:
    """What of ``worker_id``'s caseload may leave the laptop, as sync changes.

    Rows are read as plain tuples with Core statements (no ORM objects: a team's caseload is
    tens of thousands of rows, and building mapped objects cost more than the rest of making
    the bundle); each still goes through ``SyncPolicy.outbound`` as its own change.

    A period keeps the cases open in it, and also everyone outside it whose consent the
    bundle's kind needs says no (team sharing; for evaluation, evaluation too): their
    withdrawal must reach a supervisor who holds them from an earlier bundle, as an erasure
    does, and all that leaves of them is their decision (the sync policy) or a pseudonym.
    """
    policy = SyncPolicy()
    owned = {
        pid: open_in_period(period, referred or created, closed)
        for pid, referred, created, closed in s.execute(
            select(
                Participant.id,
                Participant.referred_on,
                Participant.created_on,
                Participant.closed_on,
            ).where(Participant.owner == worker_id)
        )
    }
    people = {pid for pid, open_then in owned.items() if open_then}
    if period is not None:
        scopes: tuple[str, ...] = (registry.TEAM_SCOPE,)
        if kind == "evaluation":
            scopes += (evaluation.EVALUATION_SCOPE,)
        people |= withdrawn(s, set(owned) - people, scopes)
    shared = shared_participants(s, people)
    changes: list[dict[str, Any]] = []
    for table, cls in TABLE_BY_NAME.items():
        if table == RECEIPT_TABLE:
            continue
        columns = cls.__table__.columns  # type: ignore[attr-defined]
        names = tuple(c.key for c in columns)
        changed = frozenset(data_columns(cls))
        has_pid = "participant_id" in names
        query: Any = select(*columns).where(columns["sharing"] != "private")
        if table in AGGREGATE_TABLES:
            query = query.where(columns["owner"] == worker_id)
        for values_row in s.execute(query):
            row = dict(zip(names, values_row, strict=True))
            if table == "participant":
                pid = row["id"]
            else:
                pid = row["participant_id"] if has_pid else None
            if table not in TEAM_TABLES and table not in AGGREGATE_TABLES and pid not in people:
                continue
            rc = RowChange(
                table=table,
                row_id=row["id"],
                op="upsert",
                hlc=row["hlc"],
                values=row,
                changed=changed,
                base={},
                participant_id=pid,
                participant_shared=pid is None or pid in shared,
            )
            payload = policy.outbound(rc)
            if payload is None:
                continue
            fields = {k: json_value(v) for k, v in payload["fields"].items()}
            changes.append(_change(table, row, pid, fields))
    erased: list[str] = []
    receipts: list[dict[str, Any]] = []
    receipt = ErasureReceipt.__table__.columns
    query = select(
        receipt["id"],
        receipt["participant_id"],
        receipt["hlc"],
        receipt["origin"],
        receipt["owner"],
    ).where(or_(receipt["owner"] == worker_id, receipt["sharing"] == "private"))
    for rid, pid, hlc, origin, owner in s.execute(query):
        erased.append(pid)
        receipts.append(
            erase_record(
                str(uuid.uuid5(SYNC_NAMESPACE, f"bundle:erase:{rid}")),
                pid,
                hlc,
                origin=origin,
                owner=owner,
            )
        )
    return Caseload(changes, sorted(set(erased)), receipts)


def load_lookup(s: Session) -> evaluation.DeprivationLookup | None:
    source = state.local_setting(s, keys.DEPRIVATION_SOURCE)
    if not isinstance(source, dict):
        return None
    rows = s.execute(select(DeprivationDecile.postcode, DeprivationDecile.decile))
    return evaluation.DeprivationLookup.from_rows(source.get("name"), source.get("year"), rows)


def _programme_key(s: Session) -> bytes:
    programme_key = state.get(s, keys.PROGRAMME_KEY)
    if not programme_key:
        raise UserError(
            "This laptop has not received the programme's evaluation key yet: sync "
            "once with the server, then make the evaluation bundle."
        )
    return bytes.fromhex(programme_key)


def make_bundle(
    store: Store, *, progress: Progress | None = None, **order: Unpack[BundleOrder]
) -> Sealed:
    """A bundle of this laptop's worker's caseload; recorded in the ledger and audit log."""
    key = keys.signing_key(store)
    with store.read() as s:
        if keys.is_supervisor(s):
            raise UserError(
                "A supervisor's vault holds imported copies; bundles are made on the "
                "worker's laptop or by the server."
            )
        worker_id = str(state.get(s, state.WORKER_ID) or store.worker_id)
    # the anonymous totals of what stays here, counted now as a sync counts them first: a
    # laptop that only ever hands bundles over (no network) has no sync to write them, and
    # one that synced last month would send that month's counts
    refresh_monthly_totals(store, worker_id)
    with store.read() as s:
        if progress:
            progress("reading", 0, 3)
        caseload = caseload_changes(s, worker_id, order.get("period"), order["kind"])
        sender = Sender(
            kind="device",
            label=f"laptop {store.device_id}",
            worker_id=worker_id,
            device_id=store.device_id,
            team_id=state.get(s, state.TEAM_ID),
        )
        records, extra = evaluation.bundle_records(
            order["kind"],
            caseload.changes,
            caseload.receipts,
            lambda: evaluation.Source(
                caseload.changes, caseload.erased, _programme_key(s), load_lookup(s)
            ),
        )
        held = state.get(s, keys.PROGRAMME_KEY)
        if held:  # which programme the laptop syncs with (sync.bundle.programme)
            extra["programme"] = evaluation.key_id(bytes.fromhex(held))
    if progress:
        progress("sealing", 1, 3)
    sealed = seal(records, sender=sender, key=key, extra=extra, **order)
    if progress:
        progress("sealed", 2, 3)
    return sealed


def record_export(store: Store, sealed: Sealed) -> None:
    """The ledger entry and audit event of a bundle written out (ids and counts only)."""
    m = sealed.manifest
    with store.write() as tx:
        tx.session.add(
            BundleLedger(
                bundle_id=m["bundle_id"],
                direction="export",
                kind=m["kind"],
                signer=m["sender"]["fingerprint"],
                sender_kind=m["sender"]["kind"],
                worker_id=m["sender"]["worker_id"],
                team_id=m["team_id"],
                created_at=parse_time(m["created"]).replace(tzinfo=None),
                expires_at=parse_time(m["expires"]).replace(tzinfo=None),
                counts=m["counts"],
                at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
                **ledger_period(m),
            )
        )
        tx.audit(AuditAction.EXPORT, f"bundle:{m['kind']}", m["bundle_id"])
    log.info("bundle %s (%s) exported: %d records", m["bundle_id"], m["kind"], m["records"])


def export_to_file(
    store: Store, out: Path, *, progress: Progress | None = None, **order: Unpack[BundleOrder]
) -> Sealed:
    sealed = make_bundle(store, progress=progress, **order)
    sealed.write(out)
    record_export(store, sealed)
    # no progress call after this: a job cancelled there (a lock) would read as not done
    return sealed
