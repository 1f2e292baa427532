"""A lock that comes while a long job runs (a bundle imported, a report written) stops it,
and the window that started it closes with the vault. After unlocking, the person is told
what became of it: nothing kept, or done all the same; never silence."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import next_bundle
from shell_kit import PASSPHRASE, on_db_thread, window_at_unlock
from sqlalchemy import func, select

from linksdesk.storage.tables import Participant
from linksdesk.ui.bundle_dialogs import ImportBundleDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def people(qtbot: Any, session: UiSession) -> int:
    def count(cb: Any) -> int:
        with cb.store.read() as s:
            return int(s.scalar(select(func.count()).select_from(Participant)) or 0)

    return int(on_db_thread(qtbot, session, count, session.require_casebook()))


def test_an_import_a_lock_stopped_is_told_after_unlocking(
    qtbot: Any, ui_session: UiSession, tmp_path: Path
) -> None:
    sup, lap, bundle = next_bundle(tmp_path, 40)
    lap.close()
    sup.vault.lock()

    window, page = window_at_unlock(qtbot, ui_session, sup.path)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    importer = ImportBundleDialog.ask(ui_session, window)
    importer.path.setText(str(bundle))
    importer.ok_button.click()
    with qtbot.waitSignal(ui_session.sig_closed, timeout=30_000):
        window.lock()
    page = window.unlock_screen.open_page
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    said = window.statusBar().currentMessage()
    held = people(qtbot, ui_session)
    if held == 1:  # stopped: the first bundle's one person only
        assert "during the import of a bundle, so it stopped: nothing of it was kept" in said
    else:  # it had ended as the lock came: all of it is there, and so it is said
        assert held == 41
        assert "as the import of a bundle was ending: it was done all the same" in said


def long_job(started: threading.Event, go_on: threading.Event, *, steps: bool) -> Any:
    """A job that says it started, waits for the test, then reports progress (``steps``,
    where a lock stops it) or ends without (a lock finds it done)."""

    def job(_cb: Any, *, progress: Any) -> str:
        started.set()
        go_on.wait(10)
        if steps:
            progress(1, 2)
        return "done"

    return job


@pytest.mark.parametrize(
    ("steps", "said"),
    [
        (True, "during the test's long job, so it stopped: nothing of it was kept or written"),
        (False, "as the test's long job was ending: it was done all the same"),
    ],
)
def test_after_unlocking_the_session_says_whether_a_stopped_job_got_done(
    qtbot: Any, unlocked: UiSession, made_vault: Path, steps: bool, said: str
) -> None:
    started, go_on = threading.Event(), threading.Event()
    told: list[str] = []
    unlocked.sig_lock_stopped.connect(told.append)
    unlocked.call(
        long_job(started, go_on, steps=steps),
        progress=True,
        work="the test's long job",
    )
    assert started.wait(10)
    unlocked.lock()
    go_on.set()
    qtbot.waitSignal(unlocked.sig_closed, timeout=20_000).wait()
    assert told == []  # said once the person is back, not over the lock screen
    with qtbot.waitSignal(unlocked.sig_unlocked, timeout=20_000):
        unlocked.unlock(made_vault, PASSPHRASE)
    assert len(told) == 1 and said in told[0]
    with qtbot.waitSignal(unlocked.sig_closed, timeout=20_000):
        unlocked.lock()
    with qtbot.waitSignal(unlocked.sig_unlocked, timeout=20_000):
        unlocked.unlock(made_vault, PASSPHRASE)
    assert len(told) == 1  # said once


def test_a_job_that_ended_before_the_lock_is_not_told_again(
    qtbot: Any, unlocked: UiSession, made_vault: Path
) -> None:
    told: list[str] = []
    unlocked.sig_lock_stopped.connect(told.append)
    done: list[str] = []
    unlocked.call(
        lambda _cb, *, progress: "done",
        progress=True,
        on_done=done.append,
        work="the test's long job",
    )
    qtbot.waitUntil(lambda: done == ["done"])
    with qtbot.waitSignal(unlocked.sig_closed, timeout=20_000):
        unlocked.lock()
    with qtbot.waitSignal(unlocked.sig_unlocked, timeout=20_000):
        unlocked.unlock(made_vault, PASSPHRASE)
    assert told == []
