"""A team of five workers built once per module (vaults are slow to fill)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from team_kit import LOOKUP, build_team_by_bundles

from linksdesk.reports.data import DECILES_KEY
from linksdesk.storage.tables import LocalSetting


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    # real bundles: exported from each worker's vault, imported into a supervisor's
    supervisor, ledger = build_team_by_bundles(tmp_path_factory.mktemp("team"))
    with supervisor.store.write() as tx:
        tx.session.merge(LocalSetting(key=DECILES_KEY, value=LOOKUP))
    yield supervisor, ledger
    supervisor.lock()
