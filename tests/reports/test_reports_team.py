"""The team filter: a report for one team counts only the workers whose bundles came for it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from expected import expected
from team_kit import LOOKUP, PASSPHRASE, PERIOD, TODAY

from linksdesk.core.errors import ValidationError
from linksdesk.reports.build import report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.reports.teams import resolve_team, team_label, teams_in

TEAM_A = "7e4d1c2a-0000-4000-8000-00000000aaa1"
TEAM_B = "7e4d1c2a-0000-4000-8000-00000000bbb2"


@pytest.fixture(scope="module")
def two_teams(team: Any) -> tuple[Any, Any, list[str]]:
    """The demo team's imported bundles split between two teams (as their roster says)."""
    supervisor, ledger = team
    a = sorted(ledger.workers)[:2]
    with supervisor.store.write() as tx:
        run = tx.session.connection().exec_driver_sql
        for w in ledger.workers:
            run("UPDATE bundle_ledger SET team_id = ? WHERE worker_id = ?",
                (TEAM_A if w in a else TEAM_B, w))  # fmt: skip
    return supervisor, ledger, a


def test_teams_come_from_the_imported_bundles(two_teams: Any) -> None:
    supervisor, ledger, a = two_teams
    teams = teams_in(supervisor.store)
    assert teams == {TEAM_A: frozenset(a), TEAM_B: frozenset(ledger.workers) - set(a)}
    assert resolve_team(supervisor.store, "aaa1") == (TEAM_A, frozenset(a))
    assert resolve_team(supervisor.store, team_label(TEAM_B))[0] == TEAM_B
    with pytest.raises(ValidationError, match="Teams in this vault: Team 00aaa1, Team 00bbb2"):
        resolve_team(supervisor.store, "nobody")


def test_a_team_report_counts_only_its_workers(two_teams: Any) -> None:
    supervisor, ledger, a = two_teams
    _tid, members = resolve_team(supervisor.store, "aaa1")
    report = report_from_store(supervisor.store, Scope(Period.parse(PERIOD), members,
                               team_label(TEAM_A)), audience="internal", today=TODAY)  # fmt: skip
    assert report.scope_label == "Team 00aaa1"
    caseload = report.section("caseload").table("caseload")
    assert sorted(r[0] for r in caseload.rows[:-1]) == sorted(f"Worker {w[-6:]}" for w in a)
    assert caseload.rows[-1][0] == "All workers"
    # golden: the team's people worked with, counted from what went in for those workers only
    p = Period.parse(PERIOD)
    want = expected(ledger, p.first, p.last, TODAY, LOOKUP)["caseload"]
    for key in ("worked_with", "new_referrals", "open_now"):
        assert caseload.rows[-1][caseload.column_index(key)] == sum(want[w][key] for w in a), key
    everyone = report_from_store(supervisor.store, Scope(Period.parse(PERIOD)),
                                 audience="internal", today=TODAY)  # fmt: skip
    total = everyone.section("caseload").table("caseload").rows[-1]
    assert (
        caseload.rows[-1][caseload.column_index("worked_with")]
        < total[caseload.column_index("worked_with")]
    )


def test_report_command_line_with_a_team(two_teams: Any, tmp_path: Path) -> None:
    supervisor, ledger, a = two_teams
    env = dict(os.environ, LINKSDESK_PASSPHRASE=PASSPHRASE, LINKSDESK_KDF_PROFILE="fast",
               HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path / "state"))  # fmt: skip
    base = [sys.executable, "-m", "linksdesk", "report", "--vault", str(supervisor.path),
            "--period", PERIOD, "--format", "xlsx", "--audience", "internal"]  # fmt: skip
    out = tmp_path / "team.xlsx"
    done = subprocess.run([*base, "--team", "aaa1", "--out", str(out)],
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    wb = openpyxl.load_workbook(out)
    caseload = next(ws for ws in wb.worksheets if ws.cell(1, 1).value == "Caseload per worker")
    names = [caseload.cell(r, 1).value for r in range(5, 5 + len(a) + 1)]
    assert sorted(names[:-1]) == sorted(f"Worker {w[-6:]}" for w in a)
    assert names[-1] == "All workers"
    assert caseload.cell(5 + len(a) + 1, 1).value is None
    # a worker outside the team, and a team nobody has: clear messages, no file
    other = next(w for w in ledger.workers if w not in a)
    for extra in (["--team", "aaa1", "--worker", other[-6:]], ["--team", "zzz"]):
        bad = tmp_path / "bad.xlsx"
        done = subprocess.run([*base, *extra, "--out", str(bad)],
                              env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode != 0 and "team" in done.stderr.lower(), done.stderr
        assert not bad.exists()
