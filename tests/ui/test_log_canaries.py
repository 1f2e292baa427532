"""Log files and crash reports: in the platform's log folder, 0600, rotating, and no canary.

Canaries are planted in every field a links worker types (names, contact details, risk,
notes, goals, contacts, concerns, resources, search text, passphrases); the app is then
driven through refusals, validation errors, a bug on the GUI thread, a bug in a CLI verb
and a hard crash of the interpreter. Every file in the log folder is then read: none may
hold any canary, and the expected reports must be there (so the test cannot pass on an
empty folder).
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import logging
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from shell_kit import call_casework

from linksdesk import app
from linksdesk.casework import concerns, contacts, goals, notes, participants, resources
from linksdesk.casework.casebook import Casebook
from linksdesk.core import logs
from linksdesk.core.errors import LinksDeskError
from linksdesk.ui.crash_dialog import install_recent_log
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

C = {
    "given": "Quillonia-CANARY-G1",
    "family": "Fotheringay-CANARY-F2",
    "preferred": "Quill-CANARY-P3",
    "phone": "07700 CANARY 900",
    "email": "canary-e5@example.invalid",
    "address": "4 Canary Wharf Lane CANARY-A6",
    "postcode": "ZZ9 CANARY",
    "gp": "CANARY-GP-Surgery-7",
    "prefs": "text only CANARY-CP8",
    "risk": "CANARY-RISK-9 dog in the house",
    "note": "CANARY-NOTE-10 spoke about the debt letters",
    "goal": "CANARY-GOAL-11 swim again",
    "why": "CANARY-WHY-12 feels stronger",
    "venue": "CANARY-VENUE-13 library",
    "purpose": "CANARY-PURPOSE-14 first meeting",
    "resource": "CANARY-RES-15 Men's Shed",
    "service": "CANARY-SVC-16 woodwork",
    "search": "CANARY-SEARCH-17",
    "passphrase": "CANARY wrong passphrase 18 horse",
    "bug": "CANARY-BUG-19 could not format",
}


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app's own file logging, in the platform's log folder under a temporary home."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(logs, "MAX_BYTES", 700)  # small, so the test rotates the log
    install_recent_log()  # first, as the app does: it sets the root level other tests expect
    fault_was_on = faulthandler.is_enabled()  # pytest's own, to stderr
    root = logging.getLogger()
    level = root.level
    path = app.configure_logging()
    assert path is not None
    assert path == tmp_path / "state" / "LinksDesk" / "log" / "linksdesk.log"
    yield path.parent
    for handler in list(root.handlers):
        if isinstance(handler, logs.PrivateRotatingFileHandler):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    faulthandler.disable()
    if logs._fault_file is not None:
        logs._fault_file.close()
        logs._fault_file = None
    if fault_was_on:
        faulthandler.enable(file=sys.__stderr__)


def _leaks(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes().lower()
            if b"canary" in data:
                found.append(path.name)
            for value in C.values():
                word = value.split()[0].lower().encode()
                if len(word) > 6 and word in data:
                    found.append(f"{path.name}: {value[:10]}")
    return found


def test_logs_and_crash_reports_hold_no_personal_data(
    qtbot: Any,
    unlocked_window: Any,
    ui_session: UiSession,
    made_vault: Path,
    log_folder: Path,
    tmp_path: Path,
) -> None:
    install_recent_log()
    window = unlocked_window
    person = call_casework(
        qtbot,
        ui_session,
        participants.create_participant,
        given_name=C["given"],
        family_name=C["family"],
        preferred_name=C["preferred"],
        phone=C["phone"],
        email=C["email"],
        address=C["address"],
        postcode=C["postcode"],
        gp_practice=C["gp"],
        contact_preferences=C["prefs"],
        risk_summary=C["risk"],
    ).value
    call_casework(qtbot, ui_session, notes.write_note, person.id, C["note"])
    call_casework(qtbot, ui_session, goals.set_goal, person.id, C["goal"], why_it_matters=C["why"])
    call_casework(
        qtbot,
        ui_session,
        contacts.record_contact,
        person.id,
        kind="appointment",
        at=dt.datetime(2026, 3, 2, 10, 0),
        venue=C["venue"],
        purpose=C["purpose"],
    )
    call_casework(qtbot, ui_session, concerns.add_concern, person.id, "Housing")
    call_casework(
        qtbot, ui_session, resources.add_resource, organisation=C["resource"], service=C["service"]
    )
    # a search typed into the palette
    window.open_search()
    window.search_palette.edit.setText(C["search"])
    window.search_palette.search_now()
    qtbot.wait(200)
    window.search_palette.hide()

    # people's errors: a validation error quoting what was typed, a refusal
    def invalid(cb: Any) -> None:
        participants.create_participant(
            cb,
            given_name=C["given"],
            family_name=C["family"],
            date_of_birth=dt.date.today() + dt.timedelta(days=400),
        )

    with qtbot.waitSignal(ui_session.runner.sig_unhandled, timeout=10_000):
        ui_session.call(invalid)
    with pytest.raises(LinksDeskError):
        Casebook.unlock(made_vault, C["passphrase"])

    # a bug on the GUI side whose message and locals quote a person
    def buggy(cb: Any) -> None:
        secret = C["given"]
        raise KeyError(f"{C['bug']} {secret}")

    ui_session.call(buggy)
    qtbot.waitUntil(lambda: window.crash_dialog is not None, timeout=10_000)
    assert window.crash_dialog.report_file is not None
    window.crash_dialog.reject()

    # a bug in a command-line verb
    def broken_check(args: Any) -> int:
        raise ValueError(f"{C['bug']} for {C['family']}")

    import linksdesk.app as app_module

    original = app_module.cmd_check
    app_module.cmd_check = broken_check  # type: ignore[assignment]
    try:
        with pytest.raises(SystemExit) as stopped:
            app_module.main(["check", "--vault", str(tmp_path / "none.vault")])
    finally:
        app_module.cmd_check = original  # type: ignore[assignment]
    assert stopped.value.code == app.EXIT_BUG

    # a hard crash of the interpreter (as a segfault in a library would be), same folder
    crash = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import faulthandler, sys
                from linksdesk import app
                app.configure_logging()
                name = {C["given"]!r}
                def crash_while_holding(text):
                    faulthandler._sigsegv()
                crash_while_holding(name)
                """
            ),
        ],
        env={**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")},
        capture_output=True,
        timeout=120,
    )
    assert crash.returncode != 0

    for handler in logging.getLogger().handlers:
        handler.flush()
    folder = log_folder
    names = sorted(p.name for p in folder.iterdir())
    # what must be there: the log (rotated at least once), two crash reports, the hard crash
    assert "linksdesk.log" in names and "linksdesk.log.1" in names, names
    reports = [n for n in names if n.startswith("crash-")]
    assert len(reports) >= 2, names
    hard = (folder / logs.FAULT_FILE).read_text()
    assert "Segmentation fault" in hard and "crash_while_holding" in hard
    text = "".join(
        (folder / n).read_text(errors="replace") for n in names if n.startswith("linksdesk.log")
    )
    assert "wrong passphrase for vault" in text  # events are logged: the file is in use
    assert "KeyError" in text and "ValueError" in text
    assert any("buggy" in (folder / r).read_text() for r in reports)
    # ...and no personal data anywhere
    assert _leaks(folder) == []
    # readable by the worker only
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for n in names:
        assert stat.S_IMODE((folder / n).stat().st_mode) == 0o600, n


def test_old_world_readable_log_is_made_private(tmp_path: Path) -> None:
    """A log file left 0644 by an older LinksDesk becomes 0600 when opened again."""
    old = tmp_path / "linksdesk.log"
    old.write_text("old line\n")
    os.chmod(old, 0o644)
    handler = logs.PrivateRotatingFileHandler(old, maxBytes=100, backupCount=2, encoding="utf-8")
    try:
        handler.setFormatter(logs.SafeFormatter(logs.FORMAT))
        for i in range(20):
            handler.emit(logging.LogRecord("t", logging.INFO, __file__, 1, "line %d", (i,), None))
    finally:
        handler.close()
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "linksdesk.log.1").stat().st_mode) == 0o600
    assert not (tmp_path / "linksdesk.log.3").exists()  # two backups kept, no more


def test_exceptions_attached_to_log_lines_lose_their_message(tmp_path: Path) -> None:
    formatter = logs.SafeFormatter(logs.FORMAT)
    try:
        raise RuntimeError(f"cannot save {C['note']}")
    except RuntimeError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = formatter.format(record)
    assert "builtins.RuntimeError" in line and "CANARY" not in line
