"""A laptop facing a buggy or hostile sync server (or an older laptop's own bookkeeping).

Content about a participant the team has no consent to share: the laptop stored it, listed
the person as shared and counted them in its monthly totals. It is set aside now, needing
attention, and nothing the worker wrote here changes.

A cursor older code wrote as a number no request may carry (past 2**53-1), or as something
that is not a number: every sync stopped on "not understood". The laptop starts its pull
again from the beginning, says so, and loses nothing.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from bending_kit import Answers, bending_proxy
from sqlalchemy import select
from sync_kit import Dev, ServerProcess

from linksdesk.storage.store import shared_participants
from linksdesk.storage.tables import MonthlyTotal, Participant
from linksdesk.sync import state
from linksdesk.sync.totals import monthly_counts
from linksdesk.sync.unconsented import UNCONSENTED

TODAY = dt.date(2025, 2, 20)


def _counted(dev: Dev) -> int:
    with dev.store.read() as s:
        return int(monthly_counts(s, TODAY).get("2025-02", {}).get("participants", 0))


class _Bends:
    """What the proxy does to each pull page, set by each test."""

    def __init__(self) -> None:
        self.bend: Callable[[int, dict[str, Any]], None] = lambda _c, _p: None

    def __call__(self, cursor: int, page: dict[str, Any]) -> None:
        self.bend(cursor, page)


@pytest.fixture
def bends() -> _Bends:
    return _Bends()


@pytest.fixture
def bending(shared_server: ServerProcess, bends: _Bends) -> Iterator[Answers]:
    with bending_proxy(shared_server.url, bends) as answers:
        yield answers


def _pair(
    server: ServerProcess, devices: Callable[[str], Dev], bending: Answers
) -> tuple[Dev, Dev]:
    worker = server.worker(server.team())
    other, laptop = devices("other"), devices("laptop")
    other.enrol(server, worker)
    laptop.enrol(server, worker, url=bending.url)
    return other, laptop


def _invented(like: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A participant row of ``like``'s shape that the server invents (no consent exists)."""
    pid = str(uuid.uuid4())
    odd = copy.deepcopy(like)
    odd.update(change_id=str(uuid.uuid4()), row_id=pid, participant_id=None)
    odd["fields"].update(programme_id=f"X{pid[:6]}", **fields)
    return odd


def test_a_pulled_participant_with_no_consent_is_set_aside_never_counted_or_shown_shared(
    shared_server: ServerProcess, devices: Callable[[str], Dev], bending: Answers, bends: _Bends
) -> None:
    other, laptop = _pair(shared_server, devices, bending)
    real = other.participant(given_name="Shared")
    other.sync()
    invented: list[str] = []

    def add_one(_cursor: int, page: dict[str, Any]) -> None:
        people = [c for c in page["changes"] if c["table"] == "participant"]
        if people and not invented:
            odd = _invented(people[0], given_name="Invented")
            invented.append(odd["row_id"])
            page["changes"].append(odd)

    bends.bend = add_one
    counted_before = _counted(laptop)
    report = laptop.sync()
    assert invented and report.set_aside == 1, report.message
    assert "set aside" in report.message
    assert [a.reason for a in laptop.attention()] == [UNCONSENTED]
    assert laptop.get("participant", invented[0]) is None  # not listed on this laptop
    assert laptop.get("participant", real).given_name == "Shared"
    assert _counted(laptop) == counted_before  # nor counted in the monthly totals
    with laptop.store.read() as s:
        assert shared_participants(s) == {real}
        assert not list(
            s.scalars(select(MonthlyTotal).where(MonthlyTotal.origin != other.store.device_id))
        )


def test_a_pulled_change_to_a_participant_kept_unshared_here_changes_nothing(
    shared_server: ServerProcess, devices: Callable[[str], Dev], bending: Answers, bends: _Bends
) -> None:
    other, laptop = _pair(shared_server, devices, bending)
    mine = laptop.participant(shared=False, given_name="Mine")
    laptop.contact(mine)
    other.participant(given_name="Shared")
    other.sync()
    counted_before = _counted(laptop)

    def rename_mine(_cursor: int, page: dict[str, Any]) -> None:
        people = [c for c in page["changes"] if c["table"] == "participant"]
        if people:
            odd = copy.deepcopy(people[0])
            odd.update(change_id=str(uuid.uuid4()), row_id=mine)
            odd["fields"] = {"given_name": "Overwritten", "deleted": True}
            odd["field_hlc"] = {}
            odd["base"] = {}
            odd["hlc"] = "9" * 15 + "-00000-" + odd["origin"]
            page["changes"].append(odd)

    bends.bend = rename_mine
    report = laptop.sync()
    assert report.set_aside >= 1, report.message
    row = laptop.get("participant", mine)
    assert row.given_name == "Mine" and not row.deleted
    assert _counted(laptop) == counted_before
    with laptop.store.read() as s:
        assert mine not in shared_participants(s)
        assert s.get(Participant, mine) is not None


@pytest.mark.parametrize(
    ("key", "held"),
    [
        (state.CURSOR, 2**60),
        (state.CURSOR, 2**53),
        (state.CURSOR, -3),
        (state.CURSOR, "12x"),
        (state.CURSOR, 1.5),
        (state.CURSOR, [1]),
        (state.DATA_EPOCH, "not an epoch"),
        (state.OWN_THROUGH, 2**60),
    ],
    ids=["2**60", "2**53", "negative", "text", "fraction", "list", "epoch", "own-through"],
)
def test_a_cursor_older_code_wrote_unreadably_restarts_the_pull_and_loses_nothing(
    shared_server: ServerProcess, devices: Callable[[str], Dev], key: str, held: Any
) -> None:
    worker = shared_server.worker(shared_server.team())
    other, laptop = devices("other"), devices("laptop")
    other.enrol(shared_server, worker)
    laptop.enrol(shared_server, worker)
    theirs = other.participant(given_name="Theirs")
    other.sync()
    laptop.sync()
    mine = laptop.participant(given_name="Mine")  # written here, not sent yet
    other.edit("participant", theirs, given_name="Edited")
    other.sync()
    with laptop.store.write() as tx:
        state.put(tx.session, key, held)
    report = laptop.sync()
    if key != state.OWN_THROUGH:  # that one only leaves the laptop's own changes echoed
        assert "from the start" in report.message and "nothing was lost" in report.message
    assert report.verified, report.message
    assert laptop.get("participant", theirs).given_name == "Edited"
    assert laptop.get("participant", mine).given_name == "Mine"
    assert laptop.outbox() == 0
    with laptop.store.read() as s:
        cursor = state.get(s, state.CURSOR)
    assert isinstance(cursor, int) and 0 < cursor < 2**53
    # and it syncs on as any laptop does, without starting again
    again = laptop.sync()
    assert "from the start" not in again.message and again.verified
