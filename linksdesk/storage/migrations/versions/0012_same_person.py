"""two records of one person: the record merged away names the one kept, and since when

A participant registered twice (two laptops offline, or a person back after months) is
brought together without moving any row between participants: the record merged away is
marked with the kept record's id (``merged_into_id``) and the day (``merged_on``); every
read treats the pair as one person (casework/merging.py). Both are empty for every record
made before: none was merged.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ALTER TABLE, never a batch copy: participant is every record's parent, and copying it
    # drops the table, which SQLite refuses while its rows are referenced (foreign keys on)
    op.add_column("participant", sa.Column("merged_into_id", sa.String(length=36), nullable=True))
    op.add_column("participant", sa.Column("merged_on", sa.Date(), nullable=True))
    op.create_index("ix_participant_merged_into_id", "participant", ["merged_into_id"])


def downgrade() -> None:
    op.drop_index("ix_participant_merged_into_id", table_name="participant")
    op.drop_column("participant", "merged_on")  # SQLite 3.35+ drops a column in place
    op.drop_column("participant", "merged_into_id")
