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

from linksdesk.core.errors import SyncError
from linksdesk.storage.store import shared_participants
from linksdesk.storage.tables import Consent, Participant
from linksdesk.sync import state
from linksdesk.sync.engine import EPOCH_UNSETTLED
from linksdesk.sync.pull_rules import CONSENT_REWRITTEN, MISROUTED, UNCONSENTED
from linksdesk.sync.totals import monthly_counts

TODAY = dt.date(2025, 2, 20)
LATE = "9" * 15 + "-00000-"  # a clock later than any edit (and the origin after it)


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


@pytest.fixture
def laptops(
    shared_server: ServerProcess, devices: Callable[[str], Dev], bending: Answers
) -> tuple[Dev, Dev]:
    """A worker's other laptop, syncing with the server, and the laptop syncing through the
    bending proxy."""
    worker = shared_server.worker(shared_server.team())
    other, laptop = devices("other"), devices("laptop")
    other.enrol(shared_server, worker)
    laptop.enrol(shared_server, worker, url=bending.url)
    return other, laptop


def _crafted(like: dict[str, Any], fields: dict[str, Any], **envelope: Any) -> dict[str, Any]:
    """A change the server makes up, in the shape of ``like`` (a change it really sent):
    a new change id, ``fields`` written at its clock (``envelope`` may set it, and the rest)."""
    made = copy.deepcopy(like)
    made.update({"base": {}, "field_hlc": {}, **envelope})
    made.update(change_id=str(uuid.uuid4()), fields=fields)
    return made


def _first(page: dict[str, Any], table: str) -> dict[str, Any] | None:
    return next((c for c in page["changes"] if c["table"] == table), None)


def _invented(like: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A participant row of ``like``'s shape that the server invents (no consent exists)."""
    pid = str(uuid.uuid4())
    values = {**like["fields"], "programme_id": f"X{pid[:6]}", **fields}
    return _crafted(like, values, row_id=pid, participant_id=None, field_hlc=like["field_hlc"])


def test_a_pulled_participant_with_no_consent_is_set_aside_never_counted_or_shown_shared(
    laptops: tuple[Dev, Dev], bends: _Bends
) -> None:
    other, laptop = laptops
    real = other.participant(given_name="Shared")
    other.sync()
    invented: list[str] = []

    def add_one(_cursor: int, page: dict[str, Any]) -> None:
        like = _first(page, "participant")
        if like and not invented:
            odd = _invented(like, given_name="Invented")
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


def test_a_pulled_change_to_a_participant_kept_unshared_here_changes_nothing(
    laptops: tuple[Dev, Dev], bends: _Bends
) -> None:
    other, laptop = laptops
    mine = laptop.participant(shared=False, given_name="Mine")
    laptop.contact(mine)
    other.participant(given_name="Shared")
    other.sync()
    counted_before = _counted(laptop)

    def rename_mine(_cursor: int, page: dict[str, Any]) -> None:
        like = _first(page, "participant")
        if like:
            late = LATE + like["origin"]
            fields = {"given_name": "Overwritten", "deleted": True}
            page["changes"].append(
                _crafted(like, fields, row_id=mine, participant_id=mine, hlc=late)
            )
            # and a kept conflict showing the worker a text about them
            conflict = {
                "table_name": "participant",
                "row_id": mine,
                "field": "risk_summary",
                "participant_id": mine,
                "kept_value": "Made up",
                "kept_hlc": late,
                "other_value": "Made up too",
                "other_hlc": late,
                "other_origin": like["origin"],
                "other_change_id": str(uuid.uuid4()),
                "detected_at_ms": 1,
            }
            page["changes"].append(
                _crafted(
                    like,
                    conflict,
                    table="sync_conflict",
                    row_id=str(uuid.uuid4()),
                    participant_id=mine,
                )
            )

    bends.bend = rename_mine
    report = laptop.sync()
    assert report.set_aside == 2 and report.conflicts == 0, report.message
    assert {a.reason for a in laptop.attention()} == {UNCONSENTED}
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


def _own_consent(laptop: Dev, pid: str) -> dict[str, Any]:
    with laptop.store.read() as s:
        row = s.scalar(select(Consent).where(Consent.participant_id == pid))
        assert row is not None
        return {"id": row.id, "hlc": row.hlc, "given": row.given, "version": row.version}


def test_a_consent_held_here_rewritten_by_the_server_decides_nothing(
    laptops: tuple[Dev, Dev], bends: _Bends
) -> None:
    other, laptop = laptops
    mine = laptop.participant(shared=False, given_name="Mine")
    laptop.sync()  # its team consent record (not given) is on the server now
    held = _own_consent(laptop, mine)
    other.participant(given_name="Shared")
    other.sync()

    def turn_to_given(_cursor: int, page: dict[str, Any]) -> None:
        like = _first(page, "consent")
        if like:
            fields = {"given": True, "version": 0}
            envelope = {"row_id": held["id"], "participant_id": mine}
            page["changes"].append(_crafted(like, fields, hlc=LATE + like["origin"], **envelope))

    bends.bend = turn_to_given
    report = laptop.sync()
    assert report.set_aside == 1, report.message
    assert [a.reason for a in laptop.attention()] == [CONSENT_REWRITTEN]
    assert _own_consent(laptop, mine) == held
    with laptop.store.read() as s:
        assert mine not in shared_participants(s)


def test_a_row_whose_clock_goes_backwards_changes_nothing(
    laptops: tuple[Dev, Dev], bends: _Bends
) -> None:
    other, laptop = laptops
    theirs = other.participant(given_name="First")
    other.sync()
    laptop.sync()
    other.edit("participant", theirs, given_name="Second")
    other.sync()
    laptop.sync()
    earlier: list[dict[str, Any]] = []

    def older_again(_cursor: int, page: dict[str, Any]) -> None:
        for ch in page["changes"]:
            if ch["row_id"] == theirs and not earlier:
                early = "000000000000001-00000-" + ch["origin"]
                earlier.append(_crafted(ch, {"given_name": "Backwards"}, hlc=early))
        page["changes"] += earlier

    other.edit("participant", theirs, family_name="Later")
    other.sync()
    bends.bend = older_again
    report = laptop.sync()
    assert earlier, report.message
    row = laptop.get("participant", theirs)
    assert (row.given_name, row.family_name) == ("Second", "Later")


def test_a_page_of_another_data_epoch_every_time_stops_plainly_and_loses_nothing(
    laptops: tuple[Dev, Dev], bends: _Bends
) -> None:
    other, laptop = laptops
    laptop.sync()
    theirs = other.participant(given_name="Theirs")
    other.sync()
    mine = laptop.participant(given_name="Mine")
    with laptop.store.read() as s:
        cursor = state.get(s, state.CURSOR)

    def another_epoch(_cursor: int, page: dict[str, Any]) -> None:
        page["data_epoch"] = str(uuid.uuid4())

    bends.bend = another_epoch
    with pytest.raises(SyncError) as err:
        laptop.sync()
    assert str(err.value) == EPOCH_UNSETTLED
    assert laptop.get("participant", mine).given_name == "Mine"
    assert laptop.get("participant", theirs) is None
    with laptop.store.read() as s:
        assert state.get(s, state.CURSOR) == cursor
    bends.bend = lambda _c, _p: None
    assert laptop.sync().verified
    assert laptop.get("participant", theirs).given_name == "Theirs"
    assert laptop.outbox() == 0


def test_pages_naming_rows_the_laptop_never_had_take_nothing_of_its_own(
    laptops: tuple[Dev, Dev], bends: _Bends
) -> None:
    other, laptop = laptops
    theirs = other.participant(given_name="Theirs")
    other.sync()
    mine = laptop.participant(given_name="Mine")
    kept_contact = laptop.contact(mine)

    def strangers(_cursor: int, page: dict[str, Any]) -> None:
        like = _first(page, "participant")
        if not like:
            return

        def odd(table: str, op: str, fields: dict[str, Any]) -> dict[str, Any]:
            new = str(uuid.uuid4())
            return _crafted(like, fields, table=table, row_id=new, op=op, participant_id=theirs)

        page["changes"] += [
            odd("note", "delete", {}),  # a tombstone of a note never here
            odd("contact", "upsert", {"purpose": "Never seen"}),  # part of a contact never here
            # this laptop's own contact of its own participant, deleted under another's name
            odd("contact", "delete", {}) | {"row_id": kept_contact, "hlc": LATE + like["origin"]},
        ]

    bends.bend = strangers
    report = laptop.sync()
    assert report.message and "Sent" in report.message
    assert laptop.get("participant", mine).given_name == "Mine"
    assert laptop.get("participant", theirs).given_name == "Theirs"
    assert not laptop.get("contact", kept_contact).deleted
    # listed (once for each time it came), and still listed after the repair sent the row
    assert {a.reason for a in laptop.attention()} == {MISROUTED}
