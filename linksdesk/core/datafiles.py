"""Data read from files: TOML shipped inside the package (beside the modules that read it),
and JSON objects the app wrote and reads back."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from typing import Any


def load_toml(package: str, name: str) -> dict[str, Any]:
    """The TOML file ``name`` of ``package``, parsed (found alike in a checkout, a wheel and
    the frozen app, which ships it under the package's own path)."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def json_object(text: str, **typed: type) -> dict[str, Any] | None:
    """``text`` read as a JSON object whose keys ``typed`` hold values of those types; None
    for anything else (not JSON, or of another shape), as a file the app wrote may be found
    half written after a crash or edited by hand."""
    try:
        found = json.loads(text)
    except ValueError:
        return None
    if isinstance(found, dict) and all(isinstance(found.get(k), t) for k, t in typed.items()):
        return found
    return None
