"""SQLite's lookaside pool is enlarged before the first connection, so memory security stays
cheap: a statement's small allocations come from the connection's locked pool instead of one
mlock/wipe/munlock round each."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

# A fresh interpreter each time: the pool is a process-wide setting made once, at import.
# The probe runs a query that needs many small allocations (a grouped join with a sort) on a
# keyed vault with memory security on, and reads SQLite's own counter of the allocations the
# lookaside pool could not serve because it was full.
PROBE = textwrap.dedent(
    """
    import ctypes, json, os, sys
    from pathlib import Path
    if sys.argv[2] == "sqlcipher3-first":
        import sqlcipher3  # someone else used SQLite first: too late to reconfigure
    import linksdesk.storage
    from linksdesk.storage import allocator, engine

    path = Path(sys.argv[1])
    conn = engine.connect_raw(path, bytes(range(32)), salt=engine.vault_salt("probe"))
    conn.execute("CREATE TABLE IF NOT EXISTS t (k INTEGER, v TEXT)")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO t VALUES (?, ?)", ((i % 97, "x" * (i % 50)) for i in range(3000)))
    conn.execute("COMMIT")
    sql = ("SELECT a.k, count(*), group_concat(b.v) FROM t a JOIN t b"
           " ON a.k = b.k AND b.rowid < 300 GROUP BY a.k ORDER BY 2 DESC, 1")
    rows = conn.execute(sql).fetchall()

    # pysqlite's Connection starts with PyObject_HEAD then the sqlite3* handle
    lib = ctypes.CDLL(sys.modules["sqlcipher3"]._sqlite3.__file__)
    db = ctypes.c_void_p.from_address(id(conn) + 2 * ctypes.sizeof(ctypes.c_void_p)).value
    lib.sqlite3_db_filename.restype = ctypes.c_char_p
    lib.sqlite3_db_filename.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    assert Path(lib.sqlite3_db_filename(db, b"main").decode()) == path.resolve()
    cur, high = ctypes.c_int(), ctypes.c_int()
    lib.sqlite3_db_status(ctypes.c_void_p(db), 6, ctypes.byref(cur), ctypes.byref(high), 0)
    memsec = conn.execute("PRAGMA cipher_memory_security").fetchone()[0]
    print(json.dumps({"tuned": allocator.lookaside_tuned(), "misses": high.value,
                      "rows": len(rows), "memsec": str(memsec)}))
    """
)


def probe(tmp_path: Path, mode: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / f"{mode}.vault"), mode],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return dict(json.loads(out.stdout))


def test_lookaside_pool_serves_a_statements_small_allocations(tmp_path: Path) -> None:
    tuned = probe(tmp_path, "storage-first")
    default = probe(tmp_path, "sqlcipher3-first")

    assert tuned["memsec"] == default["memsec"] == "1"  # memory security on either way
    assert tuned["rows"] == default["rows"] == 97
    assert tuned["tuned"] is True and default["tuned"] is False
    # SQLite's default pool runs dry on this query; the enlarged one does not
    assert isinstance(default["misses"], int) and default["misses"] > 0
    assert tuned["misses"] == 0
