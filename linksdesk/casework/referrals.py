"""Referrals in: who referred the participant to the links worker, when and why."""

from __future__ import annotations

import datetime as dt
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


def edit_referral(cb: Casebook, referral_id: str, **fields: Any) -> Outcome[Referral]:
    cleaned = _clean(fields)
    return common.change(cb, ReferralIn, referral_id, "referral", cleaned, to_referral)


def list_referrals(cb: Casebook, participant_id: str) -> list[Referral]:
    """Referrals in, newest first."""
    order = (ReferralIn.received_on.desc(), ReferralIn.hlc.desc())
    return common.list_of(cb, participant_id, ReferralIn, to_referral, order)
