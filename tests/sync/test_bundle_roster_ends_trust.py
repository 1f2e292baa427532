"""A laptop accepted by its fingerprint (``--trust``) stays trusted only while the server's
roster does not say otherwise. A newer roster of its team that no longer lists it (revoked,
lost, replaced) ends the trust, as it does for a laptop the roster itself introduced: its
bundles are refused with the reason and what to do, even if the supervisor gives the
fingerprint again. A roster that lists it again (enrolled again) brings it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_kit import Laptop, Supervisor, roster_file, signed_by_laptop

from linksdesk.sync.bundle import keys, receive
from linksdesk.sync.bundle.format import BundleRefused
from linksdesk.sync.bundle.signing import SigningKey


def _fingerprint(lap: Laptop) -> str:
    return keys.signing_key(lap.store).public.fingerprint


@pytest.mark.parametrize("team", ["team-north", None])
def test_a_newer_roster_that_leaves_a_laptop_out_ends_the_trust_given_by_phone(
    tmp_path: Path, supervisor: Supervisor, team: str | None
) -> None:
    lost = Laptop.create(tmp_path, "lost-laptop")
    colleague = Laptop.create(tmp_path, "colleague")
    server = SigningKey.generate()
    try:
        lost.person()
        first = signed_by_laptop(lost, supervisor, tmp_path / "first.age", team=team)
        receive.import_bundle(supervisor.store, first, trust=_fingerprint(lost))
        # the server's roster names the worker (on another laptop, team None) or only the
        # colleague (team-north): either way not this laptop
        named = lost.store.worker_id if team is None else None
        listed = roster_file(tmp_path / "r1.json", server, named, colleague)
        receive.import_roster(supervisor.store, listed, trust=server.public.fingerprint)
        lost.person(given_name="Later")
        late = signed_by_laptop(lost, supervisor, tmp_path / "late.age", team=team)
        before = supervisor.content_hash()
        for again in (None, _fingerprint(lost)):  # giving the fingerprint again changes nothing
            with pytest.raises(BundleRefused) as refused:
                receive.import_bundle(supervisor.store, late, trust=again)
            message = str(refused.value)
            assert "no longer lists" in message and "Nothing was imported" in message
            assert "import the team's newest roster" in message
            assert not getattr(refused.value, "may_accept", True)  # the window offers no "accept"
        assert supervisor.content_hash() == before
        # enrolled again: the server lists it once more, and its bundles are taken
        back = roster_file(tmp_path / "r2.json", server, lost.store.worker_id, colleague, lost)
        receive.import_roster(supervisor.store, back)
        now_listed = signed_by_laptop(lost, supervisor, tmp_path / "now.age", team="team-north")
        assert receive.import_bundle(supervisor.store, now_listed).applied > 0
    finally:
        lost.close()
        colleague.close()


def test_a_roster_of_another_team_leaves_a_laptop_it_does_not_know_alone(
    tmp_path: Path, supervisor: Supervisor
) -> None:
    """A laptop of a worker the roster does not name, in no team it covers, keeps the trust
    a person gave it: the roster says nothing about it."""
    solo = Laptop.create(tmp_path, "solo")
    colleague = Laptop.create(tmp_path, "colleague")
    server = SigningKey.generate()
    try:
        solo.person()
        first = signed_by_laptop(solo, supervisor, tmp_path / "first.age", team="team-south")
        receive.import_bundle(supervisor.store, first, trust=_fingerprint(solo))
        roster = roster_file(tmp_path / "r1.json", server, None, colleague)
        receive.import_roster(supervisor.store, roster, trust=server.public.fingerprint)
        solo.person(given_name="Later")
        late = signed_by_laptop(solo, supervisor, tmp_path / "late.age", team="team-south")
        assert receive.import_bundle(supervisor.store, late).applied > 0
    finally:
        solo.close()
        colleague.close()
