"""One worker, two laptops and a real server on 127.0.0.1. A case note was written in the
wrong participant's record on the office laptop; the worker notices on the venues laptop and
moves it to the right record. The office laptop, the server and the supervisor's copy (from
the laptop that did not move it) must then agree: the note moved, the original marked, and
nothing of the original in the wrong person's own record, GP summary or search on any of
them. A referral recorded twice and a goal set by mistake, marked on one laptop, count on
neither; an evaluation bundle sends each as removed, with a note's revisions and a goal's
steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from bundle_kit import PROGRAMME_KEY, Laptop, Supervisor, evaluation_records_of
from documents_kit import pdf_text
from laptops_kit import a_shared_person
from sync_kit import Dev, ServerProcess, assert_agrees_with_server

from linksdesk.casework import goals as G
from linksdesk.casework import notes as N
from linksdesk.casework import own_record, participants, referrals, search
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.core.vocab import ConsentScope, ReferralSource
from linksdesk.reports.build import INTERNAL, report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.storage.tables import Goal, Note, ReferralIn
from linksdesk.sync.bundle.evaluation import pseudonym

WRITTEN = dt.datetime(2026, 3, 2, 11, 0)
THEIRS = "Canarymovedone"  # the other person's details, in the first version
LATER = "Canarymovedtwo"


def _marked(store: object, table: type, row_id: str) -> str | None:
    with store.read() as s:  # type: ignore[attr-defined]
        row = s.get(table, row_id)
        return None if row is None else row.in_error_reason


def test_a_note_moved_on_one_laptop_leaves_the_wrong_record_everywhere(
    tmp_path: Path, shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared = a_shared_person(shared_server, devices, "Robin")
    office, venues, a, b, wrong = shared.office, shared.venues, shared.a, shared.b, shared.pid
    right = participants.create_participant(a, given_name="Ash", family_name="Example").value.id
    record_consent(a, right, ConsentScope.TEAM, True)
    note = N.write_note(a, wrong, f"Rang about rent {THEIRS}", written_at=WRITTEN).value
    N.revise_note(a, note.id, f"Rang about rent arrears {LATER}", base_revision_id=note.latest.id)
    for dev in (office, venues):
        assert dev.sync().verified
    sup = Supervisor.create(tmp_path, "sup")
    try:
        sup.receive_from(office.store, tmp_path / "1.age")
        assert _marked(sup.store, Note, note.id) is None

        moved = N.move_note(b, note.id, right).value.note  # noticed on the other laptop
        for dev in (venues, office):
            report = dev.sync()
            assert report.verified and not report.attention, report.message

        for cb in (a, b):
            kept = {n.id: n for n in N.list_notes(cb, wrong)}
            assert kept[note.id].in_error and kept[note.id].in_error_reason == N.WRONG_RECORD
            [there] = N.list_notes(cb, right)
            assert there.id == moved.id and LATER in there.text and there.written_at == WRITTEN
            hits = {(h.row_id, h.participant_id) for h in search.search(cb, LATER)}
            assert hits == {(moved.id, right)}
        held = shared_server.records(office.worker_id)["note"][note.id]
        assert held["in_error_reason"] == N.WRONG_RECORD and held["in_error_at"]
        for dev in (office, venues):
            assert_agrees_with_server(dev, shared_server)

        # the wrong person's own record, made on the laptop that did not move it
        document = own_record.record_pdf(a, wrong, include_private=True)
        path = tmp_path / document.file_name
        path.write_bytes(document.pdf)
        text = pdf_text(path)
        assert THEIRS not in text and LATER not in text and "Robin" in text

        # the supervisor's copy, from that laptop too, carries the mark
        sup.receive_from(office.store, tmp_path / "2.age")
        assert _marked(sup.store, Note, note.id) == N.WRONG_RECORD
    finally:
        sup.vault.lock()


def test_a_referral_twice_and_a_goal_by_mistake_marked_on_one_laptop_count_on_neither(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared = a_shared_person(shared_server, devices, "Sam")
    office, venues, a, b, pid = shared.office, shared.venues, shared.a, shared.b, shared.pid
    day = dt.date(2026, 3, 2)
    twice = [
        referrals.record_referral(a, pid, source=ReferralSource.GP, received_on=day).value
        for _ in range(2)
    ][1]
    goal = G.set_goal(a, pid, "Swim", set_on=day, steps=["Find the pool"]).value
    for dev in (office, venues):
        assert dev.sync().verified

    referrals.mark_in_error(b, twice.id, "Recorded twice")
    G.mark_in_error(b, goal.id, "Set by mistake")
    for dev in (venues, office):
        report = dev.sync()
        assert report.verified and not report.attention, report.message

    march = Scope(Period.parse("2026-03"))
    for dev in (office, venues):
        sections = report_from_store(dev.store, march, audience=INTERNAL)
        by_source = sections.section("referrals").table("referrals_by_source")
        assert int(by_source.rows[-1][-1]) == 1  # the total row: one referral in
        goals_table = sections.section("goals").table("goals")
        assert int(goals_table.rows[-1][goals_table.column_index("set")] or 0) == 0
        assert_agrees_with_server(dev, shared_server)
    assert _marked(office.store, ReferralIn, twice.id) == "Recorded twice"
    assert _marked(office.store, Goal, goal.id) == "Set by mistake"
    held = shared_server.records(office.worker_id)
    assert held["referral"][twice.id]["in_error_reason"] == "Recorded twice"
    assert held["goal"][goal.id]["in_error_reason"] == "Set by mistake"


@pytest.mark.postgres
def test_over_postgresql_too(pg_server: ServerProcess, devices: Callable[[str], Dev]) -> None:
    test_a_referral_twice_and_a_goal_by_mistake_marked_on_one_laptop_count_on_neither(
        pg_server, devices
    )


def test_an_evaluation_bundle_sends_a_note_goal_and_referral_in_error_as_removed(
    laptop: Laptop,
) -> None:
    # five alike, so the group is large enough to be sent at all
    pid, *_others = [laptop.person(concern="housing") for _ in range(5)]
    cb = Casebook(laptop.vault)
    note = N.write_note(cb, pid, "First words", written_at=WRITTEN).value
    second = N.revise_note(cb, note.id, "Second words", base_revision_id=note.latest.id).value
    goal = G.set_goal(cb, pid, "Swim", steps=["Find the pool"]).value
    extra = referrals.record_referral(cb, pid, source=ReferralSource.SELF).value
    key = bytes.fromhex(PROGRAMME_KEY)
    rows = {
        pseudonym(key, i): name
        for i, name in (
            (note.id, "note"),
            (note.latest.id, "first version"),
            (second.latest.id, "second version"),
            (goal.id, "goal"),
            (goal.steps[0].id, "step"),
            (extra.id, "referral"),
        )
    }

    def ops() -> dict[str, str]:
        return {rows[r["id"]]: r["op"] for r in evaluation_records_of(laptop) if r["id"] in rows}

    assert set(ops().values()) == {"upsert"} and len(ops()) == 6
    N.mark_in_error(cb, note.id, "Written twice")
    G.mark_in_error(cb, goal.id, "Set by mistake")
    referrals.mark_in_error(cb, extra.id, "Recorded twice")
    assert ops() == dict.fromkeys(rows.values(), "delete")
    removed = [r for r in evaluation_records_of(laptop) if r["id"] in rows]
    assert all(r["fields"] == {} for r in removed)  # nothing of them, never a reason
