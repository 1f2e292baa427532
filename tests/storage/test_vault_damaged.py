"""A vault with one damaged page in the middle (issue 9): found at unlock, opened read-only.

Before, such a vault unlocked (only the schema was read) and was then written to; later
writes failed as "a disk that cannot be written to". Now unlock checks every page's HMAC
(no decryption), opens the vault read-only with a plain message about restoring from a
backup, and nothing is ever written into the file, not even the unlock audit event.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from vault_kit import PASSPHRASE, damaged_copies, fill, snapshot

from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import VaultCorruptError
from linksdesk.storage.engine import VaultDamagedError
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy


def test_a_damaged_middle_page_opens_read_only_and_is_never_written(
    tmp_path: Path,
) -> None:
    path = tmp_path / "made" / "vault.db"
    vault, _ = Vault.create(path, PASSPHRASE)
    fill(vault.store(SyncPolicy()), participants=8, notes_each=6)
    vault.lock()
    opened = 0
    for trial, page in damaged_copies(tmp_path, path):
        before = snapshot(trial.parent)
        try:
            cb = Casebook.unlock(trial, PASSPHRASE)
        except VaultCorruptError:
            continue  # unlock itself needed the page: refused plainly, as before
        opened += 1
        try:
            assert cb.vault.read_only and cb.vault.damaged_pages == (page,)
            with pytest.raises(VaultDamagedError) as err:
                P.create_participant(
                    cb, given_name="New", family_name="Person", referred_on=dt.date(2025, 1, 6)
                )
            message = str(err.value)
            assert "read-only" in message and "backup" in message
            assert "cannot be written to" not in message  # not blamed on the disk
        finally:
            cb.lock()
        assert snapshot(trial.parent) == before  # not a byte written, no file made
    assert opened >= 2, "every damaged middle page stopped unlock: the test proves little"
