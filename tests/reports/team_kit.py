"""A real team for report tests: worker vaults filled through casework, brought into one vault.

Each worker's vault is filled through the casework use cases; what each call wrote is also
noted in a plain ``Ledger`` so tests can count expected figures without ``linksdesk.reports``.
With the supervisors' data path in the build, each worker exports a signed, encrypted
supervision bundle that the supervisor's vault imports (``build_team_by_bundles``); without
it, the workers' outboxes (exactly what sync would send, after the confidentiality policy)
are applied to the supervisor's vault through sync's page applier, as a pull does. No rows
are copied with SQL.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from synthetic import PASSPHRASE

from linksdesk.casework import (
    bundles,
    concerns,
    consent,
    contacts,
    goals,
    measures,
    onward,
    participants,
    referrals,
    resources,
)
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.participants import NEXT_NUMBER_KEY
from linksdesk.core.hlc import HLC
from linksdesk.core.measures import swemwbs_metric
from linksdesk.core.vocab import (
    ConcernStage,
    ConsentScope,
    ContactKind,
    ContactStatus,
    GoalStatus,
    MeasureContext,
    MeasureKind,
    OnwardKind,
    OnwardStatus,
    ReferralSource,
    ResourceCapacity,
)
from linksdesk.storage.tables import LocalSetting, Outbox
from linksdesk.sync.apply import PageApplier, parents_first
from linksdesk.sync.page import ApplyContext
from linksdesk.sync.protocol import Op, ServerChange, is_participant_routed
from linksdesk.sync.totals import update_monthly_totals

HOSTILE_NAME = '=HYPERLINK("http://example.invalid/x","click me")'
PERIOD = "2026-01..2026-06"  # what the golden tests report on
TODAY = dt.date(2026, 8, 1)
LOOKUP = {"EH1 1AA": 1, "G1 1AA": 2, "KY1 1AA": 6}  # synthetic postcode -> decile
CONCERNS = ("Money and benefits", "Isolation", "Mental health", "Housing", "Food")


@dataclass
class Ledger:
    """What went in, written down as it was written (one dict per record)."""

    workers: list[str] = field(default_factory=list)  # owner ids in order
    people: list[dict[str, Any]] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    concerns: list[dict[str, Any]] = field(default_factory=list)
    goals: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    onward: list[dict[str, Any]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)

    def shared(self) -> set[str]:
        return {p["id"] for p in self.people if p["shared"]}


def new_worker(path: Path, number: int) -> Casebook:
    """A worker's vault whose programme ids come from their own block (as the server leases)."""
    cb, _recovery = Casebook.create(path, PASSPHRASE)
    with cb.store.write() as tx:
        tx.session.merge(LocalSetting(key=NEXT_NUMBER_KEY, value=10_000 * (number + 1)))
    return cb


def _items(rng: random.Random, kind: MeasureKind, level: int) -> list[int]:
    n = 14 if kind is MeasureKind.WEMWBS else 7
    return [max(1, min(5, level + rng.choice((-1, 0, 0, 1)))) for _ in range(n)]


def fill_worker(cb: Casebook, rng: random.Random, ledger: Ledger, people: int) -> None:
    """A caseload through the casework use cases, each record also noted in ``ledger``."""
    me = cb.worker_id
    ledger.workers.append(me)
    res_ids = []
    for r in range(2):
        capacity = ResourceCapacity.FULL if r == 1 else ResourceCapacity.OPEN
        name = HOSTILE_NAME if (r == 0 and len(ledger.workers) == 1) else f"Group {me[-4:]}{r}"
        res = resources.add_resource(
            cb, organisation=name, service="Walking group", capacity=capacity
        ).value
        res_ids.append(res.id)
        ledger.resources.append(
            {"id": res.id, "label": f"{name} — Walking group", "capacity": capacity.value}
        )
    for n_person in range(people):
        received = dt.date(2026, 1, 1) + dt.timedelta(
            days=rng.randrange(0, 120 if n_person == 0 else 200)
        )
        postcode = rng.choice(("EH1 1AA", "G1 1AA", "KY1 1AA", None))
        p = participants.create_participant(
            cb,
            given_name=rng.choice(("Ailsa", "Morag", "Iain", "Calum")),
            family_name=f"Test{rng.randrange(10**6)}",
            date_of_birth=dt.date(1950 + rng.randrange(50), 1, 1),
            postcode=postcode,
            referred_on=received,
        ).value
        shared = rng.random() < 0.9
        consent.record_consent(cb, p.id, ConsentScope.TEAM, shared, recorded_on=received)
        person = {
            "id": p.id, "owner": me, "postcode": postcode, "shared": shared,
            "referred_on": received,
        }  # fmt: skip
        ledger.people.append(person)
        source = rng.choice(list(ReferralSource))
        referrals.record_referral(cb, p.id, source=source, received_on=received)
        ledger.referrals.append({"pid": p.id, "received_on": received, "source": source.value})
        if rng.random() < 0.2:  # a second referral later
            again = received + dt.timedelta(days=rng.randrange(20, 90))
            referrals.record_referral(cb, p.id, source=ReferralSource.SELF, received_on=again)
            ledger.referrals.append({"pid": p.id, "received_on": again, "source": "self"})
        day = received
        for _c in range(rng.randrange(0, 7)):
            day = day + dt.timedelta(days=rng.randrange(0, 25))
            kind = rng.choice(list(ContactKind))
            status = rng.choice(
                (ContactStatus.ATTENDED,) * 4
                + (ContactStatus.DID_NOT_ATTEND, ContactStatus.CANCELLED)
            )
            if kind is ContactKind.ATTEMPTED:  # an attempt has no outcome of its own
                status = ContactStatus.ATTENDED
            at = dt.datetime.combine(day, dt.time(10, 30))
            contacts.record_contact(cb, p.id, kind=kind, at=at, status=status)
            ledger.contacts.append(
                {"pid": p.id, "kind": kind.value, "status": status.value, "day": day}
            )
        for _k in range(rng.randrange(0, 3)):
            cat = rng.choice(CONCERNS)
            stage = rng.choice(list(ConcernStage))
            when = received + dt.timedelta(days=0 if stage is ConcernStage.AT_REFERRAL else 30)
            concerns.add_concern(cb, p.id, cat, stage=stage, identified_on=when)
            ledger.concerns.append(
                {"pid": p.id, "category": cat, "stage": stage.value, "day": when}
            )
        if rng.random() < 0.6:
            set_on = received + dt.timedelta(days=rng.randrange(0, 40))
            g = goals.set_goal(cb, p.id, "Get out of the house more", set_on=set_on).value
            status = rng.choice(list(GoalStatus))
            closed_on = None
            if status is not GoalStatus.ACTIVE:
                changed = set_on + dt.timedelta(days=30)
                goals.change_goal_status(cb, g.id, status, on=changed)
                if status is not GoalStatus.ON_HOLD:  # on hold keeps no date
                    closed_on = changed
            ledger.goals.append(
                {"pid": p.id, "status": status.value, "set_on": set_on, "closed_on": closed_on}
            )
        kind = rng.choice((MeasureKind.WEMWBS, MeasureKind.SWEMWBS))
        level = rng.randrange(2, 4)
        for n_score in range(rng.randrange(0, 4)):
            taken = received + dt.timedelta(days=45 * n_score)
            items = _items(rng, kind, level + (1 if n_score and rng.random() < 0.5 else 0))
            ctx = MeasureContext.BASELINE if n_score == 0 else MeasureContext.REVIEW
            measures.record_measure(cb, p.id, kind, items, context=ctx, taken_on=taken)
            value = sum(items) if kind is MeasureKind.WEMWBS else swemwbs_metric(sum(items))
            ledger.measures.append({"pid": p.id, "kind": kind.value, "taken_on": taken,
                                    "value": value, "context": ctx.value})  # fmt: skip
        # ONS4 answers, from their own generator so the rest of the team stays as it was
        ons = random.Random(1000 * len(ledger.workers) + n_person)
        for n_score in range(ons.choice((0, 1, 2, 2, 3))):
            taken = received + dt.timedelta(days=40 * n_score + 1)
            answers = [ons.randrange(0, 11) for _q in range(4)]
            ctx = MeasureContext.BASELINE if n_score == 0 else MeasureContext.REVIEW
            measures.record_measure(cb, p.id, MeasureKind.ONS4, answers, context=ctx,
                                    taken_on=taken)  # fmt: skip
            ledger.measures.append({"pid": p.id, "kind": "ons4", "taken_on": taken,
                                    "answers": answers, "context": ctx.value})  # fmt: skip
        # the first person of each worker goes to the first resource (for the first worker,
        # the one whose name is a formula), so that name reaches every report
        if n_person == 0 or rng.random() < 0.5:
            made = received + dt.timedelta(days=rng.randrange(5, 60))
            rid = res_ids[0] if n_person == 0 else rng.choice(res_ids)
            status = rng.choice(list(OnwardStatus))
            # every other person's starts as a suggestion, made 6 days later (or declined
            # as a suggestion); the others start as made: each step on its own day
            days = {"suggested_on": None, "made_on": None, "outcome_on": None}
            if n_person % 2:
                o = onward.refer_onward(cb, p.id, rid, OnwardKind.REFERRAL, on=made).value
                days["suggested_on"] = made
                if status is not OnwardStatus.SUGGESTED and not (
                    status is OnwardStatus.DECLINED and n_person % 4 == 1
                ):
                    days["made_on"] = made + dt.timedelta(days=6)
                    onward.update_onward(cb, o.id, OnwardStatus.MADE, on=days["made_on"])
            else:
                o = onward.refer_onward(
                    cb, p.id, rid, OnwardKind.REFERRAL, status=OnwardStatus.MADE, on=made
                ).value
                days["made_on"] = made
                if status is OnwardStatus.SUGGESTED:
                    status = OnwardStatus.MADE
            if status not in (OnwardStatus.MADE, OnwardStatus.SUGGESTED):
                days["outcome_on"] = made + dt.timedelta(days=10)
                onward.update_onward(cb, o.id, status, outcome="went twice", on=days["outcome_on"])
            ledger.onward.append({"pid": p.id, "resource": rid, "status": status.value, **days})
        if rng.random() < 0.3:
            participants.close_participant(cb, p.id, "Goals met", on=day)
            person["closed"] = True
            person["closed_on"] = day
    if len(ledger.workers) == 1:
        for back in RETURNING:
            came_back(cb, ledger, back)


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# people who came back (the first worker's), so the golden figures exercise the episode rule:
# WEMWBS total and ONS4 answers per score (as marked), and the days of their attended contacts
B, R = MeasureContext.BASELINE, MeasureContext.REVIEW
RETURNING: tuple[dict[str, Any], ...] = (
    {  # paired within the second episode (42 -> 44, one contact since), not 28 -> 44 after 5
        "referred": ("2025-02-03", "2026-02-20"), "closed": "2025-06-01",
        "contacts": ("2025-02-10", "2025-03-10", "2025-04-07", "2025-05-12", "2026-03-02"),
        "scores": (("2025-02-10", 2, (2, 2, 2, 9), B), ("2025-05-12", 4, (8, 8, 8, 2), R),
                   ("2026-03-02", 3, (5, 5, 5, 5), B), ("2026-05-04", 3, (6, 6, 6, 4), R)),
    },
    {  # back with a new baseline only: no follow-up yet, not a fall from 70 to 28
        "referred": ("2025-03-03", "2026-04-01"), "closed": "2025-07-01",
        "contacts": ("2025-03-03", "2025-06-02", "2026-04-06"),
        "scores": (("2025-03-03", 4, (3, 3, 3, 6), B), ("2025-06-02", 5, (9, 9, 9, 1), R),
                   ("2026-04-06", 2, (2, 2, 2, 8), B)),
    },
    {  # never away: the first meeting's paper form typed in late as a review, dated before
       # the baseline; one episode, paired 28 -> 56 (not 42 -> 56 as if they came back)
        "referred": ("2026-01-12",), "closed": None,
        "contacts": ("2026-01-12", "2026-01-26", "2026-03-09", "2026-04-20"),
        "scores": (("2026-01-12", 2, (3, 3, 3, 8), R), ("2026-01-26", 3, (4, 4, 4, 6), B),
                   ("2026-04-20", 4, (7, 7, 7, 3), R)),
    },
)  # fmt: skip


def came_back(cb: Casebook, ledger: Ledger, back: dict[str, Any]) -> None:
    """A person supported in 2025, closed, then referred in again and reopened in the period
    (or, with one day referred and none closed, supported all along)."""
    first, *again = (_day(d) for d in back["referred"])
    p = participants.create_participant(
        cb, given_name="Calum", family_name="Testreturn", referred_on=first
    ).value
    consent.record_consent(cb, p.id, ConsentScope.TEAM, True, recorded_on=first)
    ledger.people.append(
        {"id": p.id, "owner": cb.worker_id, "postcode": None, "shared": True, "referred_on": first}
    )
    for day in (first, *again):
        if day != first:
            participants.close_participant(cb, p.id, "Goals met", on=_day(back["closed"]))
            participants.reopen_participant(cb, p.id, on=day)
        referrals.record_referral(cb, p.id, source=ReferralSource.GP, received_on=day)
        ledger.referrals.append({"pid": p.id, "received_on": day, "source": "gp"})
    for day in map(_day, back["contacts"]):
        at = dt.datetime.combine(day, dt.time(11))
        contacts.record_contact(cb, p.id, kind=ContactKind.APPOINTMENT, at=at)
        ledger.contacts.append({"pid": p.id, "kind": "appointment", "status": "attended",
                                "day": day})  # fmt: skip
    for taken, level, answers, ctx in back["scores"]:
        day = _day(taken)
        items = [level] * 14
        measures.record_measure(cb, p.id, MeasureKind.WEMWBS, items, context=ctx, taken_on=day)
        ledger.measures.append({"pid": p.id, "kind": "wemwbs", "taken_on": day,
                                "value": sum(items), "context": ctx.value})  # fmt: skip
        measures.record_measure(cb, p.id, MeasureKind.ONS4, list(answers), context=ctx,
                                taken_on=day)  # fmt: skip
        ledger.measures.append({"pid": p.id, "kind": "ons4", "taken_on": day,
                                "answers": list(answers), "context": ctx.value})  # fmt: skip


# -- bringing a worker's rows into the supervisor's vault ----------------------------------
def outbox_changes(cb: Casebook, first_seq: int) -> list[ServerChange]:
    """What this worker's laptop would send, as the server would hand it on."""
    out = []
    with cb.store.read() as s:
        rows = list(s.scalars(select(Outbox).order_by(Outbox.seq)))
    for n, row in enumerate(rows):
        payload = dict(row.payload or {})
        pid = payload.get("participant_id")
        if row.table_name == "participant" and pid is None:
            pid = row.row_id
        routed = is_participant_routed(row.table_name)
        out.append(
            ServerChange(
                change_id=row.change_id,
                table=row.table_name,
                row_id=row.row_id,
                op=Op(row.op),
                hlc=row.hlc,
                origin=str(payload.get("origin") or HLC.decode(row.hlc).device),
                owner=str(payload.get("owner") or cb.worker_id),
                participant_id=pid if routed else None,
                sharing=payload.get("sharing") or "team",
                fields=dict(payload.get("fields") or {}) if row.op == Op.UPSERT else {},
                server_seq=first_seq + n,
            )
        )
    return out


def bring_in(supervisor: Casebook, changes: list[ServerChange]) -> None:
    """Apply pages of changes to the supervisor's vault through sync's page applier."""
    store = supervisor.store
    # as the server hands them on: a participant's row before the consent queued ahead of it
    changes = parents_first(changes)
    for start in range(0, len(changes), 250):
        page = changes[start : start + 250]
        with store.engine.connect() as conn, Session(bind=conn, expire_on_commit=False) as s:
            ctx = ApplyContext(
                device_id=supervisor.device_id,
                worker_id=supervisor.worker_id,
                stamp=lambda: store.clock.now().encode(),
            )
            PageApplier(s, ctx).apply(page)
            s.commit()


def build_team(
    root: Path, workers: int = 5, people: int = 12, seed: int = 7
) -> tuple[Casebook, Ledger]:
    """Five workers' vaults filled through casework, brought into one supervisor vault."""
    rng = random.Random(seed)
    ledger = Ledger()
    supervisor, _ = Casebook.create(root / "supervisor.vault", PASSPHRASE)
    seq = 1
    for w in range(workers):
        cb = new_worker(root / f"worker{w}.vault", w)
        try:
            fill_worker(cb, rng, ledger, people)
            # as a sync does first: the anonymous totals of what stays on the laptop
            update_monthly_totals(cb.store, cb.worker_id)
            changes = outbox_changes(cb, seq)
        finally:
            cb.lock()
        seq += len(changes)
        bring_in(supervisor, changes)
    return supervisor, ledger


def build_team_by_bundles(
    root: Path, workers: int = 5, people: int = 12, seed: int = 7
) -> tuple[Casebook, Ledger]:
    """The same team carried as signed, encrypted supervision bundles into a supervisor vault."""
    rng = random.Random(seed)
    ledger = Ledger()
    supervisor, _ = bundles.create_vault(root / "supervisor.vault", PASSPHRASE, supervisor=True)
    recipient = bundles.new_bundle_key(supervisor)
    for w in range(workers):
        cb, _key = bundles.create_vault(root / f"worker{w}.vault", PASSPHRASE)
        with cb.store.write() as tx:
            tx.session.merge(LocalSetting(key=NEXT_NUMBER_KEY, value=10_000 * (w + 1)))
        try:
            fill_worker(cb, rng, ledger, people)
            update_monthly_totals(cb.store, cb.worker_id)
            out = root / f"worker{w}.age"
            bundles.export_bundle(cb, out, kind="supervision", recipients=[recipient])
            fingerprint = bundles.show_keys(cb).signing.fingerprint
        finally:
            cb.lock()
        bundles.import_file(supervisor, out, trust=fingerprint)
    return supervisor, ledger
