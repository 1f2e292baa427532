"""A server (or something between it and the laptop) whose pull pages are bent.

Pages that do not move on: each says there is more, and the place to go on from is where
the laptop asked from, or behind it. The laptop asked again for ever (the worker saw a sync
that never ended); it stops at the first such page now with a plain message, keeping
everything it pulled and wrote. A page whose place to go on from is past any cursor a
request may carry: the laptop stored it, and every later sync, with any server, stopped
on "an unexpected problem" as it made its request. It is told as not understood now.

Pages with changes the laptop does not understand: an erase naming a row of another table
than the participants' (which the server refuses from any device) whose id is a
participant's, or a row of a table that does not exist. The laptop erased that person here
for good (their receipt kept anything of them from coming back), and dropped the other
without a word. Each is set aside now, listed as needing attention, and the rest syncs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from bending_kit import Answers, bending_proxy
from sync_kit import Dev, ServerProcess

from linksdesk.core.errors import SyncError
from linksdesk.sync import state
from linksdesk.sync.apply import NOT_UNDERSTOOD_CHANGE
from linksdesk.sync.transport import NOT_UNDERSTOOD


def _same_place(cursor: int, page: dict[str, object]) -> None:
    page["next_cursor"], page["has_more"] = cursor, True


def _back_to_the_start(cursor: int, page: dict[str, object]) -> None:
    if cursor > 0:  # the first page moves on; from there every page sends it back to 0
        page["next_cursor"], page["has_more"] = 0, True
    else:
        page["has_more"] = True


def _past_any_cursor(cursor: int, page: dict[str, object]) -> None:
    page["next_cursor"], page["has_more"] = 2**60, False


def _after_each_person(**bent: str) -> Callable[[int, dict[str, Any]], None]:
    """Each participant pulled is followed by a change of their row id, ``bent``."""

    def bend(cursor: int, page: dict[str, Any]) -> None:
        people = [c for c in page["changes"] if c["table"] == "participant"]
        for ch in people:
            odd = {**ch, "change_id": str(uuid.uuid4()), **bent}
            if bent.get("op") == "erase":
                odd |= {"fields": {}, "base": {}, "field_hlc": {}}
            page["changes"].append(odd)

    return bend


@pytest.fixture
def bending(shared_server: ServerProcess, request: pytest.FixtureRequest) -> Iterator[Answers]:
    with bending_proxy(shared_server.url, request.param) as answers:
        yield answers


def _through(
    server: ServerProcess, devices: Callable[[str], Dev], bending: Answers, people: int
) -> tuple[Dev, Dev, list[str]]:
    """A worker's other laptop that has pushed ``people`` participants (their ids), and a
    laptop enrolled to sync through the bending proxy."""
    worker = server.worker(server.team())
    other, laptop = devices("other"), devices("laptop")
    other.enrol(server, worker)
    theirs = [other.participant(given_name=f"Pulled{n}") for n in range(people)]
    other.sync()
    laptop.enrol(server, worker, url=bending.url)
    return other, laptop, theirs


@pytest.mark.parametrize(
    "bending", [_same_place, _back_to_the_start], ids=["same-place", "back"], indirect=True
)
def test_pages_that_do_not_move_on_stop_the_sync_plainly_and_lose_nothing(
    shared_server: ServerProcess, devices: Callable[[str], Dev], bending: Answers
) -> None:
    _, laptop, theirs = _through(shared_server, devices, bending, 3)
    mine = laptop.participant(given_name="Waiting")
    with pytest.raises(SyncError) as err:
        laptop.sync(page_size=2)
    assert bending.pulls <= 2  # not asked again and again until the proxy gave up
    assert "did not move on" in str(err.value) and "\n" not in str(err.value)
    assert laptop.get("participant", mine).given_name == "Waiting"
    # the real server, asked straight, brings the rest
    with laptop.store.write() as tx:
        state.put(tx.session, state.SERVER_URL, shared_server.url)
    assert laptop.sync().verified
    assert laptop.outbox() == 0
    assert [laptop.get("participant", pid).given_name for pid in theirs] == [
        "Pulled0",
        "Pulled1",
        "Pulled2",
    ]


@pytest.mark.parametrize(
    "bending",
    [_after_each_person(table="contact", op="erase"), _after_each_person(table="no_such_table")],
    ids=["erase-of-a-contact", "no-such-table"],
    indirect=True,
)
def test_a_change_the_laptop_does_not_understand_is_set_aside_and_erases_nobody(
    shared_server: ServerProcess, devices: Callable[[str], Dev], bending: Answers
) -> None:
    other, laptop, theirs = _through(shared_server, devices, bending, 2)
    report = laptop.sync()
    assert bending.pulls >= 1 and report.erased == 0, report.message
    assert report.set_aside == 2 and "2 changes from the server" in report.message
    assert [a.reason for a in laptop.attention()] == [NOT_UNDERSTOOD_CHANGE] * 2
    assert [laptop.get("participant", pid).given_name for pid in theirs] == [
        "Pulled0",
        "Pulled1",
    ]
    # and they go on syncing: an edit made on the other laptop still comes
    other.edit("participant", theirs[0], given_name="Edited")
    other.sync()
    with laptop.store.write() as tx:
        state.put(tx.session, state.SERVER_URL, shared_server.url)
    assert laptop.sync().verified
    assert laptop.get("participant", theirs[0]).given_name == "Edited"


@pytest.mark.parametrize("bending", [_past_any_cursor], ids=["past-any"], indirect=True)
def test_a_page_that_moves_on_past_any_cursor_is_not_understood_and_stops_nothing_later(
    shared_server: ServerProcess, devices: Callable[[str], Dev], bending: Answers
) -> None:
    _, laptop, theirs = _through(shared_server, devices, bending, 2)
    with pytest.raises(SyncError) as err:
        laptop.sync()
    assert str(err.value) == NOT_UNDERSTOOD
    with laptop.store.read() as s:
        assert not state.get(s, state.CURSOR)  # not stored
    with laptop.store.write() as tx:
        state.put(tx.session, state.SERVER_URL, shared_server.url)
    assert laptop.sync().verified
    assert [laptop.get("participant", pid).given_name for pid in theirs] == [
        "Pulled0",
        "Pulled1",
    ]
