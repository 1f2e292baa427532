from __future__ import annotations
import datetime as dt
from typing import Any
import pytest
from screens_kit import person, schedule, settle
from shell_kit import call_casework
from linksdesk.casework import participants, notes

pytestmark = pytest.mark.gui


def test_probe(qtbot: Any, unlocked_window: Any, ui_session: Any) -> None:
    w = unlocked_window
    w.resize(1200, 780)
    long = person(qtbot, ui_session, "Eleni", "Christodoulopoulou")
    short = person(qtbot, ui_session, "Al", "Ng")
    at = (dt.datetime.now() + dt.timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    schedule(qtbot, ui_session, long.id, at, venue="Craigbank Library community room upstairs")
    schedule(qtbot, ui_session, short.id, at + dt.timedelta(hours=1), venue="GP")
    call_casework(qtbot, ui_session, notes.write_note, long.id, "word " * 400)
    call_casework(qtbot, ui_session, participants.close_participant, short.id, "Goals met")
    w.show_view("diary"); settle(qtbot, ui_session); qtbot.wait(200)
    w.diary_view.day_lists[(at.weekday())].grab().save("/tmp/probe/daycol_short.png")
    print("RESIZE", w.diary_view.day_lists[at.weekday()].resizeMode())
    for v in ("diary", "caseload", "today"):
        w.show_view(v)
        settle(qtbot, ui_session)
        qtbot.wait(200)
        w.grab().save(f"/tmp/probe/{v}.png")
    view = w.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        w.open_participant(short.id)
    qtbot.wait(200)
    w.grab().save("/tmp/probe/closed_record.png")
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        w.open_participant(long.id)
    qtbot.wait(200)
    w.grab().save("/tmp/probe/long_record.png")
