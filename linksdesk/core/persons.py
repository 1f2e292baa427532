"""Which record is kept for a person registered twice, from the records' merge marks.

One rule wherever records and their marks are held (a worker's vault, an evaluation bundle
being made, a supervisor's evaluation copy): a record is merged away when its mark names a
live record held there; a mark naming a record not held there counts as no mark. Marks are
followed to the end (a person found twice more), and marks that go round (two laptops
offline each merging the pair the other way) are broken the same way everywhere: the record
with the lowest id of the ring is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# the mark on a participant record merged away: the kept record's id, and the day it was
# found (one decision, written together; registry.toml's participant columns)
MARK = ("merged_into_id", "merged_on")


def resolve(named: Mapping[str, str], live: Iterable[str]) -> dict[str, str]:
    """Each record merged away (in ``named``: record → the record its mark names) → the
    record kept for its person. A mark naming a record not in ``live`` counts as no mark."""
    held = set(live)
    marked = {pid: into for pid, into in named.items() if into in held and into != pid}
    kept: dict[str, str] = {}
    for start in marked:
        path = [start]
        here = start
        while here in marked and marked[here] not in path:
            here = marked[here]
            path.append(here)
        if here in marked:  # a ring: the lowest id of the ring is kept
            ring = path[path.index(marked[here]) :]
            here = min(ring)
        if here != start:
            kept[start] = here
    return kept


def agreeing(agree: Iterable[str], away: Mapping[str, str]) -> set[str]:
    """Of the records in ``agree`` (each agreed to something on its own), those whose person
    agrees: the most restrictive decision stands, so a person agrees only where every record
    of theirs (the kept one and each merged into it) agrees."""
    said = set(agree)
    refused = {kept for pid, kept in away.items() if pid not in said} | {
        kept for kept in away.values() if kept not in said
    }
    return {pid for pid in said if away.get(pid, pid) not in refused}
