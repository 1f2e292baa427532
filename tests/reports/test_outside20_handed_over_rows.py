"""A supervisor checks one worker's figures (the Team dashboard with one worker chosen)
against the team's. A links worker saw a participant while offline and handed the supervisor
a bundle; the administrator then handed the case to a colleague, and the worker's contact,
never on the server, was refused there and stays on the worker's laptop only. The server's
next bundle moves the case and every row the server holds to the colleague; the contact the
laptop's bundle brought stays in the supervisor's vault under the first worker.

The team's figures counted the person as worked with under the colleague (a person counts
under their own worker); the first worker's own dashboard counted them under the first
worker, and the colleague's own dashboard not at all: one worker's figures were not their
row of the team's. Real laptops, a real sync server on 127.0.0.1, real age and minisign
bundles. Synthetic data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bundle_kit import Supervisor
from sync_kit import Dev, new_server

from linksdesk.reports.build import report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.server import admin
from linksdesk.server import bundles as server_bundles
from linksdesk.server import keys as server_keys
from linksdesk.sync.bundle import export, receive

JUNE = Period.parse("2026-06")


def test_one_workers_figures_are_their_row_of_the_teams(tmp_path: Path) -> None:
    server = new_server(tmp_path)
    team = server.team()
    first, colleague = server.worker(team), server.worker(team)
    laptop, theirs = Dev.create(tmp_path, "alpha"), Dev.create(tmp_path, "bravo")
    sup = Supervisor.create(tmp_path)
    made = iter(range(1, 10))

    def team_bundle() -> None:
        sealed = server_bundles.export(server.db, team, kind="supervision",
                                       recipients=[sup.recipient])  # fmt: skip
        path, _sig = sealed.write(tmp_path / f"team-{next(made)}.age")
        receive.import_bundle(sup.store, path, trust=server_keys.public_key(server.db).fingerprint)

    try:
        for dev, worker in ((laptop, first), (theirs, colleague)):
            dev.enrol(server, worker)
            dev.reopen()
        pid = laptop.participant()
        laptop.contact(pid, when=dt.datetime(2026, 5, 5, 10))
        assert laptop.sync().verified and theirs.sync().verified
        team_bundle()  # its roster brings both laptops
        june = laptop.contact(pid, when=dt.datetime(2026, 6, 10, 10))  # offline
        out = tmp_path / "alpha.age"
        export.export_to_file(laptop.store, out, kind="supervision", recipients=[sup.recipient])
        receive.import_bundle(sup.store, out)
        admin.handover(server.db, pid, colleague)
        assert laptop.sync().verified
        assert laptop.get("contact", june).sharing == "private"  # kept on the laptop only
        team_bundle()

        def caseload(workers: frozenset[str] | None) -> dict[str, tuple[int, int]]:
            report = report_from_store(sup.store, Scope(JUNE, workers), audience="internal")
            table = report.section("caseload").table("caseload")
            return {row[0]: (row[2], row[3]) for row in table.rows}  # worked with, referrals

        team_rows = caseload(None)
        for worker in (first, colleague):
            own = caseload(frozenset({worker}))
            label = f"Worker {worker[-6:]}"
            assert own[label] == team_rows[label], (label, own, team_rows)
        assert team_rows[f"Worker {colleague[-6:]}"] == (1, 0)  # seen in June, their case now
    finally:
        laptop.close()
        theirs.close()
        sup.vault.lock()
        server.close()
