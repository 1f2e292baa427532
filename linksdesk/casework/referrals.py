"""Referrals in: who referred the participant to the links worker, when and why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from linksdesk.casework import records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import Outcome, Referral
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import ReferralSource
from linksdesk.storage.tables import ReferralIn


def to_referral(row: ReferralIn) -> Referral:
    return to_dto(Referral, row)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "source":
            out[name] = records.enum_arg(ReferralSource, value, "Referral source").value
        elif name == "received_on":
            out[name] = records.date_arg(value, "Received on", required=True)
        elif name == "referrer":
            out[name] = records.text_arg(value, "Referrer", max_len=200)
        elif name == "reason":
            out[name] = records.text_arg(value, "Reason for referral", max_len=4000)
        else:
            raise ValidationError(f"'{name}' is not a referral detail that can be changed.")
    return out


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
    with cb.store.write() as tx:
        person = records.participant(tx.session, participant_id)
        row = tx.insert(ReferralIn(participant_id=person.id, **fields))
        if person.referred_on is None:
            tx.update(person, referred_on=row.received_on)
        return Outcome(to_referral(row), tx.changes)


def edit_referral(cb: Casebook, referral_id: str, **fields: Any) -> Outcome[Referral]:
    cleaned = _clean(fields)
    with cb.store.write() as tx:
        row = records.live(tx.session, ReferralIn, referral_id, "referral")
        tx.update(row, **cleaned)
        return Outcome(to_referral(row), tx.changes)


def list_referrals(cb: Casebook, participant_id: str) -> list[Referral]:
    """Referrals in, newest first."""
    with cb.store.read() as s:
        records.participant(s, participant_id)
        rows = s.scalars(
            select(ReferralIn)
            .where(ReferralIn.participant_id == participant_id, ReferralIn.deleted.is_(False))
            .order_by(ReferralIn.received_on.desc(), ReferralIn.hlc.desc())
        )
        return [to_referral(r) for r in rows]
