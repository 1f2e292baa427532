"""programme id blocks the sync server leased to this device

Programme ids are unique per programme by construction: an enrolled device gives out
numbers only from blocks the server leased to it alone (see linksdesk.storage.programme_ids).
A vault never enrolled keeps its own counter (local setting ``next_programme_number``).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "programme_id_block",
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("next", sa.Integer(), nullable=False),
        sa.Column("leased_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("first"),
    )


def downgrade() -> None:
    op.drop_table("programme_id_block")
