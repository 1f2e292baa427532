"""What a shared value may be: each column's type, limits and words, checked before storing.

A value the server stores is handed to every device of the team, which writes it into its
own SQLAlchemy column; one a device cannot store would stop that device's sync (an invalid
date, a 4,000-digit number, a 5 MB string, an object where a list belongs), and a word
outside the field's vocabulary would be counted nowhere in the supervisor's figures. So the
server refuses such a change outright, and a supervisor's vault refuses a bundle holding one
(``sync/bundle/receive.py``): both run these checks, which is why they live in core.

:data:`COLUMNS` is taken from the table registry (``core/registry.toml``), where each
column's type and vocabulary is declared once; the device's SQLAlchemy columns
(``linksdesk.storage.tables``, which the server may not import) must match it: a test
derives the same description from them and fails on any difference, so the two cannot drift.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Collection, Mapping
from typing import Any

from linksdesk.core import registry
from linksdesk.core.registry import Column, Kind

MAX_TEXT = 100_000  # characters in an unbounded text column (a very long case note)
MAX_JSON_BYTES = 64 * 1024  # a list or object column, as JSON
MAX_ITEMS = 500  # entries in a list or object column
MAX_ITEM_TEXT = 1_000  # characters of one text entry in a list
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # SQL INTEGER everywhere (PostgreSQL's is 32-bit)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


# The shared columns of every syncable table (the device's types, declared in the table
# registry; routing columns travel in the change's envelope and are checked there).
COLUMNS: dict[str, dict[str, Column]] = {
    table.name: {
        name: table.types[name] for name, (sync, _) in table.columns.items() if sync == "share"
    }
    for table in registry.TABLES
}


def problem(table: str, name: str, value: Any) -> str | None:
    """Why ``value`` cannot be stored in ``table.name`` (None: it can).

    The answer names the column and the rule, never the value (it may be case content).
    """
    spec = COLUMNS.get(table, {}).get(name)
    if spec is None:
        return None  # not a described column: the caller's field-name check decides
    if value is None:
        return None if spec.nullable else f"{name} cannot be empty"
    if not _fits_kind(spec, value):
        return f"{name} is not a valid {_KIND_WORDS[spec.kind]}"
    shape = registry.SHAPES.get((table, name))
    if shape is not None and not all(
        _fits_shape(shape, entry) for entry in (value if spec.kind == "list" else [value])
    ):
        return f"{name} does not hold the details devices read, as they read them"
    if spec.kind == "text" and spec.refers_to is not None and not _UUID.match(value):
        return f"{name} is not a record id"
    if spec.choices is not None and value not in spec.choices:
        return f"{name} is not one of the values devices know"
    return None


def problems(table: str, fields: Mapping[str, Any]) -> list[str]:
    """Every field of a change that cannot be stored, described without its value."""
    out = []
    columns = COLUMNS.get(table, {})
    for name, value in fields.items():
        if name in columns:  # problem() says None for any other name
            why = problem(table, name, value)
            if why is not None:
                out.append(why)
    return out


# each table's columns a new row must carry (required in the registry); the participant a
# row belongs to travels in the change's envelope, and devices take it from there
REQUIRED: dict[str, tuple[str, ...]] = {
    table: tuple(
        name for name, spec in columns.items() if not spec.nullable and name != "participant_id"
    )
    for table, columns in COLUMNS.items()
}


def missing(table: str, fields: Collection[str]) -> list[str]:
    """The columns a new row of ``table`` must carry that ``fields`` (names) lacks."""
    return [name for name in REQUIRED.get(table, ()) if name not in fields]


# each table's columns that point at another row (the participant is checked apart)
_REFERS: dict[str, tuple[tuple[str, str], ...]] = {
    table: tuple(
        (name, spec.refers_to)
        for name, spec in columns.items()
        if spec.refers_to and spec.refers_to != "participant"
    )
    for table, columns in COLUMNS.items()
}


def references(table: str, fields: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """The other rows a change's fields point at: ``{column: (table, row id)}``."""
    out = {}
    for name, refers_to in _REFERS.get(table, ()):
        value = fields.get(name)
        if value:
            out[name] = (refers_to, str(value))
    return out


_KIND_WORDS: dict[str, str] = {
    "text": "text of the allowed length",
    "int": "whole number in range",
    "count": "whole number of 0 or more",
    "float": "number",
    "bool": "yes/no value",
    "date": "date (YYYY-MM-DD)",
    "datetime": "date and time",
    "list": "list",
    "object": "set of named values",
}


def _fits_kind(spec: Column, value: Any) -> bool:
    kind = spec.kind
    if kind == "text":
        return _text(value, spec.max_length or MAX_TEXT)
    if kind == "int":
        return _int(value)
    if kind == "count":
        return _int(value) and value >= 0
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return (
            math.isfinite(value)
            and abs(value) < 1e300
            and (not isinstance(value, int) or _int(value))
        )
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "date":
        return isinstance(value, str) and _date(value)
    if kind == "datetime":
        return isinstance(value, str) and _datetime(value)
    if kind == "list":
        if not isinstance(value, list) or len(value) > MAX_ITEMS or not _small(value):
            return False
        return spec.items is None or all(_item(spec.items, v) for v in value)
    if kind == "object":
        if not isinstance(value, dict) or len(value) > MAX_ITEMS or not _small(value):
            return False
        # an object of one kind (counts by name): every value, none missing
        return spec.items is None or all(
            v is not None and _item(spec.items, v) for v in value.values()
        )
    return False  # pragma: no cover


def _fits_shape(shape: Mapping[str, Column], entry: dict[str, Any]) -> bool:
    """An entry of a list of objects holds each declared key at its type."""
    for key, spec in shape.items():
        value = entry.get(key)
        if value is None:
            if not spec.nullable:
                return False
        elif not _fits_kind(spec, value):
            return False
    return True


def _item(kind: Kind, value: Any) -> bool:
    if kind == "int":
        return value is None or _int(value)  # an unanswered item of a measure
    if kind == "count":
        return _int(value) and value >= 0
    if kind == "text":
        return _text(value, MAX_ITEM_TEXT)
    if kind == "object":
        return isinstance(value, dict)
    return False  # pragma: no cover


def _text(value: Any, limit: int) -> bool:
    return isinstance(value, str) and len(value) <= limit and clean_text(value)


def clean_text(value: str) -> bool:
    """Text the databases and JSON can carry: no NUL, nothing that is not UTF-8 (a lone
    surrogate from a crafted ``\\ud800``)."""
    if "\x00" in value:
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and INT_MIN <= value <= INT_MAX


def _date(value: str) -> bool:
    try:
        return dt.date.fromisoformat(value).isoformat() == value  # the form devices send
    except ValueError:
        return False


def _datetime(value: str) -> bool:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    # devices keep naive UTC and send isoformat(): any other spelling would not round-trip
    return parsed.tzinfo is None and parsed.isoformat() == value


def _small(value: Any) -> bool:
    try:
        return len(json.dumps(value, allow_nan=False)) <= MAX_JSON_BYTES
    except (ValueError, TypeError, RecursionError):
        return False
