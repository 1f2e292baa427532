"""What a pull writes, it indexes: a second laptop finds what the first wrote, as it now reads.

Real server process, real vaults. A page's new rows go in by one statement per table and
their search entries once per page; a row changed again on the same page, a note revised
on it and a revision of a note held from an earlier page must each end indexed as the row
now reads (latest revision only), with one entry per row.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select, text
from sync_kit import Dev, ServerProcess, two_laptops

from linksdesk.storage import search
from linksdesk.storage.tables import Participant


def _find(dev: Dev, words: str) -> set[tuple[str, str]]:
    with dev.store.read() as s:
        return {(h.entity, h.row_id) for h in search.search(s, words)}


def _keys(dev: Dev) -> tuple[int, int]:
    with dev.store.read() as s:
        keys = int(s.scalar(text("SELECT count(*) FROM search_key")) or 0)
        distinct = int(s.scalar(text("SELECT count(DISTINCT entity || row_id) FROM search_key")))
        return keys, distinct


def test_a_second_laptop_finds_what_the_first_wrote_as_it_now_reads(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    laptop, second = two_laptops(server, devices, ("laptop", "second"))
    pid = laptop.participant(given_name="Marigold", family_name="Quillfeather")
    others = [laptop.participant(given_name=f"Person{i}") for i in range(3)]
    note_id, first = laptop.note(pid, "talked about the allotment")
    laptop.revise(note_id, first, "talked about the allotment and the bowling club")
    laptop.edit("participant", pid, given_name="Rosemary")  # changed again, same page
    kept_id, kept_first = laptop.note(others[0], "asked about the choir")
    assert laptop.sync().verified

    got = second.sync()
    assert got.verified and got.pulled > 10
    assert _find(second, "Rosemary") == {("participant", pid)}
    assert _find(second, "Marigold") == set()  # the name it had first is not left behind
    assert _find(second, "bowling") == {("note", note_id)}  # the latest revision only
    assert _find(second, "choir") == {("note", kept_id)}
    keys, distinct = _keys(second)
    with second.store.read() as s:
        people = int(s.scalar(select(func.count()).select_from(Participant)) or 0)
    assert keys == distinct == people + 2  # one entry per participant and per note

    # a later page revises a note this laptop already holds: the old text goes
    laptop.revise(kept_id, kept_first, "asked about the walking group")
    assert laptop.sync().verified
    assert second.sync().verified
    assert _find(second, "walking") == {("note", kept_id)}
    assert _find(second, "choir") == set()
    assert _keys(second)[0] == keys


def test_a_pulled_name_of_two_words_is_found_typed_as_one(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    """The second laptop indexes a pulled participant's names as the first does: "Mc Donald"
    typed "mcdonald", new on a page and changed on a later one."""
    laptop, second = two_laptops(server, devices, ("laptop", "second"))
    pid = laptop.participant(given_name="Hamish", family_name="Mc Donald")
    assert laptop.sync().verified
    assert second.sync().verified
    assert _find(second, "mcdon") == {("participant", pid)}
    laptop.edit("participant", pid, family_name="De Souza")
    assert laptop.sync().verified
    assert second.sync().verified
    assert _find(second, "desouza") == {("participant", pid)}
    assert _find(second, "mcdonald") == set()
