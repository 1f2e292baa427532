"""A participant kept read-only after a handover cannot be changed here; reading still works."""

from __future__ import annotations

import datetime as dt

import pytest
from casework_kit import outbox

from linksdesk.casework import contacts as K
from linksdesk.casework import notes as N
from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Participant
from linksdesk.core.errors import ConflictError
from linksdesk.core.vocab import ContactKind
from linksdesk.sync import state

AT = dt.datetime(2025, 3, 3, 10, 30)
READ_ONLY = "case has moved to another links worker"


def _hand_over(cb: Casebook, participant_id: str) -> None:
    # what sync's handover notice does when the old worker keeps a read-only copy
    with cb.store.write() as tx:
        kept = set(state.get(tx.session, state.READ_ONLY, []))
        state.put(tx.session, state.READ_ONLY, sorted(kept | {participant_id}))


def test_writes_to_a_read_only_participant_are_refused(cb: Casebook, person: Participant) -> None:
    contact = K.schedule_contact(cb, person.id, kind=ContactKind.APPOINTMENT, at=AT).value
    note = N.write_note(cb, person.id, "Synthetic note before handover").value
    other = P.create_participant(cb, given_name="Rory", family_name="Sample").value
    _hand_over(cb, person.id)
    queued = len(outbox(cb))

    with pytest.raises(ConflictError, match=READ_ONLY):
        P.edit_participant(cb, person.id, preferred_name="Mo")
    with pytest.raises(ConflictError, match=READ_ONLY):
        N.write_note(cb, person.id, "Synthetic note after handover")
    with pytest.raises(ConflictError, match=READ_ONLY):
        K.schedule_contact(cb, person.id, kind=ContactKind.PHONE, at=AT)
    # rows found by their own id are refused too
    with pytest.raises(ConflictError, match=READ_ONLY):
        K.edit_contact(cb, contact.id, venue="Library")
    with pytest.raises(ConflictError, match=READ_ONLY):
        N.revise_note(cb, note.id, "Changed", base_revision_id=note.latest.id)

    assert len(outbox(cb)) == queued  # nothing was queued for the server to refuse
    # reading the read-only copy still works, and it is unchanged
    assert P.get_participant(cb, person.id).preferred_name is None
    assert [c.id for c in K.list_contacts(cb, person.id)] == [contact.id]
    assert len(N.list_notes(cb, person.id)) == 1
    # other participants are not affected
    edited = P.edit_participant(cb, other.id, preferred_name="Ror").value
    assert edited.preferred_name == "Ror"
    K.schedule_contact(cb, other.id, kind=ContactKind.PHONE, at=AT)
    N.write_note(cb, other.id, "Synthetic note for someone else")
