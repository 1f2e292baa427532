"""Outside check 17: a hostile laptop's monthly totals of a count below zero.

The supervisor guide promises that a bundle holding a value LinksDesk would never make is
refused whole ("Nothing was imported", naming the field). A laptop never counts -40 people;
one altered by hand signs a bundle whose "Not shared with the team" totals say so, and the
vault took it: the board's report then showed a negative number of people, and the
"All workers" total, which adds up every worker's row, less than the other workers' own
counts. The same shapes check the server's pushes (`core/validate.py`), so it took them too.
Synthetic data only.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from bundle_kit import Laptop, Supervisor, fingerprint_of, signed_by_laptop

from linksdesk.sync.bundle import export, receive
from linksdesk.sync.bundle.format import BundleRefused
from linksdesk.sync.totals import update_monthly_totals


def test_a_negative_count_in_monthly_totals_refuses_the_bundle(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    laptop.person()  # shares with the team
    laptop.person(team=False)  # counted in the laptop's monthly totals only
    update_monthly_totals(laptop.store, laptop.store.worker_id)
    with laptop.store.read() as s:
        records = export.caseload_changes(s, laptop.store.worker_id).changes
    altered = copy.deepcopy(records)
    totals = [r for r in altered if r["table"] == "monthly_total"]
    assert totals
    totals[0]["fields"]["counts"]["participants"] = -40
    before = supervisor.content_hash()
    bundle = signed_by_laptop(laptop, supervisor, tmp_path / "altered.age", altered)
    with pytest.raises(BundleRefused) as refused:
        receive.import_bundle(supervisor.store, bundle, trust=fingerprint_of(laptop))
    assert "monthly" in str(refused.value).lower() or "total" in str(refused.value).lower()
    assert supervisor.content_hash() == before
