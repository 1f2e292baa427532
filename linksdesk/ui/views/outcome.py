"""Record a booked contact's outcome from a list (Today, the Diary), as on the record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QMenu, QWidget

from linksdesk.casework import contacts
from linksdesk.casework.dto import AppointmentUse, DiaryEntry
from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.dialogs.contact import OutcomeDialog


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

    def ask(use: AppointmentUse) -> None:
        values = OutcomeDialog.ask(screen, entry, status, person=person, use=use)
        if values:
            screen.write(
                contacts.record_booked_outcome,
                entry.contact_id,
                values.pop("status"),
                **values,
                on_done=on_done,
            )

    # where the person stands against the limit, for the dialog, before it opens
    screen.run(contacts.appointment_use, entry.participant_id, on_done=ask)
    return True


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
    parent: QWidget, entry: DiaryEntry, record: Callable[[ContactStatus], object]
) -> QMenu:
    """Context menu of a booked contact in a list: its outcome, straight from the row."""
    menu = QMenu(parent)
    add_outcome_actions(menu, parent, entry.status is ContactStatus.SCHEDULED, record)
    return menu
