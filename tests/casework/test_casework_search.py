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


def test_names_joined_by_an_apostrophe_or_a_hyphen_are_found_typed_joined(cb: Casebook) -> None:
    """A tired worker types "obrien" for O'Brien and "smithjones" for Smith-Jones; finding
    nobody, she would add the person again (the index held "o" "brien", "smith" "jones")."""
    her = P.create_participant(cb, given_name="Siobhan", family_name="O'Brien").value
    P.create_participant(cb, given_name="Olive", family_name="Brien")
    n = notes.write_note(cb, her.id, "Met her neighbour Mrs Smith-Jones at the library.").value
    hits = search(cb, "obrien")
    assert [(h.kind, h.row_id) for h in hits] == [("participant", her.id)]
    assert hits[0].title == f"Siobhan {H[0]}O'Brien{H[1]}"  # as written, marked
    found = search(cb, "smithjones")
    assert [(h.kind, h.row_id) for h in found] == [("note", n.id)]
    assert found[0].snippet == f"Met her neighbour Mrs {H[0]}Smith-Jones{H[1]} at the library."
    assert [h.row_id for h in search(cb, "siobhan obri")] == [her.id]  # while typing
    assert [p.id for p in P.find_participants(cb, "OBrien")] == [her.id]
    assert search(cb, "obrienne") == []


def test_a_name_written_as_one_word_is_found_typed_as_two(cb: Casebook) -> None:
    """A tired worker types "mc donald" for McDonald (or "mac leod" for MacLeod): every word
    had to be a word of the index, so she found nobody and would add the person again."""
    him = P.create_participant(cb, given_name="Hamish", family_name="McDonald").value
    P.create_participant(cb, given_name="Donald", family_name="Mcintyre")
    hits = search(cb, "mc donald")
    assert [(h.kind, h.row_id) for h in hits] == [("participant", him.id)]
    assert hits[0].title == f"Hamish {H[0]}McDonald{H[1]}"
    assert [h.row_id for h in search(cb, "hamish mc don")] == [him.id]  # while typing
    assert [p.id for p in P.find_participants(cb, "Mc Donald")] == [him.id]
    n = notes.write_note(cb, him.id, "Went with him to the MacLeod Centre for the lunch club.")
    assert [h.row_id for h in search(cb, "mac leod centre", kinds={"note"})] == [n.value.id]
    # the words typed still each count: "mc" alone in another name is no match for both
    assert search(cb, "mc ronald") == []


def test_a_name_written_as_two_words_is_found_typed_as_one(cb: Casebook) -> None:
    """A tired worker types "mcdonald" for Mc Donald (or "desouza" for De Souza): the index
    held "mc" and "donald", so she found nobody and would add the person again."""
    him = P.create_participant(cb, given_name="Hamish", family_name="Mc Donald").value
    her = P.create_participant(
        cb, given_name="Ana Maria", family_name="Van der Berg", preferred_name="De Souza"
    ).value
    P.create_participant(cb, given_name="Donald", family_name="Mc")
    hits = search(cb, "mcdonald")
    assert [(h.kind, h.row_id) for h in hits] == [("participant", him.id)]
    assert hits[0].title == f"Hamish {H[0]}Mc Donald{H[1]}"  # as written, marked
    assert [h.row_id for h in search(cb, "hamish mcdon")] == [him.id]  # while typing
    assert [p.id for p in P.find_participants(cb, "McDonald")] == [him.id]
    assert [h.row_id for h in search(cb, "vanderberg")] == [her.id]
    assert [h.row_id for h in search(cb, "anamaria desouza")] == [her.id]
    assert search(cb, "hamishmc") == []  # one name's words, never one name with the next
    # a case note's words are not joined: every pair of a note's words would bloat the index
    notes.write_note(cb, him.id, "Went with him to the Mc Donald Centre for the lunch club.")
    assert [h.kind for h in search(cb, "mcdonald")] == ["participant"]
