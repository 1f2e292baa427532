"""These two records are one person: the confirmation before a merge, and before its undo.

Both default to the safe choice (Cancel, No): a tired Enter never makes two people one.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from linksdesk.casework.dto import ParticipantSummary
from linksdesk.casework.merging import RecordFacts, SamePerson
from linksdesk.core.item_words import counted
from linksdesk.ui.dialog_kit import ask_yes_no


def _born(parent: QWidget, facts: RecordFacts) -> str:
    born = facts.participant.date_of_birth
    if born is None:
        return parent.tr("no date of birth")
    return parent.tr("born {day}").format(day=f"{born:%d %B %Y}")


def describe(parent: QWidget, facts: RecordFacts) -> str:
    """One record in a line: id, name, date of birth, since when, what it holds."""
    tr = parent.tr
    p = facts.participant
    held = ", ".join(counted(kind, n) for kind, n in facts.counts)  # "1 contact", "2 goals"
    return tr("{pid}: {name}, {born}, recorded {since}; {held}").format(
        pid=p.programme_id,
        name=p.display_name,
        born=_born(parent, facts),
        since=f"{facts.created_on:%d %B %Y}",
        held=held,
    )


def confirm_merge(parent: QWidget, check: SamePerson) -> bool:
    """Ask before ``check.other`` is merged into ``check.kept``; True to go ahead."""
    tr = parent.tr
    kept, other = check.kept.participant, check.other.participant
    box = QMessageBox(
        QMessageBox.Icon.Warning, tr("These two records are one person?"), "", parent=parent
    )
    box.setText(
        tr("Keep {kept} and bring {other} into it?").format(
            kept=kept.programme_id, other=other.programme_id
        )
        + "\n\n"
        + tr("Kept:")
        + " "
        + describe(parent, check.kept)
        + "\n"
        + tr("Brought in:")
        + " "
        + describe(parent, check.other)
    )
    notes = [
        tr(
            "Nothing is deleted or moved: {other} stays findable and opens this record, both "
            "histories show here, and the person counts once. A consent withdrawn on either "
            "record applies to both. Not the same person after all… undoes it."
        ).format(other=other.programme_id),
        *(tr(d) for d in check.differences),
    ]
    box.setInformativeText("\n".join(notes))
    go = box.addButton(
        tr("Bring {other} into {kept}").format(other=other.programme_id, kept=kept.programme_id),
        QMessageBox.ButtonRole.AcceptRole,
    )
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go


def confirm_separate(parent: QWidget, kept: str, other: ParticipantSummary) -> bool:
    """Ask before a record merged in stands as a person of its own again."""
    tr = parent.tr
    return ask_yes_no(
        parent,
        tr("Not the same person after all?"),
        tr(
            "{other} ({name}) will be a record of its own again, with everything recorded "
            "in it, and no longer part of {kept}. Nothing is deleted."
        ).format(other=other.programme_id, name=other.display_name, kept=kept)
        + "\n\n"
        + tr(
            "{other}'s consents go back to what was recorded for it before (not given where "
            "nothing was): a consent given while they were one person stays with {kept} "
            "only, and a withdrawal recorded meanwhile stands for both."
        ).format(other=other.programme_id, kept=kept),
    )
