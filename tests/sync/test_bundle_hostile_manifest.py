"""Bundles whose manifest says more than its signer may: counts that do not add up, another
team than the laptop's, a worker whose laptops the server's roster lists signed by a key it
does not list, pseudonyms described by something other than their description. Each is
refused in plain words, and nothing changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor, roster_file, signed_by_laptop

from linksdesk.reports.teams import teams_in
from linksdesk.sync.bundle import format as bundle_format
from linksdesk.sync.bundle import keys, receive
from linksdesk.sync.bundle.format import BundleRefused, Sender, seal
from linksdesk.sync.bundle.signing import SigningKey


def _first_import(lap: Laptop, sup: Supervisor, tmp_path: Path, team: str | None) -> None:
    lap.person()
    fingerprint = keys.signing_key(lap.store).public.fingerprint
    first = signed_by_laptop(lap, sup, tmp_path / "first.age", team=team)
    receive.import_bundle(sup.store, first, trust=fingerprint)
    lap.person(given_name="Later")


@pytest.mark.parametrize("lie", ["one-table", "extra-table", "total"])
def test_a_manifest_whose_counts_lie_is_refused(
    tmp_path: Path,
    laptop: Laptop,
    supervisor: Supervisor,
    monkeypatch: pytest.MonkeyPatch,
    lie: str,
) -> None:
    _first_import(laptop, supervisor, tmp_path, None)
    real = bundle_format.records_bytes

    def miscounted(records: Any) -> tuple[bytes, dict[str, int]]:
        data, counts = real(records)
        if lie == "one-table":
            counts = {**counts, "participant": counts["participant"] + 1000}
        elif lie == "extra-table":
            counts = {**counts, "contact": 7}
        return data, counts

    monkeypatch.setattr(bundle_format, "records_bytes", miscounted)
    extra = {"records": 1} if lie == "total" else {}
    out = signed_by_laptop(laptop, supervisor, tmp_path / "b.age", team=None, extra=extra or None)
    monkeypatch.undo()
    before = supervisor.content_hash()
    with pytest.raises(BundleRefused, match="do not add up to the counts") as refused:
        receive.import_bundle(supervisor.store, out)
    assert "Nothing was imported" in str(refused.value)
    assert supervisor.content_hash() == before
    # the honest bundle of the same rows imports, and its ledger counts are the rows'
    honest = signed_by_laptop(laptop, supervisor, tmp_path / "c.age", team=None)
    report = receive.import_bundle(supervisor.store, honest)
    assert sum(report.counts.values()) == report.applied + report.unchanged


@pytest.mark.parametrize("claim", ["sender", "manifest"])
def test_a_laptop_cannot_place_its_worker_in_another_team(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, claim: str
) -> None:
    _first_import(laptop, supervisor, tmp_path, "team-north")
    assert set(teams_in(supervisor.store)) == {"team-north"}
    if claim == "sender":  # the whole sender claims the other team
        out = signed_by_laptop(laptop, supervisor, tmp_path / "b.age", team="team-south")
    else:  # the sender is right, the manifest's team (what the ledger keeps) is not
        out = signed_by_laptop(
            laptop,
            supervisor,
            tmp_path / "b.age",
            team="team-north",
            extra={"team_id": "team-south"},
        )
    before = supervisor.content_hash()
    with pytest.raises(BundleRefused, match="another team") as refused:
        receive.import_bundle(supervisor.store, out)
    assert "Nothing was imported" in str(refused.value) and "\n" not in str(refused.value)
    assert supervisor.content_hash() == before
    assert set(teams_in(supervisor.store)) == {"team-north"}
    # its own team's next bundle is taken as before
    again = signed_by_laptop(laptop, supervisor, tmp_path / "c.age", team="team-north")
    assert receive.import_bundle(supervisor.store, again).applied > 0


def test_a_key_accepted_by_phone_cannot_speak_for_a_worker_the_roster_lists(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    server = SigningKey.generate()
    worker = laptop.store.worker_id
    first = roster_file(tmp_path / "roster-1.json", server, worker, laptop)
    assert receive.import_roster(supervisor.store, first, trust=server.public.fingerprint) == 1
    other = Laptop.create(tmp_path, "other-laptop")  # not on the roster
    try:
        sealed = seal(
            [],
            kind="supervision",
            sender=Sender("device", "laptop", worker, other.store.device_id, "team-north"),
            key=keys.signing_key(other.store),
            recipients=[supervisor.recipient],
        )
        out, _ = sealed.write(tmp_path / "claims.age")
        stranger = keys.signing_key(other.store).public.fingerprint
        before = supervisor.content_hash()
        with pytest.raises(BundleRefused, match="roster lists") as refused:
            receive.import_bundle(supervisor.store, out, trust=stranger)
        assert "Nothing was imported" in str(refused.value)
        assert supervisor.content_hash() == before
        # the server's newer roster lists the worker's new laptop: its bundle is taken
        newer = roster_file(tmp_path / "roster-2.json", server, worker, laptop, other)
        assert receive.import_roster(supervisor.store, newer) == 1
        assert receive.import_bundle(supervisor.store, out).worker_id == worker
    finally:
        other.close()


@pytest.mark.parametrize("described", [7, "HMAC-SHA256", True], ids=["number", "text", "yes"])
def test_an_evaluation_manifest_whose_pseudonyms_are_not_described_is_refused_in_words(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, described: object
) -> None:
    """A program error once: the description was read as a set of named values."""
    laptop.person()
    fingerprint = keys.signing_key(laptop.store).public.fingerprint
    out = signed_by_laptop(
        laptop, supervisor, tmp_path / "b.age", [], kind="evaluation",
        extra={"pseudonyms": described},
    )  # fmt: skip
    before = supervisor.content_hash()
    with pytest.raises(BundleRefused, match="which programme key") as refused:
        receive.import_bundle(supervisor.store, out, trust=fingerprint)
    assert "Nothing was imported" in str(refused.value)
    assert supervisor.content_hash() == before
