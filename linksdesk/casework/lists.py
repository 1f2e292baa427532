"""The lists a links worker lives by: diary, caseload, not seen lately, reviews due, outcomes due.

Each list is one SQL query over the rows (never a query per row), so it stays fast on a
caseload of ten thousand participants; before it, one look at the merge marks' index says how
to read who each record's person is (``storage.people.persons``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import DateTime, and_, case, false, func, literal_column, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from linksdesk.casework import common, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.contacts import counted_clause, seen_clause, standing_clause, to_contact
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import (
    AwaitingOutcomeRow,
    CaseloadPage,
    CaseloadQuery,
    CaseloadRow,
    CaseloadSort,
    DiaryEntry,
    GoalReviewRow,
    ReengagementRow,
)
from linksdesk.casework.goals import OPEN_STATUSES as OPEN_GOAL_STATUSES
from linksdesk.casework.onward import AWAITING, current_on, resource_name
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import ContactStatus, ParticipantStatus
from linksdesk.storage import names, people
from linksdesk.storage.people import OneStep
from linksdesk.storage.tables import Contact, Goal, OnwardReferral, Participant, Resource

P = Participant
CHUNK = 500  # ids per IN (...) when building rows for a lazy model
REENGAGE_STATUSES = (ParticipantStatus.REFERRED.value, ParticipantStatus.ACTIVE.value)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _name(row: Any) -> str:
    return records.display_name(row.given_name, row.family_name, row.preferred_name)


# -- diary -------------------------------------------------------------------------------------
# a diary entry's own columns (who it is about comes with them: ``_with_person``)
_DIARY_COLUMNS = (
    "id",
    "participant_id",
    "kind",
    "status",
    "scheduled_at",
    "minutes",
    "venue",
    "purpose",
    "in_error_at",
    "in_error_reason",
)


def _diary_query(start: dt.datetime | None, end: dt.datetime) -> Callable[[OneStep], Any]:
    """Contacts from ``start`` (None: however long ago) until ``end``, in time order."""
    since = () if start is None else (Contact.scheduled_at >= start,)
    return lambda persons: (
        _with_person(persons, Contact, _DIARY_COLUMNS)
        .where(*since, Contact.scheduled_at < end, standing_clause())
        .order_by(Contact.scheduled_at, P.family_name, P.given_name, Contact.id)
    )


def diary(
    cb: Casebook, start: dt.date, *, days: int = 7, mine_only: bool = False
) -> list[DiaryEntry]:
    """Every contact from ``start`` for ``days`` days (a week by default), in time order;
    one marked entered in error is no appointment, and stays only in the person's record.
    ``mine_only`` leaves out cases handed to a colleague (Today's lists, as its other
    lists do: not this worker's to record or chase); the Diary shows them, read-only."""
    days = records.int_arg(days, "Days", 1, 366)
    begin = _start_of(start)
    query = _diary_query(begin, begin + dt.timedelta(days=days))
    rows = _still_mine(cb, query) if mine_only else _read(cb, query)
    return [to_contact(r, DiaryEntry, display_name=_name(r)) for r in rows]


def todays_contacts(
    cb: Casebook, *, today: dt.date | None = None, mine_only: bool = False
) -> list[DiaryEntry]:
    return diary(cb, records.today(today), days=1, mine_only=mine_only)


def outcomes_to_record(cb: Casebook, *, now: dt.datetime) -> list[DiaryEntry]:
    """Booked contacts whose time has passed with no outcome recorded, however long ago (one
    left booked counts in no figure as attended or missed until it has one), oldest first;
    cases handed to a colleague are left out (not this worker's to record)."""
    query = _diary_query(None, now)
    booked = _still_mine(
        cb, lambda persons: query(persons).where(Contact.status == ContactStatus.SCHEDULED.value)
    )
    return [to_contact(r, DiaryEntry, display_name=_name(r)) for r in booked]


# -- caseload ---------------------------------------------------------------------------------
# Each figure of a caseload row is a subquery on that participant's own rows, through the
# (participant_id, ...) indexes: the list then costs what its rows cost, and SQLite needs no
# temporary table of every participant's totals (building and indexing one allocated memory
# block by block, which SQLCipher's memory security makes dear).
def _aggregates(persons: OneStep, now: dt.datetime) -> dict[str, Any]:
    """Per participant: last time seen, next scheduled contact, appointments counted, open
    goals, as labelled scalar subqueries correlated on the participant. A figure is the
    person's: the rows of a record merged into this one (the same person) count too, by a
    second subquery asked only of a participant with a record merged into it (a CASE on
    the merge mark's index: nothing more for every other row)."""
    away, merged = persons.merged_into_row(P)
    has_merged = select(away.id).where(merged).correlate(P).exists()

    def own_and_merged(table: Any, value: Any, *where: Any) -> tuple[Any, Any]:
        own = select(value).where(table.participant_id == P.id, table.deleted.is_(False), *where)
        records = select(away.id).where(merged).correlate(P)
        theirs = select(value).where(
            table.participant_id.in_(records), table.deleted.is_(False), *where
        )
        return own.scalar_subquery(), case((has_merged, theirs.scalar_subquery()))

    def either(pick: Any, table: Any, value: Any, none: str, *where: Any) -> Any:
        # SQLite's max(a, b) is NULL when either is: each figure is asked once, a time
        # neither has reads as ``none`` (sorting below or above every time) and back again
        own, theirs = own_and_merged(table, pick(value), *where)
        both = pick(func.coalesce(own, none), func.coalesce(theirs, none))
        return type_coerce(func.nullif(both, none), DateTime())

    def counted(table: Any, *where: Any) -> Any:
        own, theirs = own_and_merged(table, func.count(), *where)
        return own + func.coalesce(theirs, 0)

    upcoming = and_(
        Contact.status == ContactStatus.SCHEDULED.value,
        Contact.scheduled_at >= now,
        standing_clause(),
    )
    open_goal = and_(
        Goal.status.in_([g.value for g in OPEN_GOAL_STATUSES]),
        common.standing(Goal),  # a goal set by mistake is no open goal
    )
    last_seen = either(func.max, Contact, Contact.scheduled_at, "", seen_clause())
    return {
        "last_contact": last_seen.label("last_contact"),
        "next_contact": either(func.min, Contact, Contact.scheduled_at, "~", upcoming).label(
            "next_contact"
        ),
        "used": counted(Contact, counted_clause()).label("used"),
        "open_goals": counted(Goal, open_goal).label("open_goals"),
    }


def _caseload_select(
    s: Session,
    today: dt.date,
    ids: Sequence[str] | None = None,
    *,
    leave_out: frozenset[str] = frozenset(),
    persons: OneStep | None = None,
) -> tuple[Any, dict[str, Any], OneStep]:
    """Participants not deleted (``ids`` only, when given; none of ``leave_out``), and their
    aggregate columns."""
    # a record merged into another of the same person: listed once, as the kept record
    persons = persons or people.persons(s)  # asked once a read, however many chunks
    query = _not_handed_over(
        select(P.id).where(P.deleted.is_(False), persons.standing_alone()), leave_out
    )
    if ids is not None:
        query = query.where(P.id.in_(ids))
    return query, _aggregates(persons, _start_of(today)), persons


# who a row of a worker's list is about, as shown beside it
_PERSON = (P.programme_id, P.given_name, P.family_name, P.preferred_name)


def _with_person(persons: OneStep, table: Any, columns: Sequence[str], *more: Any) -> Any:
    """The named columns of ``table``'s live rows (and ``more``), with who each row is about
    (``_PERSON``, of a participant not erased): a row of a record merged into another of
    the same person shows the person's kept record."""
    own = aliased(Participant)
    return (
        select(*(getattr(table, name) for name in columns), *_PERSON, *more)
        .join(own, own.id == table.participant_id)
        .join(P, P.id == persons.kept_of(own))
        .where(table.deleted.is_(False), own.deleted.is_(False), P.deleted.is_(False))
    )


def _read(cb: Casebook, build: Callable[[OneStep], Any]) -> list[Any]:
    """The rows of the statement ``build`` makes with who each record's person is here."""
    with cb.store.read() as s:
        return list(s.execute(build(people.persons(s))))


def _still_mine(cb: Casebook, build: Callable[[OneStep], Any]) -> list[Any]:
    """The rows of ``build``'s statement (joined to participant) leaving out cases handed
    over."""
    with cb.store.read() as s:
        stmt = build(people.persons(s))
        return list(s.execute(_not_handed_over(stmt, records.read_only_participants(s))))


def _not_handed_over(query: Any, handed_over: frozenset[str]) -> Any:
    """Leave out cases handed to a colleague (their records stay here read-only, found by
    search, but they are no longer this worker's to chase)."""
    return query.where(P.id.not_in(sorted(handed_over))) if handed_over else query


def _row_columns(cols: dict[str, Any]) -> list[Any]:
    return [
        P.id,
        P.programme_id,
        P.given_name,
        P.family_name,
        P.preferred_name,
        P.status,
        P.referred_on,
        cols["last_contact"],
        cols["next_contact"],
        cols["used"],
        cols["open_goals"],
    ]


# more different words than a person's names and programme id could hold
MAX_FILTER_WORDS = 32


def _filtered(query: Any, q: CaseloadQuery, persons: OneStep) -> Any:
    if q.statuses:
        wanted = [records.enum_arg(ParticipantStatus, s, "Status").value for s in q.statuses]
        query = query.where(P.status.in_(wanted))
    elif not q.include_closed:
        query = query.where(P.status != ParticipantStatus.CLOSED.value)
    # each word typed is in one of the names or the programme id, so a whole name typed
    # finds its person; "Zoe O'Brien" finds "Zoë O’Brien" (accents, case and apostrophes aside).
    # A person registered twice is found by either record's names and programme id: the kept
    # row stands for a record merged into it (the name on an old letter, a maiden name)
    away, merged = persons.merged_into_row(P)
    words = dict.fromkeys(q.text.split())
    if len(words) > MAX_FILTER_WORDS:
        # a letter pasted into the filter: no one's names hold that many words (and SQLite
        # refuses a condition that deep)
        return query.where(false())
    for word in words:
        query = query.where(
            or_(_named(P, word), select(away.id).where(merged, _named(away, word)).exists())
        )
    return query


def _named(person: Any, word: str) -> Any:
    """SQL: ``word`` is in one of ``person``'s names or its programme id."""
    return or_(
        *(
            names.contains(col, word)
            for col in (
                person.given_name,
                person.family_name,
                person.preferred_name,
                person.programme_id,
            )
        )
    )


def _nocase(column: Any) -> Any:
    # a collation compares in place; lower() would allocate a string per row
    return column.collate("NOCASE")


_SORT_AGGREGATE = {
    CaseloadSort.LAST_CONTACT: "last_contact",
    CaseloadSort.NEXT_CONTACT: "next_contact",
    CaseloadSort.APPOINTMENTS_USED: "used",
    CaseloadSort.OPEN_GOALS: "open_goals",
}


def _sort_of(q: CaseloadQuery) -> CaseloadSort:
    return records.enum_arg(CaseloadSort, q.sort, "Sort by")


def _sorted(query: Any, q: CaseloadQuery) -> Any:
    """Order by the query's sort; an aggregate is referred to by its column's name, so the
    statement must select it (``_sort_column``) and SQLite computes it once a row.

    The default (by name) reads ix_participant_name in either direction: no sort step."""
    sort = _sort_of(q)
    aggregate: list[Any] = [literal_column(n) for n in (_SORT_AGGREGATE.get(sort),) if n]
    keys: dict[CaseloadSort, tuple[list[Any], bool]] = {  # (keys, can be empty)
        CaseloadSort.NAME: ([_nocase(P.family_name), _nocase(P.given_name)], False),
        # P999 before P1000: by length, then text
        CaseloadSort.PROGRAMME_ID: ([func.length(P.programme_id), P.programme_id], False),
        CaseloadSort.STATUS: ([P.status], False),
        CaseloadSort.REFERRED_ON: ([P.referred_on], True),
    }
    columns, can_be_empty = keys.get(sort, (aggregate, True))
    # a stable tie-break, so paging never repeats or skips a row (reversed with the rest)
    tie_break = [_nocase(P.family_name), _nocase(P.given_name), P.id]
    if sort is CaseloadSort.NAME:
        tie_break = tie_break[2:]  # the names are the sort itself
    order: list[Any] = [key.is_(None) for key in columns] if can_be_empty else []
    for key in [*columns, *tie_break]:
        order.append(key.desc() if q.descending else key.asc())
    return query.order_by(*order)


def _sort_column(q: CaseloadQuery, cols: dict[str, Any]) -> list[Any]:
    """The aggregate column the sort needs selected (none for a sort on the participant)."""
    name = _SORT_AGGREGATE.get(_sort_of(q))
    return [cols[name]] if name else []


def _paged(stmt: Any, q: CaseloadQuery) -> Any:
    if q.limit is not None:
        stmt = stmt.limit(q.limit)
    return stmt.offset(q.offset) if q.offset else stmt


def _to_caseload_row(r: Any, limit: int | None) -> CaseloadRow:
    return to_dto(
        CaseloadRow,
        r,
        participant_id=r.id,
        display_name=_name(r),
        appointments_used=int(r.used),
        appointment_limit=limit,
        open_goals=int(r.open_goals),
    )


def caseload(cb: Casebook, query: CaseloadQuery | None = None) -> CaseloadPage:
    """One page of the caseload, filtered and sorted in SQL, with the total that matched."""
    q = query or CaseloadQuery()
    if q.offset < 0 or (q.limit is not None and q.limit < 1):
        raise ValidationError("Page must start at 0 or later and hold at least one row.")
    limit = cb.settings().appointment_limit
    with cb.store.read() as s:
        handed = frozenset() if q.include_handed_over else records.read_only_participants(s)
        base, cols, persons = _caseload_select(s, records.today(q.today), leave_out=handed)
        count = _filtered(base.with_only_columns(func.count(P.id)), q, persons)
        columns = _row_columns(cols)
        if q.limit is not None:
            # a page: the total rides along, computed once (the subquery is not correlated)
            columns.append(count.scalar_subquery().label("total"))
        stmt = _paged(_sorted(_filtered(base.with_only_columns(*columns), q, persons), q), q)
        rows = s.execute(stmt).all()
        if q.limit is None:
            total = q.offset + len(rows)  # the whole rest of the list came back
        elif rows:
            total = int(rows[0].total)
        else:
            total = int(s.scalar(count) or 0)  # past the end: no row to carry the total
    return CaseloadPage(tuple(_to_caseload_row(r, limit) for r in rows), total, q.offset)


def caseload_ids(cb: Casebook, query: CaseloadQuery | None = None) -> list[str]:
    """Ids of every participant the query matches, in its order (for lazy table models)."""
    q = query or CaseloadQuery()
    with cb.store.read() as s:
        handed = frozenset() if q.include_handed_over else records.read_only_participants(s)
        base, cols, persons = _caseload_select(s, records.today(q.today), leave_out=handed)
        wanted = base.with_only_columns(P.id, *_sort_column(q, cols))
        stmt = _paged(_sorted(_filtered(wanted, q, persons), q), q)
        return [r.id for r in s.execute(stmt)]


def caseload_rows(
    cb: Casebook, ids: Sequence[str], *, today: dt.date | None = None
) -> list[CaseloadRow]:
    """Caseload rows for these ids, in the order given (missing or erased ids are left out)."""
    limit = cb.settings().appointment_limit
    day = records.today(today)
    found: dict[str, CaseloadRow] = {}
    unique = list(dict.fromkeys(ids))
    with cb.store.read() as s:
        persons = people.persons(s)
        for i in range(0, len(unique), CHUNK):
            # a page of rows costs a page's work: the aggregates are per participant
            chunk = unique[i : i + CHUNK]
            base, cols, _persons = _caseload_select(s, day, chunk, persons=persons)
            for r in s.execute(base.with_only_columns(*_row_columns(cols))):
                found[r.id] = _to_caseload_row(r, limit)
    return [found[i] for i in ids if i in found]


# -- re-engagement, reviews, outcomes ----------------------------------------------------------
def not_seen(
    cb: Casebook, *, weeks: int | None = None, today: dt.date | None = None
) -> list[ReengagementRow]:
    """Open cases (referred or active) not seen for ``weeks`` weeks, longest first.

    Someone never seen is listed once they were referred (or added) that long ago.
    Paused and closed cases are left out: nobody is chasing them.
    """
    n = weeks if weeks is not None else cb.settings().not_seen_weeks
    n = records.int_arg(n, "Weeks", 1, 520)
    day = records.today(today)
    cutoff = _start_of(day - dt.timedelta(weeks=n))
    since = func.coalesce(P.referred_on, P.created_on).label("since")
    with cb.store.read() as s:
        handed = records.read_only_participants(s)
        base, cols, _persons = _caseload_select(s, day, leave_out=handed)
        # each figure once a row: filter and sort outside the query that computes them
        cases = (
            base.with_only_columns(*_row_columns(cols), since)
            .where(P.status.in_(REENGAGE_STATUSES))
            .subquery("cases")
        )
        last = cases.c.last_contact
        stmt = (
            select(cases)
            .where(or_(last < cutoff, and_(last.is_(None), cases.c.since <= cutoff.date())))
            .order_by(last.is_not(None), last, _nocase(cases.c.family_name), cases.c.id)
        )
        rows = s.execute(stmt).all()
    return [
        to_dto(
            ReengagementRow,
            r,
            participant_id=r.id,
            display_name=_name(r),
            last_seen=r.last_contact,
            weeks_since=(day - r.last_contact.date()).days // 7 if r.last_contact else None,
        )
        for r in rows
    ]


def goals_due_for_review(cb: Casebook, *, by: dt.date | None = None) -> list[GoalReviewRow]:
    """Open goals of open cases whose review date is on or before ``by`` (today by default)."""
    day = records.today(by)
    columns = ("id", "participant_id", "title", "review_on", "progress", "status")
    rows = _still_mine(
        cb,
        lambda persons: (
            _with_person(persons, Goal, columns)
            .where(
                P.status != ParticipantStatus.CLOSED.value,
                common.standing(Goal),  # a goal entered in error is due for no review
                Goal.status.in_([g.value for g in OPEN_GOAL_STATUSES]),
                Goal.review_on <= day,
            )
            .order_by(Goal.review_on, _nocase(P.family_name), Goal.id)
        ),
    )
    return [to_dto(GoalReviewRow, r, goal_id=r.id, display_name=_name(r)) for r in rows]


def awaiting_outcome(cb: Casebook, *, today: dt.date | None = None) -> list[AwaitingOutcomeRow]:
    """Onward referrals still suggested or made (no outcome yet), oldest first: waiting since
    the day of the step they are at (suggested, or made)."""
    day = records.today(today)
    columns = ("id", "participant_id", "resource_id", "kind", "status")
    since = current_on()
    rows = _still_mine(
        cb,
        lambda persons: (
            _with_person(persons, OnwardReferral, columns, Resource, since.label("since"))
            .outerjoin(Resource, Resource.id == OnwardReferral.resource_id)
            .where(OnwardReferral.status.in_([a.value for a in AWAITING]))
            # one entered in error waits for nothing: it moves along no further
            .where(common.standing(OnwardReferral))
            .order_by(since, _nocase(P.family_name), OnwardReferral.id)
        ),
    )
    return [
        to_dto(
            AwaitingOutcomeRow,
            r,
            onward_id=r.id,
            display_name=_name(r),
            resource_name=resource_name(r.Resource),
            days_waiting=max((day - r.since).days, 0) if r.since else 0,
        )
        for r in rows
    ]
