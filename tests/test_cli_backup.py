"""``linksdesk backup`` and ``linksdesk restore`` as real processes on vaults in tmp_path."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from test_cli import PASSPHRASE, assert_one_plain_line, linksdesk

from linksdesk.casework import participants
from linksdesk.casework.casebook import Casebook
from linksdesk.storage import machine


def _people(path: Path, passphrase: str = PASSPHRASE) -> int:
    cb = Casebook.unlock(path, passphrase)
    try:
        return len(participants.find_participants(cb, "Example", limit=100))
    finally:
        cb.lock()


def _add(path: Path, name: str) -> None:
    cb = Casebook.unlock(path, PASSPHRASE)
    try:
        participants.create_participant(cb, given_name=name, family_name="Example")
    finally:
        cb.lock()


def test_backup_and_restore_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = tmp_path / "worker.vault"
    made = linksdesk(tmp_path, "new", "--vault", str(vault), passphrase=PASSPHRASE)
    assert made.returncode == 0, made.stderr
    _add(vault, "Before")
    out = tmp_path / "friday.ldbackup"
    done = linksdesk(
        tmp_path, "backup", "--vault", str(vault), "--out", str(out), passphrase=PASSPHRASE
    )
    assert done.returncode == 0, done.stderr
    assert "Backed up" in done.stdout and stat.S_IMODE(out.stat().st_mode) == 0o600
    _add(vault, "After")  # the vault is now newer than the backup

    refused = linksdesk(tmp_path, "restore", str(out), "--vault", str(vault), passphrase=PASSPHRASE)
    assert refused.returncode == 2
    line = assert_one_plain_line(refused)
    assert "newer than this backup" in line and "--replace" in line
    assert _people(vault) == 2  # untouched

    replaced = linksdesk(
        tmp_path, "restore", str(out), "--vault", str(vault), "--replace", passphrase=PASSPHRASE
    )
    assert replaced.returncode == 0, replaced.stderr
    assert "newer changes" in replaced.stdout and "before-restore" in replaced.stdout
    assert "laptop of its own" not in replaced.stdout  # the same computer: the same laptop
    assert _people(vault) == 1

    # a new laptop (another computer), with the recovery key and a new passphrase
    monkeypatch.setenv(machine.FOLDER_ENV, str(tmp_path / "new-computer"))
    key_file = tmp_path / "recovery.txt"
    cb_key = made.stdout.split("Recovery key")[1].split()
    key_file.write_text(next(w for w in cb_key if w.count("-") >= 5) + "\n")
    new_passphrase = "lighthouse keeper orange paperclip"
    fresh = tmp_path / "new-laptop" / "worker.vault"
    restored = linksdesk(
        tmp_path,
        "restore",
        str(out),
        "--vault",
        str(fresh),
        "--recovery-key-file",
        str(key_file),
        passphrase=new_passphrase,
    )
    assert restored.returncode == 0, restored.stderr
    assert "laptop of its own" in restored.stdout and "new code" in restored.stdout
    assert _people(fresh, new_passphrase) == 1

    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a backup")
    bad = linksdesk(
        tmp_path,
        "restore",
        str(garbage),
        "--vault",
        str(tmp_path / "x.vault"),
        passphrase=PASSPHRASE,
    )
    assert bad.returncode == 2 and "not a LinksDesk backup" in assert_one_plain_line(bad)
