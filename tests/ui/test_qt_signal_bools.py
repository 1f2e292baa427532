"""The Qt binding keeps Python's True and False alive through signals.

PySide6 6.12.0 drops one reference to True (or False) for every bool a signal hands to a Python
slot: the runner's own signals carry one per job, so after some thousands of jobs the app
aborted with "bool_dealloc: deallocating True or False" (and every test run at its exit).
pyproject.toml excludes that version; this test fails on it.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal

pytestmark = pytest.mark.gui

DELIVERIES = 300


class _Carrier(QObject):
    flag = Signal(bool)
    anything = Signal(object)
    finished = Signal(object, bool, object)  # the shape of the runner's own signal


def test_bools_delivered_by_signals_keep_their_references(qapp: Any) -> None:
    carrier = _Carrier()
    got: list[object] = []
    carrier.flag.connect(got.append)
    carrier.anything.connect(got.append)
    carrier.finished.connect(lambda _job, ok, _result: got.append(ok))
    before = sys.getrefcount(True)

    for _ in range(DELIVERIES):
        carrier.flag.emit(True)
        carrier.anything.emit(True)
        carrier.finished.emit(None, True, None)

    def from_another_thread() -> None:  # queued to the GUI thread, as the DB thread's are
        for _ in range(DELIVERIES):
            carrier.finished.emit(None, True, None)

    worker = threading.Thread(target=from_another_thread)
    worker.start()
    worker.join()
    qapp.processEvents()
    assert len(got) == 4 * DELIVERIES
    got.clear()
    assert sys.getrefcount(True) - before > -DELIVERIES // 10
