"""A hostile or broken device of the team against the real server: resource problem reports.

A resource's problem reports are a list of objects every laptop of the team reads when it
lists the resource directory. One entry without the details a laptop reads (an id, the day
it was reported) was stored and handed on, and then the directory failed on every laptop of
the team. The server now refuses it; what a real laptop writes still goes everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
from server_kit import Device
from sqlalchemy import select
from sync_kit import Dev, ServerProcess

from linksdesk.casework import resources
from linksdesk.casework.casebook import Casebook
from linksdesk.server.models import Record

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
            assert "problem_reports holds an entry" in result["reason"]
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
