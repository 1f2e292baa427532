"""What a user action changed: the summary that views refresh from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

# the op of a change that erases a participant everywhere (sync.protocol.Op.ERASE)
ERASE_OP: Final = "erase"


@dataclass
class Changes:
    """Entity names and participant ids touched by one unit of work."""

    entities: set[str] = field(default_factory=set)
    participants: set[str] = field(default_factory=set)
    created: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # who asked for the change (the view whose action it was; Anki's OpChanges initiator):
    # that view has updated itself from the result and need not reload when it hears of it
    initiator: object | None = field(default=None, compare=False, repr=False)

    def touched(self, entity: str) -> bool:
        return entity in self.entities

    def merge(self, other: Changes) -> Changes:
        self.entities |= other.entities
        self.participants |= other.participants
        self.created.extend(other.created)
        self.warnings.extend(other.warnings)
        return self


@dataclass(frozen=True)
class RowChange:
    """One change to one syncable row, as storage hands it to the outbox policy.

    ``values`` holds every column after the change; ``changed`` names the columns this
    change set; ``base`` holds the per-field clocks the change was based on.
    """

    table: str
    row_id: str
    op: str  # "upsert" | "delete" | "erase"
    hlc: str
    values: dict[str, Any]
    changed: frozenset[str]
    base: dict[str, str]
    participant_id: str | None
    participant_shared: bool
