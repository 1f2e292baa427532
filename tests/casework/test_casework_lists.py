"""The worker's lists: one SQL query each, right on a caseload of ten thousand."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, insert

from linksdesk.casework import contacts as K
from linksdesk.casework import goals as G
from linksdesk.casework import lists as L
from linksdesk.casework import onward as O
from linksdesk.casework import participants as P
from linksdesk.casework import resources as R
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import CaseloadQuery, CaseloadSort, Participant
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import ContactKind, ContactStatus, GoalStatus, ParticipantStatus
from linksdesk.storage.tables import Contact, Goal
from linksdesk.storage.tables import Participant as ParticipantRow
from linksdesk.sync import state as sync_state

TODAY = dt.date(2025, 6, 11)  # a Wednesday
NOW = dt.datetime.combine(TODAY, dt.time(9))


@contextmanager
def data_queries(cb: Casebook) -> Iterator[list[str]]:
    """Statements that read case data (settings look-ups and BEGIN are not counted)."""
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if any(t in statement for t in ("participant", "contact", "goal", "onward")):
            seen.append(statement)

    event.listen(cb.vault.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(cb.vault.engine, "before_cursor_execute", count)


def test_diary_and_todays_contacts(cb: Casebook, person: Participant) -> None:
    other = P.create_participant(cb, given_name="Alasdair", family_name="Brown").value
    at = [NOW + dt.timedelta(hours=2), NOW, NOW + dt.timedelta(days=1), NOW + dt.timedelta(days=7)]
    ids = [
        K.schedule_contact(cb, pid, kind="appointment", at=when).value.id
        for pid, when in zip([person.id, other.id, person.id, other.id], at, strict=True)
    ]
    K.remove_contact(cb, K.schedule_contact(cb, other.id, kind="phone", at=NOW).value.id)
    today = L.todays_contacts(cb, today=TODAY)
    assert [e.contact_id for e in today] == [ids[1], ids[0]]
    assert today[0].display_name == "Alasdair Brown" and today[0].programme_id == "P1002"
    week = L.diary(cb, TODAY - dt.timedelta(days=2), days=7)
    assert [e.contact_id for e in week] == [ids[1], ids[0], ids[2]]


def test_caseload_columns_filter_sort_and_pages(cb: Casebook, person: Participant) -> None:
    cb.update_settings(appointment_limit=2)
    b = P.create_participant(cb, given_name="Beth", family_name="Adams").value
    c = P.create_participant(cb, given_name="Cal", family_name="Zed", preferred_name="Cally").value
    P.change_status(cb, c.id, ParticipantStatus.CLOSED, reason="Done")
    for days in (-30, -3):
        K.record_contact(cb, b.id, kind="appointment", at=NOW + dt.timedelta(days=days))
    K.record_contact(cb, b.id, kind="supported_visit", at=NOW - dt.timedelta(days=1))
    K.record_attempted_contact(cb, b.id, at=NOW - dt.timedelta(hours=1))
    K.schedule_contact(cb, b.id, kind="phone", at=NOW + dt.timedelta(days=2))
    G.set_goal(cb, b.id, "One")
    done = G.set_goal(cb, b.id, "Two").value
    G.change_goal_status(cb, done.id, GoalStatus.ACHIEVED)

    page = L.caseload(cb, CaseloadQuery(today=TODAY))
    assert page.total == 2 and [r.participant_id for r in page.rows] == [b.id, person.id]
    row = page.rows[0]
    assert row.last_contact == NOW - dt.timedelta(days=1)  # supported visit seen; attempt not
    assert row.next_contact == NOW + dt.timedelta(days=2)
    assert (row.appointments_used, row.appointment_limit, row.over_limit) == (3, 2, True)
    assert row.open_goals == 1
    assert page.rows[1].last_contact is None and page.rows[1].appointments_used == 0

    everyone = CaseloadQuery(include_closed=True, today=TODAY)
    assert L.caseload(cb, everyone).total == 3
    closed = L.caseload(cb, CaseloadQuery(statuses=frozenset({ParticipantStatus.CLOSED})))
    assert [r.display_name for r in closed.rows] == ["Cally Zed"]
    assert [
        r.participant_id
        for r in L.caseload(cb, CaseloadQuery(text="CALL", include_closed=True)).rows
    ] == [c.id]
    by_used = CaseloadQuery(sort=CaseloadSort.APPOINTMENTS_USED, descending=True, today=TODAY)
    assert L.caseload_ids(cb, by_used) == [b.id, person.id]
    by_next = CaseloadQuery(sort=CaseloadSort.NEXT_CONTACT, today=TODAY)
    assert L.caseload_ids(cb, by_next) == [b.id, person.id]  # empty values last
    by_next_desc = CaseloadQuery(sort=CaseloadSort.NEXT_CONTACT, descending=True, today=TODAY)
    assert L.caseload_ids(cb, by_next_desc) == [b.id, person.id]
    second = L.caseload(cb, CaseloadQuery(offset=1, limit=1, today=TODAY))
    assert (second.total, [r.participant_id for r in second.rows]) == (2, [person.id])
    beyond = L.caseload(cb, CaseloadQuery(offset=5, limit=1))
    assert (beyond.total, beyond.rows) == (2, ())
    rows = L.caseload_rows(cb, [person.id, "missing", b.id], today=TODAY)
    assert [r.participant_id for r in rows] == [person.id, b.id]


@pytest.mark.parametrize(
    "typed",
    [
        "Morag Testperson",  # the whole name, as a worker types it
        "testperson mor",  # either order, the last word begun
        "Zoe",  # her preferred name without its accent
        "ZOË",  # capital letters with one
        "Zoé",  # another accent on the same letter
        "P1001 zoe",  # programme id and name together
    ],
)
def test_the_quick_filter_finds_a_name_as_typed(
    cb: Casebook, person: Participant, typed: str
) -> None:
    P.edit_participant(cb, person.id, preferred_name="Zoë")
    P.create_participant(cb, given_name="Zoltan", family_name="Other")
    found = L.caseload_ids(cb, CaseloadQuery(text=typed))
    assert found == [person.id]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("O\u2019Brien", "o'brien"),
        ("O'Brien", "O\u2019Brien"),
        ("Ni Bhriain", "Ní Bhriain"),
        ("O'Brien", "obrien"),  # typed in a hurry, without the apostrophe
        ("O\u2019Brien", "OBrien"),
        ("Smith-Jones", "smithjones"),  # the hyphen left out in a hurry
        ("Smith\u2010Jones", "Smith-Jones"),  # a word processor's hyphen
    ],
)
def test_apostrophes_and_accents_typed_either_way_find_the_family_name(
    cb: Casebook, stored: str, typed: str
) -> None:
    """Names pasted from a GP letter have curly apostrophes and accents; typed ones may not."""
    her = P.create_participant(cb, given_name="Aoife", family_name=stored).value
    assert L.caseload_ids(cb, CaseloadQuery(text=typed)) == [her.id]
    assert [d.id for d in P.possible_duplicates(cb, "aoife", typed, None)] == [her.id]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Mc Donald", "mcdonald"),
        ("Mc Donald", "McDon"),  # while typing
        ("De Souza", "desouza"),
        ("Van der Berg", "vanderberg"),
        ("O Brien", "obrien"),
        ("Ni Bhriain", "nibhriain"),
    ],
)
def test_a_family_name_of_two_words_is_found_typed_as_one(
    cb: Casebook, stored: str, typed: str
) -> None:
    """A name written with a space, typed in a hurry without it, is the same person: finding
    nobody, a tired worker would add them again."""
    her = P.create_participant(cb, given_name="Aoife", family_name=stored).value
    P.create_participant(cb, given_name="Donald", family_name="Mc")
    assert L.caseload_ids(cb, CaseloadQuery(text=typed)) == [her.id]


def test_not_seen_goals_due(cb: Casebook, person: Participant) -> None:
    seen_lately = P.create_participant(cb, given_name="Seen", family_name="Lately").value
    long_ago = P.create_participant(cb, given_name="Long", family_name="Ago").value
    paused = P.create_participant(cb, given_name="Paused", family_name="Case").value
    P.change_status(cb, paused.id, ParticipantStatus.PAUSED)
    K.record_contact(cb, seen_lately.id, kind="phone", at=NOW - dt.timedelta(weeks=2))
    K.record_contact(cb, long_ago.id, kind="appointment", at=NOW - dt.timedelta(weeks=9))
    K.record_attempted_contact(cb, long_ago.id, at=NOW - dt.timedelta(days=1))
    K.record_contact(
        cb,
        long_ago.id,
        kind="appointment",
        at=NOW - dt.timedelta(days=2),
        status=ContactStatus.DID_NOT_ATTEND,
    )
    rows = L.not_seen(cb, today=TODAY)  # settings.not_seen_weeks = 6
    # the fixture person was referred months ago and never seen: listed first
    assert [r.participant_id for r in rows] == [person.id, long_ago.id]
    assert rows[0].last_seen is None and rows[1].weeks_since == 9
    assert [r.participant_id for r in L.not_seen(cb, weeks=10, today=TODAY)] == [person.id]

    due = G.set_goal(cb, person.id, "Due", set_on=TODAY - dt.timedelta(weeks=7)).value
    G.set_goal(cb, person.id, "Not yet", set_on=TODAY)
    stopped = G.set_goal(cb, long_ago.id, "Stopped", set_on=TODAY - dt.timedelta(weeks=9)).value
    G.change_goal_status(cb, stopped.id, GoalStatus.STOPPED)
    assert [g.goal_id for g in L.goals_due_for_review(cb, by=TODAY)] == [due.id]
    G.review_goal(cb, due.id, on=TODAY)
    assert L.goals_due_for_review(cb, by=TODAY) == []


@pytest.fixture(params=[1_000, pytest.param(10_000, marks=pytest.mark.slow)])
def big_caseload(request: pytest.FixtureRequest, cb: Casebook) -> tuple[Casebook, int]:
    load_caseload(cb, request.param)
    return cb, request.param


def load_caseload(cb: Casebook, size: int) -> None:
    """A big caseload written straight into the tables (the lists only read)."""
    rng = random.Random(7)
    people, contacts, goals = [], [], []
    meta = {"origin": cb.device_id, "owner": cb.worker_id, "sharing": "team", "deleted": False}
    statuses = ["referred", "active", "active", "paused", "closed"]
    for n in range(size):
        pid = uuid7()
        people.append(
            {
                "id": pid,
                "hlc": f"{n:015d}-00000-x",
                "field_hlc": {},
                **meta,
                "programme_id": f"P{n + 1001}",
                "given_name": f"G{rng.randrange(500)}",
                "family_name": f"F{rng.randrange(2000)}",
                "status": rng.choice(statuses),
                "created_on": TODAY - dt.timedelta(days=rng.randrange(700)),
            }
        )
        for _ in range(rng.randrange(4)):
            contacts.append(
                {
                    "id": uuid7(),
                    "hlc": "0",
                    "field_hlc": {},
                    **meta,
                    "participant_id": pid,
                    "kind": rng.choice(list(ContactKind)).value,
                    "status": rng.choice(list(ContactStatus)).value,
                    "scheduled_at": NOW + dt.timedelta(hours=rng.randrange(-4000, 500)),
                }
            )
        if rng.random() < 0.5:
            goals.append(
                {
                    "id": uuid7(),
                    "hlc": "0",
                    "field_hlc": {},
                    **meta,
                    "participant_id": pid,
                    "title": "t",
                    "status": "active",
                    "set_on": TODAY,
                    "progress": 0,
                    "review_on": TODAY + dt.timedelta(days=rng.randrange(-60, 60)),
                }
            )
    with cb.store.write() as tx:
        tx.session.execute(insert(ParticipantRow), people)
        tx.session.execute(insert(Contact), contacts)
        tx.session.execute(insert(Goal), goals)


def test_lists_are_one_query_each_on_a_big_caseload(big_caseload: tuple[Casebook, int]) -> None:
    cb, size = big_caseload
    q = CaseloadQuery(sort=CaseloadSort.LAST_CONTACT, descending=True, limit=200, today=TODAY)
    calls = [
        lambda: L.caseload(cb, q),
        lambda: L.caseload_ids(cb, CaseloadQuery(today=TODAY)),
        lambda: L.not_seen(cb, today=TODAY),
        lambda: L.goals_due_for_review(cb, by=TODAY),
        lambda: L.awaiting_outcome(cb, today=TODAY),
        lambda: L.todays_contacts(cb, today=TODAY),
        lambda: L.diary(cb, TODAY, days=7),
    ]
    for call in calls:
        with data_queries(cb) as seen:
            call()
        # one query over the rows, after one look at the merge marks (``people.persons``:
        # an index read, whatever the caseload's size)
        rows = [q for q in seen if "merged_into_id IS NOT NULL" not in q]
        assert len(rows) == 1 and len(seen) <= 2, seen

    page = L.caseload(cb, q)
    open_cases = page.total
    assert 0.7 * size < open_cases < 0.9 * size and len(page.rows) == 200
    lasts = [r.last_contact for r in page.rows if r.last_contact is not None]
    assert lasts == sorted(lasts, reverse=True)
    ids = L.caseload_ids(cb, CaseloadQuery(today=TODAY))
    assert len(ids) == open_cases == len(set(ids))
    # pages laid end to end give exactly the ids list (a stable order: no repeats, no gaps)
    paged: list[str] = []
    for offset in range(0, 750, 250):
        paged += [
            r.participant_id
            for r in L.caseload(cb, CaseloadQuery(offset=offset, limit=250, today=TODAY)).rows
        ]
    assert paged == ids[:750]
    rows = L.caseload_rows(cb, ids[:700], today=TODAY)  # more than one IN (...) chunk
    assert [r.participant_id for r in rows] == ids[:700]
    assert rows == list(L.caseload(cb, CaseloadQuery(limit=700, today=TODAY)).rows)
    # the aggregate agrees with counting one participant's contacts by hand
    sample = rows[17]
    assert sample.appointments_used == K.appointment_use(cb, sample.participant_id).used


@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_orders_ids_and_pages_alike(
    big_caseload: tuple[Casebook, int], descending: bool
) -> None:
    """The ids a lazy table loads, and the pages of rows, come in the same order for every
    sort, aggregate columns included, with empty values last and the total right."""
    cb, _size = big_caseload
    for sort in CaseloadSort:
        q = CaseloadQuery(sort=sort, descending=descending, today=TODAY)
        ids = L.caseload_ids(cb, q)
        whole = L.caseload(cb, q)
        assert [r.participant_id for r in whole.rows] == ids and whole.total == len(ids)
        page = L.caseload(
            cb, CaseloadQuery(sort=sort, descending=descending, today=TODAY, offset=40, limit=30)
        )
        assert [r.participant_id for r in page.rows] == ids[40:70] and page.total == len(ids)
        past = L.caseload(cb, CaseloadQuery(sort=sort, today=TODAY, offset=len(ids), limit=5))
        assert past.rows == () and past.total == len(ids)
        if sort is CaseloadSort.NEXT_CONTACT:
            keys = [r.next_contact for r in whole.rows]
            filled = [k for k in keys if k is not None]
            assert filled == sorted(filled, reverse=descending)
            assert keys == filled + [None] * (len(keys) - len(filled))  # empty ones last


def test_a_case_handed_to_a_colleague_leaves_the_workers_lists(
    cb: Casebook, person: Participant
) -> None:
    """Kept here read-only after a handover: out of the caseload and the lists to chase,
    still there when asked for (and its record still opens)."""
    stays = P.create_participant(
        cb, given_name="Stays", family_name="Here", referred_on=dt.date(2025, 1, 6)
    ).value
    for pid in (person.id, stays.id):
        G.set_goal(cb, pid, "Review me", set_on=TODAY - dt.timedelta(weeks=9))
        r = R.add_resource(cb, organisation=f"Club {pid[-4:]}", service="Walks").value
        O.refer_onward(cb, pid, r.id, "referral", on=TODAY - dt.timedelta(days=3))
    everyone = [stays.id, person.id]
    assert sorted(L.caseload_ids(cb, CaseloadQuery(today=TODAY))) == sorted(everyone)
    with cb.store.write() as tx:  # as a pulled handover notice leaves it (sync.apply)
        sync_state.put(tx.session, sync_state.READ_ONLY, [person.id])

    assert L.caseload_ids(cb, CaseloadQuery(today=TODAY)) == [stays.id]
    page = L.caseload(cb, CaseloadQuery(today=TODAY, limit=10))
    assert (page.total, [r.participant_id for r in page.rows]) == (1, [stays.id])
    assert [r.participant_id for r in L.not_seen(cb, today=TODAY)] == [stays.id]
    assert [g.participant_id for g in L.goals_due_for_review(cb, by=TODAY)] == [stays.id]
    assert [o.participant_id for o in L.awaiting_outcome(cb, today=TODAY)] == [stays.id]
    asked = CaseloadQuery(today=TODAY, include_handed_over=True)
    assert sorted(L.caseload_ids(cb, asked)) == sorted(everyone)
    assert P.get_participant(cb, person.id).id == person.id
