"""search index: words joined by an apostrophe or a hyphen, also indexed joined

unicode61 splits "O'Brien" into "o" and "brien", so "obrien", typed in a hurry, found nobody
(and a worker who finds nobody adds the person again). A new column, ``joined``, holds each
entry's joined words written together ("OBrien", "SmithJones"); titles and snippets are still
read from ``title`` and ``body``, as written. FTS5 cannot add a column, so the table is made
again and every entry copied into it with its rowid, which ``search_key`` points at, and its
joined words (``storage.search.joined_words``, as the write path fills them).

Revision ID: 0018
Revises: 0017
"""

from alembic import op

from linksdesk.storage.search import joined_words

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_COLUMNS = "entity, row_id, participant_id, title, body"


def _remake(*, joined: bool) -> None:
    """The table made again, with or without ``joined``, holding every entry it held (each
    with its rowid, which ``search_key`` points at)."""
    bind = op.get_bind()
    entries = [
        tuple(r) for r in bind.exec_driver_sql(f"SELECT rowid, {_COLUMNS} FROM search_index")
    ]
    op.execute("DROP TABLE search_index")
    # entity and row_id are stored but not tokenised; title, body and joined are ranked (bm25)
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "entity UNINDEXED, row_id UNINDEXED, participant_id UNINDEXED, title, body, "
        + ("joined, " if joined else "")
        + "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    if not entries:
        return
    rows = (
        [(*e, joined_words(str(e[4] or ""), str(e[5] or ""))) for e in entries]
        if joined
        else entries
    )
    columns = f"rowid, {_COLUMNS}" + (", joined" if joined else "")
    marks = ", ".join("?" * len(rows[0]))
    bind.exec_driver_sql(f"INSERT INTO search_index ({columns}) VALUES ({marks})", rows)


def upgrade() -> None:
    _remake(joined=True)


def downgrade() -> None:
    _remake(joined=False)
