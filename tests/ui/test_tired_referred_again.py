"""The door is always open: a person whose case was closed months ago is referred again by
their GP. The worker records the new referral in on their record, and the case stayed
closed: off the Caseload and Today, so nobody booked them in. Now the record offers to
reopen it as referred; the worker decides (a referral typed in late for a case that stays
closed is kept as it is), and the status history keeps the closing."""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from screens_kit import person, settle
from shell_kit import call_casework

from linksdesk.casework import participants, referrals
from linksdesk.core.vocab import ParticipantStatus, ReferralSource
from linksdesk.ui.dialogs.form import FormDialog
from linksdesk.ui.dialogs.record import ReferralDialog
from linksdesk.ui.session import UiSession
from linksdesk.ui.views.participant_referrals import ReferralsTab

pytestmark = pytest.mark.gui
S = ParticipantStatus


@pytest.mark.parametrize("answer", [True, False])
def test_a_referral_in_for_a_closed_case_offers_to_reopen_it(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any, answer: bool
) -> None:
    who = person(qtbot, ui_session)
    call_casework(qtbot, ui_session, participants.close_participant, who.id, "Goals met")
    asked: list[bool] = []
    monkeypatch.setattr(ReferralsTab, "ask_reopen", lambda self: asked.append(True) or answer)
    view = unlocked_window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        unlocked_window.open_participant(who.id)
    view.tabs.setCurrentWidget(view.referrals)

    def refer(dialog: FormDialog) -> None:
        dialog.set_values({"source": ReferralSource.GP, "referrer": "Dr Sample"})
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    state = on_modal(refer, kind=ReferralDialog)
    qtbot.mouseClick(view.referrals.add_referral_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=20_000)
    settle(qtbot, ui_session)

    (kept,) = call_casework(qtbot, ui_session, referrals.list_referrals, who.id)
    assert kept.source is ReferralSource.GP  # the referral is saved whatever the answer
    now = call_casework(qtbot, ui_session, participants.get_participant, who.id)
    history = call_casework(qtbot, ui_session, participants.status_history, who.id)
    if answer:
        assert now.status is S.REFERRED and now.closed_on is None
        assert [h.to_status for h in history][-2:] == [S.CLOSED, S.REFERRED]
    else:
        assert now.status is S.CLOSED and history[-1].to_status is S.CLOSED

    # another referral in: asked again only while the case is still closed
    state = on_modal(refer, kind=ReferralDialog)
    qtbot.mouseClick(view.referrals.add_referral_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert len(call_casework(qtbot, ui_session, referrals.list_referrals, who.id)) == 2
    assert len(asked) == (1 if answer else 2)
