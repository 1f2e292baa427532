"""search keys: find an index entry by its row without scanning the whole FTS table

FTS5 cannot index its UNINDEXED columns, so deleting an entry by (entity, row_id) scanned the
whole index on every save. This keyed table maps each row to its FTS rowid.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TABLE search_key ("
        "entity VARCHAR(16) NOT NULL, row_id VARCHAR(36) NOT NULL, "
        "participant_id VARCHAR(36), doc INTEGER NOT NULL, "
        "PRIMARY KEY (entity, row_id))"
    )
    op.execute("CREATE INDEX ix_search_key_participant ON search_key (participant_id)")
    # keep one entry per row (duplicates could only come from the old full-scan deletes failing)
    op.execute(
        "DELETE FROM search_index WHERE rowid NOT IN "
        "(SELECT max(rowid) FROM search_index GROUP BY entity, row_id)"
    )
    op.execute(
        "INSERT INTO search_key (entity, row_id, participant_id, doc) "
        "SELECT entity, row_id, participant_id, rowid FROM search_index"
    )


def downgrade() -> None:
    op.execute("DROP TABLE search_key")
