"""Hybrid logical clock: wall-clock milliseconds plus a counter, tie-broken by device.

Lives in core (not sync) because the vault stamps every change when it is written, and
storage may not import sync. Encoded as a fixed-width string so text order is clock order.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_DRIFT_MS = 300_000  # the server refuses clocks more than 300 s ahead of its own
# how far ahead of the importing computer's clock a bundle's clocks may be: work in a
# supervisor's vault may lie that far ahead of a right clock (sync/bundle/format.LEEWAY)
BUNDLE_LEEWAY_MS = 24 * 3600 * 1000
# the counter's five digits in the encoding: one more would break text order and the wire's
# pattern, so a clock at it moves on to the next millisecond instead (a colleague's device
# may send a stamp at it: every laptop of the team observes that stamp)
MAX_COUNTER = 99_999


@dataclass(frozen=True, order=True, slots=True)
class HLC:
    wall_ms: int
    counter: int
    device: str

    def encode(self) -> str:
        return f"{self.wall_ms:015d}-{self.counter:05d}-{self.device}"

    @classmethod
    def decode(cls, text: str) -> HLC:
        try:
            wall, counter, device = text.split("-", 2)
            return cls(int(wall), int(counter), device)
        except (ValueError, AttributeError) as exc:
            raise ValueError("not a hybrid logical clock value") from exc

    def __str__(self) -> str:
        return self.encode()


class HybridClock:
    """Issues HLC stamps for one device; ``observe`` folds in stamps seen from elsewhere."""

    def __init__(self, device: str, now_ms: Callable[[], int] | None = None) -> None:
        self.device = device
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._wall = 0
        self._counter = 0
        self._lock = threading.Lock()

    def now(self) -> HLC:
        with self._lock:
            physical = self._now_ms()
            if physical > self._wall:
                self._wall, self._counter = physical, 0
            else:
                self._wall, self._counter = _carried(self._wall, self._counter + 1)
            return HLC(self._wall, self._counter, self.device)

    @property
    def wall_ms(self) -> int:
        """The wall time of the last stamp issued or observed."""
        return self._wall

    def physical_ms(self) -> int:
        """This device's wall clock now, as it stamps by."""
        return self._now_ms()

    def behind_ms(self) -> int:
        """How far the newest stamp issued or observed lies after this device's wall clock
        now (0 if it does not): a clock that went back, or stamps made while it ran ahead."""
        return max(0, self._wall - self._now_ms())

    def rewind(self, floor: HLC | str | None = None) -> None:
        """Back to the wall clock, never below ``floor``: after this device's clock ran
        ahead of the real time and every stamp it made then was moved back (see
        ``sync.rewind``), new stamps follow the real time again."""
        with self._lock:
            self._wall, self._counter = self._now_ms(), 0
        if floor:
            self.observe(floor)

    def observe(self, remote: HLC | str) -> HLC:
        if isinstance(remote, str):
            remote = HLC.decode(remote)
        with self._lock:
            physical = self._now_ms()
            wall = max(self._wall, remote.wall_ms, physical)
            if wall == self._wall == remote.wall_ms:
                counter = max(self._counter, remote.counter) + 1
            elif wall == self._wall:
                counter = self._counter + 1
            elif wall == remote.wall_ms:
                counter = remote.counter + 1
            else:
                counter = 0
            self._wall, self._counter = _carried(wall, counter)
            return HLC(self._wall, self._counter, self.device)


def _carried(wall: int, counter: int) -> tuple[int, int]:
    """``wall`` and ``counter``, moved on to the next millisecond past ``MAX_COUNTER``."""
    return (wall + 1, 0) if counter > MAX_COUNTER else (wall, counter)


def clock_behind(behind_ms: int, against: str, allowed_ms: int = MAX_DRIFT_MS) -> str | None:
    """What a worker is told when this laptop's clock is ``behind_ms`` behind ``against``
    (the newest work in the vault, or the sync server's clock); None within ``allowed_ms``
    (the drift the server allows, by default). The dates the app fills in (today's
    contact, a note's day) follow the laptop's clock, and a change stamped too early gives
    way to older changes made elsewhere, so it is said, never corrected silently."""
    if behind_ms <= allowed_ms:
        return None
    return (
        f"This laptop's clock is about {_span(behind_ms)} behind {against}. Set its date and "
        "time right: until then the dates filled in for you are wrong, and what you change "
        "here may give way to older changes made elsewhere when you sync."
    )


def _span(ms: int) -> str:
    minutes = ms // 60_000
    for unit, size in (("year", 525_960), ("month", 43_830), ("day", 1_440), ("hour", 60)):
        if minutes >= 2 * size:
            return f"{round(minutes / size)} {unit}s"
    return f"{minutes} minutes"
