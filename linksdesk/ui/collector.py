"""Python's cycle collector run on the GUI thread only, so Qt objects die in their own thread.

CPython runs the cycle collector in whichever thread happens to allocate when a threshold is
crossed — in LinksDesk usually the DB thread, which allocates the most. A widget whose Python
wrapper sits in a reference cycle is then deleted from that thread: Qt objects destroyed
outside their thread crash later (seen as a segfault in the style's animation bookkeeping,
at random, after a window had gone). Automatic collection is switched off and a timer on the
GUI thread collects instead, generation by generation, with the same thresholds.
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)


class GuiThreadCollector(QObject):
    """Collects cyclic garbage from a GUI-thread timer; automatic collection stays off."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start()

    def collect_if_due(self) -> int:
        """What the automatic collector would have done by now, done here (objects freed)."""
        young, middle, old = gc.get_count()
        t0, t1, t2 = self._threshold
        freed = 0
        if young > t0:
            freed += gc.collect(0)
            if middle > t1:
                freed += gc.collect(1)
                if old > t2:
                    freed += gc.collect(2)
        return freed

    def stop(self) -> None:
        """Collect once more here and give collection back to CPython."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
