"""A laptop's bundle that names no programme (the laptop never synced, or runs an older
LinksDesk) is placed by its key. A supervisor's vault that belongs to a programme does not
take one from a key a person is accepting now by its fingerprint: the phone call says whose
laptop it is, not which programme, and another programme's laptop that never synced would
put its worker's caseload into this programme's reports. Once the laptop's own bundle named
the vault's programme, its older unnamed one (made before it synced) is taken. Real age and
minisign keys, synthetic data."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_kit import PROGRAMME_KEY, Laptop, Supervisor, bundle_of, fingerprint_of, roster_file

from linksdesk.sync.bundle import evaluation, receive
from linksdesk.sync.bundle.format import BundleRefused
from linksdesk.sync.bundle.signing import SigningKey


def test_an_unnamed_laptop_is_refused_until_the_vault_can_place_it(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    # the vault belongs to the programme of the synced laptop it took first
    laptop.person()
    ours = bundle_of(laptop, supervisor, tmp_path / "ours.age")
    receive.import_bundle(supervisor.store, ours, trust=fingerprint_of(laptop))
    stranger = Laptop.create(tmp_path, "never-synced")
    try:
        stranger.person(given_name="Unplaced")
        unnamed = bundle_of(stranger, supervisor, tmp_path / "unnamed.age")
        before = supervisor.content_hash()
        with pytest.raises(BundleRefused) as refused:
            receive.import_bundle(supervisor.store, unnamed, trust=fingerprint_of(stranger))
        message = str(refused.value)
        assert "does not say which programme" in message and "Nothing was imported" in message
        assert "sync the laptop once" in message and "\n" not in message
        assert supervisor.content_hash() == before
        # the laptop syncs with this programme's server: its bundle names the programme
        stranger.give_programme_key()
        named = bundle_of(stranger, supervisor, tmp_path / "named.age")
        taken = receive.import_bundle(supervisor.store, named, trust=fingerprint_of(stranger))
        assert taken.applied > 0
        # and the bundle it made before it synced is now placed by its key
        assert receive.import_bundle(supervisor.store, unnamed).unchanged > 0
    finally:
        stranger.close()


def test_an_unnamed_laptop_a_roster_of_the_programme_lists_is_taken(
    tmp_path: Path, supervisor: Supervisor
) -> None:
    """Accepted by phone while the vault belonged to no programme, then listed by the
    programme's roster: its unnamed bundles are placed by the roster, as the server's word."""
    old = Laptop.create(tmp_path, "older-linksdesk")
    try:
        old.person()
        first = bundle_of(old, supervisor, tmp_path / "first.age")
        receive.import_bundle(supervisor.store, first, trust=fingerprint_of(old))
        server = SigningKey.generate()
        programme = evaluation.key_id(bytes.fromhex(PROGRAMME_KEY))
        roster = roster_file(tmp_path / "roster.json", server, None, old, programme=programme)
        receive.import_roster(supervisor.store, roster, trust=server.public.fingerprint)
        old.person()
        later = bundle_of(old, supervisor, tmp_path / "later.age")
        assert receive.import_bundle(supervisor.store, later).applied > 0
    finally:
        old.close()
