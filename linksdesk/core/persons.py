"""Which record is kept for a person registered twice, from the records' merge marks.

One rule wherever records and their marks are held (a worker's vault, an evaluation bundle
being made, a supervisor's evaluation copy, the server's caseload of a worker): a record is
merged away when its mark names a live record held there; a mark naming a record not held
there counts as no mark. Marks are followed to the end (a person found twice more), and
marks that go round (two laptops offline each merging the pair the other way, or three
laptops round a ring) are broken the same way everywhere: the record with the lowest id of
the ring is kept.

The rule is written once, as SQL (``kept_sql``): a vault's lists run it inside their one
query each (``storage/people.py``), and ``resolve`` runs the same text on the marks given,
in a database in memory, for everything else, so no reader can follow marks differently.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import closing

# the mark on a participant record merged away: the kept record's id, and the day it was
# found (one decision, written together; registry.toml's participant columns)
MARK = ("merged_into_id", "merged_on")


def kept_sql(table: str, live: str = "") -> str:
    """The rule, as one SQLite query: a row (``id``, ``kept``) for each record merged away,
    ``kept`` the record kept for its person. ``table`` holds the records (columns ``id`` and
    ``merged_into_id``); ``live``, where given, is the SQL condition on ``{r}`` that such a
    record is live (an erased one is not held). Only records with a mark are read (an index
    on ``merged_into_id`` finds them), so the query costs nothing where none was merged.

    ``mark``: the marks that count (naming a live record held, not the record itself);
    ``walk``: from each marked record, the marks followed one by one, never to a record
    already on the path; where a walk stops, the record reached is kept, unless its own mark
    leads back onto the path: then it is in a ring, and the ring's lowest id is kept (the
    walk from a record of a ring passes every record of that ring)."""
    alive = f" AND {live.format(r='r')} AND {live.format(r='k')}" if live else ""
    return f"""WITH RECURSIVE
mark(id, into_id) AS MATERIALIZED (
  SELECT r.id, r.merged_into_id FROM {table} AS r JOIN {table} AS k ON k.id = r.merged_into_id
  WHERE r.merged_into_id > '' AND r.id <> k.id{alive}),
walk(start, here, path) AS (
  SELECT id, id, '/' || id || '/' FROM mark
  UNION ALL
  SELECT w.start, m.into_id, w.path || m.into_id || '/' FROM walk AS w
  JOIN mark AS m ON m.id = w.here WHERE instr(w.path, '/' || m.into_id || '/') = 0),
walk_end(start, here) AS (
  SELECT w.start, w.here FROM walk AS w WHERE NOT EXISTS (
    SELECT 1 FROM mark AS m WHERE m.id = w.here AND instr(w.path, '/' || m.into_id || '/') = 0)),
person(id, kept) AS (
  SELECT e.start, CASE WHEN EXISTS (SELECT 1 FROM mark AS m WHERE m.id = e.here)
    THEN (SELECT min(w.here) FROM walk AS w WHERE w.start = e.here) ELSE e.here END
  FROM walk_end AS e)
SELECT id, kept FROM person WHERE id <> kept"""


def resolve(named: Mapping[str, str], live: Iterable[str]) -> dict[str, str]:
    """Each record merged away (in ``named``: a record in ``live`` → the record its mark
    names) → the record kept for its person. A mark naming a record not in ``live`` counts
    as no mark (``kept_sql``, run on these marks alone)."""
    held = set(live)
    ids = {pid for pid in named if pid in held} | {into for into in named.values() if into in held}
    if not ids:
        return {}
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute("CREATE TABLE record (id TEXT PRIMARY KEY, merged_into_id TEXT)")
        db.executemany("INSERT INTO record VALUES (?, ?)", ((i, named.get(i)) for i in ids))
        rows = db.execute(kept_sql("record")).fetchall()
    return {str(pid): str(kept) for pid, kept in rows}


def agreeing(agree: Iterable[str], away: Mapping[str, str]) -> set[str]:
    """Of the records in ``agree`` (each agreed to something on its own), those whose person
    agrees: the most restrictive decision stands, so a person agrees only where every record
    of theirs (the kept one and each merged into it) agrees."""
    said = set(agree)
    refused = {kept for pid, kept in away.items() if pid not in said} | {
        kept for kept in away.values() if kept not in said
    }
    return {pid for pid in said if away.get(pid, pid) not in refused}
