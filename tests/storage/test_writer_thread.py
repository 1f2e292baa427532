"""Once a thread claims the vault, every write made on another thread fails; reads do not."""

from __future__ import annotations

import concurrent.futures
import threading
from typing import Any

import pytest
from sqlalchemy import func, select, text

from linksdesk.storage.store import Store
from linksdesk.storage.tables import LocalSetting
from linksdesk.storage.writer import OffWriterThreadError


def _put(s: Any, key: str) -> None:
    s.add(LocalSetting(key=key, value=1))


def test_writes_off_the_claimed_thread_fail_and_hand_over_through_on_writer(
    vault: Any, store: Store
) -> None:
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="db") as db:
        db_thread = db.submit(threading.get_ident).result()

        def dispatch(fn: Any) -> Any:
            return db.submit(fn).result()

        db.submit(store.claim_writer, dispatch).result()
        assert store.writer.claimed

        # this thread is not the writer: every kind of write transaction is refused
        with pytest.raises(OffWriterThreadError), store.write() as tx:
            tx.audit("view", "vault")
        with pytest.raises(OffWriterThreadError), store.bookkeeping() as s:
            _put(s, "off-thread")
        with pytest.raises(OffWriterThreadError), store.applying() as s:
            _put(s, "off-thread-2")
        with pytest.raises(OffWriterThreadError):
            vault.vacuum()
        with pytest.raises(OffWriterThreadError), vault.store().bookkeeping() as s:
            s.execute(text("DELETE FROM local_setting"))  # another store of the same vault

        # reads are fine anywhere
        with store.read() as s:
            assert s.scalar(select(func.count()).select_from(LocalSetting))

        # handed over, the same write runs on the writer thread and commits
        ran_on: list[int] = []

        def keep(s: Any) -> str:
            ran_on.append(threading.get_ident())
            _put(s, "handed-over")
            return "kept"

        assert store.keep(keep) == "kept"
        assert ran_on == [db_thread]
        with store.read() as s:
            assert s.get(LocalSetting, "handed-over") is not None
            assert s.get(LocalSetting, "off-thread") is None

        # an exception inside the handed-over write reaches the caller and nothing commits
        def broken(s: Any) -> None:
            _put(s, "rolled-back")
            raise ValueError("stop")

        with pytest.raises(ValueError, match="stop"):
            store.keep(broken)
        with store.read() as s:
            assert s.get(LocalSetting, "rolled-back") is None
        db.submit(store.writer.release).result()


def test_an_unclaimed_vault_is_written_where_it_is_asked(store: Store) -> None:
    """The command line never claims: its one thread writes inline."""
    assert not store.writer.claimed
    here = threading.get_ident()
    assert store.on_writer(threading.get_ident) == here
    store.keep(lambda s: _put(s, "inline"))
    with store.read() as s:
        assert s.get(LocalSetting, "inline") is not None
