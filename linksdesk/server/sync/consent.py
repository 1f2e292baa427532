"""The consent gate and the one server-side purge (erasure and withdrawn team sharing).

Whose case a participant is, what the latest team consent the server holds says (the
registry's decision, the one devices make too), and how a participant's content leaves
the server: rows, change log, superseded values and stored answers deleted, the verify
digests noted, and their key destroyed so every sealed copy elsewhere is unreadable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, cast

from sqlalchemy import Table, and_, bindparam, delete, false, func, select, update
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.server.digests import DigestNotes
from linksdesk.server.models import (
    AppliedOp,
    Batch,
    ChangeLog,
    ParticipantAccess,
    Record,
    SupersededValue,
)
from linksdesk.server.sealing import is_sealed, keyring_of
from linksdesk.server.sync.context import OWNER
from linksdesk.sync.protocol import HANDOVER_TABLE, PARTICIPANT_TABLE, RECEIPT_TABLE

_RECORD = cast(Table, Record.__table__)


class ConsentRow(Protocol):
    """What the consent decision reads of a consent record."""

    hlc: str
    fields: dict[str, Any]


def latest_of(consents: Iterable[ConsentRow]) -> bool | None:
    """What the latest team-sharing consent among ``consents`` (not deleted) says: the
    registry's decision, the one the device makes too."""
    return registry.consent_decision(
        (rec.fields.get("version"), rec.hlc, rec.fields.get("given"))
        for rec in consents
        if rec.fields.get("scope") == registry.TEAM_SCOPE
    )


def consent_rank(rec: ConsentRow) -> tuple[int, str]:
    """Which of a participant's consent records is the later (registry.consent_rank)."""
    return registry.consent_rank(rec.fields.get("version"), rec.hlc)


def latest_team_consent(s: Session, participant_id: str) -> bool | None:
    """What the latest team-sharing consent the server holds says (None: none held)."""
    return latest_of(
        s.scalars(
            select(Record).where(
                Record.table_name == registry.CONSENT_TABLE,
                Record.participant_id == participant_id,
                Record.deleted == false(),
            )
        )
    )


def kept_owner(s: Session, participant_id: str, team_id: str) -> str | None:
    """Whose case a participant is when only their kept consent records remain.

    Within the team, and not from receipts: another team's receipt for the same id (an
    erasure of an id that team never held) says nothing about this team's case.
    """
    return s.scalars(
        select(Record.owner)
        .where(
            Record.participant_id == participant_id,
            Record.team_id == team_id,
            Record.table_name != RECEIPT_TABLE,
        )
        .limit(1)
    ).first()


def held_elsewhere(s: Session, participant_id: str, team_id: str) -> bool:
    """Whether another team holds rows of this participant (receipts aside)."""
    return (
        s.scalars(
            select(Record.team_id)
            .where(
                Record.participant_id == participant_id,
                Record.team_id != team_id,
                Record.table_name != RECEIPT_TABLE,
            )
            .limit(1)
        ).first()
        is not None
    )


def owner_access(s: Session, participant_id: str) -> ParticipantAccess | None:
    return s.scalars(
        select(ParticipantAccess).where(
            ParticipantAccess.participant_id == participant_id,
            ParticipantAccess.mode == OWNER,
        )
    ).first()


# -- the one purge --------------------------------------------------------------------------
@dataclass(frozen=True)
class Purged:
    removed: int  # records deleted
    workers: list[str]  # who could see the case (withdrawal: to be told)
    # withdrawal: the team consent records kept, in clear without their note (each a
    # Record never added to the session: a copy to read)
    kept: list[Record]


def purge_participant(
    s: Session, notes: DigestNotes, pid: str, team_id: str, *, withdrawal: bool
) -> Purged:
    """Take a participant's content off the server, noting every deleted row's digest.

    Erasure (``withdrawal`` False) removes this team's rows of the participant and keeps
    their access rows (the receipt is the case's); a withdrawal of team sharing removes
    their rows and access everywhere but keeps their team consent records, in clear and
    without their note: they decide what the server accepts next and whose case it is.
    Receipts and handover notices carry ids only and stay. Call with nothing pending.
    """
    gone = [Record.participant_id == pid, Record.table_name != RECEIPT_TABLE]
    itself = [Record.table_name == PARTICIPANT_TABLE, Record.row_id == pid]
    history = [
        ChangeLog.participant_id == pid,
        ChangeLog.table_name.not_in((RECEIPT_TABLE, HANDOVER_TABLE)),
    ]
    kept: list[Record] = []
    workers: list[str] = []
    if withdrawal:
        workers = sorted(
            set(
                s.scalars(
                    select(ParticipantAccess.worker_id).where(
                        ParticipantAccess.participant_id == pid
                    )
                )
            )
        )
        kept = _keep_consents(s, pid)
        gone.append(
            ~and_(
                Record.table_name == registry.CONSENT_TABLE,
                Record.row_id.in_([k.row_id for k in kept]),
            )
        )
    else:
        gone.append(Record.team_id == team_id)
        itself.append(Record.team_id == team_id)
        history.append(ChangeLog.team_id == team_id)
    removed = s.scalar(select(func.count()).select_from(Record).where(*gone)) or 0
    for where in (and_(*gone), and_(*itself)):
        notes.records_of(s, where)
        s.execute(delete(Record).where(where))
    s.execute(delete(ChangeLog).where(*history))
    s.execute(delete(SupersededValue).where(SupersededValue.participant_id == pid))
    if withdrawal:
        access = ParticipantAccess.participant_id == pid
        notes.access_of(s, access)
        s.execute(delete(ParticipantAccess).where(access))
    scrub_answers(s, pid)
    keyring_of(s).destroy(s, pid, team_id)  # every sealed copy is unreadable
    return Purged(removed, workers, kept)


def _keep_consents(s: Session, pid: str) -> list[Record]:
    """The participant's team consent records, rewritten in clear without their note."""
    ring = keyring_of(s)
    kept: list[Record] = []
    for row in s.execute(
        select(
            Record.table_name,
            Record.row_id,
            Record.owner,
            Record.participant_id,
            Record.hlc,
            Record.origin,
            Record.fields,
            Record.field_hlc,
        ).where(Record.participant_id == pid, Record.table_name == registry.CONSENT_TABLE)
    ):
        stored = row.fields
        fields = ring.open(s, stored) if is_sealed(stored) else stored
        if not isinstance(fields, dict) or fields.get("scope") != registry.TEAM_SCOPE:
            continue
        fields = {k: v for k, v in fields.items() if k != "note"}
        field_hlc = {k: v for k, v in row.field_hlc.items() if k != "note"}
        kept.append(Record(**{**row._asdict(), "fields": fields, "field_hlc": field_hlc}))
    if kept:
        s.execute(
            update(_RECORD)
            .where(
                _RECORD.c.table_name == bindparam("k_table"),
                _RECORD.c.row_id == bindparam("k_row"),
            )
            .values(fields=bindparam("k_fields"), field_hlc=bindparam("k_hlc")),
            [
                {
                    "k_table": k.table_name,
                    "k_row": k.row_id,
                    "k_fields": k.fields,
                    "k_hlc": k.field_hlc,
                }
                for k in kept
            ],
        )
    return kept


def scrub_answers(s: Session, pid: str) -> None:
    """Drop server values of a purged participant from stored push answers."""
    ops = list(s.scalars(select(AppliedOp).where(AppliedOp.participant_id == pid)))
    by_batch: dict[str, set[str]] = {}
    for op in ops:
        if op.result.get("server_values") is not None:
            op.result = {**op.result, "server_values": None, "server_field_hlc": None}
            by_batch.setdefault(op.batch_key, set()).add(op.change_id)
    for key, ids in by_batch.items():
        batch = s.get(Batch, key)
        if batch is None:
            continue
        results = [
            {**r, "server_values": None, "server_field_hlc": None}
            if r.get("change_id") in ids
            else r
            for r in batch.response.get("results", [])
        ]
        batch.response = {**batch.response, "results": results}
    s.flush()
