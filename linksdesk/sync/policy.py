"""Confidentiality policy: the one place that decides what may leave the device, and in what form.

Every column of every syncable table carries two tags, declared in the table registry
(:mod:`linksdesk.core.registry`): for sync, ``share`` or ``local``; for evaluation exports,
``keep``, ``transform`` (keyed hash, age band, deprivation decile, month) or ``drop``. An
untagged column counts as ``local``/``drop``; a test fails on any untagged one. This module
imports only core so the server can apply the same rules (defence in depth).
"""

from __future__ import annotations

import functools
from typing import Any, Final

from linksdesk.core import registry
from linksdesk.core.changes import RowChange

SyncTag = registry.SyncTag
EvalTag = registry.EvalTag

# columns common to every syncable row: routing and versioning travel with every change
ROUTING: Final[dict[str, tuple[str, str]]] = dict(registry.ENVELOPE)
# each syncable table's data columns and their (sync, evaluation) tags, from the registry
COLUMNS: Final[dict[str, dict[str, tuple[str, str]]]] = {
    t.name: dict(t.columns) for t in registry.TABLES
}

# rows that are not about one participant and are shared with the whole team
TEAM_TABLES: Final = frozenset(registry.TEAM_TABLES)
# rows that stand for the aggregate of unshared participants (rule 2)
AGGREGATE_TABLES: Final = frozenset(registry.WORKER_TABLES)
# the server's record of a kept conflict: a device may only mark it resolved (a delete)
CONFLICT_TABLE: Final = "sync_conflict"
# what is left of an erased participant (no personal data)
RECEIPT_TABLE: Final = registry.RECEIPT_TABLE
# envelope columns whose clocks count towards a row's synced version (see ``synced_clock``)
VERSIONED_ENVELOPE: Final = frozenset({"deleted", "sharing"})
# the consent scope that decides rule 2
TEAM_SCOPE: Final = registry.TEAM_SCOPE
# what of a team consent leaves for a participant who does not share: routing and decision
CONSENT_DECISION: Final = frozenset(
    {"participant_id", "scope", "given", "version", "recorded_on", "method"}
)


def sync_tag(table: str, column: str) -> str:
    return registry.tags(table, column)[0]


def eval_tag(table: str, column: str) -> str:
    return registry.tags(table, column)[1]


# cached: the registry's tags are fixed at import, and these are asked once per change
@functools.cache
def shareable_columns(table: str) -> frozenset[str]:
    return frozenset(c for c, (tag, _) in COLUMNS.get(table, {}).items() if tag == "share")


@functools.cache
def local_columns(table: str) -> frozenset[str]:
    return frozenset(c for c, (tag, _) in COLUMNS.get(table, {}).items() if tag == "local")


@functools.cache
def _versioned_columns(table: str) -> frozenset[str]:
    return shareable_columns(table) | VERSIONED_ENVELOPE


def synced_clock(table: str, field_hlc: dict[str, Any] | None, fallback: str = "") -> str:
    """The latest clock over the fields of a row that sync (the verify digest's ``hlc``).

    Edits of ``local`` columns move a row's own clock but never reach the server, so they
    must not count here or device and server digests would differ.
    """
    allowed = _versioned_columns(table)
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
