"""A laptop's word that a participant is gone, which a supervisor's vault cannot check.

An honest laptop's bundle carries an erasure or a team withdrawal alone (the person's rows
are gone from the laptop), so the vault takes one for a participant it never held, and its
tombstone (the erasure's receipt, the withdrawal's marker: ``withdrawn``) keeps out whatever
a later bundle brings of them. From a laptop whose worker does not hold the case (a hostile
one, or one that kept an old id after a handover) that kept a colleague's case out of the
vault for good, and the colleague's import said all was up to date. Letting the colleague's
bundle win instead would bring back a person erased by whoever holds the case now (the case
handed over, the former holder's laptop not synced since): two laptops disagree, and the
server, which checks who holds a case, settles it.

So the vault remembers which workers' laptop bundles said so, and when those bundles were
made (local setting ``unconfirmed_removals``: participant id to worker id to time; ids and
times only). A later laptop bundle of another worker that brings the person's rows still has
them left out, but its import says how many participants were, and the bundle may be imported
again (local setting ``bundles_left_out``). A server's supervision bundle made after the
laptop's bundle that said so settles it: bringing the participant under a worker who did not
say so, the tombstone is lifted and the server's rows come in; carrying the erasure or the
withdrawal itself, or the participant under a worker who said so, the tombstone stands.
Either way the laptop's word is settled, and forgotten.

The evaluation copy keeps people out the same way (an erasure's receipt, a withdrawal's
marker, by pseudonym), and a laptop holds the programme key: its words are kept and settled
here too, against the server's evaluation bundle (a :class:`Copy` is where a vault keeps
people and their tombstones; ``evaluation_vault.COPY``'s local setting is
``unconfirmed_evaluation_removals``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from linksdesk.core.registry import PARTICIPANT_TABLE
from linksdesk.storage.outbox import chunks
from linksdesk.storage.tables import ErasureReceipt, Participant
from linksdesk.sync import state
from linksdesk.sync.bundle import withdrawn
from linksdesk.sync.protocol import ServerChange

CLAIMS = "unconfirmed_removals"  # participant id -> {worker id: when the vault heard it}
LEFT_OUT = "bundles_left_out"  # ids of imported bundles that left someone out

ERASE = "erase"

Ids = Callable[[Session, set[str]], set[str]]


@dataclass(frozen=True)
class Copy:
    """Where a vault keeps participants and the tombstones that keep them out."""

    claims: str  # local setting: participant id -> {worker id: when the vault heard it}
    held: Ids  # of some participants, those held here
    tombstoned: Ids  # of some, those an erasure's receipt or a withdrawal's marker keeps out
    lift: Callable[[Session, str], None]  # a participant's tombstones dropped


@dataclass(frozen=True)
class Said:
    """What a bundle says of its participants."""

    gone: set[str]  # erased, or withdrawn
    brought: set[str]  # in its other rows
    # a server's: participant -> the worker holding them (as far as the bundle says)
    holders: dict[str, str] = field(default_factory=dict)


def said_in(changes: list[ServerChange]) -> Said:
    """What a supervision bundle says: erasures and team withdrawals, the other rows."""
    gone, brought = set(), set()
    for ch in changes:
        if ch.op == ERASE or withdrawn.is_withdrawal(ch):
            pid = ch.row_id if ch.op == ERASE else ch.participant_id
            if pid:
                gone.add(pid)
            continue
        pid = ch.row_id if ch.table == PARTICIPANT_TABLE else ch.participant_id
        if pid:
            brought.add(pid)
    holders = {
        ch.row_id: ch.owner for ch in changes if ch.table == PARTICIPANT_TABLE and ch.op == "upsert"
    }
    return Said(gone, brought, holders)


def found(s: Session, column: Any, pids: set[str], *where: Any) -> set[str]:
    """Of ``pids``, those ``column`` holds (a chunk at a time; ``where``: of which rows)."""
    out: set[str] = set()
    for chunk in chunks(sorted(pids)):
        query = select(column).where(column.in_(chunk), *where)
        out |= {str(pid) for pid in s.scalars(query)}
    return out


def _held(s: Session, pids: set[str]) -> set[str]:
    return found(s, Participant.id, pids)


def _tombstoned(s: Session, pids: set[str]) -> set[str]:
    markers = state.local_setting(s, withdrawn.MARKERS) or {}
    return {pid for pid in pids if pid in markers} | found(s, ErasureReceipt.participant_id, pids)


def _lift(s: Session, pid: str) -> None:
    s.execute(delete(ErasureReceipt).where(ErasureReceipt.participant_id == pid))
    withdrawn.lift(s, pid)


SUPERVISION = Copy(CLAIMS, _held, _tombstoned, _lift)


def _claims(s: Session, copy: Copy) -> dict[str, dict[str, str]]:
    return dict(state.local_setting(s, copy.claims) or {})


@dataclass(frozen=True)
class Before:
    """What the vault knew of a laptop bundle's participants before it was applied."""

    said: Said
    known: set[str]  # held here, or kept out here already on the server's or holder's word


def before_laptop(s: Session, copy: Copy, said: Said) -> Before:
    claims = _claims(s, copy)
    gone = said.gone
    known = copy.held(s, gone) | {pid for pid in copy.tombstoned(s, gone) if pid not in claims}
    return Before(said, known)


def after_laptop(s: Session, copy: Copy, before: Before, worker: str, made: dt.datetime) -> int:
    """After a laptop's bundle made at ``made`` is applied: its word kept for the
    participants it says are gone that the vault knew nothing of, and how many participants
    it brings that another worker's laptop said are gone (their rows left out)."""
    claims = _claims(s, copy)
    heard = dict(claims)
    when = made.isoformat(timespec="seconds")
    new = before.said.gone - before.known
    for pid in copy.tombstoned(s, new) - copy.held(s, new):
        said = dict(claims.get(pid) or {})
        said.setdefault(worker, when)
        claims[pid] = said
    disputed = {pid for pid in before.said.brought & claims.keys() if worker not in claims[pid]}
    held = copy.held(s, disputed)
    for pid in held:  # came in after all (consent given again, say): nothing to settle
        claims.pop(pid, None)
    if claims != heard:
        state.put_local_setting(s, copy.claims, claims)
    return len(disputed - held)


def settle(s: Session, copy: Copy, said: Said, made: dt.datetime) -> None:
    """Before a server's bundle made at ``made`` is applied: each laptop's word it settles
    is forgotten, the tombstone lifted where the server holds the person under a worker who
    did not say so. A word from a laptop bundle made after the server's stays (the case may
    have changed hands since), as does one about a person the server's bundle neither holds
    under a worker it names nor says is gone."""
    claims = _claims(s, copy)
    if not claims:
        return
    heard = dict(claims)
    for pid, who in list(claims.items()):
        latest = max(dt.datetime.fromisoformat(when) for when in who.values())
        if latest > made or (pid not in said.gone and pid not in said.holders):
            continue
        del claims[pid]
        if pid not in said.gone and said.holders[pid] not in who:
            copy.lift(s, pid)
    if claims != heard:
        state.put_local_setting(s, copy.claims, claims)


def applying(
    s: Session,
    copy: Copy,
    said: Said,
    worker: str | None,
    made: dt.datetime,
    apply: Callable[[], None],
) -> int:
    """A bundle made at ``made`` applied (``apply``) to ``copy``: a laptop's of ``worker``
    (its word kept), or the server's (``worker`` None: the laptops' words it settles settled
    first); how many participants it brings that another worker's laptop said are gone."""
    if worker is None:
        settle(s, copy, said, made)
        apply()
        return 0
    before = before_laptop(s, copy, said)
    apply()
    return after_laptop(s, copy, before, worker, made)


def may_come_again(s: Session, bundle_id: str) -> bool:
    """An imported bundle that left someone out: it may be imported again once settled."""
    return bundle_id in (state.local_setting(s, LEFT_OUT) or [])


def note_left_out(s: Session, bundle_id: str, left_out: int) -> None:
    held: list[Any] = list(state.local_setting(s, LEFT_OUT) or [])
    if left_out and bundle_id not in held:
        state.put_local_setting(s, LEFT_OUT, [*held, bundle_id])
    elif not left_out and bundle_id in held:
        state.put_local_setting(s, LEFT_OUT, [b for b in held if b != bundle_id])
