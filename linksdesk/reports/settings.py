"""The programme's reporting settings (safe caseload, target wait, small numbers), editable."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from linksdesk.core.errors import ValidationError

SETTINGS_KEY = "report_settings"


@dataclass(frozen=True)
class ReportSettings:
    safe_open_cases: int = 40  # open at once, per worker
    safe_people_per_year: int = 250  # people worked with in a year, per worker
    wait_target_days: int = 14  # referral received -> first attended contact
    suppression_threshold: int = 10  # external reports hide counts 1..threshold-1
    appointment_limit: int | None = 6  # per person; supported visits do not count

    def validate(self) -> ReportSettings:
        if not 1 <= self.safe_open_cases <= 1000:
            raise ValidationError("The safe number of open cases must be between 1 and 1000.")
        if not 1 <= self.safe_people_per_year <= 10000:
            raise ValidationError("The safe number of people a year must be between 1 and 10000.")
        if not 1 <= self.wait_target_days <= 365:
            raise ValidationError("The target wait must be between 1 and 365 days.")
        if not 2 <= self.suppression_threshold <= 100:
            raise ValidationError("The small-number threshold must be between 2 and 100.")
        if self.appointment_limit is not None and not 1 <= self.appointment_limit <= 100:
            raise ValidationError("The appointment limit must be between 1 and 100, or none.")
        return self

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ReportSettings:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in known})
