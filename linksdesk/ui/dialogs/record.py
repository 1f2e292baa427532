"""Small dialogs for a participant's record: consent, referral in, concern, relationship."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from linksdesk.core.vocab import (
    ConcernStage,
    ConsentMethod,
    ConsentScope,
    ReferralSource,
    RelationshipKind,
)
from linksdesk.ui.dialogs.form import Field, FormDialog, choices_of, values_of


class ConsentDialog(FormDialog):
    """Record a new version of one consent (the latest version decides)."""

    def __init__(self, scope: ConsentScope | None, parent: QWidget | None = None) -> None:
        tr = self.tr
        super().__init__(
            tr("Record consent"),
            [
                Field(
                    "scope",
                    tr("Consent to"),
                    "choice",
                    scope or ConsentScope.RECORD,
                    choices=choices_of(ConsentScope),
                ),
                Field(
                    "given",
                    tr("Given"),
                    "choice",
                    True,
                    choices=[(tr("Given"), True), (tr("Not given or withdrawn"), False)],
                ),
                Field(
                    "method",
                    tr("How it was given"),
                    "choice",
                    ConsentMethod.VERBAL,
                    choices=choices_of(ConsentMethod),
                ),
                Field("recorded_on", tr("Date"), "date", dt.date.today()),
                Field("note", tr("Note"), "text"),
            ],
            parent,
            intro=tr("Each change is kept as a new version; the history stays visible."),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None = None, scope: ConsentScope | None = None
    ) -> dict[str, Any] | None:
        return cls(scope, parent).run()


class ReferralDialog(FormDialog):
    """A referral in: who referred the person, when, and why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        tr = self.tr
        super().__init__(
            tr("Add referral"),
            [
                Field(
                    "source",
                    tr("Source"),
                    "choice",
                    ReferralSource.GP,
                    choices=choices_of(ReferralSource),
                ),
                Field("received_on", tr("Received on"), "date", dt.date.today()),
                Field("referrer", tr("Referrer")),
                Field("reason", tr("Reason"), "text"),
            ],
            parent,
        )

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> dict[str, Any] | None:
        return cls(parent).run()


class ConcernDialog(FormDialog):
    """An issue identified, at referral or later."""

    def __init__(self, taxonomy: Sequence[str], parent: QWidget | None = None) -> None:
        tr = self.tr
        super().__init__(
            tr("Add concern"),
            [
                Field(
                    "category",
                    tr("Concern"),
                    "choice",
                    taxonomy[0] if taxonomy else None,
                    choices=[(c, c) for c in taxonomy],
                ),
                Field(
                    "stage",
                    tr("Identified"),
                    "choice",
                    ConcernStage.LATER,
                    choices=choices_of(ConcernStage),
                ),
                Field("identified_on", tr("On"), "date", dt.date.today()),
                Field("detail", tr("Detail"), "text"),
            ],
            parent,
        )

    @classmethod
    def ask(cls, parent: QWidget | None, taxonomy: Sequence[str]) -> dict[str, Any] | None:
        return cls(taxonomy, parent).run()


class RelationshipDialog(FormDialog):
    """Someone in the person's network: family, friends, groups, services."""

    def __init__(self, existing: Any = None, parent: QWidget | None = None) -> None:
        tr = self.tr
        get = values_of(existing)
        super().__init__(
            tr("Edit relationship") if existing else tr("Add to network"),
            [
                Field(
                    "kind",
                    tr("Kind"),
                    "choice",
                    get("kind") or RelationshipKind.FAMILY,
                    choices=choices_of(RelationshipKind),
                ),
                Field("name", tr("Name"), value=get("name"), required=True),
                Field("detail", tr("Detail"), "text", get("detail")),
                Field("phone", tr("Phone"), value=get("phone")),
                Field(
                    "supportive",
                    tr("A source of support"),
                    "check",
                    True if existing is None else get("supportive"),
                ),
            ],
            parent,
        )

    @classmethod
    def ask(cls, parent: QWidget | None = None, existing: Any = None) -> dict[str, Any] | None:
        return cls(existing, parent).run()
