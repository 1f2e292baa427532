"""SNOMED CT codes for the GP summary: the two social prescribing codes and the programme's table.

The table ``resources/gp-codes/concern-codes.csv`` maps each concern category to a code a
GP practice can file; the programme fills it in. A category with an empty code is simply
left uncoded, and every code given must be a well-formed SNOMED CT identifier (digits with a
valid Verhoeff check digit), so a typing slip is refused instead of filed in a GP record.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from linksdesk.core.errors import ValidationError
from linksdesk.core.resources import resource_path


@dataclass(frozen=True)
class Code:
    """One SNOMED CT concept: its identifier and the term it is filed under."""

    code: str
    term: str

    def __str__(self) -> str:
        return f"{self.code} {self.term}"


REFERRAL: Final = Code("871731000000106", "Referral to social prescribing service")
DECLINED: Final = Code("871711000000103", "Social prescribing declined")

CONCERN_TABLE: Final = ("gp-codes", "concern-codes.csv")
COLUMNS: Final = ("concern", "snomed_ct_code", "snomed_ct_term")

# Verhoeff's dihedral-group tables (the check digit scheme SNOMED CT identifiers use)
_D: Final = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P: Final = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def is_snomed_id(text: str) -> bool:
    """Whether ``text`` is shaped like a SNOMED CT identifier: 6–18 digits, Verhoeff-valid."""
    if not (text.isascii() and text.isdigit() and 6 <= len(text) <= 18) or text[0] == "0":
        return False
    check = 0
    for i, digit in enumerate(reversed(text)):
        check = _D[check][_P[i % 8][int(digit)]]
    return check == 0


def _key(category: str) -> str:
    return " ".join(category.split()).casefold()


def parse_concern_codes(text: str, *, source: str = "the concern code table") -> dict[str, Code]:
    """The table's coded rows by concern (case-insensitive); rows with no code are left out."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header[:3]) != COLUMNS:
        raise ValidationError(
            f"The first line of {source} must be: {','.join(COLUMNS)}. Nothing was coded."
        )
    codes: dict[str, Code] = {}
    for line, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row] + ["", ""]
        concern, code, term = cells[0], cells[1], cells[2]
        if not code:
            continue  # not coded by the programme: left out, never guessed
        if not concern:
            raise ValidationError(f"Line {line} of {source} has a code but no concern.")
        if not is_snomed_id(code):
            raise ValidationError(
                f"Line {line} of {source} ({concern}) has a code that is not a valid SNOMED CT "
                "identifier (check for a typing slip). Nothing was coded."
            )
        if not term:
            raise ValidationError(
                f"Line {line} of {source} ({concern}) has a code but no term: give the "
                "SNOMED CT term it is filed under."
            )
        codes[_key(concern)] = Code(code, term)
    return codes


def concern_codes(path: Path | None = None) -> dict[str, Code]:
    """The programme's concern codes (from ``resources/`` unless another file is given)."""
    table = path if path is not None else resource_path(*CONCERN_TABLE)
    try:
        text = table.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise ValidationError(f"The concern code table {table.name} could not be read.") from None
    return parse_concern_codes(text, source=table.name)


def code_for(codes: Mapping[str, Code], category: str) -> Code | None:
    return codes.get(_key(category))
