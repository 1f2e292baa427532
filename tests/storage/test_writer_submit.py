"""``WriterThread.submit``: a write handed to the vault's writer without waiting for it, run
in the order submitted, its result or exception kept for the caller."""

from __future__ import annotations

import concurrent.futures
import threading
from typing import Any

import pytest
from sqlalchemy import select

from linksdesk.storage.store import Store
from linksdesk.storage.tables import LocalSetting


def _write(store: Store, key: str, gate: threading.Event | None = None) -> Any:
    """A function writing ``key`` in one transaction (after ``gate`` opens, if given)."""

    def fn() -> int:
        if gate is not None:
            assert gate.wait(10)
        with store.bookkeeping() as s:
            s.add(LocalSetting(key=key, value=1))
        return threading.get_ident()

    return fn


def _keys(store: Store) -> set[str]:
    with store.read() as s:
        return set(s.scalars(select(LocalSetting.key).where(LocalSetting.key.like("k%"))))


def test_unclaimed_the_caller_goes_on_while_the_write_runs_and_order_is_kept(
    store: Store,
) -> None:
    gate = threading.Event()
    first = store.writer.submit(_write(store, "k1", gate))
    second = store.writer.submit(_write(store, "k2"))
    # the caller is back before either write ran: the first waits for the gate, the
    # second for the first
    assert not first.done() and not second.done()
    assert _keys(store) == set()
    gate.set()
    assert first.result(10) != threading.get_ident()  # ran on a thread of its own
    second.result(10)
    assert _keys(store) == {"k1", "k2"}


def test_an_exception_even_a_base_exception_reaches_the_caller_and_nothing_commits(
    store: Store,
) -> None:
    class Crash(BaseException):
        pass

    def crash() -> None:
        with store.bookkeeping() as s:
            s.add(LocalSetting(key="k-crashed", value=1))
            s.flush()
            raise Crash()

    future = store.writer.submit(crash)
    with pytest.raises(Crash):
        future.result(10)
    after = store.writer.submit(_write(store, "k-after"))  # the writer carries on
    after.result(10)
    assert _keys(store) == {"k-after"}


def test_claimed_the_write_runs_on_the_writer_thread_in_order(store: Store) -> None:
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="db") as db:
        db_thread = db.submit(threading.get_ident).result()
        db.submit(store.claim_writer, lambda fn: db.submit(fn).result()).result()
        try:
            gate = threading.Event()
            done: list[str] = []

            def noted(key: str, wait: threading.Event | None = None) -> Any:
                write = _write(store, key, wait)

                def fn() -> int:
                    ident = write()
                    done.append(key)
                    return int(ident)

                return fn

            futures = [store.writer.submit(noted("k1", gate))]
            futures += [store.writer.submit(noted(f"k{i}")) for i in range(2, 6)]
            assert not any(f.done() for f in futures)
            gate.set()
            assert {f.result(10) for f in futures} == {db_thread}
            assert done == ["k1", "k2", "k3", "k4", "k5"]

            # asked on the writer itself, the write runs there and then
            mine = db.submit(lambda: store.writer.submit(_write(store, "k-db"))).result()
            assert mine.done() and mine.result() == db_thread
            assert _keys(store) == {"k1", "k2", "k3", "k4", "k5", "k-db"}
        finally:
            db.submit(store.writer.release).result()
