"""Per-field merge of one incoming change into a stored row: pure, shared by server and device.

Rules (docs/architecture.md, sync protocol 7): a field the change set on top of the current
value fast-forwards; concurrent edits of different fields both stand; a concurrent edit of
the same narrative or clinical field keeps the current value and reports a conflict (the
caller stores the other version so every device sees both); any other field goes to the
last writer by ``(hlc, device)`` and the losing value is reported so it can be logged.
The tombstone is the pseudo-field ``deleted``.

The server merges what devices push (``merge_fields``); a device merges what it pulls with
the same rules (``merge_pulled``): the server hands on only what it took, merged against
everything this device had sent, so a pulled field is concurrent with this device's value
only while this device holds an edit of it the server has not yet seen.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from linksdesk.sync.protocol import Change, ChangeStatus, Op, is_narrative

DELETED = "deleted"


@dataclass(frozen=True)
class FieldConflict:
    field: str
    kept_value: Any
    kept_hlc: str
    other_value: Any
    other_hlc: str


@dataclass(frozen=True)
class Superseded:
    """A value that lost under last writer wins (kept for the record, never in logs)."""

    field: str
    value: Any
    hlc: str
    incoming: bool  # True: the pushed value lost; False: the stored value was replaced


@dataclass(frozen=True)
class MergeResult:
    status: ChangeStatus
    # what to write: the new values and clocks of fields the change wins
    fields: dict[str, Any] = field(default_factory=dict)
    field_hlc: dict[str, str] = field(default_factory=dict)
    conflicts: tuple[FieldConflict, ...] = ()
    superseded: tuple[Superseded, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.fields) or bool(self.field_hlc)


def _device_of(hlc: str) -> str:
    return hlc.split("-", 2)[2] if hlc.count("-") >= 2 else ""


def change_values(change: Change) -> dict[str, Any]:
    """The field values a change sets, with a delete as ``deleted=True``."""
    if change.op is Op.DELETE:
        return {DELETED: True}
    return dict(change.fields)


def written_clocks(change: Change, values: Iterable[str]) -> dict[str, str]:
    """The clock at which ``change`` wrote each of ``values`` (a row not held takes them)."""
    if not change.field_hlc:
        return dict.fromkeys(values, change.hlc)
    return {f: change.clock_of(f) for f in values}


def merge_fields(
    server_fields: dict[str, Any] | None,
    server_field_hlc: dict[str, str] | None,
    change: Change,
    held_before: Callable[[str, str], bool] | None = None,
) -> MergeResult:
    """Merge ``change`` into a row holding ``server_fields`` at ``server_field_hlc``.

    ``server_fields`` is None when the row does not exist yet. Clocks compare as encoded
    HLC text, which orders by (wall, counter, device). ``held_before(field, clock)`` says
    whether the row held ``field`` as written at ``clock`` before its current value: a
    narrative field's copy (a sync check's repair sends a value with its own clock as its
    base) of such a value is a stale copy of what the current value replaced, not an edit
    made beside it, and raises no conflict.
    """
    return _merge(
        server_fields,
        server_field_hlc,
        change.table,
        change.hlc,
        change_values(change),
        change.clock_of,
        change.base,
        held_before,
    )


def merge_pulled(
    held_fields: Mapping[str, Any] | None,
    held_field_hlc: Mapping[str, str] | None,
    change: Change,
    *,
    unsent: Collection[str] = (),
    values: Mapping[str, Any] | None = None,
) -> MergeResult:
    """Merge a pulled ``change`` into a row this device holds (None: not held yet).

    The server hands on only values it took, merged against everything this device sent,
    so the change counts as based on every value held here except the fields in ``unsent``
    (edits waiting in the outbox, which the server has not seen): a later clock
    fast-forwards; an unsent edit of the same field is concurrent, so a narrative or clinical
    field keeps this device's version (reported as a conflict: pushed, the server keeps both
    for every device) and any other goes to the last writer. ``values`` are the field values
    to merge when not all of the change's (a device leaves out columns it does not keep).
    ``held_fields`` is read only for fields in ``unsent`` (None will do when there are none).
    """
    if values is None:
        values = change_values(change)
    base: Mapping[str, str] = {}
    if held_field_hlc is None:
        held_fields = None
    elif unsent:
        if held_fields is None:
            raise ValueError("the values held are needed to merge unsent edits")
        base = {f: h for f, h in held_field_hlc.items() if f not in unsent}
    else:
        held_fields = {} if held_fields is None else held_fields
        base = held_field_hlc
    return _merge(
        held_fields, held_field_hlc, change.table, change.hlc, values, change.clock_of, base
    )


def _merge(
    server_fields: Mapping[str, Any] | None,
    server_field_hlc: Mapping[str, str] | None,
    table: str,
    hlc: str,
    values: Mapping[str, Any],
    clock_of: Callable[[str], str],
    change_base: Mapping[str, str],
    held_before: Callable[[str, str], bool] | None = None,
) -> MergeResult:
    if server_fields is None or server_field_hlc is None:
        # a live row has no "deleted" clock until someone deletes (or revives) it, so
        # replicas that saw creations in different orders still agree field by field
        return MergeResult(
            status=ChangeStatus.APPLIED,
            fields=dict(values),
            field_hlc={f: clock_of(f) for f in values},
        )

    origin = _device_of(hlc)
    new_fields: dict[str, Any] = {}
    new_hlc: dict[str, str] = {}
    conflicts: list[FieldConflict] = []
    superseded: list[Superseded] = []
    concurrent = False

    for name, value in values.items():
        incoming = clock_of(name)
        current = server_field_hlc.get(name)
        if current is None:
            new_fields[name], new_hlc[name] = value, incoming
            continue
        if incoming == current:
            continue  # already have exactly this write
        base = change_base.get(name)
        seen_current = base is not None and base >= current
        if seen_current or _device_of(current) == origin:
            # a sequential edit: newer clock wins; an older one is a stale replay
            if incoming > current:
                new_fields[name], new_hlc[name] = value, incoming
            continue
        if (
            held_before is not None
            and base == incoming < current
            and is_narrative(table, name)
            and held_before(name, incoming)
        ):
            continue  # a repair's copy of a value the current one replaced: a stale replay
        concurrent = True
        old = server_fields.get(name)
        if old == value:
            if incoming > current:
                new_hlc[name] = incoming
                new_fields[name] = value
            continue
        if is_narrative(table, name):
            conflicts.append(FieldConflict(name, old, current, value, incoming))
        elif incoming > current:
            new_fields[name], new_hlc[name] = value, incoming
            superseded.append(Superseded(name, old, current, incoming=False))
        else:
            superseded.append(Superseded(name, value, incoming, incoming=True))

    if not concurrent:
        # different fields edited elsewhere since this change's base: a merge, not a replay
        latest_base = max(change_base.values(), default="")
        concurrent = any(
            h > latest_base and _device_of(h) != origin
            for f, h in server_field_hlc.items()
            if f not in new_fields and f not in values
        )
    if conflicts:
        status = ChangeStatus.CONFLICT
    elif concurrent:
        status = ChangeStatus.MERGED
    else:
        status = ChangeStatus.APPLIED
    return MergeResult(
        status=status,
        fields=new_fields,
        field_hlc=new_hlc,
        conflicts=tuple(conflicts),
        superseded=tuple(superseded),
    )
