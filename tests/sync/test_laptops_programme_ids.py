"""Programme ids when a laptop uses up its leased numbers offline (issue 8's checks).

Real vaults, the casework use cases and a real server on 127.0.0.1. A laptop that gives
out every number leased to it without a sync must still never give an id that another
laptop of the programme gives: a programme id names one person.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sync_kit import Dev, ServerProcess

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.participants import create_participant, get_participant
from linksdesk.core.vocab import ConsentScope
from linksdesk.server.models import Record
from linksdesk.storage import programme_ids
from linksdesk.storage.tables import Participant, ProgrammeIdBlock
from linksdesk.sync.protocol import ID_BLOCK_SIZE


def _enrolled(dev: Dev, server: ServerProcess, worker: str) -> Casebook:
    dev.enrol(server, worker)
    dev.reopen()
    return Casebook(dev.vault)


def _new(cb: Casebook, count: int) -> list[str]:
    out = []
    for i in range(count):
        person = create_participant(cb, given_name=f"Person{i}", family_name="Example").value
        record_consent(cb, person.id, ConsentScope.TEAM, True)
        out.append(person.id)
    return out


def _given(dev: Dev) -> dict[str, str]:
    with dev.store.read() as s:
        return {p.id: p.programme_id for p in s.scalars(select(Participant))}


def test_a_lease_used_up_offline_never_gives_a_colleagues_id(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    team = shared_server.team()
    office, colleague = devices("office"), devices("colleague")
    a = _enrolled(office, shared_server, shared_server.worker(team))
    c = _enrolled(colleague, shared_server, shared_server.worker(team))
    with office.store.read() as s:
        ((first, last),) = [(b.first, b.last) for b in s.scalars(select(ProgrammeIdBlock))]
    assert last - first + 1 == ID_BLOCK_SIZE

    # weeks offline: every leased number given out, and then some more people
    mine = _new(a, ID_BLOCK_SIZE + 3)
    with office.store.read() as s:
        assert programme_ids.remaining(s) == 0
    theirs = _new(c, 3)  # the colleague's laptop gives from its own block meanwhile
    given_here = _given(office)
    assert len(set(given_here.values())) == len(mine)  # no id twice on the laptop
    assert not set(given_here.values()) & set(_given(colleague).values())
    # the ids shown are kept as given, and a later lease starts above every one of them
    extra = [get_participant(a, pid).programme_id for pid in mine[ID_BLOCK_SIZE:]]
    for dev in (office, colleague):
        report = dev.sync()
        assert report.verified and not report.attention, report.message
    assert [get_participant(a, pid).programme_id for pid in mine[ID_BLOCK_SIZE:]] == extra
    later = _new(a, 1) + _new(c, 1)
    ids = [get_participant(a, later[0]).programme_id, get_participant(c, later[1]).programme_id]
    assert not set(ids) & set(extra)
    with shared_server.db.reading() as s:
        on_server = [
            r.fields["programme_id"]
            for r in s.scalars(select(Record).where(Record.table_name == "participant"))
            if r.participant_id in set(mine + theirs)
        ]
    assert len(on_server) == len(set(on_server)) == len(mine) + len(theirs)
