"""Bundles brought in out of order: one made before a person withdrew team sharing, imported
after the one that carries the withdrawal, put the person's record back in the supervisor's
vault (the withdrawal's purge had left no trace of it). The vault now remembers the
withdrawal, and only a team consent given again, later, shares the person once more."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bundle_kit import Laptop, Supervisor
from sync_kit import _backfill

from linksdesk.storage.tables import Consent, Contact, Participant
from linksdesk.sync.bundle import export, keys, receive


def _team_consent(lap: Laptop, pid: str, given: bool, version: int) -> None:
    with lap.store.write() as tx:
        tx.insert(Consent(participant_id=pid, scope="team", given=given, version=version,
                          recorded_on=dt.date(2026, 6, 1), method="verbal"))  # fmt: skip
        tx.forget_consent_cache()
        if given:  # as casework does when consent is given again: the record is sent anew
            _backfill(tx, tx.session.get(Participant, pid))


def _bundle(lap: Laptop, sup: Supervisor, out: Path) -> Path:
    export.export_to_file(lap.store, out, kind="supervision", recipients=[sup.recipient])
    return out


def _held(sup: Supervisor, pid: str, contact: str) -> tuple[bool, bool]:
    with sup.store.read() as s:
        return s.get(Participant, pid) is not None, s.get(Contact, contact) is not None


def test_an_older_bundle_imported_later_does_not_bring_back_a_withdrawn_person(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    leaving = laptop.person()
    contact = laptop.contact(leaving)
    staying = laptop.person()
    before = _bundle(laptop, supervisor, tmp_path / "monday.age")
    _team_consent(laptop, leaving, given=False, version=2)
    after = _bundle(laptop, supervisor, tmp_path / "tuesday.age")
    fingerprint = keys.signing_key(laptop.store).public.fingerprint
    receive.import_bundle(supervisor.store, after, trust=fingerprint)  # Tuesday's stick first
    receive.import_bundle(supervisor.store, before)
    assert _held(supervisor, leaving, contact) == (False, False)
    with supervisor.store.read() as s:
        assert s.get(Participant, staying) is not None
    # the person agrees to share again: the next bundle brings them back
    _team_consent(laptop, leaving, given=True, version=3)
    receive.import_bundle(supervisor.store, _bundle(laptop, supervisor, tmp_path / "wed.age"))
    assert _held(supervisor, leaving, contact) == (True, True)
