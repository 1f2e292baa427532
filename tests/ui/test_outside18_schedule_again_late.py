"""Outside check 18: "Schedule again…" for a missed appointment recorded weeks late.

A tired worker catching up on a Friday records that someone did not attend three weeks ago,
and takes the offer to book again as it stands (Enter). The offer was a week after the
missed appointment: two weeks gone, so the new booking went straight into "Outcomes to
record" and no letter or reminder could be sent for it. The offer is the same time of day
a week from today when a week after the missed one has gone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import contact_menu, finished, on_modal
from PySide6.QtCore import Qt
from screens_kit import person, schedule, settle
from shell_kit import call_casework

from linksdesk.casework import contacts
from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.session import UiSession

pytestmark = [
    pytest.mark.gui,
]


def test_schedule_again_after_a_late_did_not_attend_offers_a_day_to_come(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    who = person(qtbot, ui_session)
    missed_at = dt.datetime.combine(dt.date.today() - dt.timedelta(days=21), dt.time(10))
    missed = schedule(qtbot, ui_session, who.id, missed_at)
    call_casework(
        qtbot, ui_session, contacts.record_outcome, missed.id, ContactStatus.DID_NOT_ATTEND
    )
    again = contact_menu(qtbot, unlocked_window, who.id, missed.id)["Schedule again…"]
    seen: dict[str, Any] = {}

    def as_offered(dialog: ContactDialog) -> None:
        seen["offered"] = dialog.values()["at"]
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    state = on_modal(as_offered, kind=ContactDialog)
    again.trigger()
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert seen["offered"] > dt.datetime.now(), seen["offered"]
    assert seen["offered"].time() == dt.time(10)
    booked = [
        c
        for c in call_casework(qtbot, ui_session, contacts.list_contacts, who.id)
        if c.status is ContactStatus.SCHEDULED
    ]
    assert [c.at for c in booked] == [seen["offered"]]
