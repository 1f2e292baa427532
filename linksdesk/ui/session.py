"""The open vault as the UI sees it: unlock and lock, idle lock, drafts, clipboard, changes."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Unpack

from PySide6.QtCore import QEvent, QMimeData, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication

from linksdesk.casework.bundles import create_vault
from linksdesk.casework.casebook import Casebook
from linksdesk.core.changes import Changes
from linksdesk.core.errors import EnvironmentProblem, VaultLockedError
from linksdesk.core.settings import Settings
from linksdesk.ui.runner import Callbacks, Job, TaskRunner, after

log = logging.getLogger(__name__)

Clock = Callable[[], float]
DraftProvider = Callable[[], Mapping[str, str]]
DraftRestorer = Callable[[Mapping[str, str]], None]

NETWORK_STOP_S = 60.0  # how long a lock waits for a cancelled sync to let go of the vault

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.InputMethod,
    }
)


class IdleWatcher(QObject):
    """Says when nobody has touched the app for N minutes of wall-clock time.

    Wall clock (``time.time``), not a monotonic timer, so that time asleep counts: a laptop
    closed for an hour is locked the moment it wakes. An application-wide event filter
    notes the last input; a timer compares it with the clock every few seconds.
    """

    sig_idle = Signal()

    def __init__(self, clock: Clock, tick_ms: int = 5000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._limit_s = 5 * 60.0
        self._last_input = clock()
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.check)
        self._filtering = False

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def set_minutes(self, minutes: float) -> None:
        self._limit_s = float(minutes) * 60.0

    def start(self, minutes: float | None = None) -> None:
        if minutes is not None:
            self.set_minutes(minutes)
        self.touch()
        app = QApplication.instance()
        if app is not None and not self._filtering:
            app.installEventFilter(self)
            self._filtering = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._filtering:
            app.removeEventFilter(self)
        self._filtering = False

    def touch(self) -> None:
        self._last_input = self._clock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self._last_input = self._clock()
        return False

    @Slot()
    def check(self) -> None:
        now = self._clock()
        if now < self._last_input:  # the clock was set back: count from now
            self._last_input = now
        if now - self._last_input >= self._limit_s:
            self.stop()
            self.sig_idle.emit()


class ClipboardGuard(QObject):
    """Copies text and clears it again after a while, but only if it is still ours.

    "Ours" is also what the worker copied from any of LinksDesk's own fields with Ctrl+C (a
    case note, the GP summary's preview): the setting promises copied text is cleared, not
    only what a Copy button put there. What another program copied is never touched.
    """

    def __init__(self, clear_ms: int = 30_000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ours: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(clear_ms)
        self._timer.timeout.connect(self.clear_if_ours)
        # whether the clipboard's text was put there by this process (Qt asks the system; the
        # offscreen platform of tests says never, so a test stands in for the system here)
        self.copied_here: Callable[[], bool] = QGuiApplication.clipboard().ownsClipboard
        QGuiApplication.clipboard().dataChanged.connect(self._on_clipboard_changed)

    @Slot()
    def _on_clipboard_changed(self) -> None:
        text = QGuiApplication.clipboard().text()
        if text and text != self._ours and self.copied_here():
            self.copy(text)  # again, with the hints asking clipboard histories not to keep it

    def set_clear_ms(self, clear_ms: int) -> None:
        self._timer.setInterval(clear_ms)

    def copy(self, text: str) -> None:
        data = QMimeData()
        data.setText(text)
        # ask clipboard managers and Windows clipboard history not to keep personal data
        data.setData("x-kde-passwordManagerHint", b"secret")
        data.setData(
            'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"',
            b"\x01\x00\x00\x00",
        )
        self._ours = text  # first: setting it tells _on_clipboard_changed at once
        QGuiApplication.clipboard().setMimeData(data)
        self._timer.start()

    def clear_at_lock(self) -> None:
        """What LinksDesk copied, and X11's selection if LinksDesk holds it: text selected is
        pasted with the middle button anywhere, and it outlives the field it came from (a name
        double-clicked stayed pasteable after the lock had cleared the screen)."""
        self.clear_if_ours()
        board = QGuiApplication.clipboard()
        if board.supportsSelection() and board.ownsSelection():
            board.clear(QClipboard.Mode.Selection)

    @Slot()
    def clear_if_ours(self) -> None:
        self._timer.stop()
        ours, self._ours = self._ours, None
        if ours is not None and QGuiApplication.clipboard().text() == ours:
            QGuiApplication.clipboard().clear()


class DraftRegistry(QObject):
    """Unsaved editor text that must survive a lock, kept inside the vault meanwhile.

    An editor registers ``provider() -> {draft key: text}`` (empty texts are ignored) and
    optionally ``restore(drafts)``. On lock the session saves every provided draft into the
    vault before locking. After unlock the stored drafts wait in ``pending``; each
    ``restore`` callback is called with them and should ``take(key)`` what it shows again.
    An editor opened later (a participant record) calls ``take(key)`` itself. A draft that was
    taken and is no longer provided at the next lock (saved or emptied) is discarded.
    ``sig_pending_changed`` tells what says "kept while locked" when ``pending`` changes.
    """

    sig_pending_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sources: list[tuple[DraftProvider, DraftRestorer | None]] = []
        self.pending: dict[str, str] = {}
        self._taken: set[str] = set()

    def register(
        self,
        provider: DraftProvider,
        restore: DraftRestorer | None = None,
        owner: QObject | None = None,
    ) -> None:
        self._sources.append((provider, restore))
        if owner is not None:
            owner.destroyed.connect(lambda *_: self.unregister(provider))

    def unregister(self, provider: DraftProvider) -> None:
        self._sources = [s for s in self._sources if s[0] is not provider]

    def collect(self) -> dict[str, str]:
        drafts: dict[str, str] = {}
        for provider, _restore in list(self._sources):
            try:
                provided = provider()
            except RuntimeError:  # the editor's widget is already gone
                continue
            for key, text in provided.items():
                if text and text.strip():
                    # two editors with a note for the same person (the record's editor and
                    # Record outcome's): both texts are kept, one after the other
                    kept = drafts.get(key)
                    drafts[key] = text if kept is None or kept == text else f"{kept}\n\n{text}"
        return drafts

    def stale_keys(self, provided: Mapping[str, str]) -> set[str]:
        return self._taken - set(provided)

    def take(self, key: str) -> str | None:
        text = self.pending.pop(key, None)
        if text is not None:
            self._taken.add(key)
            self.sig_pending_changed.emit()
        return text

    def keep(self, key: str, text: str) -> None:
        """Unsaved text set aside while unlocked (the worker opened another record): it
        waits in ``pending`` like a draft kept at a lock, for its editor to take up again."""
        self.pending[key] = text
        self._taken.discard(key)
        self.sig_pending_changed.emit()

    def forget(self, key: str) -> None:
        if self.pending.pop(key, None) is not None:
            self.sig_pending_changed.emit()
        self._taken.discard(key)

    def restore(self, drafts: Mapping[str, str]) -> None:
        self.pending = dict(drafts)
        self._taken = set()
        for _provider, restore in list(self._sources):
            if restore is not None and self.pending:
                restore(dict(self.pending))
        self.sig_pending_changed.emit()

    def clear(self) -> None:
        self.pending = {}
        self._taken = set()
        self.sig_pending_changed.emit()


def _load_session_state(cb: Casebook) -> tuple[Settings, dict[str, str], Path]:
    drafts: dict[str, str] = {}
    for key in cb.drafts():
        text = cb.load_draft(key)
        if text:
            drafts[key] = text
    return cb.settings(), drafts, cb.path


def _close_casebook(
    cb: Casebook, drafts: dict[str, str], stale: set[str], net: TaskRunner | None = None
) -> None:
    """Save drafts into the vault, then lock it, whatever happened to the drafts."""
    if net is not None and not net.wait_idle(NETWORK_STOP_S):
        # a sync that ignores its cancel flag must not keep the vault open for ever
        log.warning("network job still running at lock; locking anyway")
    try:
        for key in stale:
            cb.discard_draft(key)
        for key, text in drafts.items():
            cb.save_draft(key, text)
    finally:
        cb.lock()


def changes_in(result: object) -> Changes | None:
    """The ``Changes`` a job returned: itself, an ``Outcome.changes``, or inside a tuple."""
    if isinstance(result, Changes):
        return result
    changes = getattr(result, "changes", None)
    if isinstance(changes, Changes):
        return changes
    if isinstance(result, tuple):
        for item in result:
            if isinstance(item, Changes):
                return item
    return None


class UiSession(QObject):
    """The open ``Casebook`` (or None), the DB-thread runner and the worker's settings.

    Views call the casebook only through ``runner.submit`` (or ``call``), never directly.
    """

    sig_unlocked = Signal()
    sig_locked = Signal()  # the screen must be cleared now
    sig_closed = Signal()  # the DB thread has locked the vault and dropped the key
    sig_changed = Signal(object)  # Changes, after every job that returned some
    sig_settings_changed = Signal(object)  # Settings
    sig_status = Signal(str)  # a short message for the status bar
    sig_drafts_restored = Signal(object)  # dict of draft key -> text, after unlock
    sig_read_only = Signal(str)  # why: the page check found damage after the unlock was shown
    # what a lock stopped (an import, an export, a report), said after the next unlock
    sig_lock_stopped = Signal(str)
    _sig_pages_checked = Signal(object)  # the casebook whose page check ended (its thread)

    def __init__(
        self,
        runner: TaskRunner | None = None,
        *,
        clock: Clock = time.time,
        idle_tick_ms: int = 5000,
        clipboard_clear_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner if runner is not None else TaskRunner(self)
        # network work (sync) has its own thread so a slow server never holds up the screen;
        # its errors are routed like the DB thread's
        self.net = TaskRunner(self, name="linksdesk-net")
        self.net.sig_unhandled.connect(self.runner.sig_unhandled)
        self.net_cancel = threading.Event()
        self.casebook: Casebook | None = None
        self.settings = Settings()
        self.vault_path: Path | None = None
        self.drafts = DraftRegistry(self)
        # unsaved words a lock could not keep in the vault (its disk was full): held here,
        # for that vault only, until it is unlocked again and they can be kept in it
        self._held_drafts: tuple[Path, dict[str, str]] | None = None
        self.idle = IdleWatcher(clock, idle_tick_ms, self)
        self.idle.sig_idle.connect(self._on_idle_sig_idle)
        self._clipboard_ms_fixed = clipboard_clear_ms
        self.clipboard = ClipboardGuard(
            clipboard_clear_ms or self.settings.clipboard_clear_seconds * 1000, self
        )
        self.runner.sig_done.connect(self._on_runner_done)
        self.net.sig_done.connect(self._on_runner_done)
        self._announced = False  # sig_unlocked emitted for the open casebook
        # long jobs a lock stopped (their ``work``), by job id, until their end is known;
        # then what to say after the next unlock: never silence about work the person started
        self._stopping: dict[int, str] = {}
        self._stopped: list[str] = []
        self.runner.sig_cancelled.connect(self._on_job_cancelled)
        self._sig_pages_checked.connect(self._on_pages_checked)

    # -- state ----------------------------------------------------------------------------
    @property
    def is_unlocked(self) -> bool:
        return self.casebook is not None

    @property
    def read_only_reason(self) -> str | None:
        """Why the open vault is read-only (damaged), said once it is unlocked; else None."""
        return None if self.casebook is None else self.casebook.read_only_reason

    @property
    def clock_warning(self) -> str | None:
        """What to say about this laptop's clock at unlock (``Casebook.clock_warning``)."""
        return None if self.casebook is None else self.casebook.clock_warning

    def require_casebook(self) -> Casebook:
        if self.casebook is None:
            raise VaultLockedError()
        return self.casebook

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Job:
        """Run ``fn(casebook, *args, **kwargs)`` on the DB thread.

        ``on_done``, ``on_error`` and ``progress`` are the runner's (``TaskRunner.submit``).
        """
        return self.runner.submit(fn, self.require_casebook(), *args, **kwargs)

    # -- opening the vault ----------------------------------------------------------------
    def unlock(self, path: Path, passphrase: str, **callbacks: Unpack[Callbacks[Casebook]]) -> Job:
        """Unlock with the page check beside the first screen's reads (writes wait for it)."""
        unlock = functools.partial(Casebook.unlock, check_beside=True)
        return self._opening(unlock, Path(path), passphrase, **callbacks)

    def create(
        self,
        path: Path,
        passphrase: str,
        *,
        supervisor: bool = False,
        **callbacks: Unpack[Callbacks[tuple[Casebook, str]]],
    ) -> Job:
        """Create a vault; ``on_done((casebook, recovery_key))``. Call ``open`` once shown."""
        return self.runner.submit(
            create_vault, Path(path), passphrase, supervisor=supervisor, **callbacks
        )

    def recover(
        self,
        path: Path,
        recovery_key: str,
        new_passphrase: str,
        **callbacks: Unpack[Callbacks[Casebook]],
    ) -> Job:
        return self._opening(
            Casebook.recover, Path(path), recovery_key, new_passphrase, **callbacks
        )

    def _opening(
        self,
        fn: Callable[..., Casebook],
        *args: Any,
        **callbacks: Unpack[Callbacks[Casebook]],
    ) -> Job:
        """Open a vault with ``fn(*args)`` on the DB thread, then adopt it (``open``)."""
        return self.runner.submit(fn, *args, **after(self.open, callbacks))

    def open(self, casebook: Casebook) -> None:
        """Adopt an unlocked casebook: load settings and drafts, then announce the unlock."""
        self.casebook = casebook
        self.net_cancel = threading.Event()
        # the DB thread becomes the vault's only writer; the network thread (sync) hands
        # each write to it and waits, giving up on unstarted ones when the vault locks
        cancel = self.net_cancel
        runner = self.runner

        def dispatch(fn: Callable[[], Any]) -> Any:
            return runner.run_waiting(fn, cancel=cancel, label="sync write")

        self.runner.submit(casebook.store.claim_writer, dispatch)
        self.runner.submit(
            _load_session_state,
            casebook,
            on_done=self._on_state_loaded,
            on_error=self._on_state_failed,
        )
        self._announced = False
        casebook.when_pages_checked(lambda: self._sig_pages_checked.emit(casebook))

    @Slot(object)
    def _on_pages_checked(self, casebook: Casebook) -> None:
        """The page check ended: write the unlock audit now if it passed (rather than at the
        next save), or say the vault is read-only if the unlock was shown already."""
        if casebook is not self.casebook:
            return  # locked (or another vault opened) meanwhile
        reason = casebook.read_only_reason
        if reason is None:
            self.runner.submit(casebook.write_held)
        elif self._announced:
            self.sig_read_only.emit(reason)

    def _on_state_loaded(self, state: tuple[Settings, dict[str, str], Path]) -> None:
        settings, drafts, path = state
        if self.casebook is None:  # locked again meanwhile
            return
        self._apply_settings(settings)
        self.vault_path = path
        self.idle.start(settings.auto_lock_minutes)
        log.info("vault unlocked")
        self._announced = True
        drafts = self._held_back(path, drafts)
        self.sig_unlocked.emit()
        if self._stopped:
            self.sig_lock_stopped.emit(" ".join(self._stopped))
            self._stopped = []
        self.drafts.restore(drafts)
        if drafts:
            self.sig_drafts_restored.emit(dict(drafts))

    def _on_state_failed(self, exc: BaseException) -> None:
        # the vault opened but cannot be read: close it again rather than show half a window
        self.lock()

    # -- locking --------------------------------------------------------------------------
    def lock(self) -> None:
        """Save drafts into the vault and lock it on the DB thread; clear the screen now."""
        cb = self.casebook
        if cb is None:
            return
        drafts = self.drafts.collect()
        stale = self.drafts.stale_keys(drafts)
        for job in self.runner.cancel_all():
            if job.work:
                self._stopping[job.id] = job.work
        self.net_cancel.set()
        self.net.cancel_all()
        self.casebook = None
        self.idle.stop()
        self.clipboard.clear_at_lock()
        self.drafts.clear()
        self.settings = Settings()
        where = self.vault_path
        self.runner.submit(
            _close_casebook,
            cb,
            drafts,
            stale,
            self.net,
            on_done=lambda _none: self.sig_closed.emit(),
            on_error=lambda exc: self._on_close_failed(exc, where, drafts),
        )
        log.info("vault locked")
        self.sig_locked.emit()

    def _on_job_cancelled(self, job_id: int, finished: bool) -> None:
        work = self._stopping.pop(job_id, None)
        if work is None:
            return
        if finished:
            said = self.tr("The vault locked as {work} was ending: it was done all the same.")
        else:
            said = self.tr(
                "The vault locked during {work}, so it stopped: nothing of it was kept or "
                "written. Start it again."
            )
        self._stopped.append(said.format(work=work))

    def _on_close_failed(
        self, exc: BaseException, where: Path | None, drafts: dict[str, str]
    ) -> None:
        if drafts and where is not None and isinstance(exc, EnvironmentProblem):
            # the disk is full (or failing): the words must not go with the screen
            self._held_drafts = (where, dict(drafts))
            self.sig_status.emit(
                self.tr(
                    "The vault is locked, but the disk is full (or cannot be written to), so "
                    "your unsaved words could not be kept in it. LinksDesk holds them until "
                    "you unlock again: free some space, and do not quit LinksDesk before then."
                )
            )
        else:
            self.sig_status.emit(
                self.tr("The vault is locked, but unsaved text could not be kept as a draft.")
            )
        # the casebook locked all the same (``_close_casebook`` locks whatever happened to
        # the drafts): the key is dropped
        self.sig_closed.emit()

    @property
    def holds_unsaved_words(self) -> bool:
        """Words a lock could not keep in the vault (its disk full) are held in memory only:
        quitting now would lose them."""
        return self._held_drafts is not None

    def _held_back(self, path: Path, drafts: dict[str, str]) -> dict[str, str]:
        """The vault's drafts with the words a lock could not keep in it (when it is that
        vault), which are kept in it now."""
        if self._held_drafts is None or self._held_drafts[0] != path:
            return drafts
        held = self._held_drafts[1]
        self._held_drafts = None
        cb = self.require_casebook()
        for key, text in held.items():
            self.runner.submit(cb.save_draft, key, text)  # a failure says so, as any save
        return {**drafts, **held}

    @Slot()
    def _on_idle_sig_idle(self) -> None:
        log.info("locking after idle time")
        self.lock()

    def shutdown(self) -> None:
        """Lock (keeping drafts) and stop the DB thread; for quitting the app."""
        self.lock()  # queues the drafts and the lock itself, which must still run
        self.idle.stop()
        self.clipboard.clear_if_ours()
        self.runner.shutdown(wait=True, cancel_pending=False)
        self.net.shutdown(wait=True)

    # -- settings -------------------------------------------------------------------------
    def update_settings(
        self,
        changes: Mapping[str, Any],
        **callbacks: Unpack[Callbacks[Settings]],
    ) -> Job:
        cb = self.require_casebook()
        return self.runner.submit(
            lambda: cb.update_settings(**dict(changes)), **after(self._settings_saved, callbacks)
        )

    def reload_settings(self) -> Job:
        """Read the vault's settings again: a sync brought the programme's new ones (the
        appointment limit, the weeks before "not seen for", the concerns offered)."""
        cb = self.require_casebook()
        return self.runner.submit(cb.settings, on_done=self._settings_saved)

    def _settings_saved(self, settings: Settings) -> None:
        before = self.settings
        self._apply_settings(settings)
        if settings != before:
            # the pages were read under the old figures (Today's "not seen for" weeks, an
            # open record's appointment limit): they read again, as after a sync
            self.sig_changed.emit(Changes())

    def _apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        self.idle.set_minutes(settings.auto_lock_minutes)
        if self._clipboard_ms_fixed is None:
            self.clipboard.set_clear_ms(settings.clipboard_clear_seconds * 1000)
        self.sig_settings_changed.emit(settings)

    def call_network(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Job:
        """Run ``fn(casebook, *args, cancel=<Event>, **kwargs)`` on the network thread.

        The event is set when the vault locks; the lock waits for the job to stop.
        ``on_done`` and ``on_error`` are the runner's (``TaskRunner.submit``).
        """
        return self.net.submit(fn, self.require_casebook(), *args, cancel=self.net_cancel, **kwargs)

    def change_passphrase(
        self,
        new_passphrase: str,
        **callbacks: Unpack[Callbacks[None]],
    ) -> Job:
        cb = self.require_casebook()
        return self.runner.submit(cb.change_passphrase, new_passphrase, **callbacks)

    # -- drafts and clipboard -------------------------------------------------------------
    def discard_draft(self, key: str) -> None:
        """An editor saved its text: the draft kept from an earlier lock is not needed."""
        self.drafts.forget(key)
        if self.casebook is not None:
            self.runner.submit(self.casebook.discard_draft, key)

    def keep_draft(self, key: str, text: str) -> None:
        """Set unsaved text aside as a draft in the vault at once (not only at the lock), to
        come back when its editor opens again."""
        if self.casebook is None:
            return
        self.drafts.keep(key, text)
        self.runner.submit(self.casebook.save_draft, key, text)

    def copy_text(self, text: str) -> None:
        """Copy to the clipboard; cleared after the set time (30 s) if still ours."""
        self.clipboard.copy(text)

    # -- changes --------------------------------------------------------------------------
    @Slot(int, object)
    def _on_runner_done(self, _job_id: int, result: object) -> None:
        changes = changes_in(result)
        if changes is not None:
            self.sig_changed.emit(changes)
