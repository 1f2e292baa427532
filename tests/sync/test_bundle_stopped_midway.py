"""A bundle import or export stopped at any of its progress steps (the window's job is
cancelled there when the vault locks) leaves nothing behind: no half-imported bundle, no
file. A step after the work is kept would make finished work read as stopped, so there is
none: every step that can stop the job comes before its work is kept."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from bundle_kit import Laptop, Supervisor, next_bundle

from linksdesk.sync.bundle import export, receive


class Stopped(Exception):
    pass


def stopping_at(step: int, calls: list[str]) -> Any:
    """A progress callback that stops the job (raises) at its ``step``-th call."""

    def progress(stage: str, _done: int, _total: int) -> None:
        calls.append(stage)
        if len(calls) == step:
            raise Stopped(stage)

    return progress


def test_an_import_stopped_at_any_step_keeps_nothing_of_the_bundle(tmp_path: Path) -> None:
    sup, _lap, bundle = next_bundle(tmp_path, 3)
    before = sup.content_hash()
    for step in itertools.count(1):
        calls: list[str] = []
        try:
            report = receive.import_bundle(sup.store, bundle, progress=stopping_at(step, calls))
        except Stopped:
            assert sup.content_hash() == before, f"stopped at {calls[-1]!r}, yet kept"
            continue
        break
    assert step > 2  # it was stopped at each of its steps before it went in whole
    assert report.applied >= 3


def test_an_export_stopped_at_any_step_leaves_no_file(tmp_path: Path) -> None:
    sup = Supervisor.create(tmp_path)
    lap = Laptop.create(tmp_path, "laptop")
    for _ in range(3):
        lap.person()
    for step in itertools.count(1):
        calls: list[str] = []
        out = tmp_path / f"try-{step}.age"
        try:
            export.export_to_file(
                lap.store,
                out,
                kind="supervision",
                recipients=[sup.recipient],
                progress=stopping_at(step, calls),
            )
        except Stopped:
            left = sorted(p.name for p in tmp_path.glob("try-*"))
            assert left == [], f"stopped at {calls[-1]!r}, yet {left} written"
            continue
        break
    assert step > 2
    assert out.exists() and Path(f"{out}.minisig").exists()
