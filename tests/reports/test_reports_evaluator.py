"""An evaluator's checks from outside: the board's files (PDF read with the real pdftotext,
CSV) and the evaluation files, from a supervisor's vault fed by real laptops' bundles
(``evaluation_kit``). Whatever an evaluator can count again from the evaluation files agrees
with the board; an attempted contact is "not reached" in both; a report of a past quarter is
the same whenever it is written; every column of the files is described where the files say;
the files give back none of the board's hidden counts. Synthetic data."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from evaluation_kit import KEPT_ON_LAPTOP, PERIOD, EvalTeam, build_eval_team
from sqlalchemy import select

from linksdesk.casework.goals import change_goal_status, list_goals
from linksdesk.casework.onward import list_onward_referrals, update_onward
from linksdesk.core import registry
from linksdesk.core.vocab import NOT_REACHED_KEY, GoalStatus, OnwardStatus
from linksdesk.reports.build import report_from_store
from linksdesk.reports.evaluation import README, described, write_evaluation
from linksdesk.reports.export import export_report
from linksdesk.reports.model import Report
from linksdesk.reports.scope import Period, Scope
from linksdesk.storage.tables import Goal
from linksdesk.storage.tables import OnwardReferral as OnwardRow
from linksdesk.sync.bundle.evaluation import SKIPPED
from linksdesk.sync.policy import AGGREGATE_TABLES, eval_tag

P = Period.parse(PERIOD)
QUARTER = "2026-Q1"  # the evaluation bundles' dates for the period (they are coarsened)
AFTER = dt.date(2026, 8, 1)  # months after the quarter


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EvalTeam]:
    built = build_eval_team(tmp_path_factory.mktemp("evalteam"))
    yield built
    built.supervisor.lock()


@pytest.fixture(scope="module")
def files(team: EvalTeam, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("evaluator") / "files"
    write_evaluation(team.supervisor.store, out)
    return out


def rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def internal(team: EvalTeam, today: dt.date = AFTER) -> Report:
    """The board's figures before small numbers are hidden."""
    return report_from_store(team.supervisor.store, Scope(P), audience="internal", today=today)


def column(report: Report, table: str, key: str, *, total: bool = False) -> list[Any]:
    """A column's values, one per worker (sorted: the files name no worker), or the total."""
    t = next(t for s in report.sections for t in s.tables if t.key == table)
    values = [r[t.column_index(key)] for r in t.rows]
    return [values[-1]] if total else sorted(values[:-1])


def test_an_attempted_contact_is_not_reached_in_the_evaluation_files(
    team: EvalTeam, files: Path
) -> None:
    contacts = rows(files, "contact")
    attempts = [c for c in contacts if c["kind"] == "attempted"]
    # each worker's laptop stored its call not answered as attended, as casework does
    assert len(attempts) == len(team.workers)
    assert {c["status"] for c in attempts} == {NOT_REACHED_KEY}
    # counted as an evaluator would, the attended contacts of the quarter are the board's
    attended = sum(
        1 for c in contacts if c["status"] == "attended" and c["scheduled_at"] == QUARTER
    )
    assert [attended] == column(internal(team), "contacts_by_kind", "attended", total=True)
    assert [len(attempts)] == column(internal(team), "contacts_by_kind", NOT_REACHED_KEY,
                                     total=True)  # fmt: skip


def test_what_an_evaluator_counts_again_from_the_files_is_the_boards(
    team: EvalTeam, files: Path
) -> None:
    report = internal(team)
    referrals = [r for r in rows(files, "referral") if r["received_on"] == QUARTER]
    # new referrals per worker: a row of referral.csv each, by owner (the README's rule)
    per_worker = Counter(r["owner"] for r in referrals)
    assert sorted(per_worker.values()) == column(report, "caseload", "new_referrals")
    assert sorted(per_worker.values()) == column(report, "timeliness", "referrals")
    by_source = Counter(r["source"] for r in referrals)
    assert sum(by_source.values()) == column(report, "referrals_by_source", "total", total=True)[0]
    # worked with: people with an attended contact in the period, each once, under their
    # worker in participant.csv (the README's rule)
    owner_of = {p["record_id"]: p["owner"] for p in rows(files, "participant")}
    seen = {
        (owner_of[c["participant"]], c["participant"])
        for c in rows(files, "contact")
        if c["status"] == "attended" and c["scheduled_at"] == QUARTER
    }
    assert sorted(Counter(o for o, _p in seen).values()) == column(
        report, "caseload", "worked_with"
    )
    # goals set in the quarter, by their status at its end (closed after it: in progress)
    at_end = Counter(
        ("in_progress" if g["closed_on"] > QUARTER else g["status"])
        if g["closed_on"] else g["status"]
        for g in rows(files, "goal") if g["set_on"] == QUARTER
    )  # fmt: skip
    assert [at_end["achieved"]] == column(report, "goals", "achieved", total=True)
    assert [at_end["active"] + at_end["in_progress"]] == column(
        report, "goals", "in_progress", total=True
    )
    # the person's referral period is not a count of referrals: each worker has one person
    # referred twice in the quarter, counted once there and twice as referrals
    people = Counter(p["owner"] for p in rows(files, "participant")
                     if p["referral_period"] == QUARTER)  # fmt: skip
    assert {per_worker[o] - people[o] for o in per_worker} == {1}


def onward_then(o: dict[str, str]) -> str | None:
    """An onward referral's status at the quarter's end, from the files' dates alone (the
    README's rule): None if first recorded after it."""
    if (o["suggested_on"] or o["made_on"]) > QUARTER:
        return None
    if o["outcome_on"] and o["outcome_on"] <= QUARTER:
        return o["status"]
    return "made" if o["made_on"] and o["made_on"] <= QUARTER else "suggested"


def test_onward_referrals_counted_again_from_the_files_are_the_boards(
    team: EvalTeam, files: Path
) -> None:
    """Each worker referred four people onward in the quarter: one made and attended, one
    declined as a suggestion, one suggested and made, one still suggested. The files keep
    each step's date in its own column, and counted by the README's rule they give the
    board's onward referrals by status; the board has the days from suggested to made."""
    onward = rows(files, "onward_referral")
    assert len(onward) == 4 * len(team.workers)
    by_status = Counter(onward_then(o) for o in onward)
    assert by_status == {s: 3 for s in ("attended", "declined", "made", "suggested")}
    report = internal(team)
    for status, n in by_status.items():
        assert [n] == column(report, "onward_outcomes", str(status), total=True)
    # the suggestion declined was never made; the one made straight away was never suggested
    declined = [o for o in onward if o["status"] == "declined"]
    assert {(o["suggested_on"], o["made_on"], o["outcome_on"]) for o in declined} == {
        (QUARTER, "", QUARTER)
    }
    attended = [o for o in onward if o["status"] == "attended"]
    assert {(o["suggested_on"], o["made_on"]) for o in attended} == {("", QUARTER)}
    times = report.section("onward").table("onward_times")
    made, to_attended = times.rows
    # suggested on 16 March, made on the 25th; made on 8 January, attended on 10 February
    assert made == ("Suggested to made", 3, 9.0, 9.0)
    assert to_attended == ("Made to attended", 3, 33.0, 33.0)


def test_every_column_of_the_files_is_described_where_they_say(team: EvalTeam, files: Path) -> None:
    written = sorted(p.name for p in files.glob("*.csv"))
    said = " ".join(write_evaluation(team.supervisor.store, files.parent / "again").said())
    assert README in said
    text = (files / README).read_text(encoding="utf-8")
    blocks = {b.split("\n", 1)[0]: b for b in text.split("\n\n")}
    for name in written:
        with (files / name).open(newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        for col in header:
            line = re.search(rf"^  {re.escape(col)}: (.+)$", blocks[name], re.M)
            assert line and line.group(1) != "not described", (name, col)
    # and every column a file could ever have (the registry's evaluation tags), so a column
    # added to the registry is described before any file carries it
    for table in registry.TABLES:
        if table.name in SKIPPED or table.name in AGGREGATE_TABLES:
            continue
        for name in table.columns:
            if eval_tag(table.name, name) != "drop" and name not in ("date_of_birth", "postcode"):
                assert described(table.name, name), (table.name, name)


def test_the_files_give_back_none_of_the_boards_hidden_monthly_totals(
    team: EvalTeam, files: Path, tmp_path: Path
) -> None:
    """The laptops' anonymous monthly totals of people who share nothing are counts per
    worker and month: the board hides the small ones, and the evaluation files wrote them
    out whole, worker by worker (and those people never agreed to evaluation)."""
    board = export_report(team.supervisor.store, Scope(P), "csv", tmp_path / "board.csv",
                          audience="external", today=AFTER)  # fmt: skip
    unshared = board.section("unshared").table("unshared")
    referrals = unshared.column_index("referrals")
    hidden = [r for r in range(len(unshared.rows) - 1) if (r, referrals) in unshared.suppressed]
    assert hidden  # the first worker's 2 referrals kept on the laptop are hidden as c
    assert not (files / "monthly_total.csv").exists()
    month = KEPT_ON_LAPTOP.strftime("%Y-%m")
    for path in files.glob("*.csv"):
        assert "referrals_by_source" not in path.read_text(encoding="utf-8")
        assert month not in path.read_text(encoding="utf-8")


def test_a_past_quarter_reads_the_same_whenever_it_is_written(team: EvalTeam) -> None:
    """Waits are counted as at the period's end: the quarter's report written a week after
    it and months after it says the same of who waited and who is not yet seen."""
    soon, late = internal(team, dt.date(2026, 4, 7)), internal(team, AFTER)
    assert soon.section("referrals").table("timeliness") == late.section("referrals").table(
        "timeliness"
    )
    first = team.workers[0]
    row = next(r for r in late.section("referrals").table("timeliness").rows
               if r[0].endswith(first[-6:]))  # fmt: skip
    t = late.section("referrals").table("timeliness")
    # the first worker: the person referred again (no contact since), the call not
    # answered, the person first seen in May, the person referred on 28 March
    assert row[t.column_index("not_yet_seen")] == 4
    # all four waited more than 14 days by the end of March but the last (3 days)
    assert row[t.column_index("over_target")] == 3


def test_what_happens_after_the_quarter_leaves_its_report_as_it_was(
    team: EvalTeam, tmp_path: Path
) -> None:
    """The quarter's board report is written; in May a worker marks a goal set in February
    achieved, and their next bundle brings it in. The quarter's report written again says
    what it said: the goal was in progress at the quarter's end. (Counted "by status now",
    the second version differed, and was stopped as a changed republication.)"""
    first = export_report(team.supervisor.store, Scope(P), "csv", tmp_path / "q1.csv",
                          audience="external", today=dt.date(2026, 4, 7))  # fmt: skip
    person = team.people[team.workers[0]][4]  # their goal was set in February

    def achieve(cb: Any) -> None:
        (goal,) = list_goals(cb, person)
        change_goal_status(cb, goal.id, GoalStatus.ACHIEVED, on=dt.date(2026, 5, 12))

    team.later(0, achieve)
    # the same scope again: with different figures it is stopped (ChangedSinceEarlierReport)
    again = export_report(team.supervisor.store, Scope(P), "csv", tmp_path / "q1-again.csv",
                          audience="external", today=AFTER)  # fmt: skip
    assert again.section("goals") == first.section("goals")
    with team.supervisor.store.read() as s:
        assert s.scalar(select(Goal.status).where(Goal.participant_id == person)) == "achieved"


def test_an_onward_referral_moved_on_after_the_quarter_leaves_its_report_as_it_was(
    team: EvalTeam, tmp_path: Path
) -> None:
    """The quarter's report is written a week after it. In April the worker makes the
    referral still suggested at the quarter's end, and in May the one made in March is
    attended; their next bundle brings both. The quarter's report written again says what
    it said, and the board may publish it again unasked. (Before, making a suggestion moved
    its one date to April: it left the quarter, and the report was stopped as changed.)"""
    before = internal(team, dt.date(2026, 4, 7))
    first = export_report(team.supervisor.store, Scope(P), "csv", tmp_path / "q1.csv",
                          audience="external", today=dt.date(2026, 4, 7))  # fmt: skip
    people = team.people[team.workers[0]]
    suggested, made = people[6], people[5]

    def move_on(cb: Any) -> None:
        (o,) = list_onward_referrals(cb, suggested)
        update_onward(cb, o.id, OnwardStatus.MADE, on=dt.date(2026, 4, 14))
        (o,) = list_onward_referrals(cb, made)
        update_onward(cb, o.id, OnwardStatus.ATTENDED, on=dt.date(2026, 5, 6))

    team.later(0, move_on)
    after = internal(team, AFTER)
    assert after.section("onward") == before.section("onward")
    again = export_report(team.supervisor.store, Scope(P), "csv", tmp_path / "q1-again.csv",
                          audience="external", today=AFTER)  # fmt: skip
    assert again.section("onward") == first.section("onward")
    # the supervisor's vault holds both steps' days, as the laptop recorded them
    with team.supervisor.store.read() as s:
        row = s.execute(
            select(OnwardRow.status, OnwardRow.suggested_on, OnwardRow.made_on)
            .where(OnwardRow.participant_id == suggested)
        ).one()  # fmt: skip
    assert tuple(row) == ("made", dt.date(2026, 1, 19), dt.date(2026, 4, 14))
    # the second quarter counts the step made in it: 85 days from suggested to made
    q2 = report_from_store(team.supervisor.store, Scope(Period.parse("2026-04..2026-06")),
                           audience="internal", today=AFTER)  # fmt: skip
    times = q2.section("onward").table("onward_times")
    assert times.rows[0] == ("Suggested to made", 1, 85.0, 85.0)


def test_the_board_pdf_says_what_came_of_an_attempted_contact(
    team: EvalTeam, tmp_path: Path
) -> None:
    out = export_report(team.supervisor.store, Scope(P), "pdf", tmp_path / "board.pdf",
                        audience="internal", today=AFTER)  # fmt: skip
    assert out
    text = subprocess.run(["pdftotext", str(tmp_path / "board.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    words = " ".join(text.split())
    # the chart's words under it, as the board reads them: the attempts are not reached
    assert re.search(r"Attempted contact: attended 0, did not attend 0, cancelled 0, not "
                     rf"reached {len(team.workers)}", words)  # fmt: skip
    # the board reads when the waits and the goals' statuses were counted
    assert "Counted as at 31 March 2026: anyone first seen after that is not yet seen" in words
    assert "Status as at 31 March 2026" in words
    for word in ("client", "patient", "service user"):
        assert word not in words.lower()
