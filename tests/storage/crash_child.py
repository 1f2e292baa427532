"""Child of the crash test: saves case notes in a loop and acknowledges each commit on stdout.

Run as ``python crash_child.py VAULT PASSPHRASE PARTICIPANT_ID SEED``; the parent kills it
with SIGKILL at a random moment.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # tests/: synthetic

from vault_kit import add_note

from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy

WORDS = [
    "walk",
    "bus",
    "benefits",
    "letter",
    "garden",
    "choir",
    "food",
    "bank",
    "warm",
    "space",
    "pension",
    "form",
]


def main() -> None:
    path, passphrase, participant_id, seed = sys.argv[1:5]
    rng = random.Random(int(seed))
    vault = Vault.unlock(Path(path), passphrase)
    store = vault.store(SyncPolicy())
    print("ready", flush=True)
    n = 0
    while True:
        # sizes from a line to several pages, so some commits span overflow pages
        body = " ".join(rng.choice(WORDS) for _ in range(rng.choice((8, 60, 900))))
        with store.write() as tx:
            note, rev = add_note(tx, participant_id, f"Crash trial {seed}/{n}: {body}")
        print(f"ack {note.id} {rev.id}", flush=True)
        n += 1


if __name__ == "__main__":
    main()
