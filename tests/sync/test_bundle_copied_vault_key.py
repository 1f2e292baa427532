"""A vault copied by hand to another computer becomes a device of its own, and so does its
bundle signing key: the copy's bundles must not pass, at a supervisor's, for the original
laptop's (which the server's roster vouches for). Two copies of one real vault on two
"computers" (folders of their own), a real server on 127.0.0.1, the real ``minisign`` tool,
and a supervisor's vault. Synthetic data."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from bundle_kit import Laptop, Supervisor
from sqlalchemy import select
from sync_kit import PASSPHRASE, Dev, ServerProcess

from linksdesk.server import bundles as server_bundles
from linksdesk.server import keys as server_keys
from linksdesk.server.models import Device
from linksdesk.storage import machine
from linksdesk.storage.keyfile import keyfile_path
from linksdesk.storage.vault import Vault
from linksdesk.sync.bundle import export, keys, receive
from linksdesk.sync.bundle.format import BundleRefused
from linksdesk.sync.bundle.signing import PublicKey


def _bundle(dev: Dev, sup: Supervisor, out: Path, name: str) -> Path:
    lap = Laptop(dev.path, dev.vault)
    lap.store = dev.store
    lap.person(given_name=name)
    export.export_to_file(dev.store, out, kind="supervision", recipients=[sup.recipient])
    return out


def _minisign_accepts(bundle: Path, key: PublicKey) -> bool:
    pub = bundle.with_suffix(".pub")
    pub.write_text(key.file_text())
    checked = subprocess.run(["minisign", "-Vqm", str(bundle), "-p", str(pub)], check=False)
    return checked.returncode == 0


def _server_bundle(server: ServerProcess, team: str, sup: Supervisor, out: Path) -> Path:
    sealed = server_bundles.export(server.db, team, kind="supervision", recipients=[sup.recipient])
    return sealed.write(out)[0]


def test_a_vault_copied_by_hand_signs_its_bundles_with_a_key_of_its_own(
    server: ServerProcess,
    devices: Callable[[str], Dev],
    supervisor: Supervisor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    team = server.team()
    worker = server.worker(team)
    office = devices("office")
    office.enrol(server, worker)
    assert office.sync().verified
    original = keys.signing_key(office.store).public
    # the supervisor knows the office laptop through the team's roster in the server's bundle
    server_fp = server_keys.public_key(server.db).fingerprint
    first = _server_bundle(server, team, supervisor, tmp_path / "server-1.age")
    receive.import_bundle(supervisor.store, first, trust=server_fp)
    office.close()
    folder = tmp_path / "second-laptop"
    folder.mkdir()
    for path in (office.path, keyfile_path(office.path)):
        shutil.copy2(path, folder / path.name)
    office.reopen()  # the first laptop goes on as it was
    monkeypatch.setenv(machine.FOLDER_ENV, str(tmp_path / "second-computer"))
    copy = Dev(folder / office.path.name, Vault.unlock(folder / office.path.name, PASSPHRASE),
               "second")  # fmt: skip
    try:
        own = keys.signing_key(copy.store).public
        assert own.fingerprint != original.fingerprint
        assert keys.signing_key(office.store).public == original  # the original keeps its own
        copy.reopen()
        assert keys.signing_key(copy.store).public == own  # made once, kept after
        # the copy's bundle is signed with its own key: minisign says so, and the supervisor
        # does not take it for the office laptop's
        made = _bundle(copy, supervisor, tmp_path / "copy.age", "Copy-made")
        assert _minisign_accepts(made, own) and not _minisign_accepts(made, original)
        before = supervisor.content_hash()
        with pytest.raises(receive.UnknownSigner) as unknown:
            receive.import_bundle(supervisor.store, made)
        assert unknown.value.fingerprint == own.fingerprint
        # nor may a phone call make it the worker's while the roster names their laptops
        with pytest.raises(BundleRefused, match="import the team's newest roster"):
            receive.import_bundle(supervisor.store, made, trust=own.fingerprint)
        assert supervisor.content_hash() == before
        # the office laptop's own bundles are taken as before
        ours = _bundle(office, supervisor, tmp_path / "office.age", "Office-made")
        assert receive.import_bundle(supervisor.store, ours).applied > 0
        # enrolled again, the copy is a device of its own: the server registers its key, the
        # team's roster lists it beside the original, and its bundles are taken
        copy.enrol(server, worker)
        assert copy.sync().verified
        with server.db.reading() as s:
            registered = {d.id: d.signing_key for d in s.scalars(select(Device))}
        assert registered[copy.store.device_id] == own.line
        assert registered[office.store.device_id] == original.line
        second = _server_bundle(server, team, supervisor, tmp_path / "server-2.age")
        assert receive.import_bundle(supervisor.store, second).signers_added == 1
        assert receive.import_bundle(supervisor.store, made).signer == own.fingerprint
    finally:
        copy.close()
