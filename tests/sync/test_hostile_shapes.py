"""A hostile or broken device of the team against the real server: values read inside objects.

A resource's problem reports are a list of objects every laptop of the team reads when it
lists the resource directory; a worker's monthly totals are an object the supervisor's
figures add up. One entry without the details a laptop reads (an id, the day it was
reported), or a count that is not a number, was stored and handed on, and then the team's
directory failed on every laptop, or the supervisor's report failed for the whole team. The
server now refuses such values; what real laptops write still goes everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from bundle_kit import Supervisor
from server_kit import Device
from sqlalchemy import select
from sync_kit import Dev, ServerProcess

from linksdesk.casework import resources
from linksdesk.casework.casebook import Casebook
from linksdesk.reports.build import INTERNAL, report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.server import bundles, keys
from linksdesk.server.models import Record
from linksdesk.sync.bundle import receive

BROKEN: list[Any] = [
    {},
    {"note": "closed on Mondays"},  # no id, no day
    {"id": "r1", "text": "closed"},  # no day
    {"id": "r1", "reported_on": "2026-11-02"},  # no text
    {"id": "r1", "reported_on": "last week"},
    {"id": 7, "reported_on": "2026-11-02"},
    {"id": "r1", "reported_on": "2026-11-02", "resolved_on": "soon"},
    {"id": "r1", "reported_on": "2026-11-02", "text": "x" * 2001},
    {"id": "r1", "reported_on": "2026-11-02", "text": None},  # shown as "None"
]


def test_a_problem_report_no_laptop_can_read_is_refused_and_the_directory_stays_readable(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    team = server.team()
    laptop = devices("laptop")
    laptop.enrol(server, server.worker(team))
    laptop.reopen()  # as the app does after enrolment
    with httpx.Client(base_url=server.url, timeout=30) as http:
        enrolled = http.post("/v1/enrol", json={"code": server.code(server.worker(team))})
        hostile = Device(http, enrolled.json())
        sent = []
        for entry in BROKEN:
            res = hostile.change(
                "resource",
                fields={
                    "organisation": "Food bank",
                    "service": "Parcels",
                    "problem_reports": [entry],
                },
            )
            result = hostile.push_one(res)
            assert result["status"] == "rejected", entry
            assert "problem_reports does not hold the details" in result["reason"]
            assert "Mondays" not in result["reason"] and "last week" not in result["reason"]
            sent.append(res["row_id"])
        fine = hostile.change(
            "resource",
            fields={
                "organisation": "Library",
                "service": "Warm space",
                "problem_reports": [
                    {"id": "r2", "reported_on": "2026-11-02", "text": "", "seen_by": ["x"]}
                ],
            },
        )
        assert hostile.push_one(fine)["status"] == "applied"
    with server.db.reading() as s:
        assert s.scalars(select(Record.row_id).where(Record.row_id.in_(sent))).all() == []

    # the laptop pulls the one that fits and still lists its directory
    laptop.sync()
    book = Casebook(laptop.vault)
    (library,) = resources.list_resources(book)
    assert library.problem_reports[0].reported_on == dt.date(2026, 11, 2)

    # what a laptop itself writes fits the declaration: it reaches a second laptop
    reported = resources.report_problem(book, library.id, "Moved to Tuesdays").value
    resources.resolve_problem(book, library.id, reported.problem_reports[-1].id)
    assert laptop.sync().verified
    other = devices("other")
    other.enrol(server, server.worker(team))
    other.reopen()
    assert other.sync().verified
    (seen,) = resources.list_resources(Casebook(other.vault))
    assert [(p.text, p.resolved_on is not None) for p in seen.problem_reports] == [
        ("", False),
        ("Moved to Tuesdays", True),
    ]


BROKEN_COUNTS: list[dict[str, Any]] = [
    {"contacts": "many"},
    {"contacts": 1.5},
    {"contacts": True},
    {"did_not_attend": 2**40},
    {"participants": {"n": 1}},
    {"referrals_by_source": [1]},
    {"referrals_by_source": {"gp": "2"}},
    {"referrals_by_source": {"gp": None}},
]


def test_monthly_totals_the_supervisors_figures_cannot_add_up_are_refused(
    server: ServerProcess, devices: Callable[[str], Dev], tmp_path: Path
) -> None:
    team = server.team()
    laptop = devices("laptop")
    laptop.enrol(server, server.worker(team))
    # a person not shared with the team: the laptop sends only their counts
    now = dt.datetime.now().replace(microsecond=0)
    laptop.contact(laptop.participant(shared=False), when=now)
    assert laptop.sync().verified
    month = now.strftime("%Y-%m")
    with httpx.Client(base_url=server.url, timeout=30) as http:
        enrolled = http.post("/v1/enrol", json={"code": server.code(server.worker(team))})
        hostile = Device(http, enrolled.json())
        for counts in BROKEN_COUNTS:
            total = hostile.totals(month, counts)
            result = hostile.push_one(total)
            assert result["status"] == "rejected", counts
            assert "counts does not hold" in result["reason"] and "many" not in result["reason"]
        counts = {
            "participants": 2,
            "contacts": 37,
            "did_not_attend": None,
            "referrals_by_source": {"gp": 1},
            "seen_at_home": [1],  # a later version's count: kept as it comes
        }
        total = hostile.totals(month, counts)
        assert hostile.push_one(total)["status"] == "applied"
    with server.db.reading() as s:
        held = {
            r.owner: r.fields["counts"]
            for r in s.scalars(select(Record).where(Record.table_name == "monthly_total"))
            if r.fields["month"] == month
        }
    assert held.pop(hostile.worker_id) == counts
    assert [c["contacts"] for c in held.values()] == [1]  # the laptop's own, taken

    # the supervisor's report over the server's bundle adds up every worker's totals
    sup = Supervisor.create(tmp_path)
    try:
        sealed = bundles.export(server.db, team, kind="supervision", recipients=[sup.recipient])
        path, _ = sealed.write(tmp_path / "team.age")
        trust = keys.public_key(server.db).fingerprint
        receive.import_bundle(sup.store, path, trust=trust)
        scope = Scope(Period.last_twelve_months(dt.date.today()))
        report = report_from_store(sup.store, scope, audience=INTERNAL)
        section = next(s for s in report.sections if s.key == "unshared")
        contacts = sorted(row[3] for row in section.tables[0].rows)
    finally:
        sup.vault.lock()
    assert contacts == [1, 37, 38]  # each worker, and the total row


def test_a_capacity_no_laptop_knows_is_refused_and_the_directory_stays_readable(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    team = server.team()
    laptop = devices("laptop")
    laptop.enrol(server, server.worker(team))
    laptop.reopen()
    with httpx.Client(base_url=server.url, timeout=30) as http:
        enrolled = http.post("/v1/enrol", json={"code": server.code(server.worker(team))})
        hostile = Device(http, enrolled.json())
        odd = hostile.change("resource", fields={"organisation": "Hub", "service": "Food"})
        odd["fields"]["capacity"] = "plenty"  # each laptop reads it as ResourceCapacity
        result = hostile.push_one(odd)
        assert result["status"] == "rejected" and "capacity is not one of" in result["reason"]
        fine = hostile.change("resource", fields={"organisation": "Library", "service": "Books"})
        fine["fields"]["capacity"] = "waiting_list"
        assert hostile.push_one(fine)["status"] == "applied"
    laptop.sync()
    (library,) = resources.list_resources(Casebook(laptop.vault))
    assert library.capacity == "waiting_list"
