"""Why an onward resource stands out, in the note beside the table, agrees with its own row's
"Capacity in the directory"."""

from __future__ import annotations

import datetime as dt

from linksdesk.reports.data import TeamData
from linksdesk.reports.figures import compute
from linksdesk.reports.scope import Period, Scope
from linksdesk.reports.settings import ReportSettings

WORKER = "w-000000000001"


def test_a_resource_standing_out_is_explained_as_its_directory_row_says() -> None:
    """An open resource that turned a referral away was "at capacity" beside "Open" in its
    own row, and a resource with a waiting list was "at capacity" too."""
    people = tuple((f"p{i}", WORKER, "active", None) for i in range(3))
    resources = {"r-open": ("Open group", "open"), "r-full": ("Full group", "full"),
                 "r-wait": ("Waiting group", "waiting_list")}  # fmt: skip
    onward = (
        # participant, worker, resource, status, suggested_on, made_on, outcome_on
        ("p0", WORKER, "r-open", "no_capacity", None, "2026-03-10", "2026-03-20"),
        ("p1", WORKER, "r-full", "made", None, "2026-03-10", None),
        ("p2", WORKER, "r-wait", "made", "2026-03-02", "2026-03-10", None),
    )
    data = TeamData(people, (), (), (), (), (), onward, (), resources, {}, {}, {})
    for exact in (True, False):
        sections = compute(data, Scope(Period.parse("2026-03")), ReportSettings(),
                           dt.date(2026, 8, 1), exact=exact)  # fmt: skip
        table = next(s for s in sections if s.key == "onward").table("onward_by_month")
        notes = {w.split(" received")[0]: w.split(" but ")[1] for w in table.warnings}
        assert notes == {
            "Open group": "at least one came back with no capacity.",
            "Full group": "is full in the resource directory.",
            "Waiting group": "has a waiting list in the resource directory.",
        }
