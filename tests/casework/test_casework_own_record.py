"""The participant's own record (right of access): one snapshot, private items, the PDF, audit."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from documents_kit import CANARIES, PRIVATE_CONTACT, PRIVATE_NOTE, build_full_record, pdf_text
from sqlalchemy import select, update

from linksdesk.casework import contacts, notes, own_record
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import NotFoundError
from linksdesk.reports.participant_record import SECTIONS
from linksdesk.storage.tables import AuditEvent, Contact, Note, NoteRevision


def _audit(cb: Casebook) -> list[AuditEvent]:
    with cb.store.read() as s:
        return list(s.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_record_pdf_holds_every_section_and_a_canary_from_every_kind_of_row(
    cb: Casebook, tmp_path: Path
) -> None:
    planted = build_full_record(cb)
    document = own_record.record_pdf(cb, planted.participant_id, include_private=False)
    text = pdf_text(_write(tmp_path, document.file_name, document.pdf))
    for heading in SECTIONS:
        assert heading in text, heading
    missing = [kind for kind, canary in CANARIES.items() if canary not in text]
    assert missing == []
    # every revision of a note, the measure's copyright line, the programme, page numbers
    assert CANARIES["note_v1"] in text and CANARIES["note_v2"] in text
    assert "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS) © NHS Health Scotland" in text
    assert "Community links programme" in text
    pages = int(re.findall(r"Page \d+ of (\d+)", text)[0])
    assert [f"Page {n} of {pages}" in text for n in range(1, pages + 1)] == [True] * pages
    assert document.file_name.startswith(f"record-{planted.programme_id}-")


def test_a_call_not_answered_is_printed_as_not_reached(cb: Casebook, tmp_path: Path) -> None:
    planted = build_full_record(cb)
    attempt = contacts.record_attempted_contact(
        cb, planted.participant_id, at=dt.datetime(2026, 3, 5, 10, 0)
    ).value
    document = own_record.record_pdf(cb, planted.participant_id, include_private=False)
    text = pdf_text(_write(tmp_path, document.file_name, document.pdf))
    flat = " ".join(text.split())
    assert f"5 Mar 2026, 10:00 {attempt.kind.label} Not reached" in flat


def test_private_items_are_left_out_and_the_document_says_so(cb: Casebook, tmp_path: Path) -> None:
    planted = build_full_record(cb)
    assert own_record.private_items(cb, planted.participant_id) == {"contact": 1, "note": 1}
    without = own_record.record_pdf(cb, planted.participant_id, include_private=False)
    text = pdf_text(_write(tmp_path, "without.pdf", without.pdf))
    assert PRIVATE_NOTE not in text and PRIVATE_CONTACT not in text
    assert "This record is not complete. Left out: 1 contact and 1 case note" in text
    assert not without.record.complete

    with_private = own_record.record_pdf(cb, planted.participant_id, include_private=True)
    text = pdf_text(_write(tmp_path, "with.pdf", with_private.pdf))
    assert PRIVATE_NOTE in text and PRIVATE_CONTACT in text
    assert "This record is complete" in text and "Left out" not in text
    assert "(private)" in text  # the worker can see which items were private


def test_a_record_without_private_items_says_it_is_complete(cb: Casebook, tmp_path: Path) -> None:
    planted = build_full_record(cb)
    with cb.store.write() as tx:
        for table in (Contact, Note, NoteRevision):
            tx.session.execute(update(table).values(sharing="team"))
    assert own_record.private_items(cb, planted.participant_id) == {}
    document = own_record.record_pdf(cb, planted.participant_id, include_private=False)
    assert document.record.complete
    text = pdf_text(_write(tmp_path, "r.pdf", document.pdf))
    assert "This record is complete" in text and PRIVATE_NOTE in text


def test_sections_are_in_time_order_whatever_order_things_were_recorded(cb: Casebook) -> None:
    planted = build_full_record(cb)
    # written today about an earlier day: it must sort by when, not by when it was typed
    notes.write_note(
        cb, planted.participant_id, "Backdated", written_at=dt.datetime(2025, 12, 1, 9, 0)
    )
    record = own_record.gather_record(cb, planted.participant_id, include_private=True)
    for items, key in [
        (record.contacts, lambda c: c.at),
        (record.notes, lambda n: n.written_at),
        (record.consents, lambda c: (c.recorded_on, c.version)),
        (record.measures, lambda m: m.taken_on),
        (record.status_history, lambda s: s.changed_on),
    ]:
        keys = [key(i) for i in items]
        assert keys == sorted(keys)
    assert record.notes[0].text == "Backdated"
    # revisions oldest first, the latest last
    shared = next(n for n in record.notes if n.id == planted.shared_note_id)
    assert [r.revision for r in shared.revisions] == [1, 2]
    assert record.measures[1].change == "Clear improvement (14 points)"


def test_producing_the_record_is_audited_with_ids_only(cb: Casebook) -> None:
    planted = build_full_record(cb)
    before = len(_audit(cb))
    own_record.record_pdf(cb, planted.participant_id, include_private=False)
    own_record.record_pdf(cb, planted.participant_id, include_private=True)
    events = _audit(cb)[before:]
    assert [(e.action, e.entity, e.entity_id) for e in events] == [
        ("export", "participant_record", planted.participant_id),
        ("export", "participant_record+private", planted.participant_id),
    ]
    assert events[0].actor == cb.store.actor
    assert cb.check().ok  # the hash chain still holds


def test_gathering_alone_writes_nothing(cb: Casebook) -> None:
    planted = build_full_record(cb)
    before = len(_audit(cb))
    own_record.gather_record(cb, planted.participant_id, include_private=True)
    own_record.private_items(cb, planted.participant_id)
    assert len(_audit(cb)) == before


def test_programme_id_lookup_and_a_plain_message_for_an_unknown_one(cb: Casebook) -> None:
    planted = build_full_record(cb)
    assert own_record.find_by_programme_id(cb, planted.programme_id.lower()) == (
        planted.participant_id
    )
    with pytest.raises(NotFoundError, match="There is no participant P9999 in this vault"):
        own_record.find_by_programme_id(cb, "P9999")


def test_programme_name_comes_from_settings(cb: Casebook, tmp_path: Path) -> None:
    planted = build_full_record(cb)
    cb.update_settings(programme_name="  Glenvale   Links  ")
    document = own_record.record_pdf(cb, planted.participant_id, include_private=False)
    path = _write(tmp_path, "r.pdf", document.pdf)
    assert "Everything Glenvale Links holds about" in pdf_text(path)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Author:\s+Glenvale Links", info)
