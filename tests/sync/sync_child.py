"""A sync in its own process, so a test can kill it with SIGKILL at any point.

Usage: sync_child.py VAULT PASSPHRASE BATCH PAGE — prints one progress line per step
("push 10 40", "pull 5 -") and exits 0 when the sync finished.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> int:
    from linksdesk.storage.vault import Vault
    from linksdesk.sync.client import SyncClient
    from linksdesk.sync.transport import Backoff

    path, passphrase, batch, page = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    vault = Vault.unlock(Path(path), passphrase)

    def progress(stage: str, done: int, total: int | None) -> None:
        print(f"{stage} {done} {'-' if total is None else total}", flush=True)

    try:
        client = SyncClient(
            vault,
            backoff=Backoff(attempts=8, base_s=0.05, cap_s=0.5),
            batch_size=batch,
            page_size=page,
        )
        client.sync(progress=progress, allow_mass_delete=True)
    finally:
        vault.lock()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
