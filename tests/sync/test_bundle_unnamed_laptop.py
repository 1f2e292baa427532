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
from bundle_kit import Laptop, Supervisor, fingerprint_of

from linksdesk.sync.bundle import export, receive
from linksdesk.sync.bundle.format import BundleRefused


def _supervision(lap: Laptop, sup: Supervisor, out: Path) -> Path:
    export.export_to_file(lap.store, out, kind="supervision", recipients=[sup.recipient])
    return out


def test_an_unnamed_laptop_is_refused_until_the_vault_can_place_it(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    # the vault belongs to the programme of the synced laptop it took first
    laptop.person()
    ours = _supervision(laptop, supervisor, tmp_path / "ours.age")
    receive.import_bundle(supervisor.store, ours, trust=fingerprint_of(laptop))
    stranger = Laptop.create(tmp_path, "never-synced")
    try:
        stranger.person(given_name="Unplaced")
        unnamed = _supervision(stranger, supervisor, tmp_path / "unnamed.age")
        before = supervisor.content_hash()
        with pytest.raises(BundleRefused) as refused:
            receive.import_bundle(supervisor.store, unnamed, trust=fingerprint_of(stranger))
        message = str(refused.value)
        assert "does not say which programme" in message and "Nothing was imported" in message
        assert "sync the laptop once" in message and "\n" not in message
        assert supervisor.content_hash() == before
        # the laptop syncs with this programme's server: its bundle names the programme
        stranger.give_programme_key()
        named = _supervision(stranger, supervisor, tmp_path / "named.age")
        taken = receive.import_bundle(supervisor.store, named, trust=fingerprint_of(stranger))
        assert taken.applied > 0
        # and the bundle it made before it synced is now placed by its key
        assert receive.import_bundle(supervisor.store, unnamed).unchanged > 0
    finally:
        stranger.close()
