"""A bundle import pauses Python's cycle collector and leaves it as it found it: the app keeps
it off (its GUI thread collects, so Qt objects never die on the DB thread), the CLI on."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from bundle_kit import Laptop, Supervisor

from linksdesk.sync.bundle import export, keys, receive
from linksdesk.sync.bundle.format import BundleRefused


@pytest.fixture
def collector_restored() -> Iterator[None]:
    was_on = gc.isenabled()
    yield
    if was_on:
        gc.enable()
    else:
        gc.disable()


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Laptop]:
    lap = Laptop.create(tmp_path, "laptop")
    yield lap
    lap.close()


def _bundle(lap: Laptop, sup: Supervisor, out: Path) -> Path:
    lap.contact(lap.person(), purpose="benefits form")
    export.export_to_file(lap.store, out, kind="supervision", recipients=[sup.recipient])
    return out


@pytest.mark.usefixtures("collector_restored")
@pytest.mark.parametrize("collector_on", [True, False], ids=["cli", "app"])
def test_an_import_leaves_the_collector_as_it_found_it(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, collector_on: bool
) -> None:
    out = _bundle(laptop, supervisor, tmp_path / "b.age")
    trust = keys.signing_key(laptop.store).public.fingerprint
    if collector_on:
        gc.enable()
    else:
        gc.disable()  # as the app's GuiThreadCollector keeps it
    report = receive.import_bundle(supervisor.store, out, trust=trust)
    assert report.applied > 0
    assert gc.isenabled() is collector_on
    # a refusal raised while it is paused gives it back too
    with pytest.raises(BundleRefused):
        receive.import_bundle(supervisor.store, out, trust=trust)  # replayed
    assert gc.isenabled() is collector_on
