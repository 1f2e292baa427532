"""Full-text search over participants, case notes, goals and the resource directory."""

from __future__ import annotations

import re
from collections.abc import Collection

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import SearchHit
from linksdesk.core import registry
from linksdesk.core.errors import ValidationError
from linksdesk.storage import people
from linksdesk.storage import search as search_index

HIGHLIGHT_START = search_index.HIGHLIGHT_START
HIGHLIGHT_END = search_index.HIGHLIGHT_END
KINDS = registry.SEARCH_ENTITIES
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def search(
    cb: Casebook, text: str, *, limit: int = 50, kinds: Collection[str] | None = None
) -> list[SearchHit]:
    """Ranked hits; matched words in ``title`` and ``snippet`` sit between the highlight markers.

    Every word typed must match (the last one as a prefix, so results come while typing).
    """
    if not isinstance(text, str):
        raise ValidationError("Type some words to search for.")
    # Search keeps nothing, so text that could not be saved is no reason to refuse it: a
    # hidden null pasted from a PDF, or half of an emoji, separates words like a space (no
    # saved text holds either, so neither could match).
    text = _UNSTORABLE.sub(" ", text)
    if not isinstance(limit, int) or not 1 <= limit <= 1000:
        raise ValidationError("Number of results must be from 1 to 1000.")
    wanted = None
    if kinds:
        unknown = set(kinds) - KINDS
        if unknown:
            raise ValidationError("Search can look in participants, notes, goals and resources.")
        wanted = frozenset(kinds)
    with cb.store.read() as s:
        hits = search_index.search(s, text, limit=limit, entities=wanted)
        # a record merged into another of the same person opens as the person's kept record
        away = people.merged_away(s)
    return [
        SearchHit(
            h.entity,
            h.row_id,
            away.get(h.participant_id, h.participant_id) if h.participant_id else None,
            h.title,
            h.snippet,
            h.rank,
        )
        for h in hits
    ]
