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


# Verhoeff's check digit scheme (the one SNOMED CT identifiers use): multiplication in the
# dihedral group D5 (0–4 rotations, 5–9 reflections) and the powers of its permutation.
def _d5(j: int, k: int) -> int:
    if j < 5:
        return (j + k) % 5 + (5 if k >= 5 else 0)
    return (j - k) % 5 + (5 if k < 5 else 0)


_D: Final = tuple(tuple(_d5(j, k) for k in range(10)) for j in range(10))


def _powers(step: tuple[int, ...], count: int) -> tuple[tuple[int, ...], ...]:
    powers = [tuple(range(10))]
    while len(powers) < count:
        powers.append(tuple(step[digit] for digit in powers[-1]))
    return tuple(powers)


_P: Final = _powers((1, 5, 7, 6, 2, 8, 3, 0, 9, 4), 8)


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
