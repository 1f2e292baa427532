"""Errors: people's errors in plain words in the status bar, bugs in a crash dialog (no content)."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from shell_kit import call_casework

from linksdesk.casework import participants
from linksdesk.core.errors import DiskFullError, ValidationError
from linksdesk.ui.crash_dialog import CrashDialog, install_recent_log
from linksdesk.ui.runner import JobCancelled, TaskRunner
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

CANARY = "Philomena Crashworthy"


def test_a_bug_in_a_job_shows_the_crash_dialog_without_personal_data(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    install_recent_log()
    window = unlocked_window
    given, family = CANARY.split()
    person = call_casework(
        qtbot, ui_session, participants.create_participant, given_name=given, family_name=family
    ).value
    logging.getLogger("linksdesk.test").info("opened record %s", person.id)

    def buggy(cb: Any) -> None:
        raise KeyError(f"no field for {CANARY}")  # a bug whose message quotes a name

    ui_session.call(buggy)
    qtbot.waitUntil(lambda: window.crash_dialog is not None, timeout=10_000)
    dialog = window.crash_dialog
    assert dialog.isVisible()
    report = dialog.details.toPlainText()
    assert "KeyError" in report
    assert "buggy" in report  # where it happened
    assert person.id in report  # the log tail is there (ids only)
    assert CANARY not in report and given not in report and family not in report
    assert ui_session.is_unlocked  # a bug does not throw the worker out
    dialog.reject()


def test_user_and_environment_errors_go_to_the_status_bar(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window

    def invalid(cb: Any) -> None:
        raise ValidationError("The date of birth cannot be in the future.")

    def disk_full(cb: Any) -> None:
        raise DiskFullError()

    with qtbot.waitSignal(ui_session.runner.sig_unhandled, timeout=10_000):
        ui_session.call(invalid)
    assert window.statusBar().currentMessage() == "The date of birth cannot be in the future."
    with qtbot.waitSignal(ui_session.runner.sig_unhandled, timeout=10_000):
        ui_session.call(disk_full)
    assert window.statusBar().currentMessage() == str(DiskFullError())
    assert window.crash_dialog is None


def test_crash_report_text_never_carries_the_exception_message() -> None:
    try:
        raise RuntimeError(f"could not format {CANARY}")
    except RuntimeError as exc:
        report = CrashDialog.report_text(exc)
    assert "RuntimeError" in report and CANARY not in report


def test_runner_delivers_on_the_gui_thread_and_reports_bugs(qtbot: Any) -> None:
    runner = TaskRunner()
    try:
        where: list[str] = []
        results: list[Any] = []
        runner.submit(
            lambda: threading.current_thread().name,
            on_done=lambda r: (results.append(r), where.append(threading.current_thread().name)),
        )
        qtbot.waitUntil(lambda: bool(results))
        assert results == ["linksdesk-db"]  # ran on the DB thread
        assert where == [threading.main_thread().name]  # answered on the GUI thread

        handled: list[BaseException] = []
        with qtbot.waitSignal(runner.sig_unhandled) as unhandled:
            runner.submit(lambda: 1 / 0, on_error=handled.append)
        assert isinstance(unhandled.args[0], ZeroDivisionError)  # a bug always surfaces
        assert isinstance(handled[0], ZeroDivisionError)  # and the caller may reset its UI

        # an expected error handled by the caller goes nowhere else
        unhandled_after: list[Any] = []
        runner.sig_unhandled.connect(unhandled_after.append)
        handled.clear()

        def invalid() -> None:
            raise ValidationError("Bad value.")

        runner.submit(invalid, on_error=handled.append)
        qtbot.waitUntil(lambda: bool(handled))
        assert unhandled_after == []
    finally:
        runner.shutdown()


def test_runner_cancel_skips_queued_jobs_and_stops_progress_jobs(qtbot: Any) -> None:
    runner = TaskRunner()
    try:
        gate = threading.Event()
        ran: list[str] = []
        done: list[Any] = []
        runner.submit(lambda: (gate.wait(10), ran.append("first")))
        queued = runner.submit(lambda: ran.append("second"), on_done=done.append)

        steps: list[int] = []
        hold = threading.Event()

        def long_job(progress: Any) -> str:
            for i in range(1000):
                progress(i, 1000)
                steps.append(i)
                if i == 3:
                    hold.wait(10)  # until the test has pressed Cancel
            return "finished"

        errors: list[BaseException] = []
        progress_job = runner.submit(long_job, progress=True, on_error=errors.append)
        queued.cancel()
        # a plain slot, not waitSignal: the job keeps reporting after the wait is over, and
        # queued emissions could reach a freed blocker's slot (seen as an AttributeError
        # on another blocker in the Qt event loop)
        reports: list[Any] = []
        runner.sig_progress.connect(lambda *args: reports.append(args))
        gate.set()
        qtbot.waitUntil(lambda: bool(reports), timeout=10_000)
        # the job is held at its fourth step: cancelling earlier would stop it sooner
        qtbot.waitUntil(lambda: len(steps) == 4, timeout=10_000)
        progress_job.cancel()
        hold.set()
        qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
        assert ran == ["first"]  # the cancelled job never ran
        assert done == []
        assert steps == [0, 1, 2, 3]  # the long job stopped at its next progress report
        assert errors == []  # a cancelled job reports nothing
    finally:
        runner.shutdown()


def test_a_finished_job_is_let_go_on_the_gui_thread(qtbot: Any) -> None:
    """A job's callbacks may hold the last reference to a widget: it must die on the GUI thread.

    Freed on the DB thread, a widget is a Qt object destroyed outside its thread, and the
    app crashes later in the event loop (seen as a segfault at a test's teardown).
    """
    runner = TaskRunner()
    freed_in: list[str] = []

    class Owner:  # stands for a view whose bound method is a job's on_done
        def done(self, _result: object) -> None:
            pass

        def __del__(self) -> None:
            freed_in.append(threading.current_thread().name)

    try:
        owner = Owner()
        runner.submit(lambda: "first", on_done=owner.done)
        qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
        qtbot.wait(50)  # the DB thread is idle, waiting for the next job
        del owner  # the view goes away; only what the runner kept could still hold it
        runner.submit(lambda: "second")
        qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
        qtbot.waitUntil(lambda: bool(freed_in), timeout=5_000)
        assert freed_in == [threading.main_thread().name]
    finally:
        runner.shutdown()


def test_shutdown_stops_the_thread(qtbot: Any) -> None:
    runner = TaskRunner()
    runner.submit(lambda: None)
    runner.shutdown()
    assert not any(t.name == "linksdesk-db" and t.is_alive() for t in threading.enumerate())
    with pytest.raises(RuntimeError):
        runner.submit(lambda: None)
    assert JobCancelled  # exported for jobs that want to stop themselves
