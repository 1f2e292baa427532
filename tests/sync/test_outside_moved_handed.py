"""From the outside: a worker notices a case note written in the wrong participant's
record and moves it to the right one, offline; meanwhile the administrator hands the wrong
participant's case to a colleague. The note's words then belong to the right participant
only: the colleague now holding the wrong participant's record must not go on showing them
live there (where they would reach that person's own record and GP summary)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from laptops_kit import a_worker_and_a_colleague
from sync_kit import Dev, ServerProcess

from linksdesk.casework import notes as N
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.participants import create_participant
from linksdesk.core.vocab import ConsentScope
from linksdesk.server import admin

WRITTEN = dt.datetime(2026, 3, 2, 11, 0)
WORDS = "Rang about the other person's rent Canarymovedaway"


def test_a_note_moved_out_of_a_case_handed_over_meanwhile_is_not_live_at_the_colleague(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    server = shared_server
    two = a_worker_and_a_colleague(server, devices)
    office, colleague, a, colleague_id = two.office, two.colleague, two.a, two.colleague_id
    wrong = create_participant(a, given_name="Morgan", family_name="Example").value.id
    right = create_participant(a, given_name="Ash", family_name="Example").value.id
    for pid in (wrong, right):
        record_consent(a, pid, ConsentScope.TEAM, True)
    note_id = N.write_note(a, wrong, WORDS, written_at=WRITTEN).value.id
    assert office.sync().verified

    N.move_note(a, note_id, right)  # offline, at a venue
    admin.handover(server.db, wrong, colleague_id, keep_read_only=False)  # meanwhile
    office.sync()
    colleague.sync()

    moved = [n.text for n in N.list_notes(a, right) if not n.in_error]
    reached = len(moved) == 1 and WORDS in moved[0]
    assert reached, "the note did not reach the right record"
    at_colleague = N.list_notes(Casebook(colleague.vault), wrong)
    live = [n.id for n in at_colleague if not n.in_error and n.id == note_id]
    assert live == [], "the moved note is live in the wrong record at the colleague's"
