"""Dialogs for contacts: record one that happened, schedule one, record an outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QWidget

from linksdesk.core.vocab import ContactKind, ContactStatus
from linksdesk.ui.dialogs.form import Field, FormDialog, choices_of


def next_slot(after: dt.datetime | None = None, days: int = 7) -> dt.datetime:
    """The same time ``days`` later, on the hour: a sensible "schedule again" default."""
    base = (after or dt.datetime.now()) + dt.timedelta(days=days)
    return base.replace(minute=0, second=0, microsecond=0)


class ContactDialog(FormDialog):
    """Record a contact (``schedule=False``) or schedule one (``schedule=True``)."""

    def __init__(
        self,
        schedule: bool,
        prefill: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        tr = self.tr
        prefill = prefill or {}
        kinds = (
            [k for k in ContactKind if k is not ContactKind.ATTEMPTED]
            if schedule
            else list(ContactKind)
        )
        fields = [
            Field(
                "kind",
                tr("Kind of contact"),
                "choice",
                prefill.get("kind", ContactKind.APPOINTMENT),
                choices=choices_of(ContactKind, kinds),
            ),
            Field(
                "at",
                tr("When"),
                "datetime",
                prefill.get("at")
                or (
                    next_slot(days=1)
                    if schedule
                    else dt.datetime.now().replace(second=0, microsecond=0)
                ),
            ),
            Field(
                "minutes",
                tr("Minutes"),
                "int",
                prefill.get("minutes", 0 if schedule else 45),
                maximum=600,
            ),
            Field("venue", tr("Venue"), value=prefill.get("venue")),
            Field("purpose", tr("Purpose"), "text", prefill.get("purpose")),
        ]
        if not schedule:
            fields.insert(
                1,
                Field(
                    "status",
                    tr("Outcome"),
                    "choice",
                    ContactStatus.ATTENDED,
                    choices=choices_of(
                        ContactStatus,
                        [
                            ContactStatus.ATTENDED,
                            ContactStatus.DID_NOT_ATTEND,
                            ContactStatus.CANCELLED,
                        ],
                    ),
                ),
            )
        super().__init__(
            tr("Schedule contact") if schedule else tr("Record contact"),
            fields,
            parent,
            intro=tr(
                "Supported visits and attempted contacts do not count against the "
                "programme's appointment limit."
            ),
        )

    def values(self) -> dict[str, Any]:
        out = super().values()
        if not out.get("minutes"):
            out["minutes"] = None
        return out

    @classmethod
    def ask(
        cls,
        parent: QWidget | None = None,
        schedule: bool = False,
        prefill: dict[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """Keyword arguments for record_contact / schedule_contact, or None."""
        return cls(schedule, prefill, parent).run()
