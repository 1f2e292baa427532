"""What waits to leave the vault: the outbox and the saved pending batch, edited by participant."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeVar, cast

from sqlalchemy import CursorResult, delete, select, text, update
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.changes import ERASE_OP
from linksdesk.core.ids import uuid7
from linksdesk.storage.tables import Outbox, SyncState

# the sync_state row holding the pending batch (sync.state names it too)
PENDING_BATCH_KEY: Final = "pending_batch"
# ids per IN (...) statement (SQLite allows 32,766 variables)
_CHUNK = 500


@dataclass(frozen=True)
class PendingBatch:
    """A push batch saved in the vault before it is sent: resent byte for byte, under the
    same idempotency key, until the server's answer is recorded."""

    batch_key: str
    request: Mapping[str, Any]  # the PushRequest as JSON, changes as the server gets them

    @classmethod
    def from_json(cls, saved: Mapping[str, Any]) -> PendingBatch:
        request = dict(saved.get("request") or {})
        return cls(
            batch_key=str(saved.get("batch_key") or request.get("batch_key")), request=request
        )

    def to_json(self) -> dict[str, Any]:
        return {"batch_key": self.batch_key, "request": dict(self.request)}

    @property
    def changes(self) -> list[Mapping[str, Any]]:
        return list(self.request.get("changes") or [])

    def without(
        self, participant_id: str, *, keep_team_consent: bool = False
    ) -> PendingBatch | None:
        """This batch without the participant's changes, under a new key (the server answers
        a known key with its first answer, and applies each change once by its id, so
        resending what is left is safe); None when nothing is left. ``self`` when none of
        its changes is about them."""
        kept = [
            ch
            for ch in self.changes
            if not _queued_about(ch, participant_id, keep_team_consent=keep_team_consent)
        ]
        if len(kept) == len(self.changes):
            return self
        if not kept:
            return None
        key = str(uuid7())
        return PendingBatch(
            batch_key=key, request={**self.request, "batch_key": key, "changes": kept}
        )


def _queued_about(
    change: Mapping[str, Any], participant_id: str, *, keep_team_consent: bool
) -> bool:
    """Whether a change of a pending batch is about a participant (an erase command never
    counts: it must reach everyone; nor, when asked, a team consent record)."""
    if change.get("op") == ERASE_OP:
        return False
    fields = change.get("fields") or {}
    if (
        keep_team_consent
        and change.get("table") == registry.CONSENT_TABLE
        and fields.get("scope") == registry.TEAM_SCOPE
    ):
        return False
    return change.get("participant_id") == participant_id or change.get("row_id") == participant_id


def load_pending(session: Session) -> PendingBatch | None:
    saved = session.scalar(select(SyncState.value).where(SyncState.key == PENDING_BATCH_KEY))
    return PendingBatch.from_json(saved) if saved else None


def save_pending(session: Session, batch: PendingBatch) -> None:
    row = session.get(SyncState, PENDING_BATCH_KEY)
    if row is None:
        session.add(SyncState(key=PENDING_BATCH_KEY, value=batch.to_json()))
    else:
        row.value = batch.to_json()
    session.flush()


def save_pending_made(session: Session, stored: str) -> None:
    """``save_pending`` for a batch whose stored JSON (of ``to_json()``) is already made:
    written as it is, not made again inside the transaction."""
    session.execute(
        text("INSERT OR REPLACE INTO sync_state (key, value) VALUES (:key, :value)"),
        {"key": PENDING_BATCH_KEY, "value": stored},
    )


def drop_pending(session: Session) -> None:
    session.execute(delete(SyncState).where(SyncState.key == PENDING_BATCH_KEY))


def rewrite_pending_batch(
    session: Session, participant_id: str, *, keep_team_consent: bool = False
) -> bool:
    """Take a participant's changes out of the saved pending batch (new key); True if any."""
    batch = load_pending(session)
    if batch is None:
        return False
    left = batch.without(participant_id, keep_team_consent=keep_team_consent)
    if left is batch:
        return False
    if left is None:
        drop_pending(session)
        return True
    save_pending(session, left)
    session.execute(
        update(Outbox).where(Outbox.batch_key == batch.batch_key).values(batch_key=left.batch_key)
    )
    return True


def drop_participant_changes(
    session: Session,
    participant_id: str,
    *,
    row_ids: Iterable[str] = (),
    keep_team_consent: bool = False,
) -> int:
    """Forget every queued change about a participant (an erase command excepted), sent or
    not, and rewrite the saved pending batch without them; returns how many were dropped.
    ``keep_team_consent``: a withdrawal keeps team consent records queued, as they are what
    must reach everyone."""
    spare = text("1 = 1")
    if keep_team_consent:
        spare = text(
            f"NOT (outbox.table_name = '{registry.CONSENT_TABLE}' "
            f"AND json_extract(outbox.payload, '$.fields.scope') = '{registry.TEAM_SCOPE}')"
        )
    dropped = 0
    for chunk in chunks(sorted(set(row_ids) | {participant_id})):
        gone = session.execute(
            delete(Outbox).where(Outbox.row_id.in_(chunk), Outbox.op != ERASE_OP, spare)
        )
        dropped += rows_touched(gone)
    gone = session.execute(
        delete(Outbox).where(
            text("json_extract(outbox.payload, '$.participant_id') = :pid"),
            Outbox.op != ERASE_OP,
            spare,
        ),
        {"pid": participant_id},
    )
    dropped += rows_touched(gone)
    rewrite_pending_batch(session, participant_id, keep_team_consent=keep_team_consent)
    return dropped


def drop_unsent_changes(session: Session, participant_id: str) -> int:
    """Forget queued changes about a participant, the pending batch's included.

    For casework to call when team-sharing consent is withdrawn, in the same transaction:
    what was queued while consent stood must not leave after it was withdrawn.
    """
    return drop_participant_changes(session, participant_id)


def queued_row_ids(session: Session, participant_id: str) -> set[str]:
    """Ids of rows with a change still queued about a participant (or the participant)."""
    return set(
        session.scalars(
            select(Outbox.row_id).where(
                (Outbox.row_id == participant_id)
                | text("json_extract(outbox.payload, '$.participant_id') = :pid")
            ),
            {"pid": participant_id},
        )
    )


def rows_touched(result: Any) -> int:
    """Rows a bulk DELETE/UPDATE touched."""
    return int(cast(CursorResult[Any], result).rowcount)


T = TypeVar("T")


def chunks(items: list[T], size: int = _CHUNK) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
