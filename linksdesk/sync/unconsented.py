"""Pulled content about a participant the team has no consent to share (rule 2, on arrival).

The server takes a participant's content only under a team consent it holds, logs that
consent before the content, and drops the content when consent is withdrawn; so a pulled
change about a participant whose latest team consent, on this laptop or on the page that
brings it, is not "given" comes from a broken or hostile server. It is not stored: stored,
the person would be listed here as shared and count in this laptop's monthly totals. It is
set aside as needing attention instead, and nothing held here changes (a record this
laptop's worker keeps unshared is left as they wrote it).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.registry import CONSENT_TABLE, PARTICIPANT_TABLE, TEAM_SCOPE
from linksdesk.storage.outbox import chunks
from linksdesk.storage.tables import Consent
from linksdesk.sync.protocol import Op, ServerChange

UNCONSENTED = (
    "The sync server sent a change to the record of a participant this laptop holds no "
    "consent to share with the team for, so it was not taken: nothing on this laptop "
    "changed, and the person is not counted or shown as shared. Tell your programme "
    "administrator."
)

_Consents = list[tuple[object, str, object]]


def _team_consent(ch: ServerChange) -> bool:
    return ch.table == CONSENT_TABLE and ch.fields.get("scope") == TEAM_SCOPE


def person_of(ch: ServerChange) -> str | None:
    """The participant whose consent decides whether ``ch`` may be held here; None when
    none does (team and worker tables, erasure receipts, the team consents themselves)."""
    if ch.op is Op.ERASE or not registry.follows_consent(ch.table) or _team_consent(ch):
        return None
    return ch.row_id if ch.table == PARTICIPANT_TABLE else ch.participant_id


def not_shared(s: Session, changes: list[ServerChange]) -> set[str]:
    """The participants ``changes`` bring content about whose latest team consent, among
    those held here and those the page itself brings (in any order on it), is not "given"."""
    named = {pid for ch in changes if (pid := person_of(ch))}
    if not named:
        return set()
    held: dict[str, _Consents] = {pid: [] for pid in named}
    for chunk in chunks(sorted(named), 500):
        query = select(Consent.participant_id, Consent.version, Consent.hlc, Consent.given).where(
            Consent.participant_id.in_(chunk),
            Consent.scope == TEAM_SCOPE,
            Consent.deleted.is_(False),
        )
        for pid, version, hlc, given in s.execute(query):
            held[pid].append((version, hlc, given))
    for ch in changes:
        pid = ch.participant_id
        if pid in held and _team_consent(ch) and ch.op is Op.UPSERT:
            fields = ch.fields
            if not fields.get("deleted") and "version" in fields and "given" in fields:
                held[pid].append((fields["version"], ch.hlc, fields["given"]))
    return {pid for pid, consents in held.items() if not registry.shared_with_team(consents)}
