"""Referrals in: who referred the participant to the links worker, when and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from linksdesk.casework import common, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import Outcome, Referral
from linksdesk.core.vocab import ReferralSource
from linksdesk.storage.store import WriteTx
from linksdesk.storage.tables import Participant as ParticipantRow
from linksdesk.storage.tables import ReferralIn


def to_referral(row: ReferralIn) -> Referral:
    return to_dto(Referral, row)


_CHECKS: dict[str, common.Check] = {
    "source": common.choice(ReferralSource, "Referral source"),
    "received_on": common.date("Received on", required=True),
    "referrer": common.text("Referrer", max_len=200),
    "reason": common.text("Reason for referral", max_len=4000),
}


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return common.clean(values, _CHECKS, "referral")


def referral_problem(values: Mapping[str, Any]) -> str | None:
    """Why these details cannot be kept as a referral in, or None (the dialog asks first)."""
    return common.problem(values, _CHECKS, "referral")


def _first_referral(tx: WriteTx, person: ParticipantRow, row: ReferralIn) -> None:
    # the participant's referred-on date is their first referral's
    if person.referred_on is None:
        tx.update(person, referred_on=row.received_on)


def record_referral(
    cb: Casebook,
    participant_id: str,
    *,
    source: ReferralSource | str,
    received_on: dt.date | None = None,
    referrer: str | None = None,
    reason: str | None = None,
) -> Outcome[Referral]:
    fields = _clean(
        {
            "source": source,
            "received_on": records.today(received_on),
            "referrer": referrer,
            "reason": reason,
        }
    )
    return common.add_to_participant(
        cb, participant_id, ReferralIn, fields, to_referral, then=_first_referral
    )


def _still_standing(tx: WriteTx, row: ReferralIn) -> None:
    """A referral marked entered in error is not changed: the write rolls back."""
    common.standing_row(tx.session, ReferralIn, row.id, "referral")


def edit_referral(cb: Casebook, referral_id: str, **fields: Any) -> Outcome[Referral]:
    cleaned = _clean(fields)
    return common.change(
        cb, ReferralIn, referral_id, "referral", cleaned, to_referral, then=_still_standing
    )


def in_error_problem(reason: str | None) -> str | None:
    """Why ``reason`` cannot be kept as why a referral was entered in error, or None."""
    return common.in_error_problem(reason, "referral")


def mark_in_error(cb: Casebook, referral_id: str, reason: str) -> Outcome[Referral]:
    """Mark a referral in recorded twice (or on the wrong participant) entered in error.

    Nothing is deleted: it stays in the record, struck through, with when and why, and in the
    audit trail; from now on it counts nowhere: in no new-referral count, wait to a first
    contact, monthly total, report, evaluation file or the person's own record. The
    participant's referred-on date is their own detail and is left as it is. The mark syncs
    (``common.mark_in_error``)."""
    return common.mark_in_error(cb, ReferralIn, referral_id, "referral", reason, to_referral)


def restore_referral(cb: Casebook, referral_id: str) -> Outcome[Referral]:
    """Take the entered-in-error mark off a referral marked by mistake: it counts again."""
    return common.restore(cb, ReferralIn, referral_id, "referral", to_referral)


def list_referrals(cb: Casebook, participant_id: str) -> list[Referral]:
    """Referrals in, newest first."""
    order = (ReferralIn.received_on.desc(), ReferralIn.hlc.desc())
    return common.list_of(cb, participant_id, ReferralIn, to_referral, order)
