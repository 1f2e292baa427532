"""Before a new participant is added: the same names and date of birth already on record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from linksdesk.casework import participants
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import ParticipantSummary


def add_unless_known(cb: Casebook, values: dict[str, Any]) -> Any:
    """The people already recorded with these names and date of birth, or (none) the new
    participant's ``Outcome``. One job, so a new participant is saved before a lock as before."""
    given, family = values.get("given_name"), values.get("family_name")
    if isinstance(given, str) and isinstance(family, str):
        known = participants.possible_duplicates(cb, given, family, values.get("date_of_birth"))
        if known:
            return known
    return participants.create_participant(cb, **values)


def ask_same_person(parent: QWidget, known: Sequence[ParticipantSummary]) -> str | None:
    """A person returning months later is the same participant (the door is always open):
    the id of the record to open instead, "" to add a new participant anyway, None to stop.
    Opening is the default, so a tired Enter never makes a second record."""
    tr = parent.tr
    box = QMessageBox(QMessageBox.Icon.Question, tr("Already on record?"), "", parent=parent)
    lines = [f"{p.display_name} ({p.programme_id}), {p.status.label.lower()}" for p in known]
    box.setText(
        tr("Someone with the same names and date of birth is already on record:")
        + "\n"
        + "\n".join(lines)
    )
    box.setInformativeText(
        tr(
            "If this is the same person, open their record. A closed case is reopened there "
            "with Change status…, and everything recorded before is kept."
        )
    )
    first = known[0]
    open_button = box.addButton(
        tr("Open {pid}").format(pid=first.programme_id), QMessageBox.ButtonRole.AcceptRole
    )
    new_button = box.addButton(tr("Add a new participant"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(open_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_button:
        return first.id
    if clicked is new_button:
        return ""
    return None
