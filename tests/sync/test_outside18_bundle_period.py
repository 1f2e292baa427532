"""The period a bundle's manifest names is kept in the supervisor's ledger and read by the
reports' "Data as of" (vault migration 0015): a manifest naming it otherwise than LinksDesk
writes it (two months, YYYY-MM, the first not after the last) is refused whole, before it is
kept. Made as someone holding the laptop's key could make one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bundle_kit import next_bundle, signed_by_laptop

from linksdesk.sync.bundle import receive
from linksdesk.sync.bundle.format import BundleRefused


@pytest.mark.parametrize(
    "period",
    [["2026-06", "2026-04"], "2026-04..2026-06", ["2026-13", 202614]],
)
def test_a_period_not_as_linksdesk_writes_it_is_refused(tmp_path: Path, period: Any) -> None:
    sup, lap, _next = next_bundle(tmp_path, 1)
    odd = signed_by_laptop(lap, sup, tmp_path / "odd.age", extra={"period": period})
    before = sup.content_hash()
    with pytest.raises(BundleRefused, match="period"):
        receive.import_bundle(sup.store, odd)
    assert sup.content_hash() == before
