"""Small dialogs for a participant's record: consent, referral in, concern, relationship."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from linksdesk.casework import concerns, consent, referrals
from linksdesk.casework.dto import Consent
from linksdesk.core.vocab import (
    ConcernStage,
    ConsentMethod,
    ConsentScope,
    ReferralSource,
    RelationshipKind,
)
from linksdesk.ui.dialogs.form import Field, FormDialog, dated_today, enum_choice, values_of


class ConsentDialog(FormDialog):
    """Record a new version of one consent (the latest version decides)."""

    def __init__(
        self,
        scope: ConsentScope | None,
        parent: QWidget | None = None,
        current: Mapping[ConsentScope, Consent | None] | None = None,
    ) -> None:
        tr = self.tr
        deciding = current or {}
        super().__init__(
            tr("Record consent"),
            [
                enum_choice("scope", tr("Consent to"), ConsentScope.RECORD, scope),
                Field(
                    "given",
                    tr("Given"),
                    "choice",
                    True,
                    choices=[(tr("Given"), True), (tr("Not given or withdrawn"), False)],
                ),
                enum_choice("method", tr("How it was given"), ConsentMethod.VERBAL),
                dated_today("recorded_on", tr("Date")),
                Field("note", tr("Note"), "text"),
            ],
            parent,
            intro=tr("Each change is kept as a new version; the history stays visible."),
            # ``current``: the deciding consent of each scope, which a new one may not be
            # dated before (it would decide over it all the same)
            validate=lambda values: (
                consent.consent_problem(values)
                or consent.dated_problem(deciding.get(values["scope"]), values["recorded_on"])
            ),
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None = None,
        scope: ConsentScope | None = None,
        current: Mapping[ConsentScope, Consent | None] | None = None,
    ) -> dict[str, Any] | None:
        return cls(scope, parent, current).run()


class ReferralDialog(FormDialog):
    """A referral in: who referred the person, when, and why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        tr = self.tr
        super().__init__(
            tr("Add referral"),
            [
                enum_choice("source", tr("Source"), ReferralSource.GP),
                dated_today("received_on", tr("Received on")),
                Field("referrer", tr("Referrer")),
                Field("reason", tr("Reason"), "text"),
            ],
            parent,
            # a referral letter pasted whole may be longer than is kept: said here, not lost
            validate=referrals.referral_problem,
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
                enum_choice("stage", tr("Identified"), ConcernStage.LATER),
                dated_today("identified_on", tr("On")),
                Field("detail", tr("Detail"), "text"),
            ],
            parent,
            validate=concerns.concern_problem,
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
                enum_choice("kind", tr("Kind"), RelationshipKind.FAMILY, get("kind")),
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
        # an edit kept at a lock comes back in the edit of that person, not in Add to network
        self.about = existing.id if existing is not None else ""

    def draft_name(self) -> str:
        return "RelationshipEditDialog" if self.about else "RelationshipDialog"

    @classmethod
    def ask(cls, parent: QWidget | None = None, existing: Any = None) -> dict[str, Any] | None:
        return cls(existing, parent).run()
