"""``backup`` and ``restore``: a vault and its key file as one encrypted file, and back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from linksdesk.app.console import EXIT_OK
from linksdesk.app.passphrase import read_new_passphrase, read_passphrase, read_recovery_key
from linksdesk.app.vaults import casebook


def cmd_backup(args: argparse.Namespace) -> int:
    from linksdesk.casework import backup

    out: Path = args.out
    on_terminal = sys.stdout.isatty()

    def progress(done: int, total: int) -> None:
        if on_terminal:
            print(f"\rCopying the vault: {done * 100 // max(total, 1)}%", end="", flush=True)

    with casebook(args) as cb:
        info = backup.back_up(cb, out, progress=progress)
    if on_terminal:
        print()
    print(f"Backed up {args.vault} to {out}: {info.describe()}.")
    print(
        "The backup is encrypted: it opens with the vault's passphrase or its recovery key. "
        "Keep it somewhere safe, away from the laptop."
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from linksdesk.casework import backup

    info = backup.read_backup(args.backup)
    if args.recovery_key_file is not None:
        recovery = read_recovery_key(args.recovery_key_file)
        result = backup.restore_backup(
            args.backup,
            args.vault,
            recovery_key=recovery,
            new_passphrase=read_new_passphrase(args),
            replace=args.replace,
        )
    else:
        result = backup.restore_backup(
            args.backup, args.vault, passphrase=read_passphrase(args), replace=args.replace
        )
    print(f"Restored the {info.describe()} to {result.vault_path}.")
    if result.replaced:
        what = "a vault with newer changes" if result.newer_replaced else "an older vault"
        print(f"It replaced {what}; those files are kept beside it:")
        for kept in result.kept_as:
            print(f"    {kept}")
    if result.new_laptop:
        print(
            "The backup was made on another computer, so this is a laptop of its own now, "
            "with everything in the backup: enrol it with a new code from your programme "
            "administrator (`linksdesk enrol`), then sync."
        )
    print(
        "If this laptop syncs, sync now: work sent from this laptop since the backup comes "
        "back from the server, and anyone erased since stays erased. Private records made "
        "since the backup are not on the server and cannot come back."
    )
    return EXIT_OK
