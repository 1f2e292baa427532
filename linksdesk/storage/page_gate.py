"""The page check run beside the first screen's reads: the vault's writes wait until it passes.

Unlock checks every page's HMAC so that a damaged page is found before anything writes into
the file. On a large vault that check takes longer than everything the first screen reads,
so the desktop runs it on a thread of its own (SQLite leaves Python's lock while it works)
and holds every write at its start instead (``WriterThread.check``, made at every write
transaction's BEGIN and before a VACUUM). Once the check has passed, the writes that were
queued to go first (the unlock audit event) are written, then the held writes go on. If it
finds damage, the vault turns read-only before anything was written: every held and later
write is refused with :class:`VaultDamagedError`, and the queued first writes are dropped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from linksdesk.storage.engine import PageCheck, VaultDamagedError

log = logging.getLogger(__name__)

Listener = Callable[[], None]


class PageGate:
    """One vault's page check on its own thread, and the writes held until it has passed."""

    def __init__(
        self, check: Callable[[], PageCheck], on_damaged: Callable[[tuple[int, ...]], None]
    ) -> None:
        self._check = check
        self._on_damaged = on_damaged  # told before any held write is refused
        self._done = threading.Event()
        self._damaged: tuple[int, ...] = ()
        self._error: BaseException | None = None  # the check itself could not run
        self._guard = threading.Lock()
        self._listeners: list[Listener] = []
        # the first writes run under this lock, so a write arriving meanwhile waits for them;
        # re-entrant because a first write's own transaction passes through ``hold`` too
        self._first_lock = threading.RLock()
        self._first: list[Listener] = []
        self._writing_first = False  # a first write's own transaction is passing ``hold``
        self._thread = threading.Thread(target=self._run, name="vault-page-check", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        try:
            self._damaged = self._check().failed
        except BaseException as exc:  # kept for the writes it holds; reads go on
            log.warning("the page check stopped: %s", type(exc).__name__)
            self._error = exc
        if self._damaged:
            self._on_damaged(self._damaged)
        if self._damaged or self._error is not None:
            with self._first_lock:
                self._first = []  # a vault that did not check out is never written
        with self._guard:
            self._done.set()
            listeners, self._listeners = self._listeners, []
        for fn in listeners:
            _tell(fn)

    # -- when it ends -------------------------------------------------------------------------
    def wait(self, timeout: float | None = None) -> bool:
        """Block until the check has finished; False on timeout."""
        return self._done.wait(timeout)

    def when_done(self, fn: Listener) -> None:
        """``fn()`` once the check has finished, on its thread (at once, here, if it has)."""
        with self._guard:
            if not self._done.is_set():
                self._listeners.append(fn)
                return
        _tell(fn)

    # -- the writes ---------------------------------------------------------------------------
    def first_write(self, fn: Listener) -> None:
        """Write ``fn()`` before any other write, once the check has passed (now, if it
        has); never if it found damage."""
        with self._first_lock:
            self._first.append(fn)
        if self._done.is_set():
            self.write_first()

    def hold(self) -> None:
        """Before a write: wait for the check; refuse if it did not pass; first writes first."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        if self._damaged:
            raise VaultDamagedError()
        with self._first_lock:
            if self._writing_first:
                return  # a first write's own transaction: the rest of the line waits its turn
            self._writing_first = True
            try:
                while self._first:
                    fn = self._first.pop(0)
                    try:
                        fn()
                    except BaseException:
                        self._first.insert(0, fn)  # still first in line; the write that came fails
                        raise
            finally:
                self._writing_first = False

    def write_first(self) -> None:
        """Write what waits to go first now, not at the next write; nothing if damaged."""
        if self._done.is_set() and not self._damaged and self._error is None:
            self.hold()


def _tell(fn: Listener) -> None:
    try:
        fn()
    except Exception:  # a listener's bug must not stop the others or the check's thread
        log.exception("a page check listener failed")
