"""Bundles, evaluation copies and reports written to a memory stick that is full, turns
read-only, or has room for part of what is written: a plain message, and nothing left on the
stick that looks like the file. Real file systems (the small_disk fixture)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bundle_kit import Laptop, Supervisor, bundle_of, fingerprint_of

from linksdesk.core.errors import NotWrittenError
from linksdesk.reports.evaluation import write_evaluation
from linksdesk.reports.export import export_report
from linksdesk.reports.scope import Period, Scope
from linksdesk.sync.bundle import export, keys, receive
from linksdesk.sync.bundle.format import BundleRefused

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


def test_the_evaluation_copy_on_a_full_stick(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, small_disk: MakeDisk
) -> None:
    """The copy's files used to be written straight into the folder: a stick that filled
    half-way left a folder of CSV files cut short at a line's end, which read as whole."""
    for _ in range(30):
        laptop.contact(laptop.person(source="gp"))
    bundle = tmp_path / "evaluation.age"
    export.export_to_file(
        laptop.store, bundle, kind="evaluation", recipients=[supervisor.recipient]
    )
    receive.import_bundle(supervisor.store, bundle, trust=fingerprint_of(laptop))
    whole = write_evaluation(supervisor.store, tmp_path / "whole")
    size = sum((tmp_path / "whole" / name).stat().st_size for name in whole.files)
    stick = small_disk("512k")
    filler = stick.fill(leave=size // 2)
    with pytest.raises(NotWrittenError) as info:
        write_evaluation(supervisor.store, stick / "evaluation")
    assert "no room left on the disk or memory stick" in str(info.value)
    assert _left_on(stick) == []  # no folder of files cut short, no hidden one either
    filler.unlink()
    again = write_evaluation(supervisor.store, stick / "evaluation")
    assert again.files == whole.files


def test_a_report_on_a_locked_stick(supervisor: Supervisor, small_disk: MakeDisk) -> None:
    """Writing a report to a read-only stick used to give a crash report: taking away the
    half-written file it never made raised the operating system's error."""
    stick = small_disk("512k")
    scope = Scope(Period.parse("2026-01..2026-06"))
    with stick.read_only(), pytest.raises(NotWrittenError) as info:
        export_report(supervisor.store, scope, "csv", stick / "report.csv", audience="internal")
    assert "cannot be written to" in str(info.value)
    assert _left_on(stick) == []


def test_reading_bundles_from_a_locked_stick_and_one_cut_short(
    tmp_path: Path, small_disk: MakeDisk
) -> None:
    """The supervisor imports from a stick with its lock switch on (nothing need be written
    on it); a copy that stopped when the stick filled is called cut short, and nothing of it
    is imported."""
    lap, sup = _laptop_with_work(tmp_path)
    try:
        stick = small_disk("512k")
        made = bundle_of(lap, sup, stick / "caseload.age")
        whole = made.read_bytes()
        cut = stick / "cut.age"
        cut.write_bytes(whole[: len(whole) // 2])
        (stick / "cut.age.minisig").write_bytes((stick / "caseload.age.minisig").read_bytes())
        before = sup.content_hash()
        with stick.read_only():
            with pytest.raises(BundleRefused) as info:
                receive.import_bundle(sup.store, cut, trust=fingerprint_of(lap))
            assert "cut short" in str(info.value) and "Nothing was imported" in str(info.value)
            assert sup.content_hash() == before
            report = receive.import_bundle(sup.store, made, trust=fingerprint_of(lap))
        assert report.counts["participant"] == 12
    finally:
        lap.close()
        sup.vault.lock()


def test_the_bundle_key_exported_to_a_full_stick(
    supervisor: Supervisor, small_disk: MakeDisk
) -> None:
    """File › Your bundle key… › export, to a full stick: the file was made, then the write
    failed, leaving an empty key file under the name (and a crash report); the next try
    said the file already exists."""
    stick = small_disk("512k")
    filler = stick.fill()
    out = stick / "supervisor-identity.txt"
    with pytest.raises(NotWrittenError) as info:
        keys.export_identity(supervisor.store, out)
    assert "no room left" in str(info.value)
    assert _left_on(stick) == []
    filler.unlink()
    keys.export_identity(supervisor.store, out)
    assert supervisor.identity() in out.read_text()
