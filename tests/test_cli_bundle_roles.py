"""The supervisor's vault and a worker's laptop keep to their roles on the command line: a
supervisor's vault holds imported copies and makes no bundle, and a laptop imports none.
Each refusal is one plain line, writes no file and leaves the vault as it was."""

from __future__ import annotations

from pathlib import Path

from bundle_kit import Laptop, Supervisor
from sqlalchemy import text
from test_cli import PASSPHRASE, assert_one_plain_line, linksdesk

from linksdesk.storage.vault import Vault
from linksdesk.sync.bundle import export, keys

# what opening a vault on the command line writes whatever it is asked: its unlock and lock
# in the audit log, and the log's head
OPENING = {"audit_event"}
AUDIT_HEAD = ("audit_head",)


def _content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows but the audit log's (which records the unlock itself)."""
    vault = Vault.unlock(path, PASSPHRASE)
    try:
        with vault.store().read() as s:
            names = s.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
            return {
                name: [
                    tuple(r)
                    for r in s.execute(text(f'SELECT * FROM "{name}" ORDER BY 1'))
                    if name != "local_setting" or tuple(r)[:1] != AUDIT_HEAD
                ]
                for name in sorted(n for (n,) in names if n not in OPENING)
            }
    finally:
        vault.lock()


def test_a_supervisors_vault_makes_no_bundle_and_a_laptop_imports_none(tmp_path: Path) -> None:
    home = tmp_path / "home"
    sup = Supervisor.create(tmp_path)
    lap = Laptop.create(tmp_path, "laptop")
    try:
        lap.person()
        theirs = tmp_path / "caseload.age"
        export.export_to_file(lap.store, theirs, kind="supervision", recipients=[sup.recipient])
        recipient, sup_fp = sup.recipient, keys.signing_key(sup.store).public.fingerprint
        lap_fp = keys.signing_key(lap.store).public.fingerprint
    finally:
        lap.close()
        sup.vault.lock()
    before = [_content(p) for p in (sup.path, lap.path)]
    out = tmp_path / "from-supervisor.age"
    made = linksdesk(home, "export", "--vault", str(sup.path), "--kind", "supervision",
                     "--to", recipient, "--out", str(out), passphrase=PASSPHRASE)  # fmt: skip
    assert made.returncode == 2
    assert "imported copies" in assert_one_plain_line(made)
    assert not out.exists() and not Path(f"{out}.minisig").exists()
    taken = linksdesk(home, "import", "--vault", str(lap.path), "--trust", lap_fp, str(theirs),
                      passphrase=PASSPHRASE)  # fmt: skip
    assert taken.returncode == 2
    assert "supervisor's vault" in assert_one_plain_line(taken)
    assert [_content(p) for p in (sup.path, lap.path)] == before  # nothing was written
    assert sup_fp != lap_fp
