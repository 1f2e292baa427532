"""A supervisor in a hurry names workers and picks one on the command line.

A worker the supervisor has not named shows as "Worker 0d5c35" (the end of their id), on the
dashboard and always in a board's report. Naming another worker "Worker 0d5c35" put two
workers under one label: the supervisor's own reports said one worker's figures under the
label a board's report uses for the other. And ``linksdesk report --worker ""`` quietly
wrote the report of the only worker whose id ends in "" (every id does): with one worker in
the vault, a blank name chose them, and with more it said no single worker is called ''."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from small_team import sharing_person, supervisor_with
from test_cli import PASSPHRASE, assert_one_plain_line, linksdesk

from linksdesk.casework import supervision
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import ValidationError
from linksdesk.sync import state
from linksdesk.sync.bundle import receive
from linksdesk.sync.bundle.format import sign_roster
from linksdesk.sync.bundle.signing import SigningKey

TEAM = "7e4d1c2a-0000-4000-8000-0000000018a1"
QUIET = "7e4d1c2a-0000-4000-8000-0000000d5c35"  # shown as "Worker 0d5c35" until named


def _one_busy_worker(laptop: Casebook) -> None:
    with laptop.store.write() as tx:
        state.put(tx.session, state.TEAM_ID, TEAM)
    sharing_person(laptop, 0)


def _roster_with_a_second_worker(sup: Casebook, path: Path) -> None:
    """The team's roster, naming a second worker's laptop: the vault knows two workers."""
    server, laptop = SigningKey.generate(), SigningKey.generate().public
    entry = {"fingerprint": laptop.fingerprint, "public_key": laptop.line, "worker_id": QUIET,
             "device_id": "laptop-2", "label": "laptop 2"}  # fmt: skip
    path.write_text(json.dumps(sign_roster([entry], team_id=TEAM, team="North", key=server)))
    receive.import_roster(sup.store, path, trust=server.public.fingerprint)


@pytest.mark.parametrize("typed", ["Worker 0d5c35", "  worker 0D5C35 ", "Worker  0d5c35"])
def test_a_worker_cannot_be_named_as_another_worker_is_shown(tmp_path: Path, typed: str) -> None:
    with supervisor_with(tmp_path, _one_busy_worker) as sup:
        _roster_with_a_second_worker(sup, tmp_path / "roster.json")
        before = supervision.worker_names(sup)
        busy = next(w.worker_id for w in before if w.worker_id != QUIET)
        assert {w.shown_as for w in before} >= {"Worker 0d5c35"}
        with pytest.raises(ValidationError) as refused:
            supervision.name_workers(sup, {busy: typed})
        said = str(refused.value)
        assert "Worker 0d5c35" in said and "another worker" in said
        assert supervision.worker_names(sup) == before  # nothing kept
        # the other worker named first, the label is still the one a board's report uses
        supervision.name_workers(sup, {QUIET: "Ailsa"})
        with pytest.raises(ValidationError, match="another worker"):
            supervision.name_workers(sup, {busy: typed})
        # a worker's own label, typed as their name, is no one else's
        own = f"Worker {busy[-6:]}"
        named = {w.worker_id: w for w in supervision.name_workers(sup, {busy: own})}
        assert named[busy].shown_as == own


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_worker_on_the_command_line_is_refused(tmp_path: Path, blank: str) -> None:
    with supervisor_with(tmp_path, _one_busy_worker):
        pass
    out = tmp_path / "one.csv"
    done = linksdesk(tmp_path / "home", "report", "--vault", str(tmp_path / "sup.vault"),
                     "--period", "2026-03", "--worker", blank, "--format", "csv", "--out",
                     str(out), passphrase=PASSPHRASE)  # fmt: skip
    assert done.returncode == 2, done.stdout
    line = assert_one_plain_line(done)
    assert "--worker" in line and "blank" in line
    assert not out.exists()


@pytest.mark.parametrize("typed", ["All workers", "all  WORKERS"])
def test_a_worker_cannot_be_named_as_the_whole_team_is(tmp_path: Path, typed: str) -> None:
    """Named "All workers", one worker's report said on its title page that it covered all
    workers, and the per-worker tables had two "All workers" rows, one of them the total."""
    with supervisor_with(tmp_path, _one_busy_worker) as sup:
        [worker] = supervision.worker_names(sup)
        with pytest.raises(ValidationError, match="All workers"):
            supervision.name_workers(sup, {worker.worker_id: typed})
        assert supervision.worker_names(sup) == [worker]


def test_an_invisible_character_does_not_make_a_name_another(tmp_path: Path) -> None:
    """A name pasted with a zero-width space (or a direction mark) looks the same as the one
    it copies: it passed as another name, and two workers read alike on every screen."""
    with supervisor_with(tmp_path, _one_busy_worker) as sup:
        _roster_with_a_second_worker(sup, tmp_path / "roster.json")
        busy = next(w.worker_id for w in supervision.worker_names(sup) if w.worker_id != QUIET)
        with pytest.raises(ValidationError, match="another worker"):
            supervision.name_workers(sup, {busy: "Worker 0d5c35\u200b"})
        with pytest.raises(ValidationError, match="same name"):
            supervision.name_workers(sup, {busy: "Sam", QUIET: "S\u200eam"})
