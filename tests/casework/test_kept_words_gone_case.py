"""Words typed about a participant whose record just left this laptop: kept as drafts for a
case handed away, never for a participant who was erased."""

from __future__ import annotations

from pathlib import Path

from synthetic import PASSPHRASE

from linksdesk.casework import erasure, participants
from linksdesk.casework.casebook import Casebook

WORDS = "Rang about the lunch club; call back on Tuesday"


def test_words_about_an_erased_participant_are_never_kept(tmp_path: Path) -> None:
    cb, _key = Casebook.create(tmp_path / "w.vault", PASSPHRASE)
    try:
        kept = participants.create_participant(cb, given_name="Ailsa", family_name="Test").value
        gone = participants.create_participant(cb, given_name="Brodie", family_name="Test").value
        erasure.erase_participant(cb, gone.id)
        assert not cb.keep_words_of_gone_case(gone.id, {f"note/{gone.id}/new": WORDS})
        assert cb.drafts() == []  # nothing about them written
        assert cb.keep_words_of_gone_case(kept.id, {f"note/{kept.id}/new": WORDS})
        assert cb.load_draft(f"note/{kept.id}/new") == WORDS
    finally:
        cb.lock()
