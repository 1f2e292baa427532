"""Relationships: the family, friends, neighbours, groups and services around a participant."""

from __future__ import annotations

from typing import Any

from linksdesk.casework import common
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import Outcome, Relationship
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import RelationshipKind
from linksdesk.storage.tables import Relationship as RelationshipRow


def to_relationship(row: RelationshipRow) -> Relationship:
    return to_dto(Relationship, row)


def _supportive(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError("Supportive must be yes or no.")
    return value


_CHECKS: dict[str, common.Check] = {
    "kind": common.choice(RelationshipKind, "Relationship"),
    "name": common.text("Name", required=True, max_len=200),
    "detail": common.text("Detail", max_len=4000),
    "phone": common.text("Phone", max_len=40),
    "supportive": _supportive,
}


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return common.clean(values, _CHECKS, "relationship")


def add_relationship(
    cb: Casebook,
    participant_id: str,
    kind: RelationshipKind | str,
    name: str,
    *,
    detail: str | None = None,
    phone: str | None = None,
    supportive: bool = True,
) -> Outcome[Relationship]:
    fields = _clean(
        {"kind": kind, "name": name, "detail": detail, "phone": phone, "supportive": supportive}
    )
    return common.add_to_participant(cb, participant_id, RelationshipRow, fields, to_relationship)


def edit_relationship(cb: Casebook, relationship_id: str, **fields: Any) -> Outcome[Relationship]:
    cleaned = _clean(fields)
    return common.change(
        cb, RelationshipRow, relationship_id, "relationship", cleaned, to_relationship
    )


def remove_relationship(cb: Casebook, relationship_id: str) -> Outcome[None]:
    return common.remove(cb, RelationshipRow, relationship_id, "relationship")


def list_relationships(cb: Casebook, participant_id: str) -> list[Relationship]:
    order = (RelationshipRow.kind, RelationshipRow.name)
    return common.list_of(cb, participant_id, RelationshipRow, to_relationship, order)
