"""Round 26 of the tired worker: the end of a long day, through the window as a person uses it."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from screens_kit import goal, person, resource, settle, unlock_again
from shell_kit import PASSPHRASE, FakeClock, call_casework, on_db_thread
from shiboken6 import Shiboken
from synthetic import NEW_PASSPHRASE
from test_tired_directory_referral import choose, referrals_of

from linksdesk.casework import concerns, consent, goals, onward, relationships
from linksdesk.core.vocab import ConsentScope, OnwardKind, OnwardStatus, RelationshipKind
from linksdesk.ui.dialogs.goal import StepDialog
from linksdesk.ui.dialogs.in_error import InErrorDialog
from linksdesk.ui.dialogs.onward import OnwardDialog, OnwardUpdateDialog
from linksdesk.ui.dialogs.record import ConsentDialog, RelationshipDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def kept_keys(qtbot: Any, session: UiSession) -> list[str]:
    return list(on_db_thread(qtbot, session, session.require_casebook().drafts))


def typing(qtbot: Any, **words: str) -> Callable[[Any], None]:
    """Type ``words`` into the form's fields of those names, as a person does."""

    def fill(dialog: Any) -> None:
        for key, text in words.items():
            qtbot.keyClicks(dialog.widget(key), text)

    return fill


def locked_while_typing(
    qtbot: Any,
    window: Any,
    session: UiSession,
    clock: FakeClock,
    kind: type,
    button: Any,
    fill: Any,
) -> None:
    """A click on ``button`` opens a ``kind`` dialog, ``fill`` types into it and the worker
    walks away: the idle lock closes it. Then the passphrase again, the window unlocked."""

    def walked_away(dialog: Any) -> None:
        fill(dialog)
        clock.advance(session.settings.auto_lock_minutes * 60 + 1)

    state = on_modal(walked_away, kind=kind)
    with qtbot.waitSignal(session.sig_closed, timeout=20_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    unlock_again(qtbot, window, session)


def taken_up(qtbot: Any, window: Any, session: UiSession, kind: type, field: str) -> dict[str, Any]:
    """The one piece of work kept at the lock, its name clicked in the bar: its ``kind``
    dialog must come up, and is saved there with Ctrl+Enter in ``field``. Returns what it
    showed: its values and its ``title``."""
    (key,) = kept_keys(qtbot, session)
    bar = window.kept_drafts
    qtbot.waitUntil(bar.isVisible, timeout=20_000)
    seen: dict[str, Any] = {}

    def carried_on(dialog: Any) -> None:
        seen.update(dialog.values(), title=dialog.windowTitle())
        box = dialog.widget(field)
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    state = on_modal(carried_on, kind=kind)
    bar.label.linkActivated.emit(key)
    qtbot.waitUntil(lambda: "dialog" in state, timeout=5000)
    finished(qtbot, state)
    settle(qtbot, session)
    return seen


def choose_row(table: Any, row_id: str) -> None:
    """Choose the row of ``row_id`` in one of the record's tables."""
    table.setCurrentIndex(table.model().index_of_id(row_id))


def on_tab(qtbot: Any, window: Any, pid: str, tab: str) -> Any:
    """The record of ``pid`` open on its ``tab``; the tab."""
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(pid)
    view.tabs.setCurrentWidget(getattr(view, tab))
    return getattr(view, tab)


def test_a_referral_from_the_directory_kept_at_the_lock_comes_back_to_the_same_resource(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    """Refer someone… from the directory, the Walking group chosen, the reason half typed,
    the idle lock: after unlock the kept words came back in the dialog with the first
    resource of the directory chosen instead (the Library), and Ctrl+Enter, as the message
    invited, referred her to the wrong place."""
    window = unlocked_window
    who = person(qtbot, ui_session)
    resource(qtbot, ui_session, "Craigbank Library", "Reading group")
    walks = resource(qtbot, ui_session, "Westfield Walkers", "Health walks")
    window.show_view("resources")
    settle(qtbot, ui_session)
    window.resources_view.open_resource(walks.id)

    def half_typed(dialog: OnwardDialog) -> None:
        assert dialog.chosen().id == walks.id
        qtbot.keyClicks(dialog.widget("why"), "Wants to get out of the house")

    chooser = choose(qtbot, "Ailsa")
    locked_while_typing(
        qtbot,
        window,
        ui_session,
        clock,
        OnwardDialog,
        window.resources_view.refer_button,
        half_typed,
    )
    finished(qtbot, chooser)
    seen = taken_up(qtbot, window, ui_session, OnwardDialog, "why")
    assert seen["why"] == "Wants to get out of the house"
    (made,) = referrals_of(qtbot, ui_session, who.id)
    assert made.resource_id == walks.id


def test_an_onward_outcome_typed_when_the_lock_came_is_back_on_the_same_referral(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    """Two referrals made for her; Update status… on the walking group, "Attended" and what
    she said of it typed, the idle lock. After unlock the bar named "Update onward referral
    for Ailsa Testington"; her name, clicked, opened the Timeline and nothing else: the
    words were nowhere to be seen again (and, kept under no referral of their own, would
    have come back in the next Update status… of any of her referrals)."""
    window = unlocked_window
    who = person(qtbot, ui_session)
    for organisation, service in (("Craigbank Library", "Reading group"), ("Westfield", "Walks")):
        place = resource(qtbot, ui_session, organisation, service)
        call_casework(
            qtbot, ui_session, onward.refer_onward, who.id, place.id, OnwardKind.REFERRAL,
            status=OnwardStatus.MADE,
        )  # fmt: skip
    tab = on_tab(qtbot, window, who.id, "referrals")
    walks = next(r for r in tab.onward_model.rows() if r.resource_name.startswith("Westfield"))
    choose_row(tab.onward_table, walks.id)
    said = "Went twice, wants to keep going"
    locked_while_typing(
        qtbot,
        window,
        ui_session,
        clock,
        OnwardUpdateDialog,
        tab.update_button,
        typing(qtbot, outcome=said),
    )
    seen = taken_up(qtbot, window, ui_session, OnwardUpdateDialog, "outcome")
    assert seen["outcome"] == said
    now = {r.resource_id: r for r in referrals_of(qtbot, ui_session, who.id)}
    assert now[walks.resource_id].status is OnwardStatus.ATTENDED
    assert now[walks.resource_id].outcome == said
    assert {r.status for r in now.values()} == {OnwardStatus.ATTENDED, OnwardStatus.MADE}
    assert kept_keys(qtbot, ui_session) == []


def test_enter_straight_after_a_name_in_search_opens_that_person_not_the_last_one(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """Ctrl+K, a name and Enter in one go, as a tired worker types: the Enter came before
    the search had run and did nothing (the palette stayed, the name typed). And with the
    laptop busy a moment (a sync, a report), Enter after the next name opened the person
    found last time, whose hits were still in the list: her record, not the one asked for."""
    window = unlocked_window
    ailsa = person(qtbot, ui_session)
    brodie = person(qtbot, ui_session, "Brodie", "Samplewood")
    view = window.participant_view

    def search_and_enter(name: str, busy: float = 0.0) -> None:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        qtbot.keyClick(window.today_view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
        palette = window.search_palette
        qtbot.waitUntil(palette.edit.hasFocus)
        if busy:  # the DB thread has something else to finish first
            ui_session.call(lambda _cb: time.sleep(busy))
        qtbot.keyClicks(palette.edit, name)
        if busy:
            qtbot.wait(palette.DEBOUNCE_MS + 100)  # typed, stopped, then Enter
        qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not palette.isVisible(), timeout=5000)
        settle(qtbot, ui_session)

    search_and_enter("brodie")
    assert window.current_view_key() == "record" and view.participant_id == brodie.id
    search_and_enter("ailsa", busy=1.0)
    assert view.participant_id == ailsa.id


def test_enter_after_repeating_a_new_passphrase_changes_it_or_says_it_has_not(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, made_vault: Path
) -> None:
    """Settings › Passphrase, the current one, the new one twice, and Enter, as at every
    other form: Enter was Save settings; with no setting changed the dialog shut, the three
    boxes wiped, nothing said, and the passphrase as it was. The worker went home thinking
    it was changed, and next morning the new one did not open the vault."""
    window = unlocked_window
    window.open_settings()
    dialog = window.settings_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.tabs.setCurrentIndex(1)
    for box, typed in (
        (dialog.current, PASSPHRASE),
        (dialog.new, NEW_PASSPHRASE),
        (dialog.repeat, NEW_PASSPHRASE),
    ):
        box.setFocus()
        qtbot.keyClicks(box, typed)
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    settle(qtbot, ui_session)
    if Shiboken.isValid(dialog) and dialog.isVisible():  # changed, said so, still open
        assert dialog.passphrase_message.kind == "success"
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not dialog.isVisible())
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        ui_session.lock()
    refused: list[BaseException] = []
    ui_session.unlock(made_vault, NEW_PASSPHRASE, on_error=refused.append)
    qtbot.waitUntil(lambda: ui_session.is_unlocked or bool(refused), timeout=20_000)
    assert refused == []


def test_a_step_typed_when_the_lock_came_is_kept_and_added_to_its_own_goal(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    """Add step… on her second goal, the step typed out, the idle lock: after unlock the
    step was gone, nothing kept and nothing said (every other form on the record keeps what
    was typed). Kept, it goes back to the goal it was typed for, whichever goal is chosen
    when it is taken up."""
    window = unlocked_window
    who = person(qtbot, ui_session)
    goal(qtbot, ui_session, who.id, "Get out of the house more")
    money = goal(qtbot, ui_session, who.id, "Sort out the rent arrears")
    tab = on_tab(qtbot, window, who.id, "goals")
    choose_row(tab.goals_table, money.id)
    step = "Phone the housing office about a payment plan"
    locked_while_typing(
        qtbot,
        window,
        ui_session,
        clock,
        StepDialog,
        tab.step_button,
        typing(qtbot, description=step),
    )
    on_tab(qtbot, window, who.id, "goals")  # the record again, the first goal chosen
    seen = taken_up(qtbot, window, ui_session, StepDialog, "description")
    assert seen["description"] == step
    saved = {g.id: [s.description for s in g.steps] for g in call_casework(
        qtbot, ui_session, goals.list_goals, who.id
    )}  # fmt: skip
    assert saved[money.id] == [step] and sum(map(len, saved.values())) == 1
    assert kept_keys(qtbot, ui_session) == []


def test_words_typed_for_one_concern_entered_in_error_never_come_back_for_another(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    """ "Entered in error…" on her Housing concern, "Something else" and the worker's words
    (it was her neighbour's), the idle lock. Later, marking her Money concern recorded
    twice: the dialog came up with the Housing words in it, "kept while LinksDesk was
    locked", and OK would have kept them as the Money concern's reason."""
    window = unlocked_window
    who = person(qtbot, ui_session)
    housing, money = (
        call_casework(qtbot, ui_session, concerns.add_concern, who.id, category).value
        for category in ("Housing", "Money and benefits")
    )
    tab = on_tab(qtbot, window, who.id, "profile")

    def other_reason(dialog: InErrorDialog) -> None:
        dialog.set_values({"why": "other"})
        qtbot.keyClicks(dialog.widget("detail"), "It was her neighbour's, not hers")

    choose_row(tab.concern_table, housing.id)
    locked_while_typing(
        qtbot, window, ui_session, clock, InErrorDialog, tab.in_error_button, other_reason
    )
    tab = on_tab(qtbot, window, who.id, "profile")
    seen: dict[str, Any] = {}

    def marked_twice(dialog: InErrorDialog) -> None:
        seen.update(dialog.values(), said=dialog.message.text())
        dialog.set_values({"why": "twice"})
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    choose_row(tab.concern_table, money.id)
    state = on_modal(marked_twice, kind=InErrorDialog)
    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert seen["detail"] is None and "kept" not in seen["said"]
    now = {c.id: c for c in call_casework(qtbot, ui_session, concerns.list_concerns, who.id)}
    assert now[money.id].in_error_reason == "Recorded twice"
    assert not now[housing.id].in_error


def test_an_edit_to_her_network_kept_at_the_lock_comes_back_in_that_edit(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    """Edit… on her daughter in the Network tab, the new phone number and "visits on
    Sundays" typed, the idle lock. After unlock, her name clicked in the bar opened an empty
    "Add to network": the edit was not in it, and stayed in the bar, never to be had back."""
    window = unlocked_window
    who = person(qtbot, ui_session)
    daughter = call_casework(
        qtbot, ui_session, relationships.add_relationship, who.id, RelationshipKind.FAMILY,
        "Morag Testington",
    ).value  # fmt: skip
    tab = on_tab(qtbot, window, who.id, "network")
    choose_row(tab.table, daughter.id)
    locked_while_typing(
        qtbot,
        window,
        ui_session,
        clock,
        RelationshipDialog,
        tab.edit_button,
        typing(qtbot, phone="07700 900123", detail="Daughter, visits on Sundays"),
    )
    seen = taken_up(qtbot, window, ui_session, RelationshipDialog, "detail")
    assert seen["title"].startswith("Edit relationship")
    assert (seen["name"], seen["phone"]) == ("Morag Testington", "07700 900123")
    (now,) = call_casework(qtbot, ui_session, relationships.list_relationships, who.id)
    assert now.id == daughter.id and now.detail == "Daughter, visits on Sundays"
    assert kept_keys(qtbot, ui_session) == []


def test_a_signed_form_recorded_late_does_not_undo_a_later_withdrawal(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """She agreed to share with her GP, then said no a week ago; today the worker finds the
    form she had signed before that and records it, dated the day she signed: recorded
    last, it was the latest version, so it decided: "given", and a GP summary could go to
    the practice against what she said last."""
    window = unlocked_window
    who = person(qtbot, ui_session)
    today = dt.date.today()
    said_no, signed = today - dt.timedelta(days=7), today - dt.timedelta(days=20)
    for given, on in ((True, today - dt.timedelta(days=30)), (False, said_no)):
        call_casework(
            qtbot, ui_session, consent.record_consent, who.id, ConsentScope.GP, given,
            recorded_on=on,
        )  # fmt: skip
    tab = on_tab(qtbot, window, who.id, "profile")
    seen: dict[str, Any] = {}

    def the_signed_form(dialog: ConsentDialog) -> None:
        dialog.set_values({"scope": ConsentScope.GP, "given": True})
        when = dialog.widget("recorded_on")
        when.edit.setFocus()
        when.edit.selectAll()
        qtbot.keyClicks(when.edit, f"{signed.day}/{signed.month}/{signed.year}")
        qtbot.keyClick(when.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        seen["open"], seen["said"] = dialog.isVisible(), dialog.message.text()
        if dialog.isVisible():
            dialog.done(0)

    state = on_modal(the_signed_form, kind=ConsentDialog)
    qtbot.mouseClick(tab.consent_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    current = call_casework(qtbot, ui_session, consent.current_consent, who.id)
    assert current[ConsentScope.GP].given is False  # what she said last still decides
    assert seen["open"] and f"{said_no.day} {said_no:%b %Y}" in seen["said"]
