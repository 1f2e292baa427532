"""A supervisor's USB stick holds a bundle beside another bundle's signature.

A worker exports in June and again in July; the July file is renamed on the stick (or the
June ``.minisig`` is copied over, under the July file's name). The import said the bundle
"was changed after it was made (damaged on the way, or altered)" and told the supervisor to
report it, or that the copy was cut short and to copy it again, which changes nothing: the
file was whole, only its signature was another bundle's. The signature's trusted comment
names the bundle it signed, and the file, opened, names its own: the import says the
signature is another bundle's, and nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bundle_kit import Laptop, Supervisor, fingerprint_of, signed_by_laptop, trusted_by
from test_cli import PASSPHRASE, assert_one_plain_line, linksdesk

from linksdesk.sync.bundle import receive
from linksdesk.sync.bundle.format import BundleRefused

ANOTHER = "signature of another bundle"


def _minisig(path: Path) -> Path:
    return Path(f"{path}.minisig")


def _with_signature_of(bundle: Path, other: Path, stick: Path) -> Path:
    """``bundle`` copied to the stick under a new name, ``other``'s .minisig beside it."""
    stick.mkdir(exist_ok=True)
    renamed = stick / "caseload-july.age"
    shutil.copyfile(bundle, renamed)
    shutil.copyfile(_minisig(other), _minisig(renamed))
    return renamed


@pytest.mark.parametrize("signed_later", [True, False], ids=["july-sig", "june-sig"])
def test_a_known_laptops_bundle_beside_its_other_signature(
    tmp_path: Path, signed_later: bool
) -> None:
    """July's signature (of a longer file: "cut short") or June's (a shorter one: "changed")
    beside the other bundle's file."""
    sup = Supervisor.create(tmp_path)
    lap = Laptop.create(tmp_path, "laptop")
    trusted_by(sup, lap, tmp_path)  # the laptop is known: its first bundle came
    june = signed_by_laptop(lap, sup, tmp_path / "june.age")
    for _ in range(3):
        lap.person()
    july = signed_by_laptop(lap, sup, tmp_path / "july.age")
    assert june.stat().st_size < july.stat().st_size
    bundle, other = (june, july) if signed_later else (july, june)
    on_stick = _with_signature_of(bundle, other, tmp_path / "stick")
    before = sup.content_hash()
    with pytest.raises(BundleRefused) as refused:
        receive.import_bundle(sup.store, on_stick)
    said = str(refused.value)
    assert ANOTHER in said and "Nothing was imported" in said
    assert "changed after" not in said and "cut short" not in said
    assert sup.content_hash() == before
    # its own signature beside it, the same file is taken
    shutil.copyfile(_minisig(bundle), _minisig(on_stick))
    assert sum(receive.import_bundle(sup.store, on_stick).counts.values()) > 0


def test_first_bundle_with_another_bundles_signature_on_the_command_line(tmp_path: Path) -> None:
    """A laptop not known yet, its key given by phone (``--trust``): the same words."""
    sup = Supervisor.create(tmp_path)
    lap = Laptop.create(tmp_path, "laptop")
    lap.person()
    june = signed_by_laptop(lap, sup, tmp_path / "june.age")
    lap.person()
    july = signed_by_laptop(lap, sup, tmp_path / "july.age")
    on_stick = _with_signature_of(july, june, tmp_path / "stick")
    fingerprint = fingerprint_of(lap)
    sup.vault.lock()
    lap.close()
    done = linksdesk(tmp_path / "home", "import", "--vault", str(sup.path), "--trust",
                     fingerprint, str(on_stick), passphrase=PASSPHRASE)  # fmt: skip
    assert done.returncode == 2, done.stdout
    line = assert_one_plain_line(done)
    assert ANOTHER in line and "changed after" not in line


def test_another_laptops_signature_beside_a_bundle(tmp_path: Path) -> None:
    """Two workers' bundles on one stick, one's signature beside the other's file: not the
    unknown laptop's key to phone about, nor a file changed on the way."""
    sup = Supervisor.create(tmp_path)
    mine, theirs = Laptop.create(tmp_path, "mine"), Laptop.create(tmp_path, "theirs")
    trusted_by(sup, mine, tmp_path)
    mine.person()
    ours = signed_by_laptop(mine, sup, tmp_path / "ours.age")
    theirs.person()
    other = signed_by_laptop(theirs, sup, tmp_path / "other.age")
    on_stick = _with_signature_of(ours, other, tmp_path / "stick")
    with pytest.raises(BundleRefused, match=ANOTHER):
        receive.import_bundle(sup.store, on_stick)
