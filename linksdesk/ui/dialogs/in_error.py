"""Mark a contact entered in error: why, and what will happen, before anything is written."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from linksdesk.casework.contacts import in_error_problem
from linksdesk.casework.dto import Contact
from linksdesk.ui.dialogs.form import Field, FormDialog

OTHER = "other"


class InErrorDialog(FormDialog):
    """Why a contact was entered in error (the wrong participant, recorded twice, or the
    worker's own words), with what marking it does: kept struck through, counted nowhere,
    synced, and undone by "Not in error after all"."""

    def __init__(self, contact: Contact, has_note: bool, parent: QWidget | None = None) -> None:
        tr = self.tr
        self.reasons = {
            "wrong_person": tr("Booked or recorded on the wrong participant"),
            "twice": tr("Recorded twice"),
            OTHER: tr("Something else (say what)"),
        }
        what = tr("{kind} on {when}, {outcome}").format(
            kind=contact.kind.label,
            when=f"{contact.at:%a %d %b %Y at %H:%M}",
            outcome=contact.outcome.lower(),
        )
        intro = [
            tr("<b>{what}</b>").format(what=what),
            tr(
                "Nothing is deleted. The contact stays in this record, struck through, with "
                "your reason, and in the audit trail. From now on it counts nowhere: not as "
                "seen, missed or cancelled, not towards the appointment limit, in no monthly "
                "total, report, GP summary or the person's own record, and it leaves the "
                "Diary and Today. The change syncs to your other laptop, the server and "
                "your supervisor's next bundle."
            ),
        ]
        if has_note:
            intro.append(
                tr("The case note written about it stays as it is: revise it too if it is wrong.")
            )
        intro.append(tr("If you mark the wrong contact, choose Not in error after all."))
        super().__init__(
            tr("Entered in error"),
            [
                Field(
                    "why",
                    tr("What went wrong"),
                    "choice",
                    "wrong_person",
                    choices=[(label, key) for key, label in self.reasons.items()],
                ),
                Field("detail", tr("In your words"), "line"),
            ],
            parent,
            intro="<br><br>".join(intro),
            ok_text=tr("Mark entered in error"),
            validate=self._problem,
        )

    def reason(self, values: dict[str, Any]) -> str:
        """The reason kept with the mark: the choice's words, and the worker's own."""
        detail = (values.get("detail") or "").strip()
        if values.get("why") == OTHER:
            return detail
        label = self.reasons.get(str(values.get("why")), "")
        return f"{label}: {detail}" if detail else label

    def _problem(self, values: dict[str, Any]) -> str | None:
        if values.get("why") == OTHER and not (values.get("detail") or "").strip():
            return self.tr("Say in your words what went wrong.")
        return in_error_problem(self.reason(values))

    @classmethod
    def ask(cls, parent: QWidget | None, contact: Contact, *, has_note: bool) -> str | None:
        """The reason to keep with the mark, or None when the worker changed their mind."""
        dialog = cls(contact, has_note, parent)
        values = dialog.run()
        return None if values is None else dialog.reason(values)
