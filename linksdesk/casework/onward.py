"""Onward referrals and signposting: participant → community resource, with a status lifecycle."""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlalchemy import select

from linksdesk.casework import notes, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import OnwardReferral, Outcome
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import OnwardKind, OnwardStatus
from linksdesk.storage.tables import OnwardReferral as OnwardRow
from linksdesk.storage.tables import Resource as ResourceRow

S = OnwardStatus
# suggested → made → attended | declined | no_capacity; a suggestion may also be declined
TRANSITIONS: dict[OnwardStatus, frozenset[OnwardStatus]] = {
    S.SUGGESTED: frozenset({S.MADE, S.DECLINED}),
    S.MADE: frozenset({S.ATTENDED, S.DECLINED, S.NO_CAPACITY}),
    S.ATTENDED: frozenset(),
    S.DECLINED: frozenset(),
    S.NO_CAPACITY: frozenset(),
}
FINAL = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
AWAITING = frozenset({S.SUGGESTED, S.MADE})
STARTING = frozenset({S.SUGGESTED, S.MADE})


# a resource this laptop does not hold: pulled rows keep no foreign keys, so a referral can
# arrive whose resource never did (set aside as incomplete on its way here)
GONE_RESOURCE: Final = "(a resource not in this laptop's directory)"


def resource_name(row: ResourceRow | None) -> str:
    return GONE_RESOURCE if row is None else f"{row.organisation} — {row.service}"


def to_onward(row: OnwardRow, resource: ResourceRow | None) -> OnwardReferral:
    return to_dto(OnwardReferral, row, resource_name=resource_name(resource))


def refer_onward(
    cb: Casebook,
    participant_id: str,
    resource_id: str,
    kind: OnwardKind | str,
    *,
    status: OnwardStatus | str = OnwardStatus.SUGGESTED,
    on: dt.date | None = None,
    why: str | None = None,
) -> Outcome[OnwardReferral]:
    """Signpost, refer or plan a supported visit to a resource (starts suggested or made).

    ``why`` (a short reason) is kept as a case note written with it, in the same write.
    """
    the_kind = records.enum_arg(OnwardKind, kind, "Kind of onward referral")
    first = records.enum_arg(OnwardStatus, status, "Onward referral status")
    if first not in STARTING:
        raise ValidationError("Onward referral status must start as suggested or made.")
    day = records.today(on)
    with cb.store.write() as tx:
        person = records.participant(tx.session, participant_id)
        resource = records.live(tx.session, ResourceRow, resource_id, "resource")
        row = tx.insert(
            OnwardRow(
                participant_id=person.id,
                resource_id=resource.id,
                kind=the_kind.value,
                status=first.value,
                made_on=day,
            )
        )
        reason = records.text_arg(why, "Why", max_len=500) if why else None
        if reason:
            notes.add_note(
                tx,
                person.id,
                f"{the_kind.label}: {resource.organisation} — {resource.service}. Why: {reason}",
            )
        return Outcome(to_onward(row, resource), tx.changes)


def update_onward(
    cb: Casebook,
    onward_id: str,
    status: OnwardStatus | str,
    *,
    outcome: str | None = None,
    on: dt.date | None = None,
) -> Outcome[OnwardReferral]:
    """Move along the lifecycle; a final status records the outcome and its date.

    Giving the current status again only updates the outcome text (to correct it).
    """
    target = records.enum_arg(OnwardStatus, status, "Onward referral status")
    text = records.text_arg(outcome, "Outcome", max_len=4000)
    day = records.today(on)
    with cb.store.write() as tx:
        row = records.live(tx.session, OnwardRow, onward_id, "onward referral")
        current = OnwardStatus(row.status)
        if target is current:
            if text is not None:
                tx.update(row, outcome=text)
        elif target in TRANSITIONS[current]:
            if target in FINAL and day < row.made_on:
                raise ValidationError("Outcome date cannot be before the referral was made.")
            # one decision: a concurrent step on the worker's other laptop wins or loses whole
            tx.update_together(
                row,
                {
                    "status": target.value,
                    "outcome": row.outcome if text is None else text,
                    "made_on": day if target is S.MADE else row.made_on,
                    "outcome_on": day if target in FINAL else None,
                },
            )
        else:
            raise ValidationError(
                f"Onward referral status cannot go from {current.label.lower()} "
                f"to {target.label.lower()}."
            )
        resource = tx.session.get(ResourceRow, row.resource_id)
        return Outcome(to_onward(row, resource), tx.changes)


def list_onward_referrals(cb: Casebook, participant_id: str) -> list[OnwardReferral]:
    """The participant's onward referrals and signposting, newest first."""
    with cb.store.read() as s:
        ids = records.person_ids(s, participant_id)
        rows = s.execute(
            select(OnwardRow, ResourceRow)
            .outerjoin(ResourceRow, ResourceRow.id == OnwardRow.resource_id)
            .where(OnwardRow.participant_id.in_(ids), OnwardRow.deleted.is_(False))
            .order_by(OnwardRow.made_on.desc(), OnwardRow.hlc.desc())
        ).all()
        return [to_onward(o, r) for o, r in rows]
