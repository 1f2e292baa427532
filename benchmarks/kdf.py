"""Time Argon2id key derivation per parameter set, to tune DEFAULT_KDF to >= 0.3 s per guess.

Run: .venv/bin/python benchmarks/kdf.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import time

from linksdesk.storage.keyfile import DEFAULT_KDF, FAST_KDF, KdfParams, derive_passphrase_kek

CANDIDATES = [
    KdfParams(time_cost=2, memory_kib=128 * 1024, parallelism=2),
    KdfParams(time_cost=3, memory_kib=128 * 1024, parallelism=2),
    KdfParams(time_cost=2, memory_kib=256 * 1024, parallelism=2),
    KdfParams(time_cost=3, memory_kib=256 * 1024, parallelism=2),
    KdfParams(time_cost=4, memory_kib=256 * 1024, parallelism=2),
    KdfParams(time_cost=3, memory_kib=512 * 1024, parallelism=2),
]


def seconds_per_guess(kdf: KdfParams, repeat: int) -> list[float]:
    salt = secrets.token_bytes(16)
    derive_passphrase_kek("warm-up passphrase", salt, kdf)  # first call pays page faults
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        derive_passphrase_kek("benchmark passphrase", salt, kdf)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = [("FAST_KDF", FAST_KDF), ("DEFAULT_KDF", DEFAULT_KDF)]
    rows += [("candidate", k) for k in CANDIDATES if k != DEFAULT_KDF]
    print(f"{'profile':<12} {'time':>4} {'MiB':>5} {'lanes':>5} {'median s':>9} {'min s':>7}")
    for label, kdf in rows:
        times = seconds_per_guess(kdf, args.repeat)
        print(
            f"{label:<12} {kdf.time_cost:>4} {kdf.memory_kib // 1024:>5} {kdf.parallelism:>5} "
            f"{statistics.median(times):>9.3f} {min(times):>7.3f}"
        )


if __name__ == "__main__":
    main()
