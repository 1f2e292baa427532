"""One typed table of settings and their defaults, for the worker and the programme."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import DEFAULT_CONCERNS


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
        if not 1 <= self.auto_lock_minutes <= 240:
            raise ValidationError("Auto-lock must be between 1 and 240 minutes.")
        if self.appointment_limit is not None and not 1 <= self.appointment_limit <= 100:
            raise ValidationError("The appointment limit must be between 1 and 100, or none.")
        if not 1 <= self.not_seen_weeks <= 104:
            raise ValidationError("'Not seen for' must be between 1 and 104 weeks.")
        if not 1 <= self.review_goals_every_weeks <= 52:
            raise ValidationError("Goal reviews must be every 1 to 52 weeks.")
        name = " ".join(str(self.programme_name).split())
        if not 1 <= len(name) <= 120:
            raise ValidationError("The programme's name must be 1 to 120 characters.")
        cleaned = tuple(dict.fromkeys(c.strip() for c in self.concern_taxonomy if c.strip()))
        if not cleaned:
            raise ValidationError("The list of concerns cannot be empty.")
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
