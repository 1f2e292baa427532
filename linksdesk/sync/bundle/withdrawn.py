"""A supervisor's vault remembers who withdrew team sharing, so an older bundle cannot bring
them back.

Importing a team consent's withdrawal purges the person, the withdrawal included (as a pull
does on a laptop), which left the vault no memory of it: a bundle made before the withdrawal
and imported after it (USB sticks brought in out of order) put the person's record back.
Each withdrawal now leaves a marker (the participant id and the withdrawal's rank: version,
then clock; no content), and a bundle's rows of a marked person are set aside unless the
bundle holds a team consent given again that outranks the withdrawal. A bundle holds each
person's whole consent history: a withdrawal its own later consent undoes is not applied
(it would purge a person who shares again; the supervisor's copy keeps the consents that
decide).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.sync import state
from linksdesk.sync.protocol import ServerChange

# local_setting: participant id → [version, clock] of the team withdrawal that purged them
MARKERS = "team_withdrawals"


def _latest_team_consents(changes: list[ServerChange]) -> dict[str, tuple[tuple[int, str], bool]]:
    """Each participant's latest team consent in the bundle: (rank, given)."""
    out: dict[str, tuple[tuple[int, str], bool]] = {}
    for ch in changes:
        fields = ch.fields
        if ch.table != registry.CONSENT_TABLE or ch.op != "upsert" or not ch.participant_id:
            continue
        if fields.get("scope") != registry.TEAM_SCOPE:
            continue
        rank = registry.consent_rank(fields.get("version"), ch.hlc)
        held = out.get(ch.participant_id)
        if held is None or rank > held[0]:
            out[ch.participant_id] = (rank, bool(fields.get("given")))
    return out


def set_aside(s: Session, changes: list[ServerChange]) -> tuple[list[ServerChange], int]:
    """The changes to apply (a withdrawn person's rows left out, their withdrawal kept so
    it purges what earlier imports brought, unless consent was given again later), and how
    many were left out; the markers are brought up to date."""
    markers: dict[str, Any] = dict(state.local_setting(s, MARKERS) or {})
    latest = _latest_team_consents(changes)
    for pid, (rank, given) in latest.items():
        marked = markers.get(pid)
        outranks = marked is None or rank > registry.consent_rank(marked[0], marked[1])
        if outranks and given:
            markers.pop(pid, None)  # consent given again: shared once more
        elif outranks:
            markers[pid] = [rank[0], rank[1]]
    state.put_local_setting(s, MARKERS, markers)
    kept = [
        ch
        for ch in changes
        if ch.op == "erase"
        or (ch.participant_id not in markers and not _superseded(ch, latest))
        or (ch.participant_id in markers and is_withdrawal(ch))
    ]
    return kept, len(changes) - len(kept)


def lift(s: Session, participant_id: str) -> None:
    """The marker of a withdrawal the server's bundle overruled (``unconfirmed``)."""
    markers: dict[str, Any] = dict(state.local_setting(s, MARKERS) or {})
    if markers.pop(participant_id, None) is not None:
        state.put_local_setting(s, MARKERS, markers)


def _superseded(ch: ServerChange, latest: dict[str, tuple[tuple[int, str], bool]]) -> bool:
    """A withdrawal the bundle's own later consent undoes: a bundle holds the whole consent
    history, and applying an old withdrawal would purge a person who shares again."""
    if not is_withdrawal(ch) or ch.participant_id is None:
        return False
    rank = registry.consent_rank(ch.fields.get("version"), ch.hlc)
    return latest.get(ch.participant_id, (rank, False))[0] > rank


def is_withdrawal(ch: ServerChange) -> bool:
    """A team consent withdrawn: applied even for a marked person, as it purges them."""
    fields = ch.fields
    return (
        ch.table == registry.CONSENT_TABLE
        and fields.get("scope") == registry.TEAM_SCOPE
        and fields.get("given") is False
    )
