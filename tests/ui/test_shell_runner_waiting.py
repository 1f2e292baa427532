"""Another thread hands work to the DB thread and waits: results, errors, a lock giving up."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from linksdesk.core.errors import NotFoundError
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


class _Asker(QWidget):
    """A dialog's part that asked the DB thread for something and shows the answer."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[object] = []

    def show_answer(self, value: object) -> None:
        self.shown.append(value)
        self.setWindowTitle(str(value))  # touches the widget, as any dialog's callback does

    def show_problem(self, exc: BaseException) -> None:
        self.setWindowTitle(str(exc))


def test_an_answer_for_a_widget_closed_meanwhile_is_dropped_and_the_job_stands(
    qtbot: Any,
) -> None:
    runner = TaskRunner(name="db-test")
    unhandled: list[BaseException] = []
    done: list[object] = []
    runner.sig_unhandled.connect(unhandled.append)
    runner.sig_done.connect(lambda _id, value: done.append(value))
    try:
        held = threading.Event()
        ran: list[str] = []
        runner.submit(held.wait, 10)  # the DB thread busy until the asker is gone
        asker, other = _Asker(), _Asker()
        runner.submit(lambda: ran.append("saved") or "answer", on_done=asker.show_answer)
        runner.submit(_refuse, on_error=other.show_problem)
        for widget in (asker, other):
            with qtbot.waitSignal(widget.destroyed, timeout=10_000):
                widget.deleteLater()
        held.set()
        qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
        assert ran == ["saved"] and "answer" in done  # the work was done and announced
        assert unhandled == []  # no "already deleted" error reaches the person
    finally:
        runner.shutdown()


def _refuse() -> None:
    raise NotFoundError("That record is no longer here.")
