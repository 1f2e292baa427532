"""The one way to find the top-level ``resources/`` folder (checkout, wheel or frozen app)."""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

_ENV = "LINKSDESK_RESOURCES"
# where an installed wheel holds resources/ (setup.py copies it into the package when building)
WHEEL_FOLDER = "_resources"


@cache
def resource_dir() -> Path:
    """The folder holding what LinksDesk ships that is not Python (icons, templates, lookups…).

    Looked for, in order: ``$LINKSDESK_RESOURCES``; ``sys._MEIPASS/resources`` in the frozen
    app; ``linksdesk/_resources`` in an installed wheel; ``resources/`` beside the
    ``linksdesk`` package (a checkout or an editable install).
    """
    override = os.environ.get(_ENV)
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    package = Path(__file__).resolve().parents[1]
    installed = package / WHEEL_FOLDER
    if installed.is_dir():
        return installed
    return package.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A file or folder inside ``resources/``; raises FileNotFoundError naming what is missing."""
    path = resource_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"LinksDesk resource missing: {'/'.join(parts)}")
    return path


def guide_path() -> Path:
    """The user guide: ``resources/guide/user-guide.md`` as shipped, or ``docs/`` in a checkout.

    The guide is written once, in ``docs/user-guide.md``; the frozen app and the wheel carry a
    copy (with its screenshots) under ``resources/guide``.
    """
    shipped = resource_dir() / "guide" / "user-guide.md"
    if shipped.is_file():
        return shipped
    checkout = resource_dir().parent / "docs" / "user-guide.md"
    if checkout.is_file():
        return checkout
    raise FileNotFoundError("LinksDesk resource missing: guide/user-guide.md")
