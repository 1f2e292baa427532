"""A worker's data reaches a supervisor's vault in bundles of the whole caseload and in
bundles of some months only (``--period``). "Data as of" promises that everything the worker
recorded up to that time is here. Three ways it claimed more than the bundles held:

- an older bundle of the whole caseload imported after a newer bundle of a quarter: the older
  bundle took over the provenance of every row it carried too, so a record the quarter's
  bundle had brought newer was read as vouched for by the whole caseload's bundle, and "Data
  as of" said that record's time, while a case referred after the older bundle was missing;
- a bundle of the whole caseload, then a bundle of later months: a case referred and closed
  between the two is in neither, yet "Data as of" said the end of the later months.
- two laptops of one worker, each newer in one field of a case: the older whole-caseload
  bundle of one, imported after the other's quarter, wrote the case as held (its field won)
  and was named its source, and the case's clock (the other laptop's later change) was read
  as vouched for by the whole caseload. A record vouches no later than the making of the
  bundle named its source.

And one way it claimed less: a quarter's bundle bringing the very records a server's bundle
of the whole team had brought took them over, so what the server's bundle vouched for went
with them.

Real laptop and supervisor vaults, a real sync server, real age and minisign bundles. The
laptop's clock is set to the days the worker recorded on (as ``test_bundle_evaluation_newer``
does). Synthetic data."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Supervisor
from small_team import laptop_and_supervisor, sharing_person
from sync_kit import Dev, new_server, two_laptops

from linksdesk.casework import bundles, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.reports.build import report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.server import bundles as server_bundles
from linksdesk.server import keys as server_keys
from linksdesk.storage.store import Store
from linksdesk.sync.bundle import export, keys, receive

SCOPE = Scope(Period.parse("2026-04..2026-11"))


def _at_clock(store: Store, when: dt.datetime) -> None:
    """The vault's clock reads ``when`` (UTC) from now on."""
    ms = int(when.replace(tzinfo=dt.UTC).timestamp() * 1000)
    store.clock._now_ms = lambda: ms
    store.clock.rewind()


def _at(laptop: Casebook, when: dt.datetime) -> None:
    _at_clock(laptop.store, when)


def _bundle(
    laptop: Casebook, sup: Casebook, out: Path, made: dt.datetime, period: tuple[str, str] | None
) -> Path:
    """The laptop's supervision bundle as made on ``made`` (kept valid until today)."""
    recipient = bundles.bundle_key_state(sup)[1]
    assert recipient is not None
    export.export_to_file(laptop.store, out, kind="supervision", recipients=[recipient],
                          period=period, now=made.replace(tzinfo=dt.UTC),
                          valid_days=3650)  # fmt: skip
    return out


def _made(
    store: Store,
    out: Path,
    sup: Supervisor,
    made: dt.datetime,
    period: tuple[str, str] | None = None,
) -> Path:
    """A laptop's supervision bundle for ``sup`` as made on ``made`` (valid until today)."""
    export.export_to_file(store, out, kind="supervision", recipients=[sup.recipient],
                          period=period, now=made.replace(tzinfo=dt.UTC),
                          valid_days=3650)  # fmt: skip
    return out


def _as_of(sup: Casebook) -> tuple[dt.datetime | None, int]:
    """What the internal report says: the data's time, and the participants on record."""
    report = report_from_store(sup.store, SCOPE, audience="internal")
    [(_worker, as_of, _days, on_record)] = report.section("freshness").table("freshness").rows
    assert as_of == report.data_as_of
    return as_of, on_record


def test_an_older_whole_caseload_bundle_after_a_newer_quarter(tmp_path: Path) -> None:
    whole_made = dt.datetime(2026, 9, 1, 12)
    with laptop_and_supervisor(tmp_path) as (laptop, sup, _carry):
        _at(laptop, dt.datetime(2026, 5, 4, 9))
        may = sharing_person(laptop, 0, referred=dt.date(2026, 5, 4))
        whole = _bundle(laptop, sup, tmp_path / "whole.age", whole_made, None)
        # after the whole caseload's bundle: May's person's postcode corrected (a case the
        # quarter's bundle carries) and a new person referred in October (which it does not)
        _at(laptop, dt.datetime(2026, 10, 15, 10))
        participants.edit_participant(laptop, may, postcode="G1 1AA")
        sharing_person(laptop, 1, referred=dt.date(2026, 10, 2))
        quarter = _bundle(laptop, sup, tmp_path / "q2.age", dt.datetime(2026, 11, 30, 12),
                          ("2026-04", "2026-06"))  # fmt: skip

        fingerprint = bundles.show_keys(laptop).signing.fingerprint
        bundles.import_file(sup, quarter, trust=fingerprint)
        assert _as_of(sup) == (dt.datetime(2026, 6, 30, 23, 59, 59), 1)
        bundles.import_file(sup, whole)  # the older bundle, found on the stick later
        as_of, on_record = _as_of(sup)
        assert on_record == 1  # October's person has not come
        # everything up to the whole caseload's bundle is here; nothing after it vouches
        # for the caseload (October's correction came with one case, in the quarter's bundle)
        assert as_of == whole_made, as_of


def test_a_case_referred_and_closed_between_two_bundles(tmp_path: Path) -> None:
    whole_made = dt.datetime(2026, 7, 1, 12)
    with laptop_and_supervisor(tmp_path) as (laptop, sup, _carry):
        _at(laptop, dt.datetime(2026, 5, 4, 9))
        sharing_person(laptop, 0, referred=dt.date(2026, 5, 4))
        whole = _bundle(laptop, sup, tmp_path / "whole.age", whole_made, None)
        # referred in August and closed in September: open in neither bundle's months
        _at(laptop, dt.datetime(2026, 8, 3, 9))
        summer = sharing_person(laptop, 1, referred=dt.date(2026, 8, 3))
        _at(laptop, dt.datetime(2026, 9, 10, 9))
        participants.close_participant(laptop, summer, "Goals met", on=dt.date(2026, 9, 10))
        _at(laptop, dt.datetime(2026, 10, 5, 9))
        sharing_person(laptop, 2, referred=dt.date(2026, 10, 5))
        later = _bundle(laptop, sup, tmp_path / "later.age", dt.datetime(2026, 11, 30, 12),
                        ("2026-10", "2026-11"))  # fmt: skip

        fingerprint = bundles.show_keys(laptop).signing.fingerprint
        bundles.import_file(sup, whole, trust=fingerprint)
        bundles.import_file(sup, later)
        as_of, on_record = _as_of(sup)
        assert on_record == 2  # August's person is in neither bundle
        # the data is whole up to the first bundle only: August and September are missing
        assert as_of == whole_made, as_of

        # the worker fills the gap with the third quarter's bundle: whole to November's end
        summer_made = dt.datetime(2026, 11, 30, 13)
        bundles.import_file(sup, _bundle(laptop, sup, tmp_path / "q3.age", summer_made,
                                         ("2026-07", "2026-09")))  # fmt: skip
        assert _as_of(sup) == (dt.datetime(2026, 11, 30, 12), 3)


def an_older_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's bundles made from now on as a server before its migration 0006 made
    them: the manifest does not say when each worker last synced."""
    real = server_bundles.seal

    def seal(records: Any, *, extra: dict[str, Any] | None = None, **given: Any) -> Any:
        older = {k: v for k, v in (extra or {}).items() if k != "synced"}
        return real(records, extra=older, **given)

    monkeypatch.setattr(server_bundles, "seal", seal)


@contextlib.contextmanager
def laptop_of_a_team(tmp_path: Path) -> Iterator[tuple[Any, Dev, Supervisor, str, Any]]:
    """A server, one worker's laptop enrolled in a team, and a supervisor: (server, laptop,
    supervisor, team, the laptop clock's own reading, to put back after setting it)."""
    server = new_server(tmp_path)
    dev = Dev.create(tmp_path, "laptop")
    sup = Supervisor.create(tmp_path)
    try:
        dev.enrol(server, server.worker(team := server.team()))
        yield server, dev, sup, team, dev.store.clock._now_ms
    finally:
        dev.close()
        sup.vault.lock()
        server.close()


def test_a_quarter_after_the_servers_bundle_takes_nothing_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    an_older_server(monkeypatch)  # its bundle's date is the newest record's, as it was then
    with laptop_of_a_team(tmp_path) as (server, dev, sup, team, real):
        _at_clock(dev.store, dt.datetime(2026, 2, 20, 9))  # a case of January, closed
        closed = dev.participant()
        dev.edit("participant", closed, referred_on=dt.date(2026, 1, 10), status="closed",
                 status_reason="Goals met", closed_on=dt.date(2026, 2, 20))  # fmt: skip
        _at_clock(dev.store, dt.datetime(2026, 5, 4, 9))  # a case of May
        may = dev.participant()
        dev.edit("participant", may, referred_on=dt.date(2026, 5, 4))
        _at_clock(dev.store, dt.datetime(2026, 8, 30, 12))
        dev.contact(may, when=dt.datetime(2026, 8, 30, 10))
        dev.store.clock._now_ms = real
        dev.sync()  # everything recorded is on the server now
        sealed = server_bundles.export(server.db, team, kind="supervision",
                                       recipients=[sup.recipient])  # fmt: skip
        whole, _sig = sealed.write(tmp_path / "team.age")
        receive.import_bundle(sup.store, whole, trust=server_keys.public_key(server.db).fingerprint)
        as_of = report_from_store(sup.store, SCOPE, audience="internal").data_as_of
        assert as_of == dt.datetime(2026, 8, 30, 12)  # the newest record's clock
        # the worker also hands over the second quarter on a stick: the same records of May's
        # case, as the server's bundle brought them, and nothing newer
        quarter = tmp_path / "q2.age"
        export.export_to_file(dev.store, quarter, kind="supervision", recipients=[sup.recipient],
                              period=("2026-04", "2026-06"))  # fmt: skip
        receive.import_bundle(sup.store, quarter)
        later = report_from_store(sup.store, SCOPE, audience="internal").data_as_of
        assert later == as_of, later


@contextlib.contextmanager
def mays_case_on_two_laptops(tmp_path: Path) -> Iterator[tuple[Any, Dev, Dev, Supervisor, str]]:
    """A server, one worker's two laptops both holding May's case (referred on 4 May 2026,
    synced on both) and a supervisor: (server, office, venues, supervisor, May's id)."""
    server = new_server(tmp_path)
    office, venues = two_laptops(server, lambda label: Dev.create(tmp_path, label))
    sup = Supervisor.create(tmp_path)
    try:
        _at_clock(office.store, dt.datetime(2026, 5, 4, 9))
        may = office.participant()
        office.edit("participant", may, referred_on=dt.date(2026, 5, 4))
        office.sync()
        venues.sync()
        yield server, office, venues, sup, may
    finally:
        office.close()
        venues.close()
        sup.vault.lock()
        server.close()


def test_two_laptops_each_newer_in_one_field(tmp_path: Path) -> None:
    with mays_case_on_two_laptops(tmp_path) as (_server, office, venues, sup, may):
        _at_clock(office.store, dt.datetime(2026, 8, 30, 9))
        office.edit("participant", may, postcode="G1 1AA")
        whole = _made(office.store, tmp_path / "office.age", sup, dt.datetime(2026, 9, 1, 12))
        # the other laptop, not synced since: its own change to the case, and a new person
        _at_clock(venues.store, dt.datetime(2026, 10, 15, 9))
        venues.edit("participant", may, phone="07700 900123")
        october = venues.participant()
        venues.edit("participant", october, referred_on=dt.date(2026, 10, 2))
        quarter = _made(venues.store, tmp_path / "venues.age", sup,
                        dt.datetime(2026, 11, 30, 12), ("2026-04", "2026-06"))  # fmt: skip

        receive.import_bundle(
            sup.store, quarter, trust=keys.signing_key(venues.store).public.fingerprint
        )
        # the office's older bundle, later: its postcode is newer than the venues laptop's,
        # so the case is now the office bundle's, whose making is the latest it vouches for
        receive.import_bundle(
            sup.store, whole, trust=keys.signing_key(office.store).public.fingerprint
        )
        report = report_from_store(sup.store, SCOPE, audience="internal")
        [(_worker, as_of, _days, on_record)] = report.section("freshness").table("freshness").rows
        assert on_record == 1  # October's person has not come
        assert as_of == dt.datetime(2026, 9, 1, 12), as_of


def test_a_laptop_whose_clock_runs_ahead(tmp_path: Path) -> None:
    """A laptop's clock ten hours fast (a wrong time zone set as UTC): its bundle, taken as
    made within the day's leeway, said the worker's data was as of a time still to come, later
    than the report itself was made."""
    ahead = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0) + dt.timedelta(hours=10)
    with laptop_and_supervisor(tmp_path) as (laptop, sup, _carry):
        _at(laptop, ahead)
        sharing_person(laptop, 0, referred=dt.date(2026, 5, 4))
        bundle = _bundle(laptop, sup, tmp_path / "fast.age", ahead, None)
        bundles.import_file(sup, bundle, trust=bundles.show_keys(laptop).signing.fingerprint)
        report = report_from_store(sup.store, SCOPE, audience="internal")
        assert report.data_as_of is not None
        assert report.data_as_of <= report.generated_at, (report.data_as_of, report.generated_at)
