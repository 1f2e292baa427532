"""search index: a name of several words, also indexed written as one

A participant written "Mc Donald" (or "De Souza", "Van der Berg") was found typed "mc donald"
but not "mcdonald": the index held "mc" and "donald" only, and a worker who finds nobody adds
the person again. The write path now puts each name of several words (the registry's search
``names``) written as one into the entry's ``joined`` column (``storage.search.entry_of``);
this fills that column again for the entries of rows with names, from their rows, in place
(the entries keep their rowids, which ``search_key`` points at, and their text). Only the
entries whose column changes are written: an FTS5 entry rewritten is a new segment, and a
caseload of one-word names would grow the file for nothing.

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Callable
from typing import Any

from alembic import op

from linksdesk.core import registry
from linksdesk.storage.search import entry_of, joined_words

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def _refill(joined: Callable[[str, dict[str, Any]], str | None]) -> None:
    """``joined`` of each row (table, its values) as the ``joined`` of its entry, where it
    is not that already."""
    bind = op.get_bind()
    for table, entry in registry.SEARCH.items():
        if not entry.names:
            continue
        rows = bind.exec_driver_sql(
            f"SELECT k.doc AS ld_doc, i.joined AS ld_joined, t.* FROM search_key k "
            f"JOIN {table} t ON k.entity = ? AND k.row_id = t.{entry.key} "
            "JOIN search_index i ON i.rowid = k.doc",
            (entry.entity,),
        ).mappings()
        found = ((joined(table, dict(row)), row["ld_joined"], row["ld_doc"]) for row in rows)
        values = [(new, doc) for new, old, doc in found if new != old]
        if values:
            bind.exec_driver_sql("UPDATE search_index SET joined = ? WHERE rowid = ?", values)


def _with_names(table: str, row: dict[str, Any]) -> str | None:
    entry = entry_of(table, row)
    return entry[5] if entry else None


def _without_names(table: str, row: dict[str, Any]) -> str | None:
    entry = entry_of(table, row)
    return joined_words(entry[3], entry[4]) if entry else None  # as 0018 filled it


def upgrade() -> None:
    _refill(_with_names)


def downgrade() -> None:
    _refill(_without_names)
