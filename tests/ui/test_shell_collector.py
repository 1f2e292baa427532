"""Reference cycles are collected on the GUI thread, never on the DB thread that allocates most."""

from __future__ import annotations

import gc
import threading
from typing import Any

import pytest

from linksdesk.ui.collector import GuiThreadCollector

pytestmark = pytest.mark.gui


class Cyclic:
    """Garbage only the cycle collector can free; it says which thread freed it."""

    def __init__(self, freed_in: list[str]) -> None:
        self.freed_in = freed_in
        self.me = self

    def __del__(self) -> None:
        self.freed_in.append(threading.current_thread().name)


def test_cycles_wait_for_the_gui_thread_whatever_a_worker_allocates(
    qtbot: Any, gui_thread_collector: GuiThreadCollector
) -> None:
    assert not gc.isenabled()  # the automatic collector would run in any thread
    gc.collect()
    freed_in: list[str] = []
    Cyclic(freed_in)

    def allocate() -> None:
        # far past every threshold: with automatic collection this thread would free it
        keep = [(n, [n]) for n in range(300_000)]
        del keep

    worker = threading.Thread(target=allocate, name="linksdesk-db-test")
    worker.start()
    worker.join()
    assert freed_in == []
    qtbot.waitUntil(lambda: freed_in == [threading.main_thread().name], timeout=5_000)
