"""The vault's one writer thread: which thread may write, and how others get a write run there."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
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

    def check(self) -> None:
        if not self.on_it():
            raise OffWriterThreadError(
                f"vault write on thread {threading.current_thread().name!r}; only "
                f"{self._name!r} writes this vault"
            )

    def run(self, fn: Callable[[], T]) -> T:
        """``fn()`` on the writer thread: here when this is it, else handed over and awaited."""
        if self.on_it():
            return fn()
        if self._dispatch is None:
            self.check()  # raises: nobody to hand the write to
        assert self._dispatch is not None
        result: T = self._dispatch(fn)
        return result


_WRITERS: weakref.WeakKeyDictionary[Any, WriterThread] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def writer_of(engine: Any) -> WriterThread:
    """The writer thread of the vault behind ``engine`` (one per engine, made on first ask)."""
    with _GUARD:
        found = _WRITERS.get(engine)
        if found is None:
            found = _WRITERS[engine] = WriterThread()
        return found
