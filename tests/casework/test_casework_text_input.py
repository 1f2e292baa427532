"""Text that cannot be saved or synced is refused with a plain message (issue 9).

NUL characters (PostgreSQL and the sync server refuse them) and lone surrogates (left by a
broken copy and paste; they cannot be encoded) are refused where casework cleans text,
before anything is written; the message names the field, never the text.
"""

from __future__ import annotations

from typing import Any

import pytest
from casework_kit import outbox

from linksdesk.casework import notes, resources, search
from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Participant
from linksdesk.core.errors import ValidationError

BROKEN = {
    "nul": ("Ann\x00ie", "null character"),
    "surrogate": ("Ann\ud83die", "broken character"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_text_is_refused_everywhere_casework_takes_text(
    cb: Casebook, person: Participant, kind: str
) -> None:
    text, words = BROKEN[kind]
    before = len(outbox(cb))
    attempts: list[tuple[str, Any]] = [
        ("Given name", lambda: P.create_participant(cb, given_name=text, family_name="Test")),
        ("Note text", lambda: notes.write_note(cb, person.id, f"Met today. {text}")),
        (
            "Organisation",
            lambda: resources.add_resource(cb, organisation=text, service="Warm space"),
        ),
    ]
    for field, attempt in attempts:
        with pytest.raises(ValidationError) as err:
            attempt()
        message = str(err.value)
        assert field in message and words in message, message
        assert text not in message and "Ann" not in message
    assert len(outbox(cb)) == before  # nothing was written


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_search_keeps_nothing_so_broken_text_only_separates_words(
    cb: Casebook, person: Participant, kind: str
) -> None:
    text, _words = BROKEN[kind]
    notes.write_note(cb, person.id, "Met today at the walking group")
    hits = search.search(cb, f"walking{text[3]}group")
    assert [h.participant_id for h in hits] == [person.id]
    assert search.search(cb, text[3]) == []


def test_search_without_text_is_a_validation_message(cb: Casebook, person: Participant) -> None:
    with pytest.raises(ValidationError, match="Type some words"):
        search.search(cb, None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="Type some words"):
        search.search(cb, 42)  # type: ignore[arg-type]
    assert person.id in {h.participant_id for h in search.search(cb, "Testpers")}
