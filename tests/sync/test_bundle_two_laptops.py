"""One worker, two laptops, each carrying a bundle to the supervisor on its own: whichever
is imported first, the supervisor sees the same rows, each field as the later edit left it,
and a person erased on one laptop stays erased though the other laptop's bundle still holds
them. Real laptops enrolled with a real server on 127.0.0.1 (so both hold the caseload),
then offline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bundle_kit import Supervisor
from sqlalchemy import select
from sync_kit import Dev, ServerProcess, later_by_the_clock

from linksdesk.storage.store import row_values
from linksdesk.storage.tables import Contact, ErasureReceipt, Participant
from linksdesk.sync.bundle import export, keys, receive

SHOWN = ("given_name", "family_name", "status", "deleted", "owner")


def _rows(sup: Supervisor) -> dict[str, Any]:
    """Every participant and contact the supervisor holds, as plain values."""
    out: dict[str, Any] = {}
    with sup.store.read() as s:
        for cls in (Participant, Contact):
            for row in s.scalars(select(cls)):
                values = row_values(row)
                out[values["id"]] = {k: v for k, v in values.items() if k in SHOWN}
    return out


def test_two_laptops_of_one_worker_in_either_order(
    tmp_path: Path, server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b = devices("laptop-a"), devices("laptop-b")
    worker = server.worker(server.team())
    a.enrol(server, worker)
    kept, gone = a.participant(given_name="Ailsa"), a.participant(given_name="Bryce")
    visit = a.contact(kept)
    assert a.sync().verified
    b.enrol(server, worker)
    assert b.sync().verified and b.get("participant", kept) is not None
    # offline from here: each laptop edits on its own, b first, then a (a's clock is later)
    b.edit("participant", kept, given_name="From B", family_name="Only B")
    b.edit("contact", visit, status="did_not_attend")
    later_by_the_clock(a, b)  # a tie in one tick would be ordered by device id
    a.edit("participant", kept, given_name="From A")
    a.erase(gone)
    seen = []
    for order in (("laptop-a", "laptop-b"), ("laptop-b", "laptop-a")):
        sup = Supervisor.create(tmp_path, f"sup-{order[0]}")
        try:
            for label in order:
                dev = a if label == "laptop-a" else b
                out = tmp_path / f"{label}-for-{order[0]}.age"
                export.export_to_file(
                    dev.store, out, kind="supervision", recipients=[sup.recipient]
                )
                fingerprint = keys.signing_key(dev.store).public.fingerprint
                receive.import_bundle(sup.store, out, trust=fingerprint)
            rows = _rows(sup)
            with sup.store.read() as s:
                receipts = s.scalars(
                    select(ErasureReceipt.participant_id).where(
                        ErasureReceipt.participant_id == gone
                    )
                ).all()
        finally:
            sup.vault.lock()
        assert gone not in rows and receipts == [gone]  # erased stays erased
        person = rows[kept]
        assert person["given_name"] == "From A"  # the later edit, from a
        assert person["family_name"] == "Only B"  # b's edit of a field a left alone
        assert rows[visit]["status"] == "did_not_attend"
        assert person["owner"] == worker
        seen.append(rows)
    assert seen[0] == seen[1]
