"""Dialogs for a participant's details and status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from linksdesk.casework.participants import birth_date_problem, details_problem
from linksdesk.core.records import Contact
from linksdesk.core.vocab import ParticipantStatus
from linksdesk.ui.dialog_kit import ask_yes_no
from linksdesk.ui.dialogs.form import Field, FormDialog, choices_of, fields_of
from linksdesk.ui.session import DraftProvider


class ParticipantDialog(FormDialog):
    """New participant, or edit one's details (status changes have their own dialog)."""

    def __init__(self, existing: Any = None, parent: QWidget | None = None) -> None:
        tr = self.tr
        # a new one, kept at a lock, is opened again from the kept drafts' bar
        self.keeps_without_record = existing is None
        field = fields_of(existing)
        fields = [
            field("given_name", tr("Given name"), required=True),
            field("family_name", tr("Family name"), required=True),
            field("preferred_name", tr("Preferred name")),
            field("date_of_birth", tr("Date of birth"), "optional_date"),
            field("phone", tr("Phone")),
            field("email", tr("Email")),
            field("address", tr("Address"), "text"),
            field("postcode", tr("Postcode")),
            field("gp_practice", tr("GP practice")),
            field(
                "contact_preferences",
                tr("Contact preferences"),
                "text",
                help=tr("How and when the person likes to be contacted."),
            ),
            field("risk_summary", tr("Risk summary"), "text"),
        ]
        if existing is None:
            fields.append(Field("referred_on", tr("Referred on"), "optional_date", ahead=False))
        title = tr("Edit details") if existing else tr("New participant")
        super().__init__(title, fields, parent, ok_text=tr("Save"), validate=self._born)

    def _born(self, values: dict[str, Any]) -> str | None:
        """A date of birth still to come is refused here, with everything typed still in
        the dialog: "3/4/27" from a GP letter reads as 2027 (two-digit years look at most
        ten years ahead), so the message says to type the year in full."""
        dob = values.get("date_of_birth")
        problem = birth_date_problem(dob)
        if problem is None or dob is None:
            # anything else casework would refuse (an email that is no address, a risk
            # summary pasted too long), said here with everything typed still in the dialog
            return details_problem(values)
        return self.tr("{problem} Type the year in full, e.g. {year}.").format(
            problem=problem, year=dob.year - 100
        )

    @classmethod
    def kept_meanwhile(cls, values: dict[str, Any], parent: QWidget) -> DraftProvider:
        """What a new participant's dialog answered, as its draft: registered while one more
        question comes before it is saved (someone already on record), a lock meanwhile
        keeps it, and New participant… offers it again."""
        dialog = cls(parent=parent)
        key = dialog._key_as_opened()
        dialog.set_values(values)
        kept = {key: dialog._draft_text()} if key else {}
        dialog.deleteLater()
        return lambda: kept

    @classmethod
    def ask(cls, parent: QWidget | None = None, existing: Any = None) -> dict[str, Any] | None:
        """The keyword arguments for create_participant / edit_participant, or None."""
        return cls(existing, parent).run()


class StatusDialog(FormDialog):
    """Change a participant's status: closing needs a reason; reopening is always possible."""

    def __init__(
        self,
        current: ParticipantStatus,
        parent: QWidget | None = None,
        booked: Sequence[Contact] = (),
    ) -> None:
        tr = self.tr
        self.booked = sorted(booked, key=lambda c: c.at)  # still to record: asked of at Closed
        others = [s for s in ParticipantStatus if s is not current]
        S = ParticipantStatus
        # the first choice is the usual next step (a tired worker leaves it as it is): an
        # active case's was "Referred", and its closing typed with a reason sent it back
        usual = {S.REFERRED: S.ACTIVE, S.ACTIVE: S.CLOSED, S.PAUSED: S.ACTIVE, S.CLOSED: S.REFERRED}
        super().__init__(
            tr("Change status"),
            [
                Field(
                    "to_status",
                    tr("New status"),
                    "choice",
                    usual[current],
                    choices=choices_of(ParticipantStatus, others),
                ),
                Field(
                    "reason",
                    tr("Reason"),
                    "text",
                    help=tr("Needed when closing; say why in plain words."),
                ),
            ],
            parent,
            intro=tr(
                "Currently {status}. The door is always open: a closed record can be "
                "reopened later."
            ).format(status=current.label.lower()),
            validate=lambda v: (
                tr("Say why the record is being closed.")
                if v["to_status"] is ParticipantStatus.CLOSED and not v["reason"]
                else None
            ),
        )

    def values(self) -> dict[str, Any]:
        out = super().values()
        # the box gives back the status's text: its member, so "is CLOSED" above holds
        out["to_status"] = ParticipantStatus(out["to_status"])
        return out

    def _on_ok(self) -> None:
        # closing with a booking still open asks first, with the dialog open: No (the
        # default, or a lock meanwhile) keeps what was typed, to record the booking first
        closing = self.values()["to_status"] is ParticipantStatus.CLOSED
        if closing and self.booked and not self.problem() and not self.close_anyway():
            return
        super()._on_ok()

    def close_anyway(self) -> bool:
        """Close with the bookings still open? (it would stay in the Diary and Today)."""
        first = self.booked[0]
        return ask_yes_no(
            self,
            self.tr("Close with a booking still open?"),
            self.tr(
                "{kind} at {when} is still booked ({count} in all). It stays in the Diary and "
                "Today until its outcome is recorded, or it is moved or cancelled. Close the "
                "case anyway?"
            ).format(
                kind=first.kind.label, when=f"{first.at:%H:%M on %a %d %b}", count=len(self.booked)
            ),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, current: ParticipantStatus, booked: Sequence[Contact] = ()
    ) -> dict[str, Any] | None:
        """The new status and reason, or None; ``booked``: the bookings still to record."""
        return cls(current, parent, booked).run()
