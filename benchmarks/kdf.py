"""Time Argon2id key derivation per parameter set, to tune DEFAULT_KDF to >= 0.3 s per guess.

Wall time is what a worker waits at unlock; CPU time (both lanes) is what a guess costs an
attacker, and does not grow with other work running on the machine.

Run: .venv/bin/python benchmarks/kdf.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
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


def seconds_per_guess(kdf: KdfParams, repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds (all lanes' threads) per guess."""
    salt = secrets.token_bytes(16)
    derive_passphrase_kek("warm-up passphrase", salt, kdf)  # first call pays page faults
    times, cpu = [], []
    for _ in range(repeat):
        start, cpu0 = time.perf_counter(), time.process_time()
        derive_passphrase_kek("benchmark passphrase", salt, kdf)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu0)
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = [("FAST_KDF", FAST_KDF), ("DEFAULT_KDF", DEFAULT_KDF)]
    rows += [("candidate", k) for k in CANDIDATES if k != DEFAULT_KDF]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"{'profile':<12} {'time':>4} {'MiB':>5} {'lanes':>5} {'median s':>9} {'min s':>7} "
        f"{'CPU s':>6}"
    )
    for label, kdf in rows:
        times, cpu = seconds_per_guess(kdf, args.repeat)
        print(
            f"{label:<12} {kdf.time_cost:>4} {kdf.memory_kib // 1024:>5} {kdf.parallelism:>5} "
            f"{statistics.median(times):>9.3f} {min(times):>7.3f} {statistics.median(cpu):>6.3f}"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
