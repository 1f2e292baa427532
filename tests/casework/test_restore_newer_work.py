"""Restoring over a vault that holds work the backup lacks: unsaved words kept since the
backup are work too, and an older copy of the vault is kept when the caller asks first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_casework_backup import PASSPHRASE, _backup, _digest, _make

from linksdesk.casework import backup
from linksdesk.casework.casebook import Casebook
from linksdesk.storage.keyfile import keyfile_path

WORDS = "Half-written: rang the foodbank, call back Thursday"


def test_words_kept_as_a_draft_since_the_backup_make_the_vault_newer(tmp_path: Path) -> None:
    """No change was saved after the backup, only a case note kept unsaved at a lock: the
    restore must not replace the vault without the worker saying so."""
    vault = tmp_path / "worker.vault"
    _make(vault)
    out = tmp_path / "friday.ldbackup"
    made = _backup(vault, out)
    cb = Casebook.unlock(vault, PASSPHRASE)
    try:
        cb.save_draft("note/-/new", WORDS)
    finally:
        cb.lock()
    files = [vault, keyfile_path(vault)]
    before = _digest(*files)
    with pytest.raises(backup.VaultInTheWayError, match="newer than this backup") as refused:
        backup.restore_backup(out, vault, passphrase=PASSPHRASE)
    assert _digest(*files) == before  # not a byte changed
    assert refused.value.newer and refused.value.why == "newer"
    assert refused.value.target == vault
    assert refused.value.info is not None and refused.value.info.made_at == made.made_at
    latest = refused.value.latest_here
    assert latest is not None and latest >= made.made_at
    assert latest <= dt.datetime.now(dt.UTC)
    cb = Casebook.unlock(vault, PASSPHRASE)
    try:
        assert cb.load_draft("note/-/new") == WORDS
    finally:
        cb.lock()


def test_an_older_copy_is_refused_when_the_caller_asks_first_and_replaced_once_confirmed(
    tmp_path: Path,
) -> None:
    vault = tmp_path / "worker.vault"
    _make(vault)
    out = tmp_path / "friday.ldbackup"
    _backup(vault, out)
    files = [vault, keyfile_path(vault)]
    before = _digest(*files)
    with pytest.raises(backup.VaultInTheWayError, match="older copy") as refused:
        backup.restore_backup(out, vault, passphrase=PASSPHRASE, replace_older=False)
    assert not refused.value.newer and refused.value.why == "older"
    assert _digest(*files) == before
    result = backup.restore_backup(out, vault, passphrase=PASSPHRASE, replace=True)
    assert result.replaced and not result.newer_replaced and result.kept_as
