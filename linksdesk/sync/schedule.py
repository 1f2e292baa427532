"""When the app syncs by itself: on a timer while the vault is open, backing off while the
server cannot be reached.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from linksdesk.core.errors import SyncAuthError
from linksdesk.sync.engine import HandshakeRefused
from linksdesk.sync.removals import MassDeletionError


class SyncScheduler:
    """When the next automatic sync is due: a fixed interval, backing off after failures.

    Pure bookkeeping (no threads or timers): the UI's timer asks ``due()`` every so often,
    runs the sync on its network pool, and reports back with ``succeeded()``/``failed()``.
    """

    def __init__(
        self,
        interval_s: float = 300.0,
        *,
        first_retry_s: float = 30.0,
        max_backoff_s: float = 3600.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.interval_s = interval_s
        self.first_retry_s = first_retry_s
        self.max_backoff_s = max_backoff_s
        self._clock = clock or time.monotonic
        self.failures = 0
        self.next_at = self._clock()
        self.paused_reason: str | None = None  # set when only the worker can fix it

    def due(self) -> bool:
        return self.paused_reason is None and self._clock() >= self.next_at

    def seconds_until_due(self) -> float:
        return max(0.0, self.next_at - self._clock())

    def succeeded(self) -> None:
        self.failures = 0
        self.next_at = self._clock() + self.interval_s

    def failed(self, error: BaseException | None = None) -> None:
        """After a failure, wait 30 s, 60 s, 120 s … up to the cap; errors only the worker
        can put right (revoked device, a mass deletion to confirm, a LinksDesk too old or
        too new for the server) pause until ``resume``."""
        if isinstance(error, SyncAuthError | MassDeletionError | HandshakeRefused):
            self.paused_reason = str(error)
            return
        self.failures += 1
        delay = min(self.max_backoff_s, self.first_retry_s * 2 ** (self.failures - 1))
        self.next_at = self._clock() + delay

    def resume(self) -> None:
        self.paused_reason = None
        self.next_at = self._clock()
