"""The vault's one writer thread: which thread may write, and how others get a write run there."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future, wait
from typing import Any, TypeVar

T = TypeVar("T")

# runs a function on the writer thread and returns its result (or raises its exception)
Dispatch = Callable[[Callable[[], Any]], Any]


class OffWriterThreadError(RuntimeError):
    """A vault write was made off the vault's writer thread: a bug, never the worker's doing."""


class WriterThread:
    """Which thread writes one vault, once claimed (Datasette's one write thread per file).

    Unclaimed (the command line, tests that drive casework directly), any thread may write
    and ``run`` calls a function where it is. Once a thread claims the vault (the desktop's
    DB thread does at unlock), every write transaction on another thread fails with
    :class:`OffWriterThreadError`, and ``run`` from another thread hands the function to the
    claimant's ``dispatch`` and waits for it. The check is made when a write transaction
    begins (``storage.engine``), so no path can write around it.
    """

    def __init__(self) -> None:
        self._ident: int | None = None
        self._name = ""
        self._dispatch: Dispatch | None = None
        self._last: Future[Any] | None = None  # the latest ``submit``, for the next to follow
        self._order = threading.Lock()
        # run before every write: waits while the vault's page check runs, refuses if it failed
        self._hold: Callable[[], None] | None = None

    @property
    def claimed(self) -> bool:
        return self._ident is not None

    def claim(self, dispatch: Dispatch | None = None) -> None:
        """The calling thread becomes the only writer; ``dispatch`` runs work on it."""
        current = threading.current_thread()
        self._ident = current.ident
        self._name = current.name
        self._dispatch = dispatch

    def release(self) -> None:
        self._ident = None
        self._name = ""
        self._dispatch = None

    def on_it(self) -> bool:
        """True when the calling thread may write (it is the writer, or none is claimed)."""
        return self._ident is None or threading.get_ident() == self._ident

    def hold_writes(self, hold: Callable[[], None] | None) -> None:
        """``hold()`` runs before every write from now on: it may wait, or raise to refuse."""
        self._hold = hold

    def check(self) -> None:
        """Before a write: raise if this thread may not write; wait while writes are held."""
        if not self.on_it():
            raise OffWriterThreadError(
                f"vault write on thread {threading.current_thread().name!r}; only "
                f"{self._name!r} writes this vault"
            )
        if self._hold is not None:
            self._hold()

    def run(self, fn: Callable[[], T]) -> T:
        """``fn()`` on the writer thread: here when this is it, else handed over and awaited."""
        if self.on_it():
            return fn()
        if self._dispatch is None:
            self.check()  # raises: nobody to hand the write to
        assert self._dispatch is not None
        result: T = self._dispatch(fn)
        return result

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        """``fn()`` as ``run`` does it, without waiting: its result (or exception) in a future.

        The caller gets on with something else (the sync fetches the next page) while the
        writer works. Submitted functions run one after another in the order submitted.
        On the writer itself ``fn`` runs at once (it cannot wait for itself); otherwise a
        short-lived thread does the ``run`` (unclaimed, ``fn`` runs on that thread; claimed,
        it is handed to the writer and awaited there).
        """
        future: Future[T] = Future()
        if self._ident is not None and self.on_it():
            _settle(future, fn)
            return future
        with self._order:
            before, self._last = self._last, future

        def hand_over() -> None:
            if before is not None:
                wait([before])  # in the order submitted, whatever became of the one before
            _settle(future, lambda: self.run(fn))

        threading.Thread(target=hand_over, name="vault-write", daemon=True).start()
        return future


def _settle(future: Future[T], fn: Callable[[], T]) -> None:
    """Run ``fn``; keep what it returned or raised (anything, a crash test's too) in ``future``."""
    future.set_running_or_notify_cancel()
    try:
        result = fn()
    except BaseException as exc:
        future.set_exception(exc)
    else:
        future.set_result(result)


_WRITERS: weakref.WeakKeyDictionary[Any, WriterThread] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def writer_of(engine: Any) -> WriterThread:
    """The writer thread of the vault behind ``engine`` (one per engine, made on first ask)."""
    with _GUARD:
        found = _WRITERS.get(engine)
        if found is None:
            found = _WRITERS[engine] = WriterThread()
        return found
