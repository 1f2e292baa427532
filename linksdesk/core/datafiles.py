"""Pure data shipped inside the package (TOML files beside the modules that read them)."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any


def load_toml(package: str, name: str) -> dict[str, Any]:
    """The TOML file ``name`` of ``package``, parsed (found alike in a checkout, a wheel and
    the frozen app, which ships it under the package's own path)."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)
