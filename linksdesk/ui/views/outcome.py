"""Record a booked contact's outcome from a list (Today, the Diary), as on the record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate

from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from linksdesk.casework import contacts
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import AppointmentUse, Contact, DiaryEntry, Outcome
from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.dialogs.contact import (
    ContactDialog,
    MoveBookingDialog,
    OutcomeDialog,
    again_prefill,
)
from linksdesk.ui.views.common import Screen


def ask_outcome(
    screen: Any,
    entry: DiaryEntry,
    status: ContactStatus = ContactStatus.ATTENDED,
    on_done: Callable[[Any], None] | None = None,
) -> bool:
    """Ask what happened at ``entry`` (a booked contact) and record it once, with its note.

    ``screen`` is a Screen (``run``/``write``); False when the entry is not a booking.
    """
    if entry.status is not ContactStatus.SCHEDULED:
        screen.message.show_message(
            screen.tr("That contact's outcome is already recorded ({status}).").format(
                status=entry.status.label.lower()
            ),
            "info",
        )
        return False
    person = f"{entry.display_name} ({entry.programme_id})"
    end = screen.begin_once(f"outcome/{entry.contact_id}")
    if end is None:
        return True  # asked already: its dialog is on its way or open

    def failed(exc: BaseException) -> None:
        end()
        screen.show_problem(exc)

    def ask(use: AppointmentUse) -> None:
        values = OutcomeDialog.ask(screen, entry, status, person=person, use=use)
        write_outcome(screen, entry.contact_id, values, end, on_done)

    # where the person stands against the limit, for the dialog, before it opens
    if not screen.run(contacts.appointment_use, entry.participant_id, on_done=ask, on_error=failed):
        end()
    return True


def write_outcome(
    screen: Any,
    contact_id: str,
    values: dict[str, Any] | None,
    end: Callable[[], None],
    on_done: Callable[[Any], None] | None = None,
) -> None:
    """Write the outcome asked for (``values`` of Record outcome; None when cancelled) with
    ``record_booked_outcome``; ``end`` (of ``begin_once``) is called once it is written,
    refused or not sent, so the booking may be asked about again only then."""

    def failed(exc: BaseException) -> None:
        end()
        screen.show_problem(exc)

    def recorded(result: Any) -> None:
        try:
            if on_done is not None:
                on_done(result)
        finally:
            end()

    if not values or not screen.write(
        contacts.record_booked_outcome,
        contact_id,
        values.pop("status"),
        **values,
        on_done=recorded,
        on_error=failed,
    ):
        end()


def add_outcome_actions(
    menu: QMenu, parent: QWidget, enabled: bool, record: Callable[[ContactStatus], object]
) -> None:
    """The three outcomes of a booked contact as actions of ``menu``; each calls ``record``."""
    for text, status in (
        (parent.tr("Record outcome: &attended…"), ContactStatus.ATTENDED),
        (parent.tr("Record outcome: &did not attend…"), ContactStatus.DID_NOT_ATTEND),
        (parent.tr("Record outcome: &cancelled…"), ContactStatus.CANCELLED),
    ):
        action = menu.addAction(text)
        action.setEnabled(enabled)
        action.triggered.connect(lambda _c=False, s=status: record(s))


def outcome_menu(
    parent: QWidget,
    entry: DiaryEntry,
    record: Callable[[ContactStatus], object],
    move: Callable[[], object] | None = None,
) -> QMenu:
    """Context menu of a booked contact in a list: its outcome, straight from the row, and
    (given ``move``) Move booking…"""
    menu = QMenu(parent)
    booked = entry.status is ContactStatus.SCHEDULED
    add_outcome_actions(menu, parent, booked, record)
    if move is not None:
        action = menu.addAction(parent.tr("&Move booking…"))
        action.setEnabled(booked)
        action.triggered.connect(lambda _c=False: move())
    return menu


class BookingsScreen(Screen):
    """A list of many people's bookings (Today, the Diary): a booking asked about from a row
    (moved, booked again) names its person in the dialog's title, as the record does."""

    _rebooking: DiaryEntry | None = None  # whom the dialog open now is about

    def book_for(
        self,
        entry: DiaryEntry,
        ask: Callable[[], dict[str, Any] | None],
        use_case: Callable[Concatenate[Casebook, str, ...], Outcome[Contact]],
        target_id: str,
        on_done: Callable[[Any], None],
    ) -> None:
        """Ask for a booking about ``entry``'s person (the dialog names them: a list of many
        people's bookings is behind it), then save it with ``use_case(target_id, ...)``;
        ``on_done`` gets what was saved."""
        self._rebooking = entry
        try:
            values = ask()
        finally:
            self._rebooking = None
        if values:
            self.write(use_case, target_id, **values, on_done=on_done)

    def move_booking(self, entry: DiaryEntry, on_done: Callable[[Any], None]) -> None:
        """Move booking…: ``entry`` (a booking still to be recorded) to another day, time or
        venue, the booking itself (not cancelled and booked again)."""
        if entry.status is not ContactStatus.SCHEDULED:
            return
        self.book_for(
            entry,
            lambda: MoveBookingDialog.ask(self, entry),
            contacts.move_booking,
            entry.contact_id,
            on_done,
        )

    def after_outcome(
        self,
        entry: DiaryEntry,
        result: object,
        put_in_place: Callable[[Any], None],
        booked_again: Callable[[Any], None],
    ) -> None:
        """An outcome recorded at ``entry``: ``put_in_place(result)``; then, for a did not
        attend as saved (Record outcome may have been opened as another), the offer of
        another appointment a week after the missed one, as the record makes it; the booking
        saved goes to ``booked_again``."""
        put_in_place(result)
        saved = getattr(result, "contact", result)  # a BookedOutcome, or the Contact
        if not isinstance(saved, Contact) or saved.status is not ContactStatus.DID_NOT_ATTEND:
            return
        if not self.ask_schedule_again(entry):
            return
        prefill = again_prefill(entry)
        self.book_for(
            entry,
            lambda: ContactDialog.ask(self, schedule=True, prefill=prefill),
            contacts.schedule_contact,
            entry.participant_id,
            booked_again,
        )

    def ask_schedule_again(self, entry: DiaryEntry) -> bool:
        """The did-not-attend offer; tests replace it."""
        answer = QMessageBox.question(
            self,
            self.tr("Schedule again?"),
            self.tr("{name} did not attend. Offer another appointment?").format(
                name=entry.display_name
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def dialog_person(self) -> str | None:
        """Who a dialog opened from here writes about, for its title (see ``person_title``)."""
        entry = self._rebooking
        return f"{entry.display_name} ({entry.programme_id})" if entry is not None else None
