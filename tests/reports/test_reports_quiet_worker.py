"""A worker the supervisor's vault knows of (the team's roster names their laptop) whose data
never came: the reports left them out altogether, so a team's figures looked complete and
"Data as of" said nothing of the missing worker. They now have a row in every per-worker
table and "Data as of" says no data from them has reached the vault."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from documents_kit import pdf_text
from small_team import sharing_person, supervisor_with
from test_cli import PASSPHRASE, linksdesk

from linksdesk.casework.casebook import Casebook
from linksdesk.reports.build import report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.reports.teams import resolve_team, team_label
from linksdesk.sync import state
from linksdesk.sync.bundle import receive
from linksdesk.sync.bundle.format import sign_roster
from linksdesk.sync.bundle.signing import SigningKey

TEAM = "7e4d1c2a-0000-4000-8000-0000000000q1"
QUIET = "7e4d1c2a-0000-4000-8000-00000quiet02"
PERIOD = Period.parse("2026-03")
NO_DATA = "Worker uiet02: no data from this worker has reached this vault."


def _one_busy_worker(laptop: Casebook) -> None:
    with laptop.store.write() as tx:
        state.put(tx.session, state.TEAM_ID, TEAM)  # as enrolment with the team's server sets
    for n in range(3):
        sharing_person(laptop, n)


def _roster_naming_a_quiet_laptop(path: Path) -> str:
    """The server's roster of the team, naming a second worker's laptop; its signer."""
    server, laptop = SigningKey.generate(), SigningKey.generate().public
    entry = {"fingerprint": laptop.fingerprint, "public_key": laptop.line, "worker_id": QUIET,
             "device_id": "laptop-2", "label": "laptop 2"}  # fmt: skip
    path.write_text(json.dumps(sign_roster([entry], team_id=TEAM, team="North", key=server)))
    return server.public.fingerprint


def test_a_worker_whose_data_never_came_is_shown_as_such(tmp_path: Path) -> None:
    roster = tmp_path / "roster.json"
    with supervisor_with(tmp_path, _one_busy_worker) as sup:
        receive.import_roster(sup.store, roster, trust=_roster_naming_a_quiet_laptop(roster))
        team, members = resolve_team(sup.store, TEAM)
        assert QUIET in members and len(members) == 2
        scopes = (Scope(PERIOD), Scope(PERIOD, members, team_label(team)))
        reports = [
            report_from_store(sup.store, scope, audience=audience, today=dt.date(2026, 4, 1))
            for scope in scopes
            for audience in ("internal", "external")
        ]
    for report in reports:
        caseload = report.section("caseload").table("caseload")
        # external reports have no "open now" (counted the day they are made)
        zeros = (0, 0, 0) if report.audience == "internal" else (0, 0)
        assert ("Worker uiet02", *zeros) in caseload.rows
        if report.audience == "internal":  # (3 is hidden in the external one)
            assert caseload.rows[-1][1] == 3  # the team's total is the busy worker's
        fresh = report.section("freshness").table("freshness")
        quiet = next(r for r in fresh.rows if r[0] == "Worker uiet02")
        assert quiet[1] is None and NO_DATA in fresh.warnings
    # the board's PDF, made on the command line, says it too
    out = tmp_path / "board.pdf"
    done = linksdesk(tmp_path / "home", "report", "--vault", str(tmp_path / "sup.vault"),
                     "--period", "2026-03", "--team", TEAM, "--format", "pdf", "--out",
                     str(out), passphrase=PASSPHRASE)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert NO_DATA in pdf_text(out)
