"""Ids: UUIDv7 ids made on the device (time-ordered, so new rows cluster at the end of
indexes), and the namespaces of the ids derived from their parts instead (UUIDv5)."""

from __future__ import annotations

import os
import threading
import time
import uuid

# ids every device derives the same way from the same parts (conflicts, receipts, totals, the
# changes of a bundle a laptop makes)
SYNC_NAMESPACE = uuid.UUID("6b1c4f0e-3d2a-5b7c-9e8f-0a1b2c3d4e5f")
# the changes of the bundles the server makes
SERVER_BUNDLE_NAMESPACE = uuid.UUID("2f4d1c7a-8b3e-5f60-9a1b-c2d3e4f5a6b7")

# the highest floor a programme id lease request may report (the highest number a device
# gave or held): a vault's own counter starts at 1001 and counts people one by one, so one
# above this is not a caseload but a mistake or an attack (server.ids leases from 0 then)
PROGRAMME_FLOOR_CAP = 999_999


def stable_id(*parts: str) -> str:
    """A UUID every device derives the same way from the same parts."""
    return str(uuid.uuid5(SYNC_NAMESPACE, "/".join(parts)))


_lock = threading.Lock()
_last_ms = 0
_seq = 0


def uuid7() -> str:
    """A UUIDv7 string (RFC 9562), monotonic within this process."""
    global _last_ms, _seq
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _seq += 1
            if _seq > 0xFFF:  # 12-bit counter exhausted: borrow the next millisecond
                ms += 1
                _seq = 0
        else:
            _seq = int.from_bytes(os.urandom(2), "big") & 0x3FF
        _last_ms = ms
        rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
        value = (ms & ((1 << 48) - 1)) << 80
        value |= 0x7 << 76
        value |= (_seq & 0xFFF) << 64
        value |= 0b10 << 62
        value |= rand_b
        return str(uuid.UUID(int=value))
