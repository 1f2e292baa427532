"""A supervisor in a hurry reads "Data as of" per worker on the Team dashboard (and a board
in the PDF) and takes a date held back, or a date that looks stale, at its word. Two ways the
date was right but the report did not say why:

- a whole-caseload bundle of 1 July, then a bundle of October to November: the date stays
  at 1 July (a case referred and closed in August and September is in neither bundle), and
  nothing said that a later bundle had come and was set aside for the gap: the supervisor
  saw a date four months old beside a bundle they had just imported;
- a team's bundle from the server holds everything the team's laptops had synced, but an
  older server's does not say when each laptop last synced, so a worker who recorded nothing
  for weeks had the date of their newest record and was flagged as stale, with nothing
  saying that the server's newer bundle held all they had synced by then (a server that
  says it makes the date their last sync, and the words say so);
- a worker with two laptops hands over a bundle from one that last synced weeks ago: the
  date is its making (the manifest does not carry its last sync, so the date cannot be
  corrected without a change of the bundle format), while what they recorded on the other
  laptop since is missing, and nothing said so.

Real laptop and supervisor vaults, a real sync server, real age and minisign bundles, the
PDF read back with pdftotext. Synthetic data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from documents_kit import pdf_text
from small_team import laptop_and_supervisor, sharing_person
from test_outside19_data_as_of import _at_clock as _at
from test_outside19_data_as_of import (
    _bundle,
    _made,
    an_older_server,
    laptop_of_a_team,
    mays_case_on_two_laptops,
)

from linksdesk.casework import bundles, participants, supervision
from linksdesk.reports.build import report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.server import admin
from linksdesk.server import bundles as server_bundles
from linksdesk.server import keys as server_keys
from linksdesk.storage.store import Store
from linksdesk.sync.bundle import export, keys, receive

SCOPE = Scope(Period.parse("2026-04..2026-11"))


def _freshness(store: Store) -> tuple[dt.datetime | None, tuple[str, ...]]:
    table = report_from_store(store, SCOPE, audience="internal").section("freshness")
    [(_worker, as_of, *_rest)] = table.table("freshness").rows
    return as_of, table.table("freshness").warnings


def test_a_gap_that_holds_the_date_back_is_said(tmp_path: Path) -> None:
    whole_made = dt.datetime(2026, 7, 1, 12)
    with laptop_and_supervisor(tmp_path) as (laptop, sup, _carry):
        _at(laptop.store, dt.datetime(2026, 5, 4, 9))
        sharing_person(laptop, 0, referred=dt.date(2026, 5, 4))
        whole = _bundle(laptop, sup, tmp_path / "whole.age", whole_made, None)
        _at(laptop.store, dt.datetime(2026, 8, 3, 9))  # referred in August, closed in September
        summer = sharing_person(laptop, 1, referred=dt.date(2026, 8, 3))
        _at(laptop.store, dt.datetime(2026, 9, 10, 9))
        participants.close_participant(laptop, summer, "Goals met", on=dt.date(2026, 9, 10))
        _at(laptop.store, dt.datetime(2026, 10, 5, 9))
        sharing_person(laptop, 2, referred=dt.date(2026, 10, 5))
        later = _bundle(laptop, sup, tmp_path / "later.age", dt.datetime(2026, 11, 30, 12),
                        ("2026-10", "2026-11"))  # fmt: skip
        bundles.import_file(sup, whole, trust=bundles.show_keys(laptop).signing.fingerprint)
        bundles.import_file(sup, later)

        as_of, warnings = _freshness(sup.store)
        assert as_of == whole_made  # held back by the gap (outside19), as before
        said = [w for w in warnings if "October to November 2026" in w]
        assert len(said) == 1 and "between the date shown and October 2026" in said[0], warnings
        pdf = tmp_path / "board.pdf"  # what a board reads
        supervision.write_report(sup, SCOPE, "pdf", pdf, audience="external")
        text = " ".join(pdf_text(pdf).split())
        assert "a bundle covering October to November 2026 has come" in text, text

        # the worker fills the gap: the date moves on, and the words go
        bundles.import_file(
            sup,
            _bundle(
                laptop,
                sup,
                tmp_path / "q3.age",
                dt.datetime(2026, 11, 30, 13),
                ("2026-07", "2026-09"),
            ),
        )
        as_of, warnings = _freshness(sup.store)
        assert as_of == dt.datetime(2026, 11, 30, 12)
        assert not any("has come, but none covering" in w for w in warnings), warnings


def test_a_quiet_worker_in_the_servers_bundle_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with laptop_of_a_team(tmp_path) as (server, dev, sup, team, real):
        _at(dev.store, dt.datetime(2026, 5, 4, 9))
        may = dev.participant()
        dev.edit("participant", may, referred_on=dt.date(2026, 5, 4))
        _at(dev.store, dt.datetime(2026, 8, 30, 12))  # the worker's last record
        dev.contact(may, when=dt.datetime(2026, 8, 30, 10))
        dev.store.clock._now_ms = real
        before = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        dev.sync()  # synced today, with nothing new since August
        after = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        an_older_server(monkeypatch)  # its bundle does not say when the worker last synced
        sealed = server_bundles.export(server.db, team, kind="supervision",
                                       recipients=[sup.recipient])  # fmt: skip
        made = dt.datetime.now(dt.UTC)
        team_bundle, _sig = sealed.write(tmp_path / "team.age")
        receive.import_bundle(
            sup.store, team_bundle, trust=server_keys.public_key(server.db).fingerprint
        )
        as_of, warnings = _freshness(sup.store)
        assert as_of == dt.datetime(2026, 8, 30, 12)  # never later than what it can vouch for
        said = [w for w in warnings if "server's bundle made" in w]
        assert len(said) == 1 and f"{made:%d %B %Y}" in said[0], warnings
        assert "when they last synced" in said[0]

        # this server's bundle says when the worker last synced: that is the date now
        monkeypatch.undo()
        sealed = server_bundles.export(server.db, team, kind="supervision",
                                       recipients=[sup.recipient])  # fmt: skip
        receive.import_bundle(sup.store, sealed.write(tmp_path / "now.age")[0])
        as_of, warnings = _freshness(sup.store)
        assert as_of is not None and before <= as_of <= after, (before, as_of, after)
        assert not any("server's bundle made" in w for w in warnings), warnings
        said = [w for w in warnings if "when they last synced" in w]
        assert len(said) == 1 and f"the server's bundle of {made:%d %B %Y}" in said[0], warnings
        assert not any("newest record" in w for w in warnings), warnings

        # the laptop's own bundle, made now: its making is the date, no words needed
        own = tmp_path / "own.age"
        export.export_to_file(dev.store, own, kind="supervision", recipients=[sup.recipient])
        receive.import_bundle(sup.store, own)
        as_of, warnings = _freshness(sup.store)
        assert as_of is not None and as_of.date() >= made.date() - dt.timedelta(days=1)
        assert not any("server's bundle made" in w for w in warnings), warnings
        assert not any("one of their laptops" in w for w in warnings), warnings  # it has one


def test_one_of_two_laptops_bundle_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the office laptop's last sync is May's (by the laptops' clocks, set back: the server's
    # bundle, which would say the real time, is an older server's)
    an_older_server(monkeypatch)
    with mays_case_on_two_laptops(tmp_path) as (server, office, venues, sup, _may):
        team = admin.find_worker(server.db, office.worker_id).team_id
        sealed = server_bundles.export(server.db, team, kind="supervision",
                                       recipients=[sup.recipient])  # fmt: skip
        team_bundle, _sig = sealed.write(tmp_path / "team.age")
        receive.import_bundle(  # its roster names both laptops
            sup.store, team_bundle, trust=server_keys.public_key(server.db).fingerprint
        )
        _at(venues.store, dt.datetime(2026, 10, 15, 9))  # at a venue, not synced since
        october = venues.participant()
        venues.edit("participant", october, referred_on=dt.date(2026, 10, 2))
        made = dt.datetime(2026, 11, 30, 12)  # the office laptop, weeks after its last sync
        receive.import_bundle(sup.store, _made(office.store, tmp_path / "office.age", sup, made))

        report = report_from_store(sup.store, SCOPE, audience="internal")
        fresh = report.section("freshness").table("freshness")
        [(_worker, as_of, _days, on_record)] = fresh.rows
        assert as_of == made and on_record == 1  # October's person has not come
        said = [w for w in fresh.warnings if "one of their laptops" in w]
        assert len(said) == 1 and "another of their laptops" in said[0], fresh.warnings
        assert keys.signing_key(venues.store).public.fingerprint not in said[0]
