"""A team of five workers built once per test process (vaults are slow to fill), and a copy
of its supervisor's vault for each module (a module may change its copy)."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from synthetic import PASSPHRASE
from team_kit import LOOKUP, Ledger, build_team_by_bundles

from linksdesk.casework.casebook import Casebook
from linksdesk.reports.data import DECILES_KEY
from linksdesk.storage.keyfile import keyfile_path
from linksdesk.storage.tables import LocalSetting


@pytest.fixture(scope="session")
def _built_team(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ledger]:
    """The supervisor's vault (locked) and the ledger of what went into it."""
    # real bundles: exported from each worker's vault, imported into a supervisor's
    supervisor, ledger = build_team_by_bundles(tmp_path_factory.mktemp("team"))
    path = supervisor.vault.path
    try:
        with supervisor.store.write() as tx:
            tx.session.merge(LocalSetting(key=DECILES_KEY, value=LOOKUP))
    finally:
        supervisor.lock()
    assert not Path(f"{path}-wal").exists()  # the vault is whole in its one file
    return path, ledger


@pytest.fixture(scope="module")
def team(
    _built_team: tuple[Path, Ledger], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, Any]]:
    built, ledger = _built_team
    path = tmp_path_factory.mktemp("team") / built.name
    for source, target in ((built, path), (keyfile_path(built), keyfile_path(path))):
        shutil.copyfile(source, target)
    supervisor = Casebook.unlock(path, PASSPHRASE)
    yield supervisor, copy.deepcopy(ledger)
    supervisor.lock()
