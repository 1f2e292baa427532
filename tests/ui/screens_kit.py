"""Helpers for the screen tests: synthetic people and records, made on the DB thread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from shell_kit import PASSPHRASE, call_casework

from linksdesk.casework import contacts, goals, participants, resources
from linksdesk.core.vocab import ContactKind
from linksdesk.reports.scope import Period
from linksdesk.ui.views.supervision import SupervisionView

# synthetic names only
NAMES = [
    ("Ailsa", "Testington"),
    ("Brodie", "Samplewood"),
    ("Catriona", "Fakesmith"),
    ("Dougal", "Madeupson"),
]


def person(qtbot: Any, session: Any, given: str = "Ailsa", family: str = "Testington") -> Any:
    return call_casework(
        qtbot, session, participants.create_participant, given_name=given, family_name=family
    ).value


def schedule(qtbot: Any, session: Any, pid: str, at: dt.datetime, **kw: Any) -> Any:
    return call_casework(
        qtbot,
        session,
        contacts.schedule_contact,
        pid,
        kind=kw.pop("kind", ContactKind.APPOINTMENT),
        at=at,
        **kw,
    ).value


def goal(qtbot: Any, session: Any, pid: str, title: str, **kw: Any) -> Any:
    return call_casework(qtbot, session, goals.set_goal, pid, title, **kw).value


def resource(qtbot: Any, session: Any, organisation: str, service: str, **kw: Any) -> Any:
    return call_casework(
        qtbot, session, resources.add_resource, organisation=organisation, service=service, **kw
    ).value


def settle(qtbot: Any, session: Any, timeout: int = 20_000) -> None:
    """Wait until the DB thread has nothing queued and results have been delivered."""
    qtbot.waitUntil(lambda: not session.runner.busy, timeout=timeout)
    qtbot.wait(10)
    qtbot.waitUntil(lambda: not session.runner.busy, timeout=timeout)


def dashboard_on(qtbot: Any, session: Any, path: Path, period: str | None = None) -> Any:
    """The team dashboard of the vault at ``path``, unlocked and shown (for ``period``)."""
    with qtbot.waitSignal(session.sig_unlocked, timeout=20_000):
        session.unlock(path, PASSPHRASE)
    view = SupervisionView(session)
    qtbot.addWidget(view)
    view.resize(1100, 800)
    if period is not None:  # set before it is shown: shown, it computes once, for this period
        view.set_period(Period.parse(period))
    view.show()
    settle(qtbot, session)
    return view


def on_record_tab(qtbot: Any, window: Any, session: Any, tab: str) -> Any:
    """A new person's record open on its ``tab`` (goals, wellbeing...); returns the person."""
    who = person(qtbot, session)
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    view.tabs.setCurrentWidget(getattr(view, tab))
    return who


def unlock_again(qtbot: Any, window: Any, session: Any) -> None:
    """Type the passphrase into the unlock screen after a lock, and wait for the vault."""
    page = window.unlock_screen.open_page
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    settle(qtbot, session)


def texts(model: Any, column: int = 0) -> list[str]:
    return [str(model.index(r, column).data()) for r in range(model.rowCount())]


def drawn_canvases(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every matplotlib canvas drawn from now on, once for each draw (every Qt canvas draws
    through Agg's ``draw``; each draw lays its figure out again)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    drawn: list[Any] = []
    real_draw = FigureCanvasAgg.draw

    def counted(canvas: FigureCanvasAgg) -> None:
        drawn.append(canvas)
        real_draw(canvas)

    monkeypatch.setattr(FigureCanvasAgg, "draw", counted)
    return drawn
