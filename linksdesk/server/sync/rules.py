"""The rules a pushed change must pass, why one is refused, and the words a worker reads."""

from __future__ import annotations

import math
from collections.abc import Iterable
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import select

from linksdesk.core import registry, validate
from linksdesk.core.hlc import HLC, MAX_DRIFT_MS
from linksdesk.core.vocab import IN_ERROR_COLUMN, Sharing
from linksdesk.server.models import Device, Handover
from linksdesk.server.sync.batch import BatchState, Row
from linksdesk.server.sync.consent import consent_rank
from linksdesk.sync.merge import DELETED
from linksdesk.sync.policy import shareable_columns
from linksdesk.sync.protocol import (
    CONFLICT_TABLE,
    PARTICIPANT_TABLE,
    RECEIPT_TABLE,
    SYNCABLE_TABLES,
    WORKER_TABLES,
    Change,
    Op,
    Role,
    is_participant_routed,
)

MERGED_INTO = "merged_into_id"  # a participant record's mark: the same person as another
NOTE_REVISION_TABLE = "note_revision"  # a case note's words: a new revision for every edit


class Refusal(StrEnum):
    """Why a change was refused: the code goes to the refusal log, the text to the device."""

    PRIVATE = "private_row"
    NOT_SHARED = "participant_not_shared"
    CONSENT_WITHDRAWN = "team_consent_withdrawn"
    CLOCK_AHEAD = "clock_ahead"
    UNKNOWN_TABLE = "unknown_table"
    SERVER_TABLE = "server_table"
    LOCAL_FIELD = "local_field"
    EMPTY = "empty_change"
    BAD_ROUTING = "bad_routing"
    NOT_YOUR_CASE = "not_your_case"
    OTHER_TEAM = "other_team"
    ERASED = "participant_erased"
    NOT_ALLOWED = "not_allowed"
    BAD_VALUE = "unstorable_value"
    INVALID_VALUE = "invalid_value"
    MISSING_PARENT = "missing_parent"
    NOT_YOUR_DEVICE = "not_your_device"
    NOT_YOUR_TOTALS = "not_your_totals"
    CONSENT_REWRITTEN = "consent_rewritten"
    NOTE_REWRITTEN = "note_rewritten"
    RECEIPT_REWRITTEN = "receipt_rewritten"
    INCOMPLETE = "incomplete_row"
    MERGE_TARGET = "merge_target"


REFUSAL_TEXT: dict[Refusal, str] = {
    Refusal.PRIVATE: "Private records never leave the device, so the server refused this one.",
    Refusal.NOT_SHARED: (
        "This person has not agreed to share their record with the team, so the server refused it."
    ),
    Refusal.CONSENT_WITHDRAWN: (
        "This person withdrew consent to share with the team, so the server refused it."
    ),
    Refusal.CLOCK_AHEAD: (
        "This device's clock is more than 5 minutes ahead of the server's. Correct the "
        "date and time on this computer, then sync again."
    ),
    Refusal.UNKNOWN_TABLE: "The server does not know this kind of record. Update the server.",
    Refusal.SERVER_TABLE: "Only the server makes this kind of record.",
    Refusal.LOCAL_FIELD: "This change carried details that stay on the device; it was refused.",
    Refusal.EMPTY: "This change did not carry anything to save.",
    Refusal.BAD_ROUTING: "This change does not say which person or record it belongs to.",
    Refusal.NOT_YOUR_CASE: (
        "This person is not on your caseload (the case may have been handed to a colleague)."
    ),
    Refusal.OTHER_TEAM: "This record belongs to another team.",
    Refusal.ERASED: "This person's record was erased; the change was not kept.",
    Refusal.NOT_ALLOWED: "Only the person's links worker or a supervisor can do this.",
    Refusal.BAD_VALUE: (
        "This change holds a value the server cannot store (a number that is not a number, "
        "or a broken character). It was not kept."
    ),
    Refusal.INVALID_VALUE: (
        "This change holds a value that does not fit its field, so the server did not keep "
        "it and no other device will receive it. Correct the record and sync again."
    ),
    Refusal.MISSING_PARENT: (
        "This change points at a record the server does not hold (it may be private or not "
        "yet sent), so it was not kept."
    ),
    Refusal.NOT_YOUR_DEVICE: (
        "This change says it was made on another device; a device may send only its own changes."
    ),
    Refusal.NOT_YOUR_TOTALS: "These monthly totals are a colleague's; only they can change them.",
    Refusal.CONSENT_REWRITTEN: (
        "A consent, once recorded, stays as it was: record a new consent (or its withdrawal) "
        "instead. The server did not keep this change."
    ),
    Refusal.NOTE_REWRITTEN: (
        "A case note's words, once sent, stay as they were written: write a new version of "
        "the note instead. The server did not keep this change."
    ),
    Refusal.RECEIPT_REWRITTEN: (
        "The record that a person was forgotten stays as it was written. The server did not "
        "keep this change."
    ),
    Refusal.INCOMPLETE: (
        "This new record lacks details every record of its kind must have, so the server "
        "did not keep it and no other device will receive it."
    ),
    Refusal.MERGE_TARGET: (
        "This record was marked as the same person as another record, and the server did "
        "not keep the mark: the two records stay apart."
    ),
}


def reason(state: BatchState, ch: Change, refusal: Refusal) -> str:
    """What the device is told: the refusal's text, and for a value or a record that does
    not fit, which column (never the value: it may be case content)."""
    text = REFUSAL_TEXT[refusal]
    if refusal is Refusal.INVALID_VALUE:
        return f"{text} ({'; '.join(validate.problems(ch.table, ch.fields))})"
    if refusal is Refusal.INCOMPLETE:
        return f"{text} (missing: {', '.join(_incomplete(state, ch))})"
    if refusal is Refusal.MERGE_TARGET:
        why = merge_target_problem(state, ch)
        return MERGE_TARGET_TEXT[why] if why is not None else text
    return text


class MergeTarget(StrEnum):
    """Why a mark "the same person as" was not kept: each with its own words (the refusal
    log keeps the one code, ``Refusal.MERGE_TARGET``)."""

    NOT_HELD = "not_held"
    OTHER_TEAM = "other_team"
    NOT_YOURS = "not_yours"
    NOT_SHARED = "not_shared"


_APART = (
    "The server did not keep the mark: on the server and your other laptops the two "
    "records stay apart."
)
_AGAIN = "choose Not the same person after all… on this laptop and mark them the same again"
MERGE_TARGET_TEXT: dict[MergeTarget, str] = {
    MergeTarget.NOT_HELD: (
        "This record was marked as the same person as a record the server does not hold "
        f"(it was never shared with the team, or not yet sent). {_APART} Sync the laptop "
        f"that holds the other record, then {_AGAIN}."
    ),
    MergeTarget.OTHER_TEAM: (
        f"This record was marked as the same person as a record of another team. {_APART}"
    ),
    MergeTarget.NOT_YOURS: (
        "This record was marked as the same person as a record that is no longer on your "
        f"caseload (it may have been handed to a colleague). {_APART} Talk to the colleague "
        "who now holds the other record."
    ),
    MergeTarget.NOT_SHARED: (
        "This record was marked as the same person as a record whose consent to share with "
        f"the team the server does not hold (not given, or withdrawn). {_APART} If that "
        f"person agrees to share, record their team consent, then {_AGAIN}."
    ),
}


def storable(value: Any) -> bool:
    """Whether a JSON value survives every database and JSON encoder on the way back out.

    Not-a-number and infinite floats, NUL characters and lone surrogates are refused:
    PostgreSQL rejects them, and JSON answers could not carry them to devices.
    """
    kind = type(value)
    if kind is str:  # what a change carries, by far: its exact JSON types first
        return validate.clean_text(value)
    if kind is int or kind is bool or value is None:
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return validate.clean_text(value)
    if isinstance(value, list):
        return all(storable(v) for v in value)
    if isinstance(value, dict):  # a change's fields: a loop, not a generator per value
        for k, v in value.items():
            if not (storable(k) and storable(v)):
                return False
    return True


# -- the rules ------------------------------------------------------------------------------
def check(state: BatchState, ch: Change) -> Refusal | None:
    ctx = state.ctx
    known = ch.table in SYNCABLE_TABLES or ch.table == CONFLICT_TABLE
    if not known:
        return Refusal.UNKNOWN_TABLE
    if ch.sharing != Sharing.TEAM.value:
        return Refusal.PRIVATE
    if ch.table == CONFLICT_TABLE and ch.op is not Op.DELETE:
        return Refusal.SERVER_TABLE
    if ch.op is Op.ERASE and ch.table != PARTICIPANT_TABLE:
        return Refusal.BAD_ROUTING
    clock = HLC.decode(ch.hlc)
    if not may_relay(state, clock.device) or not may_relay(state, ch.origin):
        return Refusal.NOT_YOUR_DEVICE
    if clock.wall_ms > state.now + MAX_DRIFT_MS:
        return Refusal.CLOCK_AHEAD
    if ch.field_hlc:
        return Refusal.BAD_ROUTING  # per-field clocks are the server's to set
    if not storable(ch.fields):
        return Refusal.BAD_VALUE
    if ch.op is Op.UPSERT:
        if not ch.fields:
            return Refusal.EMPTY
        allowed = _shareable(ch.table)
        for name, value in ch.fields.items():
            if name == DELETED:
                if not isinstance(value, bool):
                    return Refusal.BAD_ROUTING
            elif name not in allowed:
                return Refusal.LOCAL_FIELD
        if ch.change_id not in state.fitting and validate.problems(ch.table, ch.fields):
            return Refusal.INVALID_VALUE
        if not _parents_held(state, ch):
            return Refusal.MISSING_PARENT
    owner = state.worker(ch.owner)
    if owner is None or owner.team_id != ctx.team_id:
        return Refusal.OTHER_TEAM
    existing = state.record(ch.table, ch.row_id)
    if existing is not None and existing.team_id != ctx.team_id:
        return Refusal.OTHER_TEAM
    if not is_participant_routed(ch.table):
        if ch.participant_id is not None or "participant_id" in ch.fields:
            return Refusal.BAD_ROUTING
        if ch.table in WORKER_TABLES and (
            ch.owner != ctx.worker_id or (existing is not None and existing.owner != ch.owner)
        ):
            # a worker's totals are theirs alone: a colleague who works out a row's id
            # (it derives from the device id every change carries) neither reads nor writes it
            return Refusal.NOT_YOUR_TOTALS
        if _incomplete(state, ch):
            return Refusal.INCOMPLETE
        if existing is None and not _own_derived_id(ch):
            # nor creates it first: the rightful worker's totals would then be refused
            return Refusal.NOT_YOUR_TOTALS
        return None
    # whose it is and whether it may come in at all are told first, then what it lacks
    refusal = _check_participant(state, ch, existing)
    if refusal is None and merge_target_problem(state, ch) is not None:
        return Refusal.MERGE_TARGET
    return Refusal.INCOMPLETE if refusal is None and _incomplete(state, ch) else refusal


@cache
def _shareable(table: str) -> frozenset[str]:
    return shareable_columns(table)


def may_relay(state: BatchState, origin: str) -> bool:
    """Provenance comes from the token. A change's clock and its ``origin`` must be this
    device's own or those of another device of the same worker: a laptop re-sends what
    the worker's other laptop wrote when team consent is given again (a backfill keeps
    each row's own clock, so a later merge sees the true age of every field) or after a
    server restore. "Same writer" in the merge then still means the one worker's
    devices. A colleague's device, or one the server never enrolled, is refused.
    """
    if origin == state.ctx.device_id:
        return True
    if origin not in state.device_workers:
        dev = state.s.get(Device, origin)
        state.device_workers[origin] = dev.worker_id if dev is not None else None
    return state.device_workers[origin] == state.ctx.worker_id


def _incomplete(state: BatchState, ch: Change) -> list[str]:
    """The required columns a row this change brings to life lacks, counting what the
    batch's other changes of the row bring (a repair sends a row one field clock at a
    time): devices hold a row only once it has them all, so one without would wait on
    every device for good."""
    if ch.op is not Op.UPSERT or ch.fields.get(DELETED) is True:
        return []  # a tombstone: devices keep one of a row they never held as it is
    lacks = validate.missing(ch.table, ch.fields)  # most changes: none, nothing more to do
    if not lacks:
        return []
    held = state.record(ch.table, ch.row_id)
    if held is not None and not held.deleted:
        return []
    brought = state.brought.get((ch.table, ch.row_id), set())
    return [n for n in lacks if n not in brought and (held is None or n not in held.fields)]


def _own_derived_id(ch: Change) -> bool:
    """Whether a new row whose id derives from the device that made it (a monthly total:
    ``id_from`` in the registry) has the id that device derives. Its origin was checked to
    be this worker's device, so a colleague's id is refused, a delete among them."""
    if not registry.BY_NAME[ch.table].id_from:
        return True
    return registry.derived_id(ch.table, {**ch.fields, "origin": ch.origin}) == ch.row_id


def _parents_held(state: BatchState, ch: Change) -> bool:
    """Every row the change points at is held here, in this team (and case)."""
    for table, row_id in validate.references(ch.table, ch.fields).values():
        parent = state.record(table, row_id)
        if parent is None or parent.team_id != state.ctx.team_id:
            return False
        if parent.participant_id is not None and parent.participant_id != ch.participant_id:
            return False
    return True


def merge_target_problem(state: BatchState, ch: Change) -> MergeTarget | None:
    """Why a participant record may not be marked merged into another (two records of one
    person, ``merged_into_id``), or None when it may.

    Only into a participant this team holds, on this worker's caseload, whose latest team
    consent the server holds says given: a mark naming any other would put this record's
    content under a person the team may not see, or shares nothing about (devices set such
    a mark aside too: ``sync/pull_rules.py``). Or into a participant this team erased,
    whose record no longer exists anywhere: nothing can go under it, and the mark is what
    the worker decided (the same person). It is the state the other order of the same two
    events leaves (the mark taken first, the erasure after), so both orders end alike; each
    laptop holding the marked record then tells the worker (``sync/same_person.py``)."""
    if ch.table != PARTICIPANT_TABLE or ch.op is not Op.UPSERT:
        return None
    target = ch.fields.get(MERGED_INTO)
    if target is None:
        return None
    if not isinstance(target, str) or target == ch.row_id:
        return MergeTarget.NOT_HELD
    held = state.record(PARTICIPANT_TABLE, target)
    if held is None and state.is_erased(target):
        # erased by this team (receipts are kept per team) and held by none other
        return MergeTarget.OTHER_TEAM if state.held_by_other_team(target) else None
    if held is None or held.deleted:
        # a case whose team sharing was withdrawn keeps only its consent records here
        kept = state.consents_of(target)
        mine = kept and all(row.team_id == state.ctx.team_id for row in kept)
        withdrawn = mine and state.latest_team_consent(target) is False
        return MergeTarget.NOT_SHARED if withdrawn else MergeTarget.NOT_HELD
    if held.team_id != state.ctx.team_id:
        return MergeTarget.OTHER_TEAM
    if state.is_erased(target):
        return MergeTarget.NOT_HELD  # (its content was purged: no row should be left)
    access = state.owner_access(target)
    if access is None or access.worker_id != state.ctx.worker_id:
        return MergeTarget.NOT_YOURS
    if state.latest_team_consent(target) is not True:
        return MergeTarget.NOT_SHARED
    return None


def _own_withdrawal_on_handed(state: BatchState, ch: Change, existing: Row | None) -> bool:
    """Whether ``ch`` is a new team consent record withdrawing sharing (or the receipt of
    an erasure), recorded by the worker who handed this case over (on a laptop that had not
    yet heard of the handover).

    The withdrawal is the participant's decision, not a change to the colleague's case:
    refused, it would stay on the old worker's laptop while the team went on sharing the
    case. So it is taken, as any team consent is (a new record, never a rewrite), and the
    server drops the case as for any withdrawal; its owner stays the colleague's
    (``push._merge``)."""
    if ch.op is not Op.UPSERT:
        return False
    new = existing is None
    withdrawal = new and state.is_team_consent(ch) and ch.fields.get("given") is False
    # likewise the receipt of an erasure this worker's laptop made, in the batch with the
    # erase command the server takes from them (``_check_participant``, Op.ERASE) or after
    # it (a sync check's repair sends a copy, which may not change it: ``_rewritten``)
    pid = str(ch.participant_id)
    receipt = ch.table == RECEIPT_TABLE and (pid in state.erasing or state.is_erased(pid))
    return (withdrawal or receipt) and _handed_by_this_worker(state, ch)


def _consent_after_own_withdrawal(state: BatchState, ch: Change) -> bool:
    """Whether ``ch`` is a team consent record for a case on no caseload whose withdrawal
    this worker's devices recorded after they had handed the case on
    (``_own_withdrawal_on_handed``).

    Only that worker's laptop holds the record then (kept there, private); the colleague's
    dropped it. The participant who gives consent again gives it to the worker who holds
    their record: refused, the case could never be shared again. So the case comes back
    to that worker's caseload, as any case on no caseload does with its first change
    (``push._merge``); an administrator hands it on again if it should be the colleague's.
    A withdrawal the colleague recorded leaves the case theirs."""
    if ch.op is not Op.UPSERT or not state.is_team_consent(ch):
        return False
    kept = [row for row in state.consents_of(str(ch.participant_id)) if not row.deleted]
    team = [row for row in kept if row.fields.get("scope") == registry.TEAM_SCOPE]
    if not team:
        return False
    latest = max(team, key=consent_rank)
    if latest.fields.get("given") is not False or not may_relay(state, latest.origin):
        return False
    return _handed_by_this_worker(state, ch)


def _handed_by_this_worker(state: BatchState, ch: Change) -> bool:
    """Whether the server's handover records say this worker handed ``ch``'s case on."""
    return (
        state.s.scalar(
            select(Handover.id)
            .where(
                Handover.participant_id == ch.participant_id,
                Handover.from_worker == state.ctx.worker_id,
            )
            .limit(1)
        )
        is not None
    )


def _own_mark_on_handed(state: BatchState, ch: Change, existing: Row | None) -> bool:
    """Whether ``ch`` is this worker's entered-in-error mark, and nothing else, on a row of a
    case they have since handed to a colleague, which only this worker's devices wrote.

    A worker who finds, offline, a case note written in the wrong participant's record
    moves it (the words go into the right record, the original is marked entered in error)
    while the administrator hands the wrong participant's case on: without the mark the
    colleague's copy would show another person's words live, in that person's own record
    and GP summary. So the mark alone is taken: setting it (never taking it off), on a row
    the server holds for this participant, every field of it written by this worker's
    devices (a colleague's edit since leaves it to the colleague), of a case this worker
    handed over. The row's owner stays the colleague's; consent is checked as ever."""
    if ch.op is not Op.UPSERT or not registry.sets_in_error_mark(ch.table, ch.fields):
        return False
    if existing is None or existing.deleted or existing.participant_id != ch.participant_id:
        return False
    if existing.fields.get(IN_ERROR_COLUMN) is not None:
        return False  # marked already (by the colleague, say): theirs to keep as it is
    writers = {existing.origin} | {HLC.decode(str(c)).device for c in existing.field_hlc.values()}
    if not all(may_relay(state, w) for w in writers):
        return False
    return _handed_by_this_worker(state, ch)


def _check_participant(state: BatchState, ch: Change, existing: Row | None) -> Refusal | None:
    ctx = state.ctx
    pid = ch.participant_id
    if pid is None:
        return Refusal.BAD_ROUTING
    if ch.table == PARTICIPANT_TABLE and pid != ch.row_id:
        return Refusal.BAD_ROUTING
    if ch.fields.get("participant_id", pid) != pid:
        return Refusal.BAD_ROUTING
    if existing is not None and existing.participant_id != pid:
        return Refusal.BAD_ROUTING
    if ch.table == CONFLICT_TABLE and existing is None:
        return Refusal.BAD_ROUTING
    access = state.owner_access(pid)
    if access is not None and access.team_id != ctx.team_id:
        return Refusal.OTHER_TEAM
    # a case without an owner (its team sharing withdrawn) is still its team's: its kept
    # consent records say so, and no other team may take it up with a consent of its own
    if access is None and state.held_by_other_team(pid):
        return Refusal.OTHER_TEAM
    if ch.op is Op.ERASE:
        # only the case's worker or a supervisor, within the team; an id the team never
        # held may be erased by its own workers (the receipt is kept for this team only);
        # and the worker who handed the case on, whose laptop forgot the participant
        # before it heard of the handover (else they would stay on the colleague's)
        supervisor = ctx.role == Role.SUPERVISOR
        owner = access.worker_id if access is not None else state.kept_owner_of(pid)
        if (
            owner not in (None, ctx.worker_id)
            and not supervisor
            and not _handed_by_this_worker(state, ch)
        ):
            return Refusal.NOT_ALLOWED
        return None
    if state.is_erased(pid) and ch.table != RECEIPT_TABLE:
        return Refusal.ERASED
    if ch.owner != ctx.worker_id:
        return Refusal.NOT_YOUR_CASE
    if (
        access is not None
        and access.worker_id != ctx.worker_id
        and not _own_mark_on_handed(state, ch, existing)
        and not _own_withdrawal_on_handed(state, ch, existing)
    ):
        return Refusal.NOT_YOUR_CASE
    if (
        access is None
        and state.kept_owner_of(pid) not in (None, ctx.worker_id)
        and not _consent_after_own_withdrawal(state, ch)
    ):
        return Refusal.NOT_YOUR_CASE  # withdrawn: the kept consent records say whose
    if existing is not None:
        rewritten = _rewritten(existing, ch)
        if rewritten is not None:
            return rewritten
    needs_consent = registry.follows_consent(ch.table)
    # a team consent always comes in, given or withdrawn (without its note when withdrawn)
    if not needs_consent or state.is_team_consent(ch):
        return None
    if ch.participant_shared is not True:
        return Refusal.NOT_SHARED
    # defence in depth: the device's flag is not enough, the server's own copy of the
    # team consent records must say yes (deletes too: a tombstone would put a withdrawn
    # case back on the caseload). Devices push team consents before other rows.
    latest = state.latest_team_consent(pid)
    if latest is False:
        return Refusal.CONSENT_WITHDRAWN
    if latest is None:
        return Refusal.NOT_SHARED
    return None


# what a consent record decides; devices never change it, they record a new version
_DECISION = ("scope", "given", "version")


def _rewritten(held: Row, ch: Change) -> Refusal | None:
    """Why ``ch`` may not change ``held``, a row devices only ever add (a consent record, a
    case note's revision, an erasure receipt), or None when it may.

    Devices record a new consent version, write a new revision of a note and keep a
    receipt as the erasure wrote it; they send such a row again only as a copy (a backfill,
    a sync check's repair: its own clocks). A change in place would rewrite the person's
    consent history, what a case note said, or the proof that a person was forgotten, on
    every laptop of the worker."""
    if ch.table == registry.CONSENT_TABLE:
        return Refusal.CONSENT_REWRITTEN if _rewrites(held, ch) else None
    if held.deleted:
        return None
    removed = ch.op is Op.DELETE or ch.fields.get(DELETED) is True
    if ch.table == RECEIPT_TABLE:
        changed = removed or _differs(held, ch, ch.fields)
        return Refusal.RECEIPT_REWRITTEN if changed else None
    if ch.table == NOTE_REVISION_TABLE:
        # the worker's two laptops moving one note to one record make the same revision
        # (its ids derive from the note and the record) with the day of the move in its
        # words: that second one saw nothing held and is kept beside it as a conflict
        words = ("body",) if _made_beside(held, ch) else ()
        placed = [name for name in ch.fields if name not in words]
        return Refusal.NOTE_REWRITTEN if removed or _differs(held, ch, placed) else None
    return None


def _differs(held: Row, ch: Change, names: Iterable[str]) -> bool:
    return any(name in held.fields and ch.fields[name] != held.fields[name] for name in names)


def _made_beside(held: Row, ch: Change) -> bool:
    """Whether ``ch`` made its row without knowing the one held: no base, and the words
    held were written on another device (a device's own words changed are an edit)."""
    written = held.field_hlc.get("body")
    return not ch.base and written is not None and HLC.decode(written).device != ch.origin


def _rewrites(held: Row, ch: Change) -> bool:
    """Whether ``ch`` removes a held consent record or changes what it decided: either
    would leave content on the server under no team consent, or share a case again
    without a new consent, and take the withdrawal out of the person's consent history.
    Which of two records of one version decides is told by their clocks, so a change
    stamped after the record (any field: its method, its note) would decide again."""
    if ch.op is Op.DELETE or ch.fields.get(DELETED) is True:
        return True
    if any(name in ch.fields and ch.fields[name] != held.fields.get(name) for name in _DECISION):
        return True
    return any(ch.clock_of(name) > held.hlc for name in ch.fields)
