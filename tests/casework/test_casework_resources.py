"""Resource directory: edit, verify, problem reports, CSV import (all or nothing) and export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from casework_kit import demand_plan, queued_rows

from linksdesk.casework import onward
from linksdesk.casework import participants as P
from linksdesk.casework import resources as R
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import NotFoundError, ValidationError
from linksdesk.core.vocab import OnwardKind, ResourceCapacity

HEADER = ",".join(R.CSV_COLUMNS)


def _csv(*rows: str) -> io.StringIO:
    return io.StringIO("\n".join([HEADER, *rows]) + "\n")


GOOD = (
    "Govan Community Project,Lunch club,Hot lunch and company,Food; Isolation,"
    "1 Main St,G51 1AA,Govan,Tuesdays 12-2,Anyone over 60,£2,Step-free,Just turn up,"
    "0141 000 0001,hello@example.org,https://example.org,Open,2025-03-01"
)
GOOD2 = (
    "Walk Well,Health walks,,Physical health,,,Partick,Wednesdays,,Free,,Phone first,,,,limited,"
)


def test_add_edit_verify_remove_and_list(cb: Casebook) -> None:
    r = R.add_resource(
        cb,
        organisation="Food Bank",
        service="Parcels",
        categories=["Food", "food", " Money  and benefits "],
        area="Govan",
        capacity="waiting list",
        email="x@example.org",
    )
    res = r.value
    assert res.categories == ("Food", "Money and benefits")
    assert res.capacity is ResourceCapacity.WAITING_LIST
    assert ("resource", res.id) in queued_rows(cb)  # shared with the team, no consent needed
    R.edit_resource(cb, res.id, capacity=ResourceCapacity.FULL, when="Fridays")
    assert R.mark_verified(cb, res.id, on=dt.date(2025, 5, 1)).value.last_verified == dt.date(
        2025, 5, 1
    )
    R.add_resource(cb, organisation="Another", service="Thing", area="Partick")
    assert [x.organisation for x in R.list_resources(cb, category="FOOD")] == ["Food Bank"]
    assert [x.organisation for x in R.list_resources(cb, area="partick")] == ["Another"]
    with pytest.raises(ValidationError, match="Organisation is needed"):
        R.add_resource(cb, organisation="", service="x")
    with pytest.raises(ValidationError, match="Capacity"):
        R.edit_resource(cb, res.id, capacity="bursting")
    R.remove_resource(cb, res.id)
    assert [x.organisation for x in R.list_resources(cb)] == ["Another"]
    with pytest.raises(NotFoundError):
        R.get_resource(cb, res.id)


def test_problem_reports(cb: Casebook) -> None:
    res = R.add_resource(cb, organisation="Hall", service="Bingo").value
    reported = R.report_problem(cb, res.id, "Moved to Tuesdays", on=dt.date(2025, 2, 1)).value
    (problem,) = reported.open_problems
    assert problem.text == "Moved to Tuesdays" and problem.reported_on == dt.date(2025, 2, 1)
    fixed = R.resolve_problem(cb, res.id, problem.id, on=dt.date(2025, 2, 3)).value
    assert fixed.open_problems == () and fixed.problem_reports[0].resolved_on == dt.date(2025, 2, 3)
    with pytest.raises(NotFoundError):
        R.resolve_problem(cb, res.id, "nope")


def test_csv_import_adds_and_updates_with_progress(cb: Casebook) -> None:
    R.add_resource(cb, organisation="walk well", service="HEALTH WALKS", area="Old area")
    seen: list[tuple[int, int]] = []
    out = R.import_resources_csv(cb, _csv(GOOD, GOOD2), progress=lambda d, t: seen.append((d, t)))
    assert out.value.ok and (out.value.added, out.value.updated) == (1, 1)
    assert seen == [(1, 2), (2, 2)]
    assert out.changes.touched("resource")
    by_org = {r.organisation.lower(): r for r in R.list_resources(cb)}
    assert by_org["walk well"].area == "Partick"
    assert by_org["walk well"].capacity is ResourceCapacity.LIMITED
    lunch = by_org["govan community project"]
    assert lunch.categories == ("Food", "Isolation")
    assert lunch.last_verified == dt.date(2025, 3, 1) and lunch.cost == "£2"


def test_any_bad_row_means_nothing_is_imported(cb: Casebook) -> None:
    bad_date = GOOD2.replace("limited,", "limited,31/02/2025")
    no_service = GOOD.replace("Lunch club", "").replace("Govan Community Project", "Other org")
    short = "Just,three,values"
    text = _csv(GOOD, bad_date, no_service, "", short, GOOD)
    out = R.import_resources_csv(cb, text)
    assert not out.value.ok and out.value.added == 0
    problems = [(p.line, p.reason) for p in out.value.problems]
    assert [line for line, _ in problems] == [3, 4, 6, 7]
    assert "Last verified" in problems[0][1]
    assert "Service is needed" in problems[1][1]
    assert "Expected 17 values" in problems[2][1]
    assert "Same organisation and service as row 2" in problems[3][1]
    assert [p.row for p in out.value.problems] == [3, 4, 6, 7]  # no cell over two lines
    assert R.list_resources(cb) == []
    assert out.changes.entities == set()


def test_a_refused_row_is_named_as_a_spreadsheet_numbers_it_and_where_it_starts(
    cb: Casebook,
) -> None:
    """The directory is kept in a spreadsheet, where an address typed over two lines is one
    row: the file's line numbers run ahead of the rows after it."""
    two_lines = GOOD.replace("1 Main St", '"1 Main St\nFlat 2"')
    doubled = two_lines.replace("£2", "£3")  # the same organisation and service again
    no_service = GOOD2.replace("Health walks", "")
    text = _csv(two_lines, no_service, "", doubled)
    out = R.import_resources_csv(cb, text)
    found = [(p.row, p.line) for p in out.value.problems]
    assert found == [(3, 4), (5, 6)]
    assert "Service is needed" in out.value.problems[0].reason
    assert "Same organisation and service as row 2." in out.value.problems[1].reason
    assert R.list_resources(cb) == []


def test_header_problems_are_reported_on_line_one(cb: Casebook) -> None:
    out = R.import_resources_csv(cb, io.StringIO("organisation,service,colour\nA,B,red\n"))
    (problem,) = out.value.problems
    assert problem.row == problem.line == 1
    assert "missing column" in problem.reason and "colour" in problem.reason
    empty = R.import_resources_csv(cb, io.StringIO(""))
    assert empty.value.problems[0].line == 1


def test_cancel_stops_with_nothing_imported(cb: Casebook) -> None:
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 3  # let parsing finish, then stop while writing

    out = R.import_resources_csv(cb, _csv(GOOD, GOOD2), cancel=cancel)
    assert out.value.cancelled and not out.value.ok
    assert R.list_resources(cb) == []


def test_export_then_import_round_trips(cb: Casebook, tmp_path: Path) -> None:
    R.import_resources_csv(cb, _csv(GOOD, GOOD2))
    folder = tmp_path / "out"
    folder.mkdir()
    dest = folder / "directory.csv"
    out = R.export_resources_csv(cb, dest)
    assert out.value.written == 2
    with dest.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == R.CSV_COLUMNS
    assert rows[0]["categories"] == "Food; Isolation"
    before = R.list_resources(cb)
    again = R.import_resources_csv(cb, dest)
    assert (again.value.added, again.value.updated) == (0, 0)
    assert R.list_resources(cb) == before
    cancelled = R.export_resources_csv(cb, folder / "no.csv", cancel=lambda: True)
    assert cancelled.value.cancelled
    assert [p.name for p in folder.iterdir()] == ["directory.csv"]  # no temp file left


def test_export_tells_progress_after_each_row_and_a_cancel_midway_leaves_no_file(
    cb: Casebook, tmp_path: Path
) -> None:
    R.import_resources_csv(cb, _csv(GOOD, GOOD2))
    folder = tmp_path / "stick"
    folder.mkdir()
    seen: list[tuple[int, int]] = []
    done = R.export_resources_csv(cb, folder / "all.csv", progress=lambda d, t: seen.append((d, t)))
    assert done.value.written == 2 and seen == [(1, 2), (2, 2)]
    seen.clear()
    stopped = R.export_resources_csv(
        cb,
        folder / "half.csv",
        progress=lambda d, t: seen.append((d, t)),
        cancel=lambda: bool(seen),
    )
    assert stopped.value.cancelled and seen == [(1, 2)]
    assert [p.name for p in folder.iterdir()] == ["all.csv"]  # the half-written one is gone


def test_demand_counts_last_30_and_90_days(cb: Casebook) -> None:
    today = dt.date(2025, 6, 30)
    busy = R.add_resource(cb, organisation="Busy", service="Club").value
    quiet = R.add_resource(cb, organisation="Quiet", service="Club").value
    people = [
        P.create_participant(cb, given_name=f"D{i}", family_name="Emand").value.id for i in range(2)
    ]
    for days_ago in (0, 10, 29, 30, 45, 89, 90, 200):
        onward.refer_onward(
            cb,
            people[days_ago % 2],
            busy.id,
            OnwardKind.SIGNPOST,
            on=today - dt.timedelta(days=days_ago),
        )
    demand = R.resource_demand(cb, today=today)
    assert [(d.resource_id, d.last_30_days, d.last_90_days) for d in demand] == [
        (busy.id, 3, 6),
        (quiet.id, 0, 0),
    ]


def test_demand_reads_only_the_last_90_days_of_each_resource_from_an_index(
    cb: Casebook,
) -> None:
    """Counted by the day first recorded (suggested, or made straight away), the window was
    no longer ranged over by the made_on index: every referral a resource ever had was read.
    The expression index (migration 0014) ranges over that day again."""
    club = R.add_resource(cb, organisation="Busy", service="Club").value
    who = P.create_participant(cb, given_name="D", family_name="Emand").value.id
    onward.refer_onward(cb, who, club.id, OnwardKind.REFERRAL, on=dt.date(2025, 6, 1))
    steps = demand_plan(cb, dt.date(2025, 6, 30))
    [onward_step] = [step for step in steps if "onward_referral" in step]
    assert "USING INDEX ix_onward_referral_resource_started" in onward_step, steps
    assert "resource_id=? AND <expr>>? AND <expr><?" in onward_step, steps
