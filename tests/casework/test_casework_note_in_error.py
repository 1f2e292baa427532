"""A tired worker's remaining mistakes, put right.

A case note written in the wrong participant's record is the worst of them: the person's own
record (a subject access request) prints every revision of every note, so another person's
details would reach them, and the GP summary, search and the evaluation files could carry it
too. "Move to the right record" writes the words into the right record as a new note and
marks the original entered in error; from then on neither it nor any revision of it, nor a
conflict kept about it, reaches anything outside the worker's own record view.

A referral in recorded twice and a goal set by mistake are marked the same way and count
nowhere: the board's new referrals and waits, the monthly totals, the goals report, reviews
due, search and the person's own record. Every mark can be taken off again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from documents_kit import CANARIES, build_full_record, pdf_text
from sqlalchemy import select

from linksdesk.casework import goals as G
from linksdesk.casework import gp_summary, notes, own_record, participants, referrals, search
from linksdesk.casework import lists as L
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Participant
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import ReferralSource
from linksdesk.reports.build import INTERNAL, report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.storage.tables import AuditEvent, SyncConflict
from linksdesk.sync.totals import monthly_counts

NOTE_CONFLICT = "Canarynoteconflict"


def _pdf(cb: Casebook, pid: str, tmp_path: Path) -> str:
    document = own_record.record_pdf(cb, pid, include_private=True)
    path = tmp_path / f"{pid}.pdf"
    path.write_bytes(document.pdf)
    return pdf_text(path)


def _found(cb: Casebook, word: str) -> set[tuple[str, str | None]]:
    return {(h.row_id, h.participant_id) for h in search.search(cb, word)}


def test_a_note_in_the_wrong_record_is_moved_and_reaches_nothing_of_the_wrong_person(
    cb: Casebook, person: Participant, tmp_path: Path
) -> None:
    wrong = build_full_record(cb)  # Zoë's record, where the note was written by mistake
    note_id, pid = wrong.shared_note_id, wrong.participant_id
    with cb.store.write() as tx:  # revised on two laptops at once: a conflict kept about it
        tx.session.add(
            SyncConflict(
                id="note-conflict",
                table_name="note_revision",
                row_id=note_id,
                field="body",
                participant_id=pid,
                local_value=f"Other words {NOTE_CONFLICT}",
                remote_value="Yet other words",
                local_hlc="0",
                remote_hlc="0",
                detected_at=dt.datetime(2026, 2, 21, 8, 0),
            )
        )
    before = _pdf(cb, pid, tmp_path)
    assert CANARIES["note_v1"] in before and CANARIES["note_v2"] in before
    assert NOTE_CONFLICT in before
    assert _found(cb, CANARIES["note_v2"]) == {(note_id, pid)}

    moved = notes.move_note(cb, note_id, person.id).value

    # the right record holds the words, as last written, with the same date, saying so
    assert moved.note.participant_id == person.id and moved.note.contact_id is None
    assert moved.note.written_at == dt.datetime(2026, 1, 12, 11, 0)
    assert moved.note.text.startswith(f"First note, corrected {CANARIES['note_v2']}")
    assert "Moved here on" in moved.note.text and "another participant's record" in moved.note.text
    assert "Zoë" not in moved.note.text  # never whose record it was in
    # the original stays in the wrong record's view, struck through, with why and when
    kept = {n.id: n for n in notes.list_notes(cb, pid)}
    assert kept[note_id].in_error and kept[note_id].in_error_reason == notes.WRONG_RECORD
    assert len(notes.note_history(cb, note_id)) == 2
    with cb.store.read() as s:
        audited = [e.entity for e in s.scalars(select(AuditEvent)) if e.entity_id == note_id]
    assert "note_moved" in audited

    # Zoë's own record prints no revision of it, and no conflict kept about it
    after = _pdf(cb, pid, tmp_path)
    for canary in (CANARIES["note_v1"], CANARIES["note_v2"], NOTE_CONFLICT):
        assert canary not in after, canary
    assert CANARIES["contact"] in after  # the rest of her record is as it was
    right = _pdf(cb, person.id, tmp_path)
    assert CANARIES["note_v2"] in right and CANARIES["note_v1"] not in right
    # her GP summary refuses it, search finds only the note in the right record
    with pytest.raises(ValidationError, match="entered in error"):
        gp_summary.gp_summary(cb, pid, note_ids=[note_id])
    assert note_id not in {
        n.id for n in own_record.gather_record(cb, pid, include_private=True).notes
    }
    assert _found(cb, CANARIES["note_v2"]) == {(moved.note.id, person.id)}
    assert _found(cb, CANARIES["note_v1"]) == set()
    # a struck note is not revised, nor moved again
    with pytest.raises(ValidationError, match="Not in error after all"):
        notes.revise_note(cb, note_id, "More", base_revision_id=kept[note_id].latest.id)
    with pytest.raises(ValidationError):
        notes.move_note(cb, note_id, person.id)


def test_a_note_marked_by_mistake_comes_back_everywhere(
    cb: Casebook, person: Participant, tmp_path: Path
) -> None:
    planted = build_full_record(cb)
    pid, note_id = planted.participant_id, planted.shared_note_id
    marked = notes.mark_in_error(cb, note_id, "Written twice").value
    assert marked.in_error and marked.in_error_reason == "Written twice"
    assert CANARIES["note_v2"] not in _pdf(cb, pid, tmp_path)
    assert _found(cb, CANARIES["note_v2"]) == set()
    with pytest.raises(ValidationError, match="already marked"):
        notes.mark_in_error(cb, note_id, "Again")

    back = notes.restore_note(cb, note_id).value
    assert not back.in_error
    assert CANARIES["note_v2"] in _pdf(cb, pid, tmp_path)
    assert _found(cb, CANARIES["note_v2"]) == {(note_id, pid)}
    assert gp_summary.gp_summary(cb, pid, note_ids=[note_id]).notes


def test_a_note_is_moved_only_to_another_persons_record(cb: Casebook, person: Participant) -> None:
    note = notes.write_note(cb, person.id, "Met at the library").value
    with pytest.raises(ValidationError, match="already in this participant's record"):
        notes.move_note(cb, note.id, person.id)
    assert not notes.get_note(cb, note.id).in_error  # nothing written


# -- a referral in recorded twice ------------------------------------------------------------
def test_a_referral_recorded_twice_counts_once_in_reports_totals_and_the_own_record(
    cb: Casebook, person: Participant, tmp_path: Path
) -> None:
    day = dt.date.today() - dt.timedelta(days=3)
    first, twice = (
        referrals.record_referral(
            cb, person.id, source=ReferralSource.GP, received_on=day, reason="Canaryreftwice"
        ).value
        for _ in range(2)
    )
    scope = Scope(Period.parse(f"{day:%Y-%m}"))

    def new_referrals() -> int:
        report = report_from_store(cb.store, scope, audience=INTERNAL)
        table = report.section("referrals").table("referrals_by_source")
        row = next(r for r in table.rows if r[0] == ReferralSource.GP.label)
        return int(row[-1] or 0)

    def totalled() -> int:
        with cb.store.read() as s:  # the person never agreed to share: counted in totals
            counts = monthly_counts(s, dt.date.today())[f"{day:%Y-%m}"]
        return int(counts["referrals_by_source"].get(ReferralSource.GP.value, 0))

    assert (new_referrals(), totalled()) == (2, 2)
    marked = referrals.mark_in_error(cb, twice.id, "Recorded twice").value
    assert marked.in_error and marked.in_error_reason == "Recorded twice"
    assert (new_referrals(), totalled()) == (1, 1)
    kept = {r.id: r for r in referrals.list_referrals(cb, person.id)}
    assert kept.keys() == {first.id, twice.id} and kept[twice.id].in_error
    record = own_record.gather_record(cb, person.id, include_private=True)
    assert [r.id for r in record.referrals] == [first.id]
    with pytest.raises(ValidationError, match="Not in error after all"):
        referrals.edit_referral(cb, twice.id, referrer="Dr Other")

    referrals.restore_referral(cb, twice.id)
    assert (new_referrals(), totalled()) == (2, 2)


# -- a goal set by mistake -------------------------------------------------------------------
def test_a_goal_set_by_mistake_counts_in_no_report_review_search_or_own_record(
    cb: Casebook, person: Participant, tmp_path: Path
) -> None:
    day = dt.date.today() - dt.timedelta(days=40)
    kept = G.set_goal(cb, person.id, "Walk to the shop", set_on=day, review_on=day).value
    wrong = G.set_goal(
        cb, person.id, "Canarymistakengoal swim", set_on=day, review_on=day, steps=["Canarystepx"]
    ).value
    scope = Scope(Period.parse(f"{day:%Y-%m}"))

    def goals_set() -> int:
        table = (
            report_from_store(cb.store, scope, audience=INTERNAL).section("goals").table("goals")
        )
        return int(table.rows[-1][table.column_index("set")] or 0)

    def due() -> set[str]:
        return {r.goal_id for r in L.goals_due_for_review(cb)}

    assert goals_set() == 2 and due() == {kept.id, wrong.id}
    assert _found(cb, "Canarymistakengoal") == {(wrong.id, person.id)}
    G.mark_in_error(cb, wrong.id, "Set by mistake")

    assert goals_set() == 1 and due() == {kept.id}
    assert _found(cb, "Canarymistakengoal") == set()
    text = _pdf(cb, person.id, tmp_path)
    assert "Canarymistakengoal" not in text and "Canarystepx" not in text
    assert "Walk to the shop" in text
    # kept in the record with its steps, struck through; nothing more is recorded of it
    [marked] = [g for g in G.list_goals(cb, person.id) if g.id == wrong.id]
    assert marked.in_error and len(marked.steps) == 1
    for change in (
        lambda: G.rate_progress(cb, wrong.id, 5),
        lambda: G.add_step(cb, wrong.id, "Another"),
        lambda: G.complete_step(cb, marked.steps[0].id),
    ):
        with pytest.raises(ValidationError, match="Not in error after all"):
            change()

    G.restore_goal(cb, wrong.id)
    assert goals_set() == 2 and due() == {kept.id, wrong.id}


def test_notes_marked_in_error_never_take_a_search_result_s_place(
    cb: Casebook, person: Participant
) -> None:
    """The marked notes rank first (the word stands in them most often), yet the first hits
    are the notes still standing: a marked hit is skipped, not counted in the limit."""
    marked = [
        notes.write_note(cb, person.id, "Allotment " * 6 + f"plot {i}.").value.id for i in range(5)
    ]
    standing = [
        notes.write_note(cb, person.id, f"Spoke about the allotment once ({i}).").value.id
        for i in range(3)
    ]
    assert [h.row_id for h in search.search(cb, "allotment", limit=5)] == marked  # ranked first
    for note_id in marked:
        notes.mark_in_error(cb, note_id, "Written twice")

    assert [h.row_id for h in search.search(cb, "allotment", limit=1)] != []
    assert {h.row_id for h in search.search(cb, "allotment", limit=3)} == set(standing)
    assert {h.row_id for h in search.search(cb, "allotment")} == set(standing)


def test_a_note_moved_again_after_an_undo_brings_its_copy_up_to_date_not_a_second_copy(
    cb: Casebook, person: Participant
) -> None:
    wrong = participants.create_participant(cb, given_name="Ola", family_name="Example").value.id
    note = notes.write_note(cb, wrong, "Talked about the food bank.").value
    first = notes.move_note(cb, note.id, person.id).value.note
    notes.restore_note(cb, note.id)  # "Not in error after all": the copy stays where it went
    latest = notes.get_note(cb, note.id).latest
    notes.revise_note(
        cb, note.id, "Talked about the food bank and a voucher.", base_revision_id=latest.id
    )
    again = notes.move_note(cb, note.id, person.id).value.note

    assert again.id == first.id  # the same copy, its words brought up to date
    live = [n for n in notes.list_notes(cb, person.id) if not n.in_error]
    assert [n.id for n in live] == [first.id]
    assert live[0].latest.text.startswith("Talked about the food bank and a voucher.")
    assert [r.text.split("\n")[0] for r in notes.note_history(cb, first.id)] == [
        "Talked about the food bank.",
        "Talked about the food bank and a voucher.",
    ]
