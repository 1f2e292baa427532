"""A laptop's bundle, signed with its own key, whose manifest names its sender in a way no
LinksDesk writes: a sender that is neither a laptop nor the server, a laptop naming no
worker, a sender that is not an object, ids and labels that are not text. The supervisor's
vault kept such values as they came (a label of a Python object's text, a key trusted as a
"laptop" kind the checks did not know), or stopped with a program error; and a sender of
no known kind, or a laptop naming no worker, passed every check that keeps a laptop to
its own worker's caseload. Each is refused in plain words now, and nothing changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor, fingerprint_of, signed_by_laptop, trusted_by

from linksdesk.storage.bundle_tables import TrustedSigner
from linksdesk.storage.tables import Participant
from linksdesk.sync.bundle import export, keys, receive
from linksdesk.sync.bundle.format import BundleRefused, Sender
from linksdesk.sync.bundle.signing import PublicKey


def _sender(lap: Laptop, **claims: Any) -> dict[str, Any]:
    """The laptop's honest sender, with ``claims`` written over it."""
    key = keys.signing_key(lap.store).public
    honest = Sender("device", "laptop", lap.store.worker_id, lap.store.device_id, None)
    return {**honest.as_manifest(key), **claims}


def _refused_and_unchanged(sup: Supervisor, bundle: Path, trust: str | None = None) -> None:
    before = sup.content_hash()
    with pytest.raises(BundleRefused) as refused:
        receive.import_bundle(sup.store, bundle, trust=trust)
    assert "Nothing was imported" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert sup.content_hash() == before


@pytest.mark.parametrize(
    "claims",
    [{"kind": "laptop"}, {"worker_id": None}],
    ids=["no-known-kind", "laptop-of-no-worker"],
)
def test_a_laptop_naming_itself_oddly_still_speaks_only_for_its_workers_caseload(
    tmp_path: Path, supervisor: Supervisor, claims: dict[str, Any]
) -> None:
    a, b = Laptop.create(tmp_path, "worker-a"), Laptop.create(tmp_path, "worker-b")
    try:
        theirs = b.person(given_name="Colleagues")
        with b.store.read() as s:
            colleagues = export.caseload_changes(s, b.store.worker_id).changes
        reach = signed_by_laptop(
            a,
            supervisor,
            tmp_path / "reach.age",
            colleagues,
            extra={"sender": _sender(a, **claims)},
        )
        # accepted by its fingerprint, as a supervisor does on the phone to the worker
        _refused_and_unchanged(supervisor, reach, trust=fingerprint_of(a))
        with supervisor.store.read() as s:
            assert s.get(Participant, theirs) is None
            assert s.get(TrustedSigner, fingerprint_of(a)) is None
        # a's honest bundle of its own caseload is taken
        a.person()
        honest = signed_by_laptop(a, supervisor, tmp_path / "honest.age")
        assert receive.import_bundle(supervisor.store, honest, trust=fingerprint_of(a)).applied > 0
    finally:
        a.close()
        b.close()


DAMAGED: dict[str, Any] = {
    "sender-a-list": lambda lap: {"sender": [_sender(lap)]},
    "sender-a-text": lambda lap: {"sender": "laptop"},
    "device-id-an-object": lambda lap: {"sender": _sender(lap, device_id={"id": 1})},
    "label-a-list": lambda lap: {"sender": _sender(lap, label=["laptop"])},
}


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_a_trusted_laptops_bundle_with_a_damaged_sender_is_refused_in_words(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, case: str
) -> None:
    trusted_by(supervisor, laptop, tmp_path)
    laptop.person(given_name="Later")
    damaged = signed_by_laptop(laptop, supervisor, tmp_path / "b.age", extra=DAMAGED[case](laptop))
    _refused_and_unchanged(supervisor, damaged)
    # the laptop's next honest bundle is taken as before
    honest = signed_by_laptop(laptop, supervisor, tmp_path / "c.age")
    assert receive.import_bundle(supervisor.store, honest).applied > 0


@pytest.mark.parametrize("claims", [{"kind": 5}, {"label": {"a": 1}}], ids=["kind", "label"])
def test_a_key_accepted_by_its_fingerprint_is_kept_only_with_the_words_a_sender_uses(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, claims: dict[str, Any]
) -> None:
    laptop.person()
    odd = signed_by_laptop(
        laptop, supervisor, tmp_path / "odd.age", extra={"sender": _sender(laptop, **claims)}
    )
    _refused_and_unchanged(supervisor, odd, trust=fingerprint_of(laptop))
    honest = signed_by_laptop(laptop, supervisor, tmp_path / "honest.age")
    receive.import_bundle(supervisor.store, honest, trust=fingerprint_of(laptop))
    with supervisor.store.read() as s:
        kept = s.get(TrustedSigner, fingerprint_of(laptop))
        assert kept is not None
        assert (kept.kind, kept.label) == ("device", "laptop")
        assert PublicKey.from_line(kept.public_key).fingerprint == fingerprint_of(laptop)
