"""The GP summary: the latest GP consent decides, private items and unticked notes never go in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from documents_kit import (
    CANARIES,
    PRIVATE_CONTACT,
    PRIVATE_NOTE,
    SHARED_NOTE,
    build_full_record,
    pdf_text,
)
from sqlalchemy import select

from linksdesk.casework import consent, contacts, gp_summary, measures
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import NotFoundError, ValidationError
from linksdesk.core.vocab import ConsentScope
from linksdesk.reports import gp_codes
from linksdesk.storage.tables import AuditEvent

REFERRAL = "871731000000106 Referral to social prescribing service"
DECLINED = "871711000000103 Social prescribing declined"


def _audit(cb: Casebook) -> list[tuple[str, str, str | None]]:
    with cb.store.read() as s:
        rows = s.scalars(select(AuditEvent).order_by(AuditEvent.seq))
        return [(e.action, e.entity, e.entity_id) for e in rows]


def test_no_gp_consent_recorded_is_refused_saying_why_and_how(cb: Casebook) -> None:
    planted = build_full_record(cb, gp_consent=None)
    with pytest.raises(gp_summary.NoGpConsentError) as caught:
        gp_summary.export_gp_summary(cb, planted.participant_id, "text")
    message = str(caught.value)
    assert "not been asked about sharing with their GP practice" in message
    # named as the consent form names it (whatever its label is)
    assert f'Record consent…, choosing "{ConsentScope.GP.label}"' in message
    assert planted.programme_id in message


def test_the_latest_gp_consent_decides(cb: Casebook) -> None:
    # given, then withdrawn: refused, and the message names the deciding version
    planted = build_full_record(cb, gp_consent=False)
    with pytest.raises(gp_summary.NoGpConsentError, match=r"version 2, recorded 2 February 2026"):
        gp_summary.export_gp_summary(cb, planted.participant_id, "pdf")
    # given again later: allowed
    consent.record_consent(cb, planted.participant_id, ConsentScope.GP, True)
    before = _audit(cb)
    export = gp_summary.export_gp_summary(cb, planted.participant_id, "text")
    assert REFERRAL in str(export.content)
    # the summary writes one line to the audit log
    assert _audit(cb)[len(before) :] == [("export", "gp_summary_text", planted.participant_id)]


def test_no_private_items_and_no_case_notes_unless_ticked(cb: Casebook) -> None:
    planted = build_full_record(cb)
    text = str(gp_summary.export_gp_summary(cb, planted.participant_id, "text").content)
    assert REFERRAL in text
    assert DECLINED not in text
    # nor the risk summary, nor a version still waiting to be reconciled
    for never in (PRIVATE_NOTE, PRIVATE_CONTACT, SHARED_NOTE, CANARIES["conflict"]):
        assert never not in text
    # what the practice needs is there
    for canary in ("referral", "goal", "onward", "resource"):
        assert CANARIES[canary] in text
    assert "Money and benefits" in text and "Isolation" in text
    assert "WEMWBS: 28 on 12 January 2026 → 42 on 2 March 2026: Clear improvement" in text
    assert "Supported visits: 9 February 2026 (Advice centre)" in text
    assert "1 did not attend" in text
    assert "© NHS Health Scotland" in text

    ticked = gp_summary.export_gp_summary(
        cb, planted.participant_id, "text", note_ids=[planted.shared_note_id]
    )
    assert SHARED_NOTE in str(ticked.content) and CANARIES["note_v2"] in str(ticked.content)
    assert CANARIES["note_v1"] not in str(ticked.content)  # the current version only
    assert _audit(cb)[-1] == ("export", "gp_summary_text+notes", planted.participant_id)


def test_a_call_not_answered_is_not_told_to_the_practice_as_attended(cb: Casebook) -> None:
    """An attempted contact is kept as attended (the attempt happened); the practice was
    told the person attended it, and was last seen on the day nobody answered."""
    planted = build_full_record(cb)
    contacts.record_attempted_contact(cb, planted.participant_id, at=dt.datetime(2026, 3, 5, 10, 0))
    text = str(gp_summary.export_gp_summary(cb, planted.participant_id, "text").content)
    assert "2 attended (1 appointment, 1 supported visit)" in text
    assert "latest 9 February 2026" in text
    assert "1 unanswered attempt to make contact" in text


def test_a_private_note_cannot_be_ticked(cb: Casebook) -> None:
    planted = build_full_record(cb)
    with pytest.raises(ValidationError, match="Private case notes never go in a GP summary"):
        gp_summary.export_gp_summary(
            cb, planted.participant_id, "pdf", note_ids=[planted.private_note_id]
        )
    with pytest.raises(NotFoundError):
        gp_summary.export_gp_summary(cb, planted.participant_id, "text", note_ids=["nope"])


def test_a_choice_not_known_is_said_plainly_and_no_summary_leaves(cb: Casebook) -> None:
    planted = build_full_record(cb)
    before = _audit(cb)
    # a caller that misspells a choice (note_id for note_ids) gets a plain refusal, not a
    # summary made without the notes it meant to tick
    with pytest.raises(ValidationError, match="'note_id' is not a choice for a GP summary"):
        gp_summary.export_gp_summary(
            cb,
            planted.participant_id,
            "text",
            note_id=[planted.shared_note_id],  # type: ignore[call-arg]
        )
    assert _audit(cb) == before


def test_declined_adds_its_code(cb: Casebook) -> None:
    planted = build_full_record(cb)
    text = str(gp_summary.export_gp_summary(cb, planted.participant_id, declined=True).content)
    assert REFERRAL in text and DECLINED in text
    assert "The person declined social prescribing." in text


def test_pdf_letter_is_readable_and_carries_the_codes(cb: Casebook, tmp_path: Path) -> None:
    planted = build_full_record(cb)
    export = gp_summary.export_gp_summary(cb, planted.participant_id, "pdf")
    assert isinstance(export.content, bytes)
    path = tmp_path / export.file_name
    path.write_bytes(export.content)
    text = pdf_text(path)
    assert "871731000000106" in text and "Referral to social prescribing service" in text
    assert "Social prescribing summary" in text and CANARIES["referral"] in text
    for never in (PRIVATE_NOTE, PRIVATE_CONTACT, SHARED_NOTE):
        assert never not in text
    assert export.file_name == f"gp-summary-{planted.programme_id}-{export.summary.produced_on}.pdf"
    assert _audit(cb)[-1] == ("export", "gp_summary_pdf", planted.participant_id)


def test_shipped_concern_table_codes_nothing_and_parses() -> None:
    # every code is left empty on purpose: none is guessed
    assert gp_codes.concern_codes() == {}
    assert gp_codes.is_snomed_id(gp_codes.REFERRAL.code)
    assert gp_codes.is_snomed_id(gp_codes.DECLINED.code)


def test_a_programme_edited_table_codes_its_concerns(cb: Casebook, tmp_path: Path) -> None:
    planted = build_full_record(cb)
    table = tmp_path / "concern-codes.csv"
    # a synthetic, check-digit-valid id: this tests the table, it is not a real mapping
    table.write_text(
        "concern,snomed_ct_code,snomed_ct_term\n"
        "money and BENEFITS,22298006,Test term for money\n"
        "Isolation,,\n",
        encoding="utf-8",
    )
    summary = gp_summary.gp_summary(cb, planted.participant_id, codes_table=table)
    text = gp_summary.report.summary_text(summary)
    assert "22298006 Test term for money" in text
    assert [c.code for c in summary.codes] == ["871731000000106", "22298006"]
    # the uncoded concern is listed, without any code
    isolation = next(c for c in summary.concerns if c.concern.category == "Isolation")
    assert isolation.code is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("concern,code\nDebt,22298006\n", "first line"),
        ("concern,snomed_ct_code,snomed_ct_term\nDebt,22298007,Slip\n", "Line 2 .*Debt.*typing"),
        ("concern,snomed_ct_code,snomed_ct_term\nDebt,22298006,\n", "Line 2 .*no term"),
    ],
)
def test_a_broken_table_is_refused_with_the_line(
    cb: Casebook, tmp_path: Path, content: str, message: str
) -> None:
    planted = build_full_record(cb)
    table = tmp_path / "concern-codes.csv"
    table.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match=message):
        gp_summary.export_gp_summary(cb, planted.participant_id, codes_table=table)


def test_wellbeing_for_a_person_who_came_back_is_their_latest_episode(cb: Casebook) -> None:
    """The practice reads the change since the new baseline, not from the first time round
    (the rule of the reports and the Wellbeing tab, core.episodes)."""
    planted = build_full_record(cb)
    for day, items, context in ((dt.date(2026, 5, 4), [2] * 12 + [3, 3], "baseline"),
                                (dt.date(2026, 6, 1), [2] * 7 + [3] * 7, "review")):  # fmt: skip
        measures.record_measure(cb, planted.participant_id, "wemwbs", items, context=context,
                                taken_on=day)  # fmt: skip
    text = str(gp_summary.export_gp_summary(cb, planted.participant_id, "text").content)
    assert (
        "WEMWBS: 30 on 4 May 2026 → 35 on 1 June 2026: Possible improvement (5 points) "
        "(since they came back: a new baseline)" in text
    )
    assert "28 on 12 January 2026 →" not in text
