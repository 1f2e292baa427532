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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from linksdesk.core.registry import PARTICIPANT_TABLE
from linksdesk.storage.tables import ErasureReceipt, Participant
from linksdesk.sync import state
from linksdesk.sync.bundle import withdrawn
from linksdesk.sync.protocol import ServerChange

CLAIMS = "unconfirmed_removals"  # participant id -> {worker id: when the vault heard it}
LEFT_OUT = "bundles_left_out"  # ids of imported bundles that left someone out

ERASE = "erase"


def _said_gone(changes: list[ServerChange]) -> set[str]:
    """The participants a bundle erases or says no longer share with the team."""
    return {
        pid
        for ch in changes
        for pid in [ch.row_id if ch.op == ERASE else ch.participant_id]
        if pid and (ch.op == ERASE or withdrawn.is_withdrawal(ch))
    }


def _brought(changes: list[ServerChange]) -> set[str]:
    """The participants of a bundle's other rows."""
    out = set()
    for ch in changes:
        if ch.op == ERASE or withdrawn.is_withdrawal(ch):
            continue
        pid = ch.row_id if ch.table == PARTICIPANT_TABLE else ch.participant_id
        if pid:
            out.add(pid)
    return out


def _found(s: Session, column: Any, pids: set[str]) -> set[str]:
    """Of ``pids``, those ``column`` holds (500 at a time)."""
    order = sorted(pids)
    out: set[str] = set()
    for start in range(0, len(order), 500):
        chunk = order[start : start + 500]
        out |= {str(pid) for pid in s.scalars(select(column).where(column.in_(chunk)))}
    return out


def _held(s: Session, pids: set[str]) -> set[str]:
    return _found(s, Participant.id, pids)


def _tombstoned(s: Session, pids: set[str]) -> set[str]:
    """Of ``pids``, those an erasure's receipt or a withdrawal's marker keeps out."""
    markers = state.local_setting(s, withdrawn.MARKERS) or {}
    return {pid for pid in pids if pid in markers} | _found(s, ErasureReceipt.participant_id, pids)


def _claims(s: Session) -> dict[str, dict[str, str]]:
    return dict(state.local_setting(s, CLAIMS) or {})


@dataclass(frozen=True)
class Before:
    """What the vault knew of a laptop bundle's participants before it was applied."""

    said_gone: set[str]
    brought: set[str]
    known: set[str]  # held here, or kept out here already on the server's or holder's word


def before_laptop(s: Session, changes: list[ServerChange]) -> Before:
    said_gone, brought = _said_gone(changes), _brought(changes)
    claims = _claims(s)
    known = _held(s, said_gone) | {pid for pid in _tombstoned(s, said_gone) if pid not in claims}
    return Before(said_gone, brought, known)


def after_laptop(s: Session, before: Before, worker: str, made: dt.datetime) -> int:
    """After a laptop's bundle made at ``made`` is applied: its word kept for the
    participants it says are gone that the vault knew nothing of, and how many participants
    it brings that another worker's laptop said are gone (their rows left out)."""
    claims = _claims(s)
    heard = dict(claims)
    when = made.isoformat(timespec="seconds")
    new = before.said_gone - before.known
    for pid in _tombstoned(s, new) - _held(s, new):
        said = dict(claims.get(pid) or {})
        said.setdefault(worker, when)
        claims[pid] = said
    disputed = {pid for pid in before.brought & claims.keys() if worker not in claims[pid]}
    held = _held(s, disputed)
    for pid in held:  # came in after all (consent given again, say): nothing to settle
        claims.pop(pid, None)
    if claims != heard:
        state.put_local_setting(s, CLAIMS, claims)
    return len(disputed - held)


def settle(s: Session, changes: list[ServerChange], made: dt.datetime) -> None:
    """Before a server's supervision bundle made at ``made`` is applied: each laptop's word
    it settles is forgotten, the tombstone lifted where the server holds the person under a
    worker who did not say so. A word from a laptop bundle made after the server's stays
    (the case may have changed hands since)."""
    claims = _claims(s)
    if not claims:
        return
    gone = _said_gone(changes)
    holders = {
        ch.row_id: ch.owner for ch in changes if ch.table == PARTICIPANT_TABLE and ch.op == "upsert"
    }
    heard = dict(claims)
    for pid, said in list(claims.items()):
        latest = max(dt.datetime.fromisoformat(when) for when in said.values())
        if latest > made or (pid not in gone and pid not in holders):
            continue
        del claims[pid]
        if pid not in gone and holders[pid] not in said:
            s.execute(delete(ErasureReceipt).where(ErasureReceipt.participant_id == pid))
            withdrawn.lift(s, pid)
    if claims != heard:
        state.put_local_setting(s, CLAIMS, claims)


def may_come_again(s: Session, bundle_id: str) -> bool:
    """An imported bundle that left someone out: it may be imported again once settled."""
    return bundle_id in (state.local_setting(s, LEFT_OUT) or [])


def note_left_out(s: Session, bundle_id: str, left_out: int) -> None:
    held: list[Any] = list(state.local_setting(s, LEFT_OUT) or [])
    if left_out and bundle_id not in held:
        state.put_local_setting(s, LEFT_OUT, [*held, bundle_id])
    elif not left_out and bundle_id in held:
        state.put_local_setting(s, LEFT_OUT, [b for b in held if b != bundle_id])
