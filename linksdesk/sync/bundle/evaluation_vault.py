"""The supervisor's pseudonymised copy (``evaluation_record``): who may change which rows,
which of two bundles' values is the newer data, and what of it may be read now.

- **Whose rows.** A laptop speaks only for its worker's caseload. Its participants' rows
  carry the worker's pseudonym as their owner. The server's evaluation bundle says which
  pseudonym is each of its team's workers' (``owners``, signed with its manifest), and binds
  them here; otherwise the first bundle of the worker's laptops binds theirs. A laptop's
  bundle may then neither claim another worker's pseudonym (nor, as its worker's first, one
  this vault holds rows under from a server's bundle that did not say whose it is), nor
  touch (overwrite, delete, erase or withdraw) a participant or row this vault holds under
  another worker, nor move a row to another participant, nor bring a row of a participant
  it does not bring itself and this vault does not hold under its worker. A case changes
  hands through the server, whose bundle is taken as it comes (as for supervision bundles).
- **Newer data wins.** Each record says in which month (or quarter, at the bundle's coarser
  level) its row last changed; a held row is replaced only by data that changed later, so a
  bundle made later from older data (a laptop restored from a backup, one that had not synced
  for weeks) does not undo newer values. Where the two periods overlap (the same month),
  the bundle made later wins, as before.
- **A withdrawal holds until consent is given again.** A withdrawal leaves a marker (the
  person's pseudonym and the consent versions it is, of each scope). A bundle's rows of a
  marked person sent under consents that do not outrank the marker's (every scope's version
  at least its, one later) are left out, whichever bundle was made or imported first: a
  worker's other laptop that never saw the withdrawal still sends the person under their
  old consents. Rows under a later consent (the person agreed again) bring them back and
  lift the marker. A withdrawal its person's held consents outrank is an old word, and
  changes nothing. A bundle from a laptop older than the versions goes, as before, by when
  it was made: a marker keeps out the rows of bundles made before it. A laptop's withdrawal
  or erasure of a person this vault holds no row of is that laptop's word
  (:mod:`~linksdesk.sync.bundle.unconfirmed`, :data:`COPY`): another worker's bundle that
  brings the person still leaves them out, as a withdrawal asks, but says so, until the
  server's evaluation bundle settles it.
- **Still k-anonymous when read.** Withdrawals and erasures shrink the groups a bundle was
  made with; :func:`kept` counts them again at every read and leaves out a group below ``K``.
- **One person, one participant.** A participant row whose mark (``merged_into_id``) names
  another of the same worker's participants held here is a record of that person: it is
  not counted in the groups nor read as a participant, and its rows read as the kept
  record's (``KeptCopy.person``). Undone on the laptop, its next bundle clears the mark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from linksdesk.core import persons
from linksdesk.storage.bundle_tables import BundleLedger, EvaluationRecord
from linksdesk.sync import state
from linksdesk.sync.bundle import unconfirmed
from linksdesk.sync.bundle.contents import is_pseudonym
from linksdesk.sync.bundle.evaluation import (
    CHANGED,
    CONSENTS,
    QUASI_IDENTIFIERS,
    SCOPES,
    WITHDRAWAL,
    period_months,
    too_few,
)
from linksdesk.sync.bundle.format import BundleRefused
from linksdesk.sync.policy import AGGREGATE_TABLES

PAGE = 500
# local_setting: worker id → the owner pseudonym their laptops' evaluation bundles carry
OWNERS = "evaluation_owners"
# where a held row keeps the period it last changed in (beside its pseudonymised fields)
STAMP = "_changed"
# where a held participant row, or a withdrawal's marker, keeps its consent versions
SENT_UNDER = "_consents"
# kept beside a held row's fields, never written in a file for evaluators
KEPT_BESIDE = frozenset({STAMP, SENT_UNDER})
# the rows that keep a person out: an erasure's receipt, a withdrawal's marker
TOMBSTONES = ("erasure_receipt", WITHDRAWAL)


@dataclass
class Outcome:
    applied: int = 0
    unchanged: int = 0
    erased: int = 0


class NotTheirs(BundleRefused):
    def __init__(self) -> None:
        super().__init__(
            "This laptop's evaluation bundle holds records of a participant this vault holds "
            "under another worker. Nothing was imported. If the case was handed over, import "
            "the team's evaluation bundle from the server first; otherwise tell your programme "
            "administrator."
        )


# -- which programme --------------------------------------------------------------------------
def programme_of(manifest: dict[str, Any]) -> str:
    """The programme key's id the bundle's pseudonyms were made with (that it is the vault's
    own programme is :mod:`~linksdesk.sync.bundle.programme`'s check: another programme's
    pseudonyms would make one person two, and two people could meet under one pseudonym)."""
    described = manifest.get("pseudonyms")
    given = described.get("key_id") if isinstance(described, dict) else None
    if not isinstance(given, str):
        raise BundleRefused(
            "This evaluation bundle does not say which programme key its pseudonyms were made "
            "with. Nothing was imported; ask whoever sent it for a new one."
        )
    return given


# -- whose rows --------------------------------------------------------------------------------
def owner_key(s: Session, records: list[dict[str, Any]], worker: str) -> str | None:
    """The worker's pseudonym a laptop's bundle claims, checked against what this vault
    holds; raises :class:`NotTheirs` (or a plain refusal) when it reaches beyond it."""
    claimed = {
        rec.get("owner")
        for rec in records
        if rec["op"] != "erase" and rec["table"] in ("participant", *AGGREGATE_TABLES)
    }
    if len(claimed) > 1:
        raise BundleRefused(
            "This laptop's evaluation bundle holds the caseloads of more than one worker. "
            "Nothing was imported; tell your programme administrator."
        )
    owners = _owners(s)
    key = next(iter(claimed), None) or owners.get(worker)
    if key != owners.get(worker, key) or any(
        other != worker and held == key for other, held in owners.items()
    ):
        raise BundleRefused(
            "This laptop's evaluation bundle files its worker's records under another "
            "worker's pseudonym (the server's bundles say whose each is). Nothing was "
            "imported; tell your programme administrator."
        )
    if key is not None and worker not in owners and _held_under(s, key):
        raise BundleRefused(
            "This laptop's evaluation bundle is the first of its worker's, and claims records "
            "this vault holds only from the server's bundles, which do not say whose they are "
            "(an older server made them). Nothing was imported; import the team's newest "
            "evaluation bundle from the server first (an updated server's says whose each "
            "worker's records are), then this one again."
        )
    _check_held(s, records, key)
    return key


def _owners(s: Session) -> dict[str, str]:
    """Worker id → their pseudonym, as this vault holds it."""
    return dict(state.local_setting(s, OWNERS) or {})


def _held_under(s: Session, key: str) -> bool:
    """Whether this vault holds rows filed under the pseudonym ``key``."""
    found = select(EvaluationRecord.record_id).where(EvaluationRecord.owner_key == key)
    return s.scalar(found.limit(1)) is not None


def server_owners(manifest: dict[str, Any]) -> dict[str, str]:
    """Which pseudonym is whose, as a server's evaluation bundle says (``{}`` from a server
    older than this: its bundle binds none); refused if it is damaged."""
    given = manifest.get("owners")
    if given is None:
        return {}
    fits = isinstance(given, dict) and all(
        isinstance(worker, str) and 0 < len(worker) <= 64 and is_pseudonym(key)
        for worker, key in given.items()
    )
    if not fits or len(set(given.values())) != len(given):
        raise BundleRefused(
            "The server's evaluation bundle says whose its pseudonyms are in a damaged way. "
            "Nothing was imported; ask for a new one."
        )
    return dict(given)


def _check_held(s: Session, records: list[dict[str, Any]], key: str | None) -> None:
    """No participant held under another worker's pseudonym (as the last bundle to say whose
    they are said: a handover through the server moves them), no row moved to another."""
    people = {str(r["participant_id"]) for r in records if r.get("participant_id")}
    for chunk in _pages(sorted(people)):
        owners = s.scalars(
            select(EvaluationRecord.owner_key).where(
                EvaluationRecord.table_name == "participant",
                EvaluationRecord.record_id.in_(chunk),
            )
        )
        if any(owner != key for owner in owners):
            raise NotTheirs()
    # a row of a participant the bundle does not bring, nor this vault hold under its
    # worker, would wait for a colleague's bundle to bring that participant and then sit in
    # their case as this worker's (a withdrawal or an erasure comes alone)
    brought = {str(r["id"]) for r in records if r["table"] == "participant" and r["op"] != "erase"}
    loose = {
        str(r["participant_id"])
        for r in records
        if r.get("participant_id") and r["op"] != "erase" and r["table"] != WITHDRAWAL
    }
    for chunk in _pages(sorted(loose - brought)):
        mine = s.scalars(
            select(EvaluationRecord.record_id).where(
                EvaluationRecord.table_name == "participant",
                EvaluationRecord.record_id.in_(chunk),
                EvaluationRecord.owner_key == key,
            )
        )
        if len(set(mine)) < len(chunk):
            raise BundleRefused(
                "This laptop's evaluation bundle holds records of a participant it does not "
                "bring, and whom this vault does not hold on its worker's caseload. Nothing "
                "was imported."
            )
    wanted = [(str(r["table"]), str(r["id"])) for r in records if r["op"] != "erase"]
    given = {(str(r["table"]), str(r["id"])): r for r in records}
    for chunk in _pages(wanted):
        held_rows = s.execute(
            select(
                EvaluationRecord.table_name,
                EvaluationRecord.record_id,
                EvaluationRecord.participant_key,
                EvaluationRecord.owner_key,
            ).where(tuple_(EvaluationRecord.table_name, EvaluationRecord.record_id).in_(chunk))
        )
        for table, record_id, participant, owner in held_rows:
            rec = given[(table, record_id)]
            moved = participant != rec.get("participant_id")
            if moved or (table in AGGREGATE_TABLES and owner != rec.get("owner")):
                raise NotTheirs()


def bind(s: Session, worker: str, key: str | None) -> None:
    """Remember the pseudonym a worker's laptops use (the first bundle that carries one)."""
    owners = _owners(s)
    if key is not None and worker not in owners:
        owners[worker] = key
        state.put_local_setting(s, OWNERS, owners)


def bind_as_the_server_says(s: Session, said: dict[str, str]) -> int:
    """Bind each pseudonym to the worker the server's bundle says it is (the server made
    them, with the programme key): its word replaces what a laptop's bundle bound. A laptop
    that claimed a pseudonym the server says is not its worker's filed its rows under
    another's caseload: what its worker's bundles brought under it is dropped. Returns how
    many rows."""
    if not said:
        return 0
    held = _owners(s)
    whose = {key: worker for worker, key in said.items()}
    wrong = {w: k for w, k in held.items() if whose.get(k, w) != w or said.get(w, k) != k}
    dropped = 0
    for worker, key in wrong.items():
        theirs = select(BundleLedger.bundle_id).where(
            BundleLedger.direction == "import", BundleLedger.worker_id == worker
        )
        gone = s.execute(
            delete(EvaluationRecord).where(
                EvaluationRecord.owner_key == key, EvaluationRecord.bundle_id.in_(theirs)
            )
        )
        dropped += int(getattr(gone, "rowcount", 0) or 0)
    kept = {w: k for w, k in held.items() if w not in wrong}
    state.put_local_setting(s, OWNERS, {**kept, **said})
    return dropped


def _pages(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), PAGE):
        yield items[start : start + PAGE]


# -- newer data wins ---------------------------------------------------------------------------
def newer_data(incoming: object, held: object) -> bool | None:
    """Whether a record's data changed after the held row's (None: the periods overlap, or
    one of them is not known, so the data alone cannot say)."""
    a, b = period_months(incoming), period_months(held)
    if a is None or b is None:
        return None
    if a[0] > b[1]:
        return True
    if a[1] < b[0]:
        return False
    return None


# -- applying ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bundle:
    """Which bundle the records come from, as the rows will say."""

    bundle_id: str
    signer: str
    made: dt.datetime  # naive UTC


def apply(s: Session, records: list[dict[str, Any]], bundle: Bundle) -> Outcome:
    """Keep the records in ``evaluation_record``: erasures first, then withdrawals, then rows."""
    out = Outcome()
    made = bundle.made
    erased = set(
        s.scalars(
            select(EvaluationRecord.record_id).where(
                EvaluationRecord.table_name == "erasure_receipt"
            )
        )
    )
    for rec in records:
        if rec["op"] != "erase":
            continue
        key = rec["id"]
        gone = s.execute(delete(EvaluationRecord).where(EvaluationRecord.participant_key == key))
        if key not in erased:
            s.add(
                _row(
                    bundle,
                    "erasure_receipt",
                    key,
                    None,
                    None,
                    False,
                    {"erased_in_bundle": bundle.bundle_id},
                )
            )
            erased.add(key)
            if getattr(gone, "rowcount", 0):
                out.erased += 1
    s.flush()
    under = {
        rec["participant_id"]: rec[CONSENTS]
        for rec in records
        if rec["table"] == "participant" and rec["op"] != "erase" and rec.get(CONSENTS)
    }
    markers, stale = _withdrawals(s, records, made)
    for rec in records:
        pid = rec.get("participant_id")
        if rec["op"] == "erase" or pid in erased:
            continue
        if rec["table"] == WITHDRAWAL:
            _mark(s, rec, bundle, out, stale)
            continue
        if pid in markers and not _lifted(s, markers, pid, under.get(pid), made):
            out.unchanged += 1  # sent under consents the withdrawal outranks
            continue
        table = str(rec.get("table"))
        row = s.get(EvaluationRecord, (table, rec["id"]))
        deleted = rec["op"] == "delete"
        fields = _stamped({} if deleted else rec["fields"], rec.get(CHANGED))
        if table == "participant" and pid in under:
            held = None if row is None else row.fields.get(SENT_UNDER)
            fields[SENT_UNDER] = _latest(held, under[pid])
        if row is None:
            s.add(
                _row(
                    bundle,
                    table,
                    rec["id"],
                    rec.get("participant_id"),
                    rec.get("owner"),
                    deleted,
                    fields,
                )
            )
            out.applied += 1
            continue
        newer = newer_data(rec.get(CHANGED), row.fields.get(STAMP))
        later = newer is True or (newer is None and row.bundle_created < made)
        moved = row.owner_key != rec.get("owner")  # a case handed over (through the server)
        if later and (_content(row.fields) != _content(fields) or row.deleted != deleted or moved):
            row.fields, row.deleted, row.owner_key = fields, deleted, rec.get("owner")
            _brought_by(row, bundle)
            out.applied += 1
        else:
            if SENT_UNDER in fields and row.fields.get(SENT_UNDER) != fields[SENT_UNDER]:
                row.fields = {**row.fields, SENT_UNDER: fields[SENT_UNDER]}
            out.unchanged += 1
    return out


def outranks(sent: dict[str, int], withdrawn: dict[str, int]) -> bool:
    """Whether consents of the versions ``sent`` are a later word than a withdrawal of the
    versions ``withdrawn``: no scope's older, one newer (the person agreed again)."""
    pairs = [(sent.get(scope, 0), withdrawn.get(scope, 0)) for scope in SCOPES]
    return all(a >= b for a, b in pairs) and any(a > b for a, b in pairs)


def _latest(held: dict[str, int] | None, given: dict[str, int]) -> dict[str, int]:
    """Each scope's latest version of the two (versions only ever grow)."""
    if held is None:
        return dict(given)
    return {scope: max(held.get(scope, 0), given.get(scope, 0)) for scope in SCOPES}


@dataclass(frozen=True)
class Marker:
    """A withdrawal held: when its bundle was made, and the consent versions it is (None:
    from a laptop older than them)."""

    made: dt.datetime
    versions: dict[str, int] | None


def _lifted(
    s: Session,
    markers: dict[Any, Marker],
    pid: Any,
    sent: dict[str, int] | None,
    made: dt.datetime,
) -> bool:
    """Whether a bundle's rows of a marked person come in: under consents that outrank the
    withdrawal's (which lifts its marker), or (either not saying its versions) made after it."""
    marker = markers[pid]
    if marker.versions is None or sent is None:
        return marker.made <= made
    if not outranks(sent, marker.versions):
        return False
    s.execute(
        delete(EvaluationRecord).where(
            EvaluationRecord.table_name == WITHDRAWAL, EvaluationRecord.record_id == pid
        )
    )
    del markers[pid]
    return True


def _mark(s: Session, rec: dict[str, Any], bundle: Bundle, out: Outcome, stale: set[str]) -> None:
    """Keep (or bring up to date) the marker of a person's withdrawal."""
    versions = rec.get(CONSENTS)
    row = s.get(EvaluationRecord, (WITHDRAWAL, rec["id"]))
    if rec["id"] in stale:
        out.unchanged += 1  # the person's held consents are a later word
    elif row is None:
        fields = {} if versions is None else {SENT_UNDER: dict(versions)}
        s.add(_row(bundle, WITHDRAWAL, rec["id"], rec["participant_id"], None, False, fields))
        out.applied += 1
    else:
        held = row.fields.get(SENT_UNDER)
        latest = held if versions is None else _latest(held, versions)
        if row.bundle_created < bundle.made:
            row.bundle_created = bundle.made  # withdrawn again, later: older rows stay out
        if latest is not None and latest != held:
            row.fields = {**row.fields, SENT_UNDER: latest}
            out.applied += 1
        else:
            out.unchanged += 1


def _row(
    bundle: Bundle,
    table: str,
    record_id: str,
    participant: str | None,
    owner: str | None,
    deleted: bool,
    fields: dict[str, Any],
) -> EvaluationRecord:
    row = EvaluationRecord(table_name=table, record_id=record_id, deleted=deleted, fields=fields)
    row.participant_key, row.owner_key = participant, owner
    _brought_by(row, bundle)
    return row


def _brought_by(row: EvaluationRecord, bundle: Bundle) -> None:
    """Which bundle brought the row's values, and when it was made."""
    row.bundle_id, row.signer, row.bundle_created = bundle.bundle_id, bundle.signer, bundle.made


def _stamped(fields: dict[str, Any], changed: object) -> dict[str, Any]:
    return fields if changed is None else {**fields, STAMP: changed}


def _content(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k not in KEPT_BESIDE}


def _withdrawals(
    s: Session, records: list[dict[str, Any]], made: dt.datetime
) -> tuple[dict[Any, Marker], set[str]]:
    """Drop what this vault holds of each person this bundle says withdrew, as far as the
    withdrawal outranks it; return the markers held before this bundle (few: one per person
    who withdrew, not an IN over a team's thousands), and the bundle's withdrawals that the
    person's held consents outrank (an old word, which changes nothing)."""
    markers = {
        key: Marker(made_then, fields.get(SENT_UNDER))
        for key, made_then, fields in s.execute(
            select(
                EvaluationRecord.record_id,
                EvaluationRecord.bundle_created,
                EvaluationRecord.fields,
            ).where(EvaluationRecord.table_name == WITHDRAWAL)
        )
    }
    stale: set[str] = set()
    for rec in records:
        if rec["table"] != WITHDRAWAL:
            continue
        person = s.get(EvaluationRecord, ("participant", rec["participant_id"]))
        sent = None if person is None else person.fields.get(SENT_UNDER)
        versions = rec.get(CONSENTS)
        theirs = [
            EvaluationRecord.participant_key == rec["participant_id"],
            EvaluationRecord.table_name != WITHDRAWAL,
        ]
        if versions is None or sent is None:
            theirs.append(EvaluationRecord.bundle_created < made)  # older rows
        elif outranks(sent, versions):
            stale.add(rec["id"])
            continue
        s.execute(delete(EvaluationRecord).where(*theirs))
    return markers, stale


# -- a laptop's word that a person is gone -----------------------------------------------------
def said_in(s: Session, records: list[dict[str, Any]], owners: dict[str, str]) -> unconfirmed.Said:
    """What an evaluation bundle says (``unconfirmed``): its erasures and withdrawals, the
    people of its other rows, and whose a server's bundle holds each participant under
    (``owners``: which pseudonym is whose, as it says, else as this vault was told)."""
    gone, brought = set(), set()
    for rec in records:
        if rec["op"] == "erase" or rec["table"] == WITHDRAWAL:
            gone.add(str(rec["id"] if rec["op"] == "erase" else rec["participant_id"]))
        elif rec.get("participant_id"):
            brought.add(str(rec["participant_id"]))
    whose = {key: worker for worker, key in {**_owners(s), **owners}.items()}
    holders = {
        str(rec["id"]): whose[rec["owner"]]
        for rec in records
        if rec["table"] == "participant" and rec["op"] == "upsert" and rec.get("owner") in whose
    }
    return unconfirmed.Said(gone, brought, holders)


def _people_held(s: Session, keys: set[str]) -> set[str]:
    held = EvaluationRecord.table_name == "participant"
    return unconfirmed.found(s, EvaluationRecord.record_id, keys, held)


def _kept_out(s: Session, keys: set[str]) -> set[str]:
    """Of ``keys``, those an erasure's receipt or a withdrawal's marker keeps out."""
    tombstone = EvaluationRecord.table_name.in_(TOMBSTONES)
    return unconfirmed.found(s, EvaluationRecord.record_id, keys, tombstone)


def _lift(s: Session, key: str) -> None:
    """The person's erasure receipt and withdrawal's marker, overruled by the server's bundle."""
    s.execute(
        delete(EvaluationRecord).where(
            EvaluationRecord.table_name.in_(TOMBSTONES), EvaluationRecord.record_id == key
        )
    )


COPY = unconfirmed.Copy("unconfirmed_evaluation_removals", _people_held, _kept_out, _lift)


# -- reading the copy --------------------------------------------------------------------------
@dataclass(frozen=True)
class KeptCopy:
    """The copy as it may be read now: each table's live rows of the participants whose group
    (the quasi-identifiers) still holds at least ``K``, and how many were left out. A row of
    a record merged into another of its person's is read as the kept record's (``person``)."""

    rows: dict[str, list[EvaluationRecord]]
    participants: int
    left_out: int
    away: dict[str, str] = field(default_factory=dict)  # record merged away → kept record

    def person(self, participant_key: str | None) -> str | None:
        """The participant a row is about, as read: the kept record of its person."""
        if participant_key is None:
            return None
        return self.away.get(participant_key, participant_key)


def merged_away(participants: dict[str, EvaluationRecord]) -> dict[str, str]:
    """Each participant row held merged away → the kept record of its person: its mark
    names a participant held here under the same worker (a bundle speaks only for its own
    worker's caseload, so it cannot fold its people into another's)."""
    marks = {}
    for pid, row in participants.items():
        into = row.fields.get(persons.MARK[0])
        held = participants.get(into) if isinstance(into, str) else None
        if held is not None and held.owner_key == row.owner_key:
            marks[pid] = str(into)
    return persons.resolve(marks, participants)


def kept(s: Session) -> KeptCopy:
    """Every report or file made from the copy reads it through here.

    Bundles are k-anonymous when made, but the copy changes after: a withdrawal or an
    erasure removes a person, and a group of five becomes four. So the groups are counted
    again at every read, among each worker's people (the files name each row's worker), and
    a participant whose group has fallen below ``K`` (or whose own row never came) is left
    out with everything of theirs. A person registered twice counts
    once: the kept record's row stands for them (``merged_away``).
    """
    live = s.scalars(
        select(EvaluationRecord)
        .where(
            EvaluationRecord.deleted.is_(False),
            EvaluationRecord.table_name.not_in((WITHDRAWAL, "erasure_receipt")),
        )
        .order_by(EvaluationRecord.table_name, EvaluationRecord.record_id)
    ).all()
    participants = {row.record_id: row for row in live if row.table_name == "participant"}
    away = merged_away(participants)
    group = {
        pid: (row.owner_key, *(row.fields.get(q) for q in QUASI_IDENTIFIERS))
        for pid, row in participants.items()
        if pid not in away
    }
    people = group.keys() - too_few(group)  # within one worker's people (``too_few``)
    rows: dict[str, list[EvaluationRecord]] = {}
    for row in live:
        if row.table_name == "participant" and row.record_id in away:
            continue  # the person's kept record stands for them
        person = away.get(row.participant_key or "", row.participant_key)
        if person is None or person in people:
            rows.setdefault(row.table_name, []).append(row)
    known = group.keys() | {away.get(r.participant_key, r.participant_key) for r in live
                            if r.participant_key}  # fmt: skip
    return KeptCopy(rows, len(people), len(known - people), away)
