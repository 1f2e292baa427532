"""search index (FTS5 inside the encrypted file) and note drafts

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draft",
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    # entity and row_id are stored but not tokenised; title and body are ranked (bm25)
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "entity UNINDEXED, row_id UNINDEXED, participant_id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    # the index is built from the rows themselves: backfill anything written before it existed
    op.execute(
        "INSERT INTO search_index (entity, row_id, participant_id, title, body) "
        "SELECT 'participant', id, id, given_name || ' ' || family_name, "
        "coalesce(preferred_name, '') || ' ' || programme_id || ' ' || coalesce(postcode, '') "
        "FROM participant WHERE deleted = 0"
    )
    op.execute(
        "INSERT INTO search_index (entity, row_id, participant_id, title, body) "
        "SELECT 'goal', id, participant_id, title, coalesce(why_it_matters, '') "
        "FROM goal WHERE deleted = 0"
    )
    op.execute(
        "INSERT INTO search_index (entity, row_id, participant_id, title, body) "
        "SELECT 'resource', id, NULL, organisation || ' — ' || service, "
        "coalesce(description, '') || ' ' || coalesce(area, '') "
        "FROM resource WHERE deleted = 0"
    )
    op.execute(
        "INSERT INTO search_index (entity, row_id, participant_id, title, body) "
        "SELECT 'note', r.note_id, r.participant_id, '', r.body FROM note_revision r "
        "WHERE r.deleted = 0 AND r.revision = (SELECT max(revision) FROM note_revision x "
        "WHERE x.note_id = r.note_id AND x.deleted = 0)"
    )


def downgrade() -> None:
    op.execute("DROP TABLE search_index")
    op.drop_table("draft")
