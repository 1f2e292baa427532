"""Dialogs for onward referrals and signposting to resources, and their outcome."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from linksdesk.core.vocab import OnwardKind, OnwardStatus
from linksdesk.ui.dialogs.form import Field, FormDialog, choices_of

# what can follow each status (casework enforces it; the dialog only offers these)
NEXT_STATUSES: dict[OnwardStatus, tuple[OnwardStatus, ...]] = {
    OnwardStatus.SUGGESTED: (OnwardStatus.MADE, OnwardStatus.DECLINED),
    OnwardStatus.MADE: (OnwardStatus.ATTENDED, OnwardStatus.DECLINED, OnwardStatus.NO_CAPACITY),
}


class OnwardDialog(FormDialog):
    """Signpost or refer the person to a resource from the directory."""

    def __init__(self, resources: Sequence[Any], parent: QWidget | None = None) -> None:
        tr = self.tr
        super().__init__(
            tr("Refer onward or signpost"),
            [
                Field(
                    "resource_id",
                    tr("Resource"),
                    "choice",
                    choices=[(r.name, r.id) for r in resources],
                    required=True,
                ),
                Field(
                    "kind",
                    tr("Kind"),
                    "choice",
                    OnwardKind.SIGNPOST,
                    choices=choices_of(OnwardKind),
                ),
                Field(
                    "status",
                    tr("Status"),
                    "choice",
                    OnwardStatus.SUGGESTED,
                    choices=choices_of(OnwardStatus, [OnwardStatus.SUGGESTED, OnwardStatus.MADE]),
                ),
            ],
            parent,
            intro=tr("Choose a resource from the directory.")
            if resources
            else tr(
                "The resource directory is empty: add resources on the Resources screen first."
            ),
        )

    @classmethod
    def ask(cls, parent: QWidget | None, resources: Sequence[Any]) -> dict[str, Any] | None:
        """{"resource_id", "kind", "status"}, or None."""
        return cls(resources, parent).run()


class OnwardUpdateDialog(FormDialog):
    """Move an onward referral on: made, attended, declined, no capacity, with an outcome."""

    def __init__(self, onward: Any, parent: QWidget | None = None) -> None:
        tr = self.tr
        nexts = NEXT_STATUSES.get(onward.status, ())
        super().__init__(
            tr("Update onward referral"),
            [
                Field(
                    "status",
                    tr("New status"),
                    "choice",
                    nexts[0] if nexts else None,
                    choices=choices_of(OnwardStatus, nexts),
                ),
                Field("outcome", tr("Outcome"), "text"),
            ],
            parent,
            intro=f"{onward.resource_name} — {onward.status.label}",
        )

    @classmethod
    def ask(cls, parent: QWidget | None, onward: Any) -> dict[str, Any] | None:
        if not NEXT_STATUSES.get(onward.status):
            return None
        return cls(onward, parent).run()
