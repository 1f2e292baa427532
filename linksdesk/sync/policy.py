"""Confidentiality policy: the one place that decides what may leave the device, and in what form.

Every column of every syncable table carries two tags: for sync, ``share`` or ``local``; for
evaluation exports, ``keep``, ``transform`` (keyed hash, age band, deprivation decile, month)
or ``drop``. An untagged column counts as ``local``/``drop``; a test fails on any untagged one.
This module imports only core so the server can apply the same rules (defence in depth).
"""

from __future__ import annotations

from typing import Any, Final, Literal

from linksdesk.core.changes import RowChange

SyncTag = Literal["share", "local"]
EvalTag = Literal["keep", "transform", "drop"]

# columns common to every syncable row: routing and versioning travel with every change
ROUTING: Final = {
    "id": ("share", "transform"),
    "hlc": ("share", "drop"),
    "origin": ("share", "drop"),
    "deleted": ("share", "keep"),
    "sharing": ("share", "drop"),
    "owner": ("share", "transform"),
    "field_hlc": ("local", "drop"),  # versions travel as the change's ``base``
}

S, L = "share", "local"
K, T, D = "keep", "transform", "drop"

COLUMNS: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "participant": {
        "programme_id": (S, D),
        "given_name": (S, D),
        "family_name": (S, D),
        "preferred_name": (S, D),
        "date_of_birth": (S, T),  # → age band
        "phone": (S, D),
        "email": (S, D),
        "address": (S, D),
        "postcode": (S, T),  # → deprivation decile
        "gp_practice": (S, D),
        # how and when the person likes to be contacted is the worker's own working note
        "contact_preferences": (L, D),
        "risk_summary": (S, D),
        "status": (S, K),
        "status_reason": (S, D),
        "referred_on": (S, T),  # → month
        "closed_on": (S, T),
        "created_on": (S, T),
    },
    "status_change": {
        "participant_id": (S, T),
        "from_status": (S, K),
        "to_status": (S, K),
        "reason": (S, D),
        "changed_on": (S, T),
    },
    "consent": {
        "participant_id": (S, T),
        "scope": (S, K),
        "given": (S, K),
        "version": (S, K),
        "recorded_on": (S, T),
        "method": (S, K),
        "note": (S, D),
    },
    "referral": {
        "participant_id": (S, T),
        "received_on": (S, T),
        "source": (S, K),
        "referrer": (S, D),
        "reason": (S, D),
    },
    "concern": {
        "participant_id": (S, T),
        "category": (S, K),
        "stage": (S, K),
        "identified_on": (S, T),
        "detail": (S, D),
        "resolved_on": (S, T),
    },
    "contact": {
        "participant_id": (S, T),
        "kind": (S, K),
        "status": (S, K),
        "scheduled_at": (S, T),
        "minutes": (S, K),
        "venue": (S, D),
        "purpose": (S, D),
    },
    "note": {
        "participant_id": (S, T),
        "contact_id": (S, T),
        "written_at": (S, T),
    },
    "note_revision": {
        "note_id": (S, T),
        "participant_id": (S, T),
        "revision": (S, D),
        "base_revision_id": (S, D),
        "body": (S, D),
        "written_at": (S, T),
    },
    "goal": {
        "participant_id": (S, T),
        "title": (S, D),
        "why_it_matters": (S, D),
        "status": (S, K),
        "set_on": (S, T),
        "review_on": (S, T),
        "progress": (S, K),
        "closed_on": (S, T),
    },
    "goal_step": {
        "goal_id": (S, T),
        "participant_id": (S, T),
        "position": (S, D),
        "description": (S, D),
        "due_on": (S, T),
        "done_on": (S, T),
    },
    "relationship": {
        "participant_id": (S, T),
        "kind": (S, K),
        "name": (S, D),
        "detail": (S, D),
        # a third party's number: they never consented to it leaving the worker's laptop
        "phone": (L, D),
        "supportive": (S, K),
    },
    "resource": {
        "organisation": (S, K),
        "service": (S, K),
        "description": (S, D),
        "categories": (S, K),
        "address": (S, D),
        "postcode": (S, D),
        "area": (S, K),
        "when": (S, D),
        "who_for": (S, D),
        "cost": (S, D),
        "accessibility": (S, D),
        "how_to_refer": (S, D),
        "phone": (S, D),
        "email": (S, D),
        "website": (S, D),
        "capacity": (S, K),
        "last_verified": (S, T),
        "problem_reports": (S, D),
    },
    "onward_referral": {
        "participant_id": (S, T),
        "resource_id": (S, T),
        "kind": (S, K),
        "status": (S, K),
        "made_on": (S, T),
        "outcome": (S, D),
        "outcome_on": (S, T),
    },
    "measure": {
        "participant_id": (S, T),
        "kind": (S, K),
        "taken_on": (S, T),
        "context": (S, K),
        "assisted": (S, K),
        "items": (S, K),
        "total": (S, K),
        "metric": (S, K),
    },
    "erasure_receipt": {
        "participant_id": (S, T),
        "erased_at": (S, T),
        "rows_removed": (S, D),
    },
    "monthly_total": {
        "month": (S, K),
        "counts": (S, K),
    },
}

# rows that are not about one participant and are shared with the whole team
TEAM_TABLES: Final = frozenset({"resource"})
# rows that stand for the aggregate of unshared participants (rule 2)
AGGREGATE_TABLES: Final = frozenset({"monthly_total"})
# the server's record of a kept conflict: a device may only mark it resolved (a delete)
CONFLICT_TABLE: Final = "sync_conflict"
# what is left of an erased participant (no personal data)
RECEIPT_TABLE: Final = "erasure_receipt"
# envelope columns whose clocks count towards a row's synced version (see ``synced_clock``)
VERSIONED_ENVELOPE: Final = frozenset({"deleted", "sharing"})
# the consent scope that decides rule 2 (``ConsentScope.TEAM``; core vocab kept out of here)
TEAM_SCOPE: Final = "team"
# what of a team consent leaves for a participant who does not share: routing and decision
CONSENT_DECISION: Final = frozenset(
    {"participant_id", "scope", "given", "version", "recorded_on", "method"}
)


def sync_tag(table: str, column: str) -> str:
    if column in ROUTING:
        return ROUTING[column][0]
    return COLUMNS.get(table, {}).get(column, ("local", "drop"))[0]


def eval_tag(table: str, column: str) -> str:
    if column in ROUTING:
        return ROUTING[column][1]
    return COLUMNS.get(table, {}).get(column, ("local", "drop"))[1]


def shareable_columns(table: str) -> frozenset[str]:
    return frozenset(c for c, (tag, _) in COLUMNS.get(table, {}).items() if tag == "share")


def local_columns(table: str) -> frozenset[str]:
    return frozenset(c for c, (tag, _) in COLUMNS.get(table, {}).items() if tag == "local")


def synced_clock(table: str, field_hlc: dict[str, Any] | None, fallback: str = "") -> str:
    """The latest clock over the fields of a row that sync (the verify digest's ``hlc``).

    Edits of ``local`` columns move a row's own clock but never reach the server, so they
    must not count here or device and server digests would differ.
    """
    allowed = shareable_columns(table) | VERSIONED_ENVELOPE
    clocks = [str(v) for k, v in (field_hlc or {}).items() if k in allowed and v]
    return max(clocks, default=fallback)


def may_leave(change: RowChange) -> bool:
    """Rules 1 and 2: private rows and unconsented participants' rows never leave."""
    if change.table == CONFLICT_TABLE:
        # marking a kept conflict resolved carries ids only; the resolution itself is an
        # ordinary change to the row and goes through the rules below
        return change.op == "delete" and change.values.get("sharing", "team") != "private"
    if change.table not in COLUMNS:
        return False
    if change.op == "erase":
        return True  # the erasure command itself must reach everyone
    if change.values.get("sharing") == "private":
        return False
    if change.table == RECEIPT_TABLE:
        # ids, a time and a count: proof of an erasure, which must reach where copies went
        # (the participant's consent records are gone by the time it is written)
        return True
    if is_team_withdrawal(change):
        # the server and the worker's other devices must learn of it (without its note)
        return True
    return change.participant_id is None or change.participant_shared


def is_team_consent(change: RowChange) -> bool:
    return change.table == "consent" and change.values.get("scope") == TEAM_SCOPE


def is_team_withdrawal(change: RowChange) -> bool:
    """A later team consent saying no: it leaves even though the participant no longer shares.

    A first record saying no does not: nothing about that participant ever left (rule 2).
    """
    version = change.values.get("version")
    return (
        is_team_consent(change)
        and change.values.get("given") is False
        and isinstance(version, int)
        and version > 1
    )


class SyncPolicy:
    """The outbox policy the vault applies when a change is queued."""

    def outbound(self, change: RowChange) -> dict[str, Any] | None:
        if not may_leave(change):
            return None
        allowed = shareable_columns(change.table)
        if is_team_withdrawal(change) and not change.participant_shared:
            # a withdrawal leaves unshared: its decision, never its free text
            allowed = allowed & CONSENT_DECISION
        changed = change.changed
        if change.op == "upsert" and "sharing" in changed:
            # a private row made shareable: it has never left, so it goes out whole
            changed = changed | allowed
        fields = {k: change.values[k] for k in sorted(changed) if k in allowed}
        if change.op == "upsert" and not fields:
            return None  # only local columns changed: nothing to send
        return {
            "fields": fields,
            # tombstones and erasures carry the routing fields a filter needs
            "participant_id": change.participant_id,
            "owner": change.values.get("owner"),
            "sharing": change.values.get("sharing") or "team",
            "origin": change.values.get("origin"),
        }
