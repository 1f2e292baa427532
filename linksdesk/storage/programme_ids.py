"""Programme ids from blocks the sync server leased to this device, or the vault's own counter.

An enrolled device gives out numbers only from its leased blocks (oldest first), so no two
devices of a programme ever give the same id and an id never has to change. A vault never
enrolled counts on its own (local setting ``next_programme_number``); when it is enrolled,
that counter's highest number is reported with its first lease request, so the programme's
leased numbers start above it. Only if a laptop used up every leased number while offline
does it fall back to its own counter again, until its next sync, marking those ids as its own.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from linksdesk.core.ids import PROGRAMME_FLOOR_CAP
from linksdesk.storage.tables import LocalSetting, Participant, ProgrammeIdBlock, SyncState

log = logging.getLogger(__name__)

PROGRAMME_PREFIX = "P"
FIRST_PROGRAMME_NUMBER = 1001
NEXT_NUMBER_KEY = "next_programme_number"
LEASE_REQUEST_KEY = "id_lease_request"  # (sync state) a lease asked for, not yet answered
MARK_KEY = "programme_id_mark"  # (local setting) the own counter's mark, once restored


def next_programme_id(session: Session, mark: str = "") -> str:
    """The next id for a new participant (never one already held here).

    Once a vault has held leased blocks and used them all up offline, a number of its own
    counter may lie in a block leased to another laptop meanwhile: the id then carries
    ``mark`` (a few characters of this device's id, ``P1201~3f9a``) and so stays its own.
    So does every own-counter id of a vault restored from a backup or copied by hand, even
    one never enrolled: its counter went back, and the numbers after it were given out
    (by the vault before the restore, or by the other copy).
    """
    while True:
        number = _take_leased(session)
        if number is None:
            top = session.scalar(select(func.max(ProgrammeIdBlock.last)))
            if not mark or (top is None and not _has_own_mark(session)):
                return _next_own(session)
            # above every number leased here, so it never reads as a sibling of one of them
            return f"{_next_own(session, above=top or 0)}~{mark}"
        candidate = f"{PROGRAMME_PREFIX}{number}"
        if not _taken(session, candidate):
            return candidate
        # held here already: a participant from a vault that counted on its own (marked
        # with "~" on arrival if it met another); skip the number, never reuse it
        log.info("leased programme number already held here; skipped")


def remaining(session: Session) -> int:
    """Leased numbers not given out yet."""
    total = session.scalar(
        select(func.sum(ProgrammeIdBlock.last - ProgrammeIdBlock.next + 1)).where(
            ProgrammeIdBlock.next <= ProgrammeIdBlock.last
        )
    )
    return int(total or 0)


def retire_leases(session: Session) -> int:
    """Give up every leased number not given out yet; returns how many. A vault restored
    from a backup holds its blocks as they were then: the numbers given out since went to
    people the backup does not hold, so the next sync leases afresh (and until then, new
    ids come from the marked own counter)."""
    left = remaining(session)
    session.execute(update(ProgrammeIdBlock).values(next=ProgrammeIdBlock.last + 1))
    # a request saved then may have been answered since: asked again, the server would
    # hand back that block, whose numbers went to people since
    session.execute(delete(SyncState).where(SyncState.key == LEASE_REQUEST_KEY))
    return left


def own_mark(session: Session, device_id: str) -> str:
    """What this vault's own-counter ids are marked with: the end of its device id, or the
    mark it was given when it was restored from a backup (see ``new_mark``)."""
    stored = session.scalar(select(LocalSetting.value).where(LocalSetting.key == MARK_KEY))
    return str(stored) if stored else device_id[-4:]


def _has_own_mark(session: Session) -> bool:
    return session.get(LocalSetting, MARK_KEY) is not None


def new_mark(session: Session) -> str:
    """A mark of this copy's own: a restored vault's own counter went back to where the
    backup held it, and the device gave out marked ids above it since (and so may another
    copy restored from the same backup). Random, six hex digits: two copies mark alike
    once in 16 million."""
    mark = secrets.token_hex(3)
    session.merge(LocalSetting(key=MARK_KEY, value=mark))
    session.flush()
    return mark


def add_block(session: Session, first: int, last: int) -> bool:
    """Keep a block the server leased (once: a block asked for again is the same block)."""
    if session.get(ProgrammeIdBlock, first) is not None:
        return False
    session.add(
        ProgrammeIdBlock(
            first=first,
            last=last,
            next=first,
            leased_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        )
    )
    session.flush()
    return True


def own_floor(session: Session) -> int:
    """The highest number this vault gave out from its own counter (0 if none)."""
    stored = session.scalar(select(LocalSetting.value).where(LocalSetting.key == NEXT_NUMBER_KEY))
    return int(stored) - 1 if isinstance(stored, int) else 0


def lease_floor(session: Session) -> int:
    """What a lease request reports as its floor: the highest number this vault gave out
    from its own counter, or was ever leased, whichever is higher. The server leases above
    it, so a server restored from a backup, which forgot the blocks it leased since, never
    leases this laptop's numbers to another laptop once it has asked (numbers above the
    server's cap are not reported: the server would take such a floor for a mistake)."""
    leased = session.scalar(select(func.max(ProgrammeIdBlock.last))) or 0
    highest = max(own_floor(session), int(leased))
    return highest if highest <= PROGRAMME_FLOOR_CAP else own_floor(session)


def _take_leased(session: Session) -> int | None:
    block = session.scalar(
        select(ProgrammeIdBlock)
        .where(ProgrammeIdBlock.next <= ProgrammeIdBlock.last)
        .order_by(ProgrammeIdBlock.first)
        .limit(1)
    )
    if block is None:
        return None
    number = block.next
    block.next = number + 1
    session.flush()
    return number


def _next_own(session: Session, above: int = 0) -> str:
    """The next free id in this vault's own sequence (above ``above``); numbers are never
    reused."""
    stored = session.scalar(select(LocalSetting.value).where(LocalSetting.key == NEXT_NUMBER_KEY))
    number = max(stored if isinstance(stored, int) else FIRST_PROGRAMME_NUMBER, above + 1)
    while _taken(session, f"{PROGRAMME_PREFIX}{number}"):
        number += 1  # taken (e.g. arrived by sync): skip it
    session.merge(LocalSetting(key=NEXT_NUMBER_KEY, value=number + 1))
    return f"{PROGRAMME_PREFIX}{number}"


def _taken(session: Session, programme_id: str) -> bool:
    return bool(
        session.scalar(
            select(func.count())
            .select_from(Participant)
            .where(Participant.programme_id == programme_id)
        )
    )
