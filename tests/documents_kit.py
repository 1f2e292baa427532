"""A synthetic participant with one planted canary in every kind of row, for the document tests.

Imported by name (``tests`` is on the test path) by the casework, CLI and desktop tests of the
participant's record and the GP summary. Everything here is invented.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import update

from linksdesk.casework import (
    concerns,
    consent,
    contacts,
    goals,
    measures,
    notes,
    onward,
    participants,
    referrals,
    relationships,
    resources,
)
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import (
    ConcernStage,
    ConsentMethod,
    ConsentScope,
    ContactKind,
    ContactStatus,
    MeasureContext,
    MeasureKind,
    OnwardKind,
    OnwardStatus,
    ParticipantStatus,
    ReferralSource,
    RelationshipKind,
)
from linksdesk.storage.tables import Contact as ContactRow
from linksdesk.storage.tables import SyncConflict

# one canary per kind of row the record holds; each must show in the printed record
CANARIES = {
    "profile": "Kestrelmoor",  # in the address
    "status": "Canarystatus",
    "consent": "Canaryconsent",
    "referral": "Canaryreferral",
    "concern": "Canaryconcern",
    "contact": "Canarycontact",
    "note_v1": "Canarynoteone",
    "note_v2": "Canarynotetwo",
    "goal": "Canarygoal",
    "step": "Canarystep",
    "onward": "Canaryonward",
    "resource": "Canaryresource",
    "network": "Canarynetwork",
    "conflict": "Canaryconflict",
}
PRIVATE_NOTE = "Privatecanarynote"
PRIVATE_CONTACT = "Privatecanarycontact"
SHARED_NOTE = "Sharednotecanary"


@dataclass(frozen=True)
class Planted:
    participant_id: str
    programme_id: str
    private_note_id: str
    shared_note_id: str


def build_full_record(cb: Casebook, *, gp_consent: bool | None = True) -> Planted:
    """A participant with every kind of row, one private note and one private contact.

    ``gp_consent``: True records GP consent given (after an earlier "no"), False records it
    withdrawn after it was given, None records none at all.
    """
    p = participants.create_participant(
        cb,
        given_name="Zoë",
        family_name="Ó Briain-Testperson",
        date_of_birth=dt.date(1958, 2, 14),
        address=f"3 {CANARIES['profile']} Road",
        postcode="ZZ9 9ZZ",
        gp_practice="Hillview Practice (invented)",
        referred_on=dt.date(2026, 1, 5),
    ).value
    pid = p.id
    referrals.record_referral(
        cb,
        pid,
        source=ReferralSource.GP,
        received_on=dt.date(2026, 1, 5),
        referrer="Dr Invented",
        reason=f"Low mood and money worries {CANARIES['referral']}",
    )
    consent.record_consent(
        cb,
        pid,
        ConsentScope.RECORD,
        True,
        method=ConsentMethod.WRITTEN,
        recorded_on=dt.date(2026, 1, 12),
        note=f"Signed form {CANARIES['consent']}",
    )
    if gp_consent is True:
        consent.record_consent(cb, pid, ConsentScope.GP, False, recorded_on=dt.date(2026, 1, 12))
        consent.record_consent(cb, pid, ConsentScope.GP, True, recorded_on=dt.date(2026, 2, 2))
    elif gp_consent is False:
        consent.record_consent(cb, pid, ConsentScope.GP, True, recorded_on=dt.date(2026, 1, 12))
        consent.record_consent(cb, pid, ConsentScope.GP, False, recorded_on=dt.date(2026, 2, 2))
    concerns.add_concern(
        cb,
        pid,
        "Money and benefits",
        stage=ConcernStage.AT_REFERRAL,
        identified_on=dt.date(2026, 1, 5),
        detail=f"Rent arrears {CANARIES['concern']}",
    )
    concerns.add_concern(
        cb, pid, "Isolation", stage=ConcernStage.LATER, identified_on=dt.date(2026, 2, 2)
    )
    first = contacts.record_contact(
        cb,
        pid,
        kind=ContactKind.APPOINTMENT,
        at=dt.datetime(2026, 1, 12, 10, 0),
        minutes=45,
        venue="Library",
        purpose=f"First meeting {CANARIES['contact']}",
    ).value
    contacts.record_contact(
        cb,
        pid,
        kind=ContactKind.SUPPORTED_VISIT,
        at=dt.datetime(2026, 2, 9, 14, 0),
        minutes=90,
        venue="Advice centre",
        purpose="Went together to the advice centre",
    )
    contacts.record_contact(
        cb,
        pid,
        kind=ContactKind.PHONE,
        at=dt.datetime(2026, 2, 16, 9, 30),
        status=ContactStatus.DID_NOT_ATTEND,
    )
    hidden = contacts.record_contact(
        cb,
        pid,
        kind=ContactKind.HOME_VISIT,
        at=dt.datetime(2026, 2, 20, 11, 0),
        purpose=f"Visit {PRIVATE_CONTACT}",
    ).value
    # casework marks only notes private today; a row of another kind may arrive private
    # (sync, a later feature), so the document must treat every kind alike
    with cb.store.write() as tx:
        tx.session.execute(
            update(ContactRow).where(ContactRow.id == hidden.id).values(sharing="private")
        )
    shared = notes.write_note(
        cb,
        pid,
        f"First note {CANARIES['note_v1']} {SHARED_NOTE}",
        contact_id=first.id,
        written_at=dt.datetime(2026, 1, 12, 11, 0),
    ).value
    notes.revise_note(
        cb,
        shared.id,
        f"First note, corrected {CANARIES['note_v2']} {SHARED_NOTE}",
        base_revision_id=shared.latest.id,
    )
    private = notes.write_note(
        cb,
        pid,
        f"Told me in confidence {PRIVATE_NOTE}",
        written_at=dt.datetime(2026, 2, 9, 16, 0),
        private=True,
    ).value
    goal = goals.set_goal(
        cb,
        pid,
        f"Get out of the house twice a week {CANARIES['goal']}",
        why_it_matters="Feel less alone",
        set_on=dt.date(2026, 1, 12),
        progress=3,
    ).value
    goals.add_step(cb, goal.id, f"Try the walking group {CANARIES['step']}")
    measures.record_measure(
        cb,
        pid,
        MeasureKind.WEMWBS,
        [2] * 14,
        context=MeasureContext.BASELINE,
        taken_on=dt.date(2026, 1, 12),
    )
    measures.record_measure(
        cb,
        pid,
        MeasureKind.WEMWBS,
        [3] * 14,
        context=MeasureContext.REVIEW,
        taken_on=dt.date(2026, 3, 2),
    )
    res = resources.add_resource(
        cb, organisation=f"{CANARIES['resource']} Trust", service="Welfare rights"
    ).value
    ref = onward.refer_onward(
        cb, pid, res.id, OnwardKind.REFERRAL, status=OnwardStatus.MADE, on=dt.date(2026, 1, 19)
    ).value
    onward.update_onward(
        cb,
        ref.id,
        OnwardStatus.ATTENDED,
        outcome=f"Benefit check done {CANARIES['onward']}",
        on=dt.date(2026, 2, 9),
    )
    relationships.add_relationship(
        cb, pid, RelationshipKind.FRIEND, "Aileen", detail=f"Neighbour {CANARIES['network']}"
    )
    # the risk summary changed on two laptops at once: both versions kept until settled
    with cb.store.write() as tx:
        tx.session.add(
            SyncConflict(
                id="conflict-canary",
                table_name="participant",
                row_id=pid,
                field="risk_summary",
                participant_id=pid,
                local_value=f"Lives alone {CANARIES['conflict']}",
                remote_value="Lives with a friend",
                local_hlc="0",
                remote_hlc="0",
                detected_at=dt.datetime(2026, 2, 21, 8, 0),
            )
        )
    participants.change_status(
        cb,
        pid,
        ParticipantStatus.ACTIVE,
        reason=f"Met {CANARIES['status']}",
        on=dt.date(2026, 1, 12),
    )
    return Planted(
        participant_id=pid,
        programme_id=p.programme_id,
        private_note_id=private.id,
        shared_note_id=shared.id,
    )


def pdf_text(path: Path) -> str:
    """What ``pdftotext`` reads from a PDF, with runs of whitespace made single spaces."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())
