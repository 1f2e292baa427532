"""Relationships: the family, friends, neighbours, groups and services around a participant."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from linksdesk.casework import records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import Outcome, Relationship
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import RelationshipKind
from linksdesk.storage.tables import Relationship as RelationshipRow


def to_relationship(row: RelationshipRow) -> Relationship:
    return to_dto(Relationship, row)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "kind":
            out[name] = records.enum_arg(RelationshipKind, value, "Relationship").value
        elif name == "name":
            out[name] = records.text_arg(value, "Name", required=True, max_len=200)
        elif name == "detail":
            out[name] = records.text_arg(value, "Detail", max_len=4000)
        elif name == "phone":
            out[name] = records.text_arg(value, "Phone", max_len=40)
        elif name == "supportive":
            if not isinstance(value, bool):
                raise ValidationError("Supportive must be yes or no.")
            out[name] = value
        else:
            raise ValidationError(f"'{name}' is not a relationship detail that can be changed.")
    return out


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
    with cb.store.write() as tx:
        person = records.participant(tx.session, participant_id)
        row = tx.insert(RelationshipRow(participant_id=person.id, **fields))
        return Outcome(to_relationship(row), tx.changes)


def edit_relationship(cb: Casebook, relationship_id: str, **fields: Any) -> Outcome[Relationship]:
    cleaned = _clean(fields)
    with cb.store.write() as tx:
        row = records.live(tx.session, RelationshipRow, relationship_id, "relationship")
        tx.update(row, **cleaned)
        return Outcome(to_relationship(row), tx.changes)


def remove_relationship(cb: Casebook, relationship_id: str) -> Outcome[None]:
    with cb.store.write() as tx:
        row = records.live(tx.session, RelationshipRow, relationship_id, "relationship")
        tx.delete(row)
        return Outcome(None, tx.changes)


def list_relationships(cb: Casebook, participant_id: str) -> list[Relationship]:
    with cb.store.read() as s:
        records.participant(s, participant_id)
        rows = s.scalars(
            select(RelationshipRow)
            .where(
                RelationshipRow.participant_id == participant_id,
                RelationshipRow.deleted.is_(False),
            )
            .order_by(RelationshipRow.kind, RelationshipRow.name)
        )
        return [to_relationship(r) for r in rows]
