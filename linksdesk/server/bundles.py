"""The server's part of the supervisors' data path: its keys, the team roster, bundles made
from synced data, and the deprivation lookup.

A server-made bundle carries the team's records as they were synced (only what devices may
share, and only participants whose team consent the server holds) in the same change format
a device's bundle uses, with the team's signed roster inside so a supervisor's vault learns
the team's signers. Evaluation records are made by the same code as on a device.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from pathlib import Path
from typing import Any, Unpack

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.ids import SERVER_BUNDLE_NAMESPACE
from linksdesk.server.admin import find_team
from linksdesk.server.db import Database, now_ms
from linksdesk.server.keys import key_row, revoked_key, signing_key
from linksdesk.server.models import (
    BundleLog,
    DeprivationDecile,
    DeprivationSource,
    Device,
    Erasure,
    Record,
    Worker,
)
from linksdesk.server.sync.changelog import record_as_change
from linksdesk.sync.bundle import evaluation
from linksdesk.sync.bundle.format import (
    BundleOrder,
    Sealed,
    Sender,
    erase_record,
    open_in_period,
    seal,
    sign_roster,
)
from linksdesk.sync.bundle.signing import PublicKey
from linksdesk.sync.policy import (
    AGGREGATE_TABLES,
    CONSENT_DECISION,
    RECEIPT_TABLE,
    TEAM_SCOPE,
    TEAM_TABLES,
)
from linksdesk.sync.protocol import SYNCABLE_TABLES

log = logging.getLogger(__name__)


# -- roster ---------------------------------------------------------------------------------
def roster(db: Database, team_ref: str) -> dict[str, Any]:
    team = find_team(db, team_ref)
    with db.reading() as s:
        return _roster(s, team.id, team.name)


def _roster(s: Session, team_id: str, team_name: str) -> dict[str, Any]:
    signers = []
    query = (
        select(Device, Worker.role)
        .join(Worker, Worker.id == Device.worker_id)
        .where(
            Worker.team_id == team_id,
            Device.revoked_ms.is_(None),
            # laptops restored from one vault share a key: one revoked, it is on no roster
            ~revoked_key(Device.signing_key),
        )
        .order_by(Device.id)
    )
    for device, role in s.execute(query):
        if not device.signing_key:
            continue
        key = PublicKey.from_line(device.signing_key)
        signers.append(
            {
                "fingerprint": key.fingerprint,
                "public_key": key.line,
                "worker_id": device.worker_id,
                "device_id": device.id,
                "role": role,
                "label": device.label,
            }
        )
    return sign_roster(
        signers, team_id=team_id, team=team_name, key=signing_key(s), programme=_programme(s)
    )


def _programme(s: Session) -> str:
    """The programme's name in every bundle and roster: its pseudonym key's id."""
    return evaluation.key_id(bytes.fromhex(key_row(s).programme_key))


# -- bundles --------------------------------------------------------------------------------
def last_synced(s: Session, team_id: str) -> dict[str, str]:
    """Worker -> when they last finished a sync (``Device.synced_ms``, ISO in UTC), for a
    whole-team supervision bundle's manifest (``format.manifest_synced``): the server holds
    all they had recorded by then. The newest of their laptops in use; a revoked laptop's
    only when they have none in use (its last sync still brought all it held, and it
    brings nothing more), never over one in use, whose work since may still be to come."""
    newest: dict[str, tuple[bool, int]] = {}
    query = (
        select(Device.worker_id, Device.synced_ms, Device.revoked_ms)
        .join(Worker, Worker.id == Device.worker_id)
        .where(Worker.team_id == team_id)
    )
    for worker, synced, revoked in s.execute(query):
        if synced is None:  # never finished a sync since the server began to keep it
            continue
        said = (revoked is None, synced)
        newest[worker] = max(said, newest.get(worker, said))
    return {
        worker: dt.datetime.fromtimestamp(ms / 1000, dt.UTC).isoformat()
        for worker, (_in_use, ms) in sorted(newest.items())
    }


def _shared(records: list[Record], scope: str = TEAM_SCOPE) -> dict[str, bool]:
    """What each participant's latest consent of ``scope`` the server holds says
    (``registry.consent_decision``): team sharing unless said."""
    held: dict[str, list[tuple[object, str, object]]] = {}
    for rec in records:
        if rec.table_name != "consent" or rec.deleted or rec.fields.get("scope") != scope:
            continue
        said = (rec.fields.get("version"), rec.hlc, rec.fields.get("given"))
        held.setdefault(str(rec.participant_id), []).append(said)
    return {pid: registry.consent_decision(said) is True for pid, said in held.items()}


def team_changes(
    s: Session, team_id: str, period: tuple[str, str] | None, kind: str = "supervision"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """The team's synced records as changes, erase commands, and erased participants.

    A period keeps the cases open in it, and everyone whose consent the bundle's kind needs
    says no (team sharing; for evaluation, evaluation too) whatever the period: a withdrawal
    must reach the supervisor's vault that holds them from an earlier bundle. A person who
    withdrew team sharing has no participant record here any more (only their team consent
    records), so no period's test could keep them: their withdrawal never left."""
    tables = [t for t in SYNCABLE_TABLES if t != RECEIPT_TABLE]
    records = list(
        s.scalars(
            select(Record)
            .where(Record.team_id == team_id, Record.table_name.in_(tables))
            .order_by(Record.server_seq)
        )
    )
    shared = _shared(records)
    said_no = {pid for pid, given in shared.items() if not given}
    if kind == "evaluation":
        asked = _shared(records, evaluation.EVALUATION_SCOPE)
        said_no |= {pid for pid, given in asked.items() if not given}
    in_period = {
        rec.row_id
        for rec in records
        if rec.table_name == "participant"
        and open_in_period(
            period,
            rec.fields.get("referred_on") or rec.fields.get("created_on"),
            rec.fields.get("closed_on"),
        )
    }
    changes: list[dict[str, Any]] = []
    for rec in records:
        if rec.sharing != "team":
            continue
        pid = rec.participant_id
        if rec.table_name not in TEAM_TABLES and rec.table_name not in AGGREGATE_TABLES:
            if pid not in in_period and str(pid) not in said_no:
                continue
            if not shared.get(str(pid)):
                withdrawal = (
                    rec.table_name == "consent"
                    and rec.fields.get("scope") == TEAM_SCOPE
                    and rec.fields.get("given") is False
                )
                if not withdrawal:
                    continue
        change = record_as_change(
            rec, str(uuid.uuid5(SERVER_BUNDLE_NAMESPACE, f"{rec.row_id}:{rec.hlc}"))
        )
        data = change.model_dump(mode="json")
        if pid and not shared.get(str(pid)):
            data["fields"] = {k: v for k, v in data["fields"].items() if k in CONSENT_DECISION}
            data["participant_shared"] = False
        changes.append(data)
    receipts = {
        rec.participant_id: rec
        for rec in s.scalars(
            select(Record).where(Record.team_id == team_id, Record.table_name == RECEIPT_TABLE)
        )
    }
    erase: list[dict[str, Any]] = []
    erased: list[str] = []
    for gone in s.scalars(select(Erasure).where(Erasure.team_id == team_id)):
        receipt = receipts.get(gone.participant_id)
        hlc = receipt.hlc if receipt else f"{gone.at_ms:015d}-00000-{gone.device_id}"[:90]
        erased.append(gone.participant_id)
        erase.append(
            erase_record(
                str(uuid.uuid5(SERVER_BUNDLE_NAMESPACE, f"erase:{gone.participant_id}")),
                gone.participant_id,
                hlc,
                origin=receipt.origin if receipt else gone.device_id,
                owner=receipt.owner if receipt else gone.device_id,
            )
        )
        if receipt is not None:
            kept = record_as_change(
                receipt, str(uuid.uuid5(SERVER_BUNDLE_NAMESPACE, receipt.row_id))
            )
            erase.append(kept.model_dump(mode="json"))
    return changes, erase, sorted(erased)


def load_lookup(s: Session) -> evaluation.DeprivationLookup | None:
    source = DeprivationSource.the_row(s)
    if source is None:
        return None
    rows = s.execute(select(DeprivationDecile.postcode, DeprivationDecile.decile))
    return evaluation.DeprivationLookup.from_rows(source.name, source.year, rows)


def export(db: Database, team_ref: str, **order: Unpack[BundleOrder]) -> Sealed:
    """A bundle of the team's synced records (with the team's signed roster inside)."""
    team = find_team(db, team_ref)
    kind = order["kind"]
    with db.reading(snapshot=True) as s:
        key = signing_key(s)
        changes, erase, erased = team_changes(s, team.id, order.get("period"), kind)
        records, more = evaluation.bundle_records(
            kind,
            changes,
            erase,
            lambda: evaluation.Source(
                changes, erased, bytes.fromhex(key_row(s).programme_key), load_lookup(s)
            ),
        )
        if kind == "evaluation":  # which pseudonym is whose (sync.bundle.evaluation_vault)
            workers = s.scalars(select(Worker.id).where(Worker.team_id == team.id)).all()
            more["owners"] = evaluation.owner_pseudonyms(
                bytes.fromhex(key_row(s).programme_key),
                [*workers, *(str(ch["owner"]) for ch in changes if ch.get("owner"))],
            )
        extra: dict[str, Any] = {
            "roster": _roster(s, team.id, team.name),
            "programme": _programme(s),
            **more,
        }
        if kind == "supervision" and not order.get("period"):
            # the whole team's: when each worker last synced (never an evaluation bundle's,
            # whose workers are pseudonyms and carry no timing that would name them)
            extra["synced"] = last_synced(s, team.id)
    sender = Sender("server", "sync server", None, None, team.id)
    sealed = seal(records, sender=sender, key=key, extra=extra, **order)
    m = sealed.manifest
    with db.writing() as s:
        s.add(
            BundleLog(
                bundle_id=m["bundle_id"],
                team_id=team.id,
                kind=kind,
                counts=m["counts"],
                recipients=m["recipients"],
                created_ms=now_ms(),
            )
        )
    log.info(
        "bundle %s (%s) made for team %s: %d records", m["bundle_id"], kind, team.id, m["records"]
    )
    return sealed


# -- deprivation lookup ---------------------------------------------------------------------
def import_deprivation(db: Database, path: Path, **given: Unpack[evaluation.LookupGiven]) -> int:
    lookup = evaluation.read_lookup(path, **given)
    rows = lookup.table_rows()
    with db.writing() as s:
        s.execute(delete(DeprivationDecile))
        s.execute(delete(DeprivationSource))
        for start in range(0, len(rows), 5000):
            s.execute(insert(DeprivationDecile), rows[start : start + 5000])
        s.add(
            DeprivationSource(
                id=DeprivationSource.ROW,
                name=lookup.name,
                year=lookup.year,
                postcodes=len(rows),
                imported_ms=now_ms(),
            )
        )
    return len(rows)
