"""A withdrawal of team consent carried in a supervision bundle: the bundle holds the
decision and nothing of the person (no name, no contact, no case note, not the consent's own
note), and importing it purges the supervisor's earlier copy from every page of the vault."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bundle_kit import Laptop, Supervisor, count, decrypted
from sqlalchemy import select

from linksdesk.storage.bundle_tables import ImportedRow
from linksdesk.storage.tables import Consent, Participant
from linksdesk.sync.bundle import export, keys, receive

MARKS = ("CANARY-WDNAME-q1w2", "CANARY-WDPURPOSE-e3r4", "CANARY-WDNOTE-t5y6")
WHY = "CANARY-WDWHY-u7i8"  # the withdrawal's own note: never leaves the laptop


def test_a_withdrawal_travels_without_content_and_purges_the_supervisors_copy(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    leaving = laptop.person(given_name=MARKS[0])
    laptop.contact(leaving, purpose=MARKS[1])
    laptop.note(leaving, MARKS[2])
    staying = laptop.person()
    first = tmp_path / "1.age"
    export.export_to_file(
        laptop.store, first, kind="supervision", recipients=[supervisor.recipient]
    )
    fingerprint = keys.signing_key(laptop.store).public.fingerprint
    receive.import_bundle(supervisor.store, first, trust=fingerprint)
    assert all(count(supervisor.pages(), mark) for mark in MARKS)
    with laptop.store.write() as tx:
        tx.insert(
            Consent(
                participant_id=leaving,
                scope="team",
                given=False,
                version=2,
                recorded_on=dt.date(2026, 6, 1),
                method="verbal",
                note=WHY,
            )
        )
        tx.forget_consent_cache()
    second = tmp_path / "2.age"
    export.export_to_file(
        laptop.store, second, kind="supervision", recipients=[supervisor.recipient]
    )
    blob = decrypted(second, supervisor.identity())
    assert leaving.encode() in blob  # the decision travels...
    assert not any(count(blob, mark) for mark in (*MARKS, WHY))  # ...and nothing else
    receive.import_bundle(supervisor.store, second)
    pages = supervisor.pages()
    assert not any(count(pages, mark) for mark in (*MARKS, WHY))
    with supervisor.store.read() as s:
        assert s.get(Participant, leaving) is None and s.get(Participant, staying) is not None
        where = ImportedRow.participant_id == leaving
        assert s.scalars(select(ImportedRow).where(where)).all() == []
