"""One converter from a row (or any object with the same attribute names) to a frozen DTO.

A DTO's fields say what to copy: each field without a default is read from the source by
its name and converted as its declared type asks (a stored string to its enum, a stored list
to a tuple), so no use case copies a table's columns by hand. Fields with a default (steps,
problem reports, a comparison with the baseline, ``private``) and fields the source does
not hold under the same name are given by the caller.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")
Convert = Callable[[Any], Any]


def to_dto(cls: type[T], source: object, /, **given: Any) -> T:
    """``cls`` with its fields read from ``source`` by name (converted by their declared
    type) except those ``given``."""
    plan = _PLANS.get(cls) or _PLANS.setdefault(cls, _plan(cls))
    for name, convert in plan:
        if name not in given:  # ``given`` is this call's own dict: filled in place
            value = getattr(source, name)
            given[name] = value if convert is None else convert(value)
    return cls(**given)


_PLANS: dict[type, tuple[tuple[str, Convert | None], ...]] = {}


def _plan(cls: type) -> tuple[tuple[str, Convert | None], ...]:
    """Each field read from the source, with its conversion (None: copied as it is)."""
    hints = typing.get_type_hints(cls)
    return tuple(
        (f.name, _conversion(hints[f.name]))
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )


def _conversion(hint: Any) -> Convert | None:
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        convert = _conversion(inner[0]) if len(inner) == 1 else None
        if convert is None:
            return None
        # an optional value stored blank is absent
        return lambda value: convert(value) if value else None
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] in (int, str):
        item: Convert = args[0]
        return lambda value: tuple(item(v) for v in value or ())
    return None
