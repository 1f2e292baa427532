"""The demo caseload: reproducible, plausible, synthetic, and written like real casework."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from synthetic import PASSPHRASE

from linksdesk.casework import lists, participants
from linksdesk.casework import search as casework_search
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.contacts import attempt_problem
from linksdesk.core.errors import ValidationError
from linksdesk.core.measures import score
from linksdesk.core.vocab import ConsentScope, ContactKind, ContactStatus, MeasureKind, was_seen
from linksdesk.demo import DemoGenerator, DemoSummary, build_demo, words
from linksdesk.demo import build as demo_module
from linksdesk.storage import audit
from linksdesk.storage.tables import (
    SYNCABLE_TABLES,
    Concern,
    Consent,
    Contact,
    Goal,
    GoalStep,
    Measure,
    Note,
    NoteRevision,
    OnwardReferral,
    Outbox,
    Participant,
    ReferralIn,
    Relationship,
    Resource,
)

FIXED_TODAY = dt.date(2026, 3, 18)  # a Wednesday
N = 40


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Casebook, DemoSummary]]:
    """One demo vault for the read-only checks (today's date, so diary lists are current)."""
    path = tmp_path_factory.mktemp("demo") / "demo.vault"
    cb, _ = Casebook.create(path, PASSPHRASE)
    summary = build_demo(cb, participants=N, seed=3)
    yield cb, summary
    cb.lock()


def rows_of(cb: Casebook, table: type[Any]) -> list[Any]:
    with cb.store.read() as s:
        return list(s.scalars(select(table)))


# -- reproducible ---------------------------------------------------------------------------------
VOLATILE = {"hlc", "origin", "owner", "field_hlc"}


def canonical(cb: Casebook) -> dict[str, list[tuple[Any, ...]]]:
    """Every syncable row with clocks dropped and ids replaced by their creation rank.

    UUIDv7 ids are monotonic within a process, so the n-th row created gets rank n in
    both vaults when the same rows are made in the same order.
    """
    with cb.store.read() as s:
        tables: dict[str, list[Any]] = {
            t.__tablename__: list(s.scalars(select(t)))  # type: ignore[attr-defined]
            for t in SYNCABLE_TABLES
        }
    ids = sorted(r.id for rs in tables.values() for r in rs)
    rank = {value: i for i, value in enumerate(ids)}

    def plain(value: Any) -> Any:
        if isinstance(value, str) and value in rank:
            return f"#{rank[value]}"
        if isinstance(value, list):
            # problem reports carry their own generated ids: keep only their content
            return [
                {k: v for k, v in x.items() if k != "id"} if isinstance(x, dict) else x
                for x in value
            ]
        return value

    out = {}
    for name, rs in tables.items():
        cols = [c.key for c in rs[0].__table__.columns if c.key not in VOLATILE] if rs else []
        out[name] = sorted(tuple(repr(plain(getattr(r, c))) for c in cols) for r in rs)
    return out


def test_same_seed_gives_the_same_content_and_another_seed_does_not(tmp_path: Path) -> None:
    contents = []
    for name, seed in (("a", 11), ("b", 11), ("c", 12)):
        cb, _ = Casebook.create(tmp_path / f"{name}.vault", PASSPHRASE)
        try:
            build_demo(
                cb, participants=12, seed=seed, today=FIXED_TODAY, batch_size=5, resources=40
            )
            contents.append(canonical(cb))
        finally:
            cb.lock()
    a, b, c = contents
    assert sum(len(v) for v in a.values()) > 12 * 15
    assert len(a["resource"]) == 40
    for table in a:
        assert a[table] == b[table], table
    assert a["participant"] != c["participant"]


def test_generator_alone_is_deterministic() -> None:
    def sample(seed: int) -> list[tuple[str, str, str | None, int]]:
        gen = DemoGenerator(seed, FIXED_TODAY)
        gen.make_resources()
        cases = [gen.make_case() for _ in range(30)]
        return [
            (
                c.participant.given_name,
                c.participant.family_name,
                c.participant.postcode,
                len(c.rows),
            )
            for c in cases
        ]

    assert sample(5) == sample(5)
    assert sample(5) != sample(6)


# -- plausible ------------------------------------------------------------------------------------
def test_counts_and_proportions_of_a_built_vault(demo: tuple[Casebook, DemoSummary]) -> None:
    cb, summary = demo
    assert summary.participants == N and not summary.cancelled
    assert summary.resources == 200
    with cb.store.read() as s:
        counted = {
            t.__tablename__: s.scalar(select(func.count()).select_from(t))  # type: ignore[attr-defined]
            for t in SYNCABLE_TABLES
        }
        with_referral = s.scalar(select(func.count(func.distinct(ReferralIn.participant_id))))
        resources_by_category = s.scalars(select(Resource.categories)).all()
    # the summary counts what is really in the vault
    for table, n in summary.rows.items():
        assert counted[table] == n, table
    assert counted["participant"] == N
    assert with_referral == N  # every participant came with a referral in
    assert 0.10 <= summary.did_not_attend_rate <= 0.25
    assert summary.team_consent_rate > 0.6
    assert summary.records == sum(summary.rows.values())
    assert len({c for cats in resources_by_category for c in cats}) >= 20
    # a year of work: several contacts per person on average, notes on most of them
    assert (counted["contact"] or 0) >= 4 * N
    assert (counted["note"] or 0) >= 3 * N
    assert any("did not attend" in line for line in summary.describe())


def test_proportions_over_a_large_caseload() -> None:
    """The shape of a year (generator only: no vault needed to count)."""
    gen = DemoGenerator(1, FIXED_TODAY)
    resources = gen.make_resources()
    assert len(resources) == 200
    assert len({(r.organisation, r.service) for r in resources}) == 200
    cases = [gen.make_case() for _ in range(600)]
    booked = sum(c.past_booked for c in cases)
    dna = sum(c.did_not_attend for c in cases)
    assert 0.12 <= dna / booked <= 0.22

    def latest(case: Any, scope: ConsentScope) -> bool:
        every = [*case.consents, *case.later_consents]
        chosen = max((c for c in every if c.scope == scope.value), key=lambda c: c.version)
        return bool(chosen.given)

    team = sum(latest(c, ConsentScope.TEAM) for c in cases) / len(cases)
    evaluation = sum(latest(c, ConsentScope.EVALUATION) for c in cases) / len(cases)
    assert 0.75 <= team <= 0.95
    assert 0.5 <= evaluation < team
    assert all(latest(c, ConsentScope.RECORD) for c in cases)

    statuses = [c.participant.status for c in cases]
    for status in ("referred", "active", "paused", "closed"):
        assert statuses.count(status) >= 6, status
    # the door is always open: some closed cases came back
    reopened = [
        c for c in cases if any(getattr(r, "from_status", None) == "closed" for r in c.rows)
    ]
    assert len(reopened) >= 5
    assert all(c.participant.status != "closed" for c in reopened)

    referrals = [r for c in cases for r in c.rows if isinstance(r, ReferralIn)]
    sources = [r.source for r in referrals]
    from_practice = (sources.count("gp") + sources.count("practice_staff")) / len(sources)
    assert 0.55 <= from_practice <= 0.85
    assert {"self", "community_organisation", "housing", "factoring_service"} <= set(sources)

    # concerns: some at referral, more surfacing over the sessions
    concerns = [r for c in cases for r in c.rows if isinstance(r, Concern)]
    later = [r for r in concerns if r.stage == "later"]
    assert 0.2 <= len(later) / len(concerns) <= 0.6
    assert {r.category for r in concerns} <= set(words.CONCERN_WEIGHTS)

    # wellbeing: low at baseline, modest average gain, some people worse at review
    changes = []
    for c in cases:
        ms = [r for r in c.rows if isinstance(r, Measure) and r.kind == MeasureKind.WEMWBS.value]
        base = [m for m in ms if m.context == "baseline"]
        review = [m for m in ms if m.context == "review"]
        if base and review:
            changes.append((review[0].total or 0) - (base[0].total or 0))
    assert len(changes) >= 30
    mean = sum(changes) / len(changes)
    assert 2 <= mean <= 8
    assert 0.1 <= sum(1 for d in changes if d < 0) / len(changes) <= 0.4

    # some people not seen for many weeks, with nothing booked
    def drifted(case: Any) -> bool:
        contacts = [r for r in case.rows if isinstance(r, Contact)]
        seen = [
            r.scheduled_at
            for r in contacts
            if r.status == "attended" and r.kind != ContactKind.ATTEMPTED.value
        ]
        booked = any(r.status == ContactStatus.SCHEDULED.value for r in contacts)
        return (
            case.participant.status == "active"
            and bool(seen)
            and not booked
            and (FIXED_TODAY - max(seen).date()).days > 8 * 7
        )

    assert sum(drifted(c) for c in cases) >= 10


def test_measures_are_validly_scored(demo: tuple[Casebook, DemoSummary]) -> None:
    cb, _ = demo
    measures = rows_of(cb, Measure)
    assert {m.context for m in measures} >= {"baseline", "review"}
    for m in measures:
        scored = score(MeasureKind(m.kind), m.items)
        assert (scored.total, scored.metric) == (m.total, m.metric)


def test_contacts_respect_the_rules_of_the_use_cases(demo: tuple[Casebook, DemoSummary]) -> None:
    cb, _ = demo
    contacts = rows_of(cb, Contact)
    now = dt.datetime.now()
    for c in contacts:
        assert c.scheduled_at.weekday() < 5  # links workers see people on weekdays
        assert attempt_problem(vars(c)) is None  # an attempt as casework keeps one
        if c.status == ContactStatus.SCHEDULED.value:
            assert c.scheduled_at.date() >= now.date()
        else:
            assert c.scheduled_at.date() <= now.date()
    # an unanswered call is not seeing someone: nobody is active or paused who never was
    seen = {c.participant_id for c in contacts if was_seen(c.kind, c.status, in_error=False)}
    working = ("active", "paused")
    assert all(p.id in seen for p in rows_of(cb, Participant) if p.status in working)
    steps = rows_of(cb, GoalStep)
    goals = {g.id: g for g in rows_of(cb, Goal)}
    assert all(s.participant_id == goals[s.goal_id].participant_id for s in steps)
    # steps are ticked off in order, on or after the day the goal was set
    by_goal: dict[str, list[GoalStep]] = {}
    for step in sorted(steps, key=lambda x: x.position):
        by_goal.setdefault(step.goal_id, []).append(step)
    for goal_id, goal_steps in by_goal.items():
        done = [x.done_on for x in goal_steps if x.done_on is not None]
        assert done == sorted(done)
        assert all(d >= goals[goal_id].set_on for d in done)
    # a goal is set about something that had already come up
    concerns = rows_of(cb, Concern)
    for goal in goals.values():
        known = {
            c.category
            for c in concerns
            if c.participant_id == goal.participant_id and c.identified_on <= goal.set_on
        }
        themes = {
            cat for cat, options in words.GOALS.items() for g in options if g[0] == goal.title
        }
        assert known & themes, "goal set before its concern came up"
    assert all(0 <= g.progress <= 10 for g in goals.values())


# -- consistent with the real write path ----------------------------------------------------------
def test_search_outbox_and_audit_are_consistent(demo: tuple[Casebook, DemoSummary]) -> None:
    cb, summary = demo
    people = rows_of(cb, Participant)
    someone = people[0]
    hits = casework_search.search(cb, someone.programme_id)
    assert any(h.participant_id == someone.id for h in hits)
    assert casework_search.search(cb, "benefits")  # case notes are indexed

    with cb.store.read() as s:
        chain = audit.verify(s)
        queued = s.execute(select(Outbox.table_name, Outbox.row_id)).all()
        consents = s.scalars(select(Consent).where(Consent.scope == "team")).all()
        private_notes = set(s.scalars(select(Note.id).where(Note.sharing == "private")))
        private_revs = set(
            s.scalars(select(NoteRevision.id).where(NoteRevision.sharing == "private"))
        )
    assert chain.ok and chain.events >= summary.records
    latest: dict[str, Consent] = {}
    for c in consents:
        if c.participant_id not in latest or c.version > latest[c.participant_id].version:
            latest[c.participant_id] = c
    shared = {pid for pid, c in latest.items() if c.given}
    unshared = {p.id for p in people} - shared
    assert unshared, "seed 3 should give some participants who did not consent"
    queued_ids = {row_id for _, row_id in queued}
    # every shared participant row is queued (backfilled after the consent), no unshared one
    assert shared <= queued_ids
    assert not unshared & queued_ids
    with cb.store.read() as s:
        unshared_rows = set(
            s.scalars(select(Contact.id).where(Contact.participant_id.in_(unshared)))
        )
    assert unshared_rows and not unshared_rows & queued_ids
    assert not (private_notes | private_revs) & queued_ids
    assert {name for name, _ in queued} >= {"participant", "contact", "note", "resource"}
    assert_outbox_holds_exactly_what_may_leave(cb)
    assert cb.check().ok


def test_worker_lists_work_on_the_demo(demo: tuple[Casebook, DemoSummary]) -> None:
    cb, _ = demo
    page = lists.caseload(cb)
    assert page.total > 5
    assert any(r.last_contact is not None for r in page.rows)
    assert any(r.next_contact is not None for r in page.rows)
    week = lists.diary(cb, dt.date.today(), days=14)
    assert week
    assert lists.goals_due_for_review(cb, by=dt.date.today() + dt.timedelta(days=60))
    assert lists.awaiting_outcome(cb)


def test_refuses_a_vault_with_participants_and_stops_when_cancelled(tmp_path: Path) -> None:
    cb, _ = Casebook.create(tmp_path / "x.vault", PASSPHRASE)
    try:
        calls: list[tuple[int, int]] = []
        summary = build_demo(
            cb,
            participants=9,
            seed=2,
            batch_size=3,
            resources=20,
            progress=lambda done, total: calls.append((done, total)),
            cancel=lambda: len(calls) >= 1,
        )
        assert summary.cancelled and summary.participants == 3
        assert calls == [(3, 9)]
        # the worker's own participants carry on from the demo's programme ids
        person, _ = participants.create_participant(cb, given_name="Test", family_name="Person")
        assert person.programme_id == "P1004"
        with pytest.raises(ValidationError):
            build_demo(cb, participants=2)
        assert cb.check().ok
    finally:
        cb.lock()


def assert_outbox_holds_exactly_what_may_leave(cb: Casebook) -> None:
    """Every team row of a participant whose latest team consent is given (and every
    resource) is queued; nothing else is. This is what the sync verifier compares."""
    with cb.store.read() as s:
        queued = set(s.scalars(select(Outbox.row_id)))
        team = s.scalars(select(Consent).where(Consent.scope == "team")).all()
        latest: dict[str, Consent] = {}
        for c in team:
            if c.participant_id not in latest or c.version > latest[c.participant_id].version:
                latest[c.participant_id] = c
        shared = {pid for pid, c in latest.items() if c.given}
        expected: set[str] = set()
        everything: set[str] = set()
        for table in SYNCABLE_TABLES:
            for row in s.scalars(select(table)):
                everything.add(row.id)
                owner = (
                    row.id if isinstance(row, Participant) else getattr(row, "participant_id", None)
                )
                if row.sharing == "team" and (owner is None or owner in shared):
                    expected.add(row.id)
                elif (
                    isinstance(row, Consent)
                    and row.scope == "team"
                    and not row.given
                    and row.version > 1
                    and row.sharing == "team"
                ):
                    expected.add(row.id)  # a withdrawal must reach the server, without its note
    assert queued <= everything
    assert expected - queued == set(), "rows that may leave were never queued"
    assert queued - expected == set(), "rows that must stay were queued"


def test_consent_changes_of_mind_queue_exactly_what_may_leave(tmp_path: Path) -> None:
    """Team consent given later backfills everything; withdrawn, nothing unsent leaves."""
    gen = DemoGenerator(8, FIXED_TODAY)
    resources = gen.make_resources(30)
    wanted: dict[bool, Any] = {}
    for _ in range(5000):
        case = gen.make_case()
        for c in case.later_consents:
            if c.scope == "team" and c.given not in wanted:
                wanted[c.given] = case
        if len(wanted) == 2:
            break
    assert set(wanted) == {True, False}, "seed 8 should hold both kinds of change of mind"
    cb, _ = Casebook.create(tmp_path / "c.vault", PASSPHRASE)
    try:
        with cb.store.write() as tx:
            for r in resources:
                tx.insert(r)
            for case in wanted.values():
                demo_module._write_case(tx, case, Counter())
        assert_outbox_holds_exactly_what_may_leave(cb)
        with cb.store.read() as s:
            queued = set(s.scalars(select(Outbox.row_id)))
        given_later, withdrawn = wanted[True], wanted[False]
        assert given_later.participant.id in queued
        assert all(r.id in queued for r in given_later.rows if r.sharing == "team")
        assert withdrawn.participant.id not in queued
        withdrawal = [c for c in withdrawn.later_consents if c.scope == "team" and not c.given][-1]
        assert not any(r.id in queued for r in withdrawn.rows if r.id != withdrawal.id)
        with cb.store.read() as s:
            payload = s.scalars(select(Outbox.payload).where(Outbox.row_id == withdrawal.id)).one()
        assert payload["fields"]["given"] is False and "note" not in payload["fields"]
    finally:
        cb.lock()


# -- synthetic: every piece of text comes from the word lists ------------------------------------
def _alternation(texts: Any) -> str:
    return "|".join(re.escape(t) for t in sorted({t for t in texts if t}, key=len, reverse=True))


def _all(mapping: dict[str, Any]) -> list[Any]:
    return [x for v in mapping.values() for x in v]


def test_every_generated_text_comes_from_the_word_lists(
    demo: tuple[Casebook, DemoSummary],
) -> None:
    cb, _ = demo
    resources = rows_of(cb, Resource)
    organisations = {r.organisation for r in resources}
    area = _alternation(words.AREAS)
    org_patterns = [
        re.escape(p).replace(re.escape("{area}"), f"(?:{area})")
        for kind in words.RESOURCE_KINDS
        for p in kind[4]
    ]
    org_re = re.compile(f"^(?:{'|'.join(org_patterns)})$")
    for r in resources:
        assert org_re.match(r.organisation), "organisation not from the patterns"
        assert r.service in {s for kind in words.RESOURCE_KINDS for s in kind[3]}
        assert re.fullmatch(r"0141 496 0\d{3}", r.phone)
        assert r.email.endswith(".example.org") and r.website.endswith(".example.org")

    fragments = [
        *words.FIRST_SESSION,
        *_all(words.CONCERN_SENTENCES),
        *words.FOLLOW_UP_OPENINGS,
        *words.STRENGTHS,
        *words.NEXT_STEPS,
        *words.DNA_NOTES,
        *words.CANCELLED_NOTES,
        *words.PHONE_NOTES,
        *words.ATTEMPT_NOTES,
        *words.HOME_VISIT_NOTES,
        *words.GROUP_NOTES,
        *words.CLOSING_NOTES,
        *words.REOPEN_NOTES,
        *words.PRIVATE_NOTE_ADDITIONS,
    ]
    orgs = _alternation(organisations)
    visits = [
        re.escape(t).replace(re.escape("{resource}"), f"(?:{orgs})")
        for t in words.SUPPORTED_VISIT_NOTES
    ]
    piece = f"(?:{_alternation(fragments)}|{'|'.join(visits)})"
    note_re = re.compile(f"^{piece}(?: {piece})*(?:{_alternation(words.REVISION_ADDITIONS)})?$")
    revisions = rows_of(cb, NoteRevision)
    assert revisions
    for rev in revisions:
        assert note_re.match(rev.body), "a case note holds text that is not from the lists"

    names = set(words.FIRST_NAMES)
    postcode = re.compile(f"^(?:{_alternation(words.POSTCODE_DISTRICTS)}) \\d[A-Z]{{2}}$")
    phone = re.compile(r"^(?:07700 900\d{3}|0141 496 0\d{3})$")
    for p in rows_of(cb, Participant):
        assert p.given_name in names and p.family_name in words.SURNAMES
        assert p.preferred_name in (None, words.NICKNAMES.get(p.given_name))
        assert postcode.match(p.postcode) and phone.match(p.phone)
        assert p.email is None or p.email.endswith("@example.com")
        assert p.gp_practice in words.GP_PRACTICES
        assert p.address.endswith(words.AREAS)
        assert 18 <= (dt.date.today() - p.date_of_birth).days // 365 <= 95

    titles = {g[0] for g in _all(words.GOALS)}
    whys = {g[1] for g in _all(words.GOALS)}
    steps = {s for g in _all(words.GOALS) for s in g[2]}
    assert all(g.title in titles and g.why_it_matters in (whys | {None}) for g in rows_of(cb, Goal))
    assert all(s.description in steps for s in rows_of(cb, GoalStep))
    assert all(r.reason in _all(words.REFERRAL_REASONS) for r in rows_of(cb, ReferralIn))
    assert all(c.detail in (*_all(words.CONCERN_DETAIL), None) for c in rows_of(cb, Concern))
    assert all(
        o.outcome in (*_all(words.OUTCOMES), *words.ADVICE_ATTENDED, None)
        for o in rows_of(cb, OnwardReferral)
    )
    venues = {
        *words.GP_PRACTICES,
        *words.LIBRARIES,
        *words.COMMUNITY_CENTRES,
        *words.CAFES,
        words.HOME_VISIT,
        None,
        *organisations,
    }
    assert all(c.venue in venues for c in rows_of(cb, Contact))
    relations = _alternation(r.lower() for r in words.FAMILY_RELATIONS)
    others = _alternation(n for n, _ in (*words.SERVICE_CONTACTS, *words.GROUP_CONTACTS))
    relation_names = re.compile(
        f"^(?:(?:{_alternation(names)})(?: \\((?:{relations})\\))?|{others})$"
    )
    for rel in rows_of(cb, Relationship):
        assert relation_names.match(rel.name)
        relation = re.search(r"\((\w+)\)$", rel.name)
        if relation and relation.group(1).capitalize() in words.MALE_RELATIONS:
            assert rel.name.split()[0] in words.MALE_NAMES
        if relation and relation.group(1).capitalize() in words.FEMALE_RELATIONS:
            assert rel.name.split()[0] in words.FEMALE_NAMES
        assert rel.phone is None or phone.match(rel.phone)


def test_a_set_event_stops_before_any_participant(tmp_path: Path) -> None:
    import threading

    stop = threading.Event()
    stop.set()
    cb, _ = Casebook.create(tmp_path / "e.vault", PASSPHRASE)
    try:
        summary = build_demo(cb, participants=5, resources=5, cancel=stop)
        assert summary.cancelled and summary.participants == 0 and summary.resources == 5
        assert lists.caseload(cb).total == 0
    finally:
        cb.lock()


def test_a_demo_caseload_can_belong_to_another_worker_of_the_team(tmp_path: Path) -> None:
    """A demo team is several workers' caseloads: the worker is a parameter, not the vault's."""
    colleague = "0190aaaa-0000-7000-8000-00000000c011"
    cb, _ = Casebook.create(tmp_path / "t.vault", PASSPHRASE)
    try:
        summary = build_demo(
            cb, participants=12, seed=8, resources=5, today=FIXED_TODAY, worker_id=colleague
        )
        assert summary.participants == 12
        with cb.store.read() as s:
            owners = {
                t.__tablename__: set(s.scalars(select(t.owner)))  # type: ignore[attr-defined]
                for t in SYNCABLE_TABLES
            }
        written = {t: o for t, o in owners.items() if o}
        assert written["participant"] == {colleague}
        for table, who in written.items():
            if table != "resource":
                assert who == {colleague}, table  # every row of the caseload, consents too
        assert colleague not in written["resource"]  # the directory is the vault worker's
        assert cb.check().ok
    finally:
        cb.lock()
