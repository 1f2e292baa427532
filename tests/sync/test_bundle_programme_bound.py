"""A supervisor's vault belongs to one programme. Two real programmes, each with its own sync
server and an enrolled laptop: once the vault holds one programme's bundles, the other's are
refused whole (its server's bundle and roster, its laptop's bundle), even when a careless
supervisor accepts their fingerprints, and nothing the vault holds changes. Its own
programme's bundles are taken as before. Synthetic data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bundle_kit import Laptop, Supervisor
from sync_kit import Dev, ServerProcess, new_server

from linksdesk.server import bundles as server_bundles
from linksdesk.server import keys as server_keys
from linksdesk.sync.bundle import export, keys, receive
from linksdesk.sync.bundle.format import BundleRefused, Sender, seal

OTHER_PROGRAMME = "belongs to another programme than this supervisor's vault"


@dataclass
class Programme:
    """A programme: its server, a team, and one worker's enrolled, synced laptop."""

    server: ServerProcess
    team: str
    laptop: Dev

    @classmethod
    def start(cls, folder: Path, name: str) -> Programme:
        folder.mkdir()
        server = new_server(folder)
        team = server.team()
        laptop = Dev.create(folder, f"{name}-laptop")
        laptop.enrol(server, server.worker(team))
        lap = Laptop(laptop.path, laptop.vault)
        lap.store = laptop.store
        lap.person(given_name=f"{name}-person")
        laptop.sync()
        return cls(server, team, laptop)

    @property
    def fingerprint(self) -> str:
        return server_keys.public_key(self.server.db).fingerprint

    def server_bundle(self, sup: Supervisor, out: Path, kind: str = "supervision") -> Path:
        sealed = server_bundles.export(self.server.db, self.team, kind=kind,
                                       recipients=[sup.recipient])  # fmt: skip
        return sealed.write(out)[0]

    def laptop_bundle(self, sup: Supervisor, out: Path) -> Path:
        export.export_to_file(self.laptop.store, out, kind="supervision",
                              recipients=[sup.recipient])  # fmt: skip
        return out

    def close(self) -> None:
        self.laptop.close()
        self.server.close()


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Programme, Programme]]:
    ours = Programme.start(tmp_path / "ours", "ours")
    try:
        theirs = Programme.start(tmp_path / "theirs", "theirs")
        try:
            yield ours, theirs
        finally:
            theirs.close()
    finally:
        ours.close()


def _refused(sup: Supervisor, path: Path, trust: str) -> str:
    before = sup.content_hash()
    with pytest.raises(BundleRefused) as refused:
        receive.import_bundle(sup.store, path, trust=trust)
    assert sup.content_hash() == before
    return str(refused.value)


def test_another_programmes_server_and_laptop_are_refused_even_when_accepted_by_fingerprint(
    tmp_path: Path, supervisor: Supervisor, two: tuple[Programme, Programme]
) -> None:
    ours, theirs = two
    first = ours.server_bundle(supervisor, tmp_path / "ours.age")
    assert receive.import_bundle(supervisor.store, first, trust=ours.fingerprint).applied > 0
    # the careless supervisor compares nothing and accepts the other server's fingerprint
    message = _refused(supervisor, theirs.server_bundle(supervisor, tmp_path / "theirs.age"),
                       theirs.fingerprint)  # fmt: skip
    assert OTHER_PROGRAMME in message and "Nothing was imported" in message
    assert "supervisor's vault of their own" in message and "\n" not in message
    # its evaluation bundle too, and its laptop's bundle accepted by fingerprint
    evaluation = theirs.server_bundle(supervisor, tmp_path / "theirs-e.age", "evaluation")
    assert OTHER_PROGRAMME in _refused(supervisor, evaluation, theirs.fingerprint)
    laptop = theirs.laptop_bundle(supervisor, tmp_path / "their-laptop.age")
    laptop_fp = keys.signing_key(theirs.laptop.store).public.fingerprint
    assert OTHER_PROGRAMME in _refused(supervisor, laptop, laptop_fp)
    # and the other server's roster, which would have vouched for its laptops
    roster = tmp_path / "their-roster.json"
    roster.write_text(json.dumps(server_bundles.roster(theirs.server.db, theirs.team)))
    before = supervisor.content_hash()
    with pytest.raises(BundleRefused, match=OTHER_PROGRAMME):
        receive.import_roster(supervisor.store, roster, trust=theirs.fingerprint)
    assert supervisor.content_hash() == before
    # the vault's own programme: its laptop (introduced by the server's roster) and server
    own = ours.laptop_bundle(supervisor, tmp_path / "our-laptop.age")
    assert receive.import_bundle(supervisor.store, own).unchanged > 0
    again = ours.server_bundle(supervisor, tmp_path / "ours-e.age", "evaluation")
    assert receive.import_bundle(supervisor.store, again).signer == ours.fingerprint


def test_the_first_import_binds_the_vault_whichever_side_it_came_from(
    tmp_path: Path, supervisor: Supervisor, two: tuple[Programme, Programme]
) -> None:
    """A vault whose first bundle was a laptop's (accepted by its fingerprint) belongs to
    that laptop's programme: the other programme's server is refused after it."""
    ours, theirs = two
    laptop = ours.laptop_bundle(supervisor, tmp_path / "our-laptop.age")
    laptop_fp = keys.signing_key(ours.laptop.store).public.fingerprint
    assert receive.import_bundle(supervisor.store, laptop, trust=laptop_fp).applied > 0
    message = _refused(supervisor, theirs.server_bundle(supervisor, tmp_path / "theirs.age"),
                       theirs.fingerprint)  # fmt: skip
    assert OTHER_PROGRAMME in message
    own = ours.server_bundle(supervisor, tmp_path / "ours.age")
    assert receive.import_bundle(supervisor.store, own, trust=ours.fingerprint).unchanged > 0


def test_a_server_that_names_no_programme_is_accepted_by_fingerprint_only_while_unbound(
    tmp_path: Path, supervisor: Supervisor, two: tuple[Programme, Programme]
) -> None:
    """An older server names no programme in its bundles: a vault that belongs to a programme
    does not take one it is asked to accept now (it cannot tell whose it is); the server it
    already trusts is taken as before."""
    ours, theirs = two
    first = ours.server_bundle(supervisor, tmp_path / "ours.age")
    receive.import_bundle(supervisor.store, first, trust=ours.fingerprint)

    def older_server(db_of: Programme, out: Path) -> Path:
        with db_of.server.db.reading() as s:
            key = server_keys.signing_key(s)
            changes, erase, _ = server_bundles.team_changes(s, db_of.team, None)
        sender = Sender("server", "sync server", None, None, db_of.team)
        sealed = seal(changes + erase, kind="supervision", sender=sender, key=key,
                      recipients=[supervisor.recipient])  # fmt: skip
        return sealed.write(out)[0]

    unnamed = older_server(theirs, tmp_path / "older-theirs.age")
    message = _refused(supervisor, unnamed, theirs.fingerprint)
    assert "does not say which programme" in message and "update the server" in message
    known = older_server(ours, tmp_path / "older-ours.age")
    assert receive.import_bundle(supervisor.store, known).unchanged > 0
