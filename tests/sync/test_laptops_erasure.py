"""One worker, two laptops and a colleague: a participant erased on one laptop while the
worker's other laptop, offline, goes on recording about them.

Real vaults, the casework use cases the app calls and a real server on 127.0.0.1. Erasure
wins everywhere: the other laptop's later push re-creates the person nowhere, its worker is
told in plain words, and afterwards no laptop, nor the server, holds anything of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import func, select
from sync_kit import Dev, ServerProcess, assert_replica_matches, two_laptops

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.contacts import record_contact
from linksdesk.casework.erasure import erase_participant
from linksdesk.casework.goals import edit_goal, set_goal
from linksdesk.casework.notes import write_note
from linksdesk.casework.participants import create_participant, edit_participant
from linksdesk.core.vocab import ConsentScope, ContactKind
from linksdesk.server.models import ChangeLog, Erasure, Record
from linksdesk.storage.tables import ErasureReceipt, Outbox, Participant, SyncAttention

CANARY = "CANARY-erased-offline-5b7e"


def _person(cb: Casebook, name: str) -> str:
    pid = create_participant(cb, given_name=name, family_name="Example").value.id
    record_consent(cb, pid, ConsentScope.TEAM, True)
    return pid


def _holds_anything_of(dev: Dev, pid: str) -> list[str]:
    """What the laptop holds about ``pid`` beyond its erasure receipt."""
    found = []
    with dev.store.read() as s:
        if s.get(Participant, pid) is not None:
            found.append("participant")
        for name in ("outbox", "sync_attention"):
            cls = Outbox if name == "outbox" else SyncAttention
            rows = list(s.scalars(select(cls)))
            if any(pid in str(vars(r)) for r in rows):
                found.append(name)
    return found


def _server_rows(server: ServerProcess, pid: str) -> list[str]:
    """The server's records and change log entries about ``pid``, by table, beyond the
    receipt and the erase command every device must still pull."""
    with server.db.reading() as s:
        held = [
            f"record:{t}"
            for t in s.scalars(select(Record.table_name).where(Record.participant_id == pid))
            if t != "erasure_receipt"
        ]
        for table, payload in s.execute(
            select(ChangeLog.table_name, ChangeLog.payload).where(ChangeLog.participant_id == pid)
        ):
            if table != "erasure_receipt" and (payload or {}).get("op") != "erase":
                held.append(f"log:{table}")
        return held


def test_erased_on_one_laptop_while_the_other_records_offline(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    office, venues = two_laptops(shared_server, devices)
    a, b = Casebook(office.vault), Casebook(venues.vault)
    gone = _person(a, "Jordan")
    stays = _person(a, "Casey")
    goal = set_goal(a, gone, "Find a choir", why_it_matters="singing helps").value
    write_note(a, gone, "met at the surgery")
    for dev in (office, venues):
        assert dev.sync().verified

    # offline, the venues laptop goes on with the case...
    write_note(b, gone, f"{CANARY} talked about the choir")
    record_contact(b, gone, kind=ContactKind.APPOINTMENT, at=dt.datetime(2026, 5, 4, 14, 0))
    edit_goal(b, goal.id, why_it_matters=f"{CANARY} singing with others")
    edit_participant(b, gone, phone="07700 900123")
    write_note(b, stays, "unrelated, must arrive")
    # ...while the office laptop erases the person at their request, and syncs
    erase_participant(a, gone)
    assert office.sync().verified
    assert _server_rows(shared_server, gone) == []

    report = venues.sync()
    assert report.verified, report.message
    # told plainly: the person was erased, so what was recorded offline about them went too
    assert report.erased == 1 and "erased" in report.message, report.message
    assert CANARY not in report.message
    assert _holds_anything_of(venues, gone) == []
    with venues.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Outbox)) == 0
        receipts = list(
            s.scalars(select(ErasureReceipt).where(ErasureReceipt.participant_id == gone))
        )
    assert len(receipts) == 1
    # the push before the pull re-created the person nowhere
    assert _server_rows(shared_server, gone) == []
    with shared_server.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Erasure)) >= 1
    assert office.sync().verified
    assert _holds_anything_of(office, gone) == []
    # the other person's note, written offline beside the erased one's, arrived
    again = venues.sync(full_check=True)
    assert again.verified and again.pushed == 0 and not again.attention, again.message
    for dev in (office, venues):
        assert_replica_matches(dev, shared_server)
        assert dev.get("participant", stays) is not None


def test_erasure_reaches_a_laptop_that_kept_the_case_local_after_a_withdrawal(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    """Consent withdrawn on the office laptop while the venues laptop recorded offline (so it
    kept its own work, local only); later the participant asks to be forgotten, and the
    worker erases them on the office laptop: the venues laptop must forget them too."""
    office, venues = two_laptops(shared_server, devices)
    a, b = Casebook(office.vault), Casebook(venues.vault)
    pid = _person(a, "Robin")
    for _ in range(3):
        _person(a, "Other")  # a caseload, so one erasure is no mass removal
    write_note(a, pid, "met at the surgery")
    for dev in (office, venues):
        assert dev.sync().verified
    record_consent(a, pid, ConsentScope.TEAM, False)
    assert office.sync().verified
    write_note(b, pid, f"{CANARY} written offline after the withdrawal")
    report = venues.sync()
    assert report.verified and [c.participant_id for c in report.kept_local] == [pid]
    assert venues.get("participant", pid) is not None  # kept, local only

    erase_participant(a, pid)
    assert office.sync().verified
    report = venues.sync()
    assert report.verified, report.message
    assert _holds_anything_of(venues, pid) == [], report.message
    with venues.store.read() as s:
        assert s.scalar(
            select(func.count())
            .select_from(ErasureReceipt)
            .where(ErasureReceipt.participant_id == pid)
        )
    assert _server_rows(shared_server, pid) == []


def test_the_same_person_erased_on_both_laptops_while_apart(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    office, venues = two_laptops(shared_server, devices)
    a, b = Casebook(office.vault), Casebook(venues.vault)
    gone = _person(a, "Jordan")
    for _ in range(3):
        _person(a, "Other")
    write_note(a, gone, f"{CANARY} met at the surgery")
    for dev in (office, venues):
        assert dev.sync().verified

    # the participant asks both the worker (office) and, by phone, the venues laptop's
    # session to be forgotten: erased on each, apart
    erase_participant(a, gone)
    erase_participant(b, gone)
    for dev in (office, venues, office, venues):
        report = dev.sync()
        assert report.verified and not report.attention, report.message
    for dev in (office, venues):
        assert _holds_anything_of(dev, gone) == []
        with dev.store.read() as s:
            receipts = list(
                s.scalars(select(ErasureReceipt).where(ErasureReceipt.participant_id == gone))
            )
        assert len(receipts) >= 1, dev.label
    assert _server_rows(shared_server, gone) == []
    for dev in (office, venues):
        assert_replica_matches(dev, shared_server)


def test_the_message_says_how_many_changes_sent_the_server_refused(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    """A note written offline about a person erased meanwhile is sent and refused: the
    message must not read as if it reached the server, though nothing is left to attend to."""
    office, venues = two_laptops(shared_server, devices)
    a, b = Casebook(office.vault), Casebook(venues.vault)
    gone = _person(a, "Robin")
    for dev in (office, venues):
        assert dev.sync().verified
    write_note(b, gone, f"{CANARY} written while they were being erased")
    erase_participant(a, gone)
    assert office.sync().verified

    report = venues.sync()
    assert report.verified and report.erased == 1, report.message
    assert report.refused >= 1 and report.pushed >= report.refused
    assert f"The server refused {report.refused} of the changes sent." in report.message
    assert not report.attention and CANARY not in report.message
    quiet = venues.sync()
    assert quiet.refused == 0 and "refused" not in quiet.message
