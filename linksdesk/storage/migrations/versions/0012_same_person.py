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
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("merged_on", sa.Date(), nullable=True))
        batch_op.create_index("ix_participant_merged_into_id", ["merged_into_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index("ix_participant_merged_into_id")
        batch_op.drop_column("merged_on")
        batch_op.drop_column("merged_into_id")
