"""The single DB thread: every vault job runs here, one at a time, results come back queued."""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypedDict, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

from linksdesk.core.errors import EnvironmentProblem, LinksDeskError
from linksdesk.core.logsafe import safe_traceback

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
_WAIT_SLICE_S = 0.05  # how often a thread waiting on a job looks whether it was given up


class JobCancelled(Exception):
    """Raised inside a job by its progress callback once the job has been cancelled."""


class Callbacks(TypedDict, Generic[R], total=False):
    """What a job calls back on the GUI thread: with its result, or with what it raised."""

    on_done: Callable[[R], None] | None
    on_error: Callable[[BaseException], None] | None


def after(first: Callable[[R], None], callbacks: Callbacks[R]) -> Callbacks[R]:
    """``callbacks`` with ``first(result)`` run before their own ``on_done``."""
    on_done = callbacks.get("on_done")

    def done(result: R) -> None:
        first(result)
        if on_done is not None:
            on_done(result)

    return {"on_done": done, "on_error": callbacks.get("on_error")}


def _owner_gone(callback: Callable[..., Any]) -> bool:
    """Whether ``callback`` is a method of a widget already deleted: a dialog the person
    closed (it deletes itself) before the job it started came back. Its answer is then
    dropped; what the job did stands, and an unexpected error is still reported."""
    owner = getattr(callback, "__self__", None)
    return isinstance(owner, QObject) and not shiboken6.isValid(owner)


def is_expected(exc: BaseException) -> bool:
    """True for errors meant for people (user or environment); anything else is a bug."""
    return isinstance(exc, (LinksDeskError, JobCancelled))


@dataclass(eq=False)
class Job:
    """One submitted call. ``cancel()`` skips it if not started, or drops its result."""

    id: int
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[BaseException], None] | None = None
    progress: bool = False
    label: str = ""
    # a save the person made (one short transaction): a lock lets it run rather than drop it
    keep: bool = False
    # a long job the person started, in their words ("the import of a bundle"): if a lock
    # stops it, the session says after the next unlock what became of it
    work: str = ""
    _cancelled: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()


class TaskRunner(QObject):
    """A one-worker executor around the open vault (the Anki "collection op" pattern).

    ``submit`` queues ``fn(*args)`` for the DB thread. Its result reaches ``on_done`` on the
    GUI thread; an exception reaches ``on_error``. Bugs (anything but a ``LinksDeskError``),
    and expected errors nobody handled, are also emitted as ``sig_unhandled`` so the main
    window can put them in the status bar or a crash dialog. A job submitted with
    ``progress=True`` gets a ``progress(done, total)`` keyword callback that reports through
    ``sig_progress`` and raises ``JobCancelled`` once the job is cancelled.
    """

    sig_done = Signal(int, object)  # job id, result
    sig_failed = Signal(int, object)  # job id, exception
    sig_progress = Signal(int, int, int)  # job id, done, total
    sig_unhandled = Signal(object)  # exception
    sig_busy = Signal(bool)  # a job is queued or running
    # job id, and whether its work was done all the same (cancelled after its last step):
    # a cancelled job's callbacks are not called, but what it did may need saying
    sig_cancelled = Signal(int, bool)
    _sig_finished = Signal(object, bool, object)  # job, ok, result or exception
    _sig_released = Signal()  # the DB thread holds nothing of its oldest finished job now

    def __init__(self, parent: QObject | None = None, *, name: str = "linksdesk-db") -> None:
        super().__init__(parent)
        self._name = name
        self._ids = itertools.count(1)
        self._queue: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pending: dict[int, Job] = {}
        self._lock = threading.Lock()
        self._active = 0  # queued or running, counted on the worker side
        self._idle = threading.Condition()
        self._closed = False
        # finished jobs with their outcome, kept until the DB thread has let go of them: a
        # job's callbacks may hold the last reference to a widget, and a widget freed on the
        # DB thread is a Qt object destroyed outside its thread (a crash some time later)
        self._released: collections.deque[tuple[Job, tuple[bool, object]]] = collections.deque()
        self._sig_finished.connect(self._on_worker_finished, Qt.ConnectionType.QueuedConnection)
        self._sig_released.connect(self._on_worker_released, Qt.ConnectionType.QueuedConnection)

    # -- public API ---------------------------------------------------------------------------
    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        progress: bool = False,
        label: str = "",
        keep: bool = False,
        work: str = "",
        **kwargs: Any,
    ) -> Job:
        if self._closed:
            raise RuntimeError("the task runner has been shut down")
        job = Job(next(self._ids), fn, args, kwargs, on_done, on_error, progress, label, keep, work)
        with self._lock:
            self._pending[job.id] = job
            first = len(self._pending) == 1
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name=self._name, daemon=False)
            self._thread.start()
        with self._idle:
            self._active += 1
        self._queue.put(job)
        if first:
            self.sig_busy.emit(True)
        return job

    def run_waiting(
        self, fn: Callable[[], T], *, cancel: threading.Event | None = None, label: str = ""
    ) -> T:
        """From another thread: run ``fn()`` on the DB thread as one job and wait for it.

        Its result is returned (or its exception raised) here, not sent to the GUI. A job
        cancelled before it starts (``cancel_all``, or ``cancel`` set while it waits, as
        locking does) raises ``JobCancelled`` at once, so a lock never waits for a write
        queued behind it; one already running is waited for, being one transaction.
        """
        if threading.current_thread() is self._thread:
            return fn()  # already on the DB thread
        outcome: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            if not outcome.set_running_or_notify_cancel():
                return  # given up on before it started
            try:
                outcome.set_result(fn())
            except BaseException as exc:  # reaches the waiting thread, not the GUI
                outcome.set_exception(exc)

        try:
            job = self.submit(run, label=label)
        except RuntimeError:  # shut down (quitting): the write will not happen
            raise JobCancelled() from None
        while True:
            try:
                return outcome.result(timeout=_WAIT_SLICE_S)
            except concurrent.futures.TimeoutError:
                given_up = job.cancelled or (cancel is not None and cancel.is_set())
                if given_up and outcome.cancel():
                    job.cancel()
                    raise JobCancelled() from None
            except concurrent.futures.CancelledError:
                raise JobCancelled() from None

    def cancel_all(self) -> list[Job]:
        """Cancel every queued and running job but the saves kept (``keep``); the cancelled
        jobs' results will not be delivered. Returns the jobs cancelled."""
        with self._lock:
            jobs = [job for job in self._pending.values() if not job.keep]
        for job in jobs:
            job.cancel()
        return jobs

    def cancel(self, job_id: int) -> None:
        with self._lock:
            job = self._pending.get(job_id)
        if job is not None:
            job.cancel()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def busy(self) -> bool:
        with self._lock:
            return bool(self._pending)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block (on another thread) until no job is queued or running; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._active == 0, timeout)

    def shutdown(self, wait: bool = True, *, cancel_pending: bool = True) -> None:
        """Stop the thread after the running job (and, unless cancelled, the queued ones)."""
        if self._closed:
            return
        self._closed = True
        if cancel_pending:
            self.cancel_all()
        if self._thread is not None:
            self._queue.put(None)
            if wait:
                self._thread.join()

    # -- the DB thread ------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                outcome = self._run(job)
                # handed to the GUI thread, which drops the last references to the job, its
                # callbacks and its result; this thread keeps none of them
                with self._lock:
                    self._released.append((job, outcome))
                del job, outcome
                self._sig_released.emit()
            finally:
                with self._idle:
                    self._active -= 1
                    self._idle.notify_all()

    def _run(self, job: Job) -> tuple[bool, object]:
        if job.cancelled:
            cancelled = (False, JobCancelled())
            self._sig_finished.emit(job, *cancelled)
            return cancelled
        kwargs = dict(job.kwargs)
        if job.progress:
            kwargs["progress"] = self._reporter(job)
        try:
            result = job.fn(*job.args, **kwargs)
        except BaseException as exc:  # every failure goes back to the GUI
            if not is_expected(exc):
                log.error("bug in a background job:\n%s", safe_traceback(exc))
            elif isinstance(exc, EnvironmentProblem):
                log.warning("environment problem in a job: %s", type(exc).__name__)
            self._sig_finished.emit(job, False, exc)
            return (False, exc)
        self._sig_finished.emit(job, True, result)
        return (True, result)

    def _reporter(self, job: Job) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            if job.cancelled:
                raise JobCancelled()
            self.sig_progress.emit(job.id, int(done), int(total))

        return report

    # -- back on the GUI thread ---------------------------------------------------------------
    @Slot()
    def _on_worker_released(self) -> None:
        with self._lock:
            released = self._released.popleft() if self._released else None
        # the last references to a finished job may go here, on the GUI thread
        del released

    @Slot(object, bool, object)
    def _on_worker_finished(self, job: Job, ok: bool, payload: object) -> None:
        with self._lock:
            self._pending.pop(job.id, None)
            idle = not self._pending
        try:
            if job.cancelled:
                if not ok and not is_expected(payload):  # type: ignore[arg-type]
                    self.sig_unhandled.emit(payload)  # a bug is a bug, even when cancelled
                self.sig_cancelled.emit(job.id, ok)
                return
            if ok:
                if job.on_done is not None and not _owner_gone(job.on_done):
                    job.on_done(payload)
                self.sig_done.emit(job.id, payload)
                return
            exc: BaseException = payload  # type: ignore[assignment]
            if job.on_error is not None and not _owner_gone(job.on_error):
                job.on_error(exc)
            self.sig_failed.emit(job.id, exc)
            if job.on_error is None or not is_expected(exc):
                self.sig_unhandled.emit(exc)
        finally:
            if idle:
                self.sig_busy.emit(False)
