"""The supervisors' data path on the command line, as real processes: a supervisor's vault,
its keys, export on a laptop, import with the signer accepted by fingerprint, the lookup."""

from __future__ import annotations

import re
import stat
import subprocess
from pathlib import Path

from bundle_kit import Laptop
from test_cli import PASSPHRASE, linksdesk

from linksdesk.core.resources import resource_path
from linksdesk.storage.vault import Vault
from linksdesk.sync.bundle import keys


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_supervisor_vault_keys_export_import_and_lookup(tmp_path: Path) -> None:
    home = tmp_path / "home"
    sup = tmp_path / "supervisor.vault"
    _ok(linksdesk(home, "new", "--supervisor", "--vault", str(sup), passphrase=PASSPHRASE))
    made = _ok(linksdesk(home, "keys", "new", "--vault", str(sup), passphrase=PASSPHRASE))
    recipient = re.search(r"age1[0-9a-z]+", made)
    assert recipient is not None
    shown = _ok(linksdesk(home, "keys", "show", "--vault", str(sup), passphrase=PASSPHRASE))
    assert "vault kind:  supervisor" in shown and recipient.group(0) in shown
    line = re.search(r"signing key: (RW\S+)", shown)
    fp = re.search(r"fingerprint: ([0-9A-F]{16})", shown)
    assert line and fp and keys.PublicKey.from_line(line.group(1)).fingerprint == fp.group(1)
    again = linksdesk(home, "keys", "new", "--vault", str(sup), passphrase=PASSPHRASE)
    assert again.returncode == 2 and "never replaced" in again.stderr

    ident = tmp_path / "identity.txt"
    args = ("keys", "export-identity", "--vault", str(sup), "--out", str(ident))
    _ok(linksdesk(home, *args, passphrase=PASSPHRASE))
    assert stat.S_IMODE(ident.stat().st_mode) == 0o600
    assert ident.read_text().splitlines()[-1].startswith("AGE-SECRET-KEY-1")
    twice = linksdesk(home, *args, passphrase=PASSPHRASE)
    assert twice.returncode == 2 and "already exists" in twice.stderr

    lap = Laptop.create(tmp_path, "laptop")
    lap.person(given_name="Fiona", postcode="G31 1AB")
    lap_fp = keys.signing_key(lap.store).public.fingerprint
    lap.close()
    out = tmp_path / "bundle.age"

    def export(to: str, into: Path, *period: str) -> subprocess.CompletedProcess[str]:
        """``linksdesk export`` of the laptop's supervision bundle to the key ``to``."""
        return linksdesk(
            home,
            *("export", "--vault", str(lap.path), "--kind", "supervision"),
            *("--to", to, "--out", str(into), *period),
            passphrase=PASSPHRASE,
        )

    exported = export(recipient.group(0), out, "--period", "2026-04..2026-09")
    assert "Wrote supervision bundle" in _ok(exported)
    bad_period = export(recipient.group(0), tmp_path / "x.age", "--period", "April")
    assert bad_period.returncode == 2 and "2026-04..2026-09" in bad_period.stderr
    # a key cut short: the command line keeps its own words (the window has the worker's)
    short = export(recipient.group(0)[:-1], tmp_path / "y.age")
    assert short.returncode == 2 and "`linksdesk keys show`" in short.stderr
    assert not (tmp_path / "y.age").exists()

    refused = linksdesk(home, "import", "--vault", str(sup), str(out), passphrase=PASSPHRASE)
    assert refused.returncode == 2 and lap_fp in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    taken = linksdesk(
        home, "import", "--vault", str(sup), "--trust", lap_fp, str(out), passphrase=PASSPHRASE
    )
    assert "Imported supervision bundle" in _ok(taken)

    lookup = resource_path("deprivation", "synthetic-demo-deciles.csv")
    assert "SYNTHETIC" in lookup.read_text()[:200]
    loaded = linksdesk(
        home,
        "deprivation",
        "import",
        str(lookup),
        "--vault",
        str(sup),
        "--name",
        "Synthetic demo lookup",
        "--year",
        "2026",
        passphrase=PASSPHRASE,
    )
    assert "57600 postcodes" in _ok(loaded)
    wrong = linksdesk(
        home,
        "deprivation",
        "import",
        str(lookup),
        "--vault",
        str(sup),
        "--name",
        "X",
        "--year",
        "2026",
        "--decile-column",
        "simd",
        passphrase=PASSPHRASE,
    )
    assert wrong.returncode == 2 and "no column 'simd'" in wrong.stderr
    vault = Vault.unlock(sup, PASSPHRASE)
    try:
        assert vault.setting(keys.DEPRIVATION_SOURCE)["name"] == "Synthetic demo lookup"  # type: ignore[index]
    finally:
        vault.lock()
