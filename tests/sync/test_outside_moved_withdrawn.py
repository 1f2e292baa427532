"""From the outside: one worker, two laptops, a real server on 127.0.0.1. On the office
laptop the worker moves a case note written in the wrong participant's record to the right
one; on the venues laptop, offline, the wrong participant withdraws consent to share with
the team (that laptop keeps their record, private). The note's words belong to the right
participant only: the record kept on the venues laptop must not go on showing them live
(whence they would reach that person's own record and GP summary).

No device can carry the mark there (the server holds nothing of a withdrawn case), so the
office laptop, where it was made, tells the worker exactly what to do, by programme id and
the note's day, without names or the note's words; the worker does it on the venues laptop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from laptops_kit import a_shared_person
from sync_kit import Dev, ServerProcess

from linksdesk.casework import notes as N
from linksdesk.casework import participants
from linksdesk.casework.consent import record_consent
from linksdesk.core.vocab import ConsentScope
from linksdesk.storage.tables import Participant

WRITTEN = dt.datetime(2026, 3, 2, 11, 0)
WORDS = "Rang about the other person's rent Canarymovedaway"


def test_a_note_moved_out_of_a_record_withdrawn_on_the_other_laptop_is_not_live_there(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared = a_shared_person(shared_server, devices, "Robin")
    a, b, wrong = shared.a, shared.b, shared.pid
    right = participants.create_participant(a, given_name="Ash", family_name="Example").value.id
    record_consent(a, right, ConsentScope.TEAM, True)
    note_id = N.write_note(a, wrong, WORDS, written_at=WRITTEN).value.id
    for dev in (shared.office, shared.venues):
        assert dev.sync().verified

    N.move_note(a, note_id, right)  # the office laptop, offline
    record_consent(b, wrong, ConsentScope.TEAM, False)  # the venues laptop, offline
    for dev in (shared.venues, shared.office, shared.venues, shared.office):
        assert dev.sync().verified

    with a.store.read() as s:
        code = s.get(Participant, wrong).programme_id
    told = [x.reason for x in shared.office.attention() if x.row_id == note_id]
    assert len(told) == 1, "the office laptop does not say the mark could not reach the other"
    for words in (code, "other laptop", "entered in error", "2 Mar 2026", "Open"):
        assert words in told[0], f"the office laptop's words lack {words!r}"
    assert "Robin" not in told[0] and "Canary" not in told[0], "names or words in the notice"
    report = shared.office.sync()
    assert report.verified
    # the worker does as told, on the venues laptop
    N.mark_in_error(b, note_id, N.WRONG_RECORD)
    for dev in (shared.venues, shared.office):
        assert dev.sync().verified

    for cb in (a, b):
        in_right = len([n for n in N.list_notes(cb, right) if not n.in_error])
        assert in_right == 1, "the moved note is not in the right record once"
    live = [n.id for n in N.list_notes(b, wrong) if not n.in_error and n.id == note_id]
    assert live == [], "the moved note is live in the wrong person's record on the venues laptop"
    kept = [n.id for n in N.list_notes(b, wrong) if n.in_error and n.id == note_id]
    assert kept == [note_id], "the note went from the venues laptop without the worker's say"
