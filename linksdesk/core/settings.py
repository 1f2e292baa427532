"""One typed table of settings and their defaults, for the worker and the programme."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from linksdesk.core import registry
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import DEFAULT_CONCERNS

# the range each number setting may take, stated once: validate(), the settings dialog's
# boxes and the programme settings the server hands out (its admin's `settings set`) read it
BOUNDS: dict[str, tuple[int, int]] = {
    "auto_lock_minutes": (1, 240),
    "clipboard_clear_seconds": (5, 600),
    "appointment_limit": (1, 100),  # or none: no limit
    "not_seen_weeks": (1, 104),
    "review_goals_every_weeks": (1, 52),
}
# what validate() says of a number out of its range ({low} and {high} from BOUNDS)
_OUT_OF_BOUNDS = {
    "auto_lock_minutes": "Auto-lock must be between {low} and {high} minutes.",
    "clipboard_clear_seconds": "Copied text must be cleared after {low} to {high} seconds.",
    "appointment_limit": "The appointment limit must be between {low} and {high}, or none.",
    "not_seen_weeks": "'Not seen for' must be between {low} and {high} weeks.",
    "review_goals_every_weeks": "Goal reviews must be every {low} to {high} weeks.",
}
PROGRAMME_NAME_LENGTH = 120
# a concern in the programme's list is one a worker can record: as long as the column allows
_CONCERN_COLUMN = registry.BY_NAME["concern"].types["category"]
assert _CONCERN_COLUMN.max_length is not None, "registry.toml gives concern.category a length"
CONCERN_LENGTH: int = _CONCERN_COLUMN.max_length


@dataclass(frozen=True)
class Settings:
    """Worker settings (auto-lock) and programme settings (which sync from the server)."""

    auto_lock_minutes: int = 5
    clipboard_clear_seconds: int = 30
    appointment_limit: int | None = 6  # per person; supported visits do not count
    not_seen_weeks: int = 6
    review_goals_every_weeks: int = 6
    concern_taxonomy: tuple[str, ...] = field(default=DEFAULT_CONCERNS)
    # printed on the documents for and about a participant (their record, the GP summary)
    programme_name: str = "Community links programme"
    # words the programme uses that the spelling dictionary does not know (places, services)
    spelling_words: tuple[str, ...] = ("wellbeing", "SWEMWBS", "WEMWBS", "signposting")
    # the programme's note templates ("## Name" then its text); empty: the shipped defaults
    note_templates: str = ""
    # settings that came from the server replace these local defaults on sync
    programme_settings_version: int = 0

    def validate(self) -> Settings:
        for setting, (low, high) in BOUNDS.items():
            value = getattr(self, setting)
            if value is None and setting == "appointment_limit":
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValidationError(_OUT_OF_BOUNDS[setting].format(low=low, high=high))
        name = " ".join(str(self.programme_name).split())
        if not 1 <= len(name) <= PROGRAMME_NAME_LENGTH:
            raise ValidationError(
                f"The programme's name must be 1 to {PROGRAMME_NAME_LENGTH} characters."
            )
        cleaned = tuple(dict.fromkeys(c.strip() for c in self.concern_taxonomy if c.strip()))
        if not cleaned:
            raise ValidationError("The list of concerns cannot be empty.")
        if any(len(c) > CONCERN_LENGTH for c in cleaned):
            raise ValidationError(
                f"A concern can be at most {CONCERN_LENGTH} characters: shorten the longer ones."
            )
        if len(self.note_templates) > 50_000:
            raise ValidationError("Note templates are too long: at most 50,000 characters.")
        words = tuple(dict.fromkeys(w.strip() for w in self.spelling_words if w.strip()))
        return replace(self, concern_taxonomy=cleaned, programme_name=name, spelling_words=words)

    def to_json(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["concern_taxonomy"] = list(self.concern_taxonomy)
        out["spelling_words"] = list(self.spelling_words)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Settings:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if "concern_taxonomy" in values:
            values["concern_taxonomy"] = tuple(values["concern_taxonomy"])
        if "spelling_words" in values:
            values["spelling_words"] = tuple(values["spelling_words"])
        return cls(**values)


PROGRAMME_KEYS = frozenset(
    {"appointment_limit", "concern_taxonomy", "not_seen_weeks", "spelling_words", "note_templates"}
)
