"""A bundle written to a memory stick that is full, turns read-only, or has room for the
bundle but not its signature: a plain message, and nothing left on the stick that looks like
a bundle. Real file systems (the small_disk fixture)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bundle_kit import Laptop, Supervisor, bundle_of

from linksdesk.core.errors import NotWrittenError

if TYPE_CHECKING:
    from conftest import SmallDisk

MakeDisk = Callable[[str], "SmallDisk"]
PAGE = 4096  # tmpfs gives out whole pages


def _laptop_with_work(tmp_path: Path) -> tuple[Laptop, Supervisor]:
    sup, lap = Supervisor.create(tmp_path), Laptop.create(tmp_path, "laptop")
    for _ in range(12):
        lap.note(lap.person(), "Synthetic account of a visit to the community garden. " * 60)
    return lap, sup


def _left_on(disk: SmallDisk) -> list[str]:
    return sorted(p.name for p in disk.path.iterdir() if p.name != "filler.bin")


def test_a_full_stick(tmp_path: Path, small_disk: MakeDisk) -> None:
    lap, sup = _laptop_with_work(tmp_path)
    try:
        size = len(bundle_of(lap, sup, tmp_path / "first.age").read_bytes())
        stick = small_disk("512k")
        filler = stick.fill(leave=PAGE * 2)
        with pytest.raises(NotWrittenError) as info:
            bundle_of(lap, sup, stick / "caseload.age")
        assert "no room left on the disk or memory stick" in str(info.value)
        assert _left_on(stick) == []  # no bundle cut short under its name, no .part

        # room for the bundle but not for its signature: the bundle alone is taken away
        filler.unlink()
        filler = stick.fill(leave=-(-size // PAGE) * PAGE)
        with pytest.raises(NotWrittenError):
            bundle_of(lap, sup, stick / "caseload.age")
        assert _left_on(stick) == []

        filler.unlink()  # room again: the same export goes through
        bundle_of(lap, sup, stick / "caseload.age")
        assert _left_on(stick) == ["caseload.age", "caseload.age.minisig"]
    finally:
        lap.close()
        sup.vault.lock()


def test_a_read_only_stick(tmp_path: Path, small_disk: MakeDisk) -> None:
    """A stick with its lock switch on: the window used to show a crash report (the clean-up
    of a file never made raised the operating system's error)."""
    lap, sup = _laptop_with_work(tmp_path)
    try:
        stick = small_disk("512k")
        with stick.read_only(), pytest.raises(NotWrittenError) as info:
            bundle_of(lap, sup, stick / "caseload.age")
        assert "cannot be written to" in str(info.value)
        assert _left_on(stick) == []
    finally:
        lap.close()
        sup.vault.lock()
