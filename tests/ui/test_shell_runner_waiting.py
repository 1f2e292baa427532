"""Another thread hands work to the DB thread and waits: results, errors, a lock giving up."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from linksdesk.ui.runner import JobCancelled, TaskRunner

pytestmark = pytest.mark.gui


def _on_thread(fn: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def go() -> None:
        try:
            out["result"] = fn()
        except BaseException as exc:
            out["error"] = exc

    t = threading.Thread(target=go, name="network")
    t.start()
    out["thread"] = t
    return out


def test_work_handed_over_runs_on_the_db_thread_and_answers_the_caller(qtbot: Any) -> None:
    runner = TaskRunner(name="db-test")
    unhandled: list[BaseException] = []
    runner.sig_unhandled.connect(unhandled.append)
    try:
        got = _on_thread(lambda: runner.run_waiting(lambda: threading.current_thread().name))
        qtbot.waitUntil(lambda: not got["thread"].is_alive(), timeout=10_000)
        assert got["result"] == "db-test"

        def broken() -> None:
            raise ValueError("stop")

        failed = _on_thread(lambda: runner.run_waiting(broken))
        qtbot.waitUntil(lambda: not failed["thread"].is_alive(), timeout=10_000)
        assert isinstance(failed["error"], ValueError)
        qtbot.wait(50)
        assert unhandled == []  # the caller has it; it is not also a crash dialog
    finally:
        runner.shutdown()


def test_a_lock_gives_up_on_a_write_still_queued(qtbot: Any) -> None:
    runner = TaskRunner(name="db-test")
    cancel = threading.Event()
    release = threading.Event()
    ran: list[str] = []
    try:
        runner.submit(release.wait, 10)  # the DB thread is busy (a long job)
        waiting = _on_thread(lambda: runner.run_waiting(lambda: ran.append("x"), cancel=cancel))
        qtbot.wait(100)
        assert waiting["thread"].is_alive()
        cancel.set()  # the vault locks
        qtbot.waitUntil(lambda: not waiting["thread"].is_alive(), timeout=5_000)
        assert isinstance(waiting["error"], JobCancelled)
        release.set()
        assert runner.wait_idle(5)
        assert ran == []  # given up before it started: never run
    finally:
        release.set()
        runner.shutdown()
    after = _on_thread(lambda: runner.run_waiting(lambda: None))
    qtbot.waitUntil(lambda: not after["thread"].is_alive(), timeout=5_000)
    assert isinstance(after["error"], JobCancelled)
