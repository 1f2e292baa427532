"""Pulled changes a server that keeps its own rules never sends, set aside before a page
applies (a pull only; the server refuses the same from any device, ``server/sync/rules.py``).

- **Content about a participant the team has no consent to share** (rule 2, on arrival).
  The server takes a participant's content only under a team consent it holds, logs that
  consent before the content, and drops the content when consent is withdrawn; so a change
  about a participant whose latest team consent, on this laptop or on the page that brings
  it, is not "given" comes from a broken or hostile server. Stored, the person would be
  listed here as shared and count in this laptop's monthly totals.
- **A change routed to another participant than its row's**: a participant row under
  another id, a row naming one participant in its envelope and another in its fields, or a
  row held here for one participant that the change names another for. Taken, it would
  move a record between people, or pass the consent check under a name it does not change.
- **A consent record held here rewritten in what it decides** (scope, given, version), or
  a team consent record removed: devices record a new version instead, and the server
  never changes or removes one.

Each is set aside as needing attention, and nothing held here changes (a record this
laptop's worker keeps unshared is left as they wrote it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.registry import CONSENT_TABLE, PARTICIPANT_TABLE, TEAM_SCOPE
from linksdesk.storage.outbox import chunks
from linksdesk.storage.store import shared_participants
from linksdesk.storage.tables import Consent, Participant
from linksdesk.sync.protocol import CONFLICT_TABLE, Op, ServerChange

UNCONSENTED = (
    "The sync server sent a change to the record of a participant this laptop holds no "
    "consent to share with the team for, so it was not taken: nothing on this laptop "
    "changed, and the person is not counted or shown as shared. Tell your programme "
    "administrator."
)
MISROUTED = (
    "The sync server sent a change that names another participant than the record it "
    "changes belongs to, so it was not taken: nothing on this laptop changed. Tell your "
    "programme administrator."
)
CONSENT_REWRITTEN = (
    "The sync server sent a change that would alter what a consent record held here "
    "decides (a new consent is always recorded as a new record), so it was not taken: "
    "nothing on this laptop changed. Tell your programme administrator."
)
MERGED_UNSHARED = (
    "The sync server sent a mark saying a record is the same person as a record this "
    "laptop holds no consent to share with the team for, so it was not taken: nothing on "
    "this laptop changed. Tell your programme administrator."
)
REASONS = (UNCONSENTED, MISROUTED, CONSENT_REWRITTEN, MERGED_UNSHARED)
MERGED_INTO = "merged_into_id"  # storage.people: a record merged into another of one person
DECIDES = ("scope", "given", "version")  # what a consent record says, never changed

_Consents = list[tuple[object, str, object]]


def _team_consent(ch: ServerChange) -> bool:
    return ch.table == CONSENT_TABLE and ch.fields.get("scope") == TEAM_SCOPE


def _routed(ch: ServerChange) -> bool:
    """Whether ``ch`` is a change of a participant's own rows (not an erasure)."""
    return ch.op is not Op.ERASE and registry.follows_consent(ch.table)


def _named(ch: ServerChange) -> str | None:
    return ch.row_id if ch.table == PARTICIPANT_TABLE else ch.participant_id


def _about(ch: ServerChange) -> str | None:
    """The participant whose team consent decides whether ``ch`` may be held here: its
    content's, or a kept conflict's (which carries both versions of a field); None when no
    consent does (team and worker rows, receipts, team consents themselves, erasures)."""
    if ch.table == CONFLICT_TABLE and ch.op is Op.UPSERT:
        return ch.participant_id
    if not _routed(ch) or _team_consent(ch):
        return None
    return _named(ch)


class Held:
    """What a page's changes touch here: each linked row's participant, each consent's
    decision (one query per table of the page)."""

    def __init__(self, s: Session, changes: Iterable[ServerChange]) -> None:
        wanted: dict[str, set[str]] = {}
        for ch in changes:
            if _routed(ch) and ch.table != PARTICIPANT_TABLE:
                wanted.setdefault(ch.table, set()).add(ch.row_id)
        self.owner: dict[tuple[str, str], str] = {}  # (table, row id) → participant id
        self.decides: dict[str, tuple[object, ...]] = {}  # consent row id → DECIDES
        conn = s.connection()
        for table, ids in wanted.items():
            extra = ", " + ", ".join(DECIDES) if table == CONSENT_TABLE else ""
            for chunk in chunks(sorted(ids), 500):
                query = (
                    f'SELECT id, participant_id{extra} FROM "{table}" '
                    "WHERE id IN (SELECT value FROM json_each(?))"
                )
                for row in conn.exec_driver_sql(query, (json.dumps(chunk),)):
                    self.owner[(table, row[0])] = str(row[1])
                    if extra:
                        self.decides[row[0]] = tuple(row[2:])


def _rewrites(ch: ServerChange, was: tuple[object, ...]) -> bool:
    """Whether ``ch`` changes what a consent record held here decides, or removes a team
    consent record (the server refuses both from any device)."""
    if was[0] == TEAM_SCOPE and (ch.op is Op.DELETE or ch.fields.get("deleted") is True):
        return True
    return any(
        name in ch.fields and ch.fields[name] != held
        for name, held in zip(DECIDES, was, strict=True)
    )


def set_aside(s: Session, changes: list[ServerChange]) -> dict[str, str]:
    """The changes of a page not to take, by change id, each with the reason to show."""
    held = Held(s, changes)
    out: dict[str, str] = {}
    for ch in changes:
        if ch.table == CONFLICT_TABLE and ch.op is Op.UPSERT:
            if ch.fields.get("participant_id") != ch.participant_id:
                out[ch.change_id] = MISROUTED
            continue
        if not _routed(ch):
            continue
        pid = _named(ch)
        mine = held.owner.get((ch.table, ch.row_id))
        if (
            pid is None
            or ch.participant_id not in (None, pid)
            or ch.fields.get("participant_id", pid) != pid
            or mine not in (None, pid)
        ):
            out[ch.change_id] = MISROUTED
        elif ch.row_id in held.decides and _rewrites(ch, held.decides[ch.row_id]):
            out[ch.change_id] = CONSENT_REWRITTEN
    unshared = _not_shared(s, [ch for ch in changes if ch.change_id not in out])
    for ch in changes:
        if ch.change_id not in out and _about(ch) in unshared:
            out[ch.change_id] = UNCONSENTED
    for change_id in _merged_into_unshared(s, [ch for ch in changes if ch.change_id not in out]):
        out[change_id] = MERGED_UNSHARED
    return out


def _merged_into_unshared(s: Session, changes: list[ServerChange]) -> list[str]:
    """Participant changes marking their record merged into a participant held here whose
    latest team consent is not "given" (the server refuses such a mark from any device:
    the record's shared history would show, and count, under a person kept unshared)."""
    marks = {
        ch.change_id: target
        for ch in changes
        if ch.table == PARTICIPANT_TABLE
        and ch.op is Op.UPSERT
        and isinstance(target := ch.fields.get(MERGED_INTO), str)
    }
    if not marks:
        return []
    targets = sorted(set(marks.values()))
    held = set(
        s.scalars(
            select(Participant.id).where(
                Participant.id.in_(targets), Participant.deleted.is_(False)
            )
        )
    )
    if not held:
        return []
    shared = shared_participants(s, held)
    return [cid for cid, target in marks.items() if target in held and target not in shared]


def _not_shared(s: Session, changes: list[ServerChange]) -> set[str]:
    """The participants ``changes`` bring content about whose latest team consent, among
    those held here and those the page itself brings (in any order on it), is not "given"."""
    named = {pid for ch in changes if (pid := _about(ch))}
    if not named:
        return set()
    consents: dict[str, _Consents] = {pid: [] for pid in named}
    for chunk in chunks(sorted(named), 500):
        query = select(Consent.participant_id, Consent.version, Consent.hlc, Consent.given).where(
            Consent.participant_id.in_(chunk),
            Consent.scope == TEAM_SCOPE,
            Consent.deleted.is_(False),
        )
        for pid, version, hlc, given in s.execute(query):
            consents[pid].append((version, hlc, given))
    for ch in changes:
        pid = ch.participant_id
        if pid in consents and _team_consent(ch) and ch.op is Op.UPSERT:
            fields = ch.fields
            if not fields.get("deleted") and "version" in fields and "given" in fields:
                consents[pid].append((fields["version"], ch.hlc, fields["given"]))
    return {pid for pid, held in consents.items() if not registry.shared_with_team(held)}
