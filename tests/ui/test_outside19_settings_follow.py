"""Outside check 19: the pages follow the programme figures changed in Settings.

Settings… says "People not seen for this long are listed on the Today screen to reach out
to", but a worker who lowered "Not seen for" from 6 weeks to 4 came back to a Today that
still said "not seen for 6 weeks or more" and left out the person last seen 5 weeks ago;
and a record open beside Settings kept the old appointment limit, so Record contact… went
on warning (or not warning) against the limit that was no longer the programme's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import morning_of_a_booking
from PySide6.QtCore import Qt
from screens_kit import person, settle
from shell_kit import call_casework

from linksdesk.casework import contacts
from linksdesk.core.vocab import ContactKind, ContactStatus
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def test_today_and_the_open_record_follow_a_saved_setting(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who, _booked = morning_of_a_booking(qtbot, ui_session)  # 4 appointments of 6
    brodie = person(qtbot, ui_session, "Brodie", "Samplewood")
    call_casework(qtbot, ui_session, contacts.record_contact, brodie.id,
        kind=ContactKind.APPOINTMENT, status=ContactStatus.ATTENDED,
        at=dt.datetime.now().replace(microsecond=0) - dt.timedelta(weeks=5),
    )  # fmt: skip
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    assert (view.data.appointments.used, view.data.appointments.limit) == (4, 6)
    window.show_view("today")
    today = window.today_view
    settle(qtbot, ui_session)
    assert ui_session.settings.not_seen_weeks == 6

    # the programme's figures change: "Not seen for" 4 weeks, 3 appointments per person
    window.action_settings.trigger()
    dialog = window.settings_dialog
    dialog.not_seen.setValue(4)
    dialog.appointment_limit.setValue(3)
    with qtbot.waitSignal(ui_session.sig_settings_changed, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    settle(qtbot, ui_session)
    said = today.not_seen_section.subtitle.text()
    assert "4 weeks" in said, said
    assert [r.participant_id for r in today.not_seen_model.rows()] == [brodie.id]
    window.open_participant(who.id)
    qtbot.waitUntil(lambda: view.data is not None and view.data.appointments.limit == 3,
                    timeout=20_000)  # fmt: skip
