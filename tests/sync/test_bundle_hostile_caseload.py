"""A laptop's bundle speaks only for its own worker's caseload as the supervisor's vault holds
it. A laptop key the supervisor trusts, signing rows that claim its own worker as owner, could
take over a colleague's participant (their name changed, their caseload moved) or erase them
from the supervisor's vault for good. Each is refused, plainly, and nothing changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor, signed_by_laptop

from linksdesk.storage.tables import Participant
from linksdesk.sync.bundle import export, keys, receive
from linksdesk.sync.bundle.format import BundleRefused, erase_record


def _fingerprint(lap: Laptop) -> str:
    return keys.signing_key(lap.store).public.fingerprint


def _changes(lap: Laptop) -> list[dict[str, Any]]:
    with lap.store.read() as s:
        return export.caseload_changes(s, lap.store.worker_id).changes


def _hostile(case: str, a: Laptop, theirs: str, mine: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Laptop a's own records plus one that reaches for a colleague's participant."""
    hlc = a.store.clock.now().encode()
    me = a.store.worker_id
    person = next(c for c in mine if c["table"] == "participant")
    contact = next(c for c in mine if c["table"] == "contact")
    if case == "take-over":  # the colleague's participant, renamed and claimed
        reach = {**person, "row_id": theirs, "participant_id": theirs, "hlc": hlc,
                 "fields": {"given_name": "Taken", "owner": me}, "field_hlc": {}}  # fmt: skip
    elif case == "contact-on-theirs":  # a row of a's, placed on the colleague's participant
        reach = {**contact, "participant_id": theirs}
    else:  # erase the colleague's participant
        reach = erase_record("00000000-0000-4000-8000-0000000000e5", theirs, hlc,
                             origin=a.store.device_id, owner=me)  # fmt: skip
    return [*mine, reach]


@pytest.mark.parametrize("case", ["take-over", "contact-on-theirs", "erase"])
def test_a_laptop_cannot_reach_into_a_colleagues_caseload(
    tmp_path: Path, supervisor: Supervisor, case: str
) -> None:
    a, b = Laptop.create(tmp_path, "worker-a"), Laptop.create(tmp_path, "worker-b")
    try:
        theirs = b.person(given_name="Kept")
        out_b = tmp_path / "b.age"
        export.export_to_file(b.store, out_b, kind="supervision", recipients=[supervisor.recipient])
        receive.import_bundle(supervisor.store, out_b, trust=_fingerprint(b))
        a.contact(a.person())
        honest = signed_by_laptop(a, supervisor, tmp_path / "honest.age", _changes(a))
        receive.import_bundle(supervisor.store, honest, trust=_fingerprint(a))
        reach = _hostile(case, a, theirs, _changes(a))
        out = signed_by_laptop(a, supervisor, tmp_path / "reach.age", reach)
        before = supervisor.content_hash()
        with pytest.raises(BundleRefused, match="another worker's caseload") as refused:
            receive.import_bundle(supervisor.store, out)
        assert "Nothing was imported" in str(refused.value)
        assert supervisor.content_hash() == before
        with supervisor.store.read() as s:
            kept = s.get(Participant, theirs)
            assert kept is not None
            assert (kept.given_name, kept.owner) == ("Kept", b.store.worker_id)
        # the laptop's own next bundle is taken as before
        a.contact(a.person())
        again = tmp_path / "again.age"
        export.export_to_file(a.store, again, kind="supervision", recipients=[supervisor.recipient])
        assert receive.import_bundle(supervisor.store, again).applied > 0
    finally:
        a.close()
        b.close()
