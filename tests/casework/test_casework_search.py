"""Full-text search over participants, notes, goals and resources, with highlight markers."""

from __future__ import annotations

import pytest

from linksdesk.casework import goals, notes, resources
from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.search import HIGHLIGHT_END, HIGHLIGHT_START, search
from linksdesk.core.errors import ValidationError

H = HIGHLIGHT_START, HIGHLIGHT_END


def test_hits_in_every_kind_with_markers(cb: Casebook) -> None:
    p = P.create_participant(cb, given_name="Catriona", family_name="Allotment").value
    n = notes.write_note(cb, p.id, "Keen on the allotment project near the park.").value
    g = goals.set_goal(cb, p.id, "Grow vegetables", why_it_matters="The allotment calms me").value
    r = resources.add_resource(
        cb, organisation="Green Spaces", service="Community allotment", area="Govan"
    ).value
    hits = search(cb, "allotm")
    assert {(h.kind, h.row_id) for h in hits} == {
        ("participant", p.id),
        ("note", n.id),
        ("goal", g.id),
        ("resource", r.id),
    }
    by_kind = {h.kind: h for h in hits}
    assert f"{H[0]}Allotment{H[1]}" in by_kind["participant"].title
    assert f"{H[0]}allotment{H[1]}" in by_kind["note"].snippet
    assert by_kind["note"].participant_id == p.id and by_kind["resource"].participant_id is None
    assert [h.kind for h in search(cb, "allotment", kinds={"goal"})] == ["goal"]
    assert search(cb, "allotment park")[0].row_id == n.id  # every word must match
    with pytest.raises(ValidationError):
        search(cb, "x", kinds={"email"})
    assert search(cb, "  ...  ") == []


def test_notes_are_found_by_their_latest_text_and_removed_rows_vanish(cb: Casebook) -> None:
    p = P.create_participant(cb, given_name="Ian", family_name="Note").value
    n = notes.write_note(cb, p.id, "talked about the ferry").value
    notes.revise_note(cb, n.id, "talked about the bus", base_revision_id=n.latest.id)
    assert search(cb, "ferry") == []
    assert [h.row_id for h in search(cb, "bus")] == [n.id]
    r = resources.add_resource(cb, organisation="Ferry Club", service="Trips").value
    resources.remove_resource(cb, r.id)
    assert search(cb, "ferry") == []
