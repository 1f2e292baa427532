"""Syncs in their own processes, so a test can kill them with SIGKILL at any point.

``sync_child.py serve PASSPHRASE`` imports everything once, then forks one child per line
``VAULT BATCH PAGE`` read from stdin (forking is instant; a fresh interpreter takes over a
second to import). It answers ``started PID``; each child writes ``PID <stage> <done>
<total>`` per progress step and ``PID done`` or ``PID error <Type>`` at the end. Lines are
written with single ``os.write`` calls, so lines from different children never mix.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path


def _say(text: str) -> None:
    os.write(1, (text + "\n").encode())


def _sync(path: str, passphrase: str, batch: int, page: int) -> None:
    from linksdesk.storage.vault import Vault
    from linksdesk.sync.client import SyncClient
    from linksdesk.sync.transport import Backoff

    me = os.getpid()
    vault = Vault.unlock(Path(path), passphrase)

    def progress(stage: str, done: int, total: int | None) -> None:
        _say(f"{me} {stage} {done} {'-' if total is None else total}")

    try:
        client = SyncClient(
            vault,
            backoff=Backoff(attempts=10, base_s=0.05, cap_s=0.5),
            batch_size=batch,
            page_size=page,
        )
        client.sync(progress=progress, allow_mass_delete=True)
    finally:
        vault.lock()


def serve(passphrase: str) -> int:
    # import before forking, so children start at once
    import linksdesk.storage.vault
    import linksdesk.sync.client  # noqa: F401

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        path, batch, page = parts[0], int(parts[1]), int(parts[2])
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _sync(path, passphrase, batch, page)
                _say(f"{os.getpid()} done")
            except BaseException as exc:  # report and end this child only
                _say(f"{os.getpid()} error {type(exc).__name__}")
                code = 1
            os._exit(code)
        _say(f"started {pid}")
    return 0


if __name__ == "__main__":
    sys.exit(serve(sys.argv[2]) if sys.argv[1] == "serve" else 2)
