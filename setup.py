"""Packaging hook: the top-level resources/ folder goes into the wheel as linksdesk/_resources.

Everything else is declared in pyproject.toml. resources/ sits beside the package (the layout
the project asks for), so a plain build would leave it out; linksdesk.core.resources looks for
linksdesk/_resources in an installed wheel.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithResources(build_py):  # type: ignore[misc]
    """build_py that also copies resources/ into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install finds resources/ in the checkout itself
        target = Path(self.build_lib) / "linksdesk" / "_resources"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(ROOT / "resources", target, ignore=shutil.ignore_patterns("__pycache__"))
        # Help > User guide: written once in docs/, shipped with its screenshots
        guide = target / "guide"
        guide.mkdir(exist_ok=True)
        shutil.copyfile(ROOT / "docs" / "user-guide.md", guide / "user-guide.md")
        shutil.copytree(ROOT / "docs" / "screenshots", guide / "screenshots")


setup(cmdclass={"build_py": BuildPyWithResources})
