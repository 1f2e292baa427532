"""An evaluation bundle from another programme (its pseudonyms made with another programme
key) cannot join the evaluation records a vault holds: the same person would count twice,
and two people could meet under one pseudonym. It is refused in plain words, and nothing
changes; the vault's own programme's bundles are taken as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_kit import Laptop, Supervisor, bundle_of

from linksdesk.sync.bundle import keys, receive
from linksdesk.sync.bundle.format import BundleRefused


def test_an_evaluation_bundle_of_another_programme_is_refused(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    elsewhere = Laptop.create(tmp_path, "another-programme")
    try:
        for lap, key in ((laptop, "ab" * 32), (elsewhere, "cd" * 32)):
            lap.give_programme_key(key)
            for _ in range(5):
                lap.contact(lap.person())
        ours = bundle_of(laptop, supervisor, tmp_path / "ours.age", "evaluation")
        receive.import_bundle(
            supervisor.store, ours, trust=keys.signing_key(laptop.store).public.fingerprint
        )
        theirs = bundle_of(elsewhere, supervisor, tmp_path / "theirs.age", "evaluation")
        before = supervisor.content_hash()
        with pytest.raises(BundleRefused, match="another programme's key") as refused:
            receive.import_bundle(
                supervisor.store, theirs, trust=keys.signing_key(elsewhere.store).public.fingerprint
            )
        assert "Nothing was imported" in str(refused.value)
        assert supervisor.content_hash() == before
        laptop.contact(laptop.person())
        again = bundle_of(laptop, supervisor, tmp_path / "again.age", "evaluation")
        assert receive.import_bundle(supervisor.store, again).applied > 0
    finally:
        elsewhere.close()
