"""``new``: an empty vault, and its recovery key shown once."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from linksdesk.app.console import EXIT_OK
from linksdesk.app.passphrase import read_new_passphrase
from linksdesk.app.vaults import vault_exists
from linksdesk.core.errors import VaultExistsError

log = logging.getLogger(__name__)


def cmd_new(args: argparse.Namespace) -> int:
    from linksdesk.casework import bundles
    from linksdesk.casework.casebook import Casebook
    from linksdesk.storage.keyfile import keyfile_path

    path: Path = args.vault
    if vault_exists(path):
        raise VaultExistsError(str(path))
    passphrase = read_new_passphrase(args)
    cb, recovery = Casebook.create(path, passphrase)
    try:
        bundles.prepare_new_vault(cb, supervisor=getattr(args, "supervisor", False))
    finally:
        cb.lock()
    log.info("new vault created")
    out = sys.stdout
    print(f"Created a new vault: {path}", file=out)
    print(f"Key file beside it:  {keyfile_path(path)} (back up both files together)", file=out)
    print("", file=out)
    print("Recovery key (shown this once; LinksDesk does not keep it):", file=out)
    print("", file=out)
    print(f"    {recovery}", file=out)
    print("", file=out)
    print(
        "Store this safely: write it down or print it, and keep it locked away from the "
        "laptop.\nIf the passphrase is ever forgotten, this key is the only way back in.",
        file=out,
    )
    return EXIT_OK
