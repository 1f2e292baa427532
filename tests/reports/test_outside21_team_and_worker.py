"""A supervisor writes the board's report for one worker of a team (the dashboard's team box
and worker box both set, or ``linksdesk report --team T --worker W``). The figures are that
worker's alone, but the file said "Workers: Team 00aaa1", and its "All workers" row read as
the team's totals: a board took one worker's caseload for the whole team's. Synthetic data,
real laptops' bundles, the command line, the CSV file read back with csv."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from evaluation_kit import PERIOD, build_eval_team
from team_kit import PASSPHRASE

from linksdesk.reports.teams import team_label

TEAM = "7e4d1c2a-0000-4000-8000-00000000aaa1"


def test_one_workers_report_within_a_team_names_the_worker(tmp_path: Path) -> None:
    team = build_eval_team(tmp_path)
    try:
        with team.supervisor.store.write() as tx:  # the three workers' bundles came for one team
            tx.session.connection().exec_driver_sql("UPDATE bundle_ledger SET team_id = ?", (TEAM,))
    finally:
        team.supervisor.lock()
    worker = team.workers[0]
    out = tmp_path / "board.csv"
    env = dict(os.environ, LINKSDESK_PASSPHRASE=PASSPHRASE, HOME=str(tmp_path),
               XDG_STATE_HOME=str(tmp_path / "state"))  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "linksdesk", "report", "--vault", str(tmp_path / "supervisor.vault"),
         "--period", PERIOD, "--format", "csv", "--audience", "external", "--team", "aaa1",
         "--worker", worker[-6:], "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with out.open(newline="", encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))
    head = {row[0]: row[1] for row in lines[:7] if len(row) == 2}
    at = lines.index(["Caseload per worker"])
    rows = [row[0] for row in lines[at + 2 : at + 4]]
    assert rows == [f"Worker {worker[-6:]}", "All workers"]  # one worker's figures
    assert head["Workers"] != team_label(TEAM)
    assert f"Worker {worker[-6:]}" in head["Workers"], head["Workers"]
