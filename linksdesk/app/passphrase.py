"""Asking for a passphrase or recovery key: from a file, the environment, or the terminal."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TextIO

from linksdesk.core.errors import UserError, WeakPassphraseError

PASSPHRASE_ENV = "LINKSDESK_PASSPHRASE"
DEMO_PASSPHRASE = "demo passphrase"


def first_line(path: Path, what: str) -> str:
    """The first line of a secret's file, line ending and all (the caller trims it)."""
    try:
        with path.open(encoding="utf-8") as fh:
            return fh.readline()
    except OSError:
        raise UserError(f"The {what} file {path} could not be read.") from None


def _from_file(path: Path) -> str:
    # only the line ending goes: spaces may be part of a passphrase
    return first_line(path, "passphrase").rstrip("\r\n")


def read_recovery_key(path: Path) -> str:
    return first_line(path, "recovery key").strip()


def _prompt(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise UserError(
            "No passphrase given. Set LINKSDESK_PASSPHRASE, use --passphrase-file, "
            "or run the command in a terminal."
        )
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UserError("No passphrase given.") from None


def read_passphrase(args: argparse.Namespace, *, creating: bool = False) -> str:
    """From --passphrase-file, else LINKSDESK_PASSPHRASE, else the terminal (twice to create)."""
    file: Path | None = getattr(args, "passphrase_file", None)
    if file is not None:
        passphrase = _from_file(file)
    elif os.environ.get(PASSPHRASE_ENV):
        passphrase = os.environ[PASSPHRASE_ENV]
    elif creating:
        passphrase = _prompt("New passphrase for the vault: ")
        if _prompt("The same passphrase again: ") != passphrase:
            raise UserError("The two passphrases do not match. Nothing was created.")
    else:
        passphrase = _prompt("Passphrase: ")
    if not passphrase:
        raise UserError("The passphrase is empty.")
    return passphrase


def read_new_passphrase(args: argparse.Namespace) -> str:
    """A passphrase for a vault being made: read as ``read_passphrase`` does, and strong."""
    from linksdesk.casework.casebook import Casebook

    passphrase = read_passphrase(args, creating=True)
    strength = Casebook.passphrase_strength(passphrase)
    if not strength.acceptable:
        raise WeakPassphraseError(strength.message)
    return passphrase


def read_demo_passphrase(args: argparse.Namespace, out: TextIO) -> str:
    """A demo vault's passphrase: given like any other, or the documented demo default."""
    if args.passphrase_file is not None:
        return _from_file(args.passphrase_file)
    if args.demo_passphrase:
        return str(args.demo_passphrase)
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    print(
        f'Passphrase: "{DEMO_PASSPHRASE}" (the demo default; demo vaults hold synthetic '
        "data only).",
        file=out,
    )
    return DEMO_PASSPHRASE
