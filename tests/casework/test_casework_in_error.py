"""A tired worker's contact mistakes, put right: a contact booked or recorded on the wrong
participant, or recorded twice, is marked entered in error. It stays in the record (struck
through, with when and why, and in the audit trail) and stops counting everywhere: the
appointment limit, the caseload's last seen and next contact, the not-seen list, the diary,
the monthly totals, the team's report, the person's own record and the GP summary. A mark
made by mistake can be taken off again, and then everything counts as before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from documents_kit import CANARIES, build_full_record, pdf_text
from sqlalchemy import select

from linksdesk.casework import contacts as K
from linksdesk.casework import gp_summary, own_record
from linksdesk.casework import lists as L
from linksdesk.casework import measures as M
from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import AppointmentLimitWarning, CaseloadQuery, Participant
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import (
    ENTERED_IN_ERROR,
    ContactKind,
    ContactStatus,
    MeasureContext,
    MeasureKind,
)
from linksdesk.reports import data as report_data
from linksdesk.reports.build import INTERNAL, report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.storage.tables import AuditEvent, Contact
from linksdesk.sync.totals import monthly_counts

TODAY = dt.date.today()
THIS_MORNING = dt.datetime.combine(TODAY, dt.time(9, 30)) - dt.timedelta(days=1)
TOMORROW = dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time(14))
WRONG = "Booked on the wrong participant"


def _row(cb: Casebook, row_id: str) -> Contact:
    with cb.store.read() as s:
        row = s.get(Contact, row_id)
        assert row is not None
        s.expunge(row)
        return row


def _caseload_row(cb: Casebook, pid: str) -> tuple[dt.datetime | None, object, int]:
    [row] = [r for r in L.caseload(cb, CaseloadQuery()).rows if r.participant_id == pid]
    return row.last_contact, row.next_contact, row.appointments_used


def test_a_contact_recorded_twice_stops_counting_and_stays_struck_through(
    cb: Casebook, person: Participant
) -> None:
    met = K.record_contact(cb, person.id, kind="appointment", at=THIS_MORNING, minutes=40).value
    twice = K.record_contact(cb, person.id, kind="appointment", at=THIS_MORNING).value
    assert K.appointment_use(cb, person.id).used == 2

    marked = K.mark_in_error(cb, twice.id, "Recorded twice").value
    assert marked.in_error and marked.in_error_reason == "Recorded twice"
    assert not marked.counts_towards_limit and marked.outcome == ENTERED_IN_ERROR
    assert K.appointment_use(cb, person.id).used == 1
    # still in the record, with what was recorded untouched
    kept = {c.id: c for c in K.list_contacts(cb, person.id)}
    assert kept.keys() == {met.id, twice.id}
    assert kept[twice.id].status is ContactStatus.ATTENDED and kept[twice.id].in_error
    # the mark is a change in the audit trail (tests/sync: it syncs)
    with cb.store.read() as s:
        audited = [e.action for e in s.scalars(select(AuditEvent)) if e.entity_id == twice.id]
    assert audited == ["create", "change"]


def test_the_wrong_participants_booking_leaves_their_caseload_figures_and_diary(
    cb: Casebook, person: Participant
) -> None:
    other = P.create_participant(cb, given_name="Alasdair", family_name="Brown").value
    seen = K.record_contact(cb, other.id, kind="phone", at=THIS_MORNING, minutes=10).value
    booked = K.schedule_contact(cb, other.id, kind="appointment", at=TOMORROW).value
    assert _caseload_row(cb, other.id) == (THIS_MORNING, TOMORROW, 2)
    assert booked.id in {e.contact_id for e in L.diary(cb, TODAY, days=3)}

    for wrong in (seen, booked):
        K.mark_in_error(cb, wrong.id, WRONG)

    assert _caseload_row(cb, other.id) == (None, None, 0)
    assert booked.id not in {e.contact_id for e in L.diary(cb, TODAY, days=3)}
    # never seen now, and referred long enough ago: on the not-seen list again
    assert other.id in {
        r.participant_id for r in L.not_seen(cb, weeks=1, today=TODAY + dt.timedelta(weeks=2))
    }
    # an outcome or a move is refused for it; "Record outcome" no longer means it
    for attempt in (
        lambda: K.record_outcome(cb, booked.id, ContactStatus.ATTENDED),
        lambda: K.record_booked_outcome(cb, booked.id, ContactStatus.ATTENDED),
        lambda: K.edit_contact(cb, booked.id, at=TOMORROW + dt.timedelta(hours=1)),
    ):
        with pytest.raises(ValidationError, match="marked entered in error"):
            attempt()
    listed = K.list_contacts(cb, other.id)
    assert K.booking_to_record(listed, TOMORROW) is None
    assert K.nearest_booking(listed, TOMORROW) is None
    assert K.recorded_near(listed, ContactKind.PHONE, THIS_MORNING) is None
    assert _row(cb, booked.id).status == ContactStatus.SCHEDULED.value  # untouched


def test_a_mark_needs_a_reason_is_made_once_and_can_be_taken_off(
    cb: Casebook, person: Participant
) -> None:
    cb.update_settings(appointment_limit=1)
    first = K.record_contact(cb, person.id, kind="appointment", at=THIS_MORNING).value
    second = K.record_contact(cb, person.id, kind="appointment", at=THIS_MORNING).value
    for blank in ("", "   ", None):
        with pytest.raises(ValidationError, match="Say why"):
            K.mark_in_error(cb, second.id, blank)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="at most 500"):
        K.mark_in_error(cb, second.id, "x" * 501)
    assert not _row(cb, second.id).in_error_at  # nothing written
    K.mark_in_error(cb, second.id, "Recorded twice")
    with pytest.raises(ValidationError, match="already marked"):
        K.mark_in_error(cb, second.id, "a second press")
    assert _row(cb, second.id).in_error_reason == "Recorded twice"  # the first reason stays
    with pytest.raises(ValidationError, match="not marked"):
        K.restore_contact(cb, first.id)

    # the wrong one was marked: take the mark off, and it counts again (over the limit)
    back = K.restore_contact(cb, second.id)
    assert not back.value.in_error and back.value.counts_towards_limit
    assert back.changes.warnings == [AppointmentLimitWarning(person.id, 2, 1)]
    row = _row(cb, second.id)
    assert (row.in_error_at, row.in_error_reason) == (None, None)
    assert K.appointment_use(cb, person.id).used == 2


def test_an_unshared_persons_monthly_totals_leave_out_the_contact_in_error(
    cb: Casebook, person: Participant
) -> None:
    # the person never agreed to share: only the anonymous monthly totals leave the laptop
    met = K.record_contact(cb, person.id, kind="appointment", at=THIS_MORNING).value
    missed = K.record_contact(
        cb, person.id, kind="phone", at=THIS_MORNING, status="did_not_attend"
    ).value
    month = f"{THIS_MORNING:%Y-%m}"
    with cb.store.read() as s:
        before = monthly_counts(s, TODAY)[month]
    assert (before["contacts"], before["did_not_attend"]) == (1, 1)
    K.mark_in_error(cb, met.id, WRONG)
    K.mark_in_error(cb, missed.id, WRONG)
    with cb.store.read() as s:
        after = monthly_counts(s, TODAY)[month]
    assert (after["contacts"], after["did_not_attend"]) == (0, 0)


def test_the_team_report_counts_no_contact_in_error(cb: Casebook, person: Participant) -> None:
    ids = [
        K.record_contact(cb, person.id, kind="appointment", at=THIS_MORNING).value.id
        for _ in range(2)
    ]
    scope = Scope(Period.parse(f"{THIS_MORNING:%Y-%m}"))

    def attended() -> int:
        report = report_from_store(cb.store, scope, audience=INTERNAL)
        table = report.section("contacts").table("contacts_by_kind")
        row = next(r for r in table.rows if r[0] == ContactKind.APPOINTMENT.label)
        return int(row[table.column_index(ContactStatus.ATTENDED.value)])

    assert attended() == 2
    K.mark_in_error(cb, ids[1], "Recorded twice")
    assert attended() == 1
    K.mark_in_error(cb, ids[0], WRONG)
    assert attended() == 0


def test_the_own_record_and_gp_summary_leave_out_a_contact_in_error(
    cb: Casebook, tmp_path: Path
) -> None:
    planted = build_full_record(cb)
    pid = planted.participant_id
    [first] = [c for c in K.list_contacts(cb, pid) if CANARIES["contact"] in (c.purpose or "")]
    summary = gp_summary.gp_summary(cb, pid)
    K.mark_in_error(cb, first.id, WRONG)  # perhaps someone else's: it must not go out

    document = own_record.record_pdf(cb, pid, include_private=False)
    path = tmp_path / document.file_name
    path.write_bytes(document.pdf)
    assert CANARIES["contact"] not in pdf_text(path)
    record = own_record.gather_record(cb, pid, include_private=True)
    assert first.id not in {c.id for c in record.contacts}
    after = gp_summary.gp_summary(cb, pid)
    assert summary.first_seen == dt.datetime(2026, 1, 12, 10, 0)  # the contact marked
    assert after.first_seen == dt.datetime(2026, 2, 9, 14, 0)  # the supported visit
    assert summary.attended[ContactKind.APPOINTMENT] == 1
    assert after.attended.get(ContactKind.APPOINTMENT, 0) == 0


# -- a wellbeing score typed wrong ------------------------------------------------------------
D = dt.date(2026, 3, 2)


def test_a_baseline_typed_wrong_is_kept_struck_and_the_next_score_is_the_baseline(
    cb: Casebook, person: Participant
) -> None:
    # 14 answers typed on a tired afternoon: every one a 1 where the form said 3
    wrong = M.record_measure(cb, person.id, "wemwbs", [1] * 14, context="baseline", taken_on=D)
    right = M.record_measure(cb, person.id, "wemwbs", [3] * 14, context="baseline", taken_on=D)
    later = M.record_measure(
        cb, person.id, "wemwbs", [4] * 14, context="review", taken_on=D + dt.timedelta(weeks=8)
    )
    before = {m.id: m for m in M.list_measures(cb, person.id)}
    assert before[wrong.value.id].is_baseline and not before[right.value.id].is_baseline
    assert before[later.value.id].vs_baseline.difference == 56 - 14  # against the typo

    marked = M.mark_in_error(cb, wrong.value.id, "Answers or score typed wrong").value
    assert marked.in_error and marked.episode == 0 and not marked.is_baseline
    after = {m.id: m for m in M.list_measures(cb, person.id)}
    assert after.keys() == before.keys()  # kept
    assert after[wrong.value.id].total == 14  # as it was recorded
    assert after[right.value.id].is_baseline and after[right.value.id].episode == 1
    assert after[later.value.id].vs_baseline.difference == 56 - 42
    with pytest.raises(ValidationError, match="already marked"):
        M.mark_in_error(cb, wrong.value.id, "a second press")

    # out of the team's figures and the person's own record
    with cb.store.read() as s:
        loaded = {row[2] for row in report_data.load(s, None).measures}
    assert loaded == {right.value.id, later.value.id}
    record = own_record.gather_record(cb, person.id, include_private=True)
    assert wrong.value.id not in {m.id for m in record.measures}

    # taken off again (the wrong row was marked): the first score is the baseline again
    back = M.restore_measure(cb, wrong.value.id).value
    assert not back.in_error and back.is_baseline


def test_a_score_only_in_error_leaves_the_next_form_a_baseline(
    cb: Casebook, person: Participant
) -> None:
    only = M.record_measure(cb, person.id, "swemwbs", [3] * 7, context="baseline", taken_on=D)
    M.mark_in_error(cb, only.value.id, "Recorded on the wrong participant")
    scores = M.list_measures(cb, person.id)
    assert M.context_for_next(MeasureKind.SWEMWBS, scores, [], []) is MeasureContext.BASELINE
