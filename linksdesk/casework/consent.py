"""Consent: versioned records per scope; the latest version decides, and decides what may sync."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select

from linksdesk.casework import common, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import Consent, Outcome
from linksdesk.core import registry
from linksdesk.core.changes import RowChange
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import ConsentMethod, ConsentScope
from linksdesk.storage.outbox import drop_unsent_changes
from linksdesk.storage.store import WriteTx, data_columns, row_values
from linksdesk.storage.tables import PARTICIPANT_LINKED, TABLE_BY_NAME
from linksdesk.storage.tables import Consent as ConsentRow
from linksdesk.storage.tables import Participant as ParticipantRow

log = logging.getLogger(__name__)


_CHECKS: dict[str, common.Check] = {"note": common.text("Note", max_len=2000)}


def to_consent(row: ConsentRow) -> Consent:
    return to_dto(Consent, row)


def consent_problem(values: Mapping[str, Any]) -> str | None:
    """Why a consent's note cannot be kept (a letter pasted too long), or None: Record
    consent asks before it closes, so nothing typed is lost to a refusal after."""
    return common.problem(values, _CHECKS, "consent")


def dated_problem(latest: Consent | None, on: dt.date | None) -> str | None:
    """Why a new version of a consent cannot be dated ``on``, or None: dated before the
    deciding one of its scope (``latest``), it would decide over it all the same, the latest
    version deciding whatever its date (a signed form found late undid a withdrawal made
    after it). Record consent asks it before it closes, and ``record_consent`` refuses it."""
    if latest is None or on is None or on >= latest.recorded_on:
        return None
    when = f"{latest.recorded_on.day} {latest.recorded_on:%b %Y}"
    said = "given" if latest.given else "not given"
    return (
        f'The latest "{latest.scope.label}" consent, recorded on {when}, says {said}. One '
        f"dated before it would decide over it all the same: date it {when} or later "
        "(today, if that is what they say now)."
    )


def record_consent(
    cb: Casebook,
    participant_id: str,
    scope: ConsentScope | str,
    given: bool,
    *,
    method: ConsentMethod | str = ConsentMethod.VERBAL,
    recorded_on: dt.date | None = None,
    note: str | None = None,
) -> Outcome[Consent]:
    """Record a new version of one consent; earlier versions stay as history.

    When sharing with the team turns from not given to given, everything already recorded
    about the participant is queued for sync in the same transaction (a backfill). A
    person with two records (found to be one person: ``casework.merging``) decides for
    both: the new version is recorded on each, so the person's consent is what they said
    (Not the same person after all takes a "given" so copied back off the record brought in:
    ``merging.separate_records``).
    """
    the_scope = records.enum_arg(ConsentScope, scope, "Consent scope")
    the_method = records.enum_arg(ConsentMethod, method, "How consent was given")
    if not isinstance(given, bool):
        raise ValidationError("Consent must be given or not given.")
    note_text = _CHECKS["note"](note)
    day = records.today(recorded_on)
    with cb.store.write() as tx:
        rows = []
        for pid in records.person_ids(tx.session, participant_id):
            deciding = tx.session.scalars(
                select(ConsentRow)
                .where(
                    ConsentRow.participant_id == pid,
                    ConsentRow.scope == the_scope.value,
                    ConsentRow.deleted.is_(False),
                )
                .order_by(ConsentRow.version.desc())
                .limit(1)
            ).first()
            problem = dated_problem(to_consent(deciding) if deciding else None, day)
            if problem is not None:  # the dialog says it first; any other caller here
                raise ValidationError(problem)
            row = ConsentRow(
                participant_id=pid,
                scope=the_scope.value,
                given=given,
                version=(deciding.version if deciding else 0) + 1,
                recorded_on=day,
                method=the_method.value,
                note=note_text,
            )
            write_consent(tx, row)
            rows.append(row)
        return Outcome(to_consent(rows[0]), tx.changes)


def write_consent(tx: WriteTx, row: ConsentRow) -> None:
    """Write a new consent version with what it sets off (``record_consent``; the demo too).

    A team consent that withdraws sharing first drops what was queued and not yet sent; one
    that turns sharing on queues everything already recorded about the participant (a
    backfill), after the consent itself.
    """
    pid = row.participant_id
    team = row.scope == ConsentScope.TEAM.value
    was_shared = tx.is_shared(pid)
    if team and was_shared and not row.given:
        # before the withdrawal is queued: it must leave, what was queued before must not
        team_consent_withdrawn(tx, pid)
    # a team consent always leaves (a withdrawal without its note), queued before any
    # backfill so the server holds the consent before the content it allows
    tx.insert(row)
    if team and not was_shared and tx.is_shared(pid):
        backfill(tx, pid, skip=frozenset({row.id}))


def shared_change(row: Any, participant_id: str) -> RowChange:
    """A whole row as a backfill queues it: every field, the row's own clock, now shared."""
    return RowChange(
        table=row.__tablename__,
        row_id=row.id,
        op="upsert",
        hlc=row.hlc,
        values=row_values(row),
        changed=frozenset(data_columns(row)),
        base={},
        participant_id=participant_id,
        participant_shared=True,
    )


def backfill(tx: WriteTx, participant_id: str, *, skip: frozenset[str] = frozenset()) -> int:
    """Queue every live row of a participant as a full-row change; returns how many were queued.

    Parents go first (participant, then linked tables in dependency order) so the server can
    apply them in order. Each change keeps the row's own clock, so a later merge sees the
    true age of every field.
    """
    queued = 0
    tables: list[Any] = [ParticipantRow, *(TABLE_BY_NAME[name] for name in PARTICIPANT_LINKED)]
    for table in tables:
        key = table.id if table is ParticipantRow else table.participant_id  # type: ignore[attr-defined]
        rows = tx.session.scalars(
            select(table).where(key == participant_id, table.deleted.is_(False)).order_by(table.hlc)
        )
        for row in rows:
            if row.id in skip:
                continue
            tx.queue(shared_change(row, participant_id))
            queued += 1
    log.info("team sharing consent given: %d existing rows queued for sync", queued)
    return queued


def team_consent_withdrawn(tx: WriteTx, participant_id: str) -> None:
    """Sharing with the team has just been withdrawn for this participant.

    Call it before the withdrawing consent row is inserted, in the same transaction:
    changes queued while consent stood and not yet sent (the saved pending batch too) are
    dropped here. From then on the policy queues nothing more about them
    (``WriteTx.is_shared`` is False) except team consent records, so the withdrawal itself
    reaches the server, which drops its copy and has the worker's other devices drop theirs.
    """
    dropped = drop_unsent_changes(tx.session, participant_id)
    log.info("team sharing consent withdrawn; %d unsent changes dropped", dropped)


_scope = common.choice(ConsentScope, "Consent scope")


def consent_history(
    cb: Casebook, participant_id: str, scope: ConsentScope | str | None = None
) -> list[Consent]:
    """Every consent record of the participant, by scope then version (oldest first)."""
    where = [] if scope is None else [ConsentRow.scope == _scope(scope)]
    order = (ConsentRow.scope, ConsentRow.version, ConsentRow.hlc)
    return common.list_of(cb, participant_id, ConsentRow, to_consent, order, where)


def current_consent(cb: Casebook, participant_id: str) -> dict[ConsentScope, Consent | None]:
    """The deciding (latest-version) record of each scope, or None where none was recorded."""
    out: dict[ConsentScope, Consent | None] = dict.fromkeys(ConsentScope)
    with cb.store.read() as s:
        ids = records.person_ids(s, participant_id)
        rows = s.scalars(
            select(ConsentRow).where(
                ConsentRow.participant_id.in_(ids), ConsentRow.deleted.is_(False)
            )
        )
        out.update(person_decisions(rows, ids))
    return out


def deciding(rows: Iterable[ConsentRow]) -> dict[tuple[str, str], ConsentRow]:
    """The deciding (latest-version) record of each (participant, scope) among ``rows``."""
    out: dict[tuple[str, str], ConsentRow] = {}
    for r in rows:
        key = (r.participant_id, r.scope)
        known = out.get(key)
        rank = registry.consent_rank(r.version, r.hlc)
        if known is None or rank > registry.consent_rank(known.version, known.hlc):
            out[key] = r
    return out


def person_decisions(
    rows: Iterable[ConsentRow], ids: Sequence[str]
) -> dict[ConsentScope, Consent | None]:
    """What decides each scope for a person whose records are ``ids``: the most restrictive
    of their records' latest decisions. A withdrawal on any record stands for the person,
    and a scope is given only where every record's latest says given (a record with none
    leaves it not given): finding two records to be one person never widens sharing."""
    latest = deciding(rows)
    out: dict[ConsentScope, Consent | None] = {}
    for scope in ConsentScope:
        each = [latest.get((pid, scope.value)) for pid in ids]
        withdrawn = [r for r in each if r is not None and not r.given]
        if withdrawn:
            out[scope] = to_consent(max(withdrawn, key=lambda r: r.recorded_on))
        elif any(r is None for r in each):
            out[scope] = None
        else:
            given = [r for r in each if r is not None]
            out[scope] = to_consent(max(given, key=lambda r: r.recorded_on))
    return out


def current_consent_of_record(
    cb: Casebook, participant_id: str
) -> dict[ConsentScope, Consent | None]:
    """The deciding record of each scope on this one record alone (``current_consent``
    decides for the person, over all their records)."""
    with cb.store.read() as s:
        records.participant(s, participant_id)
        rows = s.scalars(
            select(ConsentRow).where(
                ConsentRow.participant_id == participant_id, ConsentRow.deleted.is_(False)
            )
        )
        latest = deciding(rows)
    out: dict[ConsentScope, Consent | None] = dict.fromkeys(ConsentScope)
    for (_pid, scope), row in latest.items():
        out[ConsentScope(scope)] = to_consent(row)
    return out


def sharing_allowed(cb: Casebook, participant_id: str) -> dict[ConsentScope, bool]:
    """Whether each scope's latest consent is given (no record means not given)."""
    return {
        scope: bool(c is not None and c.given)
        for scope, c in current_consent(cb, participant_id).items()
    }
