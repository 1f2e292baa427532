"""SQLite's per-connection allocator, sized so memory security costs little.

With ``cipher_memory_security = ON`` SQLCipher mlocks every block SQLite takes from the
global allocator and fills it with noise and munlocks it when freed: two system calls (each
splitting or merging a kernel memory area) per allocation. A search or a caseload list makes
thousands of small allocations, so that wiping cost 14-20x the work itself.

SQLite serves most of a statement's small allocations from a per-connection "lookaside"
pool instead, allocated (and so locked, and wiped when the connection closes) once. Its
default pool (40 slots) runs dry within one query; this module gives each connection a
bigger one. It is a global setting, so it must be made before the first connection of the
process: the storage package does it when it is first imported, before sqlcipher3 is used.
Nothing changes in what is stored, only where SQLite keeps its scratch memory.
"""

from __future__ import annotations

import ctypes
import logging
import platform
import sys

log = logging.getLogger(__name__)

LOOKASIDE_SLOT_BYTES = 1200  # SQLite's own default slot size
LOOKASIDE_SLOTS = 1000  # ~1.2 MB a connection, locked in memory with the rest
_SQLITE_CONFIG_LOOKASIDE = 13
_SQLITE_OK = 0

_tuned = False


def lookaside_tuned() -> bool:
    """Whether this process's connections get the larger lookaside pool."""
    return _tuned


def tune_before_first_connection() -> bool:
    """Give every later connection the larger lookaside pool, if still possible.

    Only done when this is the first use of sqlcipher3 in the process (so no connection can
    be open: SQLite may only be reconfigured between shutdown and initialise) and on 64-bit
    x86, where calling the C variadic ``sqlite3_config`` through ctypes is well defined.
    """
    global _tuned
    if _tuned:
        return True
    if "sqlcipher3" in sys.modules or platform.machine().lower() not in ("x86_64", "amd64"):
        log.debug("SQLite allocator left at its defaults")
        return False
    import sqlcipher3

    try:
        lib = ctypes.CDLL(sqlcipher3._sqlite3.__file__)
        config, shutdown = lib.sqlite3_config, lib.sqlite3_shutdown
        initialize = lib.sqlite3_initialize
    except (OSError, AttributeError):  # a build that does not export SQLite's C API
        log.debug("SQLite allocator left at its defaults: C API not reachable")
        return False
    if shutdown() != _SQLITE_OK:
        return False
    rc = config(
        ctypes.c_int(_SQLITE_CONFIG_LOOKASIDE),
        ctypes.c_int(LOOKASIDE_SLOT_BYTES),
        ctypes.c_int(LOOKASIDE_SLOTS),
    )
    if initialize() != _SQLITE_OK:  # pragma: no cover - SQLite could not start again
        raise RuntimeError("SQLite could not be initialised")
    _tuned = bool(rc == _SQLITE_OK)
    log.debug("SQLite lookaside pool %s", "enlarged" if _tuned else "left at its default")
    return _tuned
